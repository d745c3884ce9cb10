package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// CorruptMode implements storetest.Corrupter: it cuts the stored JSON short, as a torn manual
// edit would.
func (s *Store) CorruptMode(ctx context.Context, id string) error {
	return s.corrupt(ctx, `UPDATE modes SET data = '{"id": "' || id WHERE id = ?`, id)
}

// CorruptSession implements storetest.Corrupter.
func (s *Store) CorruptSession(ctx context.Context, id string) error {
	return s.corrupt(ctx, `UPDATE sessions SET history = '[{"role":' WHERE id = ?`, id)
}

func (s *Store) corrupt(ctx context.Context, query, id string) error {
	return s.inWrite(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("corrupt %q: %d rows affected, %v", id, n, err)
		}
		return nil
	})
}
