package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

func validateChart(fields map[string]json.RawMessage) (*ChartArgs, error) {
	chartType, err := stringField(fields, "chart_type")
	if err != nil {
		return nil, err
	}
	chartType = strings.ToLower(chartType)
	switch chartType {
	case "line", "bar", "pie", "area":
	case "":
		return nil, errors.New("chart_type is required: use line, bar, pie or area")
	default:
		return nil, fmt.Errorf("chart_type %q is not supported: use line, bar, pie or area", chartType)
	}
	title, err := requiredString(fields, "title", maxTitleLen)
	if err != nil {
		return nil, err
	}
	items, err := arrayField(fields, "data", maxChartPoints)
	if err != nil {
		return nil, err
	}
	args := &ChartArgs{ChartType: chartType, Title: title, Data: make([]ChartPoint, len(items))}
	for i, raw := range items {
		if args.Data[i], err = chartPoint(raw, fmt.Sprintf("data[%d]", i)); err != nil {
			return nil, err
		}
	}
	return args, nil
}

func chartPoint(raw json.RawMessage, path string) (ChartPoint, error) {
	m, err := objectItem(raw, path)
	if err != nil {
		return ChartPoint{}, err
	}
	label, err := requiredString(m, "label", maxLabelLen)
	if err != nil {
		return ChartPoint{}, prefixed(path, err)
	}
	value, err := numberValue(m["value"])
	if err != nil {
		return ChartPoint{}, prefixed(path, err)
	}
	series, err := stringField(m, "series")
	if err != nil {
		return ChartPoint{}, prefixed(path, err)
	}
	if utf8.RuneCountInString(series) > maxLabelLen {
		return ChartPoint{}, prefixed(path, fmt.Errorf("series must be at most %d characters", maxLabelLen))
	}
	return ChartPoint{Label: label, Value: value, Series: series}, nil
}

// numberValue reads a chart value: a finite JSON number, or a string holding a formatted amount.
// Models sometimes quote money the way they would print it ("1,234.50", "$1,234.50", "-€12",
// "45%"), and the number is unambiguous, so we accept that rather than fail the chart; anything
// else (words, NaN, several numbers) is an error the model can fix.
func numberValue(raw json.RawMessage) (float64, error) {
	if isNull(raw) {
		return 0, errors.New("value is required and must be a number")
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return 0, errors.New("value must be a number")
	}
	var f float64
	var err error
	switch x := v.(type) {
	case json.Number:
		f, err = strconv.ParseFloat(x.String(), 64)
	case string:
		f, err = parseFormattedNumber(x)
	default:
		return 0, errors.New("value must be a number")
	}
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, errors.New("value must be a finite number")
	}
	return f, nil
}

// parseFormattedNumber accepts an optional sign, an optional currency symbol, digits with optional
// comma thousands separators, an optional decimal part and an optional trailing percent sign.
func parseFormattedNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, rest
	} else if rest, ok := strings.CutPrefix(s, "+"); ok {
		s = rest
	}
	for _, sym := range []string{"$", "€", "£", "¥"} {
		if rest, ok := strings.CutPrefix(s, sym); ok {
			s = rest
			break
		}
	}
	s = strings.TrimSuffix(s, "%")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if !validGroupedDigits(intPart) || (hasFrac && !allDigits(frac)) {
		return 0, errors.New("not a number")
	}
	digits := strings.ReplaceAll(intPart, ",", "")
	if hasFrac {
		digits += "." + frac
	}
	f, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		return 0, fmt.Errorf("parse %q: %w", s, err)
	}
	if neg {
		f = -f
	}
	return f, nil
}

// validGroupedDigits accepts "1234" or "1,234,567" (groups of three after the first).
func validGroupedDigits(s string) bool {
	if !strings.Contains(s, ",") {
		return allDigits(s)
	}
	groups := strings.Split(s, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 || !allDigits(groups[0]) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
