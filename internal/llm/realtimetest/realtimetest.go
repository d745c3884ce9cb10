// Package realtimetest is a fake realtime upstream at the wire, for tests of the voice relay: a
// WebSocket server that speaks the GA realtime protocol (and the older preview protocol on the
// preview path), behaves like server VAD deterministically, streams scripted answers with numbered
// PCM16 samples, and records every connection and every client event.
//
// A test starts one per test and points the relay at it:
//
//	fake := realtimetest.NewServer(t, realtimetest.Options{
//		Respond: func(turn realtimetest.Turn) realtimetest.Answer {
//			return realtimetest.Answer{Text: "Hello!", AudioMs: 400}
//		},
//	})
//	url := fake.GAURL("gpt-realtime") // ws://127.0.0.1:PORT/openai/v1/realtime?model=gpt-realtime
//
// Paths: /openai/v1/realtime?model=D and /v1/realtime?model=D (GA; an api-version in the query is
// refused with 401) and /openai/realtime?api-version=V&deployment=D (preview event names; a GA
// session shape is refused with an error event). Anything else is 404.
//
// Voice activity: an input_audio_buffer.append whose samples are not all zero is speech, an
// all-zero one is silence (or, with Options.SpeechLevel, one whose RMS exceeds the level is
// speech); silence is counted in audio samples, not wall-clock time, so a test may send its
// frames as fast as it likes. Answers stream as response.output_audio.delta chunks
// whose sample i (counted over the response) is SampleValue(i).
//
// NewHandler gives the same fake without a testing.T, for a standalone server (cmd/fakellm).
package realtimetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// SampleRate is the rate of every PCM16 stream, in and out.
const SampleRate = 24000

// samplesPerMs is SampleRate / 1000.
const samplesPerMs = SampleRate / 1000

// Options configures the fake. The zero value is usable.
type Options struct {
	// Respond scripts the answers. Nil answers every turn with DefaultAnswer.
	Respond Responder
	// Transcribe gives the transcript of the connection's n-th user utterance (1-based) of ms
	// milliseconds of audio. Nil gives "utterance N".
	Transcribe func(n, ms int) string
	// TranscriptDelay delays conversation.item.input_audio_transcription.completed after the
	// commit. Zero sends it at once (before the answer's response.created); a delay longer than
	// the time to the first audio makes it arrive after the answer started, as it can upstream.
	TranscriptDelay time.Duration

	// SilenceMs, when > 0, is the silence that ends an utterance, whatever the session says.
	// Otherwise the session's turn_detection.silence_duration_ms applies (500 by default).
	SilenceMs int
	// SpeechLevel, when > 0, makes an append speech only when the RMS of its samples exceeds it
	// (PCM16 units, up to 32767), as a real VAD ignores a quiet room: a browser's microphone
	// processing (echo cancellation, automatic gain) can leave faint non-zero samples in what was
	// silence. Zero makes any non-zero sample speech.
	SpeechLevel float64

	// ChunkMs is the audio per response.output_audio.delta (default 100).
	ChunkMs int
	// FirstAudioDelay is the wait between response.created and the first audio delta.
	FirstAudioDelay time.Duration
	// ChunkDelay is the wait between audio deltas (default 2ms; 0 means the default, a negative
	// value none). Make it larger to keep a response active long enough to interrupt.
	ChunkDelay time.Duration

	// EndAfter, when > 0, ends every connection that long after it opened: a close 1001, or
	// with EndWithError an error event with code session_expired first. session.created's
	// expires_at says when. Without it expires_at is 30 minutes away and nothing ends.
	EndAfter     time.Duration
	EndWithError bool
	// ExpiresIn, when > 0 and EndAfter is not set, is what session.created's expires_at says,
	// without the fake ending anything: for a client that renews its session before it expires.
	ExpiresIn time.Duration

	// Authorize, when set, checks the handshake's headers; false refuses it with 401.
	Authorize func(http.Header) bool
}

// Responder chooses the answer to one turn.
type Responder func(Turn) Answer

// Turn is what a response answers.
type Turn struct {
	// N counts the connection's responses, from 1.
	N int
	// Transcript is the transcript of the user utterance that triggered the response ("" for a
	// response.create).
	Transcript string
	// Outputs are the function_call_output items sent since the last response started.
	Outputs []FunctionOutput
	// Items are the other items sent with conversation.item.create since then (re-seeding).
	Items []Event
	// Create is the response.create event, nil for a response started by VAD.
	Create Event
	// Session is the session as last updated.
	Session map[string]any
}

