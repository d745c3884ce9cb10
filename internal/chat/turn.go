package chat

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"time"

	"presto/internal/budget"
	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
)

// turn is one user message and everything it causes. It runs on its own goroutine; it reads the
// session only through the snapshot it was given, writes back once, through commit, and tells the
// screens through publish.
type turn struct {
	deps    *deps
	session *Session
	number  int
	text    string
	screen  string
	from    netip.Addr // the client address the turn's LLM calls are charged to
	mode    modes.Mode
	persona persona.Persona
	history []message.Message

	presto  bool      // the user said the magic word: hold the old mode's output back
	outcome string    // for the turn metric: ok, switch, cached, error or cancelled
	started time.Time // for the turn metric
}

// end records the turn's metric, then tells the screens the turn is over (in that order, so that
// whoever sees the end finds the turn counted).
func (t *turn) end(last Event) {
	t.deps.metrics.Turn("chat", t.outcome, time.Since(t.started))
	t.session.publish(last)
}

// outcome is what the LLM produced in a turn.
type outcome struct {
	text      strings.Builder
	calls     []message.ToolCall
	results   []ToolResult // valid dashboard results, in order
	switchTo  *llm.SwitchModeArgs
	toolNotes []message.Message // tool messages answering each call, for the history
}

func (t *turn) run(ctx context.Context) {
	t.started = time.Now()
	t.outcome = "ok"
	t.presto = mentionsPresto(t.text)
	t.session.publish(TurnStarted{Turn: t.number, Text: t.text, Screen: t.screen})
	if t.presto {
		t.session.publish(ModeGenerating{Turn: t.number})
	}

	key := cacheKey(t.session.id, t.mode.ID, t.text)
	if !t.presto {
		if cached, ok := t.deps.cache.get(key); ok {
			t.outcome = "cached"
			t.replay(ctx, cached)
			return
		}
	}

	out, err := t.ask(ctx)
	if err != nil {
		t.fail(err, out)
		return
	}
	if out.switchTo != nil {
		t.outcome = "switch"
		t.switchMode(ctx, out)
		return
	}
	if t.presto {
		t.session.publish(ModeGeneratingCancelled{Turn: t.number})
		t.flush(out)
	}
	// The answer is complete and on the screens: it is saved even when the turn is cancelled now,
	// and the turn is only done once it is.
	saveCtx, cancel := t.session.storeContext()
	defer cancel()
	if err := t.session.commit(saveCtx, t.number, t.newHistory(out), nil); err != nil {
		t.fail(storeFailed("your message could not be saved; try again", err), nil)
		return
	}
	if !t.presto {
		t.deps.cache.put(key, cachedTurn{text: out.text.String(), results: out.results})
	}
	t.end(TurnDone{Turn: t.number})
}

// ask runs the LLM call, and one more when a tool call was invalid, so the model can correct it.
// On an error the outcome holds what had streamed until then.
func (t *turn) ask(ctx context.Context) (*outcome, error) {
	out := &outcome{}
	release, err := t.deps.acquireSlot(ctx)
	if err != nil {
		return out, err
	}
	defer release()

	req := llm.Request{
		For:      llm.ForChat,
		System:   systemPrompt(t.mode, t.persona),
		Messages: append(t.history, message.Message{Role: message.RoleUser, Content: t.text}),
		Tools:    llm.ChatTools(),
		Mode:     &t.mode,
		Persona:  &t.persona,
	}
	for attempt := 0; ; attempt++ {
		calls, invalid, err := t.stream(ctx, req, out)
		if err != nil {
			return out, err
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
	m := t.deps.metrics
	asked, first := time.Now(), true
	err = t.deps.budget.Provider(t.deps.provider, t.from).Stream(ctx, req, func(ev llm.Event) error {
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
				t.session.publish(TextDelta{Turn: t.number, Text: ev.Text})
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
		t.deps.logger.Info("invalid tool call", "tool", call.Name, "err", err)
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
		r := ToolResult{Tool: call.Name, Result: result}
		out.results = append(out.results, r)
		if !t.presto {
			t.session.publish(ToolShown{Turn: t.number, Result: r})
		}
	}
	out.toolNotes = append(out.toolNotes, message.Message{Role: message.RoleTool, ToolCallID: call.ID, Content: note})
	return true
}

// flush sends what a presto turn held back once it is clear the mode stays.
func (t *turn) flush(out *outcome) {
	if s := out.text.String(); s != "" {
		t.session.publish(TextDelta{Turn: t.number, Text: s})
	}
	for _, r := range out.results {
		t.session.publish(ToolShown{Turn: t.number, Result: r})
	}
}

// switchMode applies a switch_mode call: find or generate the mode, then show it with its welcome.
// A failure leaves the current mode in place and says why.
func (t *turn) switchMode(ctx context.Context, out *outcome) {
	t.presto = true
	mode, err := t.session.applySwitch(ctx, t.number, out.switchTo, t.from)
	if err != nil {
		t.fail(err, nil) // cancels the spinner
		return
	}
	t.end(TurnDone{Turn: t.number})
	t.session.tabs.prefetch(mode, t.from)
}

// fail ends the turn with what the user should read; the details go to the log. What the screens
// were shown of the answer before it ended (shown, nil when nothing) joins the history with the
// question, so that a reload shows what the user read and the model knows what it said.
func (t *turn) fail(err error, shown *outcome) {
	if t.presto {
		t.session.publish(ModeGeneratingCancelled{Turn: t.number})
	}
	p := Explain(err)
	switch {
	case p.Kind == ProblemCanceled:
		t.outcome = "cancelled"
	case p.Kind == ProblemStore:
		t.outcome = "error"
		t.deps.logger.Error("turn not saved", "turn", t.number, "err", err)
	case errors.As(err, new(*budget.Exceeded)):
		t.outcome = "refused" // counted among the budget's refusals: no LLM call failed
	default:
		t.outcome = "error"
		t.deps.metrics.Error(string(llm.AsError(err).Kind))
		t.deps.logger.Warn("turn failed", "turn", t.number, "err", err)
	}
	var history []message.Message
	if shown != nil && !t.presto && shown.text.Len() > 0 {
		history = append(t.history,
			message.Message{Role: message.RoleUser, Content: t.text},
			message.Message{Role: message.RoleAssistant, Content: shown.text.String()})
	}
	t.session.recordTurn(t.number, history)
	t.end(TurnFailed{Turn: t.number, Problem: p})
}

// replay answers from the response cache: the same text and charts, no LLM call.
func (t *turn) replay(ctx context.Context, c cachedTurn) {
	t.session.publish(TextDelta{Turn: t.number, Text: c.text})
	for _, r := range c.results {
		t.session.publish(ToolShown{Turn: t.number, Result: r})
	}
	history := append(t.history,
		message.Message{Role: message.RoleUser, Content: t.text},
		message.Message{Role: message.RoleAssistant, Content: c.text})
	saveCtx, cancel := t.session.storeContext()
	defer cancel()
	if err := t.session.commit(saveCtx, t.number, history, nil); err != nil {
		t.fail(storeFailed("your message could not be saved; try again", err), nil)
		return
	}
	t.end(TurnDone{Turn: t.number})
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
