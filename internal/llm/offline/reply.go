package offline

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/modes"
)

// wordsPerDelta is how many words each text delta carries, so the UI sees a stream like a model's.
const wordsPerDelta = 3

// reply is one answer before it is streamed: a sentence and the tool calls that go with it.
type reply struct {
	text  string
	calls []call
}

// call is one tool call; args marshals to the tool's argument JSON. overTime marks a chart of
// values over time, which a pie cannot show however the user asks (see drawnAs).
type call struct {
	name     string
	args     any
	overTime bool
}

// say is a reply with no tool call.
func say(text string) reply {
	return reply{text: text}
}

// maxChartPoints is show_chart's limit (PRODUCT.md 5.6).
const maxChartPoints = 200

// chart adds a show_chart call of categories or items (parts of a whole, one bar per thing); a
// chart with no data is left out rather than sent broken.
func (r reply) chart(kind, title string, data []llm.ChartPoint) reply {
	return r.addChart(kind, title, data, false)
}

// timeline adds a show_chart call of values over time (a balance by month, a payoff by year).
func (r reply) timeline(kind, title string, data []llm.ChartPoint) reply {
	return r.addChart(kind, title, data, true)
}

func (r reply) addChart(kind, title string, data []llm.ChartPoint, overTime bool) reply {
	if len(data) == 0 {
		return r
	}
	data = data[:min(len(data), maxChartPoints)]
	args := llm.ChartArgs{ChartType: kind, Title: title, Data: data}
	r.calls = append(r.calls, call{name: llm.ToolShowChart, args: args, overTime: overTime})
	return r
}

// metrics adds a show_metrics call.
func (r reply) metrics(m ...metricCard) reply {
	args := llm.MetricsArgs{}
	for _, c := range m {
		args.Metrics = append(args.Metrics, c.metric())
	}
	r.calls = append(r.calls, call{name: llm.ToolShowMetrics, args: args})
	return r
}

// stream emits the sentence in word groups, then each call whose tool is offered, then Done.
func (r reply) stream(ctx context.Context, tools map[string]bool, emit func(llm.Event) error) error {
	send := func(ev llm.Event) error {
		if err := ctx.Err(); err != nil {
			return llm.AsError(err)
		}
		return emit(ev)
	}
	for _, delta := range deltas(r.text, wordsPerDelta) {
		if err := send(llm.Event{Text: delta}); err != nil {
			return err
		}
	}
	n := 0
	for _, c := range r.calls {
		if !tools[c.name] {
			continue
		}
		args, err := json.Marshal(c.args)
		if err != nil {
			return &llm.Error{Kind: llm.KindBadRequest, Message: "encode tool arguments", Err: fmt.Errorf("%s: %w", c.name, err)}
		}
		n++
		tc := &message.ToolCall{ID: fmt.Sprintf("call_offline_%d", n), Name: c.name, Arguments: string(args)}
		if err := send(llm.Event{ToolCall: tc}); err != nil {
			return err
		}
	}
	reason := "stop"
	if n > 0 {
		reason = "tool_calls"
	}
	return send(llm.Event{Done: &llm.Done{FinishReason: reason}})
}

// deltas cuts text into pieces of n words; joined, they give back text exactly.
func deltas(text string, n int) []string {
	var out []string
	words := 0
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] != ' ' || i == 0 || text[i-1] == ' ' {
			continue
		}
		words++
		if words == n {
			out = append(out, text[start:i])
			start = i
			words = 0
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// metricCard is one show_metrics card before it becomes an llm metric.
type metricCard struct {
	label, value, unit string
}

func (c metricCard) metric() modes.Metric {
	return modes.Metric{Label: c.label, Value: c.value, Unit: c.unit}
}

// usd is a metric card for an amount in dollars, shown as the show_metrics tool asks ("4,215.37",
// unit "USD").
func usd(label string, v float64) metricCard {
	return metricCard{label: label, value: amount(v), unit: "USD"}
}

// plain is a metric card with a display value and unit as given.
func plain(label, value, unit string) metricCard {
	return metricCard{label: label, value: value, unit: unit}
}

// sentenceList joins items as "a, b and c".
func sentenceList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
