package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"presto/internal/store"
	"presto/internal/store/internal/storeutil"
)

// GetSession returns the session id. A row whose history cannot be decoded is treated as absent
// (the caller starts the session over) and logged.
func (s *Store) GetSession(ctx context.Context, id string) (store.Session, error) {
	var (
		sess    = store.Session{ID: id}
		history []byte
		updated int64
	)
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx,
			`SELECT mode_id, voice, history, turn, updated_at FROM sessions WHERE id = ?`, id,
		).Scan(&sess.ModeID, &sess.Voice, &history, &sess.Turn, &updated)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return store.Session{}, fmt.Errorf("get session %s: %w", store.SessionLogID(id), store.ErrNotFound)
	}
	if err != nil {
		return store.Session{}, fmt.Errorf("get session %s: %w", store.SessionLogID(id), err)
	}
	if err := json.Unmarshal(history, &sess.History); err != nil {
		s.logger.Warn("skipping corrupt session row", "engine", "sqlite", "session", store.SessionLogID(id), "err", err)
		return store.Session{}, fmt.Errorf("get session %s: corrupt row: %w", store.SessionLogID(id), store.ErrNotFound)
	}
	sess.UpdatedAt = time.UnixMicro(updated).UTC()
	return sess, nil
}

// SaveSession inserts or replaces the session and stamps it with the current time.
func (s *Store) SaveSession(ctx context.Context, sess store.Session) error {
	if err := storeutil.CheckSession(sess); err != nil {
		return err
	}
	history, err := json.Marshal(sess.History)
	if err != nil {
		return fmt.Errorf("save session %s: encode history: %w", store.SessionLogID(sess.ID), err)
	}
	err = s.inWrite(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO sessions (id, mode_id, voice, history, turn, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET
				mode_id = excluded.mode_id, voice = excluded.voice, history = excluded.history,
				turn = max(sessions.turn, excluded.turn), updated_at = excluded.updated_at`,
			sess.ID, sess.ModeID, sess.Voice, string(history), sess.Turn, storeutil.Now().UnixMicro())
		return err
	})
	if err != nil {
		return fmt.Errorf("save session %s: %w", store.SessionLogID(sess.ID), err)
	}
	return nil
}
