package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"

	"presto/internal/chat"
	"presto/internal/metrics"
	"presto/internal/protocol"
	"presto/internal/store"
	"presto/internal/voice"
)

// client is one socket: a reader goroutine that routes what the client sends, and a writer that
// is the only one to write. The writer runs while there is something to write (messages or a ping
// that is due) and exits when the queue is empty, so an idle socket, which is what most sockets
// are, costs one goroutine and no queue memory. A client too slow to drain a full queue is
// disconnected rather than allowed to stall the turn that feeds it.
type client struct {
	conn    *websocket.Conn
	sess    *chat.Session
	from    netip.Addr // the client's address, charged for what it asks of the LLM
	metrics *metrics.Metrics
	screen  string       // this socket's id among the session's screens
	voice   *voice.Relay // set on a /voice socket: its messages go to the relay
	logger  *slog.Logger
	ctx     context.Context
	cancel  context.CancelFunc
	pinger  *time.Timer
	writer  sync.WaitGroup // the writer goroutine, while it runs

	// Read by the reader goroutine only.
	rate      messageRate
	inbox     tokenBucket // the messages this socket may send
	strikes   tokenBucket // the messages it may send past inbox before it is closed
	throttled bool        // an error told it to slow down since the last message taken

	mu      sync.Mutex
	queue   [][]byte        // messages waiting for the writer
	queued  int             // the bytes queued or being written, at most limit
	limit   int             // the bytes a socket may have waiting before it counts as too slow
	pingDue bool            // the writer should ping once the queue is written
	writing bool            // a writer goroutine is running (or the socket is broken: never start one)
	dropped bool            // the client fell too far behind: nothing more is queued
	flushed []chan struct{} // closed when the writer next finds the queue empty
}

func newClient(ctx context.Context, conn *websocket.Conn, sess *chat.Session, from netip.Addr, limit int, rate messageRate, m *metrics.Metrics, logger *slog.Logger) *client {
	c := &client{conn: conn, sess: sess, from: from, screen: newID()[:12], limit: limit, metrics: m, logger: logger, rate: rate,
		inbox: newTokenBucket(rate.perSecond, rate.burst), strikes: newTokenBucket(strikesPerSecond, strikesBurst)}
	c.ctx, c.cancel = context.WithCancel(ctx)
	c.pinger = time.AfterFunc(pingEvery, c.pingSoon)
	return c
}

// serve reads until the socket ends, then waits for the writer. closing ends the socket with 1001;
// after a drain, once what was queued (the end of the last turn) has been written.
func (c *client) serve(closing context.Context) {
	defer c.cancel()
	stopGoingAway := context.AfterFunc(closing, func() {
		if errors.Is(context.Cause(closing), errTurnsDrained) {
			c.waitFlushed(writeTimeout)
		}
		c.conn.Close(websocket.StatusGoingAway, "server shutting down")
	})
	defer stopGoingAway()
	unsubscribe := c.sess.Subscribe(c.deliver)
	defer unsubscribe()
	if c.voice == nil {
		for _, filled := range c.sess.CachedTabs(c.ctx) { // the prefetch told the screens already there
			c.deliver(filled)
		}
	} else {
		c.voice.Start(c.ctx)
		defer c.voice.Stop() // no orphan realtime session: it costs money by the minute
	}
	c.read()
	c.cancel()
	c.pinger.Stop()
	c.mu.Lock()
	c.writing = true // no writer starts from now on: a late turn's sends go nowhere
	c.mu.Unlock()
	c.conn.CloseNow()
	c.writer.Wait()
}

