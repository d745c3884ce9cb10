package realtimetest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Conn is one accepted connection: what the handshake carried, every client event in order, and
// every server event sent. Its state machine runs under mu; outgoing events go through a queue
// drained by one writer goroutine, so their order is the order of the state changes.
type Conn struct {
	// URL is the request URI of the handshake; Path, Query and Header its parts.
	URL        string
	Path       string
	Query      url.Values
	Header     http.Header
	Preview    bool   // the preview path (old event names)
	Deployment string // the model or deployment named in the query
	ExpiresAt  int64  // session.created's expires_at, Unix seconds

	h      *Handler
	ws     *websocket.Conn
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	done   chan struct{}
	wake   chan struct{}

	mu       sync.Mutex
	received []Event
	sent     [][]byte
	truncs   []Truncation
	out      [][]byte
	closeReq *websocket.CloseError

	session    map[string]any
	inSamples  int
	speaking   bool
	speechAt   int // the input sample where the utterance started
	silence    int
	userItem   string
	lastItem   string
	utterances int
	responses  int
	active     *response
	outputs    []FunctionOutput
	items      []Event
	audio      map[string]int // samples of assistant audio sent per item
	spoke      bool
}

func newConn(h *Handler, ws *websocket.Conn, r *http.Request, preview bool, deployment string) *Conn {
	ctx, cancel := context.WithCancel(h.ctx)
	c := &Conn{
		URL: r.URL.RequestURI(), Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(),
		Preview: preview, Deployment: deployment,
		h: h, ws: ws, ctx: ctx, cancel: cancel, done: make(chan struct{}), wake: make(chan struct{}, 1),
		audio: map[string]int{},
	}
	life := 30 * time.Minute
	switch {
	case h.opts.EndAfter > 0:
		life = h.opts.EndAfter
	case h.opts.ExpiresIn > 0:
		life = h.opts.ExpiresIn
	}
	c.ExpiresAt = time.Now().Add(life).Unix()
	c.session = c.defaultSession()
	return c
}

// Done is closed when the connection has ended and its goroutines have stopped.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Received returns the client events received so far, in order.
func (c *Conn) Received() []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Event(nil), c.received...)
}

// ReceivedOfType returns the client events of type typ received so far.
func (c *Conn) ReceivedOfType(typ string) []Event {
	var out []Event
	for _, e := range c.Received() {
		if e.Type() == typ {
			out = append(out, e)
		}
	}
	return out
}

// Sent returns the server events sent (or queued) so far, decoded, in order.
func (c *Conn) Sent() []Event {
	c.mu.Lock()
	raw := append([][]byte(nil), c.sent...)
	c.mu.Unlock()
	out := make([]Event, 0, len(raw))
	for _, b := range raw {
		var e Event
		_ = json.Unmarshal(b, &e)
		out = append(out, e)
	}
	return out
}

// SentOfType returns the server events of type typ sent so far.
func (c *Conn) SentOfType(typ string) []Event {
	var out []Event
	for _, e := range c.Sent() {
		if e.Type() == typ {
			out = append(out, e)
		}
	}
	return out
}

// Errors returns the error events sent so far.
func (c *Conn) Errors() []ErrorInfo {
	var out []ErrorInfo
	for _, e := range c.SentOfType("error") {
		body, _ := e["error"].(map[string]any)
		str := func(k string) string { s, _ := body[k].(string); return s }
		out = append(out, ErrorInfo{Type: str("type"), Code: str("code"), Message: str("message"), Param: str("param")})
	}
	return out
}

// Truncations returns the conversation.item.truncate events received and their outcomes.
func (c *Conn) Truncations() []Truncation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Truncation(nil), c.truncs...)
}

// Session returns the session as last updated.
func (c *Conn) Session() map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	return clone(c.session)
}

// AudioSentMs returns how much assistant audio the fake has sent for item, in ms.
func (c *Conn) AudioSentMs(item string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.audio[item] / samplesPerMs
}

