package chat

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
	"presto/internal/protocol"
	"presto/internal/store"
)

// Send delivers one server message to the client that started a turn. It must not block for long:
// the websocket writer queues, and drops a client too slow to keep up.
type Send func(typ string, turn int, payload any)

// Session is one browser session: its mode, persona, history and voice, and the turn in flight.
type Session struct {
	id      string
	svc     *Service
	limiter *rateLimiter
	refs    int // guarded by svc.mu

	mu       sync.Mutex
	state    store.Session
	mode     modes.Mode // the persona is derived from (id, mode) when needed, not kept: most sessions idle
	turn     int
	cancel   context.CancelFunc // cancels the turn in flight
	turnDone chan struct{}      // closed when the turn in flight has ended
}

// State is a session as the UI restores it (the `session` message and GET /api/state).
type State struct {
	ID       string          `json:"id"`
	Mode     modes.Mode      `json:"mode"`
	Persona  persona.Persona `json:"persona"`
	Voice    string          `json:"voice"`
	History  []ChatLine      `json:"history"`
	Provider string          `json:"provider"`
	Turn     int             `json:"-"`
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
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := make([]ChatLine, 0, len(s.state.History))
	for _, m := range s.state.History {
		if (m.Role == message.RoleUser || m.Role == message.RoleAssistant) && m.Content != "" {
			lines = append(lines, ChatLine{Role: m.Role, Content: m.Content})
		}
	}
	return State{
		ID: s.id, Mode: s.mode, Persona: persona.New(s.id, s.mode), Voice: s.state.Voice,
		History: lines, Provider: s.svc.provider.Name(), Turn: s.turn,
	}
}

// Voice is the session's realtime voice, empty for the default.
func (s *Session) Voice() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.Voice
}

// SetVoice stores the session's realtime voice.
func (s *Session) SetVoice(ctx context.Context, voice string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := s.state
	next.Voice = voice
	if err := s.svc.store.SaveSession(ctx, next); err != nil {
		return fmt.Errorf("save voice: %w", err)
	}
	s.state = next
	return nil
}

// Chat starts a turn for text and returns at once; the turn's events go to send. A turn in flight
// is cancelled first. ctx is the connection's: when it ends, so does the turn.
func (s *Session) Chat(ctx context.Context, text string, send Send) {
	text = strings.TrimSpace(text)
	if text == "" {
		send(protocol.TypeError, 0, protocol.ErrorPayload{Error: "the message is empty"})
		return
	}
	if n := utf8.RuneCountInString(text); n > s.svc.limits.MaxTextChars {
		send(protocol.TypeError, 0, protocol.ErrorPayload{
			Error: fmt.Sprintf("the message is too long (%d characters; the limit is %d)", n, s.svc.limits.MaxTextChars),
		})
		return
	}
	if wait, ok := s.limiter.allow(); !ok {
		send(protocol.TypeError, 0, protocol.ErrorPayload{
			Error:     fmt.Sprintf("too many messages; try again in %d s", int(wait.Seconds())+1),
			Retryable: true,
		})
		return
	}
	s.stopTurn()

	s.mu.Lock()
	s.turn++
	t := &turn{
		session: s,
		number:  s.turn,
		text:    text,
		send:    send,
		mode:    s.mode,
		persona: persona.New(s.id, s.mode),
		history: slices.Clip(slices.Clone(s.state.History)),
	}
	turnCtx, cancel := context.WithTimeout(ctx, s.svc.limits.TurnTimeout)
	s.cancel = cancel
	done := make(chan struct{})
	s.turnDone = done
	s.mu.Unlock()

	go func() {
		defer close(done)
		defer cancel()
		t.run(turnCtx)
	}()
}

// Cancel stops the turn in flight, if any, and waits for it to end.
func (s *Session) Cancel() { s.stopTurn() }

// Clear stops the turn in flight and forgets the conversation.
func (s *Session) Clear(ctx context.Context) error {
	s.stopTurn()
	s.mu.Lock()
	defer s.mu.Unlock()
	next := s.state
	next.History = nil
	if err := s.svc.store.SaveSession(ctx, next); err != nil {
		return fmt.Errorf("clear chat: %w", err)
	}
	s.state = next
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

// commit records a finished turn: the new history (bounded) and, after a switch, the new mode.
func (s *Session) commit(ctx context.Context, history []message.Message, mode *modes.Mode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := s.state
	next.History = boundHistory(history, s.svc.limits.HistoryMessages)
	if mode != nil {
		next.ModeID = mode.ID
		next.History = nil // a new mode starts a new conversation
	}
	if err := s.svc.store.SaveSession(ctx, next); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	s.state = next
	if mode != nil {
		s.mode = *mode
	}
	return nil
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
