package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"presto/internal/llm"
	"presto/internal/llm/llmtest"
	"presto/internal/modes"
)

// rules answers a request from its last user message, first match wins:
//
//  1. a structured request with schema mode_config → a valid mode config for the asked industry
//     (the "Industry:" and "Company name:" lines of the user message); other schemas → 400;
//  2. a forced show_chart or show_metrics (tool_choice names it, as the server's drawing of what
//     the voice asked for does) → that call alone, no text: the checking balance's line chart when
//     the message mentions checking or a balance, else a bar chart titled from the message; a
//     fixed set of metrics;
//  3. "flaky" anywhere → every odd such request (1st, 3rd, ...) fails with 503 and
//     "x-should-retry: false", so the SDK does not retry it and the app shows its Retry button;
//     the even ones fall through to the rules below;
//  4. starts with "Tab: " → a show_chart call for that tab (no text);
//  5. "presto" anywhere → a sentence and a switch_mode call (industry after "you're a", "you are a",
//     "become a" or "be a"; company after "called");
//  6. "checking" anywhere → a sentence and a line show_chart of the checking balance (figures from
//     the system prompt when it has them, see checking.go);
//  7. anything else → one scripted sentence.
//
// It counts what it answers for GET /stats (see stats).
type rules struct {
	firstTokenDelay time.Duration
	generationDelay time.Duration // so that generations asked for at once overlap

	mu          sync.Mutex
	flaky       int // "flaky" requests seen by this process
	chats       int // streamed chat requests
	generations int // structured requests for a mode_config
}

func (r *rules) respond(req *llmtest.Request) llmtest.Reply {
	user := req.LastUserMessage()
	lower := strings.ToLower(user)
	r.count(req)
	if !req.Streamed() {
		time.Sleep(r.generationDelay)
		return structured(req)
	}
	if reply, ok := forced(req); ok {
		return reply.WithFirstDelay(r.firstTokenDelay)
	}
	if strings.Contains(lower, "flaky") && r.nextFlakyFails() {
		reply := llmtest.StatusError(http.StatusServiceUnavailable, "service_unavailable", "The fake model is flaky on purpose.", "")
		reply.Header = http.Header{"X-Should-Retry": {"false"}}
		return reply
	}
	var reply llmtest.Reply
	switch {
	case strings.HasPrefix(user, "Tab: "):
		reply = tabChart(user)
	case strings.Contains(lower, "presto"):
		reply = switchMode(user)
	case strings.Contains(lower, "checking"):
		reply = checkingChart(req.SystemMessage())
	default:
		reply = llmtest.Text("This is a scripted answer from the fake model.", 4)
	}
	return reply.WithFirstDelay(r.firstTokenDelay)
}

// count records req for the stats: a streamed chat, or a structured mode generation.
func (r *rules) count(req *llmtest.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case req.Streamed():
		r.chats++
	case req.SchemaName() == "mode_config":
		r.generations++
	}
}

// stats answers GET /stats with the requests answered since start: {"chat": N, "structured": N},
// streamed chat requests (failed flaky ones included) and structured mode generations. The
// cluster tests read it to prove that a new industry is generated once across replicas.
func (r *rules) stats(w http.ResponseWriter, _ *http.Request) {
	r.mu.Lock()
	counts := map[string]int{"chat": r.chats, "structured": r.generations}
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(counts)
}

// nextFlakyFails counts a flaky request and reports whether it should fail.
func (r *rules) nextFlakyFails() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.flaky++
	return r.flaky%2 == 1
}

func structured(req *llmtest.Request) llmtest.Reply {
	if req.SchemaName() != "mode_config" {
		return llmtest.StatusError(http.StatusBadRequest, "unknown_schema", "fakellm only answers the mode_config schema", "response_format")
	}
	industry, company := lineValue(req.LastUserMessage(), "Industry:"), lineValue(req.LastUserMessage(), "Company name:")
	b, err := json.Marshal(modeConfig(industry, company))
	if err != nil {
		return llmtest.StatusError(http.StatusInternalServerError, "", "marshal mode config", "")
	}
	return llmtest.Structured(string(b))
}

// lineValue returns the trimmed rest of the first line starting with prefix (case-insensitive).
func lineValue(text, prefix string) string {
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if len(line) >= len(prefix) && strings.EqualFold(line[:len(prefix)], prefix) {
			return strings.TrimSpace(line[len(prefix):])
		}
	}
	return ""
}

