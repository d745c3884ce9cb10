package voice

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"presto/internal/chat"
	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/metrics"
)

const (
	writeTimeout   = 5 * time.Second
	maxReconnects  = 3                // upstream connects in a row that may fail before the relay gives up
	reseedMessages = 6                // earlier lines of the conversation sent to a new upstream session
	samplesPerMS   = 24               // PCM16 mono at 24 kHz
	maxAudioFrame  = 100 * 24 * 2 * 2 // 200 ms of PCM16 at 24 kHz: twice the longest frame a client should send
)

// Send delivers one message to the browser's /voice socket. It must not block.
type Send func(typ string, payload any)

// Service is what every relay of the process shares.
type Service struct {
	Upstream    *Upstream // nil when the provider has no realtime model
	Unavailable string    // then: what to set
	Settings    Settings
	Budget      *Budget
	Metrics     *metrics.Metrics // nil records nothing
	Logger      *slog.Logger
}

// NewRelay makes the relay of one /voice socket of sess, from the client address from (charged for
// the charts and switches the voice asks for); Start opens the upstream.
func (v *Service) NewRelay(sess *chat.Session, from netip.Addr, send Send) *Relay {
	return &Relay{svc: v, settings: v.Settings, sess: sess, from: from, send: send, logger: v.Logger}
}

// Relay is one /voice socket's link to the realtime model: it opens the upstream, keeps it open
// across drops, and relays both ways.
type Relay struct {
	svc      *Service
	settings Settings
	sess     *chat.Session
	from     netip.Addr
	send     Send
	logger   *slog.Logger

	mu      sync.Mutex
	ctx     context.Context    // the upstream's lifetime: ends on stop or when the socket closes
	cancel  context.CancelFunc // nil while stopped
	done    chan struct{}      // closed when the upstream loop has ended
	conn    *websocket.Conn    // nil between connects
	preview bool               // the upstream speaks the preview event names
	muted   bool
	spent   bool                 // the day's voice minutes ran out
	lines   chan chat.Transcript // final lines to keep, in order, off the upstream read loop

	relayed map[string]int // samples of assistant audio relayed, per item
	// The last assistant item with audio, which the browser may still be playing after its audio
	// has all been relayed (the model sends faster than real time), until the browser says it
	// played it all.
	lastItem    string
	lastDone    bool      // all of lastItem's audio was relayed
	heard       bool      // and the browser played all of it
	interrupted string    // the item the user spoke over, until the browser says what it played
	stoppedAt   time.Time // when the user stopped speaking, until the answer's first audio
	userTalking bool      // between speech_started and speech_stopped
	renewDue    bool      // the upstream session expires soon: replace it at the next quiet moment
	renewed     bool      // the last upstream was closed to renew it, not dropped
	pendingUser string    // the user's item whose transcript has not come yet
	held        []chat.Transcript

	// Only one response may be active upstream: what must follow one waits for its end.
	responding bool             // a response is active
	calls      int              // tool calls of the last response still running
	outputs    []map[string]any // function_call_output items waiting for the response's end
	notes      []map[string]any // "it is on screen" items waiting for no response to be active
}

// Start opens the upstream session (again, after a stop) and relays until Stop or ctx ends.
func (r *Relay) Start(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.svc.Upstream == nil {
		r.send("status", statusPayload{Status: "error", Reason: r.svc.Unavailable})
		return
	}
	if r.cancel != nil {
		return // already running
	}
	release, err := r.svc.Budget.acquire(r.sess.ID())
	if err != nil {
		r.send("status", statusPayload{Status: "error", Reason: err.Error()})
		return
	}
	r.ctx, r.cancel = context.WithCancel(ctx)
	r.done = make(chan struct{})
	r.relayed = make(map[string]int)
	lines := make(chan chat.Transcript, 64)
	r.lines = lines
	go func(ctx context.Context, cancel context.CancelFunc, done chan struct{}) {
		defer release()
		r.svc.Metrics.VoiceOpened()
		defer r.svc.Metrics.VoiceClosed()
		go r.meter(ctx, cancel)
		kept := make(chan struct{})
		go r.keep(context.WithoutCancel(ctx), lines, kept)
		r.run(ctx, done, func() { close(lines); <-kept })
	}(r.ctx, r.cancel, r.done)
}

