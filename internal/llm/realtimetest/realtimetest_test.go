package realtimetest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/openai/openai-go/v3/realtime"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// client is a plain WebSocket client, as a relay would be.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, url string, hdr http.Header) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: hdr})
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	ws.SetReadLimit(4 << 20)
	t.Cleanup(func() { _ = ws.CloseNow() })
	return &client{t: t, ws: ws}
}

func (c *client) send(v any) {
	c.t.Helper()
	b, _ := json.Marshal(v)
	if err := c.ws.Write(context.Background(), websocket.MessageText, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *client) next() (Event, []byte) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	typ, b, err := c.ws.Read(ctx)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	if typ != websocket.MessageText {
		c.t.Fatalf("a binary frame")
	}
	var e Event
	if err := json.Unmarshal(b, &e); err != nil {
		c.t.Fatalf("decode %s: %v", b, err)
	}
	return e, b
}

// until reads events up to and including one of type typ; it returns the events read before it.
func (c *client) until(typ string) (before []Event, ev Event, raw []byte) {
	c.t.Helper()
	for {
		e, b := c.next()
		if e.Type() == typ {
			return before, e, b
		}
		before = append(before, e)
	}
}

func types(evs []Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type()
	}
	return out
}

func gaSession(silenceMs int) map[string]any {
	return map[string]any{"type": "session.update", "session": map[string]any{
		"type": "realtime", "instructions": "Be brief.", "output_modalities": []string{"audio"},
		"audio": map[string]any{
			"input": map[string]any{"format": map[string]any{"type": "audio/pcm", "rate": 24000},
				"turn_detection": map[string]any{"type": "server_vad", "silence_duration_ms": silenceMs, "create_response": true, "interrupt_response": true}},
			"output": map[string]any{"format": map[string]any{"type": "audio/pcm", "rate": 24000}, "voice": "marin"},
		},
	}}
}

func speak(c *client, speechMs, silenceMs int) {
	for range speechMs / 100 {
		c.send(map[string]any{"type": "input_audio_buffer.append", "audio": Speech(100)})
	}
	for range silenceMs / 100 {
		c.send(map[string]any{"type": "input_audio_buffer.append", "audio": Silence(100)})
	}
}

func TestSessionUpdateAndRecording(t *testing.T) {
	s := NewServer(t, Options{})
	c := dial(t, s.GAURL("gpt-realtime"), http.Header{"Api-Key": {"secret-key"}})
	created, _ := c.next()
	sess, _ := created["session"].(map[string]any)
	if created.Type() != "session.created" || sess["expires_at"].(float64) < float64(time.Now().Add(29*time.Minute).Unix()) {
		t.Fatalf("first event %v", created)
	}
	c.send(gaSession(200))
	upd, _ := c.next()
	sess, _ = upd["session"].(map[string]any)
	if upd.Type() != "session.updated" || sess["instructions"] != "Be brief." || sess["type"] != "realtime" {
		t.Fatalf("answer %v", upd)
	}
	c.send(map[string]any{"type": "session.update", "session": map[string]any{"instructions": "no type"}})
	if e, _ := c.next(); e.Type() != "error" || !strings.Contains(e["error"].(map[string]any)["message"].(string), "session.type") {
		t.Errorf("an update without type: %v", e)
	}
	conn := s.Conn(0)
	if conn.Header.Get("api-key") != "secret-key" || conn.Header.Get("Authorization") != "" || conn.Deployment != "gpt-realtime" ||
		conn.URL != "/openai/v1/realtime?model=gpt-realtime" || conn.Preview {
		t.Errorf("recorded %+v", conn)
	}
	got := s.WaitReceived(conn, "session.update", 2)
	if got[0]["session"].(map[string]any)["instructions"] != "Be brief." {
		t.Errorf("recorded event %v", got[0])
	}
	if a := s.Attempts(); len(a) != 1 || a[0].Status != http.StatusSwitchingProtocols {
		t.Errorf("attempts %+v", a)
	}
}

