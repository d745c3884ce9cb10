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
	"presto/internal/llm/realtimetest"
	"presto/internal/voice"
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
			err := RunOpenAI(context.Background(), p, fake.URL+"/v1", "llama3.1", Realtime{}, &out)
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

func TestCheckOpenAIRealtime(t *testing.T) {
	tests := []struct {
		name    string
		refuse  int // HTTP status of the realtime handshake; 0 accepts it
		wantErr bool
		want    []string
	}{
		{"accepted", 0, false, []string{`[ok]   Realtime model "gpt-realtime": session.update accepted in`, "(GA route)"}},
		{"no realtime endpoint", http.StatusNotFound, true, []string{`[FAIL] Realtime model "gpt-realtime": HTTP 404 (GA route)`, "OPENAI_REALTIME_MODEL", "no realtime endpoint"}},
		{"wrong key", http.StatusUnauthorized, true, []string{"HTTP 401", "Check OPENAI_API_KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(llmtest.Text("OK", 1))
			rt := realtimetest.NewServer(t, realtimetest.Options{})
			if tt.refuse != 0 {
				rt.RefuseNext(1, tt.refuse)
			}
			client := openai.NewClient(option.WithBaseURL(fake.URL+"/v1/"), option.WithAPIKey("k"))
			p := openaillm.New(client, "llama3.1", "openai", slog.New(slog.DiscardHandler), openaillm.WithMaxRetries(0))
			up, err := voice.OpenAIUpstream(rt.URL+"/v1", "gpt-realtime", "k")
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			err = RunOpenAI(context.Background(), p, fake.URL+"/v1", "llama3.1", Realtime{Upstream: &up, Voice: voice.Settings{VAD: "server_vad", TranscribeModel: "whisper-1"}, Name: "gpt-realtime"}, &out)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v\n%s", err, tt.wantErr, out.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Fatalf("report lacks %q:\n%s", w, out.String())
				}
			}
			if c, r := strings.Index(out.String(), "Chat:"), strings.Index(out.String(), "Realtime model"); r < c {
				t.Errorf("the realtime line comes before the chat line:\n%s", out.String())
			}
		})
	}
}
