package chat

import (
	"encoding/json"
	"reflect"
	"testing"

	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
)

// TestEveryEventCrossesReplicasIntact: each kind of event comes out of the relay encoding as it
// went in (tool arguments as the same JSON), and Joined, which is per subscriber, never crosses.
func TestEveryEventCrossesReplicasIntact(t *testing.T) {
	bank := modes.Banking()
	chart := ToolResult{Tool: "show_chart", Result: json.RawMessage(`{"chart_type":"line","title":"t","data":[{"label":"a","value":1}]}`)}
	problem := Problem{Kind: ProblemUpstream, Message: "the model is unavailable", Retryable: true}
	events := []Event{
		TurnStarted{Turn: 3, Text: "how much?", Screen: "abc"},
		TextDelta{Turn: 3, Text: "You have"},
		ToolShown{Turn: 3, Result: chart},
		ModeGenerating{Turn: 4, Industry: "bank"},
		ModeGeneratingCancelled{Turn: 4},
		ModeSwitched{Turn: 4, Mode: bank, Persona: persona.New("s", bank)},
		TurnDone{Turn: 4},
		TurnFailed{Turn: 5, Problem: problem},
		Cleared{},
		TabSelected{ModeID: "banking", TabID: "cards"},
		TabFilled{ModeID: "banking", TabID: "cards", Results: []ToolResult{chart}},
		TabFailed{ModeID: "banking", TabID: "cards", Problem: problem},
		Transcript{Role: message.RoleUser, ItemID: "item_1", Text: "how much?", Final: true},
		VoiceChosen{Voice: "cedar"},
		VisualizationRequested{VisType: "chart", Description: "checking balance"},
		VisualizationFailed{Problem: problem},
	}
	for _, ev := range events {
		b, err := encodeRelayed(ev)
		if err != nil {
			t.Fatalf("encode %T: %v", ev, err)
		}
		got, cancel, err := decodeRelayed(b)
		if err != nil || cancel {
			t.Fatalf("decode %T: %v (cancel %v)", ev, err, cancel)
		}
		want, _ := json.Marshal(ev)
		again, _ := json.Marshal(got)
		if reflect.TypeOf(got) != reflect.TypeOf(ev) || string(want) != string(again) {
			t.Errorf("%T came back as %T:\n%s\nwant\n%s", ev, got, again, want)
		}
	}
	if _, err := encodeRelayed(Joined{}); err == nil {
		t.Error("Joined was encoded for the relay")
	}
	if _, cancel, err := decodeRelayed(relayCancelMessage); err != nil || !cancel {
		t.Errorf("cancel request: %v, %v", cancel, err)
	}
	for _, bad := range []string{`{`, `{"k":"launch"}`, `{"k":"text_delta","d":[1]}`} {
		if _, _, err := decodeRelayed([]byte(bad)); err == nil {
			t.Errorf("%s decoded without an error", bad)
		}
	}
}
