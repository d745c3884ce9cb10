package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"presto/internal/budget"
	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
	"presto/internal/store"
)

// settingsTab is the tab every mode ends with; the UI shows its own settings there, not content.
const settingsTab = "settings"

// Tab shows one of the mode's tabs on every screen: TabSelected at once, then TabFilled (or
// TabFailed) when its content is ready. Content asked for before comes from the store and is free;
// otherwise the request counts against the session's rate limit and runs one LLM call offering the
// dashboard tools, charged to from. A newer request for another tab cancels the one in flight. An
// unknown tab id or a refused request returns a *Rejected or a *budget.Exceeded and changes
// nothing.
func (s *Session) Tab(ctx context.Context, tabID string, from netip.Addr) error {
	mode, tab, err := s.findTab(tabID)
	if err != nil {
		return err
	}
	if results, ok, err := s.cachedTab(ctx, mode, tab); err != nil {
		return err
	} else if ok {
		s.publish(TabSelected{ModeID: mode.ID, TabID: tab.ID})
		s.publish(TabFilled{ModeID: mode.ID, TabID: tab.ID, Results: results})
		return nil
	}
	if !s.tabs.filling(tab.ID) {
		if err := s.admit(ctx); err != nil {
			return err
		}
		s.tabs.fillForUser(mode, tab, from)
	}
	s.publish(TabSelected{ModeID: mode.ID, TabID: tab.ID})
	return nil
}

// CachedTabs is the content already filled for the current mode's tabs, for a screen that joins
// after the prefetch told the others.
func (s *Session) CachedTabs(ctx context.Context) []TabFilled {
	s.mu.Lock()
	mode := s.mode
	s.mu.Unlock()
	var filled []TabFilled
	for _, tab := range mode.Tabs {
		if tab.ID == settingsTab {
			continue
		}
		results, ok, err := s.cachedTab(ctx, mode, tab)
		if err != nil {
			s.deps.logger.Warn("read cached tabs", "mode", mode.ID, "err", err)
			return filled
		}
		if ok {
			filled = append(filled, TabFilled{ModeID: mode.ID, TabID: tab.ID, Results: results})
		}
	}
	return filled
}

// ModeID is the session's current mode.
func (s *Session) ModeID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mode.ID
}

// TabContent returns a tab's content directly, for POST /api/tab-content: the same cache, limits and
// LLM call as Tab, charged to from, without telling the screens. modeID must be the session's mode.
func (s *Session) TabContent(ctx context.Context, modeID, tabID string, from netip.Addr) ([]ToolResult, error) {
	mode, tab, err := s.findTab(tabID)
	if mode.ID != modeID {
		return nil, &Rejected{Kind: ProblemConflict, Message: fmt.Sprintf("the session is in the %s mode now, not %q", mode.Name, modeID)}
	}
	if err != nil {
		return nil, err
	}
	if results, ok, err := s.cachedTab(ctx, mode, tab); err != nil || ok {
		return results, err
	}
	if err := s.admit(ctx); err != nil {
		return nil, err
	}
	return s.fillTab(ctx, mode, tab, from)
}

// findTab is the current mode and its tab with id.
func (s *Session) findTab(id string) (modes.Mode, modes.Tab, error) {
	s.mu.Lock()
	mode := s.mode
	s.mu.Unlock()
	for _, t := range mode.Tabs {
		if t.ID == id && id != settingsTab {
			return mode, t, nil
		}
	}
	return mode, modes.Tab{}, &Rejected{Kind: ProblemRejected, Message: fmt.Sprintf("unknown tab %q: the %s mode has no such tab", id, mode.Name)}
}

// tabKey is where a tab's content is cached. It holds the session as well as the mode and tab:
// the content is drawn from the persona, and the persona is per session, so a key per mode alone
// would show one session's numbers to another.
func (s *Session) tabKey(tab modes.Tab) string { return tab.ID + "@" + s.id }

// cachedTab reads a tab's stored content; a corrupt entry counts as none.
func (s *Session) cachedTab(ctx context.Context, mode modes.Mode, tab modes.Tab) ([]ToolResult, bool, error) {
	raw, err := s.deps.store.GetTabContent(ctx, mode.ID, s.tabKey(tab))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("read tab content of %s: %w", tab.ID, err)
	}
	var cached []ToolResult
	if err := json.Unmarshal(raw, &cached); err != nil {
		s.deps.logger.Warn("corrupt cached tab content, asking again", "mode", mode.ID, "tab", tab.ID)
		return nil, false, nil
	}
	return cached, true, nil
}

