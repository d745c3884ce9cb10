package main

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"presto/internal/llm/llmtest"
)

// send writes one client message.
func send(t *testing.T, conn *websocket.Conn, typ string, payload any) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"type": typ, "payload": payload})
	if err != nil {
		t.Fatal(err)
	}
	writeText(t, conn, string(b))
}

// readUntil reads messages until one of type typ, and returns them all, that one last.
func readUntil(t *testing.T, conn *websocket.Conn, typ string) []wireMsg {
	t.Helper()
	var msgs []wireMsg
	for {
		m := readMsg(t, conn)
		msgs = append(msgs, m)
		if m.Type == typ {
			return msgs
		}
	}
}

func raw(msgs []wireMsg) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Type + " " + string(m.Payload)
	}
	return out
}

// TestTwoScreensFollowEveryTurn: a chat typed on one socket of a session reaches both sockets
// with the same messages in the same order and the same turn numbers; chat_start names the screen
// that sent it.
func TestTwoScreensFollowEveryTurn(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_PREFETCH_TABS": "false"})
	laptop, s1 := dial(t, a, "?session=two-screens-1")
	projector, s2 := dial(t, a, "?session=two-screens-1")
	if s1["screen"] == "" || s1["screen"] == s2["screen"] {
		t.Fatalf("screens %v and %v: want two distinct ids", s1["screen"], s2["screen"])
	}

	for _, text := range []string{"Presto-Change-O, you're a bank", "how much is in my checking account?"} {
		sent := chatTurn(t, laptop, text)
		seen := readTurn(t, projector)
		if !slices.Equal(raw(sent.msgs), raw(seen.msgs)) {
			t.Fatalf("%q: the screens saw different turns:\nlaptop    %v\nprojector %v", text, raw(sent.msgs), raw(seen.msgs))
		}
		if sent.msgs[0].Turn != seen.msgs[0].Turn {
			t.Fatalf("turn %d on the laptop, %d on the projector", sent.msgs[0].Turn, seen.msgs[0].Turn)
		}
		var start struct{ Text, Screen string }
		seen.payload(t, "chat_start", &start)
		if start.Text != text || start.Screen != s1["screen"] {
			t.Fatalf("chat_start %+v, want the laptop's text and screen %v", start, s1["screen"])
		}
	}
	if !slices.Contains(chatTurn(t, projector, "what is my credit score?").types(), "tool_result") {
		t.Fatal("a question from the second screen drew nothing")
	}
	readTurn(t, laptop) // the laptop follows the projector's turn too

	send(t, laptop, "clear_chat", map[string]any{})
	for _, c := range []*websocket.Conn{laptop, projector} {
		if m := readMsg(t, c); m.Type != "chat_cleared" {
			t.Fatalf("after clear_chat: %s, want chat_cleared on every screen", m.Type)
		}
	}
}

// TestScreenJoiningMidTurn: a socket that joins while an answer streams gets the turn so far in
// its session message, then the rest of the turn.
func TestScreenJoiningMidTurn(t *testing.T) {
	a, fake := startWithFakeAzure(t)
	fake.Enqueue(llmtest.Text("Your checking balance is $4,215.37.", 3).ThenHang())
	first, _ := dial(t, a, "?session=mid-turn-join-1")
	send(t, first, "chat", map[string]string{"text": "how much is in my checking account?"})
	var chunks strings.Builder
	for chunks.String() != "Your checking balance is $4,215.37." {
		m := readMsg(t, first)
		if m.Type == "chat_chunk" {
			var p struct{ Text string }
			_ = json.Unmarshal(m.Payload, &p)
			chunks.WriteString(p.Text)
		}
	}

	late, state := dial(t, a, "?session=mid-turn-join-1")
	live, _ := state["live"].(map[string]any)
	if live == nil || live["text"] != "how much is in my checking account?" || live["reply"] != chunks.String() || live["turn"] != 1.0 {
		t.Fatalf("live turn in the session message = %v, want turn 1 with the question and the reply so far", state["live"])
	}
	send(t, first, "cancel", map[string]any{})
	for _, c := range []*websocket.Conn{first, late} {
		m := readMsg(t, c)
		for m.Type == "chat_chunk" { // the first screen may still have chunks queued
			m = readMsg(t, c)
		}
		if m.Type != "chat_error" || m.Turn != 1 {
			t.Fatalf("%s turn %d, want the rest of turn 1: chat_error", m.Type, m.Turn)
		}
	}
	_, after := dial(t, a, "?session=mid-turn-join-1")
	if after["live"] != nil {
		t.Fatalf("live %v after the turn ended, want null", after["live"])
	}
}

