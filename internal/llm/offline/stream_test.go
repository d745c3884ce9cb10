package offline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"presto/internal/llm"
	"presto/internal/message"
)

func TestStreamDeltasRebuildTheSentence(t *testing.T) {
	p := bankingPersona()
	got := ask(t, p, modeFor(t, p), "How much is left in my checking account?")
	if len(got.deltas) < 2 {
		t.Fatalf("deltas %q: want the sentence in several pieces", got.deltas)
	}
	if got.text != "Your checking balance is $4,215.37." {
		t.Errorf("text %q", got.text)
	}
}

func TestDeltas(t *testing.T) {
	tests := []struct {
		text string
		n    int
		want []string
	}{
		{"one two three four five", 2, []string{"one two", " three four", " five"}},
		{"one", 3, []string{"one"}},
		{"", 3, nil},
		{"a  b c d", 2, []string{"a  b", " c d"}},
	}
	for _, tt := range tests {
		got := deltas(tt.text, tt.n)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("deltas(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
		}
	}
}

func TestStreamStopsWhenCancelled(t *testing.T) {
	p := bankingPersona()
	req := llm.Request{
		Messages: []message.Message{{Role: message.RoleUser, Content: "give me an overview of my accounts"}},
		Tools:    llm.ChatTools(), Mode: modeFor(t, p), Persona: p,
	}
	t.Run("before the first event", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		events := 0
		err := New().Stream(ctx, req, func(llm.Event) error { events++; return nil })
		if llm.AsError(err).Kind != llm.KindCanceled || events != 0 {
			t.Fatalf("err %v after %d events, want canceled after none", err, events)
		}
	})
	t.Run("mid-stream", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		events := 0
		err := New().Stream(ctx, req, func(ev llm.Event) error {
			events++
			if ev.Done != nil || ev.ToolCall != nil {
				t.Errorf("event %+v after cancel", ev)
			}
			cancel() // the caller gives up after the first delta
			return nil
		})
		if !errors.Is(err, context.Canceled) || events != 1 {
			t.Fatalf("err %v after %d events, want context.Canceled after 1", err, events)
		}
	})
	t.Run("emit error", func(t *testing.T) {
		stop := errors.New("socket closed")
		events := 0
		err := New().Stream(context.Background(), req, func(llm.Event) error { events++; return stop })
		if !errors.Is(err, stop) || events != 1 {
			t.Fatalf("err %v after %d events, want the emit error after 1", err, events)
		}
	})
}

func TestOnlyOfferedToolsAreCalled(t *testing.T) {
	p := bankingPersona()
	for _, tools := range [][]llm.Tool{nil, {{Name: llm.ToolShowMetrics}}} {
		got := run(t, llm.Request{
			Messages: []message.Message{{Role: message.RoleUser, Content: "what's my mortgage balance"}},
			Tools:    tools, Mode: modeFor(t, p), Persona: p,
		})
		if !strings.Contains(got.text, "$241,337.82") {
			t.Errorf("text %q lost the key number", got.text)
		}
		for _, c := range got.calls {
			if c.Name != llm.ToolShowMetrics {
				t.Errorf("called %s, offered %v", c.Name, tools)
			}
		}
	}
}

func TestAnswerAfterToolResults(t *testing.T) {
	user := message.Message{Role: message.RoleUser, Content: "how much is in checking"}
	asst := message.Message{Role: message.RoleAssistant, Content: "Your checking balance is $4,215.37.",
		ToolCalls: []message.ToolCall{{ID: "call_offline_1", Name: llm.ToolShowChart, Arguments: "{}"}}}
	sw := message.Message{Role: message.RoleAssistant, Content: "Becoming a bank.",
		ToolCalls: []message.ToolCall{{ID: "call_offline_1", Name: llm.ToolSwitchMode, Arguments: `{"industry":"bank"}`}}}
	tests := []struct {
		name   string
		msgs   []message.Message
		text   string
		noText string
	}{
		{"json error", []message.Message{user, asst, {Role: message.RoleTool, ToolCallID: "call_offline_1", Content: `{"error":"show_chart: data[3].value must be a number"}`}},
			"data[3].value must be a number.", "Done"},
		{"plain error", []message.Message{user, asst, {Role: message.RoleTool, ToolCallID: "call_offline_1", Content: "error: show_chart: title is empty"}},
			"offline: show_chart: title is empty.", "Done"},
		{"ok false", []message.Message{user, asst, {Role: message.RoleTool, ToolCallID: "call_offline_1", Content: `{"ok":false}`}},
			"couldn't", "Done"},
		{"success", []message.Message{user, asst, {Role: message.RoleTool, ToolCallID: "call_offline_1", Content: "shown on the dashboard"}},
			"on the dashboard", "couldn't"},
		{"switch success", []message.Message{user, sw, {Role: message.RoleTool, ToolCallID: "call_offline_1", Content: "switching mode"}},
			"new mode", "couldn't"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := bankingPersona()
			got := run(t, llm.Request{Messages: tt.msgs, Tools: llm.ChatTools(), Mode: modeFor(t, p), Persona: p})
			if len(got.calls) != 0 {
				t.Errorf("calls %+v after tool results, want none", got.calls)
			}
			if !strings.Contains(got.text, tt.text) || strings.Contains(got.text, tt.noText) {
				t.Errorf("text %q: want %q, not %q", got.text, tt.text, tt.noText)
			}
		})
	}
}

func TestNameAndInterface(t *testing.T) {
	var p llm.Provider = New()
	if p.Name() != "offline" {
		t.Errorf("Name() = %q", p.Name())
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{4215.37, "$4,215.37"}, {-82.1, "-$82.10"}, {0, "$0.00"}, {999.999, "$1,000.00"},
		{1234567.5, "$1,234,567.50"}, {12, "$12.00"}, {100000, "$100,000.00"},
	}
	for _, tt := range tests {
		if got := money(tt.v); got != tt.want {
			t.Errorf("money(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
	if got := count(48210); got != "48,210" {
		t.Errorf("count(48210) = %q", got)
	}
	for n, want := range map[int]string{0: "0 policies", 1: "1 policy", 3: "3 policies"} {
		if got := plural(n, "policy"); got != want {
			t.Errorf("plural(%d, policy) = %q, want %q", n, got, want)
		}
	}
}

func TestSwitchSentence(t *testing.T) {
	tests := []struct {
		c    command
		want string
	}{
		{command{kind: switchTo, industry: "bank"}, "Presto-Change-O! Becoming a bank."},
		{command{kind: switchTo, industry: "airline"}, "Presto-Change-O! Becoming an airline."},
		{command{kind: switchTo, industry: "university"}, "Presto-Change-O! Becoming a university."},
		{command{kind: switchTo, industry: "Wells Fargo"}, "Presto-Change-O! Becoming Wells Fargo."},
		{command{kind: switchTo, industry: "pet store", company: "Paws & Claws"}, "Presto-Change-O! Becoming a pet store called Paws & Claws."},
		{command{kind: switchTo, industry: "presto"}, "Presto-Change-O! Back to the start."},
	}
	for _, tt := range tests {
		if got := switchSentence(tt.c); got != tt.want {
			t.Errorf("switchSentence(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}
