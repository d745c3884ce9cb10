package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"presto/internal/store"
	"presto/internal/store/internal/storeutil"
)

// GetTabContent returns the cached content of (modeID, tabID).
func (s *Store) GetTabContent(ctx context.Context, modeID, tabID string) (json.RawMessage, error) {
	var content []byte
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx,
			`SELECT content FROM tab_content WHERE mode_id = ? AND tab_id = ?`, modeID, tabID,
		).Scan(&content)
	})
	if errors.Is(err, sql.ErrNoRows) {
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
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO tab_content (mode_id, tab_id, content, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (mode_id, tab_id) DO UPDATE SET
				content = excluded.content, updated_at = excluded.updated_at`,
			modeID, tabID, string(content), storeutil.Now().UnixMicro())
		return err
	})
	if err != nil {
		return fmt.Errorf("save tab content of mode %s: %w", modeID, err)
	}
	return nil
}
