// Package budget is what a public demo lets anyone spend, keyed by what a caller cannot reset:
// chats a minute per session id, LLM calls and new sessions a minute and new generated modes a
// day per client address, and, for the whole process, LLM calls a minute and tokens a day. The
// session and address limits live in Windows that outlive any one session (and, on PostgreSQL,
// are shared by every replica); the process-wide ones are this process's own.
package budget

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"presto/internal/metrics"
)

// Limits are the figures of PRODUCT.md 6 (Safety). Every one is at least 1 except TokensPerDay,
// where 0 means unlimited.
type Limits struct {
	ChatsPerSession    int   // chats and tabs not cached yet, per session, a minute
	CallsPerAddress    int   // LLM calls per client address, a minute, bursts included
	SessionsPerAddress int   // new sessions per client address, a minute
	ModesPerAddress    int   // new generated modes per client address, a day
	Calls              int   // LLM calls in the process, a minute
	TokensPerDay       int64 // LLM tokens in the process per UTC day; 0 is unlimited
}

// DefaultLimits are PRODUCT.md's. Calls is 600 a minute: ten addresses at their full budget, and
// about what the 32 slots sustain at a typical 3 s call (640 a minute), so a real crowd meets the
// slots first while many attacking addresses together cannot spend faster than a known rate.
func DefaultLimits() Limits {
	return Limits{ChatsPerSession: 20, CallsPerAddress: 60, SessionsPerAddress: 30, ModesPerAddress: 10, Calls: 600}
}

// Reason names what ran out, for the message and the refusals counter.
type Reason string

// The reasons a request is refused.
const (
	SessionChats     Reason = "session_chats"    // the session's chats a minute
	AddressCalls     Reason = "address_calls"    // the address's LLM calls a minute
	AddressSessions  Reason = "address_sessions" // the address's new sessions a minute
	AddressModes     Reason = "address_modes"    // the address's new generated modes a day
	ProcessCalls     Reason = "process_calls"    // the process's LLM calls a minute
	ProcessTokensDay Reason = "process_tokens"   // the process's tokens today
)

// Exceeded is a refusal: what ran out and how long until there is room again.
type Exceeded struct {
	Reason Reason
	Wait   time.Duration
}

func (e *Exceeded) Error() string {
	return fmt.Sprintf("budget %s exceeded; room again in %s", e.Reason, e.Wait.Round(time.Second))
}

// Message is what the user reads.
func (e *Exceeded) Message() string {
	wait := e.WaitSeconds()
	switch e.Reason {
	case SessionChats:
		return fmt.Sprintf("too many requests; try again in %d s", wait)
	case AddressCalls, AddressSessions:
		return fmt.Sprintf("too many requests from your network; try again in %d s", wait)
	case AddressModes:
		return fmt.Sprintf("your network has made as many new modes as it may today; pick an existing one, or try again in %s", roughly(e.Wait))
	case ProcessCalls:
		return fmt.Sprintf("the demo is answering as many questions as it can right now; try again in %d s", wait)
	default:
		return fmt.Sprintf("the demo's budget for today is used up; try again in %s", roughly(e.Wait))
	}
}

// WaitSeconds is Wait rounded up to whole seconds, at least 1.
func (e *Exceeded) WaitSeconds() int {
	return max(1, int((e.Wait+time.Second-1)/time.Second))
}

// roughly says a long wait in hours or minutes.
func roughly(d time.Duration) string {
	if d >= time.Hour {
		return fmt.Sprintf("%d h", int(d.Round(time.Hour)/time.Hour))
	}
	return fmt.Sprintf("%d min", max(1, int(d.Round(time.Minute)/time.Minute)))
}

// Windows counts events per key over a sliding window.
type Windows interface {
	// Take admits one event for key when fewer than limit were admitted in the window before now;
	// otherwise it reports how long until the oldest of them leaves the window.
	Take(ctx context.Context, key string, limit int, window time.Duration) (ok bool, wait time.Duration, err error)
}

