package main

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"presto/internal/llm"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

func TestStatsCountChatsAndModeGenerations(t *testing.T) {
	addr, p := startFakeWith(t, 0)
	stats := func() map[string]int {
		t.Helper()
		res, err := http.Get("http://" + addr + "/stats")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var got map[string]int
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("GET /stats: %s %s", res.Status, res.Header.Get("Content-Type"))
		}
		if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := func(chat, structured int) {
		t.Helper()
		if got := stats(); len(got) != 2 || got["chat"] != chat || got["structured"] != structured {
			t.Fatalf("stats %v, want chat %d and structured %d", got, chat, structured)
		}
	}

	want(0, 0)
	if r := ask(t, p, "", "hello", nil); r.err != nil {
		t.Fatal(r.err)
	}
	_ = ask(t, p, "", "a flaky question", nil) // fails with a 503, and counts: the request came
	want(2, 0)
	for range 2 {
		if _, err := p.Structured(context.Background(), llm.StructuredRequest{
			User: "Industry: pet store", SchemaName: "mode_config", Schema: map[string]any{"type": "object"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	// A schema fakellm refuses is no mode generation, and a wrong path reaches no rule.
	if _, err := p.Structured(context.Background(), llm.StructuredRequest{User: "x", SchemaName: "other", Schema: map[string]any{"type": "object"}}); err == nil {
		t.Fatal("unknown schema answered")
	}
	res, err := http.Post("http://"+addr+"/stats", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("POST /stats: %s, want the fake's 404", res.Status)
	}
	want(2, 2)
}

func TestGenerationDelay(t *testing.T) {
	_, p := startFakeWith(t, 0, "-generation-delay", "1s")
	start := time.Now()
	if _, err := p.Structured(context.Background(), llm.StructuredRequest{
		User: "Industry: pet store", SchemaName: "mode_config", Schema: map[string]any{"type": "object"},
	}); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < time.Second {
		t.Errorf("the generation took %v, want at least the 1s delay", took)
	}
	start = time.Now()
	if r := ask(t, p, "", "hello", nil); r.err != nil {
		t.Fatal(r.err)
	}
	if took := time.Since(start); took >= time.Second {
		t.Errorf("a chat took %v: the delay is for generations only", took)
	}
}

// TestRealtimeRoute: the command also speaks the fake realtime protocol, for voice.
func TestRealtimeRoute(t *testing.T) {
	addr, _ := startFakeWith(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws://"+addr+"/openai/v1/realtime?model=gpt-realtime", nil)
	if err != nil {
		t.Fatalf("dial the realtime route: %v", err)
	}
	defer conn.CloseNow()
	if err := wsjson.Write(ctx, conn, map[string]any{"type": "session.update", "session": map[string]any{"type": "realtime"}}); err != nil {
		t.Fatal(err)
	}
	for {
		var ev struct{ Type string }
		if err := wsjson.Read(ctx, conn, &ev); err != nil {
			t.Fatalf("read: %v", err)
		}
		if ev.Type == "session.updated" {
			return
		}
	}
}