func TestSpeechTurnStreamsNumberedAudio(t *testing.T) {
	var turns []Turn
	s := NewServer(t, Options{
		Transcribe: func(n, ms int) string { return "hello there" },
		Respond: func(turn Turn) Answer {
			turns = append(turns, turn)
			return Answer{Text: "Hi! You said hello there.", AudioMs: 1050}
		},
	})
	c := dial(t, s.OpenAIURL("gpt-realtime"), http.Header{"Authorization": {"Bearer tok"}})
	c.next()
	c.send(gaSession(200))
	c.until("session.updated")
	speak(c, 300, 200)

	before, _, raw := c.until("response.created")
	want := []string{"input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.committed",
		"conversation.item.added", "conversation.item.input_audio_transcription.completed"}
	if strings.Join(types(before), ",") != strings.Join(want, ",") {
		t.Fatalf("before the response: %v", types(before))
	}
	var started realtime.InputAudioBufferSpeechStartedEvent
	b, _ := json.Marshal(before[0])
	if err := json.Unmarshal(b, &started); err != nil || started.AudioStartMs != 0 || started.ItemID == "" {
		t.Errorf("speech_started %+v (%v)", started, err)
	}
	if stopped := before[1]; stopped["audio_end_ms"].(float64) != 500 {
		t.Errorf("speech_stopped %v", stopped)
	}
	if tr := before[4]; tr["transcript"] != "hello there" || tr["item_id"] != started.ItemID {
		t.Errorf("transcription %v", tr)
	}
	var rc realtime.ResponseCreatedEvent
	if err := json.Unmarshal(raw, &rc); err != nil || rc.Response.ID == "" {
		t.Fatalf("response.created %s (%v)", raw, err)
	}

	var audio []int16
	var transcript string
	var item string
	var evs []string
	for {
		e, b := c.next()
		evs = append(evs, e.Type())
		switch e.Type() {
		case "response.output_audio.delta":
			var d realtime.ResponseAudioDeltaEvent
			if err := json.Unmarshal(b, &d); err != nil {
				t.Fatal(err)
			}
			pcm, err := DecodePCM(d.Delta)
			if err != nil {
				t.Fatal(err)
			}
			audio = append(audio, pcm...)
			item = d.ItemID
		case "response.output_audio_transcript.delta":
			transcript += e["delta"].(string)
		case "response.output_audio_transcript.done":
			if e["transcript"] != "Hi! You said hello there." {
				t.Errorf("transcript done %v", e)
			}
		}
		if e.Type() == "response.done" {
			var d realtime.ResponseDoneEvent
			if err := json.Unmarshal(b, &d); err != nil || d.Response.Status != "completed" || d.Response.ID != rc.Response.ID || len(d.Response.Output) != 1 {
				t.Errorf("response.done %s (%v)", b, err)
			}
			break
		}
	}
	if len(audio) != 1050*24 {
		t.Errorf("%d samples, want %d", len(audio), 1050*24)
	}
	if err := CheckNumbered(audio, 0); err != nil {
		t.Error(err)
	}
	if transcript != "Hi! You said hello there." {
		t.Errorf("transcript deltas join to %q", transcript)
	}
	for _, typ := range []string{"response.output_item.added", "conversation.item.added", "response.output_audio.done", "response.output_item.done"} {
		if !strings.Contains(strings.Join(evs, ","), typ) {
			t.Errorf("no %s in %v", typ, evs)
		}
	}
	if got := s.Conn(0).AudioSentMs(item); got != 1050 {
		t.Errorf("audio sent for the item: %d ms", got)
	}
	if len(turns) != 1 || turns[0].Transcript != "hello there" || turns[0].Create != nil || turns[0].N != 1 {
		t.Errorf("turns %+v", turns)
	}
}

func TestTranscriptMayComeAfterTheAnswerStarted(t *testing.T) {
	s := NewServer(t, Options{TranscriptDelay: 40 * time.Millisecond, ChunkDelay: 20 * time.Millisecond})
	c := dial(t, s.GAURL("d"), nil)
	c.next()
	speak(c, 100, 500)
	before, _, _ := c.until("conversation.item.input_audio_transcription.completed")
	if !strings.Contains(strings.Join(types(before), ","), "response.output_audio.delta") {
		t.Errorf("the transcript came before the answer's audio: %v", types(before))
	}
	c.until("response.done")
}

