package pgrelay_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"presto/internal/pgrelay"
	"presto/internal/pgtest"
)

const timeout = 15 * time.Second

// mixedEvents are n events of several sessions, interleaved, of every kind of payload: JSON,
// non-ASCII text, empty, and bytes that are not text (NUL, invalid UTF-8).
func mixedEvents(prefix string, n int) []event {
	evs := make([]event, n)
	for i := range evs {
		sid := fmt.Sprintf("%s-%s-%d", prefix, secret, i%7)
		var data []byte
		switch i % 5 {
		case 0:
			data = []byte{0, 0xff, 0xfe, byte(i), 0, 'x'}
		case 1:
			data = []byte(fmt.Sprintf("héllo wörld 🌍 %d %s", i, secret))
		case 2:
			data = nil
		default:
			data = []byte(fmt.Sprintf(`{"type":"chunk","n":%d,"text":"pay-%s"}`, i, secret))
		}
		evs[i] = event{sid, data}
	}
	return evs
}

func publishAll(r *pgrelay.Relay, evs []event) {
	for _, e := range evs {
		r.Publish(e.sessionID, e.data)
	}
}

// normalized is what a receiver gets for evs: a nil payload arrives as an empty one.
func normalized(evs []event) []event {
	out := make([]event, len(evs))
	for i, e := range evs {
		out[i] = event{e.sessionID, append([]byte{}, e.data...)}
	}
	return out
}

// TestEventsCrossInOrder: two Relays on one database; what each publishes arrives at the other in
// publishing order with its session ids, and never back at the sender.
func TestEventsCrossInOrder(t *testing.T) {
	u := pgtest.FreshSchema(t)
	a, b := openRelay(t, u), openRelay(t, u)
	ca, cb := collect(a), collect(b)

	fromA := mixedEvents("a", 1000)
	publishAll(a, fromA)
	equalEvents(t, cb.wait(t, len(fromA), timeout), normalized(fromA))

	// A's listener reads the channel in commit order, so any echo of A's events would come before
	// B's: A getting exactly B's events means it skipped its own.
	fromB := mixedEvents("b", 50)
	publishAll(b, fromB)
	equalEvents(t, ca.wait(t, len(fromB), timeout), normalized(fromB))

	// Likewise B skipped its own: the next event it receives is A's.
	marker := event{"a-" + secret + "-marker", []byte("last")}
	a.Publish(marker.sessionID, marker.data)
	equalEvents(t, cb.wait(t, len(fromA)+1, timeout), normalized(append(fromA, marker)))

	// The publisher counts a batch when PostgreSQL answers, which may be after B delivered it.
	eventually(t, timeout, "A did not count its last event", func() bool { return a.Stats().Published == 1001 })
	sa, sb := a.Stats(), b.Stats()
	if sa.Published != 1001 || sb.Published != 50 || sa.Delivered != 50 || sb.Delivered != 1001 {
		t.Errorf("stats: a %+v, b %+v", sa, sb)
	}
	if sa.Missed+sb.Missed+sa.Dropped+sb.Dropped+sa.SendFailed+sb.SendFailed != 0 {
		t.Errorf("events lost: a %+v, b %+v", sa, sb)
	}
}

