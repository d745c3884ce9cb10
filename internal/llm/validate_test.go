package llm

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"presto/internal/message"
	"presto/internal/modes"
)

func TestValidateToolCallAccepts(t *testing.T) {
	tests := []struct {
		name string
		call message.ToolCall
		want any
	}{
		{
			name: "line chart",
			call: message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"line","title":"Checking","data":[{"label":"Jan","value":1200.5},{"label":"Feb","value":980}]}`},
			want: &ChartArgs{ChartType: "line", Title: "Checking", Data: []ChartPoint{{Label: "Jan", Value: 1200.5}, {Label: "Feb", Value: 980}}},
		},
		{
			name: "chart type case and spaces normalised, series kept",
			call: message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":" Bar ","title":"  Spend ","data":[{"label":" Food ","value":3,"series":"2026"}]}`},
			want: &ChartArgs{ChartType: "bar", Title: "Spend", Data: []ChartPoint{{Label: "Food", Value: 3, Series: "2026"}}},
		},
		{
			name: "formatted money strings coerced",
			call: message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"area","title":"t","data":[{"label":"a","value":"1,234.50"},{"label":"b","value":"$1,234.50"},{"label":"c","value":"-€12"},{"label":"d","value":"45%"},{"label":"e","value":"7"}]}`},
			want: &ChartArgs{ChartType: "area", Title: "t", Data: []ChartPoint{{Label: "a", Value: 1234.5}, {Label: "b", Value: 1234.5}, {Label: "c", Value: -12}, {Label: "d", Value: 45}, {Label: "e", Value: 7}}},
		},
		{
			name: "concatenated objects keep the first",
			call: message.ToolCall{Name: ToolSwitchMode, Arguments: `{"industry":"bank"}{"industry":"airline"}`},
			want: &SwitchModeArgs{Industry: "bank"},
		},
		{
			name: "switch mode with company",
			call: message.ToolCall{Name: ToolSwitchMode, Arguments: `{"industry":"pet store","company_name":"Paws & Claws"}`},
			want: &SwitchModeArgs{Industry: "pet store", CompanyName: "Paws & Claws"},
		},
		{
			name: "switch mode with null company",
			call: message.ToolCall{Name: ToolSwitchMode, Arguments: ` {"industry":"bank","company_name":null} `},
			want: &SwitchModeArgs{Industry: "bank"},
		},
		{
			name: "metrics numbers become display strings",
			call: message.ToolCall{Name: ToolShowMetrics, Arguments: `{"metrics":[{"label":"Balance","value":1234567.5,"unit":"USD"},{"label":"Score","value":742},{"label":"Rate","value":"4.5","unit":"%"},{"label":"Debt","value":-1200}]}`},
			want: &MetricsArgs{Metrics: []modes.Metric{{Label: "Balance", Value: "1,234,567.5", Unit: "USD"}, {Label: "Score", Value: "742"}, {Label: "Rate", Value: "4.5", Unit: "%"}, {Label: "Debt", Value: "-1,200"}}},
		},
		{
			name: "request visualization",
			call: message.ToolCall{Name: ToolRequestVisualization, Arguments: `{"vis_type":"Chart","description":"checking balance"}`},
			want: &RequestVisualizationArgs{VisType: "chart", Description: "checking balance"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateToolCall(tt.call)
			if err != nil {
				t.Fatalf("ValidateToolCall: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestValidateToolCallRejects(t *testing.T) {
	points := func(n int) string {
		p := make([]string, n)
		for i := range p {
			p[i] = `{"label":"x","value":1}`
		}
		return `{"chart_type":"bar","title":"t","data":[` + strings.Join(p, ",") + `]}`
	}
	tests := []struct {
		name string
		call message.ToolCall
		want string // the exact error sentence
	}{
		{"unknown tool", message.ToolCall{Name: "launch_rocket", Arguments: `{}`}, `unknown tool "launch_rocket": use one of show_chart, show_metrics or switch_mode`},
		{"broken JSON", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"line","title":`}, "show_chart: the arguments are not valid JSON: send one JSON object"},
		{"trailing garbage", message.ToolCall{Name: ToolSwitchMode, Arguments: `{"industry":"bank"}garbage`}, "switch_mode: the arguments are not valid JSON: send one JSON object"},
		{"object then broken object", message.ToolCall{Name: ToolSwitchMode, Arguments: `{"industry":"bank"}{"industry":`}, "switch_mode: the arguments are not valid JSON: send one JSON object"},
		{"object then array", message.ToolCall{Name: ToolSwitchMode, Arguments: `{"industry":"bank"}[1]`}, "switch_mode: the arguments must be a JSON object"},
		{"array arguments", message.ToolCall{Name: ToolShowChart, Arguments: `[1,2]`}, "show_chart: the arguments must be a JSON object"},
		{"unknown chart type", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"radar","title":"t","data":[{"label":"a","value":1}]}`}, `show_chart: chart_type "radar" is not supported: use line, bar, pie or area`},
		{"missing chart type", message.ToolCall{Name: ToolShowChart, Arguments: `{"title":"t","data":[{"label":"a","value":1}]}`}, "show_chart: chart_type is required: use line, bar, pie or area"},
		{"empty title", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"pie","title":"  ","data":[{"label":"a","value":1}]}`}, "show_chart: title is required and must not be empty"},
		{"long title", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"pie","title":"` + strings.Repeat("é", 121) + `","data":[{"label":"a","value":1}]}`}, "show_chart: title must be at most 120 characters"},
		{"no points", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"pie","title":"t","data":[]}`}, "show_chart: data must have 1 to 200 items, not 0"},
		{"too many points", message.ToolCall{Name: ToolShowChart, Arguments: points(201)}, "show_chart: data must have 1 to 200 items, not 201"},
		{"data not an array", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"pie","title":"t","data":{"a":1}}`}, "show_chart: data must be an array"},
		{"non-numeric value", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"line","title":"t","data":[{"label":"a","value":1},{"label":"b","value":2},{"label":"c","value":3},{"label":"d","value":"lots"}]}`}, "show_chart: data[3].value must be a finite number"},
		{"boolean value", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"line","title":"t","data":[{"label":"a","value":true}]}`}, "show_chart: data[0].value must be a number"},
		{"missing value", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"line","title":"t","data":[{"label":"a"}]}`}, "show_chart: data[0].value is required and must be a number"},
		{"overflowing value", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"line","title":"t","data":[{"label":"a","value":1e400}]}`}, "show_chart: data[0].value must be a finite number"},
		{"NaN string", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"line","title":"t","data":[{"label":"a","value":"NaN"}]}`}, "show_chart: data[0].value must be a finite number"},
		{"badly grouped string", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"line","title":"t","data":[{"label":"a","value":"12,34"}]}`}, "show_chart: data[0].value must be a finite number"},
		{"empty label", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"line","title":"t","data":[{"label":"","value":1}]}`}, "show_chart: data[0].label is required and must not be empty"},
		{"point not an object", message.ToolCall{Name: ToolShowChart, Arguments: `{"chart_type":"line","title":"t","data":[5]}`}, "show_chart: data[0] must be an object"},
		{"no metrics", message.ToolCall{Name: ToolShowMetrics, Arguments: `{"metrics":[]}`}, "show_metrics: metrics must have 1 to 8 items, not 0"},
		{"nine metrics", message.ToolCall{Name: ToolShowMetrics, Arguments: `{"metrics":[` + strings.Repeat(`{"label":"a","value":"1"},`, 8) + `{"label":"a","value":"1"}]}`}, "show_metrics: metrics must have 1 to 8 items, not 9"},
		{"metric without value", message.ToolCall{Name: ToolShowMetrics, Arguments: `{"metrics":[{"label":"a"}]}`}, "show_metrics: metrics[0].value is required"},
		{"metric without label", message.ToolCall{Name: ToolShowMetrics, Arguments: `{"metrics":[{"value":"1"}]}`}, "show_metrics: metrics[0].label is required and must not be empty"},
		{"metric object value", message.ToolCall{Name: ToolShowMetrics, Arguments: `{"metrics":[{"label":"a","value":{}}]}`}, "show_metrics: metrics[0].value must be a string or a number"},
		{"switch without industry", message.ToolCall{Name: ToolSwitchMode, Arguments: ``}, "switch_mode: industry is required and must not be empty"},
		{"industry not a string", message.ToolCall{Name: ToolSwitchMode, Arguments: `{"industry":42}`}, "switch_mode: industry must be a string"},
		{"long industry", message.ToolCall{Name: ToolSwitchMode, Arguments: `{"industry":"` + strings.Repeat("a", 101) + `"}`}, "switch_mode: industry must be at most 100 characters"},
		{"bad vis type", message.ToolCall{Name: ToolRequestVisualization, Arguments: `{"vis_type":"movie","description":"x"}`}, "request_visualization: vis_type must be chart or metrics"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateToolCall(tt.call)
			if err == nil {
				t.Fatalf("ValidateToolCall = %#v, want error %q", got, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q, want %q", err, tt.want)
			}
			if got != nil {
				t.Errorf("result = %#v, want nil on error", got)
			}
		})
	}
}

