package budget

import (
	"context"
	"encoding/json"
	"net/netip"

	"presto/internal/llm"
)

// Provider is p with every call charged to from: each Stream and Structured first takes a call
// of from's and the process's budgets, and the tokens a stream reports count against the day's.
// A call refused never reaches p.
func (b *Budget) Provider(p llm.Provider, from netip.Addr) llm.Provider {
	return &charged{Provider: p, budget: b, from: from}
}

type charged struct {
	llm.Provider
	budget *Budget
	from   netip.Addr
}

func (c *charged) Stream(ctx context.Context, req llm.Request, emit func(llm.Event) error) error {
	if err := c.budget.Call(ctx, c.from); err != nil {
		return err
	}
	return c.Provider.Stream(ctx, req, func(ev llm.Event) error {
		if ev.Done != nil && ev.Done.Usage != nil {
			c.budget.Spend(ev.Done.Usage.PromptTokens + ev.Done.Usage.CompletionTokens)
		}
		return emit(ev)
	})
}

func (c *charged) Structured(ctx context.Context, req llm.StructuredRequest) (json.RawMessage, error) {
	if err := c.budget.Call(ctx, c.from); err != nil {
		return nil, err
	}
	return c.Provider.Structured(ctx, req)
}
