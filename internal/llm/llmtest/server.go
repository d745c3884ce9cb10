// Package llmtest is a fake chat-completions server at the wire, for tests of everything that
// talks to a language model: it speaks the OpenAI streaming protocol (SSE chunks, tool-call
// argument deltas, Azure's filter chunks), answers scripted errors, and records every request.
//
// A test scripts replies in order and points its client at the server:
//
//	fake := llmtest.NewServer(t)
//	fake.Enqueue(llmtest.RateLimited(50*time.Millisecond), llmtest.Text("Hello there", 3))
//	client := openai.NewClient(option.WithBaseURL(fake.URL+"/v1/"), option.WithAPIKey("test"))
//
// It serves POST on any path ending in /chat/completions: /v1/chat/completions,
// /openai/v1/chat/completions and /openai/deployments/{d}/chat/completions alike.
package llmtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// maxBody bounds a recorded request body.
const maxBody = 8 << 20

// Request is one recorded request.
type Request struct {
	Method  string
	Path    string
	Query   url.Values
	Header  http.Header
	Body    map[string]any // the decoded JSON body (nil when it was not a JSON object)
	RawBody []byte

	canceled chan struct{}
	once     sync.Once
}

// Canceled is closed when the client cancelled the request (went away) before its reply was
// complete.
func (r *Request) Canceled() <-chan struct{} { return r.canceled }

// WasCanceled reports whether the client cancelled the request before its reply was complete.
func (r *Request) WasCanceled() bool {
	select {
	case <-r.canceled:
		return true
	default:
		return false
	}
}

// Streamed reports whether the request asked for a stream ("stream": true).
func (r *Request) Streamed() bool {
	s, _ := r.Body["stream"].(bool)
	return s
}

// Messages returns the request's messages as decoded JSON objects.
func (r *Request) Messages() []map[string]any {
	list, _ := r.Body["messages"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, m := range list {
		if obj, ok := m.(map[string]any); ok {
			out = append(out, obj)
		}
	}
	return out
}

// LastUserMessage returns the text of the last user message ("" when there is none). Content sent
// as an array of parts is joined.
func (r *Request) LastUserMessage() string {
	msgs := r.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i]["role"] == "user" {
			return messageText(msgs[i]["content"])
		}
	}
	return ""
}

// SystemMessage returns the text of the first system (or developer) message.
func (r *Request) SystemMessage() string {
	for _, m := range r.Messages() {
		if m["role"] == "system" || m["role"] == "developer" {
			return messageText(m["content"])
		}
	}
	return ""
}

// SchemaName returns the response_format json_schema name of a structured request, or "".
func (r *Request) SchemaName() string {
	rf, _ := r.Body["response_format"].(map[string]any)
	js, _ := rf["json_schema"].(map[string]any)
	name, _ := js["name"].(string)
	return name
}

func messageText(content any) string {
	switch c := content.(type) {
	case string:
		return c
	case []any:
		var b strings.Builder
		for _, p := range c {
			if part, ok := p.(map[string]any); ok {
				if s, ok := part["text"].(string); ok {
					b.WriteString(s)
				}
			}
		}
		return b.String()
	}
	return ""
}

// Responder chooses the reply to one request.
type Responder func(*Request) Reply

// NewHandler serves chat completions with replies chosen by respond. It is the wire code shared by
// Server and the standalone cmd/fakellm.
func NewHandler(respond Responder) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/chat/completions") {
			Reply{Status: http.StatusNotFound, Body: `{"error":{"message":"Resource not found","code":"404"}}`}.write(w, r)
			return
		}
		req := record(r)
		if req.WasCanceled() {
			return
		}
		if respond(req).write(w, r) {
			req.once.Do(func() { close(req.canceled) })
		}
	})
}

func record(r *http.Request) *Request {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	req := &Request{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(),
		RawBody: raw, canceled: make(chan struct{}),
	}
	if err != nil {
		req.once.Do(func() { close(req.canceled) })
		return req
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&req.Body) != nil {
		req.Body = nil
	}
	return req
}

// Server is a fake chat-completions server with a queue of scripted replies. Each request takes
// the next reply; a request with none left fails the test and gets a 500.
type Server struct {
	// URL is the server's base, e.g. "http://127.0.0.1:PORT", without a trailing slash.
	URL string

	t        testing.TB
	mu       sync.Mutex
	queue    []Reply
	requests []*Request
}

// NewServer starts a fake server that stops when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t}
	hs := httptest.NewServer(NewHandler(s.next))
	t.Cleanup(hs.Close)
	s.URL = hs.URL
	return s
}

// Enqueue appends replies to the script.
func (s *Server) Enqueue(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, replies...)
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []*Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Request(nil), s.requests...)
}

// Pending returns how many scripted replies have not been used.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

func (s *Server) next(req *Request) Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
	if len(s.queue) == 0 {
		s.t.Errorf("llmtest: request %d to %s has no scripted reply", len(s.requests), req.Path)
		return StatusError(http.StatusInternalServerError, "llmtest_no_reply", "no scripted reply", "")
	}
	r := s.queue[0]
	s.queue = s.queue[1:]
	return r
}
