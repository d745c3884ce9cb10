package llmtest

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Reply is one scripted answer to one request: either a whole body (an error or a non-streamed
// completion) or a server-sent-event stream. Build one with the helpers (Text, ToolCalls,
// RateLimited, ...) and adjust it with the With* methods.
type Reply struct {
	Status int         // HTTP status; 0 means 200
	Header http.Header // extra response headers, e.g. Retry-After
	Body   string      // a whole JSON body; when set, Events are ignored

	Events     []string      // the data payloads of the stream, in order
	FirstDelay time.Duration // wait before the first event (a fixed time to first token)
	Delay      time.Duration // wait between events
	Cut        int           // when > 0: close the connection abruptly after this many events
	Hang       bool          // after the events, hold the stream open until the client goes away
	NoDone     bool          // end the stream without the final "data: [DONE]"
}

// WithFirstDelay returns r with a fixed delay before its first event.
func (r Reply) WithFirstDelay(d time.Duration) Reply { r.FirstDelay = d; return r }

// WithDelay returns r with a delay between events.
func (r Reply) WithDelay(d time.Duration) Reply { r.Delay = d; return r }

// CutAfter returns r cut mid-way: after n events the connection is closed without ending the
// HTTP response, as a dropped connection or a crashed proxy would.
func (r Reply) CutAfter(n int) Reply { r.Cut = n; return r }

// ThenHang returns r holding its stream open after the last event until the client cancels, so a
// test can prove the upstream request was cancelled. See also Stalled.
func (r Reply) ThenHang() Reply { r.Hang = true; r.NoDone = true; return r }

// WithAzureFilters returns r as Azure sends it: a leading chunk with an empty id, empty choices and
// prompt_filter_results, and a trailing content-filter chunk (empty id) before the usage chunk.
func (r Reply) WithAzureFilters() Reply {
	lead := mustJSON(chunk{Choices: []chunkChoice{}, PromptFilterResults: []filterResult{{ContentFilterResults: *safeFilters()}}})
	filter := mustJSON(chunk{Created: created, Choices: []chunkChoice{{ContentFilterResults: safeFilters()}}})
	events := append([]string{lead}, r.Events...)
	if n := len(events); n > 1 {
		events = append(events[:n-1], filter, events[n-1])
	}
	r.Events = events
	return r
}

// write sends the reply. It reports whether the client went away (its context was cancelled)
// before the reply was complete.
func (r Reply) write(w http.ResponseWriter, req *http.Request) (canceled bool) {
	for k, vs := range r.Header {
		w.Header()[k] = vs
	}
	status := r.Status
	if status == 0 {
		status = http.StatusOK
	}
	if r.Body != "" || status != http.StatusOK {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = fmt.Fprint(w, r.Body)
		return false
	}
	return r.stream(w, req.Context())
}

func (r Reply) stream(w http.ResponseWriter, ctx context.Context) (canceled bool) {
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	if flusher != nil {
		flusher.Flush()
	}
	for i, ev := range r.Events {
		if r.Cut > 0 && i == r.Cut {
			cut(w)
			return false
		}
		wait := r.Delay
		if i == 0 {
			wait = r.FirstDelay
		}
		if !sleep(ctx, wait) {
			return true
		}
		if _, err := fmt.Fprintf(w, "data: %s\n\n", ev); err != nil {
			return ctx.Err() != nil
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
	if r.Cut > 0 {
		cut(w)
		return false
	}
	if r.Hang {
		<-ctx.Done()
		return true
	}
	if !r.NoDone {
		_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
	}
	return false
}

// cut closes the connection under a chunked response, so the client sees an unexpected EOF.
func cut(w http.ResponseWriter) {
	if flusher, ok := w.(http.Flusher); ok {
		flusher.Flush()
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("llmtest: the response writer cannot be hijacked to cut the stream")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic("llmtest: hijack to cut the stream: " + err.Error())
	}
	_ = conn.Close()
}

// sleep waits for d or until ctx ends; it reports whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
