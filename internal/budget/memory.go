package budget

import (
	"context"
	"sync"
	"time"
)

// sweepEvery is how often Memory drops the keys whose windows are empty.
const sweepEvery = time.Minute

// Memory is Windows in this process: a log of admission times per key. A key whose log is all
// older than its window is the same as no key, so idle keys are dropped without losing anything,
// and memory stays bounded by what was admitted in the last window.
type Memory struct {
	now func() time.Time

	mu    sync.Mutex
	logs  map[string]*hitLog
	swept time.Time
}

type hitLog struct {
	window time.Duration
	hits   []time.Time // oldest first
}

// NewMemory is an empty Memory.
func NewMemory() *Memory {
	return &Memory{now: time.Now, logs: make(map[string]*hitLog)}
}

// Take implements Windows.
func (m *Memory) Take(_ context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if now.Sub(m.swept) >= sweepEvery {
		m.sweep(now)
	}
	l := m.logs[key]
	if l == nil {
		l = &hitLog{window: window}
		m.logs[key] = l
	}
	l.trim(now)
	if len(l.hits) >= limit {
		return false, l.hits[0].Add(window).Sub(now), nil
	}
	l.hits = append(l.hits, now)
	return true, 0, nil
}

func (m *Memory) sweep(now time.Time) {
	m.swept = now
	for key, l := range m.logs {
		if l.trim(now); len(l.hits) == 0 {
			delete(m.logs, key)
		}
	}
}

// trim forgets the hits that have left the window.
func (l *hitLog) trim(now time.Time) {
	cut := 0
	for cut < len(l.hits) && !l.hits[cut].After(now.Add(-l.window)) {
		cut++
	}
	// Reslicing leaves the dropped times in the array until append outgrows it and copies the
	// rest: amortized, each time is dropped once.
	l.hits = l.hits[cut:]
}
