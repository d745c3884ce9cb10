// Package pgrelay carries live session events between replicas of the server that share one
// PostgreSQL database, through LISTEN/NOTIFY on one channel.
//
// Each Relay holds two connections of its own (outside any pool): one LISTENs, one publishes.
// Publish queues an event; one goroutine sends what is queued in one round trip, so the events of
// a Relay reach the other replicas in the order they were published. An event too large for a
// notification (PostgreSQL's limit is 8000 bytes) is written to a row of the session_event table
// in the same statement that sends a notification naming the row; receivers read the row, and
// every Relay deletes rows older than a minute. A Relay skips its own notifications by their
// origin, a random id of each Relay.
//
// Delivery is best effort, as live events are: an event published while a receiver is
// reconnecting is missed (and counted, see Stats), and an event published while the queue is full
// is dropped with a warning. Session ids and event payloads are never logged.
package pgrelay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// channelBase is the notification channel of the public schema. A deployment in a schema of
	// its own (or a test run) uses channelBase + "." + schema, since the rows it points at live
	// in that schema.
	channelBase = "presto_events"
	// maxChannelLen is the longest channel name PostgreSQL accepts (NAMEDATALEN - 1).
	maxChannelLen = 63

	// Timeouts of the calls that wait on the database inside the goroutines.
	connectTimeout = 10 * time.Second
	queryTimeout   = 10 * time.Second
	// closeTimeout bounds what Close waits for: sending what is still queued, closing connections.
	closeTimeout = 2 * time.Second

	// warnEvery is the least time between two warnings of the same kind (queue full, events
	// missed), so that a burst of drops gives one line with a running count.
	warnEvery = 5 * time.Second
)

// options are what tests change; Open uses defaultOptions.
type options struct {
	queueSize   int           // events waiting to be published
	deliverSize int           // events received, waiting for the OnEvent function
	retention   time.Duration // age after which a session_event row is deleted
	sweepEvery  time.Duration // how often this Relay deletes old rows
	idlePing    time.Duration // silence after which the listening connection is checked
	originTTL   time.Duration // silence after which a publisher's sequence state is forgotten
}

func defaultOptions() options {
	return options{
		queueSize:   8192,
		deliverSize: 8192,
		retention:   time.Minute,
		sweepEvery:  15 * time.Second,
		idlePing:    30 * time.Second,
		originTTL:   10 * time.Minute,
	}
}

// Relay sends the session events of this replica to the others and receives theirs.
type Relay struct {
	logger     *slog.Logger
	cfg        *pgx.ConnConfig
	opts       options
	origin     string
	channel    string
	utf8Server bool
	maxPayload int // the longest notification payload the server accepts

	queue   chan outEvent
	deliver chan inEvent
	handler atomic.Pointer[func(sessionID string, event []byte)]

	ctx    context.Context // ends when Close is called: the goroutines stop
	cancel context.CancelFunc
	// pubCtx bounds the publisher's calls; it ends closeTimeout after Close was called, so that
	// the batch in flight and what is still queued can still go out.
	pubCtx    context.Context
	pubCancel context.CancelFunc
	wg        sync.WaitGroup
	closed    atomic.Bool
	once      sync.Once

	errMu    sync.Mutex
	closeErr error

	listenPID  atomic.Uint32
	publishPID atomic.Uint32

	st       counters
	lastWarn [numWarnKinds]atomic.Int64
}

type outEvent struct {
	sessionID string
	event     []byte
}

type inEvent struct {
	sessionID string
	event     []byte
}

// Stats are the Relay's counters since Open.
type Stats struct {
	Published     uint64 // events sent to PostgreSQL
	PublishedRows uint64 // of which through a session_event row
	Dropped       uint64 // events not sent: queue full, invalid session id, or after Close
	SendFailed    uint64 // events PostgreSQL refused or that were lost with the publishing connection
	Delivered     uint64 // events of other replicas handed to the OnEvent function
	Missed        uint64 // events of other replicas known to be lost: not listening, row gone, receive queue full
	Duplicates    uint64 // events received twice (a batch resent after a dropped connection) and skipped
	Reconnects    uint64 // times the listening connection was re-established
	PubReconnects uint64 // times the publishing connection was re-established
	RowsSwept     uint64 // session_event rows this Relay deleted
}

