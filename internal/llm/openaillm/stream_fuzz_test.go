package openaillm

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/llm"
)

// FuzzStream feeds arbitrary SSE event payloads (one per line of the input) to Stream. Whatever the
// server sends, Stream must not panic, and must end either with exactly one Done as its last event
// or with an *llm.Error; every tool call it emits has a name and an id.
func FuzzStream(f *testing.F) {
	f.Add(`{"id":"a","choices":[{"index":0,"delta":{"content":"hi"}}]}` + "\n" + `{"id":"a","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`)
	f.Add(`{"id":"a","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"x","function":{"name":"f","arguments":"{"}}]}}]}` + "\n" +
		`{"id":"a","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"y","function":{"name":"g","arguments":"}"}}]}}]}`)
	f.Add(`{"id":"","choices":[],"prompt_filter_results":[]}` + "\n" + `{"id":"a","choices":[],"usage":{"prompt_tokens":1}}`)
	f.Add(`{"id":"a","choices":[{"index":-1,"delta":{"tool_calls":[{"index":-1,"function":{"arguments":"1"}}]}}]}`)
	f.Fuzz(func(t *testing.T, events string) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "text/event-stream")
			for line := range strings.SplitSeq(events, "\n") {
				_, _ = io.WriteString(w, "data: "+line+"\n\n")
			}
		}))
		defer srv.Close()
		client := openai.NewClient(option.WithBaseURL(srv.URL+"/v1/"), option.WithAPIKey("k"))
		p := New(client, "m", "openai", slog.New(slog.DiscardHandler), WithMaxRetries(0))
		var got []llm.Event
		err := p.Stream(context.Background(), llm.Request{}, func(e llm.Event) error {
			got = append(got, e)
			return nil
		})
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *llm.Error", err)
			}
			return
		}
		if len(got) == 0 || got[len(got)-1].Done == nil {
			t.Fatalf("stream did not end with Done: %d events", len(got))
		}
		for _, e := range got[:len(got)-1] {
			if e.Done != nil {
				t.Fatal("Done before the last event")
			}
			if e.ToolCall != nil && (e.ToolCall.Name == "" || e.ToolCall.ID == "") {
				t.Fatalf("tool call without name or id: %+v", e.ToolCall)
			}
		}
	})
}
