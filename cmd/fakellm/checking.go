package main

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"presto/internal/llm"
	"presto/internal/llm/llmtest"
)

// labelled matches "Jun: 4,250.18" or "2026-06=$4,250.18".
var labelled = regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9-]*)\s*[:=]\s*\$?(-?[\d,]+\.\d+)`)

// monthEnd matches the persona's "month-end balances: Jan 4218.37, Feb 4301.02" series.
var monthEnd = regexp.MustCompile(`([A-Z][a-z]{2}) (-?\d+\.\d+)`)

// amount matches a money amount with a decimal part ("4,250.18", "$980.00").
var amount = regexp.MustCompile(`-?\$?[\d,]*\d\.\d+`)

// fixedHistory is the checking history used when the system prompt has no checking figures.
func fixedHistory() ([]string, []float64) {
	return []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun"}, []float64{3820.4, 4105.12, 3990.75, 4310.2, 4188.6, 4250.18}
}

// checkingChart answers "how much is in my checking account" with a sentence and a line chart. The
// figures come from the persona's checking month-end balances when the system prompt has them
// (as the server writes it), else from the lines that mention "checking": labelled amounts
// ("Jun: 4,250.18") when there are at least two, else any amounts with a decimal part (labelled
// "1", "2", ...), else, with one amount, the fixed history rescaled to end at it; with none, the
// fixed history. The sentence states the last value.
func checkingChart(system string) llmtest.Reply {
	labels, values := checkingFigures(system)
	last := values[len(values)-1]
	args := chartJSON("line", "Checking balance", labels, values)
	return llmtest.ToolCalls(fmt.Sprintf("Your checking balance is $%.2f.", last),
		llmtest.Call{ID: "call_chart", Name: llm.ToolShowChart, Arguments: args, Parts: 4})
}

func checkingFigures(system string) ([]string, []float64) {
	var labels []string
	var values, amounts []float64
	for line := range strings.SplitSeq(system, "\n") {
		// The server's persona description: "Checking account …: balance …; month-end balances: …".
		if _, history, ok := strings.Cut(line, "month-end balances:"); ok && strings.HasPrefix(line, "Checking account") {
			for _, m := range monthEnd.FindAllStringSubmatch(history, -1) {
				if v, ok := parseAmount(m[2]); ok {
					labels, values = append(labels, m[1]), append(values, v)
				}
			}
			if len(values) >= 2 {
				return labels, values
			}
			labels, values = nil, nil
		}
		if !strings.Contains(strings.ToLower(line), "checking") {
			continue
		}
		for _, m := range labelled.FindAllStringSubmatch(line, -1) {
			if v, ok := parseAmount(m[2]); ok {
				labels, values = append(labels, m[1]), append(values, v)
			}
		}
		for _, m := range amount.FindAllString(line, -1) {
			if v, ok := parseAmount(m); ok {
				amounts = append(amounts, v)
			}
		}
	}
	switch {
	case len(values) >= 2:
		return labels, values
	case len(amounts) >= 2:
		labels = make([]string, len(amounts))
		for i := range amounts {
			labels[i] = strconv.Itoa(i + 1)
		}
		return labels, amounts
	}
	fixedLabels, fixedValues := fixedHistory()
	if len(amounts) == 1 {
		for i, v := range fixedValues {
			fixedValues[i] = roundCents(v / 4250.18 * amounts[0])
		}
	}
	return fixedLabels, fixedValues
}

func parseAmount(s string) (float64, bool) {
	s = strings.NewReplacer("$", "", ",", "").Replace(s)
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

func roundCents(v float64) float64 {
	return math.Round(v*100) / 100
}
