package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/llm"
	"presto/internal/llm/openaillm"
	"presto/internal/message"
	"presto/internal/modes"
)

// startFake runs the command on port 0 and returns a provider that talks to it on Azure's v1 route.
func startFake(t *testing.T) *openaillm.Provider {
	_, p := startFakeWith(t, 2)
	return p
}

// startFakeWith runs the command with args (on port 0) and returns its address and a provider that
// talks to it on Azure's v1 route, with up to retries retries.
func startFakeWith(t *testing.T, retries int, args ...string) (string, *openaillm.Provider) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &addrWriter{ready: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), out, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	var addr string
	select {
	case addr = <-out.ready:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("no \"listening on\" line")
	}
	client := openai.NewClient(option.WithBaseURL("http://"+addr+"/openai/v1/"), option.WithAPIKey(""), option.WithHeader("api-key", "test"))
	return addr, openaillm.New(client, "model-router", "azure", slog.New(slog.DiscardHandler), openaillm.WithMaxRetries(retries))
}

// addrWriter reports the address of the "listening on ADDR" line.
type addrWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready chan string
}

func (w *addrWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if line, ok := strings.CutPrefix(w.buf.String(), "listening on "); ok && strings.HasSuffix(line, "\n") {
		w.ready <- strings.TrimSpace(line)
	}
	return len(p), nil
}

type result struct {
	text  string
	calls []message.ToolCall
	err   error
}

func ask(t *testing.T, p *openaillm.Provider, system, user string, tools []llm.Tool) result {
	t.Helper()
	var r result
	r.err = p.Stream(context.Background(), llm.Request{System: system, Messages: []message.Message{{Role: message.RoleUser, Content: user}}, Tools: tools},
		func(e llm.Event) error {
			r.text += e.Text
			if e.ToolCall != nil {
				r.calls = append(r.calls, *e.ToolCall)
			}
			return nil
		})
	return r
}

func TestRules(t *testing.T) {
	p := startFake(t)
	tests := []struct {
		name     string
		system   string
		user     string
		wantText string
		wantCall string // tool name, or "" for none
		check    func(t *testing.T, args any)
	}{
		{
			name: "presto with company", user: "Presto-Change-O, you're a pet store called Paws & Claws!",
			wantText: "Presto-Change-O! One pet store, coming right up.", wantCall: llm.ToolSwitchMode,
			check: func(t *testing.T, args any) {
				if got := *args.(*llm.SwitchModeArgs); got != (llm.SwitchModeArgs{Industry: "pet store", CompanyName: "Paws & Claws"}) {
					t.Errorf("switch_mode %+v", got)
				}
			},
		},
		{
			name: "presto without company", user: "presto change o, you are an airline",
			wantText: "Presto-Change-O! One airline, coming right up.", wantCall: llm.ToolSwitchMode,
			check: func(t *testing.T, args any) {
				if got := *args.(*llm.SwitchModeArgs); got != (llm.SwitchModeArgs{Industry: "airline"}) {
					t.Errorf("switch_mode %+v", got)
				}
			},
		},
		{
			name:   "checking with figures from the prompt",
			system: "Customer facts.\nChecking balance by month: Apr: 3,100.00, May: 3,250.50, Jun: 4,250.18\nSavings: 12,000.00",
			user:   "How much is left in my checking account?", wantText: "Your checking balance is $4250.18.", wantCall: llm.ToolShowChart,
			check: func(t *testing.T, args any) {
				c := args.(*llm.ChartArgs)
				want := []llm.ChartPoint{{Label: "Apr", Value: 3100}, {Label: "May", Value: 3250.5}, {Label: "Jun", Value: 4250.18}}
				if c.ChartType != "line" || !slices.Equal(c.Data, want) {
					t.Errorf("chart %+v", c)
				}
			},
		},
		{
			name: "checking with one balance", system: "Checking account ••••4821, balance $2,125.09.",
			user: "checking?", wantText: "Your checking balance is $2125.09.", wantCall: llm.ToolShowChart,
			check: func(t *testing.T, args any) {
				if c := args.(*llm.ChartArgs); len(c.Data) != 6 || c.Data[5].Value != 2125.09 {
					t.Errorf("chart %+v", c)
				}
			},
		},
		{
			name: "checking without figures", user: "show my checking", wantText: "Your checking balance is $4250.18.", wantCall: llm.ToolShowChart,
			check: func(t *testing.T, args any) {
				if c := args.(*llm.ChartArgs); len(c.Data) != 6 || c.Data[0].Label != "Jan" {
					t.Errorf("chart %+v", c)
				}
			},
		},
		{
			name: "tab content", user: "Tab: Accounts (id accounts)\nMode: banking", wantCall: llm.ToolShowChart,
			check: func(t *testing.T, args any) {
				if c := args.(*llm.ChartArgs); c.Title != "Accounts overview" || c.ChartType != "bar" {
					t.Errorf("chart %+v", c)
				}
			},
		},
		{name: "anything else", user: "hello", wantText: "This is a scripted answer from the fake model."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ask(t, p, tt.system, tt.user, llm.ChatTools())
			if r.err != nil {
				t.Fatalf("Stream: %v", r.err)
			}
			if r.text != tt.wantText {
				t.Errorf("text %q, want %q", r.text, tt.wantText)
			}
			if tt.wantCall == "" {
				if len(r.calls) != 0 {
					t.Errorf("calls %+v, want none", r.calls)
				}
				return
			}
			if len(r.calls) != 1 || r.calls[0].Name != tt.wantCall {
				t.Fatalf("calls %+v, want one %s", r.calls, tt.wantCall)
			}
			args, err := llm.ValidateToolCall(r.calls[0])
			if err != nil {
				t.Fatalf("the fake's tool call is invalid: %v", err)
			}
			tt.check(t, args)
		})
	}
}

func TestFlakyFailsEveryOtherTime(t *testing.T) {
	p := startFake(t)
	for i, wantErr := range []bool{true, false, true, false} {
		r := ask(t, p, "", "a flaky question", nil)
		var e *llm.Error
		if got := errors.As(r.err, &e); got != wantErr {
			t.Fatalf("request %d: error %v, want error=%v", i+1, r.err, wantErr)
		}
		if wantErr && (e.Status != 503 || !e.Retryable) {
			t.Errorf("request %d: %+v, want a retryable 503", i+1, e)
		}
	}
}

func TestModeConfig(t *testing.T) {
	p := startFake(t)
	raw, err := p.Structured(context.Background(), llm.StructuredRequest{
		System: "Make a mode.", User: "Industry: pet store\nCompany name: Paws & Claws", SchemaName: "mode_config",
		Schema: map[string]any{"type": "object"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var cfg modes.Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.IndustryName != "Pet Store" || cfg.IndustryID != "pet-store" || cfg.CompanyName != "Paws & Claws" {
		t.Errorf("config names %q %q %q", cfg.IndustryName, cfg.IndustryID, cfg.CompanyName)
	}
	if !regexp.MustCompile(`^#[0-9A-F]{6}$`).MatchString(cfg.PrimaryColor) || len(cfg.PersonalityTraits) < 3 ||
		len(cfg.Tabs) < 4 || cfg.Tabs[0].ID != "dashboard" || cfg.Tabs[len(cfg.Tabs)-1].ID != "settings" || len(cfg.DefaultMetrics) != 4 {
		t.Errorf("config %+v breaks the mode_config contract", cfg)
	}
	if _, err := p.Structured(context.Background(), llm.StructuredRequest{User: "x", SchemaName: "other", Schema: map[string]any{"type": "object"}}); err == nil {
		t.Error("unknown schema answered")
	}
}