// TestLargeEventThroughTable: an event too large for a notification arrives intact through a
// session_event row, keeps its place among small events, and its row is deleted afterwards.
func TestLargeEventThroughTable(t *testing.T) {
	u := pgtest.FreshSchema(t)
	opts := pgrelay.Options{Retention: 500 * time.Millisecond, SweepEvery: 50 * time.Millisecond}
	a, b := openRelay(t, u, opts), openRelay(t, u, opts)
	cb := collect(b)

	binary := make([]byte, 50*1024)
	_, _ = rand.Read(binary)
	text := []byte(`{"type":"tab","html":"` + strings.Repeat("<p>"+secret+"</p>", 5000) + `"}`)
	sid := "big-" + secret
	want := []event{
		{sid, []byte("before")},
		{sid, binary},
		{sid, []byte("between")},
		{sid, text},
		{sid, []byte("after")},
	}
	publishAll(a, want)
	equalEvents(t, cb.wait(t, len(want), timeout), want)

	if s := a.Stats(); s.PublishedRows != 2 || s.Published != 5 {
		t.Errorf("publisher stats %+v, want 5 events of which 2 through rows", s)
	}
	conn := connect(t, u)
	eventually(t, timeout, "session_event rows are not deleted", func() bool {
		var n int
		if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM session_event`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 0
	})
	if swept := a.Stats().RowsSwept + b.Stats().RowsSwept; swept != 2 {
		t.Errorf("relays swept %d rows, want 2", swept)
	}
}

// TestPayloadLimit: events around the notification limit, as text and as bytes sent in base64,
// all arrive, whichever way each one goes.
func TestPayloadLimit(t *testing.T) {
	u := pgtest.FreshSchema(t)
	a, b := openRelay(t, u), openRelay(t, u)
	cb := collect(b)
	// The limit the Relay computed is the server's: a payload of that length passes, one byte more
	// does not.
	conn := connect(t, u)
	limit := a.MaxPayload()
	if _, err := conn.Exec(t.Context(), `SELECT pg_notify('presto_limit_probe', $1)`, strings.Repeat("p", limit)); err != nil {
		t.Fatalf("payload of %d bytes refused: %v", limit, err)
	}
	if _, err := conn.Exec(t.Context(), `SELECT pg_notify('presto_limit_probe', $1)`, strings.Repeat("p", limit+1)); err == nil {
		t.Fatalf("payload of %d bytes accepted; the limit is higher than %d", limit+1, limit)
	}

	var want []event
	for n := a.MaxPayload() - 80; n <= a.MaxPayload()+10; n++ {
		want = append(want, event{"limit-" + secret, bytes.Repeat([]byte("x"), n)})
	}
	for n := a.MaxPayload()*3/4 - 80; n <= a.MaxPayload()*3/4+10; n++ {
		want = append(want, event{"limit-" + secret, bytes.Repeat([]byte{0xff}, n)})
	}
	publishAll(a, want)
	equalEvents(t, cb.wait(t, len(want), timeout), want)

	s := a.Stats()
	if s.SendFailed != 0 || s.PublishedRows == 0 || s.PublishedRows == uint64(len(want)) {
		t.Errorf("stats %+v: want no failure, some events inline and some through rows", s)
	}
}

// TestListenerReconnects: a Relay whose listening connection is killed reconnects and delivers
// what is published afterwards.
func TestListenerReconnects(t *testing.T) {
	u := pgtest.FreshSchema(t)
	a, b := openRelay(t, u), openRelay(t, u)
	cb := collect(b)

	a.Publish("s-"+secret, []byte("before"))
	cb.wait(t, 1, timeout)

	admin := connect(t, u)
	pid := b.ListenerPID()
	var killed bool
	if err := admin.QueryRow(t.Context(), `SELECT pg_terminate_backend($1)`, int64(pid)).Scan(&killed); err != nil || !killed {
		t.Fatalf("pg_terminate_backend: %v, %v", killed, err)
	}
	eventually(t, timeout, "listener did not reconnect", func() bool {
		return b.Stats().Reconnects == 1 && b.ListenerPID() != pid
	})

	after := mixedEvents("after", 20)
	publishAll(a, after)
	got := cb.wait(t, 21, timeout)
	equalEvents(t, got[1:], normalized(after))
}

// TestPublisherReconnects: when the publishing connection is killed, the next batch reconnects
// and is sent, once, in order.
func TestPublisherReconnects(t *testing.T) {
	u := pgtest.FreshSchema(t)
	a, b := openRelay(t, u), openRelay(t, u)
	cb := collect(b)

	admin := connect(t, u)
	pid := a.PublisherPID()
	if _, err := admin.Exec(t.Context(), `SELECT pg_terminate_backend($1)`, int64(pid)); err != nil {
		t.Fatal(err)
	}
	eventually(t, timeout, "publisher backend still running", func() bool {
		var n int
		_ = admin.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity WHERE pid = $1`, int64(pid)).Scan(&n)
		return n == 0
	})

	want := mixedEvents("pub", 30)
	publishAll(a, want)
	equalEvents(t, cb.wait(t, len(want), timeout), normalized(want))
	if s := a.Stats(); s.PubReconnects != 1 || s.SendFailed != 0 {
		t.Errorf("publisher stats %+v, want one reconnect and nothing lost", s)
	}
}

