// Package chat runs conversations: one Session per browser session, and one turn per user message,
// from the text to the LLM stream, the validated tool calls and the events the dashboard draws.
package chat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"presto/internal/llm"
	"presto/internal/metrics"
	"presto/internal/modes"
	"presto/internal/store"
)

// Limits keep a public demo from burning its owner's budget.
type Limits struct {
	MaxTextChars     int           // longest chat message accepted
	ChatsPerMinute   int           // per session
	MaxConcurrentLLM int           // LLM calls in flight in the whole process
	SlotWait         time.Duration // how long a turn waits for a free LLM slot before giving up
	TurnTimeout      time.Duration // deadline of one turn's LLM calls
	CacheTTL         time.Duration // response cache lifetime
	CacheItems       int           // response cache bound
	HistoryMessages  int           // history kept per session
}

// DefaultLimits are the limits of PRODUCT.md 3 and 6.
func DefaultLimits() Limits {
	return Limits{
		MaxTextChars:     4000,
		ChatsPerMinute:   20,
		MaxConcurrentLLM: 32,
		SlotWait:         10 * time.Second,
		TurnTimeout:      90 * time.Second,
		CacheTTL:         5 * time.Minute,
		CacheItems:       2000,
		HistoryMessages:  20,
	}
}

// Service owns the live sessions and what they share: the provider, the store, the mode catalog,
// the response cache and the global cap on LLM calls.
type Service struct {
	provider llm.Provider
	store    store.Store
	catalog  *Catalog
	cache    *responseCache
	slots    chan struct{}
	limits   Limits
	logger   *slog.Logger
	metrics  *metrics.Metrics // nil records nothing

	mu   sync.Mutex
	live map[string]*Session
}

// NewService wires a Service. The catalog decides which modes exist; the provider answers turns;
// m may be nil.
func NewService(provider llm.Provider, st store.Store, catalog *Catalog, limits Limits, logger *slog.Logger, m *metrics.Metrics) *Service {
	return &Service{
		metrics:  m,
		provider: provider,
		store:    st,
		catalog:  catalog,
		cache:    newResponseCache(limits.CacheTTL, limits.CacheItems),
		slots:    make(chan struct{}, limits.MaxConcurrentLLM),
		limits:   limits,
		logger:   logger,
		live:     make(map[string]*Session),
	}
}

// ProviderName is "azure", "openai" or "offline".
func (s *Service) ProviderName() string { return s.provider.Name() }

// Open returns the live session for id, restoring it from the store or creating it in the home mode.
// Every Open is paired with a Release; sockets and requests of the same session share one Session.
func (s *Service) Open(ctx context.Context, id string) (*Session, error) {
	s.mu.Lock()
	if sess, ok := s.live[id]; ok {
		sess.refs++
		s.mu.Unlock()
		return sess, nil
	}
	s.mu.Unlock()

	sess, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if existing, ok := s.live[id]; ok { // another caller loaded it meanwhile
		existing.refs++
		return existing, nil
	}
	sess.refs = 1
	s.live[id] = sess
	return sess, nil
}

// Release gives back a session from Open; the last release forgets it (its state is in the store).
func (s *Service) Release(sess *Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess.refs--
	if sess.refs <= 0 && s.live[sess.id] == sess {
		delete(s.live, sess.id)
	}
}

// LiveSessions counts sessions with an open socket or request.
func (s *Service) LiveSessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

func (s *Service) load(ctx context.Context, id string) (*Session, error) {
	state, err := s.store.GetSession(ctx, id)
	switch {
	case err == nil:
	case errors.Is(err, store.ErrNotFound):
		state = store.Session{ID: id, ModeID: modes.HomeID}
	default:
		return nil, fmt.Errorf("load session: %w", err)
	}
	mode, err := s.catalog.Get(ctx, state.ModeID)
	if err != nil {
		// A mode that vanished (or a corrupt row) must not lock the user out: start at home.
		s.logger.Warn("session mode unavailable, using home", "session", id, "mode", state.ModeID, "err", err)
		mode, _ = s.catalog.Get(ctx, modes.HomeID)
		state.ModeID = mode.ID
		state.History = nil
	}
	return &Session{
		id:      id,
		svc:     s,
		limiter: newRateLimiter(s.limits.ChatsPerMinute, time.Minute),
		state:   state,
		mode:    mode,
	}, nil
}

// acquireSlot takes one of the process's LLM call slots, waiting up to the configured time.
func (s *Service) acquireSlot(ctx context.Context) (release func(), err error) {
	timer := time.NewTimer(s.limits.SlotWait)
	defer timer.Stop()
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-timer.C:
		return nil, &llm.Error{Kind: llm.KindRateLimited, Message: "the assistant is busy with other people's questions; try again in a moment", Retryable: true}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