type counters struct {
	published, publishedRows, dropped, sendFailed           atomic.Uint64
	delivered, missed, duplicates, reconnects, pubReconnect atomic.Uint64
	rowsSwept                                               atomic.Uint64
}

type warnKind int

const (
	warnQueueFull warnKind = iota
	warnMissed
	warnInvalid
	numWarnKinds
)

// Open connects (one connection that LISTENs, one that publishes) and starts delivering.
// It creates the session_event table when it is missing. ctx bounds only Open itself.
func Open(ctx context.Context, databaseURL string, logger *slog.Logger) (*Relay, error) {
	return open(ctx, databaseURL, logger, defaultOptions())
}

func open(ctx context.Context, databaseURL string, logger *slog.Logger, opts options) (*Relay, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		// pgx's message leaves the password out; the URL itself is not repeated for that reason.
		return nil, fmt.Errorf("open relay: parse database URL: %w", err)
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "presto-relay"
	}
	// A NOTIFY makes its transaction take an id, so each batch's commit would wait for the WAL to
	// reach the disk; nothing the Relay writes needs to survive a crash, so it does not wait.
	cfg.RuntimeParams["synchronous_commit"] = "off"
	var b [originLen / 2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails

	r := &Relay{
		logger:  logger,
		cfg:     cfg,
		opts:    opts,
		origin:  hex.EncodeToString(b[:]),
		queue:   make(chan outEvent, opts.queueSize),
		deliver: make(chan inEvent, opts.deliverSize),
	}

	pub, err := r.connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("open relay: publishing connection: %w", err)
	}
	if err := r.setup(ctx, pub); err != nil {
		r.closeConn(pub)
		return nil, fmt.Errorf("open relay: %w", err)
	}
	lis, err := r.connectListener(ctx)
	if err != nil {
		r.closeConn(pub)
		return nil, fmt.Errorf("open relay: listening connection: %w", err)
	}
	r.publishPID.Store(pub.PgConn().PID())

	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.pubCtx, r.pubCancel = context.WithCancel(context.Background())
	r.wg.Add(3)
	go r.runPublisher(pub)
	go r.runListener(lis)
	go r.runDelivery()
	return r, nil
}

