package openaillm

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"presto/internal/llm"
	"presto/internal/llm/llmtest"
)

func TestStreamErrors(t *testing.T) {
	tests := []struct {
		name      string
		replies   []llmtest.Reply
		kind      llm.ErrorKind
		retryable bool
		status    int
		message   string // a part of the safe message
		requests  int    // how many requests the provider made (retries included)
	}{
		{"rate limited after retries", repeat(llmtest.RateLimited(10*time.Millisecond), 3), llm.KindRateLimited, true, 429, "rate limited", 3},
		{"insufficient quota is never retried", []llmtest.Reply{llmtest.QuotaExceeded()}, llm.KindQuota, false, 429, "quota", 1},
		{"spend limit by message", []llmtest.Reply{llmtest.StatusError(429, "", "Your organization has reached its monthly spend limit.", "")}, llm.KindQuota, false, 429, "quota", 1},
		{"unauthorized", []llmtest.Reply{llmtest.StatusError(401, "invalid_api_key", "Incorrect API key provided: sk-secret", "")}, llm.KindAuth, false, 401, "credentials", 1},
		{"forbidden", []llmtest.Reply{llmtest.StatusError(403, "PermissionDenied", "Principal does not have access", "")}, llm.KindAuth, false, 403, "credentials", 1},
		{"deployment not found", []llmtest.Reply{llmtest.StatusError(404, "DeploymentNotFound", "The API deployment for this resource does not exist.", "")}, llm.KindNotFound, false, 404, "not found", 1},
		{"rejected parameter named", []llmtest.Reply{llmtest.StatusError(400, "unsupported_parameter", "Unsupported parameter: 'max_tokens'", "max_tokens")}, llm.KindBadRequest, false, 400, `parameter "max_tokens"`, 1},
		{"content filter", []llmtest.Reply{llmtest.StatusError(400, "content_filter", "The response was filtered", "prompt")}, llm.KindBadRequest, false, 400, "content filter", 1},
		{"server errors after retries", repeat(llmtest.StatusError(500, "server_error", "boom", ""), 3), llm.KindUnavailable, true, 500, "unavailable", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(tt.replies...)
			events, err := collect(context.Background(), newProvider(t, fake, WithMaxRetries(2)), chatRequest)
			if len(events) != 0 {
				t.Errorf("events = %s, want none", describe(events))
			}
			e := asLLMError(t, err)
			if e.Kind != tt.kind || e.Retryable != tt.retryable || e.Status != tt.status {
				t.Errorf("error = {%s retryable=%v status=%d}, want {%s %v %d}", e.Kind, e.Retryable, e.Status, tt.kind, tt.retryable, tt.status)
			}
			if !strings.Contains(e.Message, tt.message) {
				t.Errorf("message %q does not contain %q", e.Message, tt.message)
			}
			if strings.Contains(e.Error(), "sk-secret") {
				t.Errorf("error %q leaks the server's text", e.Error())
			}
			if n := len(fake.Requests()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestStreamConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now
	_, err = collect(context.Background(), newProviderAt(t, "http://"+addr+"/v1/", WithMaxRetries(1), WithMaxRetryDelay(10*time.Millisecond)), chatRequest)
	if e := asLLMError(t, err); e.Kind != llm.KindUnavailable || !e.Retryable || e.Status != 0 {
		t.Errorf("error = %+v, want unavailable, retryable, no status", e)
	}
}

func TestStreamRetriesThenSucceeds(t *testing.T) {
	tests := []struct {
		name    string
		first   llmtest.Reply
		minWait time.Duration
	}{
		{"503 is retried", llmtest.StatusError(503, "", "overloaded", ""), 0},
		{"429 honours Retry-After-Ms", llmtest.RateLimited(400 * time.Millisecond), 400 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(tt.first, llmtest.Text("Hello", 1))
			start := time.Now()
			events, err := collect(context.Background(), newProvider(t, fake), chatRequest)
			elapsed := time.Since(start)
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if len(events) != 2 || events[0].Text != "Hello" || events[1].Done == nil {
				t.Errorf("events = %s", describe(events))
			}
			if n := len(fake.Requests()); n != 2 {
				t.Errorf("%d requests, want 2", n)
			}
			if elapsed < tt.minWait {
				t.Errorf("retried after %v, want at least %v (Retry-After)", elapsed, tt.minWait)
			}
			t.Logf("retried and answered after %v", elapsed)
		})
	}
}

func TestRetryAfterBeyondCapFailsFast(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.RateLimited(30 * time.Second))
	start := time.Now()
	_, err := collect(context.Background(), newProvider(t, fake, WithMaxRetryDelay(time.Second)), chatRequest)
	if e := asLLMError(t, err); e.Kind != llm.KindRateLimited || !e.Retryable {
		t.Errorf("error = %+v, want rate limited, retryable", e)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("waited %v for a Retry-After beyond the cap", elapsed)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func repeat(r llmtest.Reply, n int) []llmtest.Reply {
	out := make([]llmtest.Reply, n)
	for i := range out {
		out[i] = r
	}
	return out
}