// Budget applies the limits. Session and address limits go through shared; the process-wide
// ones are kept here.
type Budget struct {
	limits  Limits
	shared  Windows
	local   *Memory
	metrics *metrics.Metrics // nil records nothing
	now     func() time.Time

	mu       sync.Mutex
	tokenDay string // the UTC date tokens are counted for
	tokens   int64
}

// New applies limits, keeping per-session and per-address windows in shared; m may be nil.
func New(limits Limits, shared Windows, m *metrics.Metrics) *Budget {
	return &Budget{limits: limits, shared: shared, local: NewMemory(), metrics: m, now: time.Now}
}

// Limits are the figures the budget applies.
func (b *Budget) Limits() Limits { return b.limits }

// Chat takes one of the session's chats (or tabs not cached yet) of the minute.
func (b *Budget) Chat(ctx context.Context, sessionID string) error {
	return b.take(ctx, b.shared, "chat:"+sessionID, b.limits.ChatsPerSession, time.Minute, SessionChats)
}

// NewSession takes one of the address's new sessions of the minute.
func (b *Budget) NewSession(ctx context.Context, from netip.Addr) error {
	return b.take(ctx, b.shared, "session:"+addressKey(from), b.limits.SessionsPerAddress, time.Minute, AddressSessions)
}

// NewMode takes one of the address's new generated modes of the day.
func (b *Budget) NewMode(ctx context.Context, from netip.Addr) error {
	return b.take(ctx, b.shared, "mode:"+addressKey(from), b.limits.ModesPerAddress, 24*time.Hour, AddressModes)
}

// Call takes one LLM call for from: refused when today's tokens are spent, or the address or the
// process has made its calls of the minute. The address is charged first, so that an address
// refused for its own excess never uses up the process's calls, which everyone shares.
func (b *Budget) Call(ctx context.Context, from netip.Addr) error {
	if err := b.checkTokens(); err != nil {
		return err
	}
	if err := b.take(ctx, b.shared, "call:"+addressKey(from), b.limits.CallsPerAddress, time.Minute, AddressCalls); err != nil {
		return err
	}
	return b.take(ctx, b.local, "calls", b.limits.Calls, time.Minute, ProcessCalls)
}

// Spend counts tokens an LLM call reported against today's.
func (b *Budget) Spend(tokens int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rollDay()
	b.tokens += tokens
}

// TokensToday is what Spend counted since the start of the UTC day.
func (b *Budget) TokensToday() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rollDay()
	return b.tokens
}

func (b *Budget) checkTokens() error {
	if b.limits.TokensPerDay <= 0 {
		return nil
	}
	b.mu.Lock()
	b.rollDay()
	spent := b.tokens >= b.limits.TokensPerDay
	b.mu.Unlock()
	if !spent {
		return nil
	}
	now := b.now().UTC()
	midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	b.metrics.BudgetRefused(string(ProcessTokensDay))
	return &Exceeded{Reason: ProcessTokensDay, Wait: midnight.Sub(now)}
}

// rollDay starts a new count at UTC midnight. b.mu is held.
func (b *Budget) rollDay() {
	if day := b.now().UTC().Format(time.DateOnly); day != b.tokenDay {
		b.tokenDay, b.tokens = day, 0
	}
}

func (b *Budget) take(ctx context.Context, w Windows, key string, limit int, window time.Duration, reason Reason) error {
	ok, wait, err := w.Take(ctx, key, limit, window)
	if err != nil {
		return fmt.Errorf("budget %s: %w", reason, err)
	}
	if !ok {
		b.metrics.BudgetRefused(string(reason))
		return &Exceeded{Reason: reason, Wait: wait}
	}
	return nil
}

// addressKey is what an address is counted under: IPv4 addresses one by one, IPv6 by their /64,
// the smallest block a home or a cloud machine is given, so that an attacker cannot take a new
// budget with each of its 2^64 addresses.
func addressKey(a netip.Addr) string {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
