package chat

import (
	"encoding/json"
	"fmt"

	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
)

// Event is one thing that happened in a session. A session delivers its events, in order, to every
// subscriber (each socket of the session, on this replica and, through the relay, on the others).
// The set is closed: the types below are all there is, and only the server turns them into wire
// messages.
type Event interface{ sessionEvent() }

// Joined is the first event a new subscriber receives, and only it: the session as it is at that
// moment, the turn in flight included, so that the rest of that turn continues it.
type Joined struct{ State State }

// TurnStarted begins turn Turn: Text is the user's message, Screen the subscriber that sent it.
type TurnStarted struct {
	Turn   int
	Text   string
	Screen string
}

// TextDelta is a piece of the answer.
type TextDelta struct {
	Turn int
	Text string
}

// ToolShown is a validated dashboard tool call to draw.
type ToolShown struct {
	Turn   int
	Result ToolResult
}

// ModeGenerating says a mode switch is under way; Industry is empty until the model has named it.
type ModeGenerating struct {
	Turn     int
	Industry string
}

// ModeGeneratingCancelled says there is no switch after all.
type ModeGeneratingCancelled struct{ Turn int }

// ModeSwitched carries the session's new mode and persona.
type ModeSwitched struct {
	Turn    int
	Mode    modes.Mode
	Persona persona.Persona
}

// TurnDone ends a turn that succeeded.
type TurnDone struct{ Turn int }

// TurnFailed ends a turn that failed, with what the user should read.
type TurnFailed struct {
	Turn    int
	Problem Problem
}

// Cleared says the conversation was forgotten.
type Cleared struct{}

// TabSelected says a screen asked for a tab: every screen shows it.
type TabSelected struct{ ModeID, TabID string }

// TabFilled carries a tab's charts and metrics, asked for or prefetched.
type TabFilled struct {
	ModeID, TabID string
	Results       []ToolResult
}

// TabFailed says a tab a user asked for could not be filled.
type TabFailed struct {
	ModeID, TabID string
	Problem       Problem
}

// Transcript is a spoken line, the user's or the assistant's: deltas while it streams, then the
// whole line with Final.
type Transcript struct {
	Role   message.Role
	ItemID string
	Text   string
	Final  bool
}

// VisualizationRequested says the voice asked for a chart or metrics, drawn next as ToolShown.
type VisualizationRequested struct{ VisType, Description string }

// VisualizationFailed says the chart or metrics the voice asked for could not be drawn.
type VisualizationFailed struct{ Problem Problem }

// VoiceChosen says the session's realtime voice changed.
type VoiceChosen struct{ Voice string }

func (Joined) sessionEvent()                  {}
func (VoiceChosen) sessionEvent()             {}
func (VisualizationRequested) sessionEvent()  {}
func (VisualizationFailed) sessionEvent()     {}
func (Transcript) sessionEvent()              {}
func (TurnStarted) sessionEvent()             {}
func (TextDelta) sessionEvent()               {}
func (ToolShown) sessionEvent()               {}
func (ModeGenerating) sessionEvent()          {}
func (ModeGeneratingCancelled) sessionEvent() {}
func (ModeSwitched) sessionEvent()            {}
func (TurnDone) sessionEvent()                {}
func (TurnFailed) sessionEvent()              {}
func (Cleared) sessionEvent()                 {}
func (TabSelected) sessionEvent()             {}
func (TabFilled) sessionEvent()               {}
func (TabFailed) sessionEvent()               {}

// ToolResult is a validated dashboard tool call: the tool's name and its validated arguments.
type ToolResult struct {
	Tool   string `json:"tool"`
	Result any    `json:"result"`
}

// UnmarshalJSON keeps the arguments as the JSON they were (from the tab cache or another
// replica), so they are written out byte for byte as the turn that made them wrote them.
func (r *ToolResult) UnmarshalJSON(b []byte) error {
	var v struct {
		Tool   string          `json:"tool"`
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	r.Tool, r.Result = v.Tool, v.Result
	return nil
}

// relayed is an event as it crosses replicas: its kind and its fields as JSON. Joined never
// crosses (it is per subscriber); "cancel" is not an event but a request to stop the turn in
// flight wherever it runs.
type relayed struct {
	Kind string          `json:"k"`
	Data json.RawMessage `json:"d,omitempty"`
}

const relayCancel = "cancel"

// relayKinds names every event that crosses replicas, with the decoder that makes it back.
var relayKinds = map[string]func(json.RawMessage) (Event, error){
	"turn_started":       decodeAs[TurnStarted],
	"text_delta":         decodeAs[TextDelta],
	"tool_shown":         decodeAs[ToolShown],
	"mode_generating":    decodeAs[ModeGenerating],
	"mode_gen_cancelled": decodeAs[ModeGeneratingCancelled],
	"mode_switched":      decodeAs[ModeSwitched],
	"turn_done":          decodeAs[TurnDone],
	"turn_failed":        decodeAs[TurnFailed],
	"cleared":            decodeAs[Cleared],
	"tab_selected":       decodeAs[TabSelected],
	"tab_filled":         decodeAs[TabFilled],
	"tab_failed":         decodeAs[TabFailed],
	"transcript":         decodeAs[Transcript],
	"voice_chosen":       decodeAs[VoiceChosen],
	"vis_requested":      decodeAs[VisualizationRequested],
	"vis_failed":         decodeAs[VisualizationFailed],
}

func decodeAs[T Event](data json.RawMessage) (Event, error) {
	var v T
	err := json.Unmarshal(data, &v)
	return v, err
}

func relayKind(ev Event) string {
	switch ev.(type) {
	case TurnStarted:
		return "turn_started"
	case TextDelta:
		return "text_delta"
	case ToolShown:
		return "tool_shown"
	case ModeGenerating:
		return "mode_generating"
	case ModeGeneratingCancelled:
		return "mode_gen_cancelled"
	case ModeSwitched:
		return "mode_switched"
	case TurnDone:
		return "turn_done"
	case TurnFailed:
		return "turn_failed"
	case Cleared:
		return "cleared"
	case TabSelected:
		return "tab_selected"
	case TabFilled:
		return "tab_filled"
	case TabFailed:
		return "tab_failed"
	case Transcript:
		return "transcript"
	case VoiceChosen:
		return "voice_chosen"
	case VisualizationRequested:
		return "vis_requested"
	case VisualizationFailed:
		return "vis_failed"
	}
	return ""
}

// encodeRelayed is ev as the relay carries it.
func encodeRelayed(ev Event) ([]byte, error) {
	kind := relayKind(ev)
	if kind == "" {
		return nil, fmt.Errorf("event %T does not cross replicas", ev)
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("encode %s event: %w", kind, err)
	}
	return json.Marshal(relayed{Kind: kind, Data: data})
}

// decodeRelayed reads an event from another replica; cancel reports a request to stop the turn.
func decodeRelayed(b []byte) (ev Event, cancel bool, err error) {
	var r relayed
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, false, fmt.Errorf("decode relayed event: %w", err)
	}
	if r.Kind == relayCancel {
		return nil, true, nil
	}
	decode, ok := relayKinds[r.Kind]
	if !ok {
		return nil, false, fmt.Errorf("decode relayed event: unknown kind %q", r.Kind)
	}
	if ev, err = decode(r.Data); err != nil {
		return nil, false, fmt.Errorf("decode relayed %s event: %w", r.Kind, err)
	}
	return ev, false, nil
}