func switchMode(user string) llmtest.Reply {
	industry, company := parsePresto(user)
	if industry == "" {
		return llmtest.Text("Presto-Change-O! Which industry should I become?", 3)
	}
	args := map[string]string{"industry": industry}
	if company != "" {
		args["company_name"] = company
	}
	b, _ := json.Marshal(args) // a map of strings always marshals
	return llmtest.ToolCalls("Presto-Change-O! One "+industry+", coming right up.",
		llmtest.Call{ID: "call_switch", Name: llm.ToolSwitchMode, Arguments: string(b), Parts: 3})
}

// parsePresto finds the industry and company of "Presto-Change-O, you're a pet store called Paws &
// Claws".
func parsePresto(user string) (industry, company string) {
	lower := strings.ToLower(user)
	start := -1
	for _, marker := range []string{"you're an ", "you're a ", "you are an ", "you are a ", "become an ", "become a ", "be an ", "be a "} {
		if i := strings.Index(lower, marker); i >= 0 {
			start = i + len(marker)
			break
		}
	}
	if start < 0 {
		return "", ""
	}
	rest := user[start:]
	if i := strings.Index(strings.ToLower(rest), " called "); i >= 0 {
		company = trimPunct(rest[i+len(" called "):])
		rest = rest[:i]
	}
	return trimPunct(rest), company
}

func trimPunct(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), ".!?,;")
}

func tabChart(user string) llmtest.Reply {
	label := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(user, "\n", 2)[0], "Tab: "))
	label, _, _ = strings.Cut(label, " (id ") // the server writes "Tab: Accounts (id accounts)"
	if label == "" {
		label = "Tab"
	}
	args := chartJSON("bar", label+" overview", []string{"Q1", "Q2", "Q3", "Q4"}, []float64{120, 145, 132, 168})
	return llmtest.ToolCalls("", llmtest.Call{ID: "call_tab", Name: llm.ToolShowChart, Arguments: args, Parts: 2})
}

// chartJSON builds show_chart arguments.
func chartJSON(chartType, title string, labels []string, values []float64) string {
	type point struct {
		Label string  `json:"label"`
		Value float64 `json:"value"`
	}
	args := struct {
		ChartType string  `json:"chart_type"`
		Title     string  `json:"title"`
		Data      []point `json:"data"`
	}{ChartType: chartType, Title: title}
	for i := range labels {
		args.Data = append(args.Data, point{labels[i], values[i]})
	}
	b, _ := json.Marshal(args) // plain strings and finite floats always marshal
	return string(b)
}

// forced answers a request whose tool_choice names show_chart or show_metrics with that call.
func forced(req *llmtest.Request) (llmtest.Reply, bool) {
	choice, _ := req.Body["tool_choice"].(map[string]any)
	fn, _ := choice["function"].(map[string]any)
	user := req.LastUserMessage()
	lower := strings.ToLower(user)
	switch name, _ := fn["name"].(string); name {
	case llm.ToolShowChart:
		var args string
		if strings.Contains(lower, "checking") || strings.Contains(lower, "balance") {
			labels, values := checkingFigures(req.SystemMessage())
			args = chartJSON("line", "Checking balance", labels, values)
		} else {
			args = chartJSON("bar", chartTitle(user), []string{"Q1", "Q2", "Q3", "Q4"}, []float64{120, 145, 132, 168})
		}
		return llmtest.ToolCalls("", llmtest.Call{ID: "call_forced", Name: name, Arguments: args, Parts: 2}), true
	case llm.ToolShowMetrics:
		b, _ := json.Marshal(llm.MetricsArgs{Metrics: []modes.Metric{
			{Label: "Balance", Value: "4,250.18", Unit: "USD"},
			{Label: "Monthly change", Value: "+1.4", Unit: "%"},
			{Label: "Transactions", Value: "38", Unit: "this month"},
		}}) // plain strings always marshal
		return llmtest.ToolCalls("", llmtest.Call{ID: "call_forced", Name: name, Arguments: string(b), Parts: 2}), true
	}
	return llmtest.Reply{}, false
}

// chartTitle is a chart's title from a request to draw something: the part after the last colon
// (the server writes "Show this on the dashboard now, …: DESCRIPTION"), capitalised, at most 60
// characters.
func chartTitle(user string) string {
	title := strings.TrimSpace(user[strings.LastIndex(user, ":")+1:])
	if r := []rune(title); len(r) > 60 {
		title = string(r[:60])
	}
	if title == "" {
		return "Overview"
	}
	return strings.ToUpper(title[:1]) + title[1:]
}
