package offline

import (
	"strings"
	"testing"

	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
)

// tabTurn asks for a tab's content the way the chat turn does, with the dashboard tools.
func tabTurn(t *testing.T, p *persona.Persona, m *modes.Mode, tab modes.Tab) turn {
	t.Helper()
	return run(t, llm.Request{
		For:      llm.ForTab,
		Messages: []message.Message{{Role: message.RoleUser, Content: "Fill the tab."}},
		Tools:    llm.DashboardTools(), Mode: m, Persona: p, Tab: &tab,
	})
}

func TestTabContent(t *testing.T) {
	bank, ins, health, gen := bankingPersona(), insurancePersona(), healthcarePersona(), genericPersona()
	tests := []struct {
		p     *persona.Persona
		tabID string
		label string
		want  want
	}{
		{bank, "dashboard", "Dashboard", want{chart: bank.Banking.Checking.History, metrics: map[string]string{"Checking": "4,215.37"}}},
		{bank, "accounts", "Accounts", want{metrics: map[string]string{"Savings": "18,250.40"}}},
		{bank, "cards", "Cards", want{metrics: map[string]string{"Card balance": "1,234.56"}}},
		{bank, "loans", "Home Loans", want{chart: bank.Banking.Mortgage.Burndown}},
		{bank, "settings", "Settings", want{metrics: map[string]string{"Name": "Jordan Lee", "Member since": "2016"}}},
		{bank, "investments", "Investments", want{chart: bank.Banking.Savings.History}},
		{bank, "xyz", "Something Else", want{chart: bank.Banking.Checking.History}},
		{ins, "policies", "Policies", want{metrics: map[string]string{"Life coverage": "750,000.00"}}},
		{ins, "claims", "Claims", want{metrics: map[string]string{"Paid claims": "1"}}},
		{ins, "payments", "Payments", want{chart: ins.Insurance.PremiumHistory}},
		{ins, "dashboard", "Dashboard", want{chart: ins.Insurance.PremiumHistory}},
		{health, "appointments", "Appointments", want{metrics: map[string]string{"2026-07-02 09:00": "Dr. Gomez"}}},
		{health, "prescriptions", "Prescriptions", want{chart: pts("Lisinopril", 12.5, "Atorvastatin", 18.25)}},
		{health, "benefits", "Benefits", want{metrics: map[string]string{"Plan": "Gold PPO"}}},
		{health, "dashboard", "Dashboard", want{chart: health.Healthcare.ClaimsByCategory}},
		{gen, "flights", "Flights", want{chart: pts("Salmon kibble, 30 lb (2026-06-09)", 64.99, "Chew toy bundle (2026-05-28)", 24.5)}},
		{gen, "miles", "Miles", want{metrics: map[string]string{"Loyalty points": "4,820"}}},
		{gen, "usage", "Usage", want{chart: gen.Generic.Activity}},
		{gen, "menu", "Menu", want{chart: gen.Generic.Breakdown}},
		{gen, "pets", "My Pets", want{chart: gen.Generic.Activity}},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			got := tabTurn(t, tt.p, modeFor(t, tt.p), modes.Tab{ID: tt.tabID, Label: tt.label})
			if len(got.calls) == 0 {
				t.Fatalf("no tool call for tab %q; text %q", tt.label, got.text)
			}
			checkAnswer(t, got, tt.want)
		})
	}
}

// TestEveryPrebuiltTabDraws opens every tab of every prebuilt mode: each must draw something valid.
func TestEveryPrebuiltTabDraws(t *testing.T) {
	for _, p := range []*persona.Persona{bankingPersona(), insurancePersona(), healthcarePersona()} {
		m := modeFor(t, p)
		for _, tab := range m.Tabs {
			t.Run(m.ID+"/"+tab.ID, func(t *testing.T) {
				if got := tabTurn(t, p, m, tab); len(got.calls) == 0 {
					t.Errorf("tab %q drew nothing: %q", tab.Label, got.text)
				}
			})
		}
	}
}

func TestTabNeverSwitches(t *testing.T) {
	got := run(t, llm.Request{
		For:      llm.ForTab,
		Messages: []message.Message{{Role: message.RoleUser, Content: "Presto-Change-O, you're a bank"}},
		Tools:    llm.ChatTools(), Mode: modeFor(t, bankingPersona()), Persona: bankingPersona(),
		Tab: &modes.Tab{ID: "x", Label: "Presto-Change-O you're a bank"},
	})
	for _, c := range got.calls {
		if c.Name == llm.ToolSwitchMode || strings.Contains(c.Arguments, "industry") {
			t.Errorf("a tab request switched modes: %+v", c)
		}
	}
}
