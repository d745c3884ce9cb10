package postgres_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"presto/internal/pgtest"
)

// TestWindowsSharedAcrossReplicas: two replicas taking from one key at once admit exactly the
// limit between them, refuse the rest with the wait until the oldest leaves the window, and keep
// other keys apart.
func TestWindowsSharedAcrossReplicas(t *testing.T) {
	u := pgtest.FreshSchema(t)
	a, b := open(t, u), open(t, u)
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	const limit, tries = 7, 40
	var admitted atomic.Int32
	var wg sync.WaitGroup
	for i := range tries {
		w := a.Windows()
		if i%2 == 1 {
			w = b.Windows()
		}
		wg.Go(func() {
			ok, wait, err := w.Take(t.Context(), "call:203.0.113.9", limit, time.Minute)
			if err != nil {
				t.Errorf("Take: %v", err)
				return
			}
			if ok {
				admitted.Add(1)
			} else if wait <= 50*time.Second || wait > time.Minute {
				t.Errorf("refused with wait %v, want just under a minute", wait)
			}
		})
	}
	wg.Wait()
	if n := admitted.Load(); n != limit {
		t.Fatalf("%d of %d takes admitted across two replicas, want the limit %d", n, tries, limit)
	}
	if ok, _, err := b.Windows().Take(t.Context(), "call:203.0.113.10", limit, time.Minute); err != nil || !ok {
		t.Fatalf("another key: %v, %v; want admitted", ok, err)
	}
}

// TestWindowsSlide: a hit older than the window no longer counts.
func TestWindowsSlide(t *testing.T) {
	s := open(t, pgtest.FreshSchema(t))
	t.Cleanup(func() { _ = s.Close() })
	w := s.Windows()
	const window = 300 * time.Millisecond
	for i, want := range []bool{true, true, false} {
		if ok, _, err := w.Take(t.Context(), "k", 2, window); err != nil || ok != want {
			t.Fatalf("take %d: %v, %v; want %v", i, ok, err, want)
		}
	}
	time.Sleep(window + 50*time.Millisecond)
	if ok, _, err := w.Take(t.Context(), "k", 2, window); err != nil || !ok {
		t.Fatalf("after the window: %v, %v; want admitted", ok, err)
	}
}
