package check

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/llm/llmtest"
	"presto/internal/llm/openaillm"
)

func TestRunOpenAI(t *testing.T) {
	tests := []struct {
		name    string
		reply   llmtest.Reply
		wantErr bool
		want    []string
	}{
		{"answers", llmtest.Text("OK", 1), false, []string{"[ok]   Chat: model \"llama3.1\" answered \"OK\""}},
		{"wrong key", llmtest.StatusError(http.StatusUnauthorized, "invalid_api_key", "bad key", ""), true, []string{"[FAIL]", "OPENAI_API_KEY"}},
		{"unknown model", llmtest.StatusError(http.StatusNotFound, "model_not_found", "no such model", ""), true, []string{"[FAIL]", "OPENAI_MODEL", "ollama list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(tt.reply)
			client := openai.NewClient(option.WithBaseURL(fake.URL+"/v1/"), option.WithAPIKey("k"))
			p := openaillm.New(client, "llama3.1", "openai", slog.New(slog.DiscardHandler), openaillm.WithMaxRetries(0))
			var out bytes.Buffer
			err := RunOpenAI(context.Background(), p, fake.URL+"/v1", "llama3.1", &out)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v\n%s", err, tt.wantErr, out.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Fatalf("report lacks %q:\n%s", w, out.String())
				}
			}
			if body := fake.Requests()[0].Body; body["temperature"] != nil || body["max_tokens"] != nil {
				t.Fatalf("the check sent sampling parameters: %v", body)
			}
		})
	}
}
