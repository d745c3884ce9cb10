package chat

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
)

// applySwitch is a mode switch as every screen sees it, whether typed or spoken: the spinner with
// the industry, the mode found or generated (once, across replicas), stored, then the new mode,
// its persona and its welcome. The caller ends the turn.
func (s *Session) applySwitch(ctx context.Context, number int, args *llm.SwitchModeArgs, from netip.Addr) (modes.Mode, error) {
	s.publish(ModeGenerating{Turn: number, Industry: args.Industry})
	mode, err := s.deps.catalog.Resolve(ctx, args.Industry, args.CompanyName, from)
	if err != nil {
		return modes.Mode{}, err
	}
	// Stored first, then announced: a switch the store refused is not shown as made.
	if err := s.commit(ctx, number, nil, &mode); err != nil {
		return modes.Mode{}, storeFailed(modeNotSaved, err)
	}
	s.publish(ModeSwitched{Turn: number, Mode: mode, Persona: persona.New(s.id, mode)})
	s.publish(TextDelta{Turn: number, Text: mode.WelcomeMessage})
	return mode, nil
}

// SwitchMode is a switch the voice asked for, from the client address from: a turn of its own on
// every screen (spinner, new mode, welcome), the same catalog and budgets as a typed one. It
// returns the new mode for the voice's instructions.
func (s *Session) SwitchMode(ctx context.Context, args *llm.SwitchModeArgs, from netip.Addr) (modes.Mode, error) {
	s.stopTurn()
	s.mu.Lock()
	s.turn++
	number := s.turn
	s.mu.Unlock()
	mode, err := s.applySwitch(ctx, number, args, from)
	if err != nil {
		s.publish(ModeGeneratingCancelled{Turn: number})
		s.recordTurn(number, nil)
		s.publish(TurnFailed{Turn: number, Problem: Explain(err)})
		return modes.Mode{}, err
	}
	s.publish(TurnDone{Turn: number})
	s.tabs.prefetch(mode, from)
	return mode, nil
}

// Visualize draws what the voice said it would show: one call of the chat model with show_chart
// or show_metrics forced, charged to from, drawn from the persona, on every screen of the session.
func (s *Session) Visualize(ctx context.Context, args *llm.RequestVisualizationArgs, from netip.Addr) (results []ToolResult, err error) {
	start, outcome := time.Now(), "ok"
	defer func() {
		if err != nil {
			outcome = "error"
		}
		s.deps.metrics.Turn("visualization", outcome, time.Since(start))
	}()
	s.publish(VisualizationRequested{VisType: args.VisType, Description: args.Description})
	tool := llm.ToolShowChart
	if args.VisType == "metrics" {
		tool = llm.ToolShowMetrics
	}
	var offer []llm.Tool
	for _, t := range llm.DashboardTools() {
		if t.Name == tool {
			offer = append(offer, t)
		}
	}
	s.mu.Lock()
	mode, turn := s.mode, s.turn
	history := append(slices.Clip(s.state.History), message.Message{Role: message.RoleUser,
		Content: "Show this on the dashboard now, from the customer's exact values: " + args.Description})
	s.mu.Unlock()
	p := persona.New(s.id, mode)

	req := llm.Request{For: llm.ForVisualization, System: systemPrompt(mode, p), Messages: history, Tools: offer,
		ForceTool: tool, Mode: &mode, Persona: &p, Description: args.Description}
	results, err = s.dashboardCall(ctx, from, req, func(r ToolResult) { s.publish(ToolShown{Turn: turn, Result: r}) })
	if err == nil && len(results) == 0 {
		err = &UserError{Message: "the assistant had nothing to draw for that", Retryable: true, Err: fmt.Errorf("no valid %s call", tool)}
	}
	if err != nil {
		if ctx.Err() == nil { // a cancelled one was replaced by what cancelled it
			s.publish(VisualizationFailed{Problem: Explain(err)})
		}
		return nil, fmt.Errorf("visualization: %w", err)
	}
	return results, nil
}
