package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/persona"
	"presto/internal/protocol"
	"presto/internal/store"
)

// TabContent returns the charts and metrics for one tab of a mode, as the session's persona sees
// them: from the store when asked before, else from one LLM call offering only the dashboard tools.
//
// The cache key holds the session as well as the mode and tab: the content is drawn from the
// persona, and the persona is per session, so a key per mode alone would show one session's numbers
// to another.
func (s *Service) TabContent(ctx context.Context, sessionID, modeID, tabID, tabLabel string) (results []protocol.ToolResultPayload, err error) {
	start, outcome := time.Now(), "ok"
	defer func() {
		if err != nil {
			outcome = "error"
		}
		s.metrics.Turn("tab", outcome, time.Since(start))
	}()
	key := tabID + "@" + sessionID
	if raw, err := s.store.GetTabContent(ctx, modeID, key); err == nil {
		var cached []protocol.ToolResultPayload
		if err := json.Unmarshal(raw, &cached); err == nil {
			outcome = "cached"
			return cached, nil
		}
		s.logger.Warn("corrupt cached tab content, asking again", "mode", modeID, "tab", tabID)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("read tab content: %w", err)
	}

	mode, err := s.catalog.Get(ctx, modeID)
	if err != nil {
		return nil, err
	}
	p := persona.New(sessionID, mode)
	release, err := s.acquireSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, s.limits.TurnTimeout)
	defer cancel()

	req := llm.Request{
		System: systemPrompt(mode, p),
		Messages: []message.Message{{Role: message.RoleUser, Content: fmt.Sprintf(
			"Tab: %s (id %s)\nThe user opened the %q tab of the dashboard. Call show_chart (and show_metrics if useful) with the most relevant view of the customer's data for this tab. No text is shown.",
			tabLabel, tabID, tabLabel)}},
		Tools:   llm.DashboardTools(),
		Mode:    &mode,
		Persona: &p,
	}
	err = s.provider.Stream(ctx, req, func(ev llm.Event) error {
		if ev.Done != nil && ev.Done.Usage != nil {
			s.metrics.Tokens(ev.Done.Usage.PromptTokens, ev.Done.Usage.CompletionTokens)
		}
		if ev.ToolCall == nil {
			return nil
		}
		result, err := llm.ValidateToolCall(*ev.ToolCall)
		if err != nil {
			s.logger.Info("invalid tab tool call", "mode", modeID, "tab", tabID, "err", err)
			return nil
		}
		if _, isSwitch := result.(*llm.SwitchModeArgs); !isSwitch {
			results = append(results, protocol.ToolResultPayload{Tool: ev.ToolCall.Name, Result: result})
		}
		return nil
	})
	if err != nil {
		s.metrics.Error(string(llm.AsError(err).Kind))
		return nil, fmt.Errorf("tab content for %s/%s: %w", modeID, tabID, err)
	}
	if len(results) == 0 {
		return nil, &UserError{Message: "the assistant had nothing to show for this tab; try again", Retryable: true}
	}
	if raw, err := json.Marshal(results); err == nil {
		if err := s.store.SaveTabContent(ctx, modeID, key, raw); err != nil {
			s.logger.Warn("save tab content", "mode", modeID, "tab", tabID, "err", err)
		}
	}
	return results, nil
}
