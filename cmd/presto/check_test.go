package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"presto/internal/llm/llmtest"
)

func TestCheckCommand(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Structured("OK"), llmtest.Text("OK", 1)) // the Azure check asks without streaming
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"offline", map[string]string{}, "offline assistant"},
		{"azure", map[string]string{"AZURE_PROJECT_ENDPOINT": fake.URL, "AZURE_API_KEY": "k"}, "[ok]   Chat"},
		{"openai", map[string]string{"PRESTO_LLM": "openai", "OPENAI_BASE_URL": fake.URL + "/v1", "OPENAI_MODEL": "m", "OPENAI_API_KEY": "k"}, "[ok]   Chat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"check"}, func(k string) string { return tt.env[k] }, &out, io.Discard)
			if err != nil || !strings.Contains(out.String(), tt.want) {
				t.Fatalf("presto check: %v\n%s\nwant %q", err, out.String(), tt.want)
			}
		})
	}
}