// TestFullQueueDrops: while the publisher is stuck, Publish returns at once and drops what the
// queue cannot hold; the rest arrives in order once the publisher moves again.
func TestFullQueueDrops(t *testing.T) {
	u := pgtest.FreshSchema(t)
	const queue = 8
	a := openRelay(t, u, pgrelay.Options{QueueSize: queue})
	b := openRelay(t, u)
	cb := collect(b)

	// The publisher blocks inserting a large event's row while the table is locked.
	admin := connect(t, u)
	tx, err := admin.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.Exec(t.Context(), `LOCK TABLE session_event IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	big := event{"q-" + secret, bytes.Repeat([]byte("y"), 20000)}
	a.Publish(big.sessionID, big.data)
	watcher := connect(t, u)
	eventually(t, timeout, "publisher is not waiting for the table lock", func() bool {
		var waiting bool
		err := watcher.QueryRow(t.Context(),
			`SELECT coalesce(bool_or(wait_event_type = 'Lock'), false) FROM pg_stat_activity WHERE pid = $1`,
			int64(a.PublisherPID())).Scan(&waiting)
		return err == nil && waiting
	})

	const n = 100
	small := mixedEvents("q", n)
	start := time.Now()
	publishAll(a, small)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Publish of %d events took %v with the publisher stuck", n, d)
	}
	if d := a.Stats().Dropped; d != n-queue {
		t.Errorf("dropped %d events, want %d", d, n-queue)
	}
	if err := tx.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := append([]event{big}, normalized(small[:queue])...)
	equalEvents(t, cb.wait(t, len(want), timeout), want)
}

// TestIdleListenerStays: the check of a silent listening connection keeps it, and it still
// delivers afterwards.
func TestIdleListenerStays(t *testing.T) {
	u := pgtest.FreshSchema(t)
	a := openRelay(t, u)
	b := openRelay(t, u, pgrelay.Options{IdlePing: 20 * time.Millisecond})
	cb := collect(b)
	pid := b.ListenerPID()
	time.Sleep(300 * time.Millisecond) // a dozen idle checks
	a.Publish("idle-"+secret, []byte("after the silence"))
	cb.wait(t, 1, timeout)
	if s := b.Stats(); s.Reconnects != 0 || b.ListenerPID() != pid {
		t.Fatalf("the idle check replaced the connection: %+v", s)
	}
}

// TestInvalidSessionIDDropped: a session id that cannot travel as text is dropped and counted.
func TestInvalidSessionIDDropped(t *testing.T) {
	u := pgtest.FreshSchema(t)
	a, b := openRelay(t, u), openRelay(t, u)
	cb := collect(b)
	a.Publish("nul\x00-"+secret, []byte("x"))
	a.Publish("bad\xff-"+secret, []byte("x"))
	a.Publish("ok-"+secret, []byte("y"))
	equalEvents(t, cb.wait(t, 1, timeout), []event{{"ok-" + secret, []byte("y")}})
	if d := a.Stats().Dropped; d != 2 {
		t.Fatalf("dropped %d, want 2", d)
	}
}

// TestSchemasAreSeparate: Relays of different schemas (deployments, test runs) do not hear each
// other.
func TestSchemasAreSeparate(t *testing.T) {
	u1, u2 := pgtest.FreshSchema(t), pgtest.FreshSchema(t)
	a1, b1 := openRelay(t, u1), openRelay(t, u1)
	b2 := openRelay(t, u2)
	if a1.Channel() == b2.Channel() {
		t.Fatalf("both schemas use channel %q", a1.Channel())
	}
	c1, c2 := collect(b1), collect(b2)
	a1.Publish("one-"+secret, []byte("1"))
	c1.wait(t, 1, timeout)
	b1.Publish("one-"+secret, []byte("2")) // a marker, through the other schema's channel if mixed up
	time.Sleep(100 * time.Millisecond)
	if got := c2.snapshot(); len(got) != 0 {
		t.Fatalf("another schema's relay received %v", got)
	}
}

// TestCloseLeavesNoGoroutines: Close stops everything it started, even after a reconnect, and is
// safe to repeat; Publish after Close drops.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	u := pgtest.FreshSchema(t)
	admin := connect(t, u)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	logger := testLogger(t)
	a, err := pgrelay.Open(t.Context(), u, logger)
	if err != nil {
		t.Fatal(err)
	}
	b, err := pgrelay.Open(t.Context(), u, logger)
	if err != nil {
		t.Fatal(err)
	}
	cb := collect(b)
	a.Publish("c-"+secret, []byte("x"))
	cb.wait(t, 1, timeout)
	if _, err := admin.Exec(t.Context(), `SELECT pg_terminate_backend($1)`, int64(b.ListenerPID())); err != nil {
		t.Fatal(err)
	}
	eventually(t, timeout, "listener did not reconnect", func() bool { return b.Stats().Reconnects == 1 })
	a.Publish("c-"+secret, bytes.Repeat([]byte("z"), 10000))
	cb.wait(t, 2, timeout)

	for _, r := range []*pgrelay.Relay{a, b} {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := r.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	}
	a.Publish("c-"+secret, []byte("late"))
	if s := a.Stats(); s.Dropped != 1 {
		t.Errorf("Publish after Close: dropped %d, want 1", s.Dropped)
	}
}

// TestReplicasOpenTogether: replicas starting at once on an empty schema all open (one of them
// creates the table) and all hear each other.
func TestReplicasOpenTogether(t *testing.T) {
	u := pgtest.FreshSchema(t)
	const replicas = 6
	relays := make([]*pgrelay.Relay, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() { relays[i], errs[i] = pgrelay.Open(t.Context(), u, testLogger(t)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: Open: %v", i, err)
		}
		t.Cleanup(func() { _ = relays[i].Close() })
	}
	collectors := make([]*collector, replicas)
	for i, r := range relays {
		collectors[i] = collect(r)
	}
	relays[0].Publish("together-"+secret, bytes.Repeat([]byte("t"), 9000))
	for _, c := range collectors[1:] {
		c.wait(t, 1, timeout)
	}
	if got := collectors[0].snapshot(); len(got) != 0 {
		t.Fatalf("the sender received its own event")
	}
}

// TestOpenBadURL: Open fails cleanly, without revealing the password.
func TestOpenBadURL(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for _, u := range []string{
		"postgres://u:secretpw@%zz/db",
		"postgres://u:secretpw@127.0.0.1:1/db?sslmode=disable&connect_timeout=2",
	} {
		_, err := pgrelay.Open(t.Context(), u, testLogger(t))
		if err == nil {
			t.Fatalf("Open(%q) succeeded", u)
		}
		if strings.Contains(err.Error(), "secretpw") {
			t.Errorf("error reveals the password: %v", err)
		}
	}
}