func (c *Conn) run() {
	defer close(c.done)
	c.ws.SetReadLimit(4 << 20)
	c.wg.Add(1)
	go c.writer()
	if d := c.h.opts.EndAfter; d > 0 {
		c.wg.Add(1)
		go c.expire(d)
	}
	c.mu.Lock()
	c.send(obj{"type": "session.created", "session": c.session})
	c.mu.Unlock()
	c.readLoop()
	c.cancel()
	c.wg.Wait()
	_ = c.ws.CloseNow()
}

func (c *Conn) readLoop() {
	for {
		typ, data, err := c.ws.Read(c.ctx)
		if err != nil {
			return
		}
		c.mu.Lock()
		var ev Event
		switch {
		case typ != websocket.MessageText:
			c.sendError("invalid_request_error", "invalid_message", "Binary frames are not supported.", "")
		case json.Unmarshal(data, &ev) != nil || ev == nil:
			c.sendError("invalid_request_error", "invalid_json", "The event is not a JSON object.", "")
		default:
			c.received = append(c.received, ev)
			c.handle(ev)
		}
		c.mu.Unlock()
	}
}

// writer sends queued events in order, then the close frame when one was asked for.
func (c *Conn) writer() {
	defer c.wg.Done()
	for {
		c.mu.Lock()
		for len(c.out) == 0 && c.closeReq == nil {
			c.mu.Unlock()
			select {
			case <-c.wake:
			case <-c.ctx.Done():
				return
			}
			c.mu.Lock()
		}
		if len(c.out) > 0 {
			b := c.out[0]
			c.out = c.out[1:]
			c.mu.Unlock()
			if err := c.ws.Write(c.ctx, websocket.MessageText, b); err != nil {
				c.cancel()
				return
			}
			continue
		}
		cr := *c.closeReq
		c.mu.Unlock()
		_ = c.ws.Close(cr.Code, cr.Reason)
		c.cancel()
		return
	}
}

// Drop ends the connection as an upstream that goes away does: a close 1001 after the events
// already queued, at once rather than at Options.EndAfter. Later events are not sent.
func (c *Conn) Drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closeReq == nil {
		c.closeReq = &websocket.CloseError{Code: websocket.StatusGoingAway, Reason: "dropped by the test"}
		c.signal()
	}
}

func (c *Conn) expire(d time.Duration) {
	defer c.wg.Done()
	if !sleep(c.ctx, nil, d) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.h.opts.EndWithError {
		c.sendError("invalid_request_error", "session_expired", "Your session hit the maximum duration of 30 minutes.", "")
	}
	c.closeReq = &websocket.CloseError{Code: websocket.StatusGoingAway, Reason: "session expired"}
	c.signal()
}

type obj = map[string]any

// previewNames maps GA event names to the preview's.
var previewNames = map[string]string{
	"response.output_audio.delta":            "response.audio.delta",
	"response.output_audio.done":             "response.audio.done",
	"response.output_audio_transcript.delta": "response.audio_transcript.delta",
	"response.output_audio_transcript.done":  "response.audio_transcript.done",
	"response.output_text.delta":             "response.text.delta",
	"response.output_text.done":              "response.text.done",
	"conversation.item.added":                "conversation.item.created",
}

// send queues an event (mu held). It is dropped once a close was asked for.
func (c *Conn) send(ev obj) {
	if c.closeReq != nil {
		return
	}
	if c.Preview {
		if name, ok := previewNames[ev["type"].(string)]; ok {
			ev["type"] = name
		}
	}
	ev["event_id"] = c.h.newID("event")
	b, err := json.Marshal(ev)
	if err != nil {
		panic("realtimetest: marshal event: " + err.Error())
	}
	c.sent = append(c.sent, b)
	c.out = append(c.out, b)
	c.signal()
}

func (c *Conn) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *Conn) sendError(typ, code, message, param string) {
	body := obj{"type": typ, "code": code, "message": message, "param": nil, "event_id": nil}
	if param != "" {
		body["param"] = param
	}
	c.send(obj{"type": "error", "error": body})
}

