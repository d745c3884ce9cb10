package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"presto/internal/message"
	"strings"
	"unicode/utf8"
)

// Limits of PRODUCT.md 5.6 and the ones we chose where it is silent.
const (
	maxTitleLen       = 120
	maxChartPoints    = 200
	maxMetrics        = 8
	maxIndustryLen    = 100
	maxLabelLen       = 100 // chart labels, series names, metric labels, company names
	maxValueLen       = 40  // a metric's display value
	maxDescriptionLen = 500 // request_visualization's description
)

// ValidateToolCall parses and checks the arguments of one tool call and returns them typed:
// *ChartArgs, *MetricsArgs, *SwitchModeArgs or *RequestVisualizationArgs. Strings come back trimmed
// and chart types lower-cased. The error is a sentence meant for the model ("show_chart:
// data[3].value must be a number"), so it can correct itself; the caller sends it back as the tool
// result and never draws a broken chart.
func ValidateToolCall(call message.ToolCall) (any, error) {
	fields, err := decodeArguments(call.Arguments)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", call.Name, err)
	}
	var result any
	switch call.Name {
	case ToolShowChart:
		result, err = validateChart(fields)
	case ToolShowMetrics:
		result, err = validateMetrics(fields)
	case ToolSwitchMode:
		result, err = validateSwitchMode(fields)
	case ToolRequestVisualization:
		result, err = validateVisualization(fields)
	default:
		return nil, fmt.Errorf("unknown tool %q: use one of show_chart, show_metrics or switch_mode", call.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", call.Name, err)
	}
	return result, nil
}

// decodeArguments reads the arguments as one JSON object. Empty arguments count as {} so a missing
// field gets its own clear message. Some OpenAI-compatible servers (Ollama's parallel calls sent at
// one index, for instance) deliver a concatenated run of objects such as {"a":1}{"a":2}: the model
// meant the first, so we keep it, but only when everything after it is also complete JSON objects;
// any other trailing text means the arguments are broken and we reject them.
func decodeArguments(args string) (map[string]json.RawMessage, error) {
	if strings.TrimSpace(args) == "" {
		return map[string]json.RawMessage{}, nil
	}
	dec := json.NewDecoder(strings.NewReader(args))
	var first map[string]json.RawMessage
	for i := 0; ; i++ {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) && i > 0 {
			return first, nil
		}
		if err != nil {
			return nil, errors.New("the arguments are not valid JSON: send one JSON object")
		}
		if len(raw) == 0 || raw[0] != '{' {
			return nil, errors.New("the arguments must be a JSON object")
		}
		if i == 0 {
			if err := json.Unmarshal(raw, &first); err != nil {
				return nil, errors.New("the arguments are not valid JSON: send one JSON object")
			}
			if first == nil {
				first = map[string]json.RawMessage{}
			}
		}
	}
}

// isNull reports whether a field is absent or JSON null: both mean "not given".
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// stringField reads an optional string field, trimmed. A present non-string is an error.
func stringField(fields map[string]json.RawMessage, name string) (string, error) {
	raw := fields[name]
	if isNull(raw) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%s must be a string", name)
	}
	return strings.TrimSpace(s), nil
}

// requiredString reads a string field that must be non-empty and at most max characters.
func requiredString(fields map[string]json.RawMessage, name string, max int) (string, error) {
	s, err := stringField(fields, name)
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", fmt.Errorf("%s is required and must not be empty", name)
	}
	if utf8.RuneCountInString(s) > max {
		return "", fmt.Errorf("%s must be at most %d characters", name, max)
	}
	return s, nil
}

// arrayField reads a required array field with between 1 and max elements.
func arrayField(fields map[string]json.RawMessage, name string, max int) ([]json.RawMessage, error) {
	raw := fields[name]
	if isNull(raw) {
		return nil, fmt.Errorf("%s is required: give 1 to %d items", name, max)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("%s must be an array", name)
	}
	if len(items) == 0 || len(items) > max {
		return nil, fmt.Errorf("%s must have 1 to %d items, not %d", name, max, len(items))
	}
	return items, nil
}

// objectItem decodes one array element that must be an object.
func objectItem(raw json.RawMessage, path string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fmt.Errorf("%s must be an object", path)
	}
	return m, nil
}

// prefixed puts an element path in front of a field error ("data[3]." + "value must be ...").
func prefixed(path string, err error) error {
	return fmt.Errorf("%s.%w", path, err)
}