// read routes client messages until the socket ends. Bad messages get an error and the socket
// stays up; only an oversized one closes it (the library answers 1009), and a flood of them
// (throttle).
func (c *client) read() {
	for {
		typ, data, err := c.conn.Read(c.ctx)
		if err != nil {
			if status := websocket.CloseStatus(err); status == -1 && !errors.Is(err, context.Canceled) {
				c.logger.Debug("websocket read", "err", err)
			}
			return
		}
		if c.rate.perSecond > 0 && !c.inbox.take(time.Now()) {
			if !c.throttle() {
				return
			}
			continue
		}
		c.throttled = false
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

// throttle drops a message sent past the socket's rate, every kind alike: answered or not, each
// costs the server a decode and a write. The first one dropped gets an error; a socket that keeps
// sending faster is closed with 1008. It reports whether the socket stays open.
func (c *client) throttle() bool {
	if !c.strikes.take(time.Now()) {
		c.logger.Info("socket sends too many messages, closing", "session", store.SessionLogID(c.sess.ID()))
		c.conn.Close(websocket.StatusPolicyViolation, "too many messages: more than "+strconv.Itoa(int(c.rate.perSecond))+" a second")
		return false
	}
	if !c.throttled {
		c.throttled = true
		c.send(protocol.TypeError, 0, protocol.ErrorPayload{Retryable: true,
			Error: "too many messages: at most " + strconv.Itoa(int(c.rate.perSecond)) + " a second (" + strconv.Itoa(int(c.rate.burst)) +
				" at once); this one and the next ones are dropped until then"})
	}
	return true
}

func (c *client) route(env protocol.Envelope) {
	if c.voice != nil && env.Type != protocol.TypePing {
		if err := c.voice.Message(c.ctx, env.Type, env.Payload); err != nil {
			c.sendError(err.Error())
		}
		return
	}
	switch env.Type {
	case protocol.TypeChat:
		var p protocol.ChatPayload
		if err := json.Unmarshal(env.Payload, &p); err != nil {
			c.sendError(`chat needs {"text": "…"}`)
			return
		}
		c.refused(c.sess.Chat(c.ctx, p.Text, c.screen, c.from))
	case protocol.TypeTab:
		var p protocol.TabPayload
		if err := json.Unmarshal(env.Payload, &p); err != nil || p.TabID == "" {
			c.sendError(`tab needs {"tab_id": "…"}`)
			return
		}
		if err := c.sess.Tab(c.ctx, p.TabID, c.from); err != nil {
			// A refused tab the mode has (the rate limit) is that tab's error, for this screen only.
			if problem := chat.Explain(err); problem.Kind == chat.ProblemRateLimited || problem.Kind == chat.ProblemBudget {
				c.deliver(chat.TabFailed{ModeID: c.sess.ModeID(), TabID: p.TabID, Problem: problem})
				return
			}
			c.refused(err)
		}
	case protocol.TypeClearChat:
		if err := c.sess.Clear(c.ctx); err != nil {
			c.logger.Error("clear chat", "err", err)
			c.send(protocol.TypeError, 0, protocol.ErrorPayload{Error: "could not clear the conversation; try again", Retryable: true})
		}
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

// refused tells this socket why its request started nothing, if it did not.
func (c *client) refused(err error) {
	if err == nil {
		return
	}
	p := chat.Explain(err)
	if p.Kind == chat.ProblemInternal {
		c.logger.Error("request failed", "err", err)
	}
	c.send(protocol.TypeError, 0, protocol.ErrorPayload{Error: p.Message, Retryable: p.Retryable, RetryAfter: p.RetryAfter})
}

func (c *client) sendError(msg string) {
	c.send(protocol.TypeError, 0, protocol.ErrorPayload{Error: msg})
}

// deliver is this socket's subscription to its session's events. A /voice socket gets what the
// dashboard draws (PRODUCT.md 5.5); its own transcripts come from its relay.
func (c *client) deliver(ev chat.Event) {
	if c.voice != nil {
		if !forVoice(ev) {
			return
		}
		if _, ok := ev.(chat.VoiceChosen); ok {
			go c.voice.Restart(c.ctx) // it waits on the upstream; deliver must not
			return
		}
	}
	if typ, turn, payload := wireMessage(ev, c.screen); typ != "" {
		c.send(typ, turn, payload)
	}
}

// send queues one message; it never blocks.
func (c *client) send(typ string, turn int, payload any) {
	b, err := protocol.Encode(typ, turn, payload)
	if err != nil {
		c.logger.Error("encode message", "type", typ, "err", err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dropped {
		return
	}
	if c.queued+len(b) > c.limit {
		c.logger.Warn("client too slow, disconnecting", "queued_bytes", c.queued)
		c.metrics.SocketTooSlow()
		c.dropped = true
		c.queue, c.queued = nil, 0
		// The close frame says why, if the client reads again; a client that never does is cut
		// when the close handshake times out. Closing ends the reader, and with it the socket.
		go c.conn.Close(websocket.StatusPolicyViolation, "too slow: more than "+strconv.Itoa(c.limit>>10)+" KB waiting to be read")
		return
	}
	c.queue = append(c.queue, b)
	c.queued += len(b)
	c.startWriterLocked()
}

// waitFlushed waits until nothing is queued, the socket ends, or d passes.
func (c *client) waitFlushed(d time.Duration) {
	c.mu.Lock()
	if !c.writing || c.dropped {
		c.mu.Unlock()
		return
	}
	flushed := make(chan struct{})
	c.flushed = append(c.flushed, flushed)
	c.mu.Unlock()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-flushed:
	case <-c.ctx.Done():
	case <-timer.C:
	}
}

// pingSoon asks the writer for a ping: it keeps proxies from idling the socket out and finds
// dead peers.
func (c *client) pingSoon() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pingDue = true
	c.startWriterLocked()
}

// startWriterLocked starts the writer unless one runs. c.mu must be held.
func (c *client) startWriterLocked() {
	if c.writing {
		return
	}
	c.writing = true
	c.writer.Add(1)
	go c.write()
}

// write is the only goroutine that writes to the socket. It writes what is queued, pings when a
// ping is due, and exits once there is nothing left; after a failed write it leaves writing set,
// so no new writer starts on a broken socket.
func (c *client) write() {
	defer c.writer.Done()
	for {
		c.mu.Lock()
		batch, ping := c.queue, c.pingDue
		c.queue, c.pingDue = nil, false
		if len(batch) == 0 && !ping {
			c.writing = false
			for _, f := range c.flushed {
				close(f)
			}
			c.flushed = nil
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()

		for _, b := range batch {
			c.mu.Lock()
			dropped := c.dropped
			c.mu.Unlock()
			if dropped { // the close frame that says why goes next
				return
			}
			ctx, cancel := context.WithTimeout(c.ctx, writeTimeout)
			err := c.conn.Write(ctx, websocket.MessageText, b)
			cancel()
			if err != nil {
				c.cancel()
				return
			}
			c.mu.Lock()
			c.queued -= len(b) // counted until written: the batch in hand holds memory too
			c.mu.Unlock()
		}
		if ping {
			ctx, cancel := context.WithTimeout(c.ctx, pingTimeout)
			err := c.conn.Ping(ctx)
			cancel()
			if err != nil {
				c.logger.Info("websocket ping failed, closing", "err", err)
				c.cancel()
				return
			}
			c.pinger.Reset(pingEvery)
		}
	}
}
