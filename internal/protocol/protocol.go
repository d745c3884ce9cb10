// Package protocol is the /ws wire format: every message is a JSON envelope
// {"type": "…", "turn": N, "payload": {…}} (PRODUCT.md 5.4). docs/protocol.md documents each type.
package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// MaxMessageBytes is the largest message a client may send on /ws; a larger one closes the socket
// with status 1009.
const MaxMessageBytes = 64 << 10

// MaxVoiceMessageBytes is the largest message a client may send on /voice (audio frames are the
// big ones); a larger one closes the socket with status 1009.
const MaxVoiceMessageBytes = 256 << 10

// Message types a client sends.
const (
	TypeChat      = "chat"
	TypeClearChat = "clear_chat"
	TypeCancel    = "cancel"
	TypePing      = "ping"
	TypeEcho      = "echo"
	TypeTab       = "tab"
)

// Message types the server sends.
const (
	TypeSession                 = "session"
	TypeChatStart               = "chat_start"
	TypeChatChunk               = "chat_chunk"
	TypeToolResult              = "tool_result"
	TypeChatError               = "chat_error"
	TypeModeGenerating          = "mode_generating"
	TypeModeGeneratingCancel    = "mode_generating_cancel"
	TypeModeSwitch              = "mode_switch"
	TypeChatCleared             = "chat_cleared"
	TypeTabSelected             = "tab_selected"
	TypeTabContent              = "tab_content"
	TypeTabError                = "tab_error"
	TypeTranscript              = "transcript"
	TypeVisualizationGenerating = "visualization_generating"
	TypeVisualizationError      = "visualization_error"
	TypePong                    = "pong"
	TypeError                   = "error"
)

// Envelope is one message in either direction. Turn is zero for messages outside a chat turn.
type Envelope struct {
	Type    string          `json:"type"`
	Turn    int             `json:"turn,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Decode parses a client message. It rejects invalid UTF-8, anything that is not a JSON object
// with a non-empty string type, and a payload that is not an object (or absent). Unknown types are
// not an error here: routing decides.
func Decode(data []byte) (Envelope, error) {
	if !utf8.Valid(data) {
		return Envelope{}, errors.New("message is not valid UTF-8")
	}
	var env Envelope
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&env); err != nil {
		return Envelope{}, fmt.Errorf("message is not a JSON object: %w", err)
	}
	if dec.More() {
		return Envelope{}, errors.New("message has data after the JSON object")
	}
	if env.Type == "" {
		return Envelope{}, errors.New(`message has no "type"`)
	}
	if p := bytes.TrimSpace(env.Payload); len(p) > 0 && !bytes.Equal(p, []byte("null")) && p[0] != '{' {
		return Envelope{}, errors.New(`"payload" must be an object`)
	}
	return env, nil
}

// Encode builds a server message. It writes the envelope around the marshalled payload itself:
// marshalling an Envelope would copy and re-validate the payload, once per streamed chunk.
func Encode(typ string, turn int, payload any) ([]byte, error) {
	p, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("encode %s payload: %w", typ, err)
	}
	t, err := json.Marshal(typ)
	if err != nil {
		return nil, fmt.Errorf("encode type: %w", err)
	}
	b := make([]byte, 0, len(p)+len(t)+40)
	b = append(b, `{"type":`...)
	b = append(b, t...)
	if turn != 0 {
		b = append(b, `,"turn":`...)
		b = strconv.AppendInt(b, int64(turn), 10)
	}
	b = append(b, `,"payload":`...)
	b = append(b, p...)
	return append(b, '}'), nil
}

// ChatPayload is the payload of a client's chat message.
type ChatPayload struct {
	Text string `json:"text"`
}

// ChatStartPayload begins a turn: the user's text and the screen that sent it.
type ChatStartPayload struct {
	Text   string `json:"text"`
	Screen string `json:"screen"`
}

// TabPayload is the payload of a client's tab message.
type TabPayload struct {
	TabID string `json:"tab_id"`
}

// TabSelectedPayload tells every screen which tab to show.
type TabSelectedPayload struct {
	ModeID string `json:"mode_id"`
	TabID  string `json:"tab_id"`
}

// TabContentPayload is a tab's charts and metrics.
type TabContentPayload struct {
	ModeID      string `json:"mode_id"`
	TabID       string `json:"tab_id"`
	ToolResults any    `json:"tool_results"`
}

// TabErrorPayload says a tab could not be filled.
type TabErrorPayload struct {
	ModeID     string `json:"mode_id"`
	TabID      string `json:"tab_id"`
	Error      string `json:"error"`
	Retryable  bool   `json:"retryable"`
	RetryAfter int    `json:"retry_after,omitempty"` // seconds, when a budget ran out
}

// TranscriptPayload is a spoken line (PRODUCT.md 5.5).
type TranscriptPayload struct {
	Role   string `json:"role"`
	ItemID string `json:"item_id"`
	Text   string `json:"text"`
	Final  bool   `json:"final"`
}

// VisualizationPayload says a chart or metrics the voice asked for is being drawn.
type VisualizationPayload struct {
	VisType     string `json:"vis_type"`
	Description string `json:"description"`
}

// ModeSwitchPayload is the new mode and its persona.
type ModeSwitchPayload struct {
	Mode    any `json:"mode"`
	Persona any `json:"persona"`
}

// ChunkPayload is a chat_chunk: a text delta, or the end of the turn's text when Done.
type ChunkPayload struct {
	Text string `json:"text"`
	Done bool   `json:"done"`
}

// ErrorPayload is the payload of error and chat_error. Retryable says whether sending the same
// message again may succeed (the UI shows a Retry button).
type ErrorPayload struct {
	Error      string `json:"error"`
	Retryable  bool   `json:"retryable"`
	RetryAfter int    `json:"retry_after,omitempty"` // seconds, when a budget ran out
}

// ModeGeneratingPayload announces a mode switch in progress; Industry is empty until the model has
// named it.
type ModeGeneratingPayload struct {
	Industry string `json:"industry"`
}
