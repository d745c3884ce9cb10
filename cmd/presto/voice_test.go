package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"presto/internal/azauth/azauthtest"
	"presto/internal/llm/llmtest"
	"presto/internal/llm/realtimetest"
)

// voiceApp runs the app against one fake Azure host that answers realtime sockets and chat
// completions: a switch to the bank for a presto message, "ok" to anything else.
func voiceApp(t *testing.T, opts realtimetest.Options, env map[string]string) (*app, *realtimetest.Handler) {
	t.Helper()
	// Registered first, so it runs last: after the app, the fake and the sockets have closed, no
	// relay, meter or upstream reader may be left.
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
	rt := realtimetest.NewHandler(opts)
	mux := http.NewServeMux()
	mux.Handle("/openai/v1/realtime", rt)
	mux.Handle("/openai/realtime", rt)
	mux.Handle("/", llmtest.NewHandler(func(r *llmtest.Request) llmtest.Reply {
		if r.Body["tool_choice"] != nil { // the voice asked to show something: the tool is forced
			if strings.Contains(r.LastUserMessage(), "nothing to draw") {
				return llmtest.Text("I have no figures for that.", 1) // and no call: nothing drawn
			}
			return llmtest.ToolCalls("", llmtest.Call{Name: "show_chart", Arguments: chartArgs})
		}
		if strings.Contains(r.LastUserMessage(), "Presto") {
			return llmtest.ToolCalls("", llmtest.Call{Name: "switch_mode", Arguments: `{"industry":"bank"}`})
		}
		return llmtest.Text("ok", 1)
	}))
	fake := httptest.NewServer(mux)
	t.Cleanup(fake.Close)
	t.Cleanup(rt.Close)
	base := map[string]string{"AZURE_PROJECT_ENDPOINT": fake.URL, "AZURE_API_KEY": "voice-key",
		"AZURE_REALTIME_DEPLOYMENT": "rt-dep", "PRESTO_PREFETCH_TABS": "false"}
	for k, v := range env {
		base[k] = v
	}
	return startApp(t, base), rt
}

func dialVoice(t *testing.T, a *app, query string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(a.url, "http")+"/voice"+query, nil)
	if err != nil {
		t.Fatalf("dial /voice: %v", err)
	}
	conn.SetReadLimit(1 << 20)
	t.Cleanup(func() { conn.CloseNow() })
	return conn
}

// readStatus reads until a status message and returns its status.
func readStatus(t *testing.T, conn *websocket.Conn) (string, map[string]any) {
	t.Helper()
	for {
		m := readMsg(t, conn)
		if m.Type == "status" {
			var p map[string]any
			_ = json.Unmarshal(m.Payload, &p)
			return p["status"].(string), p
		}
	}
}