func (c *Conn) defaultSession() map[string]any {
	td := obj{"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300, "silence_duration_ms": 500,
		"create_response": true, "interrupt_response": true}
	s := obj{"id": c.h.newID("sess"), "object": "realtime.session", "model": c.Deployment, "expires_at": c.ExpiresAt}
	if c.Preview {
		s["modalities"] = []any{"audio", "text"}
		s["voice"] = "alloy"
		s["input_audio_format"] = "pcm16"
		s["output_audio_format"] = "pcm16"
		s["turn_detection"] = td
		return s
	}
	s["type"] = "realtime"
	s["output_modalities"] = []any{"audio"}
	s["audio"] = obj{
		"input":  obj{"format": obj{"type": "audio/pcm", "rate": SampleRate}, "turn_detection": td},
		"output": obj{"format": obj{"type": "audio/pcm", "rate": SampleRate}, "voice": "marin"},
	}
	return s
}

// turnDetection returns the session's turn_detection and whether VAD is on.
func (c *Conn) turnDetection() (map[string]any, bool) {
	var v any
	var present bool
	if c.Preview {
		v, present = c.session["turn_detection"]
	} else {
		audio, _ := c.session["audio"].(map[string]any)
		in, _ := audio["input"].(map[string]any)
		v, present = in["turn_detection"]
	}
	td, _ := v.(map[string]any)
	return td, !present || td != nil
}

func (c *Conn) voice() string {
	if c.Preview {
		s, _ := c.session["voice"].(string)
		return s
	}
	audio, _ := c.session["audio"].(map[string]any)
	out, _ := audio["output"].(map[string]any)
	s, _ := out["voice"].(string)
	return s
}

func (c *Conn) textOnly() bool {
	key := "output_modalities"
	if c.Preview {
		key = "modalities"
	}
	m, _ := c.session[key].([]any)
	return len(m) == 1 && m[0] == "text"
}

func flag(m map[string]any, key string, def bool) bool {
	if b, ok := m[key].(bool); ok {
		return b
	}
	return def
}

func (c *Conn) silenceMs() int {
	if c.h.opts.SilenceMs > 0 {
		return c.h.opts.SilenceMs
	}
	td, _ := c.turnDetection()
	if f, ok := td["silence_duration_ms"].(float64); ok && f > 0 {
		return int(f)
	}
	if i, ok := td["silence_duration_ms"].(int); ok && i > 0 {
		return i
	}
	return 500
}

// handle applies one client event (mu held).
func (c *Conn) handle(ev Event) {
	switch ev.Type() {
	case "session.update":
		c.sessionUpdate(ev)
	case "input_audio_buffer.append":
		s, _ := ev["audio"].(string)
		pcm, err := DecodePCM(s)
		if err != nil {
			c.sendError("invalid_request_error", "invalid_value", "Invalid 'audio': "+err.Error(), "audio")
			return
		}
		c.vad(pcm)
	case "input_audio_buffer.commit":
		if !c.speaking {
			c.sendError("invalid_request_error", "input_audio_buffer_commit_empty", "Error committing input audio buffer: the buffer holds no speech.", "")
			return
		}
		c.endSpeech()
	case "input_audio_buffer.clear":
		c.speaking, c.silence = false, 0
		c.send(obj{"type": "input_audio_buffer.cleared"})
	case "conversation.item.create":
		c.itemCreate(ev)
	case "conversation.item.truncate":
		c.truncate(ev)
	case "response.create":
		if c.active != nil {
			c.sendError("invalid_request_error", "conversation_already_has_active_response",
				fmt.Sprintf("Conversation already has an active response in progress: %s. Wait until the response is finished before creating a new one.", c.active.id), "")
			return
		}
		c.startResponse("", ev)
	case "response.cancel":
		if c.active == nil {
			c.sendError("invalid_request_error", "response_cancel_not_active", "Cancellation failed: no active response found", "")
			return
		}
		c.cancelResponse("client_cancelled")
	default:
		c.sendError("invalid_request_error", "invalid_value", fmt.Sprintf("Invalid value: '%s'. Not a client event type this fake knows.", ev.Type()), "type")
	}
}

