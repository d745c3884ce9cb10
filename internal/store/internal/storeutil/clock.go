package storeutil

import "time"

// Now is the time a write records, in UTC and truncated to microseconds: PostgreSQL keeps
// microseconds, so both engines hand back exactly the instant they stored.
func Now() time.Time {
	return time.Now().UTC().Truncate(time.Microsecond)
}
