package pgrelay

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// A batch is what the publisher sends in one round trip: all that is queued, up to these.
	maxBatchEvents = 256
	maxBatchBytes  = 1 << 20
)

const (
	notifySQL = `SELECT pg_notify($1, $2)`
	// rowNotifySQL stores an event and sends the notification naming its row in one statement,
	// so the row and the notification commit together and keep their place in the batch.
	rowNotifySQL = `WITH ins AS (INSERT INTO session_event (session_id, payload) VALUES ($3, $4) RETURNING id)
SELECT pg_notify($1, $2::text || ins.id::text) FROM ins`
	sweepSQL = `DELETE FROM session_event WHERE created_at < now() - make_interval(secs => $1)`
)

// item is one queued statement of a batch.
type item struct {
	sql  string
	args []any
	row  bool
}

// publisher is the state of the publishing goroutine.
type publisher struct {
	r    *Relay
	conn *pgx.Conn // nil or closed while reconnecting
	seq  uint64    // sequence number of the last event sent
}

// runPublisher drains the queue: whatever is pending goes in one batch, whose statements run in
// one implicit transaction, so the notifications are sent in publishing order.
func (r *Relay) runPublisher(conn *pgx.Conn) {
	defer r.wg.Done()
	p := &publisher{r: r, conn: conn}
	defer func() { r.closeConn(p.conn) }()

	sweep := time.NewTicker(r.opts.sweepEvery)
	defer sweep.Stop()
	batch := make([]outEvent, 0, maxBatchEvents)
	for {
		select {
		case <-r.ctx.Done():
			p.flush()
			return
		case ev := <-r.queue:
			batch = r.drain(append(batch[:0], ev))
			p.send(r.pubCtx, batch)
			clear(batch) // release the events' buffers
		case <-sweep.C:
			p.sweep(r.pubCtx)
		}
	}
}

// drain adds to batch what is queued, within the batch bounds.
func (r *Relay) drain(batch []outEvent) []outEvent {
	size := 0
	for _, ev := range batch {
		size += len(ev.event)
	}
	for len(batch) < maxBatchEvents && size < maxBatchBytes {
		select {
		case ev := <-r.queue:
			batch = append(batch, ev)
			size += len(ev.event)
		default:
			return batch
		}
	}
	return batch
}

// flush sends what is still queued when the Relay closes, until pubCtx ends.
func (p *publisher) flush() {
	for batch := p.r.drain(nil); len(batch) > 0 && p.r.pubCtx.Err() == nil; batch = p.r.drain(batch[:0]) {
		p.send(p.r.pubCtx, batch)
	}
}

// send publishes a batch. After a lost connection it reconnects and sends the batch once more (a
// receiver skips what it already had by sequence number); after PostgreSQL refused a statement
// it sends the events one by one, so that one bad event does not take the others with it.
func (p *publisher) send(ctx context.Context, batch []outEvent) {
	items := make([]item, len(batch))
	rows := 0
	for i, ev := range batch {
		items[i] = p.encode(ev)
		if items[i].row {
			rows++
		}
	}
	if !p.ensureConn(ctx) {
		p.r.st.sendFailed.Add(uint64(len(items)))
		return
	}
	err := p.exec(ctx, items)
	if err != nil && p.conn.IsClosed() && ctx.Err() == nil {
		p.r.logger.Warn("pgrelay: publishing connection lost; reconnecting to resend", "events", len(items), "err", err)
		if p.ensureConn(ctx) {
			err = p.exec(ctx, items)
		}
	}
	if err == nil {
		p.r.st.published.Add(uint64(len(items)))
		p.r.st.publishedRows.Add(uint64(rows))
		return
	}
	if len(items) == 1 || p.conn == nil || p.conn.IsClosed() || ctx.Err() != nil {
		p.r.st.sendFailed.Add(uint64(len(items)))
		p.r.logger.Warn("pgrelay: events not published", "events", len(items), "err", err)
		return
	}
	failed := 0
	for _, it := range items {
		if err := p.exec(ctx, []item{it}); err != nil {
			failed++
			p.r.st.sendFailed.Add(1)
			continue
		}
		p.r.st.published.Add(1)
		if it.row {
			p.r.st.publishedRows.Add(1)
		}
	}
	p.r.logger.Warn("pgrelay: PostgreSQL refused a batch; sent its events one by one",
		"events", len(items), "failed", failed, "err", err)
}

// encode numbers an event and makes its statement: a notification carrying it, or a row and a
// notification carrying the row's id.
func (p *publisher) encode(ev outEvent) item {
	p.seq++
	if payload, ok := encodeInline(p.r.origin, p.seq, ev.sessionID, ev.event, p.r.utf8Server, p.r.maxPayload); ok {
		return item{sql: notifySQL, args: []any{p.r.channel, payload}}
	}
	event := ev.event
	if event == nil {
		event = []byte{} // payload is NOT NULL
	}
	return item{sql: rowNotifySQL, args: []any{p.r.channel, rowPrefix(p.r.origin, p.seq), ev.sessionID, event}, row: true}
}

// exec sends items in one batch, one round trip.
func (p *publisher) exec(ctx context.Context, items []item) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	b := &pgx.Batch{}
	for _, it := range items {
		b.Queue(it.sql, it.args...)
	}
	if err := p.conn.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("publish %d events: %w", len(items), err)
	}
	return nil
}

// sweep deletes the rows older than the retention. Every Relay sweeps; they do not need to agree.
func (p *publisher) sweep(ctx context.Context) {
	if !p.ensureConn(ctx) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	tag, err := p.conn.Exec(ctx, sweepSQL, p.r.opts.retention.Seconds())
	if err != nil {
		if ctx.Err() == nil {
			p.r.logger.Warn("pgrelay: delete old session_event rows", "err", err)
		}
		return
	}
	p.r.st.rowsSwept.Add(uint64(tag.RowsAffected()))
}

// ensureConn reconnects the publishing connection when it is closed, with backoff, until it
// succeeds or ctx ends. Meanwhile Publish keeps queueing and, once the queue is full, dropping.
func (p *publisher) ensureConn(ctx context.Context) bool {
	if p.conn != nil && !p.conn.IsClosed() {
		return true
	}
	p.r.closeConn(p.conn)
	p.conn = nil
	lost := time.Now()
	for attempt := 0; ; attempt++ {
		if !sleep(ctx, backoff(attempt)) {
			return false
		}
		conn, err := p.r.connect(ctx)
		if err == nil {
			p.conn = conn
			p.r.publishPID.Store(conn.PgConn().PID())
			p.r.st.pubReconnect.Add(1)
			p.r.logger.Info("pgrelay: publishing connection re-established",
				"attempts", attempt+1, "down_for", time.Since(lost).Round(time.Millisecond))
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		p.r.logger.Warn("pgrelay: reconnect publishing connection", "attempt", attempt+1, "err", err)
	}
}

// backoff is the wait before reconnect attempt n (from 0): 50 ms doubling up to 5 s, with
// jitter so that replicas cut off together do not come back in step.
func backoff(attempt int) time.Duration {
	d := 50 * time.Millisecond << min(attempt, 7)
	d = min(d, 5*time.Second)
	return d/2 + rand.N(d/2)
}