func TestOneActiveResponseAndToolCalls(t *testing.T) {
	var turns []Turn
	s := NewServer(t, Options{ChunkDelay: 10 * time.Millisecond, Respond: func(turn Turn) Answer {
		turns = append(turns, turn)
		if turn.N == 1 {
			return Answer{Text: "Let me show you.", AudioMs: 400, Calls: []Call{{CallID: "call_vis", Name: "request_visualization", Arguments: `{"vis_type":"chart"}`}}}
		}
		return Answer{Text: "It is on your screen.", AudioMs: 200}
	}})
	c := dial(t, s.GAURL("d"), nil)
	c.next()
	c.send(map[string]any{"type": "response.create"})
	c.until("response.created")
	c.send(map[string]any{"type": "response.create"})
	_, _, raw := c.until("error")
	var e realtime.RealtimeErrorEvent
	if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code != "conversation_already_has_active_response" {
		t.Fatalf("error %s (%v)", raw, err)
	}
	_, _, raw = c.until("response.function_call_arguments.done")
	var fc realtime.ResponseFunctionCallArgumentsDoneEvent
	if err := json.Unmarshal(raw, &fc); err != nil || fc.CallID != "call_vis" || fc.Name != "request_visualization" || fc.Arguments != `{"vis_type":"chart"}` {
		t.Fatalf("call %s (%v)", raw, err)
	}
	_, done, _ := c.until("response.done")
	if out := done["response"].(map[string]any)["output"].([]any); len(out) != 2 {
		t.Errorf("response.done output %v", out)
	}
	c.send(map[string]any{"type": "conversation.item.create", "item": map[string]any{"type": "function_call_output", "call_id": "call_vis", "output": "on your screen in a moment"}})
	if ev, _ := c.next(); ev.Type() != "conversation.item.added" {
		t.Errorf("item.create answered %v", ev)
	}
	c.send(map[string]any{"type": "response.create"})
	c.until("response.created")
	c.until("response.done")

	conn := s.Conn(0)
	if errs := conn.Errors(); len(errs) != 1 || errs[0].Code != "conversation_already_has_active_response" {
		t.Errorf("errors %+v", errs)
	}
	if len(turns) != 2 || len(turns[1].Outputs) != 1 || turns[1].Outputs[0] != (FunctionOutput{"call_vis", "on your screen in a moment"}) || turns[1].Create == nil {
		t.Errorf("turns %+v", turns)
	}
	if got := types(conn.ReceivedOfType("conversation.item.create")); len(got) != 1 {
		t.Errorf("recorded item.create: %v", got)
	}
}

func TestBargeInCancelsAndTruncate(t *testing.T) {
	s := NewServer(t, Options{ChunkDelay: 15 * time.Millisecond, Respond: func(Turn) Answer { return Answer{Text: "A long answer.", AudioMs: 3000} }})
	c := dial(t, s.GAURL("d"), nil)
	c.next()
	speak(c, 100, 500)
	_, first, _ := c.until("response.output_audio.delta")
	item := first["item_id"].(string)
	c.until("response.output_audio.delta")
	// The user talks over the answer.
	c.send(map[string]any{"type": "input_audio_buffer.append", "audio": Speech(100)})
	c.until("input_audio_buffer.speech_started")
	_, done, raw := c.until("response.done")
	var d realtime.ResponseDoneEvent
	if err := json.Unmarshal(raw, &d); err != nil || d.Response.Status != "cancelled" {
		t.Fatalf("response.done %v (%v)", done, err)
	}
	// response.cancel now finds nothing to cancel; its error is a barrier: no audio came between.
	c.send(map[string]any{"type": "response.cancel"})
	between, errEv, _ := c.until("error")
	for _, e := range between {
		if strings.HasPrefix(e.Type(), "response.output_audio") {
			t.Errorf("%s after the cancel", e.Type())
		}
	}
	if code := errEv["error"].(map[string]any)["code"]; code != "response_cancel_not_active" {
		t.Errorf("cancel error %v", errEv)
	}
	conn := s.Conn(0)
	sent := conn.AudioSentMs(item)
	if sent <= 0 || sent >= 3000 {
		t.Fatalf("sent %d ms of the item", sent)
	}
	c.send(map[string]any{"type": "conversation.item.truncate", "item_id": item, "content_index": 0, "audio_end_ms": sent})
	if ev, _ := c.next(); ev.Type() != "conversation.item.truncated" || ev["audio_end_ms"].(float64) != float64(sent) {
		t.Errorf("truncate answered %v", ev)
	}
	c.send(map[string]any{"type": "conversation.item.truncate", "item_id": item, "content_index": 0, "audio_end_ms": sent + 1000})
	ev, _ := c.next()
	if msg, _ := ev["error"].(map[string]any)["message"].(string); ev.Type() != "error" || !strings.Contains(msg, "is already shorter than") {
		t.Errorf("a truncate beyond the audio answered %v", ev)
	}
	tr := conn.Truncations()
	if len(tr) != 2 || !tr[0].Accepted || tr[1].Accepted || tr[1].SentMs != sent || tr[1].AudioEndMs != sent+1000 {
		t.Errorf("truncations %+v", tr)
	}
	// The second utterance (the barge-in) still ends and gets its own answer.
	speak(c, 0, 500)
	c.until("input_audio_buffer.speech_stopped")
	c.until("response.created")
}

