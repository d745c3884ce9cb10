package sqlite_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/store"
	"presto/internal/store/sqlite"
)

// TestRestart writes every kind of record, closes the store, opens the file again and finds
// everything as it was: generated modes, sessions with their voice preference, tab content.
func TestRestart(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "nested", "data")
	path := filepath.Join(dir, "presto.db")
	s, err := sqlite.Open(ctx, path, testLogger(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		t.Fatalf("Open did not create the data directory: %v", err)
	}
	wantModes := []modes.Mode{
		{ID: "pet-store", Name: "Pet Store", CompanyName: "Paws & Claws", Tabs: []modes.Tab{{ID: "dashboard", Label: "Dashboard", Icon: "dashboard"}}},
		{ID: "airline", Name: "Airline", CompanyName: "Sky High", Traits: []string{"calm"}},
	}
	for _, m := range wantModes {
		if err := s.SaveMode(ctx, m); err != nil {
			t.Fatalf("SaveMode: %v", err)
		}
	}
	wantSession := store.Session{ID: "s1", ModeID: "pet-store", Voice: "verse",
		History: []message.Message{{Role: message.RoleUser, Content: "hello"}, {Role: message.RoleAssistant, Content: "hi"}}}
	if err := s.SaveSession(ctx, wantSession); err != nil {
		t.Fatalf("SaveSession: %v", err)
	}
	if err := s.SaveTabContent(ctx, "pet-store", "orders", []byte(`{"tool_results":[]}`)); err != nil {
		t.Fatalf("SaveTabContent: %v", err)
	}
	saved, err := s.GetSession(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s, err = sqlite.Open(ctx, path, testLogger(t))
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	gotModes, err := s.ListModes(ctx)
	if err != nil || !reflect.DeepEqual(gotModes, wantModes) {
		t.Errorf("ListModes after restart = %+v, %v; want %+v", gotModes, err, wantModes)
	}
	got, err := s.GetSession(ctx, "s1")
	if err != nil || !reflect.DeepEqual(got, saved) {
		t.Errorf("GetSession after restart = %+v, %v; want %+v", got, err, saved)
	}
	content, err := s.GetTabContent(ctx, "pet-store", "orders")
	if err != nil || string(content) != `{"tool_results":[]}` {
		t.Errorf("GetTabContent after restart = %s, %v", content, err)
	}
}

// TestTwoProcessesShareAFile opens the same file twice, as two server processes pointed at one
// data directory would, and writes from both at once: the busy timeout makes them take turns.
func TestTwoProcessesShareAFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "presto.db")
	var stores [2]*sqlite.Store
	for i := range stores {
		s, err := sqlite.Open(ctx, path, testLogger(t))
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		t.Cleanup(func() { _ = s.Close() })
		stores[i] = s
	}
	const perStore = 50
	errs := make(chan error, 2*perStore)
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() {
			for j := range perStore {
				if err := s.SaveSession(ctx, store.Session{ID: fmt.Sprintf("p%d-%d", i, j), ModeID: "banking"}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("SaveSession: %v", err)
	}
	for i := range stores {
		for j := range perStore {
			id := fmt.Sprintf("p%d-%d", i, j)
			// Read through the other handle: it must see the first one's commits.
			if _, err := stores[1-i].GetSession(ctx, id); err != nil {
				t.Errorf("GetSession %s from the other handle: %v", id, err)
			}
		}
	}
}

// TestCorruptRowIsLogged checks the warning the contract suite cannot see.
func TestCorruptRowIsLogged(t *testing.T) {
	ctx := t.Context()
	var buf bytes.Buffer
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "presto.db"), slog.New(slog.NewTextHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := s.SaveMode(ctx, modes.Mode{ID: "broken", Name: "Broken"}); err != nil {
		t.Fatal(err)
	}
	if err := s.CorruptMode(ctx, "broken"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetMode(ctx, "broken"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetMode = %v, want ErrNotFound", err)
	}
	if log := buf.String(); !strings.Contains(log, "level=WARN") || !strings.Contains(log, "mode=broken") {
		t.Errorf("no warning naming the row was logged; log:\n%s", log)
	}
}

func TestOpenRefusesBadPath(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
	}{
		{"empty", func(*testing.T) string { return "" }},
		{"in memory", func(*testing.T) string { return ":memory:" }},
		{"URI form", func(t *testing.T) string { return "file:" + filepath.Join(t.TempDir(), "a.db") }},
		{"option marker in the name", func(t *testing.T) string { return filepath.Join(t.TempDir(), "a?mode=ro") }},
		{"directory is a file", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "file")
			if err := os.WriteFile(f, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(f, "presto.db")
		}},
		{"not a database", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "presto.db")
			if err := os.WriteFile(f, bytes.Repeat([]byte("not sqlite "), 1000), 0o600); err != nil {
				t.Fatal(err)
			}
			return f
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sqlite.Open(t.Context(), tt.path(t), testLogger(t))
			if err == nil {
				_ = s.Close()
				t.Fatal("Open succeeded")
			}
		})
	}
}
