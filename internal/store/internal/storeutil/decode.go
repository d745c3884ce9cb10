package storeutil

import (
	"encoding/json"
	"log/slog"

	"presto/internal/modes"
)

// DecodeMode decodes a stored mode, logging a row that cannot be (the caller skips it). The key
// column is the truth about the id.
func DecodeMode(logger *slog.Logger, engine, id string, data []byte) (modes.Mode, error) {
	var m modes.Mode
	if err := json.Unmarshal(data, &m); err != nil {
		logger.Warn("skipping corrupt mode row", "engine", engine, "mode", id, "err", err)
		return modes.Mode{}, err
	}
	m.ID = id
	return m, nil
}