func waitConn(t *testing.T, rt *realtimetest.Handler, i int) *realtimetest.Conn {
	t.Helper()
	waitFor(t, fmt.Sprintf("upstream connection %d", i), func() bool { return len(rt.Conns()) > i })
	return rt.Conns()[i]
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// speak sends ms of speech then enough silence to end the utterance, in 100 ms frames.
func speak(t *testing.T, conn *websocket.Conn, ms int) {
	t.Helper()
	for sent := 0; sent < ms; sent += 100 {
		send(t, conn, "audio", map[string]string{"data": realtimetest.Speech(100)})
	}
	for range 6 {
		send(t, conn, "audio", map[string]string{"data": realtimetest.Silence(100)})
	}
}

// TestVoiceRelaysAQuestionAndItsSpokenAnswer: the upstream gets the GA session.update for the
// session's mode, persona and voice with the key; a spoken question comes back as both
// transcripts, the answer's audio in order and complete, its first-audio latency; the transcripts
// reach the session's /ws screens and its history.
func TestVoiceRelaysAQuestionAndItsSpokenAnswer(t *testing.T) {
	a, rt := voiceApp(t, realtimetest.Options{
		Transcribe: func(n, ms int) string { return "how much is in my checking account?" },
		Respond: func(realtimetest.Turn) realtimetest.Answer {
			return realtimetest.Answer{Text: "You have about four thousand dollars.", AudioMs: 1200}
		},
	}, nil)
	screen, _ := dial(t, a, "?session=voice-flow-1")
	chatTurn(t, screen, "Presto-Change-O, you're a bank")
	mic := dialVoice(t, a, "?session=voice-flow-1")
	if st, _ := readStatus(t, mic); st != "connecting" {
		t.Fatalf("first status %q, want connecting", st)
	}
	st, p := readStatus(t, mic)
	if st != "connected" || p["voice"] != "marin" {
		t.Fatalf("status %q %v, want connected with the default voice", st, p)
	}
	up := waitConn(t, rt, 0)
	if up.Deployment != "rt-dep" || up.Header.Get("api-key") != "voice-key" || up.Preview {
		t.Fatalf("upstream %s deployment %q key %q preview %v", up.Path, up.Deployment, up.Header.Get("api-key"), up.Preview)
	}
	update := up.ReceivedOfType("session.update")[0]["session"].(map[string]any)
	if update["type"] != "realtime" || !strings.Contains(update["instructions"].(string), "Summit Trust Bank") ||
		!strings.Contains(update["instructions"].(string), "short sentences") {
		t.Fatalf("session.update %v: want the GA shape with the bank's instructions", update)
	}
	audio := update["audio"].(map[string]any)
	if audio["output"].(map[string]any)["voice"] != "marin" ||
		audio["input"].(map[string]any)["turn_detection"].(map[string]any)["silence_duration_ms"] != 500.0 {
		t.Fatalf("audio settings %v", audio)
	}

	speak(t, mic, 500)
	var got []int16
	var types []string
	var userLine, assistantLine string
	for assistantLine == "" {
		m := readMsg(t, mic)
		types = append(types, m.Type)
		var p struct {
			ItemID string `json:"item_id"`
			Data   string
			Role   string
			Text   string
			Final  bool
		}
		_ = json.Unmarshal(m.Payload, &p)
		switch {
		case m.Type == "audio":
			pcm, err := realtimetest.DecodePCM(p.Data)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, pcm...)
		case m.Type == "transcript" && p.Final && p.Role == "user":
			userLine = p.Text
		case m.Type == "transcript" && p.Final && p.Role == "assistant":
			assistantLine = p.Text
		}
	}
	if err := realtimetest.CheckNumbered(got, 0); err != nil || len(got) != 1200*24 {
		t.Fatalf("assistant audio: %d samples (%v), want 1200 ms in order", len(got), err)
	}
	for _, want := range []string{"speech_started", "speech_stopped", "latency"} {
		if !strings.Contains(strings.Join(types, " "), want) {
			t.Fatalf("messages %v lack %s", types, want)
		}
	}
	if userLine != "how much is in my checking account?" || assistantLine != "You have about four thousand dollars." {
		t.Fatalf("transcripts %q / %q", userLine, assistantLine)
	}

	// The dashboard's socket saw both lines, and the history keeps them in order.
	var onScreen []string
	for len(onScreen) < 2 {
		m := readMsg(t, screen)
		var p struct {
			Role  string
			Text  string
			Final bool
		}
		_ = json.Unmarshal(m.Payload, &p)
		if m.Type == "transcript" && p.Final {
			onScreen = append(onScreen, p.Role+": "+p.Text)
		}
	}
	if onScreen[0] != "user: "+userLine || onScreen[1] != "assistant: "+assistantLine {
		t.Fatalf("the /ws screen saw %v", onScreen)
	}
	var state struct {
		History []struct{ Role, Content string }
	}
	getJSON(t, a.url+"/api/state?session=voice-flow-1", &state)
	n := len(state.History)
	if n < 2 || state.History[n-2].Content != userLine || state.History[n-1].Content != assistantLine {
		t.Fatalf("history %v, want the spoken question then its answer", state.History)
	}
}

