// Package llm is the seam between a chat turn and a language model. A Provider streams one turn
// (text deltas, then complete tool calls, then the end) and answers structured-output requests.
// Implementations: openaillm (Azure and any OpenAI-compatible server, through the official SDK) and
// offline (deterministic, in-process).
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
)

// Provider talks to one language model.
type Provider interface {
	// Name is "azure", "openai" or "offline"; the UI shows it.
	Name() string
	// Stream runs one completion with tools and calls emit for each event, in order: text deltas,
	// then each complete tool call, then exactly one Done event. A non-nil error from emit stops
	// the stream and is returned. Stream returns when the model is done, ctx ends or it fails; a
	// failure is an *Error.
	Stream(ctx context.Context, req Request, emit func(Event) error) error
	// Structured asks for one JSON object that follows req.Schema (structured output) and returns
	// it unparsed; the caller validates it.
	Structured(ctx context.Context, req StructuredRequest) (json.RawMessage, error)
}

// Tool is a function offered to the model; Parameters is a JSON schema object.
type Tool struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Parameters  map[string]any `json:"parameters"`
}

// Purpose says what a streamed request is for.
type Purpose string

// The purposes of a streamed request.
const (
	ForChat          Purpose = "chat"          // a user's chat turn
	ForTab           Purpose = "tab"           // the charts and metrics of one dashboard tab
	ForVisualization Purpose = "visualization" // what the voice asked to show, with one tool forced
)

// Request is one streamed call. System and Messages are what a network model reads; For, Mode,
// Persona and Tab say the same facts in typed form, for the offline provider, which answers from
// them and never reads our own prompt text back.
type Request struct {
	For      Purpose
	System   string
	Messages []message.Message
	Tools    []Tool
	Mode     *modes.Mode      // the mode the call answers in
	Persona  *persona.Persona // the customer the answer is about
	Tab      *modes.Tab       // For == ForTab: the tab to fill
	// ForceTool names the tool the model must call (tool_choice); empty lets it choose.
	ForceTool string
	// Description is what to show, For == ForVisualization.
	Description string
}

// StructuredRequest asks for one JSON object following a schema: a mode generation, for now.
// Industry and CompanyName are what User was written from, for the offline provider.
type StructuredRequest struct {
	System      string
	User        string
	SchemaName  string         // e.g. "mode_config"
	Schema      map[string]any // a JSON schema object (strict: every property required)
	Industry    string
	CompanyName string
}

// Event is one step of a streamed turn; exactly one field is set.
type Event struct {
	Text     string            // a text delta
	ToolCall *message.ToolCall // a complete tool call
	Done     *Done             // the end of the turn
}

// Done ends a turn. Usage is nil when the server did not report it.
type Done struct {
	FinishReason string
	Usage        *Usage
}

// Usage counts tokens of one call.
type Usage struct {
	PromptTokens     int64
	CompletionTokens int64
}

// ErrorKind classifies a provider failure for the user and for retry decisions.
type ErrorKind string

// The kinds of provider failure.
const (
	KindRateLimited ErrorKind = "rate_limited" // 429 after retries
	KindQuota       ErrorKind = "quota"        // spend limit / insufficient_quota: retrying won't help
	KindAuth        ErrorKind = "auth"         // 401/403 or no credential
	KindNotFound    ErrorKind = "not_found"    // deployment or model missing
	KindBadRequest  ErrorKind = "bad_request"  // the server rejected a parameter
	KindUnavailable ErrorKind = "unavailable"  // 5xx, connection refused, stream cut
	KindTimeout     ErrorKind = "timeout"      // the turn's deadline passed
	KindCanceled    ErrorKind = "canceled"     // the caller cancelled
)

// Error is a provider failure. Message is safe to show to the user; Err keeps the detail for logs.
type Error struct {
	Kind      ErrorKind
	Message   string
	Retryable bool // whether the same request may succeed if the user tries again
	Status    int  // HTTP status when there was one
	Err       error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Kind, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// AsError returns err as an *Error, classifying unknown errors as unavailable and retryable.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Kind: KindCanceled, Message: "cancelled", Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: KindTimeout, Message: "the model took too long to answer", Retryable: true, Err: err}
	}
	return &Error{Kind: KindUnavailable, Message: "the model is unavailable", Retryable: true, Err: err}
}
