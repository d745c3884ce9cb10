package azauth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// countingCredential hands out numbered tokens that live for lifetime, after an optional delay.
type countingCredential struct {
	lifetime time.Duration
	now      func() time.Time
	delay    time.Duration
	fail     error
	calls    atomic.Int32
}

func (c *countingCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	n := c.calls.Add(1)
	if c.delay > 0 {
		select {
		case <-time.After(c.delay):
		case <-ctx.Done():
			return azcore.AccessToken{}, ctx.Err()
		}
	}
	if c.fail != nil {
		return azcore.AccessToken{}, c.fail
	}
	return azcore.AccessToken{Token: fmt.Sprintf("token-%d-%s", n, opts.Scopes[0]), ExpiresOn: c.now().Add(c.lifetime)}, nil
}

// clock is a manual time source for the cache.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func scope(s string) policy.TokenRequestOptions {
	return policy.TokenRequestOptions{Scopes: []string{s}}
}

func TestTokenCacheReuseAndRefresh(t *testing.T) {
	tests := []struct {
		name      string
		lifetime  time.Duration
		advance   time.Duration
		wantCalls int32
	}{
		{name: "fresh token reused", lifetime: time.Hour, advance: 30 * time.Minute, wantCalls: 1},
		{name: "just outside the margin reused", lifetime: time.Hour, advance: 54*time.Minute + 59*time.Second, wantCalls: 1},
		{name: "inside the margin refetched", lifetime: time.Hour, advance: 55*time.Minute + time.Second, wantCalls: 2},
		{name: "expired refetched", lifetime: time.Hour, advance: 2 * time.Hour, wantCalls: 2},
		{name: "short-lived token reused before half-life", lifetime: 4 * time.Minute, advance: time.Minute, wantCalls: 1},
		{name: "short-lived token refetched after half-life", lifetime: 4 * time.Minute, advance: 2*time.Minute + time.Second, wantCalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
			cred := &countingCredential{lifetime: tt.lifetime, now: clk.now}
			c := newTokenCache(cred)
			c.now = clk.now
			first, err := c.GetToken(t.Context(), scope(Scope))
			if err != nil {
				t.Fatal(err)
			}
			clk.advance(tt.advance)
			second, err := c.GetToken(t.Context(), scope(Scope))
			if err != nil {
				t.Fatal(err)
			}
			if got := cred.calls.Load(); got != tt.wantCalls {
				t.Errorf("credential called %d times, want %d", got, tt.wantCalls)
			}
			if reused := first.Token == second.Token; reused != (tt.wantCalls == 1) {
				t.Errorf("first %q second %q: reused = %v, want %v", first.Token, second.Token, reused, tt.wantCalls == 1)
			}
		})
	}
}

func TestTokenCachePerScope(t *testing.T) {
	clk := &clock{t: time.Now()}
	cred := &countingCredential{lifetime: time.Hour, now: clk.now}
	c := newTokenCache(cred)
	c.now = clk.now
	for range 3 {
		for _, s := range []string{Scope, "https://ai.azure.com/.default"} {
			tok, err := c.GetToken(t.Context(), scope(s))
			if err != nil {
				t.Fatal(err)
			}
			if want := "-" + s; tok.Token[len(tok.Token)-len(want):] != want {
				t.Errorf("token %q was issued for another scope than %s", tok.Token, s)
			}
		}
	}
	if got := cred.calls.Load(); got != 2 {
		t.Errorf("credential called %d times for two scopes, want 2", got)
	}
}

func TestTokenCacheSingleFlight(t *testing.T) {
	cred := &countingCredential{lifetime: time.Hour, now: time.Now, delay: 50 * time.Millisecond}
	c := newTokenCache(cred)
	const callers = 32
	tokens := make([]string, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			tok, err := c.GetToken(t.Context(), scope(Scope))
			tokens[i], errs[i] = tok.Token, err
		})
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || tokens[i] != tokens[0] {
			t.Fatalf("caller %d got %q, %v; want %q", i, tokens[i], errs[i], tokens[0])
		}
	}
	if got := cred.calls.Load(); got != 1 {
		t.Errorf("%d concurrent callers made %d fetches, want 1", callers, got)
	}
}

func TestTokenCacheOwnerCancelledOthersRetry(t *testing.T) {
	cred := &countingCredential{lifetime: time.Hour, now: time.Now, delay: 100 * time.Millisecond}
	c := newTokenCache(cred)
	ownerCtx, cancel := context.WithCancel(t.Context())
	ownerDone := make(chan error, 1)
	go func() {
		_, err := c.GetToken(ownerCtx, scope(Scope))
		ownerDone <- err
	}()
	// Wait until the owner's fetch is running, then join it and cancel the owner.
	for cred.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	waiter := make(chan error, 1)
	go func() {
		_, err := c.GetToken(t.Context(), scope(Scope))
		waiter <- err
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	if err := <-ownerDone; !errors.Is(err, context.Canceled) {
		t.Errorf("owner error = %v, want context.Canceled", err)
	}
	if err := <-waiter; err != nil {
		t.Errorf("waiter error = %v, want a token from its own fetch", err)
	}
	if got := cred.calls.Load(); got != 2 {
		t.Errorf("fetches = %d, want 2 (the cancelled one and the waiter's)", got)
	}
}

func TestTokenCacheHoldsFailureBriefly(t *testing.T) {
	clk := &clock{t: time.Now()}
	boom := errors.New("az: not logged in")
	cred := &countingCredential{lifetime: time.Hour, now: clk.now, fail: boom}
	c := newTokenCache(cred)
	c.now = clk.now
	for range 3 {
		if _, err := c.GetToken(t.Context(), scope(Scope)); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want %v", err, boom)
		}
	}
	if got := cred.calls.Load(); got != 1 {
		t.Errorf("failed sign-in attempted %d times within the hold, want 1", got)
	}
	clk.advance(failureHold + time.Millisecond)
	cred.fail = nil
	if _, err := c.GetToken(t.Context(), scope(Scope)); err != nil {
		t.Fatalf("after the hold: %v", err)
	}
	if got := cred.calls.Load(); got != 2 {
		t.Errorf("credential called %d times, want 2 after the hold", got)
	}
}

func TestTokenCacheClaimsBypass(t *testing.T) {
	cred := &countingCredential{lifetime: time.Hour, now: time.Now}
	c := newTokenCache(cred)
	opts := scope(Scope)
	if _, err := c.GetToken(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	opts.Claims = `{"access_token":{"nbf":{"essential":true}}}`
	if _, err := c.GetToken(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	if got := cred.calls.Load(); got != 2 {
		t.Errorf("a claims challenge was answered from the cache (%d fetches, want 2)", got)
	}
}