// TestVoiceBargeInTruncatesToWhatWasPlayed: speech over the answer is forwarded, and the browser's
// played figure becomes the truncate; with nothing played, none.
func TestVoiceBargeInTruncatesToWhatWasPlayed(t *testing.T) {
	a, rt := voiceApp(t, realtimetest.Options{
		Respond: func(realtimetest.Turn) realtimetest.Answer {
			return realtimetest.Answer{Text: "A long answer that the user will interrupt.", AudioMs: 3000}
		},
		ChunkDelay: 20 * time.Millisecond,
	}, nil)
	mic := dialVoice(t, a, "?session=voice-barge-1")
	readStatus(t, mic)
	readStatus(t, mic)
	up := waitConn(t, rt, 0)

	speak(t, mic, 300)
	var item string
	for item == "" {
		if m := readMsg(t, mic); m.Type == "audio" {
			var p struct {
				ItemID string `json:"item_id"`
			}
			_ = json.Unmarshal(m.Payload, &p)
			item = p.ItemID
		}
	}
	send(t, mic, "audio", map[string]string{"data": realtimetest.Speech(100)}) // the user talks over it
	for m := readMsg(t, mic); m.Type != "speech_started"; m = readMsg(t, mic) {
	}
	send(t, mic, "played", map[string]any{"item_id": item, "ms": 60})
	waitFor(t, "the truncate", func() bool { return len(up.Truncations()) > 0 })
	tr := up.Truncations()
	if len(tr) != 1 || tr[0].ItemID != item || !tr[0].Accepted || tr[0].AudioEndMs != 60 || tr[0].AudioEndMs > tr[0].SentMs {
		t.Fatalf("truncations %+v, want one accepted at the 60 ms played", tr)
	}
	for _, e := range up.Errors() {
		if e.Code == "response_cancel_not_active" {
			t.Fatalf("the relay cancelled a response itself: %+v", e)
		}
	}

	// Nothing played of an item: no truncate.
	send(t, mic, "played", map[string]any{"item_id": item, "ms": 0})
	send(t, mic, "ping", map[string]any{})
	for m := readMsg(t, mic); m.Type != "pong"; m = readMsg(t, mic) {
	}
	if n := len(up.Truncations()); n != 1 {
		t.Fatalf("%d truncations after a played of 0 ms, want still 1", n)
	}
}

// TestVoiceBargeInAfterAllTheAudioCame: the model sends audio faster than it plays, so the user
// often speaks over an answer whose audio has all been relayed; that is still a barge-in, with the
// browser's figure as the truncate. An answer the browser played to its end is not truncated.
func TestVoiceBargeInAfterAllTheAudioCame(t *testing.T) {
	a, rt := voiceApp(t, realtimetest.Options{
		Respond: func(realtimetest.Turn) realtimetest.Answer {
			return realtimetest.Answer{Text: "An answer that arrives at once.", AudioMs: 3000}
		},
	}, nil)
	mic := dialVoice(t, a, "?session=voice-barge-2")
	readStatus(t, mic)
	readStatus(t, mic)
	up := waitConn(t, rt, 0)

	// utter speaks ms (then the silence that ends the utterance) and reads until the answer's
	// audio has all been relayed, so each step starts with no response in flight.
	utter := func(ms int) string {
		speak(t, mic, ms)
		for {
			if m := readMsg(t, mic); m.Type == "audio_done" {
				var p struct {
					ItemID string `json:"item_id"`
				}
				_ = json.Unmarshal(m.Payload, &p)
				return p.ItemID
			}
		}
	}
	// bargeIn starts talking and answers the speech_started with what was played of item.
	bargeIn := func(item string, played int) {
		send(t, mic, "audio", map[string]string{"data": realtimetest.Speech(100)})
		for m := readMsg(t, mic); m.Type != "speech_started"; m = readMsg(t, mic) {
		}
		send(t, mic, "played", map[string]any{"item_id": item, "ms": played})
	}

	first := utter(300)
	bargeIn(first, 1000)
	waitFor(t, "the truncate", func() bool { return len(up.Truncations()) == 1 })
	if tr := up.Truncations()[0]; tr.ItemID != first || tr.AudioEndMs != 1000 || !tr.Accepted {
		t.Fatalf("truncation %+v, want %s at 1000 ms, accepted", tr, first)
	}

	second := utter(0)                                                    // the barge-in's own answer
	send(t, mic, "played", map[string]any{"item_id": second, "ms": 3000}) // it played to its end
	bargeIn(second, 3000)
	utter(0) // its answer: the played message before it has been handled
	if n := len(up.Truncations()); n != 1 {
		t.Fatalf("%d truncations after an answer played to its end, want still 1: %+v", n, up.Truncations())
	}
}

