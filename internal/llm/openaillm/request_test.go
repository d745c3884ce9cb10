package openaillm

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/azure"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/llm"
	"presto/internal/llm/llmtest"
	"presto/internal/message"
)

func TestStreamRequestBody(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("ok", 1))
	req := llm.Request{
		System: "You are a bank assistant.",
		Messages: []message.Message{
			{Role: message.RoleUser, Content: "Show my checking"},
			{Role: message.RoleAssistant, Content: "Here it is.", ToolCalls: []message.ToolCall{{ID: "call_1", Name: llm.ToolShowChart, Arguments: chartArgs}}},
			{Role: message.RoleTool, ToolCallID: "call_1", Content: "shown"},
			{Role: message.RoleUser, Content: "And savings?"},
		},
		Tools: llm.ChatTools(),
	}
	if _, err := collect(context.Background(), newProvider(t, fake), req); err != nil {
		t.Fatal(err)
	}
	r := fake.Requests()[0]
	if r.Method != "POST" || r.Path != "/v1/chat/completions" {
		t.Errorf("%s %s, want POST /v1/chat/completions", r.Method, r.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer test-key" {
		t.Errorf("Authorization = %q", got)
	}
	var body struct {
		Model         string `json:"model"`
		Stream        bool   `json:"stream"`
		StreamOptions struct {
			IncludeUsage bool `json:"include_usage"`
		} `json:"stream_options"`
		Messages []struct {
			Role       string `json:"role"`
			Content    any    `json:"content"`
			ToolCallID string `json:"tool_call_id"`
			ToolCalls  []struct {
				ID       string `json:"id"`
				Type     string `json:"type"`
				Function struct{ Name, Arguments string }
			} `json:"tool_calls"`
		} `json:"messages"`
		Tools []struct {
			Type     string `json:"type"`
			Function struct {
				Name       string         `json:"name"`
				Parameters map[string]any `json:"parameters"`
			} `json:"function"`
		} `json:"tools"`
	}
	if err := json.Unmarshal(r.RawBody, &body); err != nil {
		t.Fatal(err)
	}
	if body.Model != "gpt-test" || !body.Stream || !body.StreamOptions.IncludeUsage {
		t.Errorf("model %q stream %v include_usage %v", body.Model, body.Stream, body.StreamOptions.IncludeUsage)
	}
	for _, banned := range []string{"temperature", "max_tokens", "max_completion_tokens", "top_p"} {
		if _, ok := r.Body[banned]; ok {
			t.Errorf("request sets %s; reasoning deployments reject it", banned)
		}
	}
	roles := []string{}
	for _, m := range body.Messages {
		roles = append(roles, m.Role)
	}
	if want := []string{"system", "user", "assistant", "tool", "user"}; !slices.Equal(roles, want) {
		t.Fatalf("roles = %v, want %v", roles, want)
	}
	a := body.Messages[2]
	if a.Content != "Here it is." || len(a.ToolCalls) != 1 || a.ToolCalls[0].ID != "call_1" || a.ToolCalls[0].Type != "function" ||
		a.ToolCalls[0].Function.Name != llm.ToolShowChart || a.ToolCalls[0].Function.Arguments != chartArgs {
		t.Errorf("assistant message = %+v", a)
	}
	if tm := body.Messages[3]; tm.ToolCallID != "call_1" || tm.Content != "shown" {
		t.Errorf("tool message = %+v", tm)
	}
	var names []string
	for _, tool := range body.Tools {
		if tool.Type != "function" || tool.Function.Parameters["type"] != "object" {
			t.Errorf("tool %+v", tool)
		}
		names = append(names, tool.Function.Name)
	}
	if want := []string{llm.ToolShowChart, llm.ToolShowMetrics, llm.ToolSwitchMode}; !slices.Equal(names, want) {
		t.Errorf("tools = %v, want %v", names, want)
	}
}

