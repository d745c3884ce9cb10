package chat

import (
	"sync"
	"time"
)

// rateLimiter is a token bucket: up to burst messages at once, refilled at burst per period.
type rateLimiter struct {
	mu     sync.Mutex
	burst  float64
	rate   float64 // tokens per second
	tokens float64
	last   time.Time
	now    func() time.Time
}

func newRateLimiter(burst int, period time.Duration) *rateLimiter {
	return &rateLimiter{
		burst:  float64(burst),
		rate:   float64(burst) / period.Seconds(),
		tokens: float64(burst),
		now:    time.Now,
	}
}

// allow takes a token if one is left; otherwise it says how long until the next one.
func (r *rateLimiter) allow() (wait time.Duration, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if !r.last.IsZero() {
		r.tokens = min(r.burst, r.tokens+now.Sub(r.last).Seconds()*r.rate)
	}
	r.last = now
	if r.tokens >= 1 {
		r.tokens--
		return 0, true
	}
	return time.Duration((1 - r.tokens) / r.rate * float64(time.Second)), false
}
