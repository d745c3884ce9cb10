package check_test

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"

	"presto/internal/azauth"
	"presto/internal/azauth/azauthtest"
	"presto/internal/check"
)

const (
	tenant   = "72f988bf-0000-4000-8000-2d7cd011db47"
	objectID = "0b5c1234-5678-4abc-9def-000000000042"
)

func TestRunAgainstFakes(t *testing.T) {
	tests := []struct {
		name     string
		reply    azauthtest.Reply
		apiKey   string
		image    string
		wantErr  bool
		want     []string // every one must appear in the report
		wantNone []string // none may appear
	}{
		{
			name: "success with entra", image: "gpt-image-1",
			want: []string{"[ok]   Endpoint:", "(v1 API)", "Sign-in: Entra ID token from cli (dev@example.com, tenant " + tenant + ")",
				`[ok]   Chat deployment "chat-dep": answered "OK"`, `Image deployment "gpt-image-1": configured, not tested`},
			wantNone: []string{"[FAIL]"},
		},
		{
			name: "success with key", apiKey: "k-123",
			want:     []string{"Sign-in: API key (AZURE_API_KEY)", `[ok]   Chat deployment "chat-dep"`, "Images: off"},
			wantNone: []string{"[FAIL]", "k-123"},
		},
		{
			name: "401 entra", reply: azauthtest.Reply{Status: http.StatusUnauthorized, Code: "401", Message: "Unauthorized. Access token is missing, invalid, audience is incorrect, or have expired."},
			wantErr: true,
			want:    []string{"[FAIL] Chat deployment \"chat-dep\": HTTP 401", "issued for tenant " + tenant, "az login --tenant"},
		},
		{
			name: "401 key", apiKey: "wrong", reply: azauthtest.Reply{Status: http.StatusUnauthorized, Code: "401", Message: "Access denied due to invalid subscription key or wrong API endpoint."},
			wantErr: true,
			want:    []string{"HTTP 401", "AZURE_API_KEY is not a key of this resource"},
		},
		{
			name: "403 no role", reply: azauthtest.Reply{Status: http.StatusForbidden, Code: "PermissionDenied", Message: "The principal lacks the required data action Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action."},
			wantErr: true,
			want: []string{"HTTP 403 PermissionDenied", `"Cognitive Services OpenAI User"`, "az role assignment create --assignee " + objectID,
				"--scope $(az cognitiveservices account show --name 127"},
		},
		{
			name: "404 deployment", reply: azauthtest.Reply{Status: http.StatusNotFound, Code: "DeploymentNotFound", Message: "The API deployment for this resource does not exist."},
			wantErr: true,
			want:    []string{"HTTP 404 DeploymentNotFound", `no deployment named "chat-dep"`, "AZURE_MODEL_DEPLOYMENT"},
		},
		{
			name: "400 parameter", reply: azauthtest.Reply{Status: http.StatusBadRequest, Code: "unsupported_parameter", Param: "max_tokens",
				Message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."},
			wantErr: true,
			want:    []string{"HTTP 400", `rejected the parameter "max_tokens"`},
		},
		{
			name: "400 parameter named only in the message", reply: azauthtest.Reply{Status: http.StatusBadRequest, Code: "unsupported_value",
				Message: "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported."},
			wantErr: true,
			want:    []string{`rejected the parameter "temperature"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			az := azauthtest.InstallFakeAz(t, azauthtest.AzOptions{Tenant: tenant, ObjectID: objectID})
			srv := azauthtest.NewServer(t)
			srv.SetReply(tt.reply)
			s := azauth.Settings{Endpoint: srv.URL, APIKey: tt.apiKey, AuthMode: azauth.AuthCLI, Deployment: "chat-dep", ImageDeployment: tt.image}
			var out bytes.Buffer
			err := check.Run(t.Context(), azauth.New(s), s, check.Realtime{}, &out)
			report := out.String()
			t.Log("\n" + report)
			if (err != nil) != tt.wantErr {
				t.Errorf("Run error = %v, want error: %v", err, tt.wantErr)
			}
			for _, w := range tt.want {
				if !strings.Contains(report, w) {
					t.Errorf("report lacks %q", w)
				}
			}
			for _, w := range tt.wantNone {
				if strings.Contains(report, w) {
					t.Errorf("report contains %q", w)
				}
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("check sent %d requests, want exactly 1", len(reqs))
			}
			for _, p := range []string{"temperature", "max_tokens", "max_completion_tokens"} {
				if _, ok := reqs[0].Body[p]; ok {
					t.Errorf("the check prompt carried %q; gpt-5 and model-router deployments reject it", p)
				}
			}
			if reqs[0].Body["model"] != "chat-dep" {
				t.Errorf("model = %v, want the deployment", reqs[0].Body["model"])
			}
			if tt.apiKey == "" && reqs[0].Header.Get("Authorization") != "Bearer "+az.Token {
				t.Errorf("the prompt was not sent with the az token")
			}
		})
	}
}

func TestRunSignInFailures(t *testing.T) {
	tests := []struct {
		name     string
		settings azauth.Settings
		az       *azauthtest.AzOptions // nil: no az on PATH at all
		want     []string
	}{
		{name: "not logged in", settings: azauth.Settings{AuthMode: azauth.AuthCLI}, az: &azauthtest.AzOptions{NotLoggedIn: true},
			want: []string{"[FAIL] Sign-in (cli)", "Run `az login`"}},
		{name: "no az installed", settings: azauth.Settings{AuthMode: azauth.AuthCLI},
			want: []string{"[FAIL] Sign-in (cli)", "Install the Azure CLI"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.az != nil {
				azauthtest.InstallFakeAz(t, *tt.az)
			} else {
				t.Setenv("PATH", t.TempDir())
			}
			srv := azauthtest.NewServer(t)
			s := tt.settings
			s.Endpoint = srv.URL
			var out bytes.Buffer
			err := check.Run(t.Context(), azauth.New(s), s, check.Realtime{}, &out)
			t.Log("\n" + out.String())
			if err == nil {
				t.Error("Run succeeded without a sign-in")
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("report lacks %q", w)
				}
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("sent %d requests without a token", n)
			}
		})
	}
}

func TestRunEndpointForms(t *testing.T) {
	tests := []struct {
		name     string
		endpoint string
		wantErr  bool
		want     []string
	}{
		{name: "none: offline", endpoint: "", want: []string{"offline assistant", "AZURE_PROJECT_ENDPOINT=https://RESOURCE.services.ai.azure.com/api/projects/PROJECT", "az login"}},
		{name: "wrong form", endpoint: "http://contoso.openai.azure.com", wantErr: true,
			want: []string{"[FAIL] Endpoint:", "plain http://", "https://RESOURCE.openai.azure.com/openai/v1", "Keys and Endpoint"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := azauth.Settings{Endpoint: tt.endpoint}
			var out bytes.Buffer
			err := check.Run(t.Context(), azauth.New(s), s, check.Realtime{}, &out)
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want error: %v", err, tt.wantErr)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("report lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestRunClassicRoute(t *testing.T) {
	azauthtest.InstallFakeAz(t, azauthtest.AzOptions{})
	srv := azauthtest.NewServer(t)
	s := azauth.Settings{Endpoint: srv.URL + "/api/projects/demo", APIVersion: "2024-10-21", AuthMode: azauth.AuthCLI, Deployment: "gpt-4o"}
	var out bytes.Buffer
	if err := check.Run(t.Context(), azauth.New(s), s, check.Realtime{}, &out); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	for _, w := range []string{"classic route", "api-version 2024-10-21", `project "demo"`, `Chat deployment "gpt-4o": answered "OK"`} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("report lacks %q:\n%s", w, out.String())
		}
	}
	if r := srv.Requests(); len(r) != 1 || r[0].Path != "/openai/deployments/gpt-4o/chat/completions" {
		t.Errorf("requests = %+v", r)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("stdout closed") }

func TestRunReportsWriteErrors(t *testing.T) {
	s := azauth.Settings{}
	if err := check.Run(t.Context(), azauth.New(s), s, check.Realtime{}, failingWriter{}); err == nil || !strings.Contains(err.Error(), "stdout closed") {
		t.Errorf("err = %v, want the write error", err)
	}
}
