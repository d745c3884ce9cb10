// Package chat runs conversations: one Session per browser session, and one turn per user message,
// from the text to the LLM stream, the validated tool calls and the events every screen of the
// session draws.
package chat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"presto/internal/budget"
	"presto/internal/llm"
	"presto/internal/metrics"
	"presto/internal/modes"
	"presto/internal/store"
)

// Limits keep a public demo from burning its owner's budget.
type Limits struct {
	MaxTextChars     int           // longest chat message accepted
	MaxConcurrentLLM int           // LLM calls in flight in the whole process
	SlotWait         time.Duration // how long a turn waits for a free LLM slot before giving up
	TurnTimeout      time.Duration // deadline of one turn's LLM calls
	CacheTTL         time.Duration // response cache lifetime
	CacheItems       int           // response cache bound
	HistoryMessages  int           // history kept per session
	PrefetchTabs     bool          // fill every tab in the background after a switch
}

// DefaultLimits are the limits of PRODUCT.md 3 and 6; what a session and a client address may
// spend is the budget's.
func DefaultLimits() Limits {
	return Limits{
		MaxTextChars:     4000,
		MaxConcurrentLLM: 32,
		SlotWait:         10 * time.Second,
		TurnTimeout:      90 * time.Second,
		CacheTTL:         5 * time.Minute,
		CacheItems:       2000,
		HistoryMessages:  20,
		PrefetchTabs:     true,
	}
}

// Relay carries a session's events to the other replicas. Publish must not block.
type Relay interface {
	Publish(sessionID string, event []byte)
}

// deps is what sessions and their turns share, handed to them rather than reached for through the
// service.
type deps struct {
	provider llm.Provider
	store    store.Store
	catalog  *Catalog
	cache    *responseCache
	slots    chan struct{}
	budget   *budget.Budget
	limits   Limits
	logger   *slog.Logger
	metrics  *metrics.Metrics // nil records nothing
	relay    Relay            // nil on a single replica
	draining atomic.Bool      // set by Drain: no new turn starts
}

// Service owns the live sessions and what they share: the provider, the store, the mode catalog,
// the response cache and the global cap on LLM calls.
type Service struct {
	deps *deps

	mu   sync.Mutex
	live map[string]*Session
}

// NewService wires a Service. The catalog decides which modes exist; the provider answers turns;
// b says what sessions and addresses may spend; m may be nil.
func NewService(provider llm.Provider, st store.Store, catalog *Catalog, limits Limits, b *budget.Budget, logger *slog.Logger, m *metrics.Metrics) *Service {
	return &Service{
		deps: &deps{
			provider: provider,
			store:    st,
			catalog:  catalog,
			cache:    newResponseCache(limits.CacheTTL, limits.CacheItems),
			slots:    make(chan struct{}, limits.MaxConcurrentLLM),
			budget:   b,
			limits:   limits,
			logger:   logger,
			metrics:  m,
		},
		live: make(map[string]*Session),
	}
}

// UseRelay sends every session's events to the other replicas through r, and makes Deliver the
// way theirs come in. Call it before serving.
func (s *Service) UseRelay(r Relay) { s.deps.relay = r }

// Deliver hands an event from another replica to the session it belongs to, when that session is
// open here; otherwise there is no screen to tell, and the store already has what it changed.
func (s *Service) Deliver(sessionID string, event []byte) {
	s.mu.Lock()
	sess := s.live[sessionID]
	s.mu.Unlock()
	if sess == nil {
		return
	}
	ev, cancel, err := decodeRelayed(event)
	switch {
	case err != nil:
		s.deps.logger.Warn("relayed event dropped", "err", err)
	case cancel:
		sess.stopTurn()
	default:
		sess.receive(ev)
	}
}

// ProviderName is "azure", "openai" or "offline".
func (s *Service) ProviderName() string { return s.deps.provider.Name() }

