package postgres_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"presto/internal/pgtest"
	"presto/internal/store"
	"presto/internal/store/postgres"
	"presto/internal/store/storetest"
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func open(t *testing.T, u string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), u, testLogger(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestContract(t *testing.T) {
	pgtest.DatabaseURL(t)
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, pgtest.FreshSchema(t)) })
}

// TestReplicasStartTogether opens several stores on one empty schema at once, as replicas of a
// deployment would: all must open, and each migration must be recorded exactly once.
func TestReplicasStartTogether(t *testing.T) {
	u := pgtest.FreshSchema(t)
	const replicas = 8
	stores := make([]*postgres.Store, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(t.Context(), u, testLogger(t)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: Open: %v", i, err)
		}
		t.Cleanup(func() { _ = stores[i].Close() })
	}

	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var total, distinct int
	err = conn.QueryRow(t.Context(), `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&total, &distinct)
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 || total != distinct {
		t.Fatalf("schema_migrations has %d rows for %d versions, want each version once", total, distinct)
	}

	// What one replica writes, another reads.
	ctx := t.Context()
	if err := stores[0].SaveSession(ctx, store.Session{ID: "shared", ModeID: "banking", Voice: "verse"}); err != nil {
		t.Fatal(err)
	}
	got, err := stores[replicas-1].GetSession(ctx, "shared")
	if err != nil || got.Voice != "verse" {
		t.Fatalf("other replica reads %+v, %v", got, err)
	}
}

func TestOpenBadURL(t *testing.T) {
	tests := []struct {
		name string
		url  string
	}{
		{"not a URL", "postgres://u:secretpw@%zz/db"},
		{"nobody listening", "postgres://u:secretpw@127.0.0.1:1/db?sslmode=disable&connect_timeout=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := postgres.Open(t.Context(), tt.url, testLogger(t))
			if err == nil {
				t.Fatal("Open succeeded")
			}
			if strings.Contains(err.Error(), "secretpw") {
				t.Errorf("error reveals the password: %v", err)
			}
		})
	}
}
