package azauth_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/azauth"
	"presto/internal/azauth/azauthtest"
)

func chat(ctx context.Context, t *testing.T, c openai.Client, deployment string) {
	t.Helper()
	resp, err := c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:    deployment,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Reply with OK")},
	})
	if err != nil {
		t.Fatalf("chat: %v", err)
	}
	if len(resp.Choices) == 0 || resp.Choices[0].Message.Content != "OK" {
		t.Fatalf("unexpected reply %+v", resp)
	}
}

func TestClientRoutesAndAuth(t *testing.T) {
	tests := []struct {
		name       string
		endpoint   func(base string) string
		apiVersion string
		apiKey     string
		wantPath   string
		wantQuery  string
	}{
		{name: "v1 from resource root, entra", endpoint: func(b string) string { return b }, wantPath: "/openai/v1/chat/completions"},
		{name: "v1 base, entra", endpoint: func(b string) string { return b + "/openai/v1/" }, wantPath: "/openai/v1/chat/completions"},
		{name: "v1 from project endpoint, entra", endpoint: func(b string) string { return b + "/api/projects/demo" }, wantPath: "/openai/v1/chat/completions"},
		{name: "v1 localhost, key", endpoint: func(b string) string { return strings.Replace(b, "127.0.0.1", "localhost", 1) }, apiKey: "secret-key", wantPath: "/openai/v1/chat/completions"},
		{name: "classic, entra", endpoint: func(b string) string { return b }, apiVersion: "2024-10-21",
			wantPath: "/openai/deployments/chat-dep/chat/completions", wantQuery: "api-version=2024-10-21"},
		{name: "classic from project endpoint, key", endpoint: func(b string) string { return b + "/api/projects/demo/" }, apiVersion: "2025-04-01-preview", apiKey: "secret-key",
			wantPath: "/openai/deployments/chat-dep/chat/completions", wantQuery: "api-version=2025-04-01-preview"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			az := azauthtest.InstallFakeAz(t, azauthtest.AzOptions{})
			t.Setenv("OPENAI_API_KEY", "must-not-be-sent")
			t.Setenv("OPENAI_ORG_ID", "org-must-not-be-sent")
			t.Setenv("OPENAI_PROJECT_ID", "proj-must-not-be-sent")
			srv := azauthtest.NewServer(t)
			a := azauth.New(azauth.Settings{
				Endpoint: tt.endpoint(srv.URL), APIVersion: tt.apiVersion, APIKey: tt.apiKey, AuthMode: azauth.AuthCLI,
				DataDir: t.TempDir(),
			})
			c, err := a.Client(t.Context(), option.WithMaxRetries(0))
			if err != nil {
				t.Fatal(err)
			}
			if calls := az.Calls(t); len(calls) != 0 {
				t.Fatalf("making a client ran az %d times; nothing should sign in before a request", len(calls))
			}
			for range 3 {
				chat(t.Context(), t, c, "chat-dep")
			}
			reqs := srv.Requests()
			if len(reqs) != 3 {
				t.Fatalf("server saw %d requests, want 3", len(reqs))
			}
			for _, r := range reqs {
				if r.Path != tt.wantPath || r.Query != tt.wantQuery {
					t.Errorf("request went to %s?%s, want %s?%s", r.Path, r.Query, tt.wantPath, tt.wantQuery)
				}
				auth, key := r.Header.Get("Authorization"), r.Header.Get("Api-Key")
				if org, proj := r.Header.Get("OpenAI-Organization"), r.Header.Get("OpenAI-Project"); org != "" || proj != "" {
					t.Errorf("OpenAI organisation %q / project %q from the environment reached Azure", org, proj)
				}
				if tt.apiKey != "" {
					if key != tt.apiKey || auth != "" {
						t.Errorf("key auth sent api-key %q and Authorization %q; want the key and no bearer", key, auth)
					}
				} else if auth != "Bearer "+az.Token || key != "" {
					t.Errorf("entra auth sent Authorization %q and api-key %q; want the az token", auth, key)
				}
			}
			wantAz := 1
			if tt.apiKey != "" {
				wantAz = 0
			}
			if calls := az.Calls(t); len(calls) != wantAz {
				t.Errorf("az ran %d times for 3 requests, want %d", len(calls), wantAz)
			}
		})
	}
}

