package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"presto/internal/llm/llmtest"
	"presto/internal/llm/realtimetest"
)

// checkFake is one fake host that answers chat completions (llmtest) and realtime sockets
// (realtimetest) on the paths Azure and OpenAI-compatible servers use.
func checkFake(t *testing.T, replies ...llmtest.Reply) (string, *realtimetest.Handler) {
	t.Helper()
	queue := make(chan llmtest.Reply, len(replies))
	for _, r := range replies {
		queue <- r
	}
	rt := realtimetest.NewHandler(realtimetest.Options{})
	mux := http.NewServeMux()
	for _, p := range []string{"/openai/v1/realtime", "/openai/realtime", "/v1/realtime"} {
		mux.Handle(p, rt)
	}
	mux.Handle("/", llmtest.NewHandler(func(*llmtest.Request) llmtest.Reply {
		select {
		case r := <-queue:
			return r
		default:
			t.Error("a chat request with no reply left")
			return llmtest.StatusError(http.StatusInternalServerError, "500", "no reply left", "")
		}
	}))
	fake := httptest.NewServer(mux)
	t.Cleanup(fake.Close)
	t.Cleanup(rt.Close)
	return fake.URL, rt
}

func TestCheckCommand(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		reply   llmtest.Reply // the chat answer; the Azure check asks without streaming
		refuse  int           // HTTP status of every realtime handshake; 0 accepts them
		wantErr bool
		want    []string
		path    string // the realtime path opened
	}{
		{name: "offline", env: map[string]string{}, want: []string{"offline assistant", "Voice: off. It needs a realtime model"}},
		{name: "azure", env: map[string]string{"AZURE_API_KEY": "k", "AZURE_REALTIME_DEPLOYMENT": "rt-dep"}, reply: llmtest.Structured("OK"),
			want: []string{"[ok]   Chat", `[ok]   Realtime deployment "rt-dep": session.update accepted`}, path: "/openai/v1/realtime"},
		{name: "azure without realtime", env: map[string]string{"AZURE_API_KEY": "k"}, reply: llmtest.Structured("OK"), refuse: http.StatusNotFound, wantErr: true,
			want: []string{"[ok]   Chat", `[FAIL] Realtime deployment "gpt-realtime": HTTP 404`, "AZURE_REALTIME_DEPLOYMENT", "East US 2, Sweden Central"}},
		{name: "openai", env: map[string]string{"PRESTO_LLM": "openai", "OPENAI_MODEL": "m", "OPENAI_API_KEY": "k", "OPENAI_REALTIME_MODEL": "rt-m"},
			reply: llmtest.Text("OK", 1), want: []string{"[ok]   Chat", `[ok]   Realtime model "rt-m": session.update accepted`}, path: "/v1/realtime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, rt := checkFake(t, tt.reply)
			if tt.refuse != 0 {
				rt.RefuseNext(2, tt.refuse)
			}
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = v
			}
			if env["PRESTO_LLM"] == "openai" {
				env["OPENAI_BASE_URL"] = url + "/v1"
			} else if len(env) > 0 {
				env["AZURE_PROJECT_ENDPOINT"] = url
			}
			var out bytes.Buffer
			err := run(context.Background(), []string{"check"}, func(k string) string { return env[k] }, &out, io.Discard)
			t.Log("\n" + out.String())
			if (err != nil) != tt.wantErr {
				t.Fatalf("presto check: %v, want error %v", err, tt.wantErr)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("report lacks %q", w)
				}
			}
			if tt.path != "" {
				conns := rt.Conns()
				if len(conns) != 1 || conns[0].Path != tt.path {
					t.Fatalf("realtime connections %d, want 1 on %s", len(conns), tt.path)
				}
				if got := conns[0].ReceivedOfType("session.update"); len(got) != 1 {
					t.Errorf("%d session.update events, want 1", len(got))
				}
			}
		})
	}
}