// Open returns the live session for id, restoring it from the store or creating it in the home mode.
// Every Open is paired with a Release; sockets and requests of the same session share one Session.
// A session that is neither live nor stored is new, and takes one of from's new sessions: a
// refusal is a *budget.Exceeded.
func (s *Service) Open(ctx context.Context, id string, from netip.Addr) (*Session, error) {
	s.mu.Lock()
	if sess, ok := s.live[id]; ok {
		sess.refs++
		s.mu.Unlock()
		return sess, nil
	}
	s.mu.Unlock()

	sess, err := s.load(ctx, id, from)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if existing, ok := s.live[id]; ok { // another caller loaded it meanwhile
		existing.refs++
		sess.stop()
		return existing, nil
	}
	sess.refs = 1
	s.live[id] = sess
	return sess, nil
}

// Release gives back a session from Open. The last release forgets it (its state is in the store)
// and stops its work in flight: with no screen left, nobody would see it.
func (s *Service) Release(sess *Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess.refs--
	if sess.refs <= 0 && s.live[sess.id] == sess {
		delete(s.live, sess.id)
		sess.stop()
	}
}

// Drain refuses new turns from now on and waits until every turn in flight has ended (its last
// event published), or ctx ends. It is the start of a graceful shutdown.
func (s *Service) Drain(ctx context.Context) error {
	s.deps.draining.Store(true)
	s.mu.Lock()
	sessions := make([]*Session, 0, len(s.live))
	for _, sess := range s.live {
		sessions = append(sessions, sess)
	}
	s.mu.Unlock()
	for _, sess := range sessions {
		if err := sess.waitIdle(ctx); err != nil {
			return err
		}
	}
	return nil
}

// LiveModes are the modes of the sessions with an open socket or request: in use, never pruned.
func (s *Service) LiveModes() []string {
	s.mu.Lock()
	live := make([]*Session, 0, len(s.live))
	for _, sess := range s.live {
		live = append(live, sess)
	}
	s.mu.Unlock()
	ids := make([]string, 0, len(live))
	for _, sess := range live {
		ids = append(ids, sess.ModeID())
	}
	return ids
}

// LiveSessions counts sessions with an open socket or request.
func (s *Service) LiveSessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

func (s *Service) load(ctx context.Context, id string, from netip.Addr) (*Session, error) {
	state, err := s.deps.store.GetSession(ctx, id)
	switch {
	case err == nil:
	case errors.Is(err, store.ErrNotFound):
		if err := s.deps.budget.NewSession(ctx, from); err != nil {
			return nil, err
		}
		state = store.Session{ID: id, ModeID: modes.HomeID}
	default:
		return nil, storeFailed("your session could not be read from the database; try again", fmt.Errorf("load session: %w", err))
	}
	mode, err := s.deps.catalog.Get(ctx, state.ModeID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// A mode that vanished (or a corrupt row) must not lock the user out: start at home.
		s.deps.logger.Warn("session mode unavailable, using home", "mode", state.ModeID, "err", err)
		mode, _ = s.deps.catalog.Get(ctx, modes.HomeID)
		state.ModeID = mode.ID
		state.History = nil
	case err != nil:
		// Not the home fallback: the next save would overwrite the session's true mode and history.
		return nil, storeFailed("your session could not be read from the database; try again", fmt.Errorf("load session mode: %w", err))
	}
	if !mode.Prebuilt {
		// A session opened in a generated mode uses it: it must not expire under the session.
		if err := s.deps.store.TouchMode(ctx, mode.ID); err != nil {
			s.deps.logger.Warn("record mode use", "mode", mode.ID, "err", err)
		}
	}
	sessCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	sess := &Session{
		id:    id,
		deps:  s.deps,
		ctx:   sessCtx,
		stop:  stop,
		state: state,
		mode:  mode,
		turn:  state.Turn,
	}
	sess.tabs.init(sess)
	return sess, nil
}

// acquireSlot takes one of the process's LLM call slots, waiting up to the configured time.
func (d *deps) acquireSlot(ctx context.Context) (release func(), err error) {
	timer := time.NewTimer(d.limits.SlotWait)
	defer timer.Stop()
	select {
	case d.slots <- struct{}{}:
		return func() { <-d.slots }, nil
	case <-timer.C:
		return nil, &llm.Error{Kind: llm.KindRateLimited, Message: "the assistant is busy with other people's questions; try again in a moment", Retryable: true}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