func TestClientConcurrentRequestsRunAzOnce(t *testing.T) {
	az := azauthtest.InstallFakeAz(t, azauthtest.AzOptions{})
	srv := azauthtest.NewServer(t)
	a := azauth.New(azauth.Settings{Endpoint: srv.URL, AuthMode: azauth.AuthCLI})
	c, err := a.Client(t.Context(), option.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { chat(t.Context(), t, c, "chat-dep") })
	}
	wg.Wait()
	calls := az.Calls(t)
	if len(calls) != 1 {
		t.Fatalf("az ran %d times for 8 concurrent requests, want 1", len(calls))
	}
	// azidentity asks for a v1 resource, not a v2 scope.
	if !strings.Contains(calls[0], "get-access-token") || !strings.Contains(calls[0], "--resource https://cognitiveservices.azure.com") {
		t.Errorf("az was run as %q", calls[0])
	}
}

func TestAuthHeader(t *testing.T) {
	az := azauthtest.InstallFakeAz(t, azauthtest.AzOptions{})
	keyed, err := azauth.New(azauth.Settings{APIKey: "k1"}).AuthHeader(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if keyed.Get("api-key") != "k1" || keyed.Get("Authorization") != "" {
		t.Errorf("key header = %v", keyed)
	}
	a := azauth.New(azauth.Settings{AuthMode: azauth.AuthCLI})
	for range 2 {
		h, err := a.AuthHeader(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if h.Get("Authorization") != "Bearer "+az.Token || h.Get("api-key") != "" {
			t.Errorf("entra header = %v", h)
		}
	}
	if n := len(az.Calls(t)); n != 1 {
		t.Errorf("az ran %d times for two headers, want 1", n)
	}
}

func TestClientRejectsBadSettings(t *testing.T) {
	tests := []struct {
		name string
		s    azauth.Settings
		want string
	}{
		{name: "bad endpoint", s: azauth.Settings{Endpoint: "http://example.com"}, want: "expected one of"},
		{name: "bad auth mode", s: azauth.Settings{Endpoint: "https://r.openai.azure.com", AuthMode: "password"}, want: "AZURE_AUTH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := azauth.New(tt.s).Client(t.Context())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestNotLoggedInSurfacesAzLogin(t *testing.T) {
	azauthtest.InstallFakeAz(t, azauthtest.AzOptions{NotLoggedIn: true})
	a := azauth.New(azauth.Settings{AuthMode: azauth.AuthCLI})
	_, err := a.Token(t.Context(), azauth.Scope)
	if err == nil || !strings.Contains(err.Error(), "az login") {
		t.Fatalf("err = %v, want the CLI's advice to run az login", err)
	}
}

func TestFailedSignInIsNotRetriedPerAttempt(t *testing.T) {
	az := azauthtest.InstallFakeAz(t, azauthtest.AzOptions{NotLoggedIn: true})
	srv := azauthtest.NewServer(t)
	a := azauth.New(azauth.Settings{Endpoint: srv.URL, AuthMode: azauth.AuthCLI})
	// The SDK's default retries (2) re-run the middleware after a failure.
	c, err := a.Client(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Chat.Completions.New(t.Context(), openai.ChatCompletionNewParams{
		Model:    "chat-dep",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
	})
	if err == nil || !strings.Contains(err.Error(), "az login") {
		t.Fatalf("err = %v, want the sign-in failure", err)
	}
	if n := len(az.Calls(t)); n != 1 {
		t.Errorf("az ran %d times for one request with retries, want 1", n)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server without a token", n)
	}
}

func TestLogsCarryNoSecrets(t *testing.T) {
	az := azauthtest.InstallFakeAz(t, azauthtest.AzOptions{})
	srv := azauthtest.NewServer(t)
	for _, key := range []string{"", "super-secret-key"} {
		var logs strings.Builder
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		a := azauth.New(azauth.Settings{Endpoint: srv.URL, APIKey: key, AuthMode: azauth.AuthCLI, Logger: logger})
		c, err := a.Client(t.Context(), option.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		chat(t.Context(), t, c, "chat-dep")
		if _, err := a.Token(t.Context(), azauth.Scope); err != nil {
			t.Fatal(err)
		}
		out := logs.String()
		if !strings.Contains(out, "127.0.0.1") {
			t.Errorf("the log does not name the endpoint host:\n%s", out)
		}
		for _, secret := range []string{az.Token, "super-secret-key"} {
			if strings.Contains(out, secret) {
				t.Errorf("a secret reached the log:\n%s", out)
			}
		}
	}
}