// FunctionOutput is one function_call_output item a client sent.
type FunctionOutput struct {
	CallID string
	Output string
}

// Answer is one scripted response: spoken text (its audio AudioMs long), then function calls.
type Answer struct {
	Text string
	// AudioMs is the length of the answer's audio. Zero with a Text gives 500 ms; no Text and
	// no AudioMs gives no message item at all (a response with only function calls).
	AudioMs int
	Calls   []Call
	// Status of response.done (default "completed"), e.g. "failed" or "incomplete".
	Status string
	// ChunkDelay, when not zero, replaces Options.ChunkDelay for this answer (a negative value
	// means none), so one answer can stream at the pace of its audio while the others come fast.
	ChunkDelay time.Duration
}

// Call is one function call of an answer. An empty CallID becomes "call_N".
type Call struct {
	CallID    string
	Name      string
	Arguments string
}

// DefaultAnswer is the answer when Options.Respond is nil: it repeats the transcript.
func DefaultAnswer(t Turn) Answer {
	if t.Transcript != "" {
		return Answer{Text: "You said: " + t.Transcript, AudioMs: 500}
	}
	return Answer{Text: fmt.Sprintf("Answer %d.", t.N), AudioMs: 500}
}

// Event is one decoded JSON event.
type Event map[string]any

// Type returns the event's type.
func (e Event) Type() string { s, _ := e["type"].(string); return s }

// Attempt is one handshake, accepted (Status 101) or refused.
type Attempt struct {
	Path   string
	Query  url.Values
	Header http.Header
	Status int
}

// Truncation is one conversation.item.truncate and its outcome.
type Truncation struct {
	ItemID     string
	AudioEndMs int
	SentMs     int // the audio the fake had sent for the item, in ms
	Accepted   bool
	Message    string // the error message when refused
}

// ErrorInfo is one error event the fake sent.
type ErrorInfo struct {
	Type    string
	Code    string
	Message string
	Param   string
}

type refusal struct {
	n      int
	status int
	gaOnly bool
}

// Handler is the fake as an http.Handler, with its recordings. Close ends every connection.
type Handler struct {
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	ids    atomic.Int64

	mu       sync.Mutex
	closed   bool
	refuse   []refusal
	attempts []Attempt
	conns    []*Conn
}

// NewHandler returns the fake for a standalone server. Call Close to end its connections.
func NewHandler(opts Options) *Handler {
	ctx, cancel := context.WithCancel(context.Background())
	return &Handler{opts: opts, ctx: ctx, cancel: cancel}
}

// Close ends every connection and waits until their goroutines have stopped. Later handshakes
// get 503.
func (h *Handler) Close() {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.cancel()
	h.wg.Wait()
}

// RefuseNext refuses the next n handshakes, on any path, with HTTP status.
func (h *Handler) RefuseNext(n, status int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.refuse = append(h.refuse, refusal{n: n, status: status})
}

// RefuseNextGA refuses the next n handshakes on the GA paths with HTTP status (404 to make a
// relay fall back to the preview path); preview handshakes are not counted.
func (h *Handler) RefuseNextGA(n, status int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.refuse = append(h.refuse, refusal{n: n, status: status, gaOnly: true})
}

// Attempts returns every handshake so far, in order.
func (h *Handler) Attempts() []Attempt {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Attempt(nil), h.attempts...)
}

// Conns returns the accepted connections so far, in order. A connection is listed just after its
// upgrade, so a test that has only dialled should wait with Server.Conn.
func (h *Handler) Conns() []*Conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*Conn(nil), h.conns...)
}

