// Package store keeps what must survive a restart: sessions (mode, history, voice), generated
// modes and cached tab content. Engines live in sub-packages (sqlite, postgres) and pass one
// contract suite (storetest).
package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"presto/internal/message"
	"presto/internal/modes"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// Session is one browser session's durable state. The persona is not stored: it is derived from
// (ID, ModeID).
type Session struct {
	ID        string            `json:"id"`
	ModeID    string            `json:"mode_id"`
	History   []message.Message `json:"history"` // bounded by the caller
	Voice     string            `json:"voice"`   // realtime voice name, empty for the default
	Turn      int               `json:"turn"`    // the latest turn number; a save never lowers it
	UpdatedAt time.Time         `json:"updated_at"`
}

// Store is the durable state. Every method is one transaction; an acknowledged write survives a
// crash. Methods return ErrNotFound (wrapped) for missing records, never nil, nil.
type Store interface {
	GetSession(ctx context.Context, id string) (Session, error)
	// SaveSession inserts or replaces the session and sets UpdatedAt.
	SaveSession(ctx context.Context, s Session) error

	// SaveMode inserts or replaces a generated mode by ID.
	SaveMode(ctx context.Context, m modes.Mode) error
	GetMode(ctx context.Context, id string) (modes.Mode, error)
	// ListModes returns every stored mode, oldest first. A corrupt row is skipped with a warning.
	ListModes(ctx context.Context) ([]modes.Mode, error)
	// TouchMode records that a session uses the stored mode id now (SaveMode counts as a use).
	// A mode that is not stored is no error: prebuilt modes are not.
	TouchMode(ctx context.Context, id string) error
	// PruneModes deletes the stored modes last used before cutoff, with their cached tabs,
	// except the ids in keep and the modes of sessions saved since cutoff. It returns the ids
	// it deleted.
	PruneModes(ctx context.Context, cutoff time.Time, keep []string) ([]string, error)

	// GetTabContent returns the cached tab content for (modeID, tabID). A tab id may hold a
	// session id (chat keeps each session's tabs apart), so errors name the mode only.
	GetTabContent(ctx context.Context, modeID, tabID string) (json.RawMessage, error)
	SaveTabContent(ctx context.Context, modeID, tabID string, content json.RawMessage) error

	// Ping reports whether the store can serve requests (readiness): a real write and read.
	Ping(ctx context.Context) error
	Close() error
}
