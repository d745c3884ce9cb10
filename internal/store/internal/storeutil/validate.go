// Package storeutil holds what the store engines share and callers never need: input checks,
// the migration file list and the clock reading a write records.
package storeutil

import (
	"encoding/json"
	"fmt"

	"presto/internal/store"
)

// CheckSession refuses a session that has no id, so that no engine stores an unreachable row.
func CheckSession(s store.Session) error {
	if s.ID == "" {
		return fmt.Errorf("session: empty id: %w", store.ErrInvalid)
	}
	return nil
}

// CheckModeID refuses an empty mode id.
func CheckModeID(id string) error {
	if id == "" {
		return fmt.Errorf("mode: empty id: %w", store.ErrInvalid)
	}
	return nil
}

// CheckTab refuses tab content with an empty key or content that is not JSON: the engines store it
// as JSON, and a value that cannot be replayed is better refused at write time than skipped later.
func CheckTab(modeID, tabID string, content json.RawMessage) error {
	if modeID == "" || tabID == "" {
		return fmt.Errorf("tab content: empty mode or tab id: %w", store.ErrInvalid)
	}
	if !json.Valid(content) {
		return fmt.Errorf("tab content %s/%s: not valid JSON: %w", modeID, tabID, store.ErrInvalid)
	}
	return nil
}
