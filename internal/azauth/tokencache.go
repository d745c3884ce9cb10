package azauth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

const (
	// refreshMargin is how long before ExpiresOn a token is replaced, so a request never leaves
	// with a token that expires on the way.
	refreshMargin = 5 * time.Minute
	// failureHold is how long a failed sign-in is answered from memory. The SDK retries a request
	// whose middleware failed; without the hold each retry would run `az` or open a browser again.
	failureHold = 5 * time.Second
)

// tokenCache is an azcore.TokenCredential that reuses each scope's token until shortly before it
// expires. azure.WithTokenCredential and our v1 middleware ask for a token on every request, and
// AzureCLICredential runs `az` (about a second) for each ask: this is what keeps that to once per
// token lifetime. Concurrent callers for one scope share a single fetch.
type tokenCache struct {
	cred azcore.TokenCredential
	now  func() time.Time

	mu      sync.Mutex
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	token     azcore.AccessToken
	refreshAt time.Time // when the token stops being served from memory
	err       error     // the last failure, served until errUntil
	errUntil  time.Time
	flight    *flight // non-nil while a fetch runs
}

// flight is one fetch in progress; done closes when token and err are set.
type flight struct {
	done  chan struct{}
	token azcore.AccessToken
	err   error
}

func newTokenCache(cred azcore.TokenCredential) *tokenCache {
	return &tokenCache{cred: cred, now: time.Now, entries: map[string]*cacheEntry{}}
}

var _ azcore.TokenCredential = (*tokenCache)(nil)

// GetToken returns a cached token for opts, fetching one when there is none or it is about to
// expire. A request with claims (a CAE challenge) always fetches, as the cached token was refused.
func (c *tokenCache) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if opts.Claims != "" {
		return c.cred.GetToken(ctx, opts)
	}
	key := cacheKey(opts)
	for {
		r := c.lookup(key)
		if r.hit {
			return r.token, r.err
		}
		f := r.flight
		if r.owner {
			c.fetch(ctx, key, f, opts)
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return azcore.AccessToken{}, ctx.Err()
		}
		// The owner's context ended: its failure says nothing about ours, so try again.
		if isContextErr(f.err) && ctx.Err() == nil {
			continue
		}
		return f.token, f.err
	}
}

// lookupResult is a token or error from memory (hit), or a fetch to wait for (owner: to run).
type lookupResult struct {
	hit    bool
	token  azcore.AccessToken
	err    error
	flight *flight
	owner  bool
}

// lookup answers from memory, joins a running fetch, or starts one.
func (c *tokenCache) lookup(key string) lookupResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil {
		e = &cacheEntry{}
		c.entries[key] = e
	}
	now := c.now()
	switch {
	case e.token.Token != "" && now.Before(e.refreshAt):
		return lookupResult{hit: true, token: e.token}
	case e.err != nil && now.Before(e.errUntil):
		return lookupResult{hit: true, err: e.err}
	case e.flight != nil:
		return lookupResult{flight: e.flight}
	}
	e.flight = &flight{done: make(chan struct{})}
	return lookupResult{flight: e.flight, owner: true}
}

// fetch asks the credential and publishes the result to the entry and to everyone waiting.
func (c *tokenCache) fetch(ctx context.Context, key string, f *flight, opts policy.TokenRequestOptions) {
	tok, err := c.cred.GetToken(ctx, opts)
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	e.flight = nil
	now := c.now()
	switch {
	case err == nil:
		e.token, e.refreshAt, e.err = tok, refreshTime(now, tok), nil
	case !isContextErr(err):
		e.err, e.errUntil = err, now.Add(failureHold)
	}
	f.token, f.err = tok, err
	close(f.done)
}

// refreshTime is ExpiresOn minus the margin, or the token's half-life when the token lives
// shorter than the margin (so a short-lived token is still reused), or RefreshOn when the
// identity provider asked for an earlier refresh.
func refreshTime(now time.Time, tok azcore.AccessToken) time.Time {
	at := tok.ExpiresOn.Add(-refreshMargin)
	if half := now.Add(tok.ExpiresOn.Sub(now) / 2); at.Before(half) {
		at = half
	}
	if !tok.RefreshOn.IsZero() && tok.RefreshOn.Before(at) {
		at = tok.RefreshOn
	}
	return at
}

func cacheKey(opts policy.TokenRequestOptions) string {
	cae := "0"
	if opts.EnableCAE {
		cae = "1"
	}
	return strings.Join(opts.Scopes, " ") + "|" + opts.TenantID + "|" + cae
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
