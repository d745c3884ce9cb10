package offline

import (
	"encoding/json"
	"testing"

	"presto/internal/llm"
	"presto/internal/message"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		msg      string
		kind     switchKind
		industry string
		company  string
	}{
		{"Presto-Change-O, you're a bank", switchTo, "bank", ""},
		{"presto change-o you are an insurance company", switchTo, "insurance company", ""},
		{"Presto! Be a hospital", switchTo, "hospital", ""},
		{"presto chango, transform into an airline", switchTo, "airline", ""},
		{"Presto-Change-O: you're Wells Fargo", switchTo, "Wells Fargo", ""},
		{"Presto-Change-O, you're a pet store called Paws and Claws", switchTo, "pet store", "Paws and Claws"},
		{"presto, you’re a pet store called “Paws & Claws”!", switchTo, "pet store", "Paws & Claws"},
		{"Presto change o, make this a coffee shop named Bean There.", switchTo, "coffee shop", "Bean There"},
		{"presto become Acme Rockets", switchTo, "Acme Rockets", ""},
		{"PRESTOCHANGEO turn into a dentist's office", switchTo, "dentist's office", ""},
		{"presto changeo — you're now a bakery please", switchTo, "bakery", ""},
		{"Presto‑Change‑O you're an airline and show me my miles", switchTo, "airline", ""},
		{"ok presto change o your a hotel", switchTo, "hotel", ""},
		{"Be a hospital, presto!", switchTo, "hospital", ""},
		{"switch back to Presto", switchTo, "presto", ""},
		{"Presto-Change-O, switch to banking mode", switchTo, "banking", ""},
		{"Presto-Change-O!", askTarget, "", ""},
		{"presto", askTarget, "", ""},
		{"Presto change-o, you're a", askTarget, "", ""},
		// Without "presto": explicit verbs switch, statements and navigation do not.
		{"switch to insurance", switchTo, "insurance", ""},
		{"you're now a bank", switchTo, "bank", ""},
		{"Now you are an airline", switchTo, "airline", ""},
		{"please switch to healthcare now", switchTo, "healthcare", ""},
		{"Okay, become an airline", switchTo, "airline", ""},
		{"be a coffee shop", switchTo, "coffee shop", ""},
		{"you're a pet store called Paws and Claws", switchTo, "pet store", "Paws and Claws"},
		{"make this a coffee shop named Bean There", switchTo, "coffee shop", "Bean There"},
		{"you're a bank", noSwitch, "", ""},
		{"make this bigger", noSwitch, "", ""},
		{"make it a hotel", switchTo, "hotel", ""},
		{"you're wrong", noSwitch, "", ""},
		{"be careful", noSwitch, "", ""},
		{"switch to my savings account", noSwitch, "", ""},
		{"switch to the claims tab", noSwitch, "", ""},
		{"switch to dark mode", noSwitch, "", ""},
		{"how much is left in my checking account?", noSwitch, "", ""},
		{"presto, what's my balance?", noSwitch, "", ""},
		{"what does the presto command do?", noSwitch, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			got := parseCommand(tt.msg)
			want := command{kind: tt.kind, industry: tt.industry, company: tt.company}
			if got != want {
				t.Errorf("parseCommand(%q) = %+v, want %+v", tt.msg, got, want)
			}
		})
	}
}

// TestSwitchModeCalls checks the stream of a presto command: one switch_mode call whose arguments
// carry the industry, and the company only when the user named one.
func TestSwitchModeCalls(t *testing.T) {
	tests := []struct {
		msg  string
		want *llm.SwitchModeArgs
	}{
		{"Presto-Change-O, you're a bank", &llm.SwitchModeArgs{Industry: "bank"}},
		{"you're a pet store called Paws and Claws", &llm.SwitchModeArgs{Industry: "pet store", CompanyName: "Paws and Claws"}},
		{"Presto-Change-O: you're Wells Fargo", &llm.SwitchModeArgs{Industry: "Wells Fargo"}},
		{"Presto-Change-O", nil},
		{"hello there", nil},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			for _, p := range []struct {
				name string
				turn turn
			}{
				{"home", ask(t, nil, nil, tt.msg)},
				{"banking", ask(t, bankingPersona(), modeFor(t, bankingPersona()), tt.msg)},
			} {
				got := p.turn
				if tt.want == nil {
					for _, c := range got.calls {
						if c.Name == llm.ToolSwitchMode {
							t.Errorf("%s: unexpected switch_mode %s", p.name, c.Arguments)
						}
					}
					continue
				}
				if len(got.calls) != 1 || got.calls[0].Name != llm.ToolSwitchMode {
					t.Fatalf("%s: calls = %+v, want one switch_mode", p.name, got.calls)
				}
				raw := map[string]any{}
				if err := json.Unmarshal([]byte(got.calls[0].Arguments), &raw); err != nil {
					t.Fatal(err)
				}
				if _, has := raw["company_name"]; has != (tt.want.CompanyName != "") {
					t.Errorf("%s: company_name present = %v in %s", p.name, has, got.calls[0].Arguments)
				}
				args, err := llm.ValidateToolCall(got.calls[0])
				if err != nil {
					t.Fatal(err)
				}
				if *args.(*llm.SwitchModeArgs) != *tt.want {
					t.Errorf("%s: args = %+v, want %+v", p.name, args, tt.want)
				}
				if got.text == "" {
					t.Errorf("%s: no sentence with the switch", p.name)
				}
			}
		})
	}
}

func TestSwitchNeedsTheTool(t *testing.T) {
	got := run(t, llm.Request{
		Messages: []message.Message{{Role: message.RoleUser, Content: "Presto-Change-O, you're a bank"}},
		Tools:    llm.DashboardTools(),
	})
	if len(got.calls) != 0 {
		t.Errorf("calls = %+v with switch_mode not offered", got.calls)
	}
}