func TestInterruptResponseOff(t *testing.T) {
	s := NewServer(t, Options{ChunkDelay: 5 * time.Millisecond})
	c := dial(t, s.GAURL("d"), nil)
	c.next()
	upd := gaSession(500)
	upd["session"].(map[string]any)["audio"].(map[string]any)["input"].(map[string]any)["turn_detection"].(map[string]any)["interrupt_response"] = false
	c.send(upd)
	c.until("session.updated")
	speak(c, 100, 500)
	c.until("response.output_audio.delta")
	c.send(map[string]any{"type": "input_audio_buffer.append", "audio": Speech(100)})
	_, done, _ := c.until("response.done")
	if st := done["response"].(map[string]any)["status"]; st != "completed" {
		t.Errorf("status %v with interrupt_response off", st)
	}
}

func TestSessionEnds(t *testing.T) {
	for _, withError := range []bool{false, true} {
		s := NewServer(t, Options{EndAfter: 80 * time.Millisecond, EndWithError: withError})
		c := dial(t, s.GAURL("d"), nil)
		created, _ := c.next()
		if exp := created["session"].(map[string]any)["expires_at"].(float64); exp > float64(time.Now().Add(time.Minute).Unix()) {
			t.Errorf("expires_at %v is not near", exp)
		}
		start := time.Now()
		if withError {
			e, _ := c.next()
			if e.Type() != "error" || e["error"].(map[string]any)["code"] != "session_expired" {
				t.Errorf("before the close: %v", e)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, _, err := c.ws.Read(ctx)
		cancel()
		if websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Errorf("read ended with %v, want close 1001", err)
		}
		if withError {
			continue
		}
		if d := time.Since(start); d < 50*time.Millisecond {
			t.Errorf("closed after %v", d)
		}
		select {
		case <-s.Conn(0).Done():
		case <-time.After(2 * time.Second):
			t.Error("the connection did not end")
		}
	}
}

func TestPreviewPath(t *testing.T) {
	s := NewServer(t, Options{})
	c := dial(t, s.PreviewURL("gpt-4o-realtime-preview", "2025-04-01-preview"), nil)
	c.next()
	c.send(gaSession(500))
	e, _ := c.next()
	if msg, _ := e["error"].(map[string]any)["message"].(string); e.Type() != "error" || !strings.Contains(msg, "Unknown parameter: 'session.output_modalities'") {
		t.Fatalf("a GA session on the preview path: %v", e)
	}
	c.send(map[string]any{"type": "session.update", "session": map[string]any{"modalities": []string{"audio", "text"}, "voice": "alloy",
		"turn_detection": map[string]any{"type": "server_vad", "silence_duration_ms": 300}}})
	c.until("session.updated")
	speak(c, 100, 300)
	before, _, _ := c.until("response.done")
	got := strings.Join(types(before), ",")
	for _, name := range []string{"conversation.item.created", "response.audio.delta", "response.audio_transcript.delta", "response.audio_transcript.done", "response.audio.done"} {
		if !strings.Contains(got, name) {
			t.Errorf("no %s in %s", name, got)
		}
	}
	if strings.Contains(got, "output_audio") || strings.Contains(got, "conversation.item.added") {
		t.Errorf("GA names on the preview path: %s", got)
	}
	if conn := s.Conn(0); !conn.Preview || conn.Query.Get("api-version") != "2025-04-01-preview" {
		t.Errorf("recorded %+v", conn)
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ws, res, err := websocket.Dial(ctx, url, nil)
	if err == nil {
		_ = ws.CloseNow()
		return http.StatusSwitchingProtocols
	}
	if res == nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	return res.StatusCode
}

func TestHandshakes(t *testing.T) {
	s := NewServer(t, Options{Authorize: func(h http.Header) bool { return h.Get("api-key") != "wrong" }})
	tests := []struct {
		url  string
		want int
	}{
		{s.GAURL("d") + "&api-version=2025-08-28", http.StatusUnauthorized},
		{s.WSURL + "/openai/v1/realtime", http.StatusBadRequest},
		{s.WSURL + "/openai/deployments/d/realtime", http.StatusNotFound},
		{s.WSURL + "/openai/realtime?deployment=d", http.StatusNotFound},
	}
	for _, tt := range tests {
		if got := status(t, tt.url); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.url, got, tt.want)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, res, err := websocket.Dial(ctx, s.GAURL("d"), &websocket.DialOptions{HTTPHeader: http.Header{"Api-Key": {"wrong"}}}); err == nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a wrong key: %v", err)
	}

	s.RefuseNextGA(1, http.StatusNotFound)
	s.RefuseNext(1, http.StatusInternalServerError)
	if got := status(t, s.GAURL("d")); got != http.StatusNotFound {
		t.Errorf("first GA: %d", got)
	}
	if got := status(t, s.PreviewURL("d", "2025-04-01-preview")); got != http.StatusInternalServerError {
		t.Errorf("then preview: %d", got)
	}
	if got := status(t, s.GAURL("d")); got != http.StatusSwitchingProtocols {
		t.Errorf("then GA: %d", got)
	}
	a := s.Attempts()
	if last := a[len(a)-1]; last.Status != http.StatusSwitchingProtocols || last.Path != "/openai/v1/realtime" {
		t.Errorf("attempts %+v", a)
	}
}

func TestCloseEndsConnections(t *testing.T) {
	h := NewHandler(Options{ChunkDelay: 50 * time.Millisecond, TranscriptDelay: time.Second})
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	srv := "ws" + strings.TrimPrefix(hs.URL, "http")
	c := dial(t, srv+"/openai/v1/realtime?model=d", nil)
	c.next()
	speak(c, 100, 500)
	c.until("response.created")
	h.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for {
		if _, _, err := c.ws.Read(ctx); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatal("the connection stayed open after Close")
			}
			break
		}
	}
	if got := status(t, srv+"/openai/v1/realtime?model=d"); got != http.StatusServiceUnavailable {
		t.Errorf("a handshake after Close: %d", got)
	}
}

