package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"presto/internal/metrics"
)

// GuardSettings bound every call to a network model, whoever makes it (chat turns, tabs,
// visualizations, mode generation).
type GuardSettings struct {
	// FirstToken gives up a streamed call that has produced nothing (no text, tool call or end)
	// this long after it was made, retries included: a silent model must not hold an LLM slot.
	FirstToken time.Duration
	// Call bounds one call from request to last byte, retries included.
	Call time.Duration
	// Failures is how many calls in a row that found the model down (refused, 5xx, cut, timed out)
	// open the breaker.
	Failures int
	// Cooldown is how long an open breaker fails calls at once before it lets one probe through.
	Cooldown time.Duration
}

// Guard is a Provider that applies GuardSettings to another: the two deadlines, and a circuit
// breaker that, while the model is down, answers at once instead of costing every turn its
// retries and timeouts.
type Guard struct {
	p       Provider
	set     GuardSettings
	breaker *breaker
}

var _ Provider = (*Guard)(nil)

// NewGuard wraps p; m (may be nil) gets the breaker's state and counters.
func NewGuard(p Provider, set GuardSettings, m *metrics.Metrics) *Guard {
	return &Guard{p: p, set: set, breaker: newBreaker(set.Failures, set.Cooldown, time.Now, m)}
}

// Name is the wrapped provider's.
func (g *Guard) Name() string { return g.p.Name() }

// errNoFirstToken and errCallTimeout are the causes of our own cancellations, told apart from the
// caller's.
var (
	errNoFirstToken = errors.New("no first token in time")
	errCallTimeout  = errors.New("call took too long")
)

// Stream runs the call under both deadlines and the breaker.
func (g *Guard) Stream(ctx context.Context, req Request, emit func(Event) error) error {
	probe, err := g.breaker.allow()
	if err != nil {
		return err
	}
	callCtx, cancel := context.WithTimeoutCause(ctx, g.set.Call, errCallTimeout)
	defer cancel()
	callCtx, cancelFirst := context.WithCancelCause(callCtx)
	defer cancelFirst(nil)
	first := time.AfterFunc(g.set.FirstToken, func() { cancelFirst(errNoFirstToken) })
	defer first.Stop()

	var emitErr error
	err = g.p.Stream(callCtx, req, func(ev Event) error {
		first.Stop()
		if err := emit(ev); err != nil {
			emitErr = err
			return err
		}
		return nil
	})
	if err != nil && emitErr != nil && errors.Is(err, emitErr) {
		g.breaker.done(probe, outcomeNeutral) // the caller stopped it; the model said nothing wrong
		return err
	}
	err = g.explain(ctx, callCtx, err)
	g.breaker.done(probe, outcomeOf(err))
	return err
}

// Structured runs the call under the call deadline and the breaker. A structured answer comes
// whole, so there is no first token to wait for.
func (g *Guard) Structured(ctx context.Context, req StructuredRequest) (json.RawMessage, error) {
	probe, err := g.breaker.allow()
	if err != nil {
		return nil, err
	}
	callCtx, cancel := context.WithTimeoutCause(ctx, g.set.Call, errCallTimeout)
	defer cancel()
	out, err := g.p.Structured(callCtx, req)
	err = g.explain(ctx, callCtx, err)
	g.breaker.done(probe, outcomeOf(err))
	return out, err
}

// explain replaces the error of a call that our own deadline ended with one that says which.
func (g *Guard) explain(parent, call context.Context, err error) error {
	if err == nil || parent.Err() != nil {
		return err
	}
	switch cause := context.Cause(call); {
	case errors.Is(cause, errNoFirstToken):
		return &Error{Kind: KindTimeout, Retryable: true, Err: fmt.Errorf("%w: %w", cause, err),
			Message: fmt.Sprintf("the model did not start answering within %s; try again", seconds(g.set.FirstToken))}
	case errors.Is(cause, errCallTimeout):
		return &Error{Kind: KindTimeout, Retryable: true, Err: fmt.Errorf("%w: %w", cause, err),
			Message: fmt.Sprintf("the model took too long to answer (over %s); try again", seconds(g.set.Call))}
	}
	return err
}

