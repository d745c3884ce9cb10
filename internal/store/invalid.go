package store

import "errors"

// ErrInvalid is returned (wrapped) when a write is refused because the record could never be read
// back usefully: an empty id, or tab content that is not JSON. Callers map it to a 400-style error
// rather than retrying.
var ErrInvalid = errors.New("invalid record")