// keep stores the final lines in the session's history, in order. It runs beside the upstream
// reader because a store write must never hold back the audio behind it.
func (r *Relay) keep(ctx context.Context, lines <-chan chat.Transcript, kept chan<- struct{}) {
	defer close(kept)
	for line := range lines {
		if err := r.sess.Spoken(ctx, line); err != nil {
			r.logger.Warn("voice transcript not kept", "err", err)
		}
	}
}

// meter counts the session's voice time while the upstream is open and ends it when the day's
// minutes are used up.
func (r *Relay) meter(ctx context.Context, cancel context.CancelFunc) {
	const tick = time.Second
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.svc.Metrics.VoiceTime(tick)
			if err := r.svc.Budget.spend(r.sess.ID(), tick); err != nil {
				r.mu.Lock()
				r.spent = true
				r.mu.Unlock()
				r.send("status", statusPayload{Status: "error", Reason: err.Error()})
				cancel()
				return
			}
		}
	}
}

// Restart opens a new upstream session for a voice chosen after the model has spoken (the voice
// cannot change then); before that, the new voice goes in a session.update.
func (r *Relay) Restart(ctx context.Context) {
	r.mu.Lock()
	conn, spoken := r.conn, len(r.relayed) > 0
	r.mu.Unlock()
	if conn == nil {
		return
	}
	if spoken {
		conn.Close(websocket.StatusNormalClosure, "the voice changed") // run reconnects, re-seeded
		return
	}
	if err := r.write(ctx, r.update(r.sess.State())); err != nil {
		r.logger.Info("voice change not sent", "err", err)
	}
}

// Stop closes the upstream at once: an open realtime session costs money by the minute.
func (r *Relay) Stop() {
	r.mu.Lock()
	cancel, done := r.cancel, r.done
	r.cancel = nil
	r.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// run connects, relays until the upstream ends, and connects again after a drop, a few times in a
// row at most, with backoff.
func (r *Relay) run(ctx context.Context, done chan struct{}, finish func()) {
	defer close(done)
	defer finish() // the lines still queued are kept before the relay counts as stopped
	r.send("status", statusPayload{Status: "connecting"})
	failures, connects := 0, 0
	for {
		err := r.session(ctx, connects)
		if ctx.Err() != nil {
			r.mu.Lock()
			spent := r.spent
			r.mu.Unlock()
			if !spent { // a used-up day said so already
				r.send("status", statusPayload{Status: "disconnected"})
			}
			return
		}
		if err == nil {
			failures = 0 // it was connected: a drop, not a failing connect
			connects++
		} else {
			failures++
			r.svc.Metrics.VoiceConnect("failed")
		}
		if failures >= maxReconnects {
			reason := "the realtime model could not be reached"
			var dialErr *DialError
			if errors.As(err, &dialErr) {
				reason = dialErr.reason()
			}
			r.logger.Warn("voice upstream gave up", "err", err)
			r.send("status", statusPayload{Status: "error", Reason: reason})
			return
		}
		r.send("status", statusPayload{Status: "reconnecting"})
		select {
		case <-time.After(time.Duration(failures) * 500 * time.Millisecond):
		case <-ctx.Done():
			r.send("status", statusPayload{Status: "disconnected"})
			return
		}
	}
}

// session runs one upstream connection: connect, session.update, re-seed, relay until it ends.
// It returns nil when a connected session ended, and the error when it could not connect.
func (r *Relay) session(ctx context.Context, connects int) error {
	conn, preview, err := r.svc.Upstream.dial(ctx)
	if err != nil {
		return err
	}
	state := r.sess.State()
	r.mu.Lock()
	switch {
	case connects == 0:
		r.svc.Metrics.VoiceConnect("connect")
	case r.renewed:
		r.svc.Metrics.VoiceConnect("renew")
	default:
		r.svc.Metrics.VoiceConnect("reconnect")
	}
	r.conn, r.preview = conn, preview
	r.lastItem, r.interrupted, r.pendingUser, r.held = "", "", "", nil
	r.responding, r.calls, r.outputs, r.notes = false, 0, nil, nil
	r.userTalking, r.renewDue, r.renewed = false, false, false
	r.mu.Unlock()
	var renewal *time.Timer
	defer func() {
		if renewal != nil {
			renewal.Stop()
		}
		conn.CloseNow()
		r.mu.Lock()
		r.conn = nil
		r.mu.Unlock()
	}()
	if err := r.write(ctx, r.update(state)); err != nil {
		return nil // connected, then dropped: reconnect
	}
	r.reseed(ctx, state.History)
	for {
		var ev upstreamEvent
		if err := wsjson.Read(ctx, conn, &ev); err != nil {
			if ctx.Err() == nil {
				r.logger.Info("voice upstream ended", "status", websocket.CloseStatus(err), "err", err)
			}
			return nil
		}
		if ev.Type == "session.created" && ev.Session != nil && renewal == nil {
			renewal = r.scheduleRenewal(conn, time.Unix(ev.Session.ExpiresAt, 0))
		}
		r.handleUpstream(ctx, ev)
	}
}

// renewBefore is how long before its expiry an upstream session is replaced, at a quiet moment,
// so the session cap does not cut an answer or the user mid-sentence.
const renewBefore = time.Minute

// scheduleRenewal marks the upstream session for renewal shortly before it expires (nil when the
// upstream gave no expiry). A session shorter than two minutes is renewed halfway through.
func (r *Relay) scheduleRenewal(conn *websocket.Conn, expires time.Time) *time.Timer {
	left := time.Until(expires)
	if expires.Unix() <= 0 || left <= 0 {
		return nil
	}
	return time.AfterFunc(max(left-renewBefore, left/2), func() {
		r.mu.Lock()
		r.renewDue = true
		r.mu.Unlock()
		r.renewIfQuiet(conn)
	})
}

// renewIfQuiet closes an upstream due for renewal when no answer is being made and the user is not
// talking; run then connects a new one, re-seeded. Otherwise the end of the response tries again.
func (r *Relay) renewIfQuiet(conn *websocket.Conn) {
	r.mu.Lock()
	quiet := r.renewDue && r.conn == conn && !r.responding && !r.userTalking && r.calls == 0 && len(r.outputs) == 0
	if quiet {
		r.renewDue, r.renewed = false, true
	}
	r.mu.Unlock()
	if quiet {
		go conn.Close(websocket.StatusNormalClosure, "renewing the session before it expires")
	}
}

// reseed gives a new upstream session the last lines of the conversation as text items.
func (r *Relay) reseed(ctx context.Context, history []chat.ChatLine) {
	_, last := splitHistory(history)
	for _, line := range last {
		kind := "input_text"
		if line.Role == message.RoleAssistant {
			kind = "output_text"
		}
		item := map[string]any{"type": "message", "role": string(line.Role),
			"content": []map[string]any{{"type": kind, "text": line.Content}}}
		if err := r.write(ctx, map[string]any{"type": "conversation.item.create", "item": item}); err != nil {
			return
		}
	}
}

// write sends one event upstream.
func (r *Relay) write(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode upstream event: %w", err)
	}
	return r.writeRaw(ctx, b)
}

