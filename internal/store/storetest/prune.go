package storetest

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"presto/internal/store"
)

// testPrune: of four modes last used before the cutoff, PruneModes deletes only the one that is
// neither kept, nor the mode of a session saved since, nor used since; its cached tabs go with it.
func testPrune(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, id := range []string{"kept", "old", "in-session", "touched"} {
		if err := s.SaveMode(ctx, sampleMode(id, id+" Co")); err != nil {
			t.Fatalf("SaveMode %s: %v", id, err)
		}
		if err := s.SaveTabContent(ctx, id, "orders@s", json.RawMessage(`[]`)); err != nil {
			t.Fatalf("SaveTabContent %s: %v", id, err)
		}
	}
	time.Sleep(2 * time.Millisecond) // times are kept to the microsecond
	cutoff := time.Now()
	time.Sleep(2 * time.Millisecond)
	if err := s.SaveSession(ctx, store.Session{ID: "s", ModeID: "in-session"}); err != nil {
		t.Fatalf("SaveSession: %v", err)
	}
	if err := s.TouchMode(ctx, "touched"); err != nil {
		t.Fatalf("TouchMode: %v", err)
	}
	if err := s.TouchMode(ctx, "banking"); err != nil { // prebuilt: not stored, no error
		t.Fatalf("TouchMode of a mode that is not stored: %v", err)
	}

	pruned, err := s.PruneModes(ctx, cutoff, []string{"kept"})
	if err != nil {
		t.Fatalf("PruneModes: %v", err)
	}
	if !slices.Equal(pruned, []string{"old"}) {
		t.Fatalf("PruneModes deleted %v, want [old]", pruned)
	}
	list, err := s.ListModes(ctx)
	if err != nil {
		t.Fatalf("ListModes: %v", err)
	}
	if got, want := ids(list), []string{"kept", "in-session", "touched"}; !slices.Equal(got, want) {
		t.Fatalf("ListModes after prune = %v, want %v", got, want)
	}
	if _, err := s.GetTabContent(ctx, "old", "orders@s"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the pruned mode's cached tab: %v, want ErrNotFound", err)
	}
	if _, err := s.GetTabContent(ctx, "kept", "orders@s"); err != nil {
		t.Fatalf("a kept mode's cached tab: %v", err)
	}
	if again, err := s.PruneModes(ctx, cutoff, []string{"kept"}); err != nil || len(again) != 0 {
		t.Fatalf("a second prune: %v, %v; want nothing deleted", again, err)
	}
}