// setup learns the server's encoding and the schema's channel, and creates the table.
func (r *Relay) setup(ctx context.Context, conn *pgx.Conn) error {
	switch conn.PgConn().ParameterStatus("server_encoding") {
	case "UTF8", "SQL_ASCII":
		r.utf8Server = true
	}
	var schema *string
	var blockSize, maxIdentifier int
	var exists bool
	err := conn.QueryRow(ctx, `SELECT current_schema(), current_setting('block_size')::int,
		current_setting('max_identifier_length')::int, to_regclass('session_event') IS NOT NULL`,
	).Scan(&schema, &blockSize, &maxIdentifier, &exists)
	if err != nil {
		return fmt.Errorf("read current schema and server limits: %w", err)
	}
	// The server refuses a payload of BLCKSZ - NAMEDATALEN - 128 bytes or more.
	r.maxPayload = blockSize - (maxIdentifier + 1) - 128 - 1
	if r.maxPayload < 1024 {
		return fmt.Errorf("server limits: block_size %d leaves notifications too small", blockSize)
	}
	if schema == nil {
		return errors.New("read current schema: no schema of the search_path exists")
	}
	r.channel = channelName(*schema)
	if exists {
		return nil // a role without the right to create tables can use it
	}

	// Replicas starting at once would race on CREATE TABLE IF NOT EXISTS (it can fail with a
	// duplicate key in the catalog); the lock serialises them per schema.
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('presto.pgrelay.' || current_schema()))`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, createTableSQL)
		return err
	})
	if err != nil {
		return fmt.Errorf("create session_event table: %w", err)
	}
	return nil
}

// The table holds events too large for a notification, for a minute. UNLOGGED: its rows live for
// seconds and are worthless after a crash, so they skip the write-ahead log.
const createTableSQL = `
CREATE UNLOGGED TABLE IF NOT EXISTS session_event (
	id         bigserial PRIMARY KEY,
	session_id text NOT NULL,
	payload    bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS session_event_created_at ON session_event (created_at)`

func channelName(schema string) string {
	if schema == "public" {
		return channelBase
	}
	if c := channelBase + "." + schema; len(c) <= maxChannelLen {
		return c
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(schema)) // a hash does not fail
	return fmt.Sprintf("%s.%016x", channelBase, h.Sum64())
}

// Publish sends one event of a session to every other replica. It never blocks: the event joins
// a bounded queue, and when the queue is full it is dropped with a warning and counted. Events
// published by one Relay reach the others in the order they were published. Publish copies event.
// A session id must be text (valid UTF-8, no NUL byte).
func (r *Relay) Publish(sessionID string, event []byte) {
	if r.closed.Load() {
		r.st.dropped.Add(1)
		return
	}
	if !textString(sessionID, r.utf8Server) {
		n := r.st.dropped.Add(1)
		r.warn(warnInvalid, "pgrelay: dropped an event whose session id is not text", "dropped_total", n)
		return
	}
	select {
	case r.queue <- outEvent{sessionID: sessionID, event: append([]byte(nil), event...)}:
	default:
		n := r.st.dropped.Add(1)
		r.warn(warnQueueFull, "pgrelay: publish queue full, dropping events", "queue", cap(r.queue), "dropped_total", n)
	}
}

// OnEvent sets the function called, on one goroutine, in order, for each event published by
// another replica (a Relay never delivers its own events back). The function owns event. Call it
// before events flow: events received while no function is set are discarded.
func (r *Relay) OnEvent(f func(sessionID string, event []byte)) {
	if f == nil {
		r.handler.Store(nil)
		return
	}
	r.handler.Store(&f)
}

// Close sends what is still queued (for up to two seconds), stops both connections and waits for
// the goroutines, including a call of the OnEvent function in progress. Publish after Close drops.
func (r *Relay) Close() error {
	r.once.Do(func() {
		r.closed.Store(true)
		r.cancel()
		t := time.AfterFunc(closeTimeout, r.pubCancel)
		r.wg.Wait()
		t.Stop()
		r.pubCancel()
	})
	r.errMu.Lock()
	defer r.errMu.Unlock()
	return r.closeErr
}

// Stats returns the counters.
func (r *Relay) Stats() Stats {
	return Stats{
		Published:     r.st.published.Load(),
		PublishedRows: r.st.publishedRows.Load(),
		Dropped:       r.st.dropped.Load(),
		SendFailed:    r.st.sendFailed.Load(),
		Delivered:     r.st.delivered.Load(),
		Missed:        r.st.missed.Load(),
		Duplicates:    r.st.duplicates.Load(),
		Reconnects:    r.st.reconnects.Load(),
		PubReconnects: r.st.pubReconnect.Load(),
		RowsSwept:     r.st.rowsSwept.Load(),
	}
}

// runDelivery calls the OnEvent function for each received event, in order.
func (r *Relay) runDelivery() {
	defer r.wg.Done()
	for {
		select {
		case <-r.ctx.Done():
			return
		case ev := <-r.deliver:
			if h := r.handler.Load(); h != nil {
				(*h)(ev.sessionID, ev.event)
				r.st.delivered.Add(1)
			}
		}
	}
}

// connect opens one connection of the Relay.
func (r *Relay) connect(ctx context.Context) (*pgx.Conn, error) {
	if r.cfg.ConnectTimeout == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, connectTimeout)
		defer cancel()
	}
	conn, err := pgx.ConnectConfig(ctx, r.cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to %s:%d: %w", r.cfg.Host, r.cfg.Port, err)
	}
	return conn, nil
}

// closeConn closes conn and waits until pgx has finished with it, so that no goroutine of a
// connection outlives Close. The error is kept for Close.
func (r *Relay) closeConn(conn *pgx.Conn) {
	if conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	err := conn.Close(ctx)
	select {
	case <-conn.PgConn().CleanupDone():
	case <-ctx.Done():
	}
	if err != nil && r.closed.Load() {
		r.errMu.Lock()
		r.closeErr = errors.Join(r.closeErr, fmt.Errorf("close relay connection: %w", err))
		r.errMu.Unlock()
	}
}

// warn logs at most one warning of a kind per warnEvery.
func (r *Relay) warn(kind warnKind, msg string, args ...any) {
	now := time.Now().UnixNano()
	last := r.lastWarn[kind].Load()
	if last != 0 && now-last < int64(warnEvery) {
		return
	}
	if r.lastWarn[kind].CompareAndSwap(last, now) {
		r.logger.Warn(msg, args...)
	}
}

// sleep waits d or until ctx ends, reporting whether it waited d.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
