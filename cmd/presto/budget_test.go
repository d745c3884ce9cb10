package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"presto/internal/llm/llmtest"
)

// countingFake is a fake Azure that answers every chat with a short text, a presto turn with a
// switch to the bank, and every tab with a chart, counting the requests that reached it.
func countingFake(t *testing.T) (url string, calls *atomic.Int32) {
	calls = new(atomic.Int32)
	fake := httptest.NewServer(llmtest.NewHandler(func(req *llmtest.Request) llmtest.Reply {
		calls.Add(1)
		switch msg := req.LastUserMessage(); {
		case strings.HasPrefix(msg, "Tab:"):
			return llmtest.ToolCalls("", llmtest.Call{Name: "show_chart", Arguments: chartArgs})
		case strings.Contains(strings.ToLower(msg), "presto"):
			return llmtest.ToolCalls("", llmtest.Call{Name: "switch_mode", Arguments: `{"industry":"bank"}`})
		}
		return llmtest.Text("Your balance is fine.", 2)
	}))
	t.Cleanup(fake.Close)
	return fake.URL, calls
}

// refusal is the payload of a chat_error, error or tab_error a budget caused.
type refusal struct {
	Error      string `json:"error"`
	Retryable  bool   `json:"retryable"`
	RetryAfter int    `json:"retry_after"`
}

func (l turnLog) refusal(t *testing.T) (refusal, bool) {
	t.Helper()
	if !slices.Contains(l.types(), "chat_error") {
		return refusal{}, false
	}
	var r refusal
	l.payload(t, "chat_error", &r)
	return r, true
}

// TestNewSessionPerSocketCannotExceedTheAddressBudget: one address opening a new session for every
// socket gets no more LLM calls than its budget; the rest are told to wait, and counted.
func TestNewSessionPerSocketCannotExceedTheAddressBudget(t *testing.T) {
	url, calls := countingFake(t)
	a := startApp(t, map[string]string{"AZURE_PROJECT_ENDPOINT": url, "AZURE_API_KEY": "k", "PRESTO_PREFETCH_TABS": "false",
		"PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE": "5"})
	refused := 0
	for i := range 12 {
		conn, _ := dial(t, a, "") // no session id: a new session each time
		l := chatTurn(t, conn, fmt.Sprintf("question %d: how is my balance?", i))
		if r, ok := l.refusal(t); ok {
			if !strings.Contains(r.Error, "too many requests from your network") || !r.Retryable || r.RetryAfter < 1 || r.RetryAfter > 60 {
				t.Fatalf("socket %d refused with %+v; want the address's budget, retryable within a minute", i, r)
			}
			refused++
		}
		conn.Close(websocket.StatusNormalClosure, "")
	}
	if n := calls.Load(); n != 5 {
		t.Fatalf("%d LLM calls reached the fake from 12 new sessions of one address, want the budget of 5", n)
	}
	if refused != 7 {
		t.Fatalf("%d turns refused, want 7", refused)
	}
	if m := scrape(t, a); !strings.Contains(m, `presto_budget_refusals_total{reason="address_calls"} 7`) {
		t.Fatalf("/metrics does not count the 7 refusals:\n%s", grepLines(m, "presto_budget"))
	}
}

