package server

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/coder/websocket"

	"presto/internal/protocol"
)

const (
	// The bytes a socket may have waiting to be written before it counts as too slow and is
	// closed: a dashboard's messages are small; a voice answer's audio comes faster than it plays
	// (about 48 KB a second) and may sit in the queue of a phone on a slow network for a while.
	screenQueueBytes = 1 << 20
	voiceQueueBytes  = 4 << 20
	writeTimeout     = 5 * time.Second  // one write; a client that cannot take it in time is gone
	pingEvery        = 25 * time.Second // keeps proxies from idling the socket out and finds dead peers
	pingTimeout      = 15 * time.Second
)

// handleWS upgrades to the /ws socket of PRODUCT.md 5.4. Browsers from origins other than the
// server's own and the allowed ones are refused (no cross-site WebSocket hijacking).
func (s *Server) handleWS() http.Handler {
	return s.handleSocket(protocol.MaxMessageBytes, screenQueueBytes, nil)
}

// handleSocket upgrades to a socket of the caller's session with the origin rule and readLimit,
// lets setup (if any) make it a socket of its kind, and serves it. The socket outlives this
// handler: its reader runs on a fresh goroutine, so the deep stack of the upgrade and the session
// load is freed here instead of being kept by every idle socket.
func (s *Server) handleSocket(readLimit int64, queueBytes int, setup func(*client)) http.Handler {
	patterns := originPatterns(s.AllowedOrigins)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.trackSocket() {
			writeError(w, http.StatusServiceUnavailable, "shutting down")
			return
		}
		c, err := s.upgrade(w, r, patterns, readLimit, queueBytes)
		if err != nil {
			s.sockets.Done()
			return
		}
		if setup != nil {
			setup(c)
		}
		s.Metrics.SocketOpened()
		go func() {
			defer s.sockets.Done()
			defer s.Chat.Release(c.sess)
			defer s.Metrics.SocketClosed()
			c.serve(s.closingCtx)
		}()
	})
}

// upgrade accepts the socket and loads the session; serve subscribes it, which queues the session
// message first.
func (s *Server) upgrade(w http.ResponseWriter, r *http.Request, patterns []string, readLimit int64, queueBytes int) (*client, error) {
	id := s.sessionID(w, r)
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: patterns})
	if err != nil {
		s.Logger.Info("websocket refused", "id", requestID(r.Context()), "path", r.URL.Path, "err", err)
		return nil, err // Accept has answered (403 for a foreign origin)
	}
	conn.SetReadLimit(readLimit)
	sess, err := s.Chat.Open(r.Context(), id)
	if err != nil {
		s.Logger.Error("open session", "err", err)
		conn.Close(websocket.StatusInternalError, "session unavailable")
		return nil, err
	}
	// The request's context ends when the handler returns; the socket's must not.
	return newClient(context.WithoutCancel(r.Context()), conn, sess, queueBytes, s.Metrics, s.Logger), nil
}

// originPatterns turns allowed origins into the host patterns the websocket library matches.
func originPatterns(origins []string) []string {
	var patterns []string
	for _, o := range origins {
		if u, err := url.Parse(o); err == nil && u.Host != "" {
			patterns = append(patterns, u.Host)
		}
	}
	return patterns
}
