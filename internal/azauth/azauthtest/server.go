package azauthtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Request is what the fake server saw of one request.
type Request struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   map[string]any // the decoded JSON body, nil when it was not JSON
}

// Reply is how the fake answers: a status and, for errors, Azure's error shape.
type Reply struct {
	Status  int    // 0 means 200 with a chat completion
	Code    string // error code, e.g. "DeploymentNotFound"
	Message string // error message
	Param   string // the rejected parameter, for 400s
}

// Server is a fake Azure inference endpoint on loopback. Chat-completion routes (v1 and classic)
// answer Reply; every request is recorded.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	reply    Reply
	requests []Request
}

// NewServer starts a fake that answers every chat completion with "OK". It closes with the test.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

// SetReply changes how the following requests are answered.
func (s *Server) SetReply(r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reply = r
}

// Requests returns a copy of what was received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body) // a short body from a loopback client; a read error leaves Body nil
	var body map[string]any
	if json.Unmarshal(raw, &body) != nil {
		body = nil
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	reply := s.reply
	s.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	if !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": "404", "message": "Resource not found"}})
		return
	}
	if reply.Status != 0 && reply.Status != http.StatusOK {
		w.WriteHeader(reply.Status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"code": reply.Code, "message": reply.Message, "param": reply.Param, "type": "invalid_request_error",
		}})
		return
	}
	model, _ := body["model"].(string)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": 1, "model": model + "-fake",
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": "OK"},
		}},
		"usage": map[string]any{"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
	})
}
