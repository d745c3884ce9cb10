package llm_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/llm"
	"presto/internal/llm/llmtest"
	"presto/internal/llm/openaillm"
	"presto/internal/message"
	"presto/internal/metrics"
)

// guarded is a real openaillm provider against fake, without the SDK's retries (each call is one
// request, so the counts below are requests), behind a Guard.
func guarded(t *testing.T, fake *llmtest.Server, set llm.GuardSettings, m *metrics.Metrics) *llm.Guard {
	t.Helper()
	client := openai.NewClient(option.WithBaseURL(fake.URL+"/v1/"), option.WithAPIKey("test"))
	return llm.NewGuard(openaillm.New(client, "test-model", "openai", nil, openaillm.WithMaxRetries(0)), set, m)
}

var hello = llm.Request{For: llm.ForChat, Messages: []message.Message{{Role: message.RoleUser, Content: "hello"}}}

func stream(p llm.Provider) (string, error) {
	var b strings.Builder
	err := p.Stream(context.Background(), hello, func(ev llm.Event) error {
		b.WriteString(ev.Text)
		return nil
	})
	return b.String(), err
}

func asError(t *testing.T, err error) *llm.Error {
	t.Helper()
	var e *llm.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *llm.Error", err)
	}
	return e
}

func TestGuardGivesUpASilentModelAtTheFirstTokenTimeout(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("too late", 2).WithFirstDelay(time.Minute))
	g := guarded(t, fake, llm.GuardSettings{FirstToken: 300 * time.Millisecond, Call: time.Minute, Failures: 5, Cooldown: time.Minute}, nil)
	_, err := stream(g)
	e := asError(t, err)
	if e.Kind != llm.KindTimeout || !e.Retryable || !strings.Contains(e.Message, "did not start answering within 300 ms") {
		t.Fatalf("error %+v, want a retryable timeout naming the first-token wait", e)
	}
	select {
	case <-fake.Requests()[0].Canceled():
	case <-time.After(5 * time.Second):
		t.Fatal("the upstream request was not cancelled at the first-token timeout")
	}
}

func TestGuardFirstTokenTimeoutDoesNotCutAnAnswerThatStarted(t *testing.T) {
	fake := llmtest.NewServer(t)
	// The first token comes in time; the whole answer takes longer than the first-token wait.
	fake.Enqueue(llmtest.Text("one two three four five", 5).WithDelay(100 * time.Millisecond))
	g := guarded(t, fake, llm.GuardSettings{FirstToken: 200 * time.Millisecond, Call: time.Minute, Failures: 5, Cooldown: time.Minute}, nil)
	text, err := stream(g)
	if err != nil || text != "one two three four five" {
		t.Fatalf("got %q, %v; want the whole answer", text, err)
	}
}

func TestGuardCallTimeoutEndsAStreamThatNeverFinishes(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Stalled("Hel", 1))
	g := guarded(t, fake, llm.GuardSettings{FirstToken: time.Minute, Call: 300 * time.Millisecond, Failures: 5, Cooldown: time.Minute}, nil)
	text, err := stream(g)
	e := asError(t, err)
	if text != "Hel" || e.Kind != llm.KindTimeout || !strings.Contains(e.Message, "too long to answer (over 300 ms)") {
		t.Fatalf("got %q, %+v; want the text so far and a timeout naming the call limit", text, e)
	}
}

func TestGuardCallerCancelIsNotATimeout(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("never", 1).WithFirstDelay(time.Minute))
	g := guarded(t, fake, llm.GuardSettings{FirstToken: time.Minute, Call: time.Minute, Failures: 1, Cooldown: time.Minute}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(fake.Requests()) == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	err := g.Stream(ctx, hello, func(llm.Event) error { return nil })
	if e := asError(t, err); e.Kind != llm.KindCanceled {
		t.Fatalf("error %+v, want canceled", e)
	}
	// A cancel says nothing about the model: with a threshold of one, the breaker is still closed.
	fake.Enqueue(llmtest.Text("fine", 1))
	if text, err := stream(g); err != nil || text != "fine" {
		t.Fatalf("after a cancel: %q, %v; want the model asked", text, err)
	}
}

