package offline

import (
	"fmt"
	"strings"
	"testing"

	"presto/internal/llm"
	"presto/internal/modes"
	"presto/internal/persona"
)

// overTimeRefusal and tooFewSlices are the sentences that explain a pie the data cannot fill.
const (
	overTimeRefusal = "A pie chart shows parts of a whole, not values over time, so here it is as a line chart."
	tooFewSlices    = "A pie chart needs at least two slices above zero, so here it is as a bar chart."
)

// chartCase is one phrasing in one mode: the chart type it must get and the persona's own data
// the chart must carry, and a fragment the sentence must hold.
type chartCase struct {
	kind     string // persona kind: banking, insurance, healthcare or generic
	q        string
	wantType string
	data     func(p *persona.Persona) []persona.Point
	text     string
	// fixture replaces the seeded personas with one made for the case (a pie with one slice).
	fixture func() *persona.Persona
}

func genActivityData(p *persona.Persona) []persona.Point  { return p.Generic.Activity }
func genBreakdownData(p *persona.Persona) []persona.Point { return p.Generic.Breakdown }
func bankSpendingData(p *persona.Persona) []persona.Point { return p.Banking.SpendingByCategory }
func healthClaimsData(p *persona.Persona) []persona.Point { return p.Healthcare.ClaimsByCategory }

func premiumsByPolicy(p *persona.Persona) []persona.Point {
	return policyPoints(p, func(pol persona.Policy) float64 { return pol.MonthlyPremium })
}

func deductiblesByPolicy(p *persona.Persona) []persona.Point {
	return policyPoints(p, func(pol persona.Policy) float64 { return pol.Deductible })
}

// policyPoints is one point per policy, labelled with its type the way the dashboard shows it.
func policyPoints(p *persona.Persona, value func(persona.Policy) float64) []persona.Point {
	out := make([]persona.Point, len(p.Insurance.Policies))
	for i, pol := range p.Insurance.Policies {
		out[i] = persona.Point{Label: capitalize(pol.Type), Value: value(pol)}
	}
	return out
}

// oneDeductible is the insurance fixture with a deductible on the home policy only, so a pie of
// deductibles would have one slice.
func oneDeductible() *persona.Persona {
	p := insurancePersona()
	for i := range p.Insurance.Policies {
		if p.Insurance.Policies[i].Type != "home" {
			p.Insurance.Policies[i].Deductible = 0
		}
	}
	return p
}

var chartCases = []chartCase{
	// Generated modes: the reported question, and the breakdown preferred over the monthly series.
	{kind: "generic", q: "show me a pie chart of my spending by category", wantType: "pie", data: genBreakdownData},
	{kind: "generic", q: "Show me a pie chart of my spending", wantType: "pie", data: genBreakdownData},
	{kind: "generic", q: "how much did I spend by category?", wantType: "pie", data: genBreakdownData},
	{kind: "generic", q: "where does my money go?", wantType: "pie", data: genBreakdownData},
	{kind: "generic", q: "what share of my spending goes to each thing", wantType: "pie", data: genBreakdownData},
	{kind: "generic", q: "donut chart of my stuff please", wantType: "pie", data: genBreakdownData},
	{kind: "generic", q: "split my monthly spending as a bar chart", wantType: "bar", data: genBreakdownData},
	{kind: "generic", q: "show my monthly activity as a bar graph", wantType: "bar", data: genActivityData},
	{kind: "generic", q: "show me an area chart of my activity", wantType: "area", data: genActivityData},
	{kind: "generic", q: "what's my spending trend", wantType: "line", data: genActivityData},
	{kind: "generic", q: "show my data as a column chart", wantType: "bar", data: genActivityData},
	{kind: "generic", q: "show me a pie chart of my monthly activity", wantType: "line", data: genActivityData, text: overTimeRefusal},
	// Banking.
	{kind: "banking", q: "Show me a pie chart of my spending", wantType: "pie", data: bankSpendingData},
	{kind: "banking", q: "break down my expenses as a bar chart", wantType: "bar", data: bankSpendingData},
	{kind: "banking", q: "where does my money go", wantType: "pie", data: bankSpendingData},
	{kind: "banking", q: "show my checking balance as a bar chart", wantType: "bar",
		data: func(p *persona.Persona) []persona.Point { return p.Banking.Checking.History }},
	{kind: "banking", q: "show my checking balance as a pie chart", wantType: "line", text: overTimeRefusal,
		data: func(p *persona.Persona) []persona.Point { return p.Banking.Checking.History }},
	{kind: "banking", q: "pie chart of my savings", wantType: "area",
		text: "A pie chart shows parts of a whole, not values over time, so here it is as an area chart.",
		data: func(p *persona.Persona) []persona.Point { return p.Banking.Savings.History }},
	// Healthcare.
	{kind: "healthcare", q: "breakdown of my medical spending", wantType: "pie", data: healthClaimsData},
	{kind: "healthcare", q: "show my claims by category as a bar chart", wantType: "bar", data: healthClaimsData},
	{kind: "healthcare", q: "where does my money go?", wantType: "pie", data: healthClaimsData},
	{kind: "healthcare", q: "show my deductible as a bar graph", wantType: "bar", data: func(p *persona.Persona) []persona.Point {
		d := p.Healthcare.Deductible
		return []persona.Point{{Label: "Used", Value: d.Used}, {Label: "Remaining", Value: max(d.Limit-d.Used, 0)}}
	}},
	// Insurance: premiums by policy type are its breakdown.
	{kind: "insurance", q: "show my premium breakdown", wantType: "pie", data: premiumsByPolicy},
	{kind: "insurance", q: "what do I pay per policy?", wantType: "pie", data: premiumsByPolicy},
	{kind: "insurance", q: "split my premiums as a bar chart", wantType: "bar", data: premiumsByPolicy},
	{kind: "insurance", q: "where does my money go", wantType: "pie", data: premiumsByPolicy},
	{kind: "insurance", q: "show my premiums over time", wantType: "line",
		data: func(p *persona.Persona) []persona.Point { return p.Insurance.PremiumHistory }},
	{kind: "insurance", q: "show my deductibles as a pie chart", wantType: "pie", data: deductiblesByPolicy},
	{kind: "insurance", q: "show my deductibles as a pie chart", wantType: "bar", data: deductiblesByPolicy,
		text: tooFewSlices, fixture: oneDeductible},
}

