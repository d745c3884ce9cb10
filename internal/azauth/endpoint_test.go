package azauth

import (
	"errors"
	"strings"
	"testing"
)

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		name       string
		raw        string
		apiVersion string
		wantURL    string
		wantHost   string
		project    string
		loopback   bool
	}{
		{name: "project endpoint", raw: "https://contoso.services.ai.azure.com/api/projects/demo",
			wantURL: "https://contoso.services.ai.azure.com/openai/v1/", wantHost: "contoso.services.ai.azure.com", project: "demo"},
		{name: "project endpoint trailing slash", raw: "https://contoso.services.ai.azure.com/api/projects/demo/",
			wantURL: "https://contoso.services.ai.azure.com/openai/v1/", wantHost: "contoso.services.ai.azure.com", project: "demo"},
		{name: "openai resource", raw: "https://contoso.openai.azure.com",
			wantURL: "https://contoso.openai.azure.com/openai/v1/", wantHost: "contoso.openai.azure.com"},
		{name: "openai resource trailing slash", raw: "https://contoso.openai.azure.com/",
			wantURL: "https://contoso.openai.azure.com/openai/v1/", wantHost: "contoso.openai.azure.com"},
		{name: "cognitive services resource", raw: "https://contoso.cognitiveservices.azure.com/",
			wantURL: "https://contoso.cognitiveservices.azure.com/openai/v1/", wantHost: "contoso.cognitiveservices.azure.com"},
		{name: "v1 base", raw: "https://contoso.openai.azure.com/openai/v1",
			wantURL: "https://contoso.openai.azure.com/openai/v1/", wantHost: "contoso.openai.azure.com"},
		{name: "v1 base trailing slash and spaces", raw: "  https://Contoso.OpenAI.azure.com/openai/v1/ ",
			wantURL: "https://contoso.openai.azure.com/openai/v1/", wantHost: "contoso.openai.azure.com"},
		{name: "classic with api-version", raw: "https://contoso.openai.azure.com/", apiVersion: "2025-04-01-preview",
			wantURL: "https://contoso.openai.azure.com", wantHost: "contoso.openai.azure.com"},
		{name: "classic from project endpoint", raw: "https://contoso.services.ai.azure.com/api/projects/demo", apiVersion: "2024-10-21",
			wantURL: "https://contoso.services.ai.azure.com", wantHost: "contoso.services.ai.azure.com", project: "demo"},
		{name: "loopback ip", raw: "http://127.0.0.1:8089",
			wantURL: "http://127.0.0.1:8089/openai/v1/", wantHost: "127.0.0.1:8089", loopback: true},
		{name: "localhost v1", raw: "http://localhost:8089/openai/v1/",
			wantURL: "http://localhost:8089/openai/v1/", wantHost: "localhost:8089", loopback: true},
		{name: "ipv6 loopback", raw: "http://[::1]:8089",
			wantURL: "http://[::1]:8089/openai/v1/", wantHost: "[::1]:8089", loopback: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, err := ParseEndpoint(tt.raw, tt.apiVersion)
			if err != nil {
				t.Fatalf("ParseEndpoint(%q): %v", tt.raw, err)
			}
			if got := ep.URL(); got != tt.wantURL {
				t.Errorf("URL() = %q, want %q", got, tt.wantURL)
			}
			if ep.Host != tt.wantHost || ep.Project != tt.project || ep.Loopback != tt.loopback {
				t.Errorf("got host %q project %q loopback %v, want %q %q %v", ep.Host, ep.Project, ep.Loopback, tt.wantHost, tt.project, tt.loopback)
			}
			if ep.Classic() != (tt.apiVersion != "") {
				t.Errorf("Classic() = %v with api-version %q", ep.Classic(), tt.apiVersion)
			}
		})
	}
}

func TestParseEndpointRejects(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string // part of the reason
	}{
		{name: "empty", raw: "", want: "it is empty"},
		{name: "no scheme", raw: "contoso.openai.azure.com", want: "must start with https://"},
		{name: "ftp", raw: "ftp://contoso.openai.azure.com", want: "must start with https://"},
		{name: "public http", raw: "http://contoso.openai.azure.com", want: "plain http:// is accepted only for a loopback"},
		{name: "lan http", raw: "http://192.168.1.20:8000", want: "plain http:// is accepted only for a loopback"},
		{name: "chat path", raw: "https://contoso.openai.azure.com/openai/deployments/gpt/chat/completions", want: `the path "/openai/deployments/gpt/chat/completions" is not one Azure uses`},
		{name: "projects without name", raw: "https://contoso.services.ai.azure.com/api/projects/", want: "is not one Azure uses"},
		{name: "project sub path", raw: "https://contoso.services.ai.azure.com/api/projects/demo/agents", want: "should be /api/projects/PROJECT"},
		{name: "query", raw: "https://contoso.openai.azure.com/?api-version=2024-10-21", want: "must not carry a user, a query or a fragment"},
		{name: "user info", raw: "https://key@contoso.openai.azure.com", want: "must not carry a user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseEndpoint(tt.raw, "")
			if err == nil {
				t.Fatalf("ParseEndpoint(%q) succeeded, want an error", tt.raw)
			}
			var fe *EndpointError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not an *EndpointError", err)
			}
			msg := err.Error()
			for _, want := range []string{tt.want, "AZURE_PROJECT_ENDPOINT", "expected one of", "https://RESOURCE.services.ai.azure.com/api/projects/PROJECT", "http://127.0.0.1:PORT"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
		})
	}
}

func TestRealtimeURL(t *testing.T) {
	tests := []struct {
		raw, deployment, want string
	}{
		{"https://contoso.services.ai.azure.com/api/projects/demo", "gpt-realtime", "wss://contoso.services.ai.azure.com/openai/v1/realtime?model=gpt-realtime"},
		{"https://contoso.openai.azure.com/openai/v1/", "voice one", "wss://contoso.openai.azure.com/openai/v1/realtime?model=voice+one"},
		{"http://127.0.0.1:9000", "gpt-realtime", "ws://127.0.0.1:9000/openai/v1/realtime?model=gpt-realtime"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			a := New(Settings{Endpoint: tt.raw, RealtimeDeployment: tt.deployment})
			got, err := a.RealtimeURL("")
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("RealtimeURL = %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := New(Settings{Endpoint: "https://contoso.openai.azure.com"}).RealtimeURL(""); err == nil || !strings.Contains(err.Error(), "AZURE_REALTIME_DEPLOYMENT") {
		t.Errorf("RealtimeURL without a deployment: err = %v, want one naming AZURE_REALTIME_DEPLOYMENT", err)
	}
}