// writeRaw sends one encoded event upstream.
func (r *Relay) writeRaw(ctx context.Context, b []byte) error {
	r.mu.Lock()
	conn := r.conn
	r.mu.Unlock()
	if conn == nil {
		return errors.New("voice upstream not connected")
	}
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return conn.Write(ctx, websocket.MessageText, b)
}

// upstreamEvent holds the fields of the realtime events the relay reads.
type upstreamEvent struct {
	Type       string `json:"type"`
	ItemID     string `json:"item_id"`
	CallID     string `json:"call_id"`
	Name       string `json:"name"`
	Arguments  string `json:"arguments"`
	Delta      string `json:"delta"`
	Transcript string `json:"transcript"`
	Session    *struct {
		ExpiresAt int64 `json:"expires_at"`
	} `json:"session"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (r *Relay) handleUpstream(ctx context.Context, ev upstreamEvent) {
	switch ev.Type {
	case "session.updated":
		r.send("status", statusPayload{Status: "connected", Voice: r.voice(), Provider: r.sess.State().Provider})
	case "input_audio_buffer.speech_started":
		r.mu.Lock()
		r.userTalking = true
		if r.lastItem != "" && !r.heard {
			r.interrupted = r.lastItem // the browser says how much of it was heard
		}
		r.mu.Unlock()
		r.send("speech_started", struct{}{})
	case "input_audio_buffer.speech_stopped":
		r.mu.Lock()
		r.stoppedAt, r.userTalking = time.Now(), false
		r.mu.Unlock()
		r.send("speech_stopped", struct{}{})
	case "input_audio_buffer.committed":
		r.mu.Lock()
		r.pendingUser = ev.ItemID
		r.mu.Unlock()
	case "conversation.item.input_audio_transcription.completed", "conversation.item.input_audio_transcription.failed":
		r.spoken(ctx, chat.Transcript{Role: message.RoleUser, ItemID: ev.ItemID, Text: ev.Transcript, Final: true})
		r.mu.Lock()
		var held []chat.Transcript
		if r.pendingUser == ev.ItemID {
			r.pendingUser, held, r.held = "", r.held, nil
		}
		r.mu.Unlock()
		for _, line := range held {
			r.spoken(ctx, line)
		}
	case "response.output_audio.delta", "response.audio.delta":
		r.mu.Lock()
		r.relayed[ev.ItemID] += samples(ev.Delta)
		if r.lastItem != ev.ItemID {
			r.lastItem, r.lastDone, r.heard = ev.ItemID, false, false
		}
		var firstAudio time.Duration
		if !r.stoppedAt.IsZero() {
			firstAudio, r.stoppedAt = time.Since(r.stoppedAt), time.Time{}
		}
		r.mu.Unlock()
		if firstAudio > 0 {
			r.svc.Metrics.VoiceFirstAudio(firstAudio)
			r.send("latency", latencyPayload{FirstAudioMS: firstAudio.Milliseconds()})
		}
		r.send("audio", audioPayload{ItemID: ev.ItemID, Data: ev.Delta})
	case "response.output_audio.done", "response.audio.done":
		r.mu.Lock()
		if r.lastItem == ev.ItemID {
			r.lastDone = true
		}
		r.mu.Unlock()
		r.send("audio_done", audioPayload{ItemID: ev.ItemID})
	case "response.output_audio_transcript.delta", "response.audio_transcript.delta":
		r.spoken(ctx, chat.Transcript{Role: message.RoleAssistant, ItemID: ev.ItemID, Text: ev.Delta})
	case "response.output_audio_transcript.done", "response.audio_transcript.done":
		line := chat.Transcript{Role: message.RoleAssistant, ItemID: ev.ItemID, Text: ev.Transcript, Final: true}
		r.mu.Lock()
		hold := r.pendingUser != "" // the user's words go first in the history
		if hold {
			r.held = append(r.held, line)
		}
		r.mu.Unlock()
		if !hold {
			r.spoken(ctx, line)
		}
	case "response.created":
		r.mu.Lock()
		r.responding = true
		r.mu.Unlock()
	case "response.done":
		r.mu.Lock()
		r.responding = false
		conn := r.conn
		r.mu.Unlock()
		r.flush(ctx)
		r.renewIfQuiet(conn)
	case "response.function_call_arguments.done":
		r.toolCall(ctx, ev)
	case "error":
		r.upstreamError(ev)
	}
}

// toolCall runs one of the voice's tools. request_visualization answers at once ("on your screen
// in a moment") while the chat model draws it; switch_mode answers when the switch is done, with
// the voice re-instructed for the new mode.
func (r *Relay) toolCall(ctx context.Context, ev upstreamEvent) {
	result, err := llm.ValidateToolCall(message.ToolCall{ID: ev.CallID, Name: ev.Name, Arguments: ev.Arguments})
	if err != nil {
		r.output(ctx, ev.CallID, "error: "+err.Error())
		return
	}
	switch args := result.(type) {
	case *llm.RequestVisualizationArgs:
		r.output(ctx, ev.CallID, "It is appearing on the screen now. Say one short sentence about it; do not read out every figure.")
		go func() {
			// Every screen and this socket see visualization_generating, then the tool_result.
			if _, err := r.sess.Visualize(ctx, args, r.from); err != nil {
				if ctx.Err() == nil {
					r.logger.Warn("voice visualization failed", "err", err)
					r.note(ctx, "(The "+args.VisType+" of "+args.Description+" could not be shown: "+chat.Explain(err).Message+". Do not say it is on the screen.)")
				}
				return
			}
			r.note(ctx, "(The "+args.VisType+" of "+args.Description+" is now on the customer's screen.)")
		}()
	case *llm.SwitchModeArgs:
		r.mu.Lock()
		r.calls++
		r.mu.Unlock()
		go func() {
			output := ""
			mode, err := r.sess.SwitchMode(ctx, args, r.from)
			if err != nil {
				output = "error: " + chat.Explain(err).Message + " Say so in one sentence."
			} else {
				state := r.sess.State()
				if err := r.write(ctx, r.update(state)); err != nil {
					r.logger.Info("voice re-instruct after a switch", "err", err)
				}
				output = "You are now the assistant of " + mode.CompanyName + ". Greet the customer in one short sentence."
			}
			r.mu.Lock()
			r.calls--
			r.mu.Unlock()
			r.output(ctx, ev.CallID, output)
		}()
	default:
		r.output(ctx, ev.CallID, "error: "+ev.Name+" is not a voice tool")
	}
}

// output queues a function's answer; the outputs go up, with one response.create, once the
// response that called them has ended and every call of it has answered.
func (r *Relay) output(ctx context.Context, callID, text string) {
	r.mu.Lock()
	r.outputs = append(r.outputs, map[string]any{"type": "conversation.item.create",
		"item": map[string]any{"type": "function_call_output", "call_id": callID, "output": text}})
	r.mu.Unlock()
	r.flush(ctx)
}

// note queues a line telling the model what is on screen, sent when no response is active, so it
// neither interrupts nor starts one.
func (r *Relay) note(ctx context.Context, text string) {
	r.mu.Lock()
	r.notes = append(r.notes, map[string]any{"type": "conversation.item.create",
		"item": map[string]any{"type": "message", "role": "user", "content": []map[string]any{{"type": "input_text", "text": text}}}})
	r.mu.Unlock()
	r.flush(ctx)
}

// flush sends what waited for the active response to end: function outputs (then one
// response.create, never while a response is active) and notes.
func (r *Relay) flush(ctx context.Context) {
	r.mu.Lock()
	if r.responding {
		r.mu.Unlock()
		return
	}
	var send []map[string]any
	if r.calls == 0 && len(r.outputs) > 0 {
		send = append(send, r.outputs...)
		send = append(send, map[string]any{"type": "response.create"})
		r.outputs = nil
		r.responding = true // until response.created and response.done say otherwise
	}
	send = append(r.notes, send...)
	r.notes = nil
	r.mu.Unlock()
	for _, ev := range send {
		if err := r.write(ctx, ev); err != nil {
			r.logger.Info("voice event not sent", "err", err)
			return
		}
	}
}

// update is the session.update for the session as it is now: what was said before the lines
// reseed sends is summed up in its instructions.
func (r *Relay) update(state chat.State) map[string]any {
	r.mu.Lock()
	preview := r.preview
	r.mu.Unlock()
	earlier, _ := splitHistory(state.History)
	return sessionUpdate(r.settings, state.Mode, state.Persona, state.Voice, earlier, preview)
}

// splitHistory splits the conversation into what a new upstream session gets as a summary and the
// last lines it gets as items.
func splitHistory(history []chat.ChatLine) (earlier, last []chat.ChatLine) {
	cut := max(0, len(history)-reseedMessages)
	return history[:cut], history[cut:]
}

// spoken tells the browser and every screen of the session a line of the conversation.
func (r *Relay) spoken(ctx context.Context, line chat.Transcript) {
	switch {
	case line.Final:
		r.mu.Lock()
		lines := r.lines
		r.mu.Unlock()
		lines <- line // kept, then shown on every screen, by keep
	default:
		if err := r.sess.Spoken(ctx, line); err != nil { // a delta is only shown, never stored
			r.logger.Warn("voice transcript not shown", "err", err)
		}
	}
	r.send("transcript", transcriptPayload{Role: string(line.Role), ItemID: line.ItemID, Text: line.Text, Final: line.Final})
}

func (r *Relay) upstreamError(ev upstreamEvent) {
	if ev.Error == nil {
		return
	}
	switch ev.Error.Code {
	case "conversation_already_has_active_response", "response_cancel_not_active":
		return // harmless: the relay never needs the response it asked for twice
	}
	r.logger.Warn("voice upstream error", "code", ev.Error.Code, "message", ev.Error.Message)
	r.send("error", errorPayload{Error: "the voice model said: " + ev.Error.Message, Retryable: true})
}

func (r *Relay) voice() string {
	if v := r.sess.Voice(); v != "" {
		return v
	}
	return r.settings.DefaultVoice
}

// Audio forwards one microphone frame (base64 PCM16 mono 24 kHz) unless muted.
func (r *Relay) Audio(ctx context.Context, data string) error {
	n := base64.StdEncoding.DecodedLen(len(data))
	if !isBase64(data) || n == 0 {
		return errors.New("audio data must be base64 PCM16")
	}
	if n > maxAudioFrame {
		return fmt.Errorf("an audio frame holds at most %d ms", maxAudioFrame/samplesPerMS/2)
	}
	r.mu.Lock()
	muted, running := r.muted, r.cancel != nil
	r.mu.Unlock()
	if muted || !running {
		return nil
	}
	// Written as it came: base64 needs no JSON escaping, and this is the hottest path of the relay.
	msg := make([]byte, 0, len(data)+48)
	msg = append(msg, `{"type":"input_audio_buffer.append","audio":"`...)
	msg = append(append(msg, data...), `"}`...)
	if err := r.writeRaw(ctx, msg); err != nil {
		r.logger.Debug("voice audio not sent", "err", err)
	}
	return nil
}

// isBase64 reports whether s is padded standard base64, without decoding it.
func isBase64(s string) bool {
	if len(s)%4 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
		case c == '=' && i >= len(s)-2 && (i == len(s)-1 || s[len(s)-1] == '='):
		default:
			return false
		}
	}
	return true
}

