package llm

// ChatTools are the tools offered on a chat turn: the two dashboard tools and switch_mode, so a mode
// switch needs no separate intent-detection call (one LLM round trip per turn).
func ChatTools() []Tool {
	return []Tool{showChartTool(), showMetricsTool(), SwitchModeTool()}
}

// DashboardTools are the tools offered when the dashboard asks for a tab's content: it must draw,
// never switch modes.
func DashboardTools() []Tool {
	return []Tool{showChartTool(), showMetricsTool()}
}

// VoiceVisualizationTool is the light tool of the voice session: it returns at once and the chart is
// made in the background by the chat model (PRODUCT.md 3, "visual sync").
func VoiceVisualizationTool() Tool {
	return Tool{
		Name: ToolRequestVisualization,
		Description: "Show something on the dashboard while you keep talking. Call it whenever the user " +
			"asks about numbers, balances, trends, breakdowns or history. Describe what to show in one sentence.",
		Parameters: object(map[string]any{
			"vis_type":    enumString("chart for a series or breakdown, metrics for a few key figures", []string{"chart", "metrics"}),
			"description": str("What to show, e.g. \"checking balance over the last 6 months\"."),
		}, "vis_type", "description"),
	}
}

func showChartTool() Tool {
	point := object(map[string]any{
		"label":  str("The x-axis label or slice name, e.g. \"Jun\" or \"Groceries\"."),
		"value":  map[string]any{"type": "number", "description": "A plain number, no units or currency symbols."},
		"series": str("Only for multi-series line charts: the name of the line this point belongs to."),
	}, "label", "value")
	return Tool{
		Name: ToolShowChart,
		Description: "Draw a chart on the dashboard. Call it whenever the answer involves a trend, a " +
			"history, a comparison or a breakdown (balances over time, spending by category, claims, " +
			"visits). Use the customer's real figures from the instructions; never invent numbers " +
			"that contradict them. Answer in one short sentence as well.",
		Parameters: object(map[string]any{
			"chart_type": enumString("line or area for values over time, bar to compare, pie for parts of a whole.", []string{"line", "bar", "pie", "area"}),
			"title":      str("A short chart title, at most 120 characters."),
			"data": map[string]any{
				"type":        "array",
				"description": "The points, oldest first for time series; 1 to 200 of them.",
				"minItems":    1,
				"maxItems":    200,
				"items":       point,
			},
		}, "chart_type", "title", "data"),
	}
}

func showMetricsTool() Tool {
	metric := object(map[string]any{
		"label": str("What the figure is, e.g. \"Checking balance\"."),
		"value": str("The figure as it should be displayed, e.g. \"4,250.18\" or \"742\"."),
		"unit":  str("The unit or currency, e.g. \"USD\", \"%\" or \"\" for none."),
	}, "label", "value", "unit")
	return Tool{
		Name: ToolShowMetrics,
		Description: "Show a few key figures as cards on the dashboard. Call it when the user asks for a " +
			"summary, an overview or several single numbers at once (1 to 8 cards).",
		Parameters: object(map[string]any{
			"metrics": map[string]any{
				"type":     "array",
				"minItems": 1,
				"maxItems": 8,
				"items":    metric,
			},
		}, "metrics"),
	}
}

// SwitchModeTool turns the interface into another industry or company; chat and voice offer it.
func SwitchModeTool() Tool {
	return Tool{
		Name: ToolSwitchMode,
		Description: "Turn the whole app into another industry or company. Call it whenever the user says " +
			"\"Presto-Change-O\" (in any spelling) or asks you to become, act as or switch to an " +
			"industry or company, e.g. \"you're a bank\" or \"be a pet store called Paws & Claws\".",
		Parameters: object(map[string]any{
			"industry": str("The industry or company the user named, as they said it, e.g. \"bank\", " +
				"\"pet store\" or \"Contoso Airlines\". Never \"Presto-Change-O\"."),
			"company_name": str("The company name, only when the user gave one (e.g. after \"called\"); " +
				"omit it otherwise."),
		}, "industry"),
	}
}

// object is a JSON schema object with the given properties and required names.
func object(props map[string]any, required ...string) map[string]any {
	return map[string]any{
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	}
}

func str(description string) map[string]any {
	return map[string]any{"type": "string", "description": description}
}

func enumString(description string, values []string) map[string]any {
	return map[string]any{"type": "string", "description": description, "enum": values}
}
