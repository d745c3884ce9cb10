// Package message holds the provider-neutral conversation types: what a history keeps and what a
// provider is sent. It depends on nothing, so the store can keep histories without knowing about
// language models.
package message

// Role of a chat message.
type Role string

// The roles a history holds.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// Message is one entry of a conversation. An assistant message may carry tool calls; a tool message
// answers one call by ToolCallID.
type Message struct {
	Role       Role       `json:"role"`
	Content    string     `json:"content"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
}

// ToolCall is one complete function call by the model. Arguments is the raw JSON string the model
// produced (possibly broken: validate before use).
type ToolCall struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}
