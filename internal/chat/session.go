package chat

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"presto/internal/budget"
	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
	"presto/internal/store"
)

// Subscriber receives a session's events, in order. It must not block: a socket queues, and drops
// itself when it cannot keep up, so a slow screen never delays the others.
type Subscriber func(Event)

// Session is one browser session: its mode, persona, history and voice, the turn in flight, and
// the subscribers (sockets) its events go to. Sockets and requests of one session on one replica
// share one Session.
type Session struct {
	id   string
	deps *deps
	refs int                // guarded by the service's mutex
	ctx  context.Context    // ends when the last socket or request lets go of the session
	stop context.CancelFunc // ends ctx

	mu       sync.Mutex
	state    store.Session
	mode     modes.Mode // the persona is derived from (id, mode) when needed, not kept: most sessions idle
	turn     int
	cancel   context.CancelFunc // cancels the turn in flight
	turnDone chan struct{}      // closed when the turn in flight has ended
	tabs     tabWork            // tab requests and the prefetch after a switch

	// events orders publishing: an event reaches every subscriber, and the snapshot a new
	// subscriber starts from, before the next one. It is never held while waiting on anything.
	events      sync.Mutex
	subscribers map[int]Subscriber
	nextSub     int
	live        *liveTurn // the turn in flight as the screens have seen it, nil between turns
	activeTab   string    // the tab last selected in the current mode
}

// State is a session as the UI restores it (the `session` message and GET /api/state).
type State struct {
	ID        string          `json:"id"`
	Mode      modes.Mode      `json:"mode"`
	Persona   persona.Persona `json:"persona"`
	Voice     string          `json:"voice"`
	History   []ChatLine      `json:"history"`
	Provider  string          `json:"provider"`
	ActiveTab string          `json:"active_tab"`
	Live      *LiveTurn       `json:"live"`
	Turn      int             `json:"-"`
}

// LiveTurn is a turn in flight as the screens have seen it so far: a screen that joins mid-turn
// starts from it and follows the rest of the turn.
type LiveTurn struct {
	Turn        int          `json:"turn"`
	Text        string       `json:"text"`
	Reply       string       `json:"reply"`
	ToolResults []ToolResult `json:"tool_results"`
	Generating  *string      `json:"generating"`
}

// liveTurn is LiveTurn as it grows: the reply in a builder, since a long answer comes in
// thousands of deltas.
type liveTurn struct {
	LiveTurn
	reply strings.Builder
}

func (l *liveTurn) snapshot() *LiveTurn {
	copied := l.LiveTurn
	copied.Reply = l.reply.String()
	copied.ToolResults = slices.Clone(l.ToolResults)
	return &copied
}

// ChatLine is one visible line of the conversation.
type ChatLine struct {
	Role    message.Role `json:"role"`
	Content string       `json:"content"`
}

// ID is the session id.
func (s *Session) ID() string { return s.id }

// State returns a copy of the session as the UI shows it.
func (s *Session) State() State {
	s.events.Lock()
	defer s.events.Unlock()
	return s.stateLocked()
}

// stateLocked is State with s.events held, so that the snapshot and the events after it agree.
func (s *Session) stateLocked() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := make([]ChatLine, 0, len(s.state.History))
	for _, m := range s.state.History {
		if (m.Role == message.RoleUser || m.Role == message.RoleAssistant) && m.Content != "" {
			lines = append(lines, ChatLine{Role: m.Role, Content: m.Content})
		}
	}
	var live *LiveTurn
	if s.live != nil {
		live = s.live.snapshot()
	}
	return State{
		ID: s.id, Mode: s.mode, Persona: persona.New(s.id, s.mode), Voice: s.state.Voice,
		History: lines, Provider: s.deps.provider.Name(), ActiveTab: s.activeTab, Live: live, Turn: s.turn,
	}
}

// Subscribe adds a subscriber: it first receives Joined with the session as it is, then every
// event after it, in order. The returned function removes it.
func (s *Session) Subscribe(sub Subscriber) (unsubscribe func()) {
	s.events.Lock()
	defer s.events.Unlock()
	if s.subscribers == nil {
		s.subscribers = make(map[int]Subscriber)
	}
	id := s.nextSub
	s.nextSub++
	s.subscribers[id] = sub
	sub(Joined{State: s.stateLocked()})
	return func() {
		s.events.Lock()
		defer s.events.Unlock()
		delete(s.subscribers, id)
	}
}

// publish delivers ev to every subscriber here and, through the relay, on the other replicas.
func (s *Session) publish(ev Event) {
	s.events.Lock()
	defer s.events.Unlock()
	s.deliverLocked(ev)
	if s.deps.relay != nil {
		if b, err := encodeRelayed(ev); err != nil {
			s.deps.logger.Error("relay event", "err", err)
		} else {
			s.deps.relay.Publish(s.id, b)
		}
	}
}

// deliverLocked records ev in the live snapshot and hands it to each local subscriber.
func (s *Session) deliverLocked(ev Event) {
	s.track(ev)
	for _, sub := range s.subscribers {
		sub(ev)
	}
}

