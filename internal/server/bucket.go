package server

import "time"

// tokenBucket allows burst at once and perSecond sustained. It is not safe for concurrent use:
// each socket's reader owns its own.
type tokenBucket struct {
	tokens, burst, perSecond float64
	last                     time.Time
}

func newTokenBucket(perSecond, burst float64) tokenBucket {
	return tokenBucket{tokens: burst, burst: burst, perSecond: perSecond}
}

// take takes a token if one is left at now.
func (b *tokenBucket) take(now time.Time) bool {
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.perSecond)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