func (h *Handler) newID(prefix string) string {
	return fmt.Sprintf("%s_%04d", prefix, h.ids.Add(1))
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var preview bool
	var deployment string
	switch r.URL.Path {
	case "/openai/v1/realtime", "/v1/realtime":
		deployment = q.Get("model")
	case "/openai/realtime":
		preview = true
		deployment = q.Get("deployment")
	default:
		h.refuseHTTP(w, r, http.StatusNotFound, "404", "Resource not found")
		return
	}
	switch {
	case h.opts.Authorize != nil && !h.opts.Authorize(r.Header):
		h.refuseHTTP(w, r, http.StatusUnauthorized, "401", "Access denied due to invalid subscription key or wrong API endpoint.")
		return
	case !preview && q.Has("api-version"):
		h.refuseHTTP(w, r, http.StatusUnauthorized, "401", "The realtime GA endpoint takes no api-version.")
		return
	case preview && q.Get("api-version") == "":
		h.refuseHTTP(w, r, http.StatusNotFound, "404", "Resource not found")
		return
	case deployment == "":
		h.refuseHTTP(w, r, http.StatusBadRequest, "invalid_request_error", "Missing the model or deployment.")
		return
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		h.refuseHTTP(w, r, http.StatusServiceUnavailable, "503", "The fake is closed.")
		return
	}
	for i := range h.refuse {
		if rf := &h.refuse[i]; rf.n > 0 && (!rf.gaOnly || !preview) {
			rf.n--
			status := rf.status
			h.mu.Unlock()
			h.refuseHTTP(w, r, status, fmt.Sprint(status), "Refused by the test.")
			return
		}
	}
	h.wg.Add(1)
	h.mu.Unlock()
	defer h.wg.Done()

	// Recorded before the upgrade answers, so a client that saw 101 finds it recorded.
	at := h.record(r, http.StatusSwitchingProtocols)
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		h.mu.Lock()
		h.attempts[at].Status = http.StatusBadRequest
		h.mu.Unlock()
		return
	}
	c := newConn(h, ws, r, preview, deployment)
	h.mu.Lock()
	h.conns = append(h.conns, c)
	h.mu.Unlock()
	c.run()
}

func (h *Handler) record(r *http.Request, status int) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.attempts = append(h.attempts, Attempt{Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Status: status})
	return len(h.attempts) - 1
}

func (h *Handler) refuseHTTP(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	h.record(r, status)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"code": code, "message": message}})
	_, _ = w.Write(b)
}

// Server is the fake on an httptest server, closed when the test ends.
type Server struct {
	*Handler
	// URL is the server's base, "http://127.0.0.1:PORT"; WSURL the same with ws://.
	URL   string
	WSURL string

	t testing.TB
}

// NewServer starts a fake server that stops when the test ends.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	h := NewHandler(opts)
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	t.Cleanup(h.Close) // runs first: ends the hijacked connections httptest does not track
	return &Server{Handler: h, URL: hs.URL, WSURL: "ws" + strings.TrimPrefix(hs.URL, "http"), t: t}
}

// GAURL is the GA WebSocket URL for deployment (Azure's form).
func (s *Server) GAURL(deployment string) string {
	return s.WSURL + "/openai/v1/realtime?model=" + url.QueryEscape(deployment)
}

// OpenAIURL is the GA WebSocket URL in OpenAI's form.
func (s *Server) OpenAIURL(model string) string {
	return s.WSURL + "/v1/realtime?model=" + url.QueryEscape(model)
}

// PreviewURL is the preview WebSocket URL.
func (s *Server) PreviewURL(deployment, apiVersion string) string {
	return s.WSURL + "/openai/realtime?api-version=" + url.QueryEscape(apiVersion) + "&deployment=" + url.QueryEscape(deployment)
}

// waitTimeout bounds the Wait helpers.
const waitTimeout = 5 * time.Second

// Conn waits for the i-th accepted connection (from 0) and returns it; it fails the test after
// a few seconds.
func (s *Server) Conn(i int) *Conn {
	s.t.Helper()
	var c *Conn
	s.waitFor(fmt.Sprintf("connection %d", i), func() bool {
		if conns := s.Conns(); len(conns) > i {
			c = conns[i]
			return true
		}
		return false
	})
	return c
}

// WaitReceived waits until c has received n client events of type typ and returns them; it
// fails the test after a few seconds.
func (s *Server) WaitReceived(c *Conn, typ string, n int) []Event {
	s.t.Helper()
	var evs []Event
	s.waitFor(fmt.Sprintf("%d %s events", n, typ), func() bool {
		evs = c.ReceivedOfType(typ)
		return len(evs) >= n
	})
	return evs
}

func (s *Server) waitFor(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			s.t.Fatalf("realtimetest: timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
