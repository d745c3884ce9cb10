package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"presto/internal/store"
	"presto/internal/store/internal/storeutil"
)

// GetTabContent returns the cached content of (modeID, tabID). jsonb hands it back normalised
// (no insignificant whitespace, keys reordered), which is the same JSON value.
func (s *Store) GetTabContent(ctx context.Context, modeID, tabID string) (json.RawMessage, error) {
	var content []byte
	err := s.inRead(ctx, func(q querier) error {
		return q.QueryRow(ctx,
			`SELECT content FROM tab_content WHERE mode_id = $1 AND tab_id = $2`, modeID, tabID,
		).Scan(&content)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("get tab content of mode %s: %w", modeID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get tab content of mode %s: %w", modeID, err)
	}
	return content, nil
}

// SaveTabContent inserts or replaces the cached content of (modeID, tabID).
func (s *Store) SaveTabContent(ctx context.Context, modeID, tabID string, content json.RawMessage) error {
	if err := storeutil.CheckTab(modeID, tabID, content); err != nil {
		return err
	}
	err := s.inWrite(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO tab_content (mode_id, tab_id, content, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (mode_id, tab_id) DO UPDATE SET
				content = excluded.content, updated_at = excluded.updated_at`,
			modeID, tabID, content, storeutil.Now())
		return err
	})
	if err != nil {
		return fmt.Errorf("save tab content of mode %s: %w", modeID, err)
	}
	return nil
}