// TestSlowScreenIsDroppedWithoutDelayingTheOthers: a socket that stops reading is disconnected
// once more than its byte limit is waiting, the other screen of the session gets the whole turn,
// and the slow one, if it reads again, is told why by the close frame.
func TestSlowScreenIsDroppedWithoutDelayingTheOthers(t *testing.T) {
	a, fake := startWithFakeAzure(t)
	// About 8 MB in 2,000 chunks, more than the socket buffers of the stalled reader hold, at a
	// pace a reading client keeps up with.
	fake.Enqueue(llmtest.Text(strings.Repeat("All work and no play makes a long answer. ", 200_000), 2_000).WithDelay(400 * time.Microsecond))
	fast, _ := dial(t, a, "?session=slow-screen-1")
	slow, _ := dial(t, a, "?session=slow-screen-1") // reads nothing until the server gives up on it
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	type ending struct {
		read int
		err  error
	}
	slowEnd := make(chan ending, 1)
	go func() {
		// Once the server counts it too slow, it reads again, within the write timeout: what the
		// buffers held, then the close frame.
		for !strings.Contains(metricsText(a.url), "presto_websockets_too_slow_total 1") && ctx.Err() == nil {
			time.Sleep(20 * time.Millisecond)
		}
		read := 0
		for {
			if _, _, err := slow.Read(ctx); err != nil {
				slowEnd <- ending{read, err}
				return
			}
			read++
		}
	}()
	send(t, fast, "chat", map[string]string{"text": "tell me a very long story"})
	l := readTurn(t, fast)
	if got := l.types(); got[len(got)-1] != "chat_chunk" || len(got) < 2_000 {
		t.Fatalf("the fast screen got %d messages ending in %s, want the whole turn", len(got), got[len(got)-1])
	}

	end := <-slowEnd
	var ce websocket.CloseError
	if !errors.As(end.err, &ce) || ce.Code != websocket.StatusPolicyViolation || !strings.Contains(ce.Reason, "too slow") {
		t.Fatalf("the slow screen ended after %d messages with %v, want close 1008 saying it was too slow", end.read, end.err)
	}
	read := end.read
	if read >= len(l.msgs) {
		t.Fatalf("the slow screen read all %d messages: it was not slow enough to test", read)
	}
}

// TestTabOverTheSocket: a tab request shows the tab on every screen of the session, then its
// content; an unknown tab is an error for the asking socket only; a tab not cached yet counts
// against the session's rate limit, a cached one does not.
func TestTabOverTheSocket(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_PREFETCH_TABS": "false", "PRESTO_CHATS_PER_MINUTE": "3"})
	phone, _ := dial(t, a, "?session=tab-socket-1")
	projector, _ := dial(t, a, "?session=tab-socket-1")
	chatTurn(t, phone, "Presto-Change-O, you're a bank") // 1 of 3
	readTurn(t, projector)

	send(t, phone, "tab", map[string]string{"tab_id": "accounts"}) // 2 of 3
	var contents []string
	for _, c := range []*websocket.Conn{phone, projector} {
		msgs := readUntil(t, c, "tab_content")
		if len(msgs) != 2 || msgs[0].Type != "tab_selected" || !strings.Contains(string(msgs[0].Payload), `"tab_id":"accounts"`) {
			t.Fatalf("messages %v, want tab_selected accounts then tab_content", raw(msgs))
		}
		var p struct {
			ModeID      string            `json:"mode_id"`
			TabID       string            `json:"tab_id"`
			ToolResults []json.RawMessage `json:"tool_results"`
		}
		if err := json.Unmarshal(msgs[1].Payload, &p); err != nil || p.ModeID != "banking" || p.TabID != "accounts" || len(p.ToolResults) == 0 {
			t.Fatalf("tab_content %s (%v)", msgs[1].Payload, err)
		}
		contents = append(contents, string(msgs[1].Payload))
	}
	if contents[0] != contents[1] {
		t.Fatalf("the screens got different content:\n%s\n%s", contents[0], contents[1])
	}

	send(t, phone, "tab", map[string]string{"tab_id": "rockets"})
	if m := readMsg(t, phone); m.Type != "error" || !strings.Contains(string(m.Payload), `unknown tab \"rockets\"`) {
		t.Fatalf("unknown tab: %s %s, want an error naming it", m.Type, m.Payload)
	}
	send(t, projector, "ping", map[string]any{})
	if m := readMsg(t, projector); m.Type != "pong" {
		t.Fatalf("the other screen got %s %s, want nothing before its pong", m.Type, m.Payload)
	}

	send(t, phone, "tab", map[string]string{"tab_id": "cards"}) // 3 of 3
	readUntil(t, phone, "tab_content")
	send(t, phone, "tab", map[string]string{"tab_id": "loans"}) // over the limit
	m := readMsg(t, phone)
	var refused struct {
		TabID     string `json:"tab_id"`
		Error     string
		Retryable bool
	}
	_ = json.Unmarshal(m.Payload, &refused)
	if m.Type != "tab_error" || refused.TabID != "loans" || !refused.Retryable || !strings.Contains(refused.Error, "too many") {
		t.Fatalf("over the limit: %s %s, want a retryable rate-limit tab_error for loans", m.Type, m.Payload)
	}
	send(t, projector, "ping", map[string]any{})
	for m := readMsg(t, projector); m.Type != "pong"; m = readMsg(t, projector) {
		if m.Type == "tab_error" || m.Type == "tab_selected" && strings.Contains(string(m.Payload), "loans") {
			t.Fatalf("the refusal reached another screen: %s %s", m.Type, m.Payload)
		}
	}

	// A screen that joins now gets the tabs filled so far, after its session message.
	late, _ := dial(t, a, "?session=tab-socket-1")
	var filled []string
	for _, m := range readUntil(t, late, "tab_content") {
		filled = append(filled, m.Type+" "+string(m.Payload)[:40])
	}
	if m := readMsg(t, late); m.Type != "tab_content" {
		t.Fatalf("the joining screen got %v then %s, want the two filled tabs", filled, m.Type)
	}
	send(t, phone, "tab", map[string]string{"tab_id": "accounts"}) // cached: free
	if msgs := readUntil(t, phone, "tab_content"); len(msgs) != 2 {
		t.Fatalf("a cached tab over the limit: %v, want it shown", raw(msgs))
	}
}

