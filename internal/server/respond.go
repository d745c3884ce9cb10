package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"presto/internal/chat"
)

type ctxKey int

const requestIDKey ctxKey = 0

func withRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// encode writes v as JSON with status.
func encode(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to do
}

// writeError writes the error JSON of PRODUCT.md 5.3.
func writeError(w http.ResponseWriter, status int, msg string) {
	encode(w, status, map[string]string{"error": msg})
}

const maxBodyBytes = 64 << 10

// decode reads a JSON body into v, refusing unknown fields, trailing data and bodies over 64 KB.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return errors.New("invalid JSON body: data after the object")
	}
	return nil
}

// fail answers an error with the status and message chat.Explain gives it; the detail goes to
// the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := chat.Explain(err)
	if p.Kind == chat.ProblemCanceled {
		return // the client went away
	}
	status := problemStatus[p.Kind]
	if p.RetryAfter > 0 {
		// A budget's refusal is counted in /metrics; a warning each would let a flood fill the log.
		s.Logger.Debug("request refused", "id", requestID(r.Context()), "path", r.URL.Path, "status", status, "err", err)
		w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
	} else {
		s.Logger.Warn("request failed", "id", requestID(r.Context()), "path", r.URL.Path, "status", status, "err", err)
	}
	writeError(w, status, p.Message)
}

// problemStatus is the HTTP status of each kind of problem.
var problemStatus = map[chat.ProblemKind]int{
	chat.ProblemRejected:    http.StatusBadRequest,
	chat.ProblemRateLimited: http.StatusTooManyRequests,
	chat.ProblemBudget:      http.StatusTooManyRequests,
	chat.ProblemNotFound:    http.StatusNotFound,
	chat.ProblemConflict:    http.StatusConflict,
	chat.ProblemUpstream:    http.StatusBadGateway,
	chat.ProblemStore:       http.StatusServiceUnavailable,
	chat.ProblemInternal:    http.StatusInternalServerError,
}
