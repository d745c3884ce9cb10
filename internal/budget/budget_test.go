package budget

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"
)

// clock is a settable now for the windows and the day.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestBudget(limits Limits) (*Budget, *Memory, *clock) {
	c := &clock{t: time.Date(2026, 12, 2, 23, 59, 0, 0, time.UTC)}
	shared := NewMemory()
	shared.now = c.now
	b := New(limits, shared, nil)
	b.local.now, b.now = c.now, c.now
	return b, shared, c
}

func TestWindowSlidesAndNeverAdmitsMoreThanTheLimitInAWindow(t *testing.T) {
	b, _, c := newTestBudget(Limits{CallsPerAddress: 3, Calls: 1000})
	from := netip.MustParseAddr("203.0.113.5")
	// Three at 0 s, 10 s and 20 s; every take after that inside the minute of the first is refused.
	for _, at := range []time.Duration{0, 10 * time.Second, 20 * time.Second} {
		if err := b.Call(t.Context(), from); err != nil {
			t.Fatalf("call at %v: %v", at, err)
		}
		c.t = c.t.Add(10 * time.Second)
	}
	err := b.Call(t.Context(), from)
	var ex *Exceeded
	if !errors.As(err, &ex) || ex.Reason != AddressCalls || ex.Wait != 30*time.Second {
		t.Fatalf("the fourth call at 30 s: %v; want address_calls with 30 s to wait", err)
	}
	c.t = c.t.Add(30 * time.Second) // the first call leaves the window
	if err := b.Call(t.Context(), from); err != nil {
		t.Fatalf("a call once the first left the window: %v", err)
	}
	if err := b.Call(t.Context(), from); !errors.As(err, &ex) {
		t.Fatalf("the next: %v; want refused, the 10 s call is still in the window", err)
	}
}

func TestIPv6CountsByPrefix(t *testing.T) {
	b, _, _ := newTestBudget(Limits{CallsPerAddress: 1, Calls: 1000})
	if err := b.Call(t.Context(), netip.MustParseAddr("2001:db8:1:2::1")); err != nil {
		t.Fatal(err)
	}
	if err := b.Call(t.Context(), netip.MustParseAddr("2001:db8:1:2:ffff::9")); err == nil {
		t.Fatal("another address of the same /64 got a budget of its own")
	}
	if err := b.Call(t.Context(), netip.MustParseAddr("2001:db8:1:3::1")); err != nil {
		t.Fatalf("another /64: %v", err)
	}
	if err := b.Call(t.Context(), netip.MustParseAddr("::ffff:198.51.100.7")); err != nil {
		t.Fatalf("an IPv4-mapped address: %v", err)
	}
	if err := b.Call(t.Context(), netip.MustParseAddr("198.51.100.7")); err == nil {
		t.Fatal("the same IPv4 address unmapped got a budget of its own")
	}
}

// TestRefusedAddressDoesNotSpendTheProcess: an address past its own budget leaves the process's
// calls to everyone else.
func TestRefusedAddressDoesNotSpendTheProcess(t *testing.T) {
	b, _, _ := newTestBudget(Limits{CallsPerAddress: 2, Calls: 3})
	attacker := netip.MustParseAddr("203.0.113.66")
	for range 50 {
		_ = b.Call(t.Context(), attacker)
	}
	if err := b.Call(t.Context(), netip.MustParseAddr("198.51.100.1")); err != nil {
		t.Fatalf("another address after the attacker's refused calls: %v", err)
	}
	err := b.Call(t.Context(), netip.MustParseAddr("198.51.100.2"))
	var ex *Exceeded
	if !errors.As(err, &ex) || ex.Reason != ProcessCalls {
		t.Fatalf("the process's fourth call: %v; want process_calls", err)
	}
}

func TestTokensPerDay(t *testing.T) {
	b, _, c := newTestBudget(Limits{CallsPerAddress: 100, Calls: 100, TokensPerDay: 1000})
	from := netip.MustParseAddr("203.0.113.5")
	b.Spend(999)
	if err := b.Call(t.Context(), from); err != nil {
		t.Fatalf("with 1 token left: %v", err)
	}
	b.Spend(5)
	err := b.Call(t.Context(), from)
	var ex *Exceeded
	if !errors.As(err, &ex) || ex.Reason != ProcessTokensDay || ex.Wait != time.Minute {
		t.Fatalf("past the day's tokens at 23:59: %v; want process_tokens until midnight", err)
	}
	c.t = c.t.Add(time.Minute) // a new UTC day
	if err := b.Call(t.Context(), from); err != nil || b.TokensToday() != 0 {
		t.Fatalf("the next day: %v, %d tokens counted; want a fresh day", err, b.TokensToday())
	}
}

func TestUnlimitedTokens(t *testing.T) {
	b, _, _ := newTestBudget(Limits{CallsPerAddress: 10, Calls: 10})
	b.Spend(1 << 50)
	if err := b.Call(t.Context(), netip.MustParseAddr("203.0.113.5")); err != nil {
		t.Fatalf("with no token limit: %v", err)
	}
}

// TestIdleKeysAreDropped: keys whose windows emptied are forgotten at the next sweep, so the
// windows hold only what the last window admitted.
func TestIdleKeysAreDropped(t *testing.T) {
	b, shared, c := newTestBudget(DefaultLimits())
	for i := range 1000 {
		if err := b.NewSession(t.Context(), netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(shared.logs); n != 1000 {
		t.Fatalf("%d keys after 1000 addresses, want 1000", n)
	}
	c.t = c.t.Add(2 * time.Minute)
	if err := b.NewSession(context.Background(), netip.MustParseAddr("10.9.9.9")); err != nil {
		t.Fatal(err)
	}
	if n := len(shared.logs); n != 1 {
		t.Fatalf("%d keys two minutes later, want only the new one", n)
	}
}

func TestMessages(t *testing.T) {
	tests := []struct {
		ex   Exceeded
		want string
	}{
		{Exceeded{SessionChats, 2500 * time.Millisecond}, "too many requests; try again in 3 s"},
		{Exceeded{AddressCalls, 40 * time.Second}, "too many requests from your network; try again in 40 s"},
		{Exceeded{ProcessTokensDay, 5 * time.Hour}, "the demo's budget for today is used up; try again in 5 h"},
		{Exceeded{AddressModes, 90 * time.Second}, "your network has made as many new modes as it may today; pick an existing one, or try again in 2 min"},
	}
	for _, tt := range tests {
		if got := tt.ex.Message(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.ex.Reason, got, tt.want)
		}
	}
}