// track keeps the snapshot a joining screen starts from in step with the events. s.events is held.
func (s *Session) track(ev Event) {
	switch e := ev.(type) {
	case TurnStarted:
		s.live = &liveTurn{LiveTurn: LiveTurn{Turn: e.Turn, Text: e.Text}}
	case TextDelta:
		if s.live != nil && s.live.Turn == e.Turn {
			s.live.reply.WriteString(e.Text)
		}
	case ToolShown:
		if s.live != nil && s.live.Turn == e.Turn {
			s.live.ToolResults = append(s.live.ToolResults, e.Result)
		}
	case ModeGenerating:
		if s.live != nil && s.live.Turn == e.Turn {
			industry := e.Industry
			s.live.Generating = &industry
		}
	case ModeGeneratingCancelled:
		if s.live != nil && s.live.Turn == e.Turn {
			s.live.Generating = nil
		}
	case ModeSwitched:
		s.activeTab = ""
		if s.live != nil && s.live.Turn == e.Turn {
			s.live.Generating, s.live.ToolResults = nil, nil
			s.live.reply.Reset()
		}
	case TurnDone:
		if s.live != nil && s.live.Turn == e.Turn {
			s.live = nil
		}
	case TurnFailed:
		if s.live != nil && s.live.Turn == e.Turn {
			s.live = nil
		}
	case Cleared:
		s.live = nil
	case TabSelected:
		s.activeTab = e.TabID
	}
}

// Spoken tells every screen a line of the voice conversation; a final line also joins the
// history, so that a typed question after a spoken one knows what was said.
func (s *Session) Spoken(ctx context.Context, line Transcript) error {
	if line.Final && line.Text != "" {
		err := s.save(ctx, func(next *store.Session) {
			next.History = boundHistory(append(slices.Clip(next.History), message.Message{Role: line.Role, Content: line.Text}),
				s.deps.limits.HistoryMessages)
		})
		if err != nil {
			return storeFailed("what was said could not be saved; try again", fmt.Errorf("keep the spoken line: %w", err))
		}
	}
	s.publish(line)
	return nil
}

// Voice is the session's realtime voice, empty for the default.
func (s *Session) Voice() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.Voice
}

// SetVoice stores the session's realtime voice and tells its voice sockets, which take it at once.
func (s *Session) SetVoice(ctx context.Context, voice string) error {
	if err := s.save(ctx, func(next *store.Session) { next.Voice = voice }); err != nil {
		return storeFailed("your voice choice could not be saved; try again", err)
	}
	s.publish(VoiceChosen{Voice: voice})
	return nil
}

// save is the one way the durable state changes: copy it, change the copy, store it, and only then
// make it the session's.
func (s *Session) save(ctx context.Context, change func(next *store.Session)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := s.state
	change(&next)
	if err := s.deps.store.SaveSession(ctx, next); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	s.state = next
	return nil
}

// Chat starts a turn for text, sent by screen from the client address from, and returns at once;
// the turn's events go to every subscriber, and its LLM calls are charged to from. ctx bounds the
// admission; the turn runs on the session's context. A turn in flight (here or on another replica)
// is cancelled first. A refused message returns a *Rejected or a *budget.Exceeded and starts
// nothing.
func (s *Session) Chat(ctx context.Context, text, screen string, from netip.Addr) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return &Rejected{Kind: ProblemRejected, Message: "the message is empty"}
	}
	if n := utf8.RuneCountInString(text); n > s.deps.limits.MaxTextChars {
		return &Rejected{Kind: ProblemRejected,
			Message: fmt.Sprintf("the message is too long (%d characters; the limit is %d)", n, s.deps.limits.MaxTextChars)}
	}
	if s.deps.draining.Load() {
		return &Rejected{Kind: ProblemRejected, Retryable: true, Message: "the server is restarting; send your message again in a moment"}
	}
	if err := s.admit(ctx); err != nil {
		return err
	}
	s.stopTurn() // a turn on another replica stops when it sees this one start

	s.mu.Lock()
	s.turn++
	t := &turn{
		deps:    s.deps,
		session: s,
		number:  s.turn,
		text:    text,
		screen:  screen,
		from:    from,
		mode:    s.mode,
		persona: persona.New(s.id, s.mode),
		history: slices.Clip(slices.Clone(s.state.History)),
	}
	turnCtx, cancel := context.WithTimeout(s.ctx, s.deps.limits.TurnTimeout)
	s.cancel = cancel
	done := make(chan struct{})
	s.turnDone = done
	s.mu.Unlock()
	s.tabs.pausePrefetch() // after the turn is registered, so the prefetch waits for it

	go func() {
		defer close(done)
		defer cancel()
		t.run(turnCtx)
	}()
	return nil
}

