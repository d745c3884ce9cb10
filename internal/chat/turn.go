package chat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
	"presto/internal/protocol"
)

// turn is one user message and everything it causes. It runs on its own goroutine; it reads the
// session only through the snapshot it was given and writes back once, through commit.
type turn struct {
	session *Session
	number  int
	text    string
	send    Send
	mode    modes.Mode
	persona persona.Persona
	history []message.Message

	presto  bool   // the user said the magic word: hold the old mode's output back
	outcome string // for the turn metric: ok, switch, cached, error or cancelled
}

// outcome is what the LLM produced in a turn.
type outcome struct {
	text      strings.Builder
	calls     []message.ToolCall
	results   []protocol.ToolResultPayload // valid dashboard results, in order
	switchTo  *llm.SwitchModeArgs
	toolNotes []message.Message // tool messages answering each call, for the history
}

func (t *turn) emit(typ string, payload any) { t.send(typ, t.number, payload) }

func (t *turn) run(ctx context.Context) {
	start := time.Now()
	t.outcome = "ok"
	defer func() { t.session.svc.metrics.Turn("chat", t.outcome, time.Since(start)) }()
	t.presto = mentionsPresto(t.text)
	t.emit(protocol.TypeChatStart, struct{}{})
	if t.presto {
		t.emit(protocol.TypeModeGenerating, protocol.ModeGeneratingPayload{})
	}

	key := cacheKey(t.session.id, t.mode.ID, t.text)
	if !t.presto {
		if cached, ok := t.session.svc.cache.get(key); ok {
			t.outcome = "cached"
			t.replay(ctx, cached)
			return
		}
	}

	out, err := t.ask(ctx)
	if err != nil {
		t.fail(err)
		return
	}
	if out.switchTo != nil {
		t.outcome = "switch"
		t.switchMode(ctx, out)
		return
	}
	if t.presto {
		t.emit(protocol.TypeModeGeneratingCancel, struct{}{})
		t.flush(out)
	}
	if err := t.session.commit(ctx, t.newHistory(out), nil); err != nil {
		t.session.svc.logger.Error("commit turn", "session", t.session.id, "err", err)
	}
	if !t.presto {
		t.session.svc.cache.put(key, cachedTurn{text: out.text.String(), results: out.results})
	}
	t.emit(protocol.TypeChatChunk, protocol.ChunkPayload{Done: true})
}

// ask runs the LLM call, and one more when a tool call was invalid, so the model can correct it.
func (t *turn) ask(ctx context.Context) (*outcome, error) {
	release, err := t.session.svc.acquireSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()

	out := &outcome{}
	req := llm.Request{
		System:   systemPrompt(t.mode, t.persona),
		Messages: append(t.history, message.Message{Role: message.RoleUser, Content: t.text}),
		Tools:    llm.ChatTools(),
		Mode:     &t.mode,
		Persona:  &t.persona,
	}
	for attempt := 0; ; attempt++ {
		calls, invalid, err := t.stream(ctx, req, out)
		if err != nil {
			return nil, err
		}
		if !invalid || attempt == 1 {
			return out, nil
		}
		// One more try: the model sees its calls and what was wrong with them.
		req.Messages = append(req.Messages, message.Message{Role: message.RoleAssistant, Content: "", ToolCalls: calls})
		req.Messages = append(req.Messages, out.toolNotes[len(out.toolNotes)-len(calls):]...)
	}
}

// stream runs one LLM call, streaming text to the client (held back on presto turns) and showing
// each valid dashboard tool call as it completes. It reports whether a call was invalid.
func (t *turn) stream(ctx context.Context, req llm.Request, out *outcome) (calls []message.ToolCall, invalid bool, err error) {
	m := t.session.svc.metrics
	asked, first := time.Now(), true
	err = t.session.svc.provider.Stream(ctx, req, func(ev llm.Event) error {
		if first && ev.Done == nil {
			first = false
			m.FirstToken("chat", time.Since(asked))
		}
		switch {
		case ev.Done != nil && ev.Done.Usage != nil:
			m.Tokens(ev.Done.Usage.PromptTokens, ev.Done.Usage.CompletionTokens)
		case ev.Text != "":
			out.text.WriteString(ev.Text)
			if !t.presto {
				t.emit(protocol.TypeChatChunk, protocol.ChunkPayload{Text: ev.Text})
			}
		case ev.ToolCall != nil:
			calls = append(calls, *ev.ToolCall)
			if !t.handleCall(*ev.ToolCall, out) {
				invalid = true
			}
		}
		return nil
	})
	out.calls = append(out.calls, calls...)
	return calls, invalid, err
}

