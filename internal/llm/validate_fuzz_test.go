package llm

import (
	"encoding/json"
	"math"
	"presto/internal/message"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzValidateToolCall checks that any arguments either fail with a sentence or give a result that
// keeps every promise of PRODUCT.md 5.6, and that validating a valid result again changes nothing.
// The seed corpus is in testdata/fuzz/FuzzValidateToolCall.
func FuzzValidateToolCall(f *testing.F) {
	f.Add(ToolShowChart, `{"chart_type":"line","title":"t","data":[{"label":"a","value":"$1,234.50"}]}`)
	f.Fuzz(func(t *testing.T, name, args string) {
		got, err := ValidateToolCall(message.ToolCall{ID: "call_1", Name: name, Arguments: args})
		if err != nil {
			if got != nil {
				t.Fatalf("result %#v with error %v", got, err)
			}
			if !strings.HasPrefix(err.Error(), name+": ") && !strings.HasPrefix(err.Error(), "unknown tool") {
				t.Fatalf("error %q does not name the tool", err)
			}
			return
		}
		checkInvariants(t, got)
		again, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("marshal result: %v", err)
		}
		got2, err := ValidateToolCall(message.ToolCall{Name: name, Arguments: string(again)})
		if err != nil {
			t.Fatalf("valid result %s rejected on second pass: %v", again, err)
		}
		if !reflect.DeepEqual(got, got2) {
			t.Fatalf("second pass changed the result: %#v -> %#v", got, got2)
		}
	})
}

func checkInvariants(t *testing.T, result any) {
	t.Helper()
	switch r := result.(type) {
	case *ChartArgs:
		switch r.ChartType {
		case "line", "bar", "pie", "area":
		default:
			t.Fatalf("chart type %q", r.ChartType)
		}
		if r.Title == "" || utf8.RuneCountInString(r.Title) > maxTitleLen {
			t.Fatalf("title %q", r.Title)
		}
		if len(r.Data) == 0 || len(r.Data) > maxChartPoints {
			t.Fatalf("%d points", len(r.Data))
		}
		for _, p := range r.Data {
			if p.Label == "" || math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
				t.Fatalf("point %#v", p)
			}
		}
	case *MetricsArgs:
		if len(r.Metrics) == 0 || len(r.Metrics) > maxMetrics {
			t.Fatalf("%d metrics", len(r.Metrics))
		}
		for _, m := range r.Metrics {
			if m.Label == "" || m.Value == "" {
				t.Fatalf("metric %#v", m)
			}
		}
	case *SwitchModeArgs:
		if r.Industry == "" || utf8.RuneCountInString(r.Industry) > maxIndustryLen {
			t.Fatalf("industry %q", r.Industry)
		}
	case *RequestVisualizationArgs:
		if (r.VisType != "chart" && r.VisType != "metrics") || r.Description == "" {
			t.Fatalf("visualization %#v", r)
		}
	default:
		t.Fatalf("unexpected result type %T", result)
	}
}
