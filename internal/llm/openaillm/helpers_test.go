package openaillm

import (
	"context"
	"log/slog"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/llm"
	"presto/internal/llm/llmtest"
	"presto/internal/message"
)

// newProvider points a provider at the fake server's /v1/ route, as an OpenAI-compatible client.
func newProvider(t testing.TB, fake *llmtest.Server, opts ...Option) *Provider {
	t.Helper()
	return newProviderAt(t, fake.URL+"/v1/", opts...)
}

// newProviderAt builds a provider for an OpenAI-compatible base URL.
func newProviderAt(t testing.TB, baseURL string, opts ...Option) *Provider {
	t.Helper()
	client := openai.NewClient(option.WithBaseURL(baseURL), option.WithAPIKey("test-key"))
	return New(client, "gpt-test", "openai", slog.New(slog.NewTextHandler(tlogWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug})), opts...)
}

// tlogWriter sends logs to the test log.
type tlogWriter struct{ t testing.TB }

func (w tlogWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// collect runs Stream and returns every event it emitted.
func collect(ctx context.Context, p *Provider, req llm.Request) ([]llm.Event, error) {
	var events []llm.Event
	err := p.Stream(ctx, req, func(e llm.Event) error {
		events = append(events, e)
		return nil
	})
	return events, err
}

func text(s string) llm.Event { return llm.Event{Text: s} }

func call(id, name, args string) llm.Event {
	return llm.Event{ToolCall: &message.ToolCall{ID: id, Name: name, Arguments: args}}
}

func done(reason string, completion int64) llm.Event {
	return llm.Event{Done: &llm.Done{FinishReason: reason, Usage: &llm.Usage{PromptTokens: llmtest.PromptTokens, CompletionTokens: completion}}}
}

var chatRequest = llm.Request{
	System:   "You are a bank assistant.",
	Messages: []message.Message{{Role: message.RoleUser, Content: "How much is in checking?"}},
	Tools:    llm.ChatTools(),
}
