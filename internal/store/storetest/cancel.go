package storetest

import (
	"context"
	"errors"
	"testing"

	"presto/internal/store"
)

// testCanceled checks that every method gives up on a cancelled context, says so, and writes
// nothing: a closed browser tab must not leave half a turn behind.
func testCanceled(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		call func() error
	}{
		{"GetSession", func() error { _, err := s.GetSession(ctx, "x"); return err }},
		{"SaveSession", func() error { return s.SaveSession(ctx, store.Session{ID: "x", ModeID: "banking"}) }},
		{"SaveMode", func() error { return s.SaveMode(ctx, sampleMode("x", "X Co")) }},
		{"GetMode", func() error { _, err := s.GetMode(ctx, "x"); return err }},
		{"ListModes", func() error { _, err := s.ListModes(ctx); return err }},
		{"SaveTabContent", func() error { return s.SaveTabContent(ctx, "x", "t", []byte(`{}`)) }},
		{"GetTabContent", func() error { _, err := s.GetTabContent(ctx, "x", "t"); return err }},
		{"Ping", func() error { return s.Ping(ctx) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
		})
	}

	live := t.Context()
	if _, err := s.GetSession(live, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a cancelled SaveSession wrote something: %v", err)
	}
	if _, err := s.GetMode(live, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a cancelled SaveMode wrote something: %v", err)
	}
	if _, err := s.GetTabContent(live, "x", "t"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a cancelled SaveTabContent wrote something: %v", err)
	}
}
