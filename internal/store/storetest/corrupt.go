package storetest

import (
	"errors"
	"reflect"
	"testing"

	"presto/internal/store"
)

// testCorrupt damages one mode and one session and checks that the store treats them as absent
// (the caller then starts over) while everything else stays readable.
func testCorrupt(t *testing.T, s store.Store) {
	ctx := t.Context()
	c, ok := s.(Corrupter)
	if !ok {
		t.Fatalf("%T does not implement storetest.Corrupter; implement it in the engine's _test.go files", s)
	}
	for _, id := range []string{"good-1", "bad", "good-2"} {
		if err := s.SaveMode(ctx, sampleMode(id, id+" Co")); err != nil {
			t.Fatalf("SaveMode %s: %v", id, err)
		}
	}
	if err := s.SaveSession(ctx, store.Session{ID: "bad-session", ModeID: "bad", History: sampleHistory()}); err != nil {
		t.Fatalf("SaveSession: %v", err)
	}
	if err := c.CorruptMode(ctx, "bad"); err != nil {
		t.Fatalf("CorruptMode: %v", err)
	}
	if err := c.CorruptSession(ctx, "bad-session"); err != nil {
		t.Fatalf("CorruptSession: %v", err)
	}

	list, err := s.ListModes(ctx)
	if err != nil {
		t.Fatalf("ListModes with a corrupt row: %v", err)
	}
	if want := []string{"good-1", "good-2"}; !reflect.DeepEqual(ids(list), want) {
		t.Errorf("ListModes = %v, want %v", ids(list), want)
	}
	if _, err := s.GetMode(ctx, "bad"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetMode of a corrupt row: err = %v, want store.ErrNotFound", err)
	}
	if _, err := s.GetSession(ctx, "bad-session"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetSession of a corrupt row: err = %v, want store.ErrNotFound", err)
	}

	// Saving again repairs the records.
	if err := s.SaveSession(ctx, store.Session{ID: "bad-session", ModeID: "banking"}); err != nil {
		t.Fatalf("SaveSession over a corrupt row: %v", err)
	}
	if got, err := s.GetSession(ctx, "bad-session"); err != nil || got.ModeID != "banking" {
		t.Errorf("GetSession after repair = %+v, %v", got, err)
	}
	if err := s.SaveMode(ctx, sampleMode("bad", "Fixed Co")); err != nil {
		t.Fatalf("SaveMode over a corrupt row: %v", err)
	}
	if got, err := s.GetMode(ctx, "bad"); err != nil || got.CompanyName != "Fixed Co" {
		t.Errorf("GetMode after repair = %q, %v", got.CompanyName, err)
	}
}
