package offline

import (
	"strings"
	"testing"

	"presto/internal/llm"
	"presto/internal/modes"
	"presto/internal/persona"
)

// want describes what an answer must show: a chart with exactly these points (label and value), or
// metric cards with these label/value pairs among them, and the sentence must hold the key number.
type want struct {
	chartType string
	chart     []persona.Point
	metrics   map[string]string
	text      string
}

// checkAnswer finds the expected chart and metrics among the calls.
func checkAnswer(t *testing.T, got turn, w want) {
	t.Helper()
	if w.text != "" && !strings.Contains(got.text, w.text) {
		t.Errorf("sentence %q does not contain %q", got.text, w.text)
	}
	var chart *llm.ChartArgs
	var cards []modes.Metric
	for _, c := range got.calls {
		args, err := llm.ValidateToolCall(c)
		if err != nil {
			t.Fatalf("invalid call: %v", err)
		}
		switch a := args.(type) {
		case *llm.ChartArgs:
			chart = a
		case *llm.MetricsArgs:
			cards = append(cards, a.Metrics...)
		}
	}
	if w.chart != nil {
		if chart == nil {
			t.Fatalf("no chart; calls %+v", got.calls)
		}
		if w.chartType != "" && chart.ChartType != w.chartType {
			t.Errorf("chart type %q, want %q", chart.ChartType, w.chartType)
		}
		if len(chart.Data) != len(w.chart) {
			t.Fatalf("chart has %d points, want %d", len(chart.Data), len(w.chart))
		}
		for i, p := range w.chart {
			if chart.Data[i].Label != p.Label || chart.Data[i].Value != p.Value {
				t.Errorf("point %d = %+v, want %+v", i, chart.Data[i], p)
			}
		}
	}
	for label, value := range w.metrics {
		found := false
		for _, m := range cards {
			if m.Label == label {
				found = true
				if m.Value != value {
					t.Errorf("metric %q = %q, want %q", label, m.Value, value)
				}
			}
		}
		if !found {
			t.Errorf("no metric %q among %+v", label, cards)
		}
	}
}

func TestBankingQuestions(t *testing.T) {
	p := bankingPersona()
	b := p.Banking
	tests := []struct {
		q    string
		want want
	}{
		{"How much is left in my checking account?", want{chartType: "line", chart: b.Checking.History, text: "$4,215.37"}},
		{"what's my balance", want{chart: b.Checking.History, text: "$4,215.37"}},
		{"Show my checking history", want{chart: b.Checking.History, text: "$4,215.37"}},
		{"how much do I have in savings?", want{chart: b.Savings.History, text: "$18,250.40"}},
		{"what's my mortgage balance", want{chart: b.Mortgage.Burndown, text: "$241,337.82",
			metrics: map[string]string{"Remaining balance": "241,337.82", "Monthly payment": "1,944.35"}}},
		{"when will my home loan be paid off?", want{chart: b.Mortgage.Burndown}},
		{"What's my credit score?", want{text: "742", metrics: map[string]string{"Credit score": "742"}}},
		{"show my recent transactions", want{text: "-$82.10 at Whole Foods",
			metrics: map[string]string{"Whole Foods (2026-06-12)": "-82.10", "Payroll (2026-06-11)": "3,200.00"}}},
		{"Where did I spend money last month, by category?", want{chartType: "pie", chart: b.SpendingByCategory, text: "$1,251.30"}},
		{"how much do I owe on my credit card", want{text: "$1,234.56",
			metrics: map[string]string{"Card balance": "1,234.56", "Credit limit": "8,000.00", "Available credit": "6,765.44"}}},
		{"give me an overview of my accounts", want{metrics: map[string]string{"Checking": "4,215.37", "Savings": "18,250.40"}}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			checkAnswer(t, ask(t, p, modeFor(t, p), tt.q), tt.want)
		})
	}
}

func TestInsuranceQuestions(t *testing.T) {
	p := insurancePersona()
	in := p.Insurance
	tests := []struct {
		q    string
		want want
	}{
		{"What policies do I have?", want{text: "3 policies", metrics: map[string]string{"Auto coverage": "100,000.00", "Home premium": "98.75"}}},
		{"tell me about my car insurance", want{text: "$100,000.00", metrics: map[string]string{"Deductible": "500.00", "Renews": "2026-09-01"}}},
		{"how much coverage do I have", want{chartType: "bar", chart: pts("Auto", 100000.0, "Home", 450000.0, "Life", 750000.0), text: "$1,300,000.00"}},
		{"what's the status of my claims?", want{chart: pts("Rear bumper repair (paid)", 1840.5, "Hail damage to roof (in review)", 6200.0),
			text: "in review", metrics: map[string]string{"Paid claims": "1", "In review claims": "1"}}},
		{"show my premiums over time", want{chartType: "line", chart: in.PremiumHistory, text: "$272.35"}},
		{"what's my home deductible?", want{chart: pts("Auto", 500.0, "Home", 1500.0, "Life", 0.0), text: "$1,500.00"}},
		{"when does my policy renew?", want{text: "home policy renews on 2026-07-15", metrics: map[string]string{"Auto renewal": "2026-09-01"}}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			checkAnswer(t, ask(t, p, modeFor(t, p), tt.q), tt.want)
		})
	}
}

