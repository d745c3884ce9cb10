package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"presto/internal/llm/llmtest"
	"presto/internal/load"
)

// TestLoadToolNewSessionPerSocket runs the load tool's attack against the app: a new session for
// every socket from one address. It reports the calls that reached the fake (through a /stats
// like cmd/fakellm's), and they are the address's budget, however many sockets it opened.
func TestLoadToolNewSessionPerSocket(t *testing.T) {
	var calls atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]int32{"chat": calls.Load(), "structured": 0})
	})
	mux.Handle("/", llmtest.NewHandler(func(*llmtest.Request) llmtest.Reply {
		calls.Add(1)
		return llmtest.Text("Your balance is fine.", 2)
	}))
	fake := httptest.NewServer(mux)
	t.Cleanup(fake.Close)
	a := startApp(t, map[string]string{"AZURE_PROJECT_ENDPOINT": fake.URL, "AZURE_API_KEY": "k", "PRESTO_PREFETCH_TABS": "false",
		"PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE": "6", "PRESTO_SESSIONS_PER_ADDRESS_PER_MINUTE": "20"})
	cfg, err := load.Parse([]string{"-scenario", "new-session-per-socket", "-url", a.url, "-fake", fake.URL,
		"-count", "40", "-concurrency", "4", "-duration", "30s"}, testWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	report, err := load.Run(context.Background(), cfg, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	t.Log(out.String())
	if report.LLMCalls != 6 || report.Count("chat answered") != 6 {
		t.Fatalf("%d LLM calls reached the fake, %d chats answered; want the budget of 6", report.LLMCalls, report.Count("chat answered"))
	}
	if n := report.Count("chat refused: too many requests from your network"); n != 14 {
		t.Fatalf("%d chats refused by the address's budget, want 14 (20 sessions, 6 answered)", n)
	}
	if n := report.Count("refused at open: close 1013"); n != 20 {
		t.Fatalf("%d sockets refused at open, want 20 past the 20 new sessions", n)
	}
	if report.Elapsed > 30*time.Second || !strings.Contains(out.String(), "LLM calls that reached the fake: 6") {
		t.Fatalf("report:\n%s", out.String())
	}
}