// TestNewSessionsPerAddress: past its new sessions of the minute an address's socket is closed
// with 1013 and a reason, and the HTTP API answers 429 with Retry-After; a session it already has
// still opens.
func TestNewSessionsPerAddress(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_SESSIONS_PER_ADDRESS_PER_MINUTE": "3", "PRESTO_PREFETCH_TABS": "false"})
	first, _ := dial(t, a, "?session=kept-session-1")
	chatTurn(t, first, "hello") // stored: reconnecting to it is not a new session
	for i := range 2 {
		dial(t, a, fmt.Sprintf("?session=new-session-%d", i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, a.wsURL("?session=one-too-many"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = conn.Read(ctx)
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.StatusTryAgainLater || !strings.Contains(ce.Reason, "too many requests from your network") {
		t.Fatalf("the fourth new session: %v; want close 1013 saying why", err)
	}
	resp, err := http.Get(a.url + "/api/state?session=another-new-one")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("GET /api/state of a fifth new session: %d, Retry-After %q; want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	dial(t, a, "?session=kept-session-1")
}

// TestReconnectingDoesNotResetTheSessionLimiter: a session's chats of the minute are counted by its
// id, not by the in-memory session its last socket took away with it.
func TestReconnectingDoesNotResetTheSessionLimiter(t *testing.T) {
	url, calls := countingFake(t)
	a := startApp(t, map[string]string{"AZURE_PROJECT_ENDPOINT": url, "AZURE_API_KEY": "k", "PRESTO_PREFETCH_TABS": "false",
		"PRESTO_CHATS_PER_MINUTE": "3"})
	const id = "?session=reconnecting-session"
	for i := range 3 {
		conn, _ := dial(t, a, id)
		if _, refused := chatTurn(t, conn, fmt.Sprintf("question %d", i)).refusal(t); refused {
			t.Fatalf("chat %d refused within the limit", i)
		}
		conn.Close(websocket.StatusNormalClosure, "")
		waitLiveSessions(t, a, 0) // the session is dropped from memory with its last socket
	}
	conn, _ := dial(t, a, id)
	send(t, conn, "chat", map[string]string{"text": "question 4"})
	m := readMsg(t, conn)
	var p refusal
	_ = json.Unmarshal(m.Payload, &p)
	if m.Type != "error" || !strings.Contains(p.Error, "too many requests; try again in") || p.RetryAfter < 1 {
		t.Fatalf("the fourth chat after reconnecting: %s %s; want an error with the session's wait", m.Type, m.Payload)
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("%d LLM calls, want 3", n)
	}
}

// TestTabContentIsLimited: tab content over HTTP and over the socket, and the prefetch after a
// switch, are LLM calls of the address like any other.
func TestTabContentIsLimited(t *testing.T) {
	url, calls := countingFake(t)
	a := startApp(t, map[string]string{"AZURE_PROJECT_ENDPOINT": url, "AZURE_API_KEY": "k", "PRESTO_PREFETCH_TABS": "false",
		"PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE": "3"})
	const id = "tab-limited"
	conn, _ := dial(t, a, "?session="+id)
	chatTurn(t, conn, "Presto-Change-O, you're a bank") // call 1
	post := func(tab string) *http.Response {
		body := `{"tab_id":"` + tab + `","mode_id":"banking"}`
		resp, err := http.Post(a.url+"/api/tab-content?session="+id, "application/json", bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, tab := range []string{"accounts", "cards"} { // calls 2 and 3
		if resp := post(tab); resp.StatusCode != 200 {
			t.Fatalf("%s within the budget: %d", tab, resp.StatusCode)
		}
	}
	if resp := post("loans"); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("a tab past the budget: %d, Retry-After %q; want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp := post("accounts"); resp.StatusCode != 200 {
		t.Fatalf("a cached tab past the budget: %d; want 200, it costs nothing", resp.StatusCode)
	}
	send(t, conn, "tab", map[string]string{"tab_id": "loans"})
	msgs := readUntil(t, conn, "tab_error")
	var p refusal
	_ = json.Unmarshal(msgs[len(msgs)-1].Payload, &p)
	if !strings.Contains(p.Error, "from your network") || p.RetryAfter < 1 {
		t.Fatalf("a tab over the socket past the budget: %s", msgs[len(msgs)-1].Payload)
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("%d LLM calls, want the budget of 3", n)
	}
}

// TestPrefetchStaysWithinTheAddressBudget: the tabs filled after a switch are charged to the
// address that switched, and the prefetch stops where its budget does.
func TestPrefetchStaysWithinTheAddressBudget(t *testing.T) {
	url, calls := countingFake(t)
	a := startApp(t, map[string]string{"AZURE_PROJECT_ENDPOINT": url, "AZURE_API_KEY": "k",
		"PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE": "3"})
	conn, _ := dial(t, a, "?session=prefetch-limited")
	chatTurn(t, conn, "Presto-Change-O, you're a bank")
	readUntil(t, conn, "tab_content")
	readUntil(t, conn, "tab_content")
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(scrape(t, a), `reason="address_calls"} 1`) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("%d LLM calls after a switch and its prefetch, want the budget of 3", n)
	}
	if m := scrape(t, a); !strings.Contains(m, `presto_budget_refusals_total{reason="address_calls"} 1`) {
		t.Fatalf("the prefetch did not stop at its first refusal:\n%s", grepLines(m, "presto_budget"))
	}
}

// TestGeneratedModesCappedPerAddressPerDay: past its new modes of the day an address is told so
// and nothing is added to the list everyone sees; a mode that exists is still free to switch to.
func TestGeneratedModesCappedPerAddressPerDay(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_MODES_PER_ADDRESS_PER_DAY": "2", "PRESTO_PREFETCH_TABS": "false"})
	conn, _ := dial(t, a, "?session=mode-flood")
	for _, industry := range []string{"lighthouse keeper", "beekeeper"} {
		if _, refused := chatTurn(t, conn, "Presto-Change-O, you're a "+industry).refusal(t); refused {
			t.Fatalf("%s refused within the cap", industry)
		}
	}
	r, refused := chatTurn(t, conn, "Presto-Change-O, you're a glassblower").refusal(t)
	if !refused || !strings.Contains(r.Error, "new modes") || r.RetryAfter < 3600 {
		t.Fatalf("a third new mode: %+v, refused %v; want the day's cap, with hours to wait", r, refused)
	}
	if _, refused := chatTurn(t, conn, "Presto-Change-O, you're a lighthouse keeper").refusal(t); refused {
		t.Fatal("switching back to a mode the address made was refused")
	}
	if _, refused := chatTurn(t, conn, "Presto-Change-O, you're a bank").refusal(t); refused {
		t.Fatal("switching to a prebuilt mode was refused")
	}
	if generated := generatedModes(t, a); len(generated) != 2 {
		t.Fatalf("generated modes listed: %v, want the 2 within the cap", generated)
	}
}

func generatedModes(t *testing.T, a *app) []string {
	t.Helper()
	var list struct {
		Modes []struct {
			ID       string
			Prebuilt bool
		}
	}
	getJSON(t, a.url+"/api/modes", &list)
	var ids []string
	for _, m := range list.Modes {
		if !m.Prebuilt {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// TestTokenBudgetRefusesOnceUsedUp: once the day's tokens are spent no call reaches the model,
// and the user reads that the demo's budget is used up.
func TestTokenBudgetRefusesOnceUsedUp(t *testing.T) {
	url, calls := countingFake(t)
	a := startApp(t, map[string]string{"AZURE_PROJECT_ENDPOINT": url, "AZURE_API_KEY": "k", "PRESTO_PREFETCH_TABS": "false",
		"PRESTO_MAX_TOKENS_PER_DAY": "10"})
	conn, _ := dial(t, a, "?session=token-budget")
	if _, refused := chatTurn(t, conn, "first question").refusal(t); refused {
		t.Fatal("the first call refused with the day's tokens unspent")
	}
	r, refused := chatTurn(t, conn, "second question").refusal(t)
	if !refused || !strings.Contains(r.Error, "the demo's budget for today is used up") || !r.Retryable || r.RetryAfter < 1 {
		t.Fatalf("after %d tokens of 10: %+v, refused %v; want the day's budget used up", llmtest.PromptTokens+2, r, refused)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d LLM calls, want 1", n)
	}
	if m := scrape(t, a); !strings.Contains(m, `presto_budget_refusals_total{reason="process_tokens"} 1`) {
		t.Fatalf("/metrics:\n%s", grepLines(m, "presto_budget"))
	}
}

// TestSessionLimiterSharedAcrossReplicas: one session's chats of the minute are counted once for
// every replica, so moving between them resets nothing.
func TestSessionLimiterSharedAcrossReplicas(t *testing.T) {
	a, b := startReplicas(t, map[string]string{"PRESTO_CHATS_PER_MINUTE": "3"})
	id := "?session=shared-limiter-" + randomSuffix()
	onA, _ := dial(t, a, id)
	onB, _ := dial(t, b, id)
	for i, conn := range []*websocket.Conn{onA, onB, onA} {
		if _, refused := chatTurn(t, conn, fmt.Sprintf("question %d", i)).refusal(t); refused {
			t.Fatalf("chat %d refused within the limit", i)
		}
		readTurn(t, []*websocket.Conn{onB, onA, onB}[i]) // the other screen follows
	}
	for name, conn := range map[string]*websocket.Conn{"A": onA, "B": onB} {
		send(t, conn, "chat", map[string]string{"text": "one more on " + name})
		if m := readMsg(t, conn); m.Type != "error" || !strings.Contains(string(m.Payload), "too many requests") {
			t.Fatalf("the fourth chat on %s: %s %s; want refused", name, m.Type, m.Payload)
		}
	}
}

func waitLiveSessions(t *testing.T, a *app, n int) {
	t.Helper()
	want := fmt.Sprintf("presto_sessions_live %d\n", n)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(scrape(t, a), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("live sessions never reached %d", n)
}

// TestBudgetsFollowTheForwardedClient: behind a trusted proxy each client the proxy forwards for
// has its own budget, and one of them spending it refuses no one else.
func TestBudgetsFollowTheForwardedClient(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_TRUSTED_PROXIES": "127.0.0.1", "PRESTO_SESSIONS_PER_ADDRESS_PER_MINUTE": "1"})
	open := func(client string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn, _, err := websocket.Dial(ctx, a.wsURL(""), &websocket.DialOptions{HTTPHeader: http.Header{"X-Forwarded-For": {client}}})
		if err != nil {
			return err
		}
		defer conn.CloseNow()
		_, _, err = conn.Read(ctx) // the session message, or the close that refuses it
		return err
	}
	if err := open("198.51.100.1"); err != nil {
		t.Fatalf("the first client's new session: %v", err)
	}
	if err := open("198.51.100.1"); websocket.CloseStatus(err) != websocket.StatusTryAgainLater {
		t.Fatalf("the first client's second new session: %v, want close 1013", err)
	}
	if err := open("198.51.100.2"); err != nil {
		t.Fatalf("another client behind the same proxy: %v", err)
	}
}
