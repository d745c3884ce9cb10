package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"presto/internal/llm/llmtest"
)

// turnLog is what a client saw of one turn, from chat_start to its end.
type turnLog struct {
	msgs []wireMsg
}

func (l turnLog) types() []string {
	var out []string
	for _, m := range l.msgs {
		out = append(out, m.Type)
	}
	return out
}

// text joins the turn's chat_chunk texts.
func (l turnLog) text() string {
	var b strings.Builder
	for _, m := range l.msgs {
		if m.Type == "chat_chunk" {
			var p struct{ Text string }
			_ = json.Unmarshal(m.Payload, &p)
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

func (l turnLog) payload(t *testing.T, typ string, v any) {
	t.Helper()
	for _, m := range l.msgs {
		if m.Type == typ {
			if err := json.Unmarshal(m.Payload, v); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no %s in %v", typ, l.types())
}

// chatTurn sends text and reads until the turn ends (chat_chunk done or chat_error). Every message
// must carry the turn number of its chat_start.
func chatTurn(t *testing.T, conn *websocket.Conn, text string) turnLog {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"type": "chat", "payload": map[string]string{"text": text}})
	writeText(t, conn, string(b))
	return readTurn(t, conn)
}

func readTurn(t *testing.T, conn *websocket.Conn) turnLog {
	t.Helper()
	var l turnLog
	turn := 0
	for {
		m := readMsg(t, conn)
		if m.Type == "error" {
			t.Fatalf("error message: %s", m.Payload)
		}
		if strings.HasPrefix(m.Type, "tab_") {
			continue // tab content prefetched after a switch: not part of a turn
		}
		if turn == 0 {
			turn = m.Turn
		}
		if m.Turn != turn || turn == 0 {
			t.Fatalf("%s carries turn %d, want %d (so far %v)", m.Type, m.Turn, turn, l.types())
		}
		l.msgs = append(l.msgs, m)
		if m.Type == "chat_error" {
			return l
		}
		if m.Type == "chat_chunk" {
			var p struct{ Done bool }
			_ = json.Unmarshal(m.Payload, &p)
			if p.Done {
				return l
			}
		}
	}
}

// compress folds runs of chat_chunk text into one "chat_chunk*" so sequences read clearly.
func compress(types []string) []string {
	var out []string
	for i, typ := range types {
		if typ == "chat_chunk" && i+1 < len(types) && types[i+1] == "chat_chunk" {
			continue
		}
		out = append(out, typ)
	}
	return out
}

// startWithFakeAzure runs the app against a fake chat-completions server as its Azure endpoint.
// The tests script every LLM request, so the tab prefetch after a switch is off.
func startWithFakeAzure(t *testing.T) (*app, *llmtest.Server) {
	return startWithFakeAzureEnv(t, nil)
}

// startWithFakeAzureEnv is startWithFakeAzure with more of the environment.
func startWithFakeAzureEnv(t *testing.T, extra map[string]string) (*app, *llmtest.Server) {
	fake := llmtest.NewServer(t)
	env := map[string]string{"AZURE_PROJECT_ENDPOINT": fake.URL, "AZURE_API_KEY": "test-key",
		"AZURE_MODEL_DEPLOYMENT": "chat-dep", "PRESTO_PREFETCH_TABS": "false"}
	for k, v := range extra {
		env[k] = v
	}
	return startApp(t, env), fake
}

const chartArgs = `{"chart_type":"line","title":"Checking balance","data":[{"label":"Jun","value":3980.12},{"label":"Jul","value":4215.37}]}`

func TestTurnsAgainstFakeAzure(t *testing.T) {
	tests := []struct {
		name     string
		replies  []llmtest.Reply
		want     []string // message types of the turn, chunk runs folded
		wantText string
		requests int
		check    func(t *testing.T, l turnLog, fake *llmtest.Server)
	}{
		{
			name:     "reply streamed in many chunks",
			replies:  []llmtest.Reply{llmtest.Text("You have $4,215.37 in your checking account.", 8)},
			want:     []string{"chat_start", "chat_chunk"},
			wantText: "You have $4,215.37 in your checking account.",
			requests: 1,
			check: func(t *testing.T, l turnLog, _ *llmtest.Server) {
				if n := len(l.msgs); n != 1+8+1 {
					t.Fatalf("%d messages, want chat_start + 8 chunks + done", n)
				}
			},
		},
		{
			name:     "Azure leading chunk with empty choices",
			replies:  []llmtest.Reply{llmtest.Text("Hello there.", 3).WithAzureFilters()},
			want:     []string{"chat_start", "chat_chunk"},
			wantText: "Hello there.",
			requests: 1,
		},
		{
			name: "show_chart arguments split over chunks",
			replies: []llmtest.Reply{llmtest.ToolCalls("Here is your balance.",
				llmtest.Call{Name: "show_chart", Arguments: chartArgs, Parts: 5})},
			want:     []string{"chat_start", "chat_chunk", "tool_result", "chat_chunk"},
			wantText: "Here is your balance.",
			requests: 1,
			check: func(t *testing.T, l turnLog, _ *llmtest.Server) {
				var r struct {
					Tool   string
					Result struct {
						ChartType string `json:"chart_type"`
						Data      []struct{ Value float64 }
					}
				}
				l.payload(t, "tool_result", &r)
				if r.Tool != "show_chart" || r.Result.ChartType != "line" || len(r.Result.Data) != 2 || r.Result.Data[1].Value != 4215.37 {
					t.Fatalf("tool_result %+v", r)
				}
			},
		},
		{
			name: "two tool calls in one turn",
			replies: []llmtest.Reply{llmtest.ToolCalls("Both.",
				llmtest.Call{Name: "show_chart", Arguments: chartArgs, Parts: 2},
				llmtest.Call{Name: "show_metrics", Arguments: `{"metrics":[{"label":"Credit score","value":742,"unit":""}]}`, Parts: 3})},
			want:     []string{"chat_start", "chat_chunk", "tool_result", "tool_result", "chat_chunk"},
			wantText: "Both.",
			requests: 1,
		},
		{
			name:     "429 with Retry-After, then success",
			replies:  []llmtest.Reply{llmtest.RateLimited(300 * time.Millisecond), llmtest.Text("Made it.", 2)},
			want:     []string{"chat_start", "chat_chunk"},
			wantText: "Made it.",
			requests: 2,
		},
		{
			name:     "stream cut mid-way",
			replies:  []llmtest.Reply{llmtest.Text("This answer will never fini", 6).CutAfter(3)},
			want:     []string{"chat_start", "chat_chunk", "chat_error"},
			requests: 1,
			check: func(t *testing.T, l turnLog, _ *llmtest.Server) {
				var p struct {
					Error     string
					Retryable bool
				}
				l.payload(t, "chat_error", &p)
				if !p.Retryable || p.Error == "" {
					t.Fatalf("chat_error %+v, want a retryable message", p)
				}
			},
		},
		{
			name:     "spend limit 429 is not retried",
			replies:  []llmtest.Reply{llmtest.QuotaExceeded()},
			want:     []string{"chat_start", "chat_error"},
			requests: 1,
			check: func(t *testing.T, l turnLog, _ *llmtest.Server) {
				var p struct{ Retryable bool }
				l.payload(t, "chat_error", &p)
				if p.Retryable {
					t.Fatal("a quota error must not offer Retry")
				}
			},
		},
		{
			name: "broken tool JSON gets one more try",
			replies: []llmtest.Reply{
				llmtest.BrokenToolJSON("show_chart"),
				llmtest.ToolCalls("", llmtest.Call{Name: "show_chart", Arguments: chartArgs}),
			},
			want:     []string{"chat_start", "tool_result", "chat_chunk"},
			requests: 2,
			check: func(t *testing.T, _ turnLog, fake *llmtest.Server) {
				retry := fake.Requests()[1].Messages()
				last := retry[len(retry)-1]
				if last["role"] != "tool" || !strings.Contains(fmt.Sprint(last["content"]), "error") {
					t.Fatalf("the retry's last message is %v, want the tool error", last)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := startWithFakeAzure(t)
			fake.Enqueue(tt.replies...)
			conn, _ := dial(t, a, "")
			l := chatTurn(t, conn, "how much is in my checking account?")
			if got := compress(l.types()); !slices.Equal(got, tt.want) {
				t.Fatalf("messages %v, want %v", got, tt.want)
			}
			if tt.wantText != "" && l.text() != tt.wantText {
				t.Fatalf("text %q, want %q", l.text(), tt.wantText)
			}
			if n := len(fake.Requests()); n != tt.requests {
				t.Fatalf("%d requests to the LLM, want %d", n, tt.requests)
			}
			if got := fake.Requests()[0].Path; got != "/openai/v1/chat/completions" {
				t.Fatalf("request path %q, want the Azure v1 route", got)
			}
			if tt.check != nil {
				tt.check(t, l, fake)
			}
		})
	}
}

func TestPrestoIsOneRoundTripOfferingSwitchMode(t *testing.T) {
	a, fake := startWithFakeAzure(t)
	fake.Enqueue(llmtest.ToolCalls("Transforming!", llmtest.Call{Name: "switch_mode", Arguments: `{"industry":"bank"}`, Parts: 2}))
	conn, _ := dial(t, a, "")
	l := chatTurn(t, conn, "Presto-Change-O, you're a bank")
	want := []string{"chat_start", "mode_generating", "mode_generating", "mode_switch", "chat_chunk"}
	if got := compress(l.types()); !slices.Equal(got, want) {
		t.Fatalf("messages %v, want %v", got, want)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d LLM requests for a presto turn, want exactly 1", len(reqs))
	}
	var offered []string
	for _, tool := range reqs[0].Body["tools"].([]any) {
		offered = append(offered, tool.(map[string]any)["function"].(map[string]any)["name"].(string))
	}
	if !slices.Contains(offered, "switch_mode") || !slices.Contains(offered, "show_chart") {
		t.Fatalf("tools offered %v, want switch_mode and show_chart", offered)
	}
	var sw struct {
		Mode struct {
			ID string `json:"id"`
		} `json:"mode"`
	}
	l.payload(t, "mode_switch", &sw)
	if sw.Mode.ID != "banking" {
		t.Fatalf("switched to %q, want the prebuilt banking mode", sw.Mode.ID)
	}
	if strings.Contains(l.text(), "Transforming") {
		t.Fatalf("the old mode's text leaked into a switch turn: %q", l.text())
	}
}
