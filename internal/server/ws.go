package server

import (
	"context"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"presto/internal/chat"
	"presto/internal/clientaddr"
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

	// Past its rate a socket's messages are dropped (the first with an error); one that goes on,
	// strikesBurst dropped messages beyond strikesPerSecond, is closed with 1008.
	strikesPerSecond = 1
	strikesBurst     = 50
)

// messageRate is how many messages a socket may send: perSecond sustained, burst at once.
type messageRate struct{ perSecond, burst float64 }

// screenRate is a /ws socket's: a screen sends a message per click or question.
func (s *Server) screenRate() messageRate {
	n := float64(s.SocketMessageRate)
	return messageRate{perSecond: n, burst: 2 * n}
}

// voiceRate is a /voice socket's: the microphone's pieces, plus played and mute.
func (s *Server) voiceRate() messageRate {
	n := 10 * float64(s.SocketMessageRate)
	return messageRate{perSecond: n, burst: 2 * n}
}

// handleWS upgrades to the /ws socket of PRODUCT.md 5.4. Browsers from origins other than the
// server's own and the allowed ones are refused with 403 (no cross-site WebSocket hijacking).
func (s *Server) handleWS() http.Handler {
	return s.handleSocket(protocol.MaxMessageBytes, screenQueueBytes, s.screenRate(), nil)
}

// handleSocket upgrades to a socket of the caller's session with the origin rule and readLimit,
// lets setup (if any) make it a socket of its kind, and serves it. The socket outlives this
// handler: its reader runs on a fresh goroutine, so the deep stack of the upgrade and the session
// load is freed here instead of being kept by every idle socket.
func (s *Server) handleSocket(readLimit int64, queueBytes int, rate messageRate, setup func(*client)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.originAllowed(r) {
			s.Logger.Info("websocket refused", "id", requestID(r.Context()), "path", r.URL.Path, "origin", r.Header.Get("Origin"))
			writeError(w, http.StatusForbidden, "origin not allowed")
			return
		}
		addr := clientaddr.From(r, s.TrustedProxies)
		if refused := s.admitSocket(addr); refused != "" {
			// Refused before the upgrade: a client that opens sockets by the thousand gets an
			// answer, not a handle the process does not have.
			w.Header().Set("Retry-After", "10")
			writeError(w, http.StatusServiceUnavailable, refused)
			return
		}
		c, err := s.upgrade(w, r, readLimit, queueBytes, rate)
		if err != nil {
			s.releaseSocket(addr)
			return
		}
		if setup != nil {
			setup(c)
		}
		s.Metrics.SocketOpened()
		go func() {
			defer s.releaseSocket(addr)
			defer s.Chat.Release(c.sess)
			defer s.Metrics.SocketClosed()
			c.serve(s.closingCtx)
		}()
	})
}

// upgrade accepts the socket and loads the session; serve subscribes it, which queues the session
// message first.
func (s *Server) upgrade(w http.ResponseWriter, r *http.Request, readLimit int64, queueBytes int, rate messageRate) (*client, error) {
	id, from := s.sessionID(w, r), s.clientAddr(r)
	// The origin was checked by originAllowed, exactly (the library's own check ignores the scheme).
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		s.Logger.Info("websocket refused", "id", requestID(r.Context()), "path", r.URL.Path, "err", err)
		return nil, err // Accept has answered (400 for a request that is no upgrade)
	}
	conn.SetReadLimit(readLimit)
	sess, err := s.Chat.Open(r.Context(), id, from)
	if err != nil {
		if p := chat.Explain(err); p.Kind == chat.ProblemBudget {
			// Too many new sessions from this address: 1013 is "try again later", and the reason
			// says when (a close reason is at most 123 bytes; these are shorter).
			conn.Close(websocket.StatusTryAgainLater, p.Message)
			return nil, err
		}
		s.Logger.Error("open session", "err", err)
		conn.Close(websocket.StatusInternalError, "session unavailable")
		return nil, err
	}
	// The request's context ends when the handler returns; the socket's must not.
	return newClient(context.WithoutCancel(r.Context()), conn, sess, from, queueBytes, rate, s.Metrics, s.Logger), nil
}