func TestAzureRoutes(t *testing.T) {
	tests := []struct {
		name     string
		opts     func(base string) []option.RequestOption
		path     string
		query    string
		apiKey   string
		noBearer bool
	}{
		{
			name: "v1 API",
			opts: func(base string) []option.RequestOption {
				return []option.RequestOption{option.WithBaseURL(base + "/openai/v1/"), option.WithAPIKey(""), option.WithHeader("api-key", "azure-key")}
			},
			path: "/openai/v1/chat/completions", apiKey: "azure-key",
		},
		{
			name: "classic deployments route",
			opts: func(base string) []option.RequestOption {
				return []option.RequestOption{azure.WithEndpoint(base, "2024-10-21"), azure.WithAPIKey("azure-key"), azure.WithUnsafeAllowHTTP()}
			},
			path: "/openai/deployments/my-deployment/chat/completions", query: "2024-10-21", apiKey: "azure-key", noBearer: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(llmtest.Text("Hi", 1).WithAzureFilters())
			client := openai.NewClient(tt.opts(fake.URL)...)
			p := New(client, "my-deployment", "azure", slog.New(slog.DiscardHandler))
			events, err := collect(context.Background(), p, chatRequest)
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if len(events) != 2 || events[0].Text != "Hi" {
				t.Errorf("events = %s", describe(events))
			}
			r := fake.Requests()[0]
			if r.Path != tt.path || r.Query.Get("api-version") != tt.query {
				t.Errorf("request %s?%s, want %s api-version=%s", r.Path, r.Query.Encode(), tt.path, tt.query)
			}
			if got := r.Header.Get("Api-Key"); got != tt.apiKey {
				t.Errorf("api-key = %q, want %q", got, tt.apiKey)
			}
			if tt.noBearer && r.Header.Get("Authorization") != "" {
				t.Errorf("Authorization %q sent to Azure with a key", r.Header.Get("Authorization"))
			}
		})
	}
}

func TestStructured(t *testing.T) {
	schema := map[string]any{"type": "object", "properties": map[string]any{"industry_name": map[string]any{"type": "string"}},
		"required": []string{"industry_name"}, "additionalProperties": false}
	tests := []struct {
		name  string
		reply llmtest.Reply
		want  string
		kind  llm.ErrorKind
	}{
		{"valid JSON", llmtest.Structured(`{"industry_name":"Pet Store"}`), `{"industry_name":"Pet Store"}`, ""},
		{"malformed JSON", llmtest.Structured(`{"industry_name":`), "", llm.KindUnavailable},
		{"auth failure", llmtest.StatusError(401, "", "no", ""), "", llm.KindAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(tt.reply)
			got, err := newProvider(t, fake).Structured(context.Background(), llm.StructuredRequest{
				System: "Make a mode.", User: "Industry: pet store", SchemaName: "mode_config", Schema: schema,
			})
			if tt.kind != "" {
				if e := asLLMError(t, err); e.Kind != tt.kind {
					t.Errorf("error kind %s, want %s", e.Kind, tt.kind)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("Structured = %s, %v; want %s", got, err, tt.want)
			}
			r := fake.Requests()[0]
			if r.Streamed() || r.SchemaName() != "mode_config" || r.LastUserMessage() != "Industry: pet store" || r.SystemMessage() != "Make a mode." {
				t.Errorf("request streamed=%v schema=%q user=%q system=%q", r.Streamed(), r.SchemaName(), r.LastUserMessage(), r.SystemMessage())
			}
			var body struct {
				ResponseFormat struct {
					Type       string `json:"type"`
					JSONSchema struct {
						Name   string         `json:"name"`
						Strict bool           `json:"strict"`
						Schema map[string]any `json:"schema"`
					} `json:"json_schema"`
				} `json:"response_format"`
			}
			if err := json.Unmarshal(r.RawBody, &body); err != nil {
				t.Fatal(err)
			}
			rf := body.ResponseFormat
			if rf.Type != "json_schema" || !rf.JSONSchema.Strict || rf.JSONSchema.Schema["type"] != "object" {
				t.Errorf("response_format = %+v", rf)
			}
		})
	}
}