// admit takes one of the session's requests of the minute, or says when to try again. The count
// is kept by session id in the budget, not here: it outlives this Session, which goes when its
// last socket does, and on PostgreSQL it is the same on every replica.
func (s *Session) admit(ctx context.Context) error {
	err := s.deps.budget.Chat(ctx, s.id)
	if err != nil && !errors.As(err, new(*budget.Exceeded)) {
		return storeFailed("your limits could not be checked in the database; try again", err)
	}
	return err
}

// Cancel stops the turn in flight, here or on another replica.
func (s *Session) Cancel() {
	s.stopTurn()
	s.requestRemoteCancel()
}

// Clear stops the turn in flight and forgets the conversation, on every screen.
func (s *Session) Clear(ctx context.Context) error {
	s.Cancel()
	if err := s.save(ctx, func(next *store.Session) { next.History = nil }); err != nil {
		return storeFailed("the conversation could not be cleared; try again", fmt.Errorf("clear chat: %w", err))
	}
	s.publish(Cleared{})
	return nil
}

func (s *Session) stopTurn() {
	s.mu.Lock()
	cancel, done := s.cancel, s.turnDone
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// waitIdle waits until no turn is in flight, or ctx ends.
func (s *Session) waitIdle(ctx context.Context) error {
	for {
		s.mu.Lock()
		done := s.turnDone
		s.mu.Unlock()
		if done == nil {
			return ctx.Err()
		}
		select {
		case <-done:
			s.mu.Lock()
			if s.turnDone == done {
				s.turnDone, s.cancel = nil, nil
			}
			s.mu.Unlock()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// requestRemoteCancel asks the other replicas to stop a turn of this session they run.
func (s *Session) requestRemoteCancel() {
	if s.deps.relay != nil {
		s.deps.relay.Publish(s.id, relayCancelMessage)
	}
}

var relayCancelMessage = []byte(`{"k":"` + relayCancel + `"}`)

// commit records a finished turn: its number, the new history (bounded) and, after a switch, the
// new mode.
func (s *Session) commit(ctx context.Context, turn int, history []message.Message, mode *modes.Mode) error {
	err := s.save(ctx, func(next *store.Session) {
		next.Turn = max(next.Turn, turn)
		next.History = boundHistory(history, s.deps.limits.HistoryMessages)
		if mode != nil {
			next.ModeID = mode.ID
			next.History = nil // a new mode starts a new conversation
		}
	})
	if err != nil {
		return err
	}
	if mode != nil {
		s.setMode(*mode)
	}
	return nil
}

// recordTurn stores the number of a turn that failed, so that numbers never go back after a
// restart or on another replica, and, when history is not nil, the history with what the turn had
// shown. It runs after the turn's context may have ended.
func (s *Session) recordTurn(turn int, history []message.Message) {
	ctx, cancel := s.storeContext()
	defer cancel()
	err := s.save(ctx, func(next *store.Session) {
		next.Turn = max(next.Turn, turn)
		if history != nil {
			next.History = boundHistory(history, s.deps.limits.HistoryMessages)
		}
	})
	if err != nil {
		s.deps.logger.Warn("record turn", "err", err)
	}
}

// storeContext is for a write that must not be lost to a cancel that came after the user saw what
// it records (a turn stopped right after its answer streamed). It is bounded like a wait for an
// LLM slot.
func (s *Session) storeContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(s.ctx), s.deps.limits.SlotWait)
}

// setMode makes m the session's mode and drops the tab work of the old one.
func (s *Session) setMode(m modes.Mode) {
	s.mu.Lock()
	s.mode = m
	s.mu.Unlock()
	s.tabs.reset()
}

// receive applies an event from another replica: the screens here see it, a newer turn there stops
// an older one here, and the state follows what the other replica stored.
func (s *Session) receive(ev Event) {
	switch e := ev.(type) {
	case TurnStarted:
		s.mu.Lock()
		older := s.turn < e.Turn
		s.turn = max(s.turn, e.Turn)
		s.mu.Unlock()
		if older {
			s.stopTurn()
		}
	case ModeSwitched:
		s.mu.Lock()
		s.state.ModeID, s.state.History = e.Mode.ID, nil
		s.mu.Unlock()
		s.setMode(e.Mode)
	case VoiceChosen:
		s.mu.Lock()
		s.state.Voice = e.Voice
		s.mu.Unlock()
	case TurnDone, Cleared:
		s.reload()
	}
	s.events.Lock()
	defer s.events.Unlock()
	s.deliverLocked(ev)
}

// reload reads the durable state another replica wrote.
func (s *Session) reload() {
	ctx, cancel := context.WithTimeout(s.ctx, s.deps.limits.SlotWait)
	defer cancel()
	state, err := s.deps.store.GetSession(ctx, s.id)
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			s.deps.logger.Warn("reload session after a remote turn", "err", err)
		}
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = state
}

// boundHistory keeps at most max messages, starting at a user message so that no tool result or
// tool call is cut from its partner.
func boundHistory(h []message.Message, max int) []message.Message {
	if len(h) <= max {
		return h
	}
	h = h[len(h)-max:]
	for i, m := range h {
		if m.Role == message.RoleUser {
			return h[i:]
		}
	}
	return nil
}