// seconds writes d for a person: "20 s", "300 ms".
func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%d s", int(d.Round(time.Second).Seconds()))
}

// outcome is what one call says about the model's health.
type outcome int

const (
	outcomeNeutral outcome = iota // cancelled by the caller: says nothing
	outcomeUp                     // the model answered, even with a 4xx or a 429
	outcomeDown                   // refused, 5xx, cut or timed out
)

func outcomeOf(err error) outcome {
	if err == nil {
		return outcomeUp
	}
	switch AsError(err).Kind {
	case KindCanceled:
		return outcomeNeutral
	case KindUnavailable, KindTimeout:
		return outcomeDown
	}
	// A 4xx from bad input, a 429 (which has its own Retry-After handling), a quota or auth
	// refusal: the model is there, and failing fast would not help.
	return outcomeUp
}

// BreakerState is the breaker's state as /metrics reports it.
type BreakerState int

// The breaker's states.
const (
	BreakerClosed   BreakerState = iota // calls go through
	BreakerOpen                         // calls fail at once until the cool-down has passed
	BreakerHalfOpen                     // one probe is through; the others fail at once until it ends
)

// breaker counts calls in a row that found the model down. It is a few lines of the standard
// library: a library for it would bring more policy than the one rule we need.
type breaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time
	metrics   *metrics.Metrics

	mu       sync.Mutex
	state    BreakerState
	failures int       // consecutive down outcomes while closed
	openedAt time.Time // when it last opened
	probing  bool      // half-open: a probe is in flight
}

func newBreaker(threshold int, cooldown time.Duration, now func() time.Time, m *metrics.Metrics) *breaker {
	b := &breaker{threshold: threshold, cooldown: cooldown, now: now, metrics: m}
	m.BreakerState(int(BreakerClosed))
	return b
}

// allow lets a call through, reporting whether it is the probe of a half-open breaker, or fails it
// at once while the model is known to be down.
func (b *breaker) allow() (probe bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case BreakerOpen:
		if wait := b.cooldown - b.now().Sub(b.openedAt); wait > 0 {
			return false, b.rejectLocked(wait)
		}
		b.setLocked(BreakerHalfOpen)
		b.probing = true
		return true, nil
	case BreakerHalfOpen:
		if b.probing {
			return false, b.rejectLocked(0)
		}
		b.probing = true
		return true, nil
	}
	return false, nil
}

func (b *breaker) rejectLocked(wait time.Duration) error {
	b.metrics.BreakerRejected()
	msg := "the model is not answering; trying it again now"
	if wait > 0 {
		msg = fmt.Sprintf("the model is not answering; trying again in %d s", int((wait+time.Second-1)/time.Second))
	}
	return &Error{Kind: KindUnavailable, Message: msg, Retryable: true,
		Err: fmt.Errorf("circuit breaker open after %d failed calls in a row", b.threshold)}
}

// done records a call's outcome.
func (b *breaker) done(probe bool, o outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if probe {
		b.probing = false
		switch o {
		case outcomeUp:
			b.failures = 0
			b.setLocked(BreakerClosed)
		case outcomeDown:
			b.openLocked()
		}
		return // a neutral probe leaves it half-open: the next call probes
	}
	if b.state != BreakerClosed {
		return // a call let through before it opened: the probe decides
	}
	switch o {
	case outcomeUp:
		b.failures = 0
	case outcomeDown:
		b.failures++
		if b.failures >= b.threshold {
			b.openLocked()
		}
	}
}

func (b *breaker) openLocked() {
	b.openedAt = b.now()
	b.failures = 0
	b.metrics.BreakerOpened()
	b.setLocked(BreakerOpen)
}

func (b *breaker) setLocked(s BreakerState) {
	b.state = s
	b.metrics.BreakerState(int(s))
}