// TestAskedChartType asks each phrasing of chartCases of the hand-written persona of its mode and
// of seeded ones, and checks the chart's type, that its points are the persona's own, and the
// sentence.
func TestAskedChartType(t *testing.T) {
	fixtures := map[string]func() *persona.Persona{
		"banking": bankingPersona, "insurance": insurancePersona, "healthcare": healthcarePersona, "generic": genericPersona,
	}
	for _, tc := range chartCases {
		people := []*persona.Persona{fixtures[tc.kind]()}
		switch {
		case tc.fixture != nil:
			people = []*persona.Persona{tc.fixture()}
		default:
			people = append(people, seeded(t, tc.kind, 5)...)
		}
		for i, p := range people {
			t.Run(fmt.Sprintf("%s/%s/%d", tc.kind, tc.q, i), func(t *testing.T) {
				got := ask(t, p, modeFor(t, p), tc.q)
				checkAnswer(t, got, want{chartType: tc.wantType, chart: tc.data(p), text: tc.text})
				if tc.text == "" && strings.Contains(got.text, "pie chart") {
					t.Errorf("sentence %q explains a chart type it did not refuse", got.text)
				}
			})
		}
	}
}

// seeded is n generated personas of the kind, as sessions get them.
func seeded(t *testing.T, kind string, n int) []*persona.Persona {
	t.Helper()
	m := modes.Mode{ID: "pet-store", Name: "Pet Store", Persona: "generic"}
	if kind != "generic" {
		m = mustPrebuilt(t, kind)
	}
	out := make([]*persona.Persona, n)
	for i := range out {
		p := persona.New(fmt.Sprintf("chart-session-%d", i), m)
		out[i] = &p
	}
	return out
}

// TestAskedChartWithoutChart checks that an answer made of figures says there is no chart to draw
// rather than drawing one.
func TestAskedChartWithoutChart(t *testing.T) {
	p := bankingPersona()
	got := ask(t, p, modeFor(t, p), "show my credit score as a pie chart")
	for _, c := range got.calls {
		if c.Name == llm.ToolShowChart {
			t.Errorf("drew a chart: %s", c.Arguments)
		}
	}
	checkAnswer(t, got, want{metrics: map[string]string{"Credit score": "742"}, text: "no pie chart to draw"})
}

func TestAskedChartWords(t *testing.T) {
	tests := map[string]string{
		"show me a pie chart":                 "pie",
		"a doughnut of my costs":              "pie",
		"as bars please":                      "bar",
		"show it in a column chart":           "bar",
		"draw a line graph":                   "line",
		"what's the trend":                    "line",
		"an area chart of it":                 "area",
		"a pie or a bar chart":                "pie",
		"what's my line of credit":            "",
		"how much did I spend at the bar":     "",
		"what area does my home policy cover": "",
		"show my balance":                     "",
	}
	for q, want := range tests {
		if got := askedChart(tokens(q)); got != want {
			t.Errorf("askedChart(%q) = %q, want %q", q, got, want)
		}
	}
}

// TestBreakdownCuesDoNotOverlap guards the cue table the way TestKeywordsDoNotOverlap guards the
// intents: a cue another cue also matches would count twice.
func TestBreakdownCuesDoNotOverlap(t *testing.T) {
	for a := range breakdownCues {
		for b := range breakdownCues {
			if a != b && len(strings.Fields(a)) == 1 && len(strings.Fields(b)) == 1 && matchWord(b, a) {
				t.Errorf("cue %q also matches %q", a, b)
			}
		}
	}
}
