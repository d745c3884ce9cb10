package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// lockKey is the advisory lock key of a Lock key: a 64-bit hash, computed by the server so that
// every replica agrees, of the key within the connection's schema, so that deployments or test
// runs in separate schemas of one database do not wait for each other.
const lockKey = `hashtextextended('presto.lock.' || coalesce(current_schema(), '') || '.' || $1, 0)`

const (
	lockSQL   = `SELECT pg_advisory_lock(` + lockKey + `)`
	unlockSQL = `SELECT pg_advisory_unlock(` + lockKey + `)`

	// unlockTimeout bounds the unlock; past it the connection is closed, which releases the lock.
	unlockTimeout = 5 * time.Second
)

// Lock takes the cross-replica lock named key, waiting while another holder (any replica, or
// this one) has it: a PostgreSQL session-level advisory lock on a connection of the store's pool.
// The connection stays out of the pool until unlock, which releases the lock and returns the
// connection; unlock may be called more than once. If ctx ends while Lock waits, the wait is
// abandoned, the connection is closed rather than returned, and the error wraps ctx's.
//
// Each held or waiting Lock takes a connection of the pool, so hold few at once and briefly
// enough (the time to generate one thing once, not a request's whole life).
func (s *Store) Lock(ctx context.Context, key string) (unlock func(), err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock: acquire a connection: %w", withCtxErr(ctx, err))
	}
	if _, err := conn.Exec(ctx, lockSQL, key); err != nil {
		// Whether the server granted the lock before the failure is unknown, and after a cancelled
		// wait pgx may still be cancelling it: a closed session holds no lock.
		s.discard(conn)
		return nil, fmt.Errorf("lock: wait for advisory lock: %w", withCtxErr(ctx, err))
	}
	var once sync.Once
	return func() { once.Do(func() { s.unlock(conn, key) }) }, nil
}

func (s *Store) unlock(conn *pgxpool.Conn, key string) {
	ctx, cancel := context.WithTimeout(context.Background(), unlockTimeout)
	defer cancel()
	var released bool
	if err := conn.QueryRow(ctx, unlockSQL, key).Scan(&released); err != nil || !released {
		s.logger.Warn("unlock advisory lock failed; closing its connection, which releases it",
			"engine", "postgres", "released", released, "err", err)
		s.discard(conn)
		return
	}
	conn.Release()
}

// discard takes conn out of the pool and closes it, ending its session and the session's locks.
// It waits (briefly) until the server has closed the socket, so that once Lock or unlock returns,
// the session is gone: after a failed query pgx closes in the background, first cancelling the
// query so that a backend waiting for the lock stops waiting.
func (s *Store) discard(conn *pgxpool.Conn) {
	c := conn.Hijack()
	ctx, cancel := context.WithTimeout(context.Background(), unlockTimeout)
	defer cancel()
	_ = c.Close(ctx) // best effort: the server ends the session when the socket closes
	select {
	case <-c.PgConn().CleanupDone():
	case <-ctx.Done():
	}
}
