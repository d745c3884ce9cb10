package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// sweepEvery is how often a replica drops the windows that have emptied.
const sweepEvery = time.Minute

// Windows are the budgets' sliding windows in the rate_windows table, shared by every replica.
// One statement reads and updates a key's row under its row lock, so replicas taking from the
// same key at once are admitted one after the other, never both on the same free place; the
// times are the database's, so replicas' clocks do not matter.
type Windows struct {
	store *Store
	swept atomic.Int64 // unix nanos of the last sweep by this replica
}

// Windows is the store's shared budget windows.
func (s *Store) Windows() *Windows { return &Windows{store: s} }

// takeSQL keeps the hits younger than the window ($3 seconds), adds now when fewer than the limit
// ($2) are left, and returns whether it did and how long until the oldest leaves the window. In
// ON CONFLICT DO UPDATE every expression reads the row as it was, so admitted and hits agree.
const takeSQL = `
INSERT INTO rate_windows AS w (key, hits, admitted, expires_at)
VALUES ($1, ARRAY[now()], true, now() + $3 * interval '1 second')
ON CONFLICT (key) DO UPDATE SET
    admitted = (SELECT count(*) FROM unnest(w.hits) h WHERE h > now() - $3 * interval '1 second') < $2,
    hits = ARRAY(SELECT h FROM unnest(w.hits) h WHERE h > now() - $3 * interval '1 second' ORDER BY h) ||
        CASE WHEN (SELECT count(*) FROM unnest(w.hits) h WHERE h > now() - $3 * interval '1 second') < $2
            THEN ARRAY[now()] ELSE '{}'::timestamptz[] END,
    expires_at = now() + $3 * interval '1 second'
RETURNING admitted, COALESCE(extract(epoch FROM w.hits[1] + $3 * interval '1 second' - now()), 0)::float8`

// Take implements budget.Windows.
func (w *Windows) Take(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	if err := w.sweep(ctx); err != nil {
		return false, 0, err
	}
	var (
		ok   bool
		wait float64
	)
	take := func() error {
		return w.store.pool.QueryRow(ctx, takeSQL, key, limit, window.Seconds()).Scan(&ok, &wait)
	}
	err := take()
	if connectionLost(err) && ctx.Err() == nil {
		// A pooled connection the server ended (a restart, a failover, an administrator) fails
		// once; the pool gives a fresh one. Counting a take twice, were the first one applied,
		// only errs on the side of the budget.
		err = take()
	}
	if err = withCtxErr(ctx, err); err != nil {
		return false, 0, fmt.Errorf("take from window %q: %w", key, err)
	}
	return ok, time.Duration(max(wait, 0) * float64(time.Second)), nil
}

// connectionLost reports whether err is the server ending the connection (class 08, or 57P01
// admin shutdown and its kin), after which the same statement on a new connection may succeed.
func connectionLost(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	return pgconn.SafeToRetry(err)
}

// sweep drops the rows whose windows emptied, at most once a minute per replica: an empty window
// and no row admit the same.
func (w *Windows) sweep(ctx context.Context) error {
	now := time.Now().UnixNano()
	last := w.swept.Load()
	if now-last < int64(sweepEvery) || !w.swept.CompareAndSwap(last, now) {
		return nil
	}
	if _, err := w.store.pool.Exec(ctx, `DELETE FROM rate_windows WHERE expires_at < now()`); err != nil {
		return withCtxErr(ctx, fmt.Errorf("sweep budget windows: %w", err))
	}
	return nil
}
