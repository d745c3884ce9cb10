package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"presto/internal/store"
	"presto/internal/store/postgres"
	"presto/internal/store/storetest"
)

// databaseURL is the test database. Without one the tests skip, except in CI, where a skip would
// hide that the PostgreSQL half never ran.
func databaseURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("PRESTO_TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("PRESTO_TEST_DATABASE_URL is not set in CI; run eval \"$(.ci/postgres.sh)\" first")
		}
		t.Skip("PRESTO_TEST_DATABASE_URL is not set; eval \"$(.ci/postgres.sh)\" to run the PostgreSQL tests")
	}
	return u
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// freshSchema creates a schema of its own for one test, dropped at the end, and returns a
// database URL whose search_path points at it, so parallel runs never see each other's rows.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := databaseURL(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	schema := "presto_test_" + hex.EncodeToString(b)

	admin, err := pgx.Connect(t.Context(), base)
	if err != nil {
		t.Fatalf("connect to test database: %v", err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("connect to drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})

	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("PRESTO_TEST_DATABASE_URL must be a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx sends unknown URL parameters as run-time settings
	u.RawQuery = q.Encode()
	return u.String()
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
	databaseURL(t)
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, freshSchema(t)) })
}

// TestReplicasStartTogether opens several stores on one empty schema at once, as replicas of a
// deployment would: all must open, and each migration must be recorded exactly once.
func TestReplicasStartTogether(t *testing.T) {
	u := freshSchema(t)
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
