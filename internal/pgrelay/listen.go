package pgrelay

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

const selectRowSQL = `SELECT session_id, payload FROM session_event WHERE id = $1`

// connectListener opens a connection and LISTENs on the channel.
func (r *Relay) connectListener(ctx context.Context) (*pgx.Conn, error) {
	conn, err := r.connect(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{r.channel}.Sanitize()); err != nil {
		r.closeConn(conn)
		return nil, fmt.Errorf("listen: %w", err)
	}
	r.listenPID.Store(conn.PgConn().PID())
	return conn, nil
}

// runListener receives notifications until Close, reconnecting with backoff after the connection
// drops. What other replicas publish while it is down is missed; the next event of each of them
// shows the gap in its sequence numbers, which is counted and logged.
func (r *Relay) runListener(conn *pgx.Conn) {
	defer r.wg.Done()
	rc := &receiver{r: r, origins: make(map[string]originState), pruned: time.Now()}
	for {
		err := rc.receive(conn)
		r.closeConn(conn)
		if r.ctx.Err() != nil {
			return
		}
		r.logger.Warn("pgrelay: listening connection lost; reconnecting (events published meanwhile are missed)", "err", err)
		if conn = r.relisten(); conn == nil {
			return
		}
	}
}

func (r *Relay) relisten() *pgx.Conn {
	lost := time.Now()
	for attempt := 0; ; attempt++ {
		if !sleep(r.ctx, backoff(attempt)) {
			return nil
		}
		conn, err := r.connectListener(r.ctx)
		if err == nil {
			r.st.reconnects.Add(1)
			r.logger.Info("pgrelay: listening again",
				"attempts", attempt+1, "down_for", time.Since(lost).Round(time.Millisecond))
			return conn
		}
		if r.ctx.Err() != nil {
			return nil
		}
		r.logger.Warn("pgrelay: reconnect listening connection", "attempt", attempt+1, "err", err)
	}
}

// receiver is the state of the listening goroutine.
type receiver struct {
	r       *Relay
	origins map[string]originState // last sequence number of each publishing Relay
	pruned  time.Time
}

type originState struct {
	seq  uint64
	seen time.Time
}

// receive handles notifications on conn until it fails or the Relay closes. After idlePing of
// silence it checks that the connection still answers, so that a connection cut without a word
// is noticed.
func (rc *receiver) receive(conn *pgx.Conn) error {
	ctx := rc.r.ctx
	for {
		wctx, cancel := context.WithTimeout(ctx, rc.r.opts.idlePing)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if n != nil {
			if err := rc.handle(conn, n.Payload); err != nil {
				return err
			}
		}
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			pctx, cancel := context.WithTimeout(ctx, queryTimeout)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return fmt.Errorf("check idle listening connection: %w", err)
			}
		default:
			return fmt.Errorf("wait for notification: %w", err)
		}
	}
}

// handle decodes a notification, reads its row if it has one, and queues the event for delivery.
// It returns an error only when the connection is lost.
func (rc *receiver) handle(conn *pgx.Conn, payload string) error {
	m, err := decode(payload)
	if err != nil {
		rc.missed(1, "malformed notification")
		return nil
	}
	if m.origin == rc.r.origin || !rc.inSequence(m) {
		return nil
	}
	if m.kind == kindRow {
		ctx, cancel := context.WithTimeout(rc.r.ctx, queryTimeout)
		err := conn.QueryRow(ctx, selectRowSQL, m.rowID).Scan(&m.sessionID, &m.event)
		cancel()
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			rc.missed(1, "session_event row already deleted")
			return nil
		case err != nil && conn.IsClosed():
			rc.missed(1, "connection lost reading a session_event row")
			return fmt.Errorf("read session_event row: %w", err)
		case err != nil:
			rc.missed(1, "session_event row unreadable")
			rc.r.logger.Warn("pgrelay: read session_event row", "err", err)
			return nil
		}
	}
	select {
	case rc.r.deliver <- inEvent{sessionID: m.sessionID, event: m.event}:
	default:
		rc.missed(1, "receive queue full")
	}
	return nil
}

// inSequence records m's sequence number and reports whether m is new. A gap means events of
// that publisher were missed, typically while this Relay was reconnecting.
func (rc *receiver) inSequence(m message) bool {
	now := time.Now()
	if now.Sub(rc.pruned) > rc.r.opts.originTTL/10 {
		for o, s := range rc.origins {
			if now.Sub(s.seen) > rc.r.opts.originTTL {
				delete(rc.origins, o)
			}
		}
		rc.pruned = now
	}
	last, known := rc.origins[m.origin]
	if known && m.seq <= last.seq {
		rc.r.st.duplicates.Add(1)
		return false
	}
	rc.origins[m.origin] = originState{seq: m.seq, seen: now}
	if known && m.seq > last.seq+1 {
		rc.missed(m.seq-last.seq-1, "not listening when they were published")
	}
	return true
}

func (rc *receiver) missed(n uint64, reason string) {
	total := rc.r.st.missed.Add(n)
	rc.r.warn(warnMissed, "pgrelay: missed events of other replicas", "reason", reason, "missed", n, "missed_total", total)
}
