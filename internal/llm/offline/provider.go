// Package offline is the assistant that runs with no cloud at all: deterministic, in-process, no
// network. It speaks llm.Provider like the real models, so the chat turn, the dashboard and the
// tests run unchanged on top of it. It understands the presto command, answers the common
// questions of each mode from the persona's exact figures, and builds plausible generated modes
// procedurally. It is a fallback and a test double, never presented as the AI.
package offline

import (
	"context"
	"encoding/json"
	"fmt"

	"presto/internal/llm"
)

// Provider is the offline assistant. It holds no state: every answer is a pure function of the
// request, so the same question gives the same stream.
type Provider struct{}

var _ llm.Provider = (*Provider)(nil)

// New returns the offline assistant.
func New() *Provider {
	return &Provider{}
}

// Name is "offline", which the UI shows as the "offline demo" badge.
func (*Provider) Name() string {
	return "offline"
}

// Stream answers the last message of req: its sentence as several text deltas, then the tool calls
// (only of tools req offers), then Done. It never sleeps; it checks ctx between events so a
// cancelled turn stops at once.
func (*Provider) Stream(ctx context.Context, req llm.Request, emit func(llm.Event) error) error {
	r := respond(req)
	return r.stream(ctx, offered(req.Tools), emit)
}

// Structured builds the JSON object asked for. It knows one schema, "mode_config", which it fills
// procedurally from req.Industry and req.CompanyName.
func (*Provider) Structured(ctx context.Context, req llm.StructuredRequest) (json.RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, llm.AsError(err)
	}
	if req.SchemaName != modeConfigSchema {
		return nil, &llm.Error{
			Kind:    llm.KindBadRequest,
			Message: fmt.Sprintf("the offline assistant cannot produce %q objects", req.SchemaName),
		}
	}
	cfg, err := buildModeConfig(req.Industry, req.CompanyName)
	if err != nil {
		return nil, &llm.Error{Kind: llm.KindBadRequest, Message: "the mode request is malformed", Err: err}
	}
	out, err := json.Marshal(cfg)
	if err != nil {
		return nil, &llm.Error{Kind: llm.KindBadRequest, Message: "encode mode config", Err: err}
	}
	return out, nil
}

// offered is the set of tool names a request allows.
func offered(tools []llm.Tool) map[string]bool {
	names := make(map[string]bool, len(tools))
	for _, t := range tools {
		names[t.Name] = true
	}
	return names
}
