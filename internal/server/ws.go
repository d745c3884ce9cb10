package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coder/websocket"

	"presto/internal/chat"
	"presto/internal/protocol"
)

const (
	sendQueue    = 256              // messages waiting for a slow client before it is dropped
	writeTimeout = 5 * time.Second  // one write; a client that cannot take it in time is gone
	pingEvery    = 25 * time.Second // keeps proxies from idling the socket out and finds dead peers
	pingTimeout  = 15 * time.Second
)

// handleWS upgrades to the /ws socket of PRODUCT.md 5.4. Browsers from origins other than the
// server's own and the allowed ones are refused (no cross-site WebSocket hijacking).
func (s *Server) handleWS() http.Handler {
	patterns := originPatterns(s.AllowedOrigins)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.trackSocket() {
			writeError(w, http.StatusServiceUnavailable, "shutting down")
			return
		}
		defer s.sockets.Done()
		id := s.sessionID(w, r)
		conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: patterns})
		if err != nil {
			s.Logger.Info("websocket refused", "id", requestID(r.Context()), "err", err)
			return // Accept has answered (403 for a foreign origin)
		}
		conn.SetReadLimit(protocol.MaxMessageBytes)

		sess, err := s.Chat.Open(r.Context(), id)
		if err != nil {
			s.Logger.Error("open session", "session", id, "err", err)
			conn.Close(websocket.StatusInternalError, "session unavailable")
			return
		}
		defer s.Chat.Release(sess)
		c := &client{conn: conn, sess: sess, ready: make(chan struct{}, 1), logger: s.Logger.With("session", id)}
		c.serve(r.Context(), s.closingCtx)
	})
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

// client is one socket: a reader (this goroutine) and a writer, joined by a bounded queue. Only the
// writer writes; a client too slow to drain its queue is disconnected rather than allowed to stall
// the turn that feeds it. The queue is a slice, not a buffered channel, so an idle socket (most of
// them) holds no queue memory.
type client struct {
	conn   *websocket.Conn
	sess   *chat.Session
	logger *slog.Logger
	cancel context.CancelFunc
	ctx    context.Context

	mu    sync.Mutex
	queue [][]byte      // messages waiting for the writer, at most sendQueue
	ready chan struct{} // capacity 1: the writer has something to do
}

func (c *client) serve(ctx context.Context, closing context.Context) {
	c.ctx, c.cancel = context.WithCancel(ctx)
	defer c.cancel()
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		c.write()
	}()
	stopGoingAway := context.AfterFunc(closing, func() {
		c.conn.Close(websocket.StatusGoingAway, "server shutting down")
	})
	defer stopGoingAway()

	state := c.sess.State()
	c.send(protocol.TypeSession, state.Turn, state)
	c.read()
	c.cancel()
	<-writerDone
	c.conn.CloseNow()
}

// read routes client messages until the socket ends. Bad messages get an error and the socket
// stays up; only an oversized one closes it (the library answers 1009).
func (c *client) read() {
	for {
		typ, data, err := c.conn.Read(c.ctx)
		if err != nil {
			if status := websocket.CloseStatus(err); status == -1 && !errors.Is(err, context.Canceled) {
				c.logger.Debug("websocket read", "err", err)
			}
			return
		}
		if typ != websocket.MessageText {
			c.sendError("binary messages are not supported; send JSON text")
			continue
		}
		env, err := protocol.Decode(data)
		if err != nil {
			c.sendError(err.Error())
			continue
		}
		c.route(env)
	}
}

func (c *client) route(env protocol.Envelope) {
	switch env.Type {
	case protocol.TypeChat:
		var p protocol.ChatPayload
		if err := json.Unmarshal(env.Payload, &p); err != nil {
			c.sendError(`chat needs {"text": "…"}`)
			return
		}
		c.sess.Chat(c.ctx, p.Text, c.send)
	case protocol.TypeClearChat:
		if err := c.sess.Clear(c.ctx); err != nil {
			c.logger.Error("clear chat", "err", err)
			c.send(protocol.TypeError, 0, protocol.ErrorPayload{Error: "could not clear the conversation; try again", Retryable: true})
			return
		}
		c.send(protocol.TypeChatCleared, 0, struct{}{})
	case protocol.TypeCancel:
		c.sess.Cancel()
	case protocol.TypePing:
		c.send(protocol.TypePong, 0, struct{}{})
	case protocol.TypeEcho:
		payload := env.Payload
		if len(payload) == 0 {
			payload = json.RawMessage("{}")
		}
		c.send(protocol.TypeEcho, 0, payload)
	default:
		c.sendError("unknown message type " + quote(env.Type))
	}
}

func (c *client) sendError(msg string) {
	c.send(protocol.TypeError, 0, protocol.ErrorPayload{Error: msg})
}

// send queues one message; it never blocks. It is the chat.Send of this socket.
func (c *client) send(typ string, turn int, payload any) {
	b, err := protocol.Encode(typ, turn, payload)
	if err != nil {
		c.logger.Error("encode message", "type", typ, "err", err)
		return
	}
	c.mu.Lock()
	full := len(c.queue) >= sendQueue
	if !full {
		c.queue = append(c.queue, b)
	}
	c.mu.Unlock()
	if full {
		c.logger.Warn("client too slow, disconnecting", "queued", sendQueue)
		c.cancel()
		return
	}
	select {
	case c.ready <- struct{}{}:
	default: // the writer is already told
	}
}

// take empties the queue.
func (c *client) take() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	batch := c.queue
	c.queue = nil
	return batch
}

// write is the only goroutine that writes to the socket.
func (c *client) write() {
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-c.ready:
			for _, b := range c.take() {
				ctx, cancel := context.WithTimeout(c.ctx, writeTimeout)
				err := c.conn.Write(ctx, websocket.MessageText, b)
				cancel()
				if err != nil {
					c.cancel()
					return
				}
			}
		case <-ping.C:
			ctx, cancel := context.WithTimeout(c.ctx, pingTimeout)
			err := c.conn.Ping(ctx)
			cancel()
			if err != nil {
				c.logger.Info("websocket ping failed, closing", "err", err)
				c.cancel()
				return
			}
		}
	}
}