// hum is ms of faint noise (±amp), as processed microphone "silence" can be.
func hum(ms int, amp int16) string {
	s := make([]int16, ms*samplesPerMs)
	for i := range s {
		s[i] = amp
		if i%2 == 1 {
			s[i] = -amp
		}
	}
	return PCM(s)
}

func TestSpeechLevelIgnoresFaintNoise(t *testing.T) {
	s := NewServer(t, Options{SpeechLevel: 500})
	c := dial(t, s.GAURL("d"), nil)
	c.next()
	for range 3 {
		c.send(map[string]any{"type": "input_audio_buffer.append", "audio": hum(100, 100)})
	}
	c.send(map[string]any{"type": "input_audio_buffer.append", "audio": Speech(100)})
	// The first event after the noise is the speech's start, counted from the noise's end: the
	// noise was no speech.
	if e, _ := c.next(); e.Type() != "input_audio_buffer.speech_started" || e["audio_start_ms"].(float64) != 300 {
		t.Fatalf("after 300 ms of faint noise and speech: %v", e)
	}
	// Faint noise also ends the utterance, as silence does.
	for range 5 {
		c.send(map[string]any{"type": "input_audio_buffer.append", "audio": hum(100, 100)})
	}
	if e, _ := c.next(); e.Type() != "input_audio_buffer.speech_stopped" || e["audio_end_ms"].(float64) != 900 {
		t.Fatalf("after 500 ms of faint noise: %v", e)
	}
	c.until("response.done")
}

func TestAnswerChunkDelayPacesOneAnswer(t *testing.T) {
	const pace = 40 * time.Millisecond
	s := NewServer(t, Options{Respond: func(turn Turn) Answer {
		if turn.N == 1 {
			return Answer{Text: "A paced answer.", AudioMs: 500, ChunkDelay: pace}
		}
		return Answer{Text: "A quick one.", AudioMs: 500}
	}})
	c := dial(t, s.GAURL("d"), nil)
	c.next()
	speak(c, 100, 500)
	c.until("response.output_audio.delta")
	start := time.Now()
	before, _, _ := c.until("response.output_audio.done")
	deltas := 0
	for _, e := range before {
		if e.Type() == "response.output_audio.delta" {
			deltas++
		}
	}
	// Five 100 ms chunks: the four after the first each wait the answer's own delay.
	if took := time.Since(start); deltas != 4 || took < 4*pace {
		t.Errorf("%d more chunks in %v, want 4 in at least %v", deltas, took, 4*pace)
	}
	c.until("response.done")
}

func TestDropClosesWithGoingAway(t *testing.T) {
	s := NewServer(t, Options{})
	c := dial(t, s.GAURL("d"), nil)
	c.next()
	c.send(gaSession(500))
	c.until("session.updated")
	s.Conn(0).Drop()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, _, err := c.ws.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("read after Drop ended with %v, want close 1001", err)
	}
	select {
	case <-s.Conn(0).Done():
	case <-time.After(2 * time.Second):
		t.Fatal("the connection did not end")
	}
	// The next connection is a new one, as a relay's reconnect finds it.
	c2 := dial(t, s.GAURL("d"), nil)
	if e, _ := c2.next(); e.Type() != "session.created" || len(s.Conns()) != 2 {
		t.Errorf("after a drop: %v, %d connections", e, len(s.Conns()))
	}
}