// Mute stops (or resumes) forwarding the microphone; the upstream session stays open.
func (r *Relay) Mute(muted bool) {
	r.mu.Lock()
	r.muted = muted
	r.mu.Unlock()
}

// Played is the browser's count of what it played of an assistant item. After the user spoke over
// that item it becomes the truncate that makes the model forget what was never heard: never more
// than the audio relayed for the item (the model may have made more than it sent), none when
// nothing was played, and none for an item whose whole audio was played.
func (r *Relay) Played(ctx context.Context, itemID string, ms int) {
	if itemID == "" {
		return
	}
	r.mu.Lock()
	relayedMS := r.relayed[itemID] / samplesPerMS
	if itemID == r.lastItem && r.lastDone && ms >= relayedMS {
		r.heard = true
	}
	interrupted := r.interrupted == itemID && !r.heard
	if r.interrupted == itemID {
		r.interrupted = ""
	}
	r.mu.Unlock()
	if !interrupted || ms <= 0 {
		return
	}
	end := min(ms, relayedMS)
	err := r.write(ctx, map[string]any{"type": "conversation.item.truncate", "item_id": itemID, "content_index": 0, "audio_end_ms": end})
	if err != nil {
		r.logger.Debug("voice truncate not sent", "err", err)
		return
	}
	r.svc.Metrics.VoiceTruncate()
}