func TestHealthcareQuestions(t *testing.T) {
	p := healthcarePersona()
	h := p.Healthcare
	tests := []struct {
		q    string
		want want
	}{
		{"How much of my deductible have I used?", want{chart: pts("Used", 1120.45, "Remaining", 879.55), text: "$1,120.45 of your $2,000.00",
			metrics: map[string]string{"Deductible used": "1,120.45", "Deductible limit": "2,000.00"}}},
		{"how close am I to my out-of-pocket max", want{text: "$2,310.00", metrics: map[string]string{"Out-of-pocket limit": "6,500.00"}}},
		{"when is my next appointment?", want{text: "Dr. Patel", metrics: map[string]string{"2026-06-18 14:30": "Dr. Patel"}}},
		{"do I need any refills soon?", want{text: "Atorvastatin on 2026-06-20", chart: pts("Lisinopril", 12.5, "Atorvastatin", 18.25)}},
		{"show my claims by category", want{chartType: "pie", chart: h.ClaimsByCategory, text: "$1,846.25"}},
		{"what plan am I on?", want{text: "Gold PPO", metrics: map[string]string{"Member ID": "CBH-99812"}}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			checkAnswer(t, ask(t, p, modeFor(t, p), tt.q), tt.want)
		})
	}
}

func TestGenericQuestions(t *testing.T) {
	p := genericPersona()
	g := p.Generic
	tests := []struct {
		q    string
		want want
	}{
		{"show my monthly activity", want{chartType: "line", chart: g.Activity, text: "$1,612.40"}},
		{"what's my spending breakdown by category", want{chartType: "pie", chart: g.Breakdown, text: "food ($720.00)"}},
		{"where's my last order?", want{chart: pts("Salmon kibble, 30 lb (2026-06-09)", 64.99, "Chew toy bundle (2026-05-28)", 24.5), text: "$64.99"}},
		{"how many loyalty points do I have", want{text: "4,820", metrics: map[string]string{"Loyalty points": "4,820", "Tier": "Gold"}}},
		{"show me my stuff", want{chart: g.Activity}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			checkAnswer(t, ask(t, p, modeFor(t, p), tt.q), tt.want)
		})
	}
}

// TestPlainAnswers covers what gets a sentence and no tool: the home mode, small talk, and questions
// the offline assistant cannot answer.
func TestPlainAnswers(t *testing.T) {
	tests := []struct {
		name string
		p    *persona.Persona
		home bool
		q    string
		text string
	}{
		{"home invites the command", nil, true, "what's my balance?", "Presto-Change-O"},
		{"home with a persona", bankingPersona(), true, "show my savings", "Presto-Change-O"},
		{"unknown banking question", bankingPersona(), false, "what's the weather in Paris?", "offline"},
		{"greeting", insurancePersona(), false, "hello", "Hello!"},
		{"thanks", healthcarePersona(), false, "thanks a lot", "welcome"},
		{"no persona", nil, false, "how much is in checking?", "offline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &modes.Mode{ID: "banking"}
			if tt.home {
				m = &modes.Mode{ID: modes.HomeID}
			}
			got := ask(t, tt.p, m, tt.q)
			if len(got.calls) != 0 {
				t.Errorf("calls %+v, want none", got.calls)
			}
			if !strings.Contains(got.text, tt.text) {
				t.Errorf("text %q does not contain %q", got.text, tt.text)
			}
		})
	}
}

// TestKeywordsDoNotOverlap guards the scoring tables: a keyword that another keyword of the same
// intent also matches ("spend" and "spending") would count twice and skew the choice.
func TestKeywordsDoNotOverlap(t *testing.T) {
	tables := map[string][]intent{"banking": bankingIntents, "insurance": insuranceIntents,
		"healthcare": healthcareIntents, "generic": genericIntents}
	for name, table := range tables {
		for _, in := range table {
			for a := range in.keywords {
				for b := range in.keywords {
					if a != b && len(strings.Fields(a)) == 1 && len(strings.Fields(b)) == 1 && matchWord(b, a) {
						t.Errorf("%s/%s: %q also matches %q", name, in.name, a, b)
					}
				}
			}
		}
	}
}
