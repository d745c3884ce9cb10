package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"presto/internal/store"
)

// testConcurrentWriters has 20 goroutines write sessions, modes and tab content at once, as
// 20 browser sessions would, and checks that every acknowledged write is there afterwards.
func testConcurrentWriters(t *testing.T, s store.Store) {
	ctx := t.Context()
	const writers, perWriter = 20, 10
	errs := make(chan error, writers*perWriter*4)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				id := fmt.Sprintf("w%02d-%02d", w, i)
				sess := store.Session{ID: id, ModeID: "banking", History: sampleHistory()[:1], Voice: id}
				if err := s.SaveSession(ctx, sess); err != nil {
					errs <- fmt.Errorf("SaveSession %s: %w", id, err)
				}
				if err := s.SaveMode(ctx, sampleMode(id, id)); err != nil {
					errs <- fmt.Errorf("SaveMode %s: %w", id, err)
				}
				if err := s.SaveTabContent(ctx, id, "tab", []byte(fmt.Sprintf(`{"n":%q}`, id))); err != nil {
					errs <- fmt.Errorf("SaveTabContent %s: %w", id, err)
				}
				// Every writer also rewrites one shared session: the last write wins, whole.
				shared := store.Session{ID: "shared", ModeID: id, Voice: id}
				if err := s.SaveSession(ctx, shared); err != nil {
					errs <- fmt.Errorf("SaveSession shared: %w", err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	checkConcurrentResult(t, s, writers, perWriter)
}

func checkConcurrentResult(t *testing.T, s store.Store, writers, perWriter int) {
	ctx := t.Context()
	var want []string
	for w := range writers {
		for i := range perWriter {
			id := fmt.Sprintf("w%02d-%02d", w, i)
			want = append(want, id)
			got, err := s.GetSession(ctx, id)
			if err != nil || got.Voice != id {
				t.Errorf("session %s: voice %q, err %v", id, got.Voice, err)
			}
			content, err := s.GetTabContent(ctx, id, "tab")
			if err != nil || !sameJSON(t, content, []byte(fmt.Sprintf(`{"n":%q}`, id))) {
				t.Errorf("tab content %s: %s, err %v", id, content, err)
			}
		}
	}
	list, err := s.ListModes(ctx)
	if err != nil {
		t.Fatalf("ListModes: %v", err)
	}
	got := ids(list)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("ListModes has %d modes, want %d (missing or extra: %v)", len(got), len(want), symmetricDiff(got, want))
	}
	shared, err := s.GetSession(ctx, "shared")
	if err != nil {
		t.Fatalf("GetSession shared: %v", err)
	}
	if shared.ModeID != shared.Voice || !slices.Contains(want, shared.ModeID) {
		t.Errorf("shared session is a mix of writes: mode %q voice %q", shared.ModeID, shared.Voice)
	}
}

func symmetricDiff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, "+"+x)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			out = append(out, "-"+x)
		}
	}
	return out
}
