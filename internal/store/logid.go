package store

import (
	"crypto/sha256"
	"encoding/hex"
)

// SessionLogID is how logs and errors name a session: the first 8 hex digits of its id's SHA-256.
// A session id opens the session (it is in every session link), so it is never logged; the hash
// follows one session through the logs and cannot be turned back into the id.
func SessionLogID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:4])
}
