package server

import (
	"presto/internal/chat"
	"presto/internal/protocol"
)

// sessionMessage is the `session` message: the session as it is, and this socket's screen id.
type sessionMessage struct {
	chat.State
	Screen string `json:"screen"`
}

// wireMessage is the one place a session event becomes a /ws message (PRODUCT.md 5.4). screen is
// the receiving socket's id, for the session message.
func wireMessage(ev chat.Event, screen string) (typ string, turn int, payload any) {
	switch e := ev.(type) {
	case chat.Joined:
		return protocol.TypeSession, e.State.Turn, sessionMessage{State: e.State, Screen: screen}
	case chat.TurnStarted:
		return protocol.TypeChatStart, e.Turn, protocol.ChatStartPayload{Text: e.Text, Screen: e.Screen}
	case chat.TextDelta:
		return protocol.TypeChatChunk, e.Turn, protocol.ChunkPayload{Text: e.Text}
	case chat.ToolShown:
		return protocol.TypeToolResult, e.Turn, e.Result
	case chat.ModeGenerating:
		return protocol.TypeModeGenerating, e.Turn, protocol.ModeGeneratingPayload{Industry: e.Industry}
	case chat.ModeGeneratingCancelled:
		return protocol.TypeModeGeneratingCancel, e.Turn, struct{}{}
	case chat.ModeSwitched:
		return protocol.TypeModeSwitch, e.Turn, protocol.ModeSwitchPayload{Mode: e.Mode, Persona: e.Persona}
	case chat.TurnDone:
		return protocol.TypeChatChunk, e.Turn, protocol.ChunkPayload{Done: true}
	case chat.TurnFailed:
		return protocol.TypeChatError, e.Turn, protocol.ErrorPayload{Error: e.Problem.Message, Retryable: e.Problem.Retryable, RetryAfter: e.Problem.RetryAfter}
	case chat.Cleared:
		return protocol.TypeChatCleared, 0, struct{}{}
	case chat.TabSelected:
		return protocol.TypeTabSelected, 0, protocol.TabSelectedPayload{ModeID: e.ModeID, TabID: e.TabID}
	case chat.TabFilled:
		results := e.Results
		if results == nil {
			results = []chat.ToolResult{}
		}
		return protocol.TypeTabContent, 0, protocol.TabContentPayload{ModeID: e.ModeID, TabID: e.TabID, ToolResults: results}
	case chat.Transcript:
		return protocol.TypeTranscript, 0, protocol.TranscriptPayload{Role: string(e.Role), ItemID: e.ItemID, Text: e.Text, Final: e.Final}
	case chat.VisualizationRequested:
		return protocol.TypeVisualizationGenerating, 0, protocol.VisualizationPayload{VisType: e.VisType, Description: e.Description}
	case chat.VisualizationFailed:
		return protocol.TypeVisualizationError, 0, protocol.ErrorPayload{Error: e.Problem.Message, Retryable: e.Problem.Retryable}
	case chat.TabFailed:
		return protocol.TypeTabError, 0, protocol.TabErrorPayload{ModeID: e.ModeID, TabID: e.TabID, Error: e.Problem.Message, Retryable: e.Problem.Retryable, RetryAfter: e.Problem.RetryAfter}
	}
	return "", 0, nil
}