func (c *Conn) sessionUpdate(ev Event) {
	s, ok := ev["session"].(map[string]any)
	if !ok {
		c.sendError("invalid_request_error", "missing_required_parameter", "Missing required parameter: 'session'.", "session")
		return
	}
	if c.Preview {
		if _, ok := s["output_modalities"]; ok {
			c.sendError("invalid_request_error", "unknown_parameter", "Unknown parameter: 'session.output_modalities'.", "session.output_modalities")
			return
		}
	} else if s["type"] != "realtime" {
		c.sendError("invalid_request_error", "missing_required_parameter", "Missing required parameter: 'session.type'.", "session.type")
		return
	}
	before := c.voice()
	next := clone(c.session)
	for k, v := range s {
		next[k] = v
	}
	old := c.session
	c.session = next
	if c.spoke && c.voice() != before {
		c.session = old
		c.sendError("invalid_request_error", "cannot_update_voice", "Cannot update a conversation's voice if assistant audio is present.", "session.audio.output.voice")
		return
	}
	c.send(obj{"type": "session.updated", "session": clone(c.session)})
}

func (c *Conn) vad(pcm []int16) {
	start := c.inSamples
	c.inSamples += len(pcm)
	td, on := c.turnDetection()
	if !on {
		return
	}
	if c.isSpeech(pcm) {
		c.silence = 0
		if c.speaking {
			return
		}
		c.speaking = true
		c.speechAt = start
		c.userItem = c.h.newID("item")
		c.send(obj{"type": "input_audio_buffer.speech_started", "audio_start_ms": start / samplesPerMs, "item_id": c.userItem})
		if c.active != nil && flag(td, "interrupt_response", true) {
			c.cancelResponse("turn_detected")
		}
		return
	}
	if !c.speaking {
		return
	}
	c.silence += len(pcm)
	if c.silence >= c.silenceMs()*samplesPerMs {
		c.endSpeech()
	}
}

// endSpeech ends the utterance: stopped, committed, the user item, its transcript, a response.
func (c *Conn) endSpeech() {
	item := c.userItem
	c.speaking, c.silence = false, 0
	c.send(obj{"type": "input_audio_buffer.speech_stopped", "audio_end_ms": c.inSamples / samplesPerMs, "item_id": item})
	c.send(obj{"type": "input_audio_buffer.committed", "previous_item_id": nullable(c.lastItem), "item_id": item})
	c.send(obj{"type": "conversation.item.added", "previous_item_id": nullable(c.lastItem), "item": obj{
		"id": item, "object": "realtime.item", "type": "message", "role": "user", "status": "completed",
		"content": []any{obj{"type": "input_audio", "transcript": nil}},
	}})
	c.lastItem = item
	c.utterances++
	transcript := fmt.Sprintf("utterance %d", c.utterances)
	if f := c.h.opts.Transcribe; f != nil {
		transcript = f(c.utterances, (c.inSamples-c.speechAt)/samplesPerMs)
	}
	done := obj{"type": "conversation.item.input_audio_transcription.completed", "item_id": item, "content_index": 0, "transcript": transcript}
	if d := c.h.opts.TranscriptDelay; d > 0 {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			if sleep(c.ctx, nil, d) {
				c.mu.Lock()
				c.send(done)
				c.mu.Unlock()
			}
		}()
	} else {
		c.send(done)
	}
	td, _ := c.turnDetection()
	if flag(td, "create_response", true) && c.active == nil {
		c.startResponse(transcript, nil)
	}
}

func (c *Conn) itemCreate(ev Event) {
	item, ok := ev["item"].(map[string]any)
	if !ok {
		c.sendError("invalid_request_error", "missing_required_parameter", "Missing required parameter: 'item'.", "item")
		return
	}
	item = clone(item)
	id, _ := item["id"].(string)
	if id == "" {
		id = c.h.newID("item")
		item["id"] = id
	}
	if item["type"] == "function_call_output" {
		callID, _ := item["call_id"].(string)
		output, _ := item["output"].(string)
		c.outputs = append(c.outputs, FunctionOutput{CallID: callID, Output: output})
	} else {
		c.items = append(c.items, Event(item))
	}
	c.send(obj{"type": "conversation.item.added", "previous_item_id": nullable(c.lastItem), "item": item})
	c.lastItem = id
}

