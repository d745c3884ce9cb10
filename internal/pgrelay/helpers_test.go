package pgrelay_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"presto/internal/pgrelay"
)

// secret is part of every session id and payload of the tests; no log line may contain it.
const secret = "s3cr3t"

// connect opens a plain connection for the test itself, closed at the end.
func connect(t testing.TB, u string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// testLogger logs to the test's output and fails the test when a line holds a session id or a
// payload of the tests.
func testLogger(t testing.TB) *slog.Logger {
	sink := &lockedBuffer{w: t.Output()}
	t.Cleanup(func() {
		if s := sink.String(); strings.Contains(s, secret) {
			t.Errorf("a log line reveals a session id or a payload:\n%s", s)
		}
	})
	return slog.New(slog.NewTextHandler(sink, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	w   io.Writer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	return b.w.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// openRelay opens a Relay closed at the end of the test.
func openRelay(t testing.TB, u string, o ...pgrelay.Options) *pgrelay.Relay {
	t.Helper()
	var opts pgrelay.Options
	if len(o) > 0 {
		opts = o[0]
	}
	r, err := pgrelay.OpenWith(t.Context(), u, testLogger(t), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return r
}

type event struct {
	sessionID string
	data      []byte
}

func (e event) String() string {
	return fmt.Sprintf("%s/%d bytes", e.sessionID, len(e.data))
}

// collector records what a Relay delivers.
type collector struct {
	mu     sync.Mutex
	events []event
	more   chan struct{} // signalled after each event
}

func collect(r *pgrelay.Relay) *collector {
	c := &collector{more: make(chan struct{}, 1)}
	r.OnEvent(func(sessionID string, data []byte) {
		c.mu.Lock()
		c.events = append(c.events, event{sessionID, data})
		c.mu.Unlock()
		select {
		case c.more <- struct{}{}:
		default:
		}
	})
	return c
}

func (c *collector) snapshot() []event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]event(nil), c.events...)
}

// wait returns the events once there are at least n, failing the test after timeout.
func (c *collector) wait(t testing.TB, n int, timeout time.Duration) []event {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if got := c.snapshot(); len(got) >= n {
			return got
		}
		select {
		case <-c.more:
		case <-deadline:
			t.Fatalf("received %d events in %v, want %d", len(c.snapshot()), timeout, n)
		}
	}
}

// equalEvents reports the first difference between got and want.
func equalEvents(t testing.TB, got, want []event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("received %d events, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].sessionID != want[i].sessionID || !bytes.Equal(got[i].data, want[i].data) {
			t.Fatalf("event %d is %v %q, want %v %q", i, got[i], trim(got[i].data), want[i], trim(want[i].data))
		}
	}
}

func trim(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

// eventually polls cond until it holds, failing the test after timeout.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