// TestPrefetchFillsEveryTabAfterASwitch: after a switch the server fills every tab but settings
// and tells every screen.
func TestPrefetchFillsEveryTabAfterASwitch(t *testing.T) {
	a := startApp(t, nil)
	laptop, _ := dial(t, a, "?session=prefetch-1")
	l := chatTurn(t, laptop, "Presto-Change-O, you're a bank")
	var sw struct {
		Mode struct {
			Tabs []struct{ ID string } `json:"tabs"`
		} `json:"mode"`
	}
	l.payload(t, "mode_switch", &sw)
	want := map[string]bool{}
	for _, tab := range sw.Mode.Tabs {
		if tab.ID != "settings" {
			want[tab.ID] = true
		}
	}
	for len(want) > 0 {
		m := readMsg(t, laptop)
		if m.Type != "tab_content" {
			t.Fatalf("%s while waiting for the prefetched tabs %v", m.Type, want)
		}
		var p struct {
			TabID string `json:"tab_id"`
		}
		_ = json.Unmarshal(m.Payload, &p)
		if !want[p.TabID] {
			t.Fatalf("tab_content for %q, not one of the tabs still expected %v", p.TabID, want)
		}
		delete(want, p.TabID)
	}
}

// TestPrefetchGivesWayToTheUsersTurn: a prefetch call in flight when the user asks a question is
// cancelled, the question is answered first, and the prefetch asks for that tab again afterwards.
func TestPrefetchGivesWayToTheUsersTurn(t *testing.T) {
	fake := llmtest.NewServer(t)
	a := startApp(t, map[string]string{"AZURE_PROJECT_ENDPOINT": fake.URL, "AZURE_API_KEY": "k"})
	tabChart := llmtest.ToolCalls("", llmtest.Call{Name: "show_chart", Arguments: chartArgs})
	fake.Enqueue(
		llmtest.ToolCalls("", llmtest.Call{Name: "switch_mode", Arguments: `{"industry":"bank"}`}), // 0: the switch
		llmtest.Text("", 1).ThenHang(),         // 1: the first tab's prefetch, hanging
		llmtest.Text("You have $4,215.37.", 2), // 2: the user's question
		tabChart, tabChart, tabChart, tabChart, // 3-6: the prefetch again, every tab but settings
	)
	conn, _ := dial(t, a, "?session=prefetch-yields-1")
	chatTurn(t, conn, "Presto-Change-O, you're a bank")
	waitRequest(t, fake, 1)
	if got := chatTurn(t, conn, "how much is in my checking account?").text(); got != "You have $4,215.37." {
		t.Fatalf("answer %q", got)
	}
	waitCanceled(t, fake, 1)
	reqs := fake.Requests()
	if q := reqs[2].LastUserMessage(); q != "how much is in my checking account?" {
		t.Fatalf("request 2 asked %q, want the user's question before the prefetch resumed", q)
	}
	for i := 0; i < 4; i++ { // the four tabs, the first one asked for again
		if m := readMsg(t, conn); m.Type != "tab_content" {
			t.Fatalf("%s, want the prefetched tabs", m.Type)
		}
	}
	if first, again := fake.Requests()[1].LastUserMessage(), fake.Requests()[3].LastUserMessage(); first != again {
		t.Fatalf("the paused tab was not asked for again: %q, then %q", first, again)
	}
}