// TestVoiceMuteStopAndReconnect: muted audio is not forwarded; an upstream that ends its session
// is replaced (reconnecting, connected) with the same session.update and the conversation
// re-seeded; stop closes the upstream at once.
func TestVoiceMuteStopAndReconnect(t *testing.T) {
	a, rt := voiceApp(t, realtimetest.Options{EndAfter: 400 * time.Millisecond}, nil)
	screen, _ := dial(t, a, "?session=voice-long-1")
	for _, q := range []string{"hello there", "what about savings", "and my loans", "and my cards"} {
		chatTurn(t, screen, q)
	}
	mic := dialVoice(t, a, "?session=voice-long-1")
	readStatus(t, mic)
	readStatus(t, mic)
	first := waitConn(t, rt, 0)

	send(t, mic, "mute", map[string]bool{"muted": true})
	send(t, mic, "audio", map[string]string{"data": realtimetest.Speech(100)})
	send(t, mic, "ping", map[string]any{})
	for m := readMsg(t, mic); m.Type != "pong"; m = readMsg(t, mic) {
	}
	if n := len(first.ReceivedOfType("input_audio_buffer.append")); n != 0 {
		t.Fatalf("%d audio frames forwarded while muted", n)
	}
	send(t, mic, "mute", map[string]bool{"muted": false})

	if st, _ := readStatus(t, mic); st != "reconnecting" {
		t.Fatalf("after the upstream ended: %q, want reconnecting", st)
	}
	if st, _ := readStatus(t, mic); st != "connected" {
		t.Fatalf("then %q, want connected", st)
	}
	second := waitConn(t, rt, 1)
	updates := second.ReceivedOfType("session.update")
	if len(updates) != 1 {
		t.Fatal("the new upstream got no session.update")
	}
	// The oldest question is summed up in the instructions; the last six lines come as items.
	if instr := mustJSON(updates[0]); !strings.Contains(instr, `Earlier in this conversation the customer asked, in order: \"hello there\"`) {
		t.Fatalf("the new session's instructions have no summary of what was asked: %s", instr)
	}
	var seeded []realtimetest.Event
	waitFor(t, "the re-seeded lines", func() bool { // the fake records what it reads on its own goroutine
		seeded = second.ReceivedOfType("conversation.item.create")
		return len(seeded) >= 6
	})
	if len(seeded) != 6 || !strings.Contains(mustJSON(seeded[0]), "what about savings") || strings.Contains(mustJSON(seeded), "hello there") {
		t.Fatalf("re-seeded items %v, want the last six lines from the second question on", seeded)
	}

	send(t, mic, "stop", map[string]any{})
	select {
	case <-second.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("stop left the upstream open")
	}
}

