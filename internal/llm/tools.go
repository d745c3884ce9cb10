package llm

import "presto/internal/modes"

// Names of the tools offered to the model (PRODUCT.md 5.6; the names and shapes are the contract).
const (
	ToolShowChart            = "show_chart"
	ToolShowMetrics          = "show_metrics"
	ToolSwitchMode           = "switch_mode"
	ToolRequestVisualization = "request_visualization" // voice only
)

// ChartArgs are show_chart's validated arguments.
type ChartArgs struct {
	ChartType string       `json:"chart_type"` // line, bar, pie or area
	Title     string       `json:"title"`
	Data      []ChartPoint `json:"data"`
}

// ChartPoint is one value; Series names the line it belongs to in a multi-series chart.
type ChartPoint struct {
	Label  string  `json:"label"`
	Value  float64 `json:"value"`
	Series string  `json:"series,omitempty"`
}

// MetricsArgs are show_metrics' validated arguments.
type MetricsArgs struct {
	Metrics []modes.Metric `json:"metrics"`
}

// SwitchModeArgs are switch_mode's validated arguments.
type SwitchModeArgs struct {
	Industry    string `json:"industry"`
	CompanyName string `json:"company_name,omitempty"`
}

// RequestVisualizationArgs are request_visualization's validated arguments (voice only).
type RequestVisualizationArgs struct {
	VisType     string `json:"vis_type"` // chart or metrics
	Description string `json:"description"`
}