// handleCall validates one tool call, shows it when it is for the dashboard, and records the tool
// message that answers it. It reports whether the call was valid.
func (t *turn) handleCall(call message.ToolCall, out *outcome) bool {
	result, err := llm.ValidateToolCall(call)
	if err != nil {
		t.session.svc.logger.Info("invalid tool call", "session", t.session.id, "tool", call.Name, "err", err)
		out.toolNotes = append(out.toolNotes, message.Message{Role: message.RoleTool, ToolCallID: call.ID, Content: "error: " + err.Error()})
		return false
	}
	note := "shown on the dashboard"
	switch args := result.(type) {
	case *llm.SwitchModeArgs:
		if out.switchTo == nil {
			out.switchTo = args
		}
		note = "switching mode"
	default:
		r := protocol.ToolResultPayload{Tool: call.Name, Result: result}
		out.results = append(out.results, r)
		if !t.presto {
			t.emit(protocol.TypeToolResult, r)
		}
	}
	out.toolNotes = append(out.toolNotes, message.Message{Role: message.RoleTool, ToolCallID: call.ID, Content: note})
	return true
}

// flush sends what a presto turn held back once it is clear the mode stays.
func (t *turn) flush(out *outcome) {
	if s := out.text.String(); s != "" {
		t.emit(protocol.TypeChatChunk, protocol.ChunkPayload{Text: s})
	}
	for _, r := range out.results {
		t.emit(protocol.TypeToolResult, r)
	}
}

// switchMode applies a switch_mode call: find or generate the mode, then show it with its welcome.
// A failure leaves the current mode in place and says why.
func (t *turn) switchMode(ctx context.Context, out *outcome) {
	// Now the industry is known: (re)start the spinner with its name.
	t.presto = true
	t.emit(protocol.TypeModeGenerating, protocol.ModeGeneratingPayload{Industry: out.switchTo.Industry})
	mode, err := t.session.svc.catalog.Resolve(ctx, out.switchTo.Industry, out.switchTo.CompanyName)
	if err != nil {
		t.fail(err) // cancels the spinner
		return
	}
	if err := t.session.commit(ctx, nil, &mode); err != nil {
		t.session.svc.logger.Error("commit switch", "session", t.session.id, "err", err)
	}
	p := persona.New(t.session.id, mode)
	t.emit(protocol.TypeModeSwitch, struct {
		Mode    modes.Mode      `json:"mode"`
		Persona persona.Persona `json:"persona"`
	}{mode, p})
	t.emit(protocol.TypeChatChunk, protocol.ChunkPayload{Text: mode.WelcomeMessage})
	t.emit(protocol.TypeChatChunk, protocol.ChunkPayload{Done: true})
}

// fail ends the turn with a chat_error the user can read; the details go to the log.
func (t *turn) fail(err error) {
	if t.presto {
		t.emit(protocol.TypeModeGeneratingCancel, struct{}{})
	}
	var payload protocol.ErrorPayload
	var userErr *UserError
	switch e := llm.AsError(err); {
	case errors.As(err, &userErr):
		payload = protocol.ErrorPayload{Error: userErr.Message, Retryable: userErr.Retryable}
	case e.Kind == llm.KindCanceled:
		payload = protocol.ErrorPayload{Error: "Stopped.", Retryable: true}
	default:
		payload = protocol.ErrorPayload{Error: e.Message, Retryable: e.Retryable}
	}
	if kind := llm.AsError(err).Kind; kind == llm.KindCanceled {
		t.outcome = "cancelled"
	} else {
		t.outcome = "error"
		t.session.svc.metrics.Error(string(kind))
		t.session.svc.logger.Warn("turn failed", "session", t.session.id, "turn", t.number, "err", err)
	}
	t.emit(protocol.TypeChatError, payload)
}

// replay answers from the response cache: the same text and charts, no LLM call.
func (t *turn) replay(ctx context.Context, c cachedTurn) {
	t.emit(protocol.TypeChatChunk, protocol.ChunkPayload{Text: c.text})
	for _, r := range c.results {
		t.emit(protocol.TypeToolResult, r)
	}
	history := append(t.history,
		message.Message{Role: message.RoleUser, Content: t.text},
		message.Message{Role: message.RoleAssistant, Content: c.text})
	if err := t.session.commit(ctx, history, nil); err != nil {
		t.session.svc.logger.Error("commit cached turn", "session", t.session.id, "err", err)
	}
	t.emit(protocol.TypeChatChunk, protocol.ChunkPayload{Done: true})
}

// newHistory is the history after a completed turn: the user's message, the assistant's answer
// with its tool calls, and the tool messages answering each call.
func (t *turn) newHistory(out *outcome) []message.Message {
	h := append(t.history, message.Message{Role: message.RoleUser, Content: t.text})
	h = append(h, message.Message{Role: message.RoleAssistant, Content: out.text.String(), ToolCalls: out.calls})
	return append(h, out.toolNotes...)
}

// mentionsPresto reports whether the user said the magic word in any spelling ("Presto-Change-O",
// "presto chango", "PRESTO!"). It only starts the spinner early; the model decides the switch.
func mentionsPresto(text string) bool {
	return strings.Contains(strings.ToLower(text), "presto")
}

// UserError is a failure whose message is written for the user (e.g. a mode that could not be
// generated).
type UserError struct {
	Message   string
	Retryable bool
	Err       error
}

func (e *UserError) Error() string { return fmt.Sprintf("%s: %v", e.Message, e.Err) }
func (e *UserError) Unwrap() error { return e.Err }
