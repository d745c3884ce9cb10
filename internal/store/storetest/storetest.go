// Package storetest is the contract every store.Store engine passes. An engine's tests call Run
// with a function that opens a fresh, empty store; the same suite runs against SQLite and
// PostgreSQL so that the two cannot drift apart.
package storetest

import (
	"context"
	"testing"

	"presto/internal/store"
)

// Corrupter damages stored rows the way a bad manual edit, a half-applied migration or a future
// schema would, so the suite can check that the store skips such rows instead of failing. Engines
// implement it on their Store in a _test.go file, which keeps the hook out of production builds.
// Run fails when the store it is given does not implement it.
type Corrupter interface {
	// CorruptMode makes the stored mode id undecodable.
	CorruptMode(ctx context.Context, id string) error
	// CorruptSession makes the stored session id undecodable.
	CorruptSession(ctx context.Context, id string) error
}

// Run runs the contract suite. open must return a new, empty store each time it is called (a
// fresh file or schema) and clean up after it with t.Cleanup; the suite closes the store.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"SessionRoundTrip", testSessionRoundTrip},
		{"SessionUpsertReplaces", testSessionUpsert},
		{"NotFound", testNotFound},
		{"InvalidWritesRefused", testInvalid},
		{"ModesSaveGetList", testModes},
		{"ModeReplaceKeepsOrder", testModeReplace},
		{"TabContent", testTabContent},
		{"PruneUnusedModes", testPrune},
		{"ConcurrentWriters", testConcurrentWriters},
		{"CorruptRowsSkipped", testCorrupt},
		{"CanceledContext", testCanceled},
		{"Ping", testPing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, fresh(t, open))
		})
	}
}

// fresh opens a store for one subtest and closes it when the subtest ends.
func fresh(t *testing.T, open func(t *testing.T) store.Store) store.Store {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s
}

func testPing(t *testing.T, s store.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping on an open store: %v", err)
	}
}
