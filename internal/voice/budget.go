package voice

import (
	"fmt"
	"sync"
	"time"
)

// Budget is the voice a process allows: realtime sessions at once, and minutes per session per
// day (realtime audio is billed by the minute). It is kept in memory, per replica.
type Budget struct {
	maxOpen int
	perDay  time.Duration
	now     func() time.Time

	mu   sync.Mutex
	open int
	day  string             // the day used counts, UTC
	used map[string]*dayUse // by session id, today's only
}

type dayUse struct {
	day  string // YYYY-MM-DD, UTC
	used time.Duration
}

// NewBudget allows maxOpen sessions at once and minutesPerDay minutes per session per day.
func NewBudget(maxOpen, minutesPerDay int) *Budget {
	return &Budget{maxOpen: maxOpen, perDay: time.Duration(minutesPerDay) * time.Minute, now: time.Now, used: make(map[string]*dayUse)}
}

// acquire takes one of the open sessions for sessionID, or says which limit refused it.
func (b *Budget) acquire(sessionID string) (release func(), err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.open >= b.maxOpen {
		return nil, fmt.Errorf("voice is busy: %d voice sessions are open, the most this server allows (PRESTO_MAX_VOICE_SESSIONS); try again in a moment", b.open)
	}
	if b.usageLocked(sessionID).used >= b.perDay {
		return nil, b.spentError()
	}
	b.open++
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			b.open--
			b.mu.Unlock()
		})
	}, nil
}

// spend adds d of voice to sessionID's day; it reports an error once the day's minutes are used.
func (b *Budget) spend(sessionID string, d time.Duration) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	u := b.usageLocked(sessionID)
	u.used += d
	if u.used >= b.perDay {
		return b.spentError()
	}
	return nil
}

func (b *Budget) spentError() error {
	return fmt.Errorf("this session has used its %d minutes of voice for today (PRESTO_VOICE_MAX_MINUTES); chat still works", int(b.perDay/time.Minute))
}

// usageLocked is sessionID's use today, starting afresh on a new day. b.mu is held.
func (b *Budget) usageLocked(sessionID string) *dayUse {
	day := b.now().UTC().Format(time.DateOnly)
	if day != b.day { // a new day: yesterday's figures go, so the map holds one day of sessions
		b.day, b.used = day, make(map[string]*dayUse)
	}
	u := b.used[sessionID]
	if u == nil || u.day != day {
		u = &dayUse{day: day}
		b.used[sessionID] = u
	}
	return u
}