func TestBreakerOpensFailsFastProbesAndCloses(t *testing.T) {
	fake := llmtest.NewServer(t)
	m := metrics.New("openai", func() int { return 0 })
	g := guarded(t, fake, llm.GuardSettings{FirstToken: time.Minute, Call: time.Minute, Failures: 3, Cooldown: 300 * time.Millisecond}, m)
	down := func() llmtest.Reply {
		return llmtest.StatusError(http.StatusServiceUnavailable, "unavailable", "down", "")
	}

	// A 400 and a 429 are answers: they neither open the breaker nor count towards it.
	fake.Enqueue(down(), down(), llmtest.StatusError(http.StatusBadRequest, "bad", "bad input", "messages"),
		llmtest.RateLimited(time.Minute), down(), down())
	for i := range 6 {
		if _, err := stream(g); err == nil {
			t.Fatalf("call %d succeeded, want the scripted failure", i)
		}
	}
	if got := len(fake.Requests()); got != 6 {
		t.Fatalf("%d requests, want all 6 to reach the model", got)
	}
	if s := scrape(t, m); !strings.Contains(s, "presto_llm_breaker_state{provider=\"openai\"} 0") {
		t.Fatalf("breaker not closed after 2 failures, a 4xx and 2 more:\n%s", grepLines(s, "breaker"))
	}

	// The third failure in a row opens it: the next call fails at once, without a request.
	fake.Enqueue(down())
	if _, err := stream(g); err == nil {
		t.Fatal("third failure succeeded")
	}
	_, err := stream(g)
	e := asError(t, err)
	if e.Kind != llm.KindUnavailable || !e.Retryable || !strings.Contains(e.Message, "the model is not answering; trying again in 1 s") {
		t.Fatalf("while open: %+v, want a fast retryable failure saying when it tries again", e)
	}
	if got := len(fake.Requests()); got != 7 {
		t.Fatalf("%d requests, want none while the breaker is open", got)
	}
	if s := scrape(t, m); !strings.Contains(s, "presto_llm_breaker_state{provider=\"openai\"} 1") ||
		!strings.Contains(s, "presto_llm_breaker_opens_total{provider=\"openai\"} 1") ||
		!strings.Contains(s, "presto_llm_breaker_rejected_total{provider=\"openai\"} 1") {
		t.Fatalf("metrics while open:\n%s", grepLines(s, "breaker"))
	}

	// After the cool-down one probe goes through; a failed probe opens it again.
	time.Sleep(350 * time.Millisecond)
	fake.Enqueue(down())
	if _, err := stream(g); err == nil || len(fake.Requests()) != 8 {
		t.Fatalf("probe: %v after %d requests, want the probe to reach the model and fail", err, len(fake.Requests()))
	}
	if _, err := stream(g); err == nil || len(fake.Requests()) != 8 {
		t.Fatal("after a failed probe the breaker did not open again")
	}

	// While a probe is in flight the others fail fast; its success closes the breaker.
	time.Sleep(350 * time.Millisecond)
	fake.Enqueue(llmtest.Text("back again", 2).WithFirstDelay(200 * time.Millisecond))
	probed := make(chan string, 1)
	go func() {
		text, _ := stream(g)
		probed <- text
	}()
	for len(fake.Requests()) < 9 {
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := stream(g); err == nil || !strings.Contains(asError(t, err).Message, "trying it again now") {
		t.Fatalf("beside the probe: %v, want a fast failure", err)
	}
	if text := <-probed; text != "back again" {
		t.Fatalf("probe answered %q", text)
	}
	fake.Enqueue(llmtest.Text("all good", 1))
	if text, err := stream(g); err != nil || text != "all good" {
		t.Fatalf("after a good probe: %q, %v; want the breaker closed", text, err)
	}
	if s := scrape(t, m); !strings.Contains(s, "presto_llm_breaker_state{provider=\"openai\"} 0") ||
		!strings.Contains(s, "presto_llm_breaker_opens_total{provider=\"openai\"} 2") {
		t.Fatalf("metrics after closing:\n%s", grepLines(s, "breaker"))
	}
}

func TestBreakerCountsStructuredCallsToo(t *testing.T) {
	fake := llmtest.NewServer(t)
	g := guarded(t, fake, llm.GuardSettings{FirstToken: time.Minute, Call: time.Minute, Failures: 1, Cooldown: time.Minute}, nil)
	fake.Enqueue(llmtest.StatusError(http.StatusBadGateway, "bad_gateway", "proxy down", ""))
	req := llm.StructuredRequest{User: "a bakery", SchemaName: "mode_config", Schema: map[string]any{"type": "object"}}
	if _, err := g.Structured(context.Background(), req); err == nil {
		t.Fatal("502 succeeded")
	}
	if _, err := g.Structured(context.Background(), req); err == nil || !strings.Contains(asError(t, err).Message, "not answering") {
		t.Fatalf("after a 502 with a threshold of one: %v, want a fast failure", err)
	}
	if _, err := stream(g); err == nil || len(fake.Requests()) != 1 {
		t.Fatalf("a stream beside it: %v after %d requests, want the same breaker to fail it", err, len(fake.Requests()))
	}
}

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

func grepLines(s, word string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, word) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
