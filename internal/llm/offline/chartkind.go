package offline

import (
	"fmt"

	"presto/internal/llm"
)

// chartWord is one show_chart type and the words people use for it, with weights.
type chartWord struct {
	kind     string
	keywords map[string]int
}

// chartWords are the chart types a question can name. "bar", "line" and "area" are everyday words
// ("the bar", "a line of credit", "what area"), so they count only beside a chart noun; the others
// count alone. The first of equals wins, so "a pie or a bar chart" is a pie.
var chartWords = []chartWord{
	{kind: "pie", keywords: map[string]int{"pie": 3, "donut": 3, "doughnut": 3}},
	{kind: "bar", keywords: map[string]int{
		"bar chart": 3, "bar graph": 3, "bar plot": 3, "as bars": 3, "in bars": 3, "column": 3, "histogram": 3,
	}},
	{kind: "line", keywords: map[string]int{
		"line chart": 3, "line graph": 3, "line plot": 3, "as a line": 3, "trend": 2,
	}},
	{kind: "area", keywords: map[string]int{"area chart": 3, "area graph": 3, "area plot": 3, "as an area": 3}},
}

// askedChart is the chart type the words name, or "" when they name none.
func askedChart(words []string) string {
	kind, top := "", 0
	for _, cw := range chartWords {
		if s := score(cw.keywords, words); s > top {
			kind, top = cw.kind, s
		}
	}
	return kind
}

// drawnAs redraws the reply's charts as the type the user asked for, where that type can show the
// data. Where it cannot, the chart keeps its natural type and the sentence says why; an answer made
// of figures alone says it has no chart. An empty kind leaves the reply as it is.
func (r reply) drawnAs(kind string) reply {
	if kind == "" {
		return r
	}
	calls := make([]call, len(r.calls))
	charts, refusal := 0, ""
	for i, c := range r.calls {
		calls[i] = c
		args, ok := c.args.(llm.ChartArgs)
		if !ok {
			continue
		}
		charts++
		if args.ChartType == kind {
			continue
		}
		if why := cannotDraw(kind, c.overTime, args.Data); why != "" {
			refusal = fmt.Sprintf("%s %s, so here it is as %s %s chart.", capitalize(article(kind)), kind+" chart "+why, article(args.ChartType), args.ChartType)
			continue
		}
		args.ChartType = kind
		calls[i].args = args
	}
	r.calls = calls
	switch {
	case charts == 0:
		r.text += fmt.Sprintf(" This answer is figures rather than a chart, so there is no %s chart to draw.", kind)
	case refusal != "":
		r.text += " " + refusal
	}
	return r
}

// cannotDraw says why a chart of the kind cannot show the data (finishing "A pie chart ..."), or
// "" when it can. Bars, lines and areas draw anything the tool accepts; a pie draws parts of one
// whole: not values over time, not several series, and at least two positive slices with none
// below zero.
func cannotDraw(kind string, overTime bool, data []llm.ChartPoint) string {
	if kind != "pie" {
		return ""
	}
	positive := 0
	for _, p := range data {
		switch {
		case p.Series != "":
			return "cannot show several series"
		case p.Value < 0:
			return "cannot show negative values"
		case p.Value > 0:
			positive++
		}
	}
	switch {
	case overTime:
		return "shows parts of a whole, not values over time"
	case positive < 2:
		return "needs at least two slices above zero"
	}
	return ""
}
