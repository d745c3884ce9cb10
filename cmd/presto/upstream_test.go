package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"presto/internal/llm/llmtest"
)

// chatError is the payload of the chat_error a turn ended with (it fails the test when the turn
// ended otherwise).
func chatError(t *testing.T, l turnLog) (msg string, retryable bool) {
	t.Helper()
	last := l.msgs[len(l.msgs)-1]
	if last.Type != "chat_error" {
		t.Fatalf("turn ended with %s (%v), want chat_error", last.Type, compress(l.types()))
	}
	var p struct {
		Error     string `json:"error"`
		Retryable bool   `json:"retryable"`
	}
	if err := json.Unmarshal(last.Payload, &p); err != nil {
		t.Fatal(err)
	}
	return p.Error, p.Retryable
}

func sendChat(t *testing.T, conn *websocket.Conn, text string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"type": "chat", "payload": map[string]string{"text": text}})
	writeText(t, conn, string(b))
}

// down is an upstream 500 that the SDK does not retry, so that one turn is one request.
func down() llmtest.Reply {
	r := llmtest.StatusError(http.StatusInternalServerError, "server_error", "upstream down", "")
	r.Header = http.Header{"X-Should-Retry": {"false"}}
	return r
}

func TestHungUpstreamEndsAtTheFirstTokenTimeoutAndFreesItsSlot(t *testing.T) {
	// One LLM slot in the whole process: while the silent call held it, nobody else could chat.
	a, fake := startWithFakeAzureEnv(t, map[string]string{"PRESTO_FIRST_TOKEN_TIMEOUT": "300ms", "PRESTO_MAX_CONCURRENT_LLM": "1"})
	fake.Enqueue(llmtest.Text("far too late", 2).WithFirstDelay(time.Minute), llmtest.Text("Hello there.", 3))
	hung, _ := dial(t, a, "?session=hung-session-a")
	other, _ := dial(t, a, "?session=other-session-b")

	sendChat(t, hung, "hello?")
	waitRequest(t, fake, 0)
	sendChat(t, other, "hi")

	msg, retryable := chatError(t, readTurn(t, hung))
	if !strings.Contains(msg, "did not start answering within 300 ms") || !retryable {
		t.Fatalf("chat_error %q (retryable %v), want the first-token timeout, retryable", msg, retryable)
	}
	waitCanceled(t, fake, 0)
	if l := readTurn(t, other); l.text() != "Hello there." {
		t.Fatalf("the other session's turn: %v %q, want it answered once the slot was free", compress(l.types()), l.text())
	}
}

func TestTurnTimeoutFromConfigurationEndsATurnThatNeverFinishes(t *testing.T) {
	a, fake := startWithFakeAzureEnv(t, map[string]string{"PRESTO_TURN_TIMEOUT": "600ms", "PRESTO_FIRST_TOKEN_TIMEOUT": "300ms"})
	fake.Enqueue(llmtest.Stalled("Once upon a time", 2))
	conn, _ := dial(t, a, "?session=slow-story-session")
	l := chatTurn(t, conn, "tell me a story")
	msg, retryable := chatError(t, l)
	if l.text() != "Once upon a time" || !strings.Contains(msg, "too long") || !retryable {
		t.Fatalf("turn %v %q ended with %q (retryable %v), want the text so far and a retryable timeout", compress(l.types()), l.text(), msg, retryable)
	}
	waitCanceled(t, fake, 0)
}

func TestBreakerFailsFastWhileTheUpstreamIsDownThenProbesIt(t *testing.T) {
	a, fake := startWithFakeAzureEnv(t, map[string]string{"PRESTO_BREAKER_FAILURES": "2", "PRESTO_BREAKER_COOLDOWN": "500ms"})
	fake.Enqueue(down(), down())
	conn, _ := dial(t, a, "?session=breaker-session")
	for i := range 2 {
		if msg, _ := chatError(t, chatTurn(t, conn, "hello")); !strings.Contains(msg, "unavailable") {
			t.Fatalf("turn %d: %q, want the upstream's failure", i, msg)
		}
	}
	msg, retryable := chatError(t, chatTurn(t, conn, "hello again"))
	if !strings.Contains(msg, "the model is not answering; trying again in 1 s") || !retryable {
		t.Fatalf("with the breaker open: %q (retryable %v)", msg, retryable)
	}
	if n := len(fake.Requests()); n != 2 {
		t.Fatalf("%d upstream requests, want none while the breaker is open", n)
	}
	if got := scrape(t, a); !strings.Contains(got, `presto_llm_breaker_state{provider="azure"} 1`) ||
		!strings.Contains(got, `presto_llm_breaker_rejected_total{provider="azure"} 1`) {
		t.Fatalf("/metrics while open:\n%s", got)
	}

	time.Sleep(600 * time.Millisecond) // the cool-down
	fake.Enqueue(llmtest.Text("Back again.", 2))
	if l := chatTurn(t, conn, "are you there?"); l.text() != "Back again." {
		t.Fatalf("probe turn %v %q, want answered", compress(l.types()), l.text())
	}
	if got := scrape(t, a); !strings.Contains(got, `presto_llm_breaker_state{provider="azure"} 0`) {
		t.Fatalf("/metrics after a good probe:\n%s", got)
	}
}

// readClose reads until the socket ends and returns its close status.
func readClose(t *testing.T, conn *websocket.Conn) websocket.StatusCode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		if _, _, err := conn.Read(ctx); err != nil {
			return websocket.CloseStatus(err)
		}
	}
}

func TestShutdownLetsAStreamingTurnFinishThenClosesWith1001(t *testing.T) {
	a, fake := startWithFakeAzureEnv(t, map[string]string{"PRESTO_SHUTDOWN_GRACE": "10s"})
	answer := "one two three four five six seven eight"
	fake.Enqueue(llmtest.Text(answer, 8).WithDelay(100 * time.Millisecond))
	conn, _ := dial(t, a, "?session=draining-session")
	sendChat(t, conn, "count for me")
	if m := readMsg(t, conn); m.Type != "chat_start" {
		t.Fatalf("got %s, want chat_start", m.Type)
	}
	waitRequest(t, fake, 0)
	stopped := make(chan error, 1)
	go func() { stopped <- a.stop() }() // what SIGTERM does: serve's context ends

	l := readTurn(t, conn)
	if last := l.msgs[len(l.msgs)-1]; last.Type != "chat_chunk" || !strings.Contains(string(last.Payload), `"done":true`) || l.text() != answer {
		t.Fatalf("turn in flight at shutdown: %v %q, want the whole answer and its done", compress(l.types()), l.text())
	}
	if status := readClose(t, conn); status != websocket.StatusGoingAway {
		t.Fatalf("socket closed with %d after the turn, want 1001", status)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("run returned %v", err)
	}
}

func TestShutdownCutsATurnLongerThanTheGraceWith1001(t *testing.T) {
	a, fake := startWithFakeAzureEnv(t, map[string]string{"PRESTO_SHUTDOWN_GRACE": "500ms"})
	fake.Enqueue(llmtest.Stalled("This never ends", 1))
	conn, _ := dial(t, a, "?session=cut-session")
	sendChat(t, conn, "go on forever")
	waitRequest(t, fake, 0)
	stopped := make(chan error, 1)
	go func() { stopped <- a.stop() }()
	if status := readClose(t, conn); status != websocket.StatusGoingAway {
		t.Fatalf("socket closed with %d, want 1001 at the end of the grace", status)
	}
	waitCanceled(t, fake, 0) // no orphan upstream stream after the cut
	if err := <-stopped; err != nil {
		t.Fatalf("run returned %v", err)
	}
}
