// Package sqlite is the default store engine: one SQLite file in the data directory, through the
// pure-Go modernc.org/sqlite driver so that builds stay CGO_ENABLED=0.
//
// Durability: the database runs in WAL mode with synchronous=FULL, so every commit is fsynced to
// the WAL before SaveX returns. With synchronous=NORMAL a killed process would still lose nothing
// (the WAL is in the OS page cache), but a power cut or kernel crash could lose the last commits;
// PRODUCT.md promises that nothing acknowledged is lost, and the writes here are a few per chat
// turn, so the extra fsync is worth it (see BenchmarkSaveSession for its cost).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"presto/internal/store"
)

// busyTimeoutMS is how long a connection waits for another process's write lock before it fails
// with SQLITE_BUSY. Writers of this process never wait on it: they share one connection.
const busyTimeoutMS = 5000

// Store is a store.Store on one SQLite file. It keeps two pools: a single writer connection, so
// that writers queue in Go (honouring their contexts) rather than spinning on SQLite's lock, and
// a pool of read-only connections that WAL lets run beside the writer.
type Store struct {
	write  *sql.DB
	read   *sql.DB
	logger *slog.Logger
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path, creating its directory too, and applies
// any pending migrations. The caller closes the store.
func Open(ctx context.Context, path string, logger *slog.Logger) (*Store, error) {
	if err := checkPath(path); err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite store: create directory: %w", err)
	}
	write, err := openPool(ctx, path, false, 1)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, write, logger); err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite store %s: %w", path, err), write.Close())
	}
	read, err := openPool(ctx, path, true, max(4, runtime.NumCPU()))
	if err != nil {
		return nil, errors.Join(err, write.Close())
	}
	return &Store{write: write, read: read, logger: logger}, nil
}

// checkPath refuses names the driver would not treat as one plain file shared by every pooled
// connection.
func checkPath(path string) error {
	switch {
	case path == "":
		return errors.New("empty database path")
	case strings.ContainsAny(path, "?#"):
		// The driver reads everything after '?' as options.
		return fmt.Errorf("database path %q contains '?' or '#'", path)
	case path == ":memory:" || strings.HasPrefix(path, "file:"):
		// Each pooled connection would get its own in-memory database; use a file in a temp dir.
		return fmt.Errorf("database path %q is not a plain file path", path)
	}
	return nil
}

// openPool opens one pool and checks that a connection can be made with every pragma applied.
func openPool(ctx context.Context, path string, readOnly bool, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn(path, readOnly))
	if err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite store %s: %w", path, err), db.Close())
	}
	return db, nil
}

// dsn puts every pragma in the connection string: database/sql opens connections whenever it
// likes, and only the DSN form reaches each one of them.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	if readOnly {
		q.Add("_pragma", "query_only(ON)")
	} else {
		// Take the write lock at BEGIN: a deferred transaction that upgrades from read to write
		// can fail with SQLITE_BUSY at once, without waiting for the busy timeout.
		q.Set("_txlock", "immediate")
	}
	return path + "?" + q.Encode()
}

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	return s.inRead(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
			return fmt.Errorf("ping sqlite store: %w", err)
		}
		return nil
	})
}

// Close closes both pools. In WAL mode the last connection to close checkpoints the WAL into
// the main file.
func (s *Store) Close() error {
	return errors.Join(s.read.Close(), s.write.Close())
}
