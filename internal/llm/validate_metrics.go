package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"presto/internal/modes"
)

func validateMetrics(fields map[string]json.RawMessage) (*MetricsArgs, error) {
	items, err := arrayField(fields, "metrics", maxMetrics)
	if err != nil {
		return nil, err
	}
	args := &MetricsArgs{Metrics: make([]modes.Metric, len(items))}
	for i, raw := range items {
		if args.Metrics[i], err = metric(raw, fmt.Sprintf("metrics[%d]", i)); err != nil {
			return nil, err
		}
	}
	return args, nil
}

func metric(raw json.RawMessage, path string) (modes.Metric, error) {
	m, err := objectItem(raw, path)
	if err != nil {
		return modes.Metric{}, err
	}
	label, err := requiredString(m, "label", maxLabelLen)
	if err != nil {
		return modes.Metric{}, prefixed(path, err)
	}
	value, err := displayValue(m["value"])
	if err != nil {
		return modes.Metric{}, prefixed(path, err)
	}
	unit, err := stringField(m, "unit")
	if err != nil {
		return modes.Metric{}, prefixed(path, err)
	}
	if utf8.RuneCountInString(unit) > maxLabelLen {
		return modes.Metric{}, prefixed(path, fmt.Errorf("unit must be at most %d characters", maxLabelLen))
	}
	return modes.Metric{Label: label, Value: value, Unit: unit}, nil
}

// displayValue reads a metric's value: a non-empty string is kept as the model wrote it; a number
// becomes a display string with thousands separators ("1,234.5"), since cards show text.
func displayValue(raw json.RawMessage) (string, error) {
	if isNull(raw) {
		return "", errors.New("value is required")
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", errors.New("value must be a string or a number")
	}
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return "", errors.New("value must not be empty")
		}
		if utf8.RuneCountInString(s) > maxValueLen {
			return "", fmt.Errorf("value must be at most %d characters", maxValueLen)
		}
		return s, nil
	case json.Number:
		f, err := strconv.ParseFloat(x.String(), 64)
		if err != nil || math.IsInf(f, 0) {
			return "", errors.New("value must be a finite number")
		}
		s := groupThousands(strconv.FormatFloat(f, 'f', -1, 64))
		if len(s) > maxValueLen {
			return "", fmt.Errorf("value must be at most %d characters when displayed", maxValueLen)
		}
		return s, nil
	default:
		return "", errors.New("value must be a string or a number")
	}
}

// groupThousands inserts commas into the integer part of a plain decimal ("-1234567.5" →
// "-1,234,567.5").
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

func validateSwitchMode(fields map[string]json.RawMessage) (*SwitchModeArgs, error) {
	industry, err := requiredString(fields, "industry", maxIndustryLen)
	if err != nil {
		return nil, err
	}
	company, err := stringField(fields, "company_name")
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(company) > maxLabelLen {
		return nil, fmt.Errorf("company_name must be at most %d characters", maxLabelLen)
	}
	return &SwitchModeArgs{Industry: industry, CompanyName: company}, nil
}

func validateVisualization(fields map[string]json.RawMessage) (*RequestVisualizationArgs, error) {
	visType, err := stringField(fields, "vis_type")
	if err != nil {
		return nil, err
	}
	visType = strings.ToLower(visType)
	if visType != "chart" && visType != "metrics" {
		return nil, errors.New("vis_type must be chart or metrics")
	}
	description, err := requiredString(fields, "description", maxDescriptionLen)
	if err != nil {
		return nil, err
	}
	return &RequestVisualizationArgs{VisType: visType, Description: description}, nil
}
