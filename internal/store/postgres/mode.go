package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"presto/internal/modes"
	"presto/internal/store"
	"presto/internal/store/internal/storeutil"
)

// SaveMode inserts or replaces the mode by id. A replaced mode keeps its place in ListModes.
func (s *Store) SaveMode(ctx context.Context, m modes.Mode) error {
	if err := storeutil.CheckModeID(m.ID); err != nil {
		return err
	}
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("save mode %q: encode: %w", m.ID, err)
	}
	err = s.inWrite(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO modes (id, data, created_at, updated_at, last_used_at) VALUES ($1, $2, $3, $3, $3)
			ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, last_used_at = excluded.last_used_at`,
			m.ID, json.RawMessage(data), storeutil.Now())
		return err
	})
	if err != nil {
		return fmt.Errorf("save mode %q: %w", m.ID, err)
	}
	return nil
}

// GetMode returns the mode id; a corrupt row is treated as absent and logged.
func (s *Store) GetMode(ctx context.Context, id string) (modes.Mode, error) {
	var data []byte
	err := s.inRead(ctx, func(q querier) error {
		return q.QueryRow(ctx, `SELECT data FROM modes WHERE id = $1`, id).Scan(&data)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return modes.Mode{}, fmt.Errorf("get mode %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return modes.Mode{}, fmt.Errorf("get mode %q: %w", id, err)
	}
	m, err := storeutil.DecodeMode(s.logger, "postgres", id, data)
	if err != nil {
		return modes.Mode{}, fmt.Errorf("get mode %q: corrupt row: %w", id, store.ErrNotFound)
	}
	return m, nil
}

// ListModes returns every stored mode in creation order, skipping corrupt rows.
func (s *Store) ListModes(ctx context.Context) ([]modes.Mode, error) {
	var out []modes.Mode
	err := s.inRead(ctx, func(q querier) error {
		rows, err := q.Query(ctx, `SELECT id, data FROM modes ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				id   string
				data []byte
			)
			if err := rows.Scan(&id, &data); err != nil {
				return err
			}
			if m, err := storeutil.DecodeMode(s.logger, "postgres", id, data); err == nil {
				out = append(out, m)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list modes: %w", err)
	}
	return out, nil
}

// TouchMode records that a session uses the mode id now.
func (s *Store) TouchMode(ctx context.Context, id string) error {
	err := s.inWrite(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE modes SET last_used_at = $1 WHERE id = $2`, storeutil.Now(), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("touch mode %q: %w", id, err)
	}
	return nil
}

// PruneModes deletes the modes unused since cutoff, and their cached tabs, in one transaction.
func (s *Store) PruneModes(ctx context.Context, cutoff time.Time, keep []string) ([]string, error) {
	var pruned []string
	err := s.inWrite(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			DELETE FROM modes
			WHERE last_used_at < $1
			  AND NOT (id = ANY($2))
			  AND id NOT IN (SELECT mode_id FROM sessions WHERE updated_at >= $1)
			RETURNING id`, cutoff, append([]string{}, keep...))
		if err != nil {
			return err
		}
		pruned, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM tab_content WHERE mode_id = ANY($1)`, pruned)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("prune modes: %w", err)
	}
	return pruned, nil
}