// TestVoiceRenewsTheUpstreamBeforeItExpires: an upstream session that says when it expires is
// replaced before then, at a quiet moment (after the answer being spoken, not in its middle), with
// the conversation re-seeded, and counted as a renewal.
func TestVoiceRenewsTheUpstreamBeforeItExpires(t *testing.T) {
	a, rt := voiceApp(t, realtimetest.Options{
		ExpiresIn: 4 * time.Second, // renewed halfway, 1.5 to 2 s after the connect
		Respond: func(realtimetest.Turn) realtimetest.Answer {
			return realtimetest.Answer{Text: "An answer still being spoken when the renewal is due.", AudioMs: 20_000}
		},
		ChunkDelay: 20 * time.Millisecond, // 200 chunks: the answer streams for 4 s
	}, nil)
	mic := dialVoice(t, a, "?session=voice-renew-1")
	readStatus(t, mic)
	readStatus(t, mic)
	first := waitConn(t, rt, 0)
	speak(t, mic, 200)

	audioDone := false
	for {
		m := readMsg(t, mic)
		if m.Type == "audio_done" {
			audioDone = true
		}
		if m.Type == "status" {
			var p struct{ Status string }
			_ = json.Unmarshal(m.Payload, &p)
			if p.Status != "reconnecting" {
				t.Fatalf("status %q before the renewal, want reconnecting", p.Status)
			}
			break
		}
	}
	if !audioDone {
		t.Fatal("the upstream was renewed in the middle of an answer")
	}
	if st, _ := readStatus(t, mic); st != "connected" {
		t.Fatalf("after the renewal: %q, want connected", st)
	}
	select {
	case <-first.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the expiring upstream was left open")
	}
	waitConn(t, rt, 1)
	if got := scrape(t, a); !strings.Contains(got, `presto_voice_upstream_connects_total{provider="azure",result="renew"} 1`) {
		t.Fatalf("no renewal counted in /metrics:\n%s", got)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestVoiceWithoutARealtimeModel: the offline assistant answers /voice with a status error a
// presenter can act on; an oversized message closes with 1009.
func TestVoiceWithoutARealtimeModel(t *testing.T) {
	a := startApp(t, nil)
	mic := dialVoice(t, a, "?session=voice-offline-1")
	st, p := readStatus(t, mic)
	if st != "error" || !strings.Contains(p["reason"].(string), "Voice needs a realtime model") {
		t.Fatalf("status %q %v", st, p)
	}
	big := `{"type":"audio","payload":{"data":"` + strings.Repeat("A", 300<<10) + `"}}`
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = mic.Write(ctx, websocket.MessageText, []byte(big))
	_, _, err := mic.Read(ctx)
	if websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Fatalf("after a 300 KB message: %v, want close 1009", err)
	}
}

// TestVoiceVisualizationThatFails: when the chat model draws nothing for a spoken request, every
// screen is told (visualization_error, to take its placeholder down) and so is the voice, never
// that it is on screen.
func TestVoiceVisualizationThatFails(t *testing.T) {
	a, rt := voiceApp(t, realtimetest.Options{
		Respond: func(turn realtimetest.Turn) realtimetest.Answer {
			if turn.N == 1 {
				return realtimetest.Answer{Text: "Let me show you.", AudioMs: 200, Calls: []realtimetest.Call{{CallID: "c1",
					Name: "request_visualization", Arguments: `{"vis_type":"chart","description":"nothing to draw"}`}}}
			}
			return realtimetest.Answer{Text: "Done.", AudioMs: 200}
		},
	}, nil)
	screen, _ := dial(t, a, "?session=voice-vis-fails-1")
	mic := dialVoice(t, a, "?session=voice-vis-fails-1")
	readStatus(t, mic)
	readStatus(t, mic)
	up := waitConn(t, rt, 0)
	speak(t, mic, 300)
	for _, conn := range []*websocket.Conn{screen, mic} {
		for _, want := range []string{"visualization_generating", "visualization_error"} {
			m := readMsg(t, conn)
			for ; m.Type != want; m = readMsg(t, conn) {
				if m.Type == "tool_result" {
					t.Fatalf("a tool_result for a visualization that drew nothing: %s", m.Payload)
				}
			}
			if want == "visualization_error" && !strings.Contains(string(m.Payload), "nothing to draw for that") {
				t.Fatalf("visualization_error %s, want the reason", m.Payload)
			}
		}
	}
	waitFor(t, "the voice told the chart could not be shown", func() bool {
		return strings.Contains(mustJSON(up.ReceivedOfType("conversation.item.create")), "could not be shown")
	})
	if strings.Contains(mustJSON(up.ReceivedOfType("conversation.item.create")), "is now on the customer") {
		t.Fatal("the voice was told a chart that failed is on screen")
	}
}

// TestVoiceVisualizationAndModeSwitch: request_visualization answers at once, the chat model draws
// the chart (tool forced) on the /voice socket and on the session's /ws screen, and the voice is
// told it is on screen without a response.create while one is active; switch_mode by voice puts
// the new mode on every screen and re-instructs the voice for it.
func TestVoiceVisualizationAndModeSwitch(t *testing.T) {
	a, rt := voiceApp(t, realtimetest.Options{
		Transcribe: func(n, ms int) string {
			return []string{"", "show my checking balance", "Presto-Change-O, you're an insurer"}[n]
		},
		Respond: func(turn realtimetest.Turn) realtimetest.Answer {
			switch {
			case len(turn.Outputs) > 0:
				return realtimetest.Answer{Text: "Done.", AudioMs: 200}
			case turn.N == 1:
				return realtimetest.Answer{Text: "Let me show you.", AudioMs: 300, Calls: []realtimetest.Call{{CallID: "c1",
					Name: "request_visualization", Arguments: `{"vis_type":"chart","description":"checking balance over six months"}`}}}
			default:
				return realtimetest.Answer{AudioMs: 0, Calls: []realtimetest.Call{{CallID: "c2",
					Name: "switch_mode", Arguments: `{"industry":"insurance"}`}}}
			}
		},
	}, nil)
	screen, _ := dial(t, a, "?session=voice-tools-1")
	chatTurn(t, screen, "Presto-Change-O, you're a bank")
	mic := dialVoice(t, a, "?session=voice-tools-1")
	readStatus(t, mic)
	readStatus(t, mic)
	up := waitConn(t, rt, 0)

	speak(t, mic, 300)
	for _, want := range []string{"visualization_generating", "tool_result"} {
		for m := readMsg(t, mic); m.Type != want; m = readMsg(t, mic) {
		}
	}
	for _, want := range []string{"visualization_generating", "tool_result"} {
		for m := readMsg(t, screen); m.Type != want; m = readMsg(t, screen) {
		}
	}
	// The output, one response.create after the calling response ended, then the note.
	deadline := time.Now().Add(5 * time.Second)
	noted := func() bool {
		for _, ev := range up.ReceivedOfType("conversation.item.create") {
			if strings.Contains(mustJSON(ev), "is now on the customer") {
				return true
			}
		}
		return false
	}
	for !noted() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !noted() {
		t.Fatalf("the voice was never told the chart is on screen: %v", up.ReceivedOfType("conversation.item.create"))
	}
	for _, e := range up.Errors() {
		if e.Code == "conversation_already_has_active_response" {
			t.Fatalf("response.create while a response was active: %+v", e)
		}
	}

	speak(t, mic, 300) // "Presto-Change-O, you're an insurer"
	for m := readMsg(t, screen); m.Type != "mode_switch"; m = readMsg(t, screen) {
	}
	for m := readMsg(t, mic); m.Type != "mode_switch"; m = readMsg(t, mic) {
	}
	deadline = time.Now().Add(5 * time.Second)
	for len(up.ReceivedOfType("session.update")) < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	updates := up.ReceivedOfType("session.update")
	if len(updates) < 2 || !strings.Contains(mustJSON(updates[len(updates)-1]), "Harborline Mutual") {
		t.Fatalf("session.updates %d, want a second naming the insurer", len(updates))
	}
}

// TestVoiceLimitsPreviewFallbackAndVoiceChange: past PRESTO_MAX_VOICE_SESSIONS a /voice socket is
// told voice is busy; a GA route that answers 404 falls back to the preview form and its names;
// a voice chosen after the model has spoken opens a new upstream session with it.
func TestVoiceLimitsPreviewFallbackAndVoiceChange(t *testing.T) {
	a, rt := voiceApp(t, realtimetest.Options{
		Respond: func(realtimetest.Turn) realtimetest.Answer { return realtimetest.Answer{Text: "Hello.", AudioMs: 200} },
	}, map[string]string{"PRESTO_MAX_VOICE_SESSIONS": "1"})
	rt.RefuseNextGA(1, http.StatusNotFound)
	screen, _ := dial(t, a, "?session=voice-limits-1") // a dashboard open beside the voice
	mic := dialVoice(t, a, "?session=voice-limits-1")
	readStatus(t, mic)
	if st, p := readStatus(t, mic); st != "connected" {
		t.Fatalf("status %q %v, want connected through the preview form", st, p)
	}
	if up := waitConn(t, rt, 0); !up.Preview {
		t.Fatalf("connected to %s, want the preview route after the GA 404", up.Path)
	}
	other := dialVoice(t, a, "?session=voice-limits-2")
	if st, p := readStatus(t, other); st != "error" || !strings.Contains(p["reason"].(string), "voice is busy") {
		t.Fatalf("a second voice session: %q %v, want busy", st, p)
	}

	speak(t, mic, 300)
	for m := readMsg(t, mic); m.Type != "audio_done"; m = readMsg(t, mic) {
	}
	if status, _ := postJSON(t, a.url+"/api/voice-preference?session=voice-limits-1", `{"voice":"cedar"}`); status != 200 {
		t.Fatalf("choose a voice: %d", status)
	}
	if st, _ := readStatus(t, mic); st != "reconnecting" {
		t.Fatalf("after a new voice: %q, want reconnecting", st)
	}
	if st, p := readStatus(t, mic); st != "connected" || p["voice"] != "cedar" {
		t.Fatalf("then %q %v, want connected with cedar", st, p)
	}
	send(t, screen, "ping", map[string]any{})
	for m := readMsg(t, screen); m.Type != "pong"; m = readMsg(t, screen) {
	}
	update := waitConn(t, rt, 1).ReceivedOfType("session.update")
	if len(update) != 1 || !strings.Contains(mustJSON(update[0]), `"voice":"cedar"`) {
		t.Fatalf("the new upstream session's update: %v", update)
	}
}

// TestVoiceSignsInWithEntraIDAtEveryConnect: without a key, each upstream connect, the first and
// the one after the upstream ended, carries a bearer token from the process's cache (az is asked
// once for its lifetime), and no api-key.
func TestVoiceSignsInWithEntraIDAtEveryConnect(t *testing.T) {
	az := azauthtest.InstallFakeAz(t, azauthtest.AzOptions{})
	a, rt := voiceApp(t, realtimetest.Options{EndAfter: 300 * time.Millisecond},
		map[string]string{"AZURE_API_KEY": "", "AZURE_AUTH": "cli"})
	mic := dialVoice(t, a, "?session=voice-entra-1")
	readStatus(t, mic)
	readStatus(t, mic)
	if st, _ := readStatus(t, mic); st != "reconnecting" {
		t.Fatalf("%q, want reconnecting after the upstream ended", st)
	}
	if st, _ := readStatus(t, mic); st != "connected" {
		t.Fatalf("%q, want connected again", st)
	}
	for i := range 2 {
		h := waitConn(t, rt, i).Header
		if h.Get("Authorization") != "Bearer "+az.Token || h.Get("api-key") != "" {
			t.Fatalf("connect %d signed in with %q / api-key %q", i, h.Get("Authorization"), h.Get("api-key"))
		}
	}
	if calls := az.Calls(t); len(calls) != 1 {
		t.Fatalf("az ran %d times for two connects, want once (the token is cached)", len(calls))
	}
}

// TestVoiceOriginRule: /voice keeps the /ws origin rule: a page of another site is refused (403).
func TestVoiceOriginRule(t *testing.T) {
	a := startApp(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(a.url, "http") + "/voice"
	_, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example"}}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a cross-site upgrade: %v (%v), want 403", err, resp)
	}
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://localhost:5173"}}})
	if err != nil {
		t.Fatalf("an allowed origin refused: %v", err)
	}
	conn.CloseNow()
}
