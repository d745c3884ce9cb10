// Package pgtest gives tests a PostgreSQL database of their own: the server .ci/postgres.sh
// starts, named by PRESTO_TEST_DATABASE_URL, with a fresh schema per test.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// DatabaseURL is the test database. Without one the test skips, except in CI, where a skip would
// hide that the PostgreSQL half never ran.
func DatabaseURL(t testing.TB) string {
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

// FreshSchema creates a schema of its own for one test, dropped at the end, and returns a database
// URL whose search_path points at it, so parallel runs never see each other's rows.
func FreshSchema(t testing.TB) string {
	t.Helper()
	base := DatabaseURL(t)
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
