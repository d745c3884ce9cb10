package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"presto/internal/pgtest"
	"presto/internal/store/postgres"
)

// advisoryLocks counts the granted and the waiting advisory locks of key, seen from conn's schema.
func advisoryLocks(t *testing.T, conn *pgx.Conn, key string) (granted, waiting int) {
	t.Helper()
	err := conn.QueryRow(t.Context(), `
		WITH k AS (SELECT `+postgres.LockKeySQL+` AS k)
		SELECT count(*) FILTER (WHERE l.granted), count(*) FILTER (WHERE NOT l.granted)
		FROM pg_locks l, k
		WHERE l.locktype = 'advisory' AND l.objsubid = 1
		  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		  AND ((l.classid::bigint << 32) | l.objid::bigint) = k.k`, key).Scan(&granted, &waiting)
	if err != nil {
		t.Fatalf("read pg_locks: %v", err)
	}
	return granted, waiting
}

func waitForLocks(t *testing.T, conn *pgx.Conn, key string, granted, waiting int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		g, w := advisoryLocks(t, conn, key)
		if g == granted && w == waiting {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("lock %q: %d granted and %d waiting, want %d and %d", key, g, w, granted, waiting)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func openTwo(t *testing.T) (s1, s2 *postgres.Store, watcher *pgx.Conn) {
	u := pgtest.FreshSchema(t)
	s1, s2 = open(t, u), open(t, u)
	t.Cleanup(func() { _ = s1.Close(); _ = s2.Close() })
	watcher, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = watcher.Close(context.Background()) })
	return s1, s2, watcher
}

// TestLock: while one replica holds Lock("x"), another's Lock("x") waits until unlock; a lock of
// another key does not wait; a second Lock of one store waits too.
func TestLock(t *testing.T) {
	s1, s2, watcher := openTwo(t)
	ctx := t.Context()

	unlock1, err := s1.Lock(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	waitForLocks(t, watcher, "x", 1, 0)

	type result struct {
		unlock func()
		err    error
	}
	second := make(chan result, 1)
	go func() {
		u, err := s2.Lock(ctx, "x")
		second <- result{u, err}
	}()
	waitForLocks(t, watcher, "x", 1, 1) // the second replica waits on the server
	select {
	case r := <-second:
		t.Fatalf("second Lock(x) did not wait: %v", r.err)
	case <-time.After(200 * time.Millisecond):
	}

	yctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	unlockY, err := s2.Lock(yctx, "y")
	if err != nil {
		t.Fatalf("Lock(y) while x is held: %v", err)
	}
	unlockY()

	// One store's second Lock of a key waits too (another connection, another session).
	sctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := s1.Lock(sctx, "x"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("s1's second Lock(x): %v, want the deadline's error", err)
	}

	unlock1()
	unlock1() // a second unlock does nothing
	var r result
	select {
	case r = <-second:
	case <-time.After(10 * time.Second):
		t.Fatal("the waiter did not get the lock after unlock")
	}
	if r.err != nil {
		t.Fatalf("second Lock(x): %v", r.err)
	}
	waitForLocks(t, watcher, "x", 1, 0)
	r.unlock()
	waitForLocks(t, watcher, "x", 0, 0)
	waitForLocks(t, watcher, "y", 0, 0)
}

// TestLockCancelledWaiter: a waiter whose context ends returns the context's error and leaves
// neither a waiting request nor a lock behind, and its store keeps working.
func TestLockCancelledWaiter(t *testing.T) {
	s1, s2, watcher := openTwo(t)
	ctx := t.Context()

	unlock1, err := s1.Lock(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithCancel(ctx)
	go func() {
		// Cancel once the waiter waits on the server (or after a while: the checks below still hold).
		defer cancel()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			var waiting int
			err := watcher.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
				AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
				AND ((classid::bigint << 32) | objid::bigint) = `+postgres.LockKeySQL, "x").Scan(&waiting)
			if err == nil && waiting == 1 {
				return
			}
		}
	}()
	_, err = s2.Lock(wctx, "x")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Lock: %v, want context.Canceled", err)
	}
	// Lock returns once the waiting session is gone.
	if g, w := advisoryLocks(t, watcher, "x"); g != 1 || w != 0 {
		t.Fatalf("after the cancelled wait: %d granted, %d waiting, want only the holder", g, w)
	}

	unlock1()
	if g, w := advisoryLocks(t, watcher, "x"); g != 0 || w != 0 {
		t.Fatalf("after unlock: %d granted, %d waiting, want none", g, w)
	}

	lctx, cancel2 := context.WithTimeout(ctx, 5*time.Second)
	defer cancel2()
	unlock2, err := s2.Lock(lctx, "x")
	if err != nil {
		t.Fatalf("Lock(x) after the cancelled wait: %v", err)
	}
	unlock2()
	if err := s2.Ping(ctx); err != nil {
		t.Fatalf("store after a cancelled Lock: %v", err)
	}
}