func (c *Conn) truncate(ev Event) {
	id, _ := ev["item_id"].(string)
	endF, _ := ev["audio_end_ms"].(float64)
	end := int(endF)
	samples, ok := c.audio[id]
	tr := Truncation{ItemID: id, AudioEndMs: end, SentMs: samples / samplesPerMs}
	switch {
	case !ok:
		tr.Message = fmt.Sprintf("Item with item_id '%s' not found or has no audio.", id)
		c.sendError("invalid_request_error", "item_truncate_invalid_item_id", tr.Message, "item_id")
	case end < 0 || end*samplesPerMs > samples:
		tr.Message = fmt.Sprintf("Audio content of %dms is already shorter than %dms", tr.SentMs, end)
		c.sendError("invalid_request_error", "invalid_value", tr.Message, "audio_end_ms")
	default:
		tr.Accepted = true
		idx, _ := ev["content_index"].(float64)
		c.send(obj{"type": "conversation.item.truncated", "item_id": id, "content_index": int(idx), "audio_end_ms": end})
	}
	c.truncs = append(c.truncs, tr)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// isSpeech reports whether an append is speech: any non-zero sample, or with Options.SpeechLevel
// an RMS above it.
func (c *Conn) isSpeech(pcm []int16) bool {
	level := c.h.opts.SpeechLevel
	if level <= 0 {
		return !allZero(pcm)
	}
	if len(pcm) == 0 {
		return false
	}
	var sum float64
	for _, s := range pcm {
		sum += float64(s) * float64(s)
	}
	return sum/float64(len(pcm)) > level*level
}

func allZero(pcm []int16) bool {
	for _, s := range pcm {
		if s != 0 {
			return false
		}
	}
	return true
}

// clone copies a JSON object deeply enough that later merges do not alias it.
func clone(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

// sleep waits d, or until ctx ends or stop is closed; it reports whether the wait completed.
func sleep(ctx context.Context, stop <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		select {
		case <-ctx.Done():
			return false
		case <-stop:
			return false
		default:
			return true
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-stop:
		return false
	}
}

// PCM encodes samples as base64 little-endian PCM16, as input_audio_buffer.append carries them.
func PCM(samples []int16) string {
	b := make([]byte, 2*len(samples))
	for i, s := range samples {
		b[2*i] = byte(uint16(s))
		b[2*i+1] = byte(uint16(s) >> 8)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// DecodePCM decodes base64 little-endian PCM16.
func DecodePCM(s string) ([]int16, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if len(b)%2 != 0 {
		return nil, fmt.Errorf("odd byte count %d for PCM16", len(b))
	}
	out := make([]int16, len(b)/2)
	for i := range out {
		out[i] = int16(uint16(b[2*i]) | uint16(b[2*i+1])<<8)
	}
	return out, nil
}

// Speech is ms of "speech" (a square wave, never zero) as base64 PCM16.
func Speech(ms int) string {
	s := make([]int16, ms*samplesPerMs)
	for i := range s {
		s[i] = 3000
		if i/12%2 == 1 {
			s[i] = -3000
		}
	}
	return PCM(s)
}

// Silence is ms of all-zero samples as base64 PCM16.
func Silence(ms int) string { return PCM(make([]int16, ms*samplesPerMs)) }

// SampleValue is the value of sample i of a response's audio: (i mod 30000) + 1, never zero.
func SampleValue(i int) int16 { return int16(i%30000 + 1) }

// CheckNumbered checks that samples are a response's audio from sample offset on, in order and
// without loss; it returns an error naming the first mismatch.
func CheckNumbered(samples []int16, offset int) error {
	for k, s := range samples {
		if want := SampleValue(offset + k); s != want {
			return fmt.Errorf("sample %d is %d, want %d", offset+k, s, want)
		}
	}
	return nil
}