// samples counts the PCM16 samples in base64 audio without decoding it.
func samples(b64 string) int {
	n := len(b64) / 4 * 3
	for i := len(b64) - 1; i >= 0 && i >= len(b64)-2 && b64[i] == '='; i-- {
		n--
	}
	return n / 2
}

type statusPayload struct {
	Status   string `json:"status"`
	Reason   string `json:"reason,omitempty"`
	Voice    string `json:"voice,omitempty"`
	Provider string `json:"provider,omitempty"`
}

type audioPayload struct {
	ItemID string `json:"item_id"`
	Data   string `json:"data,omitempty"`
}

type transcriptPayload struct {
	Role   string `json:"role"`
	ItemID string `json:"item_id"`
	Text   string `json:"text"`
	Final  bool   `json:"final"`
}

type latencyPayload struct {
	FirstAudioMS int64 `json:"first_audio_ms"`
}

type errorPayload struct {
	Error     string `json:"error"`
	Retryable bool   `json:"retryable"`
}

// Message decodes one browser message and acts on it; a bad one returns an error for the
// browser, and the socket stays.
func (r *Relay) Message(ctx context.Context, typ string, payload json.RawMessage) error {
	switch typ {
	case "audio":
		var p struct{ Data string }
		if err := json.Unmarshal(payload, &p); err != nil {
			return errors.New(`audio needs {"data": "<base64 PCM16>"}`)
		}
		return r.Audio(ctx, p.Data)
	case "mute":
		var p struct{ Muted bool }
		if err := json.Unmarshal(payload, &p); err != nil {
			return errors.New(`mute needs {"muted": true|false}`)
		}
		r.Mute(p.Muted)
	case "played":
		var p struct {
			ItemID string `json:"item_id"`
			MS     int    `json:"ms"`
		}
		if err := json.Unmarshal(payload, &p); err != nil || p.MS < 0 {
			return errors.New(`played needs {"item_id": "…", "ms": N}`)
		}
		r.Played(ctx, p.ItemID, p.MS)
	case "stop":
		r.Stop()
	case "start":
		r.Start(ctx)
	default:
		return fmt.Errorf("unknown message type %q", typ)
	}
	return nil
}
