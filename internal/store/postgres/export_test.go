package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// CorruptMode implements storetest.Corrupter. jsonb refuses broken JSON, so the damage is valid
// JSON of the wrong shape, as a mode written by an incompatible version would be.
func (s *Store) CorruptMode(ctx context.Context, id string) error {
	return s.corrupt(ctx, `UPDATE modes SET data = '{"tabs": "not a list"}' WHERE id = $1`, id)
}

// CorruptSession implements storetest.Corrupter.
func (s *Store) CorruptSession(ctx context.Context, id string) error {
	return s.corrupt(ctx, `UPDATE sessions SET history = '{"role": 1}' WHERE id = $1`, id)
}

func (s *Store) corrupt(ctx context.Context, query, id string) error {
	return s.inWrite(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, query, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("corrupt %q: %d rows affected", id, tag.RowsAffected())
		}
		return nil
	})
}