// fillTab returns a tab's content from the store, or from one LLM call offering only the dashboard
// tools, charged to from, which it then stores.
func (s *Session) fillTab(ctx context.Context, mode modes.Mode, tab modes.Tab, from netip.Addr) (results []ToolResult, err error) {
	start, outcome := time.Now(), "ok"
	defer func() {
		if err != nil {
			outcome = "error"
		}
		s.deps.metrics.Turn("tab", outcome, time.Since(start))
	}()
	if cached, ok, err := s.cachedTab(ctx, mode, tab); err != nil || ok {
		outcome = "cached"
		return cached, err
	}
	p := persona.New(s.id, mode)
	req := llm.Request{
		For:    llm.ForTab,
		System: systemPrompt(mode, p),
		Messages: []message.Message{{Role: message.RoleUser, Content: fmt.Sprintf(
			"Tab: %s (id %s)\nThe user opened the %q tab of the dashboard. Call show_chart (and show_metrics if useful) with the most relevant view of the customer's data for this tab. No text is shown.",
			tab.Label, tab.ID, tab.Label)}},
		Tools:   llm.DashboardTools(),
		Mode:    &mode,
		Persona: &p,
		Tab:     &tab,
	}
	results, err = s.dashboardCall(ctx, from, req, nil)
	if err != nil {
		if kind := llm.AsError(err).Kind; kind != llm.KindCanceled && !errors.As(err, new(*budget.Exceeded)) {
			s.deps.metrics.Error(string(kind))
		}
		return nil, fmt.Errorf("tab content for %s/%s: %w", mode.ID, tab.ID, err)
	}
	if len(results) == 0 {
		return nil, &UserError{Message: "the assistant had nothing to show for this tab; try again", Retryable: true, Err: errors.New("no tool call")}
	}
	if raw, err := json.Marshal(results); err == nil {
		if err := s.deps.store.SaveTabContent(ctx, mode.ID, s.tabKey(tab), raw); err != nil {
			s.deps.logger.Warn("save tab content", "mode", mode.ID, "tab", tab.ID, "err", err)
		}
	}
	return results, nil
}

// dashboardCall runs one LLM call offering only dashboard tools, charged to from, in one of the
// process's LLM slots and within the turn timeout, and returns its valid results, handing each to
// shown as it comes (nil: none). Invalid calls are logged and left out.
func (s *Session) dashboardCall(ctx context.Context, from netip.Addr, req llm.Request, shown func(ToolResult)) (results []ToolResult, err error) {
	release, err := s.deps.acquireSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, s.deps.limits.TurnTimeout)
	defer cancel()
	err = s.deps.budget.Provider(s.deps.provider, from).Stream(ctx, req, func(ev llm.Event) error {
		if ev.Done != nil && ev.Done.Usage != nil {
			s.deps.metrics.Tokens(ev.Done.Usage.PromptTokens, ev.Done.Usage.CompletionTokens)
		}
		if ev.ToolCall == nil {
			return nil
		}
		result, err := llm.ValidateToolCall(*ev.ToolCall)
		if err != nil {
			s.deps.logger.Info("invalid dashboard tool call", "for", req.For, "tool", ev.ToolCall.Name, "err", err)
			return nil
		}
		if _, isSwitch := result.(*llm.SwitchModeArgs); !isSwitch {
			r := ToolResult{Tool: ev.ToolCall.Name, Result: result}
			results = append(results, r)
			if shown != nil {
				shown(r)
			}
		}
		return nil
	})
	return results, err
}

// tabWork is a session's tab requests in flight: the one a user asked for last, and the prefetch
// after a switch, which gives way to the user's own turns. All of it belongs to the current mode
// and ends when the mode changes.
type tabWork struct {
	s *Session

	mu          sync.Mutex
	modeCtx     context.Context // ends when the mode changes or the session closes
	endMode     context.CancelFunc
	userTab     string             // the tab a user asked for, while it is being filled
	cancelUser  context.CancelFunc // stops that request
	prefetching string             // the tab the prefetch is filling
	pauseCall   context.CancelFunc // stops the prefetch's call in flight, which it retries later
}

func (w *tabWork) init(s *Session) {
	w.s = s
	w.modeCtx, w.endMode = context.WithCancel(s.ctx)
}

