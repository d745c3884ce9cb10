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
	"presto/internal/store/internal/storeutil"
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
	path   string
	file   os.FileInfo // the file opened, to notice it removed or replaced under the server
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path, creating its directory too, and applies
// any pending migrations. The caller closes the store.
func Open(ctx context.Context, path string, logger *slog.Logger) (*Store, error) {
	if err := checkPath(path); err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	if err := checkExisting(path); err != nil {
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
	file, err := os.Stat(path)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite store: %w", err), read.Close(), write.Close())
	}
	return &Store{write: write, read: read, logger: logger, path: path, file: file}, nil
}

// checkExisting refuses to let SQLite silently make a fresh database where one was: a 0-byte file
// (a failed copy, a full disk), or a missing file whose write-ahead log or journal is still there.
func checkExisting(path string) error {
	info, err := os.Stat(path)
	switch {
	case err == nil && info.Size() == 0:
		return fmt.Errorf("%s is empty (0 bytes), so it holds no database; opening it would start a fresh one in its place. "+
			"Restore it from a backup, or delete it to start with an empty database", path)
	case err == nil:
		return nil
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("stat %s: %w", path, err)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(path + suffix); err == nil {
			return fmt.Errorf("%s is missing but its %s file is there: the database was moved or deleted. "+
				"Restore it from a backup, or delete %s too to start with an empty database", path, suffix, path+suffix)
		}
	}
	return nil
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

// Ping reports whether the store can read and write: the file is still the one opened (one removed
// under the server takes every later write with it at the next start), and one row is written
// and read back, under a mode id no mode has.
func (s *Store) Ping(ctx context.Context) error {
	now, err := os.Stat(s.path)
	if err != nil || !os.SameFile(now, s.file) {
		return fmt.Errorf("ping sqlite store: %s was removed or replaced while the server ran (restart to open what is there now): %v", s.path, err)
	}
	at := storeutil.Now().UnixMicro()
	err = s.inWrite(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO tab_content (mode_id, tab_id, content, updated_at) VALUES ('', 'readyz', '{}', ?)
			ON CONFLICT (mode_id, tab_id) DO UPDATE SET updated_at = excluded.updated_at`, at)
		return err
	})
	if err != nil {
		return fmt.Errorf("ping sqlite store: write: %w", err)
	}
	return s.inRead(ctx, func(tx *sql.Tx) error {
		var got int64
		err := tx.QueryRowContext(ctx, `SELECT updated_at FROM tab_content WHERE mode_id = '' AND tab_id = 'readyz'`).Scan(&got)
		if err != nil {
			return fmt.Errorf("ping sqlite store: read: %w", err)
		}
		if got < at { // a later write by another process on the same file is fine
			return fmt.Errorf("ping sqlite store: read back %d, wrote %d", got, at)
		}
		return nil
	})
}

// Close closes both pools. In WAL mode the last connection to close checkpoints the WAL into
// the main file.
func (s *Store) Close() error {
	return errors.Join(s.read.Close(), s.write.Close())
}