func TestToolSchemas(t *testing.T) {
	names := func(tools []Tool) []string {
		var n []string
		for _, tool := range tools {
			n = append(n, tool.Name)
		}
		return n
	}
	if got, want := names(ChatTools()), []string{ToolShowChart, ToolShowMetrics, ToolSwitchMode}; !reflect.DeepEqual(got, want) {
		t.Errorf("ChatTools = %v, want %v", got, want)
	}
	if got, want := names(DashboardTools()), []string{ToolShowChart, ToolShowMetrics}; !reflect.DeepEqual(got, want) {
		t.Errorf("DashboardTools = %v, want %v", got, want)
	}
	for _, tool := range append(ChatTools(), VoiceVisualizationTool()) {
		b, err := json.Marshal(tool.Parameters)
		if err != nil {
			t.Fatalf("%s: marshal schema: %v", tool.Name, err)
		}
		var schema struct {
			Type       string                     `json:"type"`
			Properties map[string]json.RawMessage `json:"properties"`
			Required   []string                   `json:"required"`
		}
		if err := json.Unmarshal(b, &schema); err != nil {
			t.Fatalf("%s: %v", tool.Name, err)
		}
		if schema.Type != "object" || tool.Description == "" {
			t.Errorf("%s: type %q, description %q", tool.Name, schema.Type, tool.Description)
		}
		for _, r := range schema.Required {
			if _, ok := schema.Properties[r]; !ok {
				t.Errorf("%s: required %q is not a property", tool.Name, r)
			}
		}
	}
	// The schema's chart types must be exactly the ones the validator accepts.
	var chart struct {
		Properties struct {
			ChartType struct {
				Enum []string `json:"enum"`
			} `json:"chart_type"`
		} `json:"properties"`
	}
	b, _ := json.Marshal(ChatTools()[0].Parameters)
	if err := json.Unmarshal(b, &chart); err != nil {
		t.Fatal(err)
	}
	for _, ct := range chart.Properties.ChartType.Enum {
		args := `{"chart_type":"` + ct + `","title":"t","data":[{"label":"a","value":1}]}`
		if _, err := ValidateToolCall(message.ToolCall{Name: ToolShowChart, Arguments: args}); err != nil {
			t.Errorf("schema enum %q rejected by validator: %v", ct, err)
		}
	}
	if len(chart.Properties.ChartType.Enum) != 4 {
		t.Errorf("chart_type enum = %v, want 4 types", chart.Properties.ChartType.Enum)
	}
}