// reset drops the work of the old mode.
func (w *tabWork) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.endMode()
	w.modeCtx, w.endMode = context.WithCancel(w.s.ctx)
	w.userTab, w.cancelUser, w.prefetching, w.pauseCall = "", nil, "", nil
}

// filling reports whether tab's content is already being asked for.
func (w *tabWork) filling(tabID string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.userTab == tabID || w.prefetching == tabID
}

// fillForUser fills tab for the screens, cancelling the user's request for another tab.
func (w *tabWork) fillForUser(mode modes.Mode, tab modes.Tab, from netip.Addr) {
	w.mu.Lock()
	if w.cancelUser != nil {
		w.cancelUser()
	}
	ctx, cancel := context.WithCancel(w.modeCtx)
	w.userTab, w.cancelUser = tab.ID, cancel
	w.mu.Unlock()

	go func() {
		defer cancel()
		results, err := w.s.fillTab(ctx, mode, tab, from)
		w.mu.Lock()
		if w.userTab == tab.ID && ctx.Err() == nil {
			w.userTab, w.cancelUser = "", nil
		}
		w.mu.Unlock()
		switch {
		case err == nil:
			w.s.publish(TabFilled{ModeID: mode.ID, TabID: tab.ID, Results: results})
		case ctx.Err() != nil:
			// Cancelled by a newer tab, a switch or the last screen leaving: nothing to tell.
		default:
			w.s.deps.logger.Warn("tab content failed", "mode", mode.ID, "tab", tab.ID, "err", err)
			w.s.publish(TabFailed{ModeID: mode.ID, TabID: tab.ID, Problem: Explain(err)})
		}
	}()
}

// pausePrefetch stops the prefetch's call in flight so that the user's turn gets the LLM first;
// the prefetch asks again once the turn is over.
func (w *tabWork) pausePrefetch() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pauseCall != nil {
		w.pauseCall()
	}
}

// prefetch fills every tab of mode in the background, one at a time, each after any turn in flight
// has ended, and tells the screens as each is ready. Failures are only logged: the tab is asked
// for again when a user opens it. Its calls are charged to from, the address whose switch caused
// them: they are LLM calls like any other, and were they free a switch would buy a handful of
// calls past the address's budget. It stops at the first refusal, leaving the rest to be asked
// for when opened. It does not count against the session's chats, which are the user's own
// requests.
func (w *tabWork) prefetch(mode modes.Mode, from netip.Addr) {
	if !w.s.deps.limits.PrefetchTabs || mode.ID == modes.HomeID {
		return // the home mode's tabs describe the app, not a customer: filled when opened
	}
	w.mu.Lock()
	modeCtx := w.modeCtx
	w.mu.Unlock()
	go func() {
		for _, tab := range mode.Tabs {
			if tab.ID == settingsTab {
				continue
			}
			if !w.prefetchOne(modeCtx, mode, tab, from) {
				return
			}
		}
	}()
}

// prefetchOne fills one tab, retrying when a user's turn paused it. It reports whether the
// prefetch should go on.
func (w *tabWork) prefetchOne(modeCtx context.Context, mode modes.Mode, tab modes.Tab, from netip.Addr) bool {
	for {
		if err := w.s.waitIdle(modeCtx); err != nil {
			return false
		}
		w.mu.Lock()
		if modeCtx.Err() != nil {
			w.mu.Unlock()
			return false
		}
		if w.userTab == tab.ID { // a user asked for it meanwhile: that request tells the screens
			w.mu.Unlock()
			return true
		}
		callCtx, cancel := context.WithCancel(modeCtx)
		w.prefetching, w.pauseCall = tab.ID, cancel
		w.mu.Unlock()

		results, err := w.s.fillTab(callCtx, mode, tab, from)
		paused := callCtx.Err() != nil
		cancel()
		w.mu.Lock()
		if w.prefetching == tab.ID {
			w.prefetching, w.pauseCall = "", nil
		}
		w.mu.Unlock()
		switch {
		case err == nil:
			w.s.publish(TabFilled{ModeID: mode.ID, TabID: tab.ID, Results: results})
			return true
		case modeCtx.Err() != nil:
			return false
		case paused:
			continue // a user's turn took the LLM: wait for it, then ask again
		case errors.As(err, new(*budget.Exceeded)):
			w.s.deps.logger.Info("tab prefetch stopped by the budget", "mode", mode.ID, "tab", tab.ID, "err", err)
			return false
		default:
			w.s.deps.logger.Info("tab prefetch failed", "mode", mode.ID, "tab", tab.ID, "err", err)
			return true
		}
	}
}
