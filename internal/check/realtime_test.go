package check_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"presto/internal/azauth"
	"presto/internal/azauth/azauthtest"
	"presto/internal/check"
	"presto/internal/llm/realtimetest"
	"presto/internal/voice"
)

var voiceSettings = voice.Settings{VAD: "server_vad", Threshold: 0.5, SilenceMS: 500, TranscribeModel: "whisper-1", DefaultVoice: "marin"}

func TestCheckRealtime(t *testing.T) {
	const aiScope = "https://ai.azure.com/.default"
	tests := []struct {
		name    string
		apiKey  string
		refuse  func(*realtimetest.Server)
		onlyAI  bool // the fake accepts only the handshake after the first 401
		never   bool // the fake refuses every sign-in
		gaURL   func(*realtimetest.Server) string
		wantErr bool
		want    []string
		// wantScopes are the scopes az was asked for, in order (Entra only).
		wantScopes []string
	}{
		{name: "key, GA", apiKey: "k-1",
			want: []string{`[ok]   Realtime deployment "rt-dep": session.update accepted in`, "(GA route, API key)"}},
		{name: "entra, first scope", want: []string{"(GA route, Entra token scope " + azauth.Scope + ")"},
			wantScopes: []string{"cognitiveservices.azure.com"}},
		{name: "entra, second scope", refuse: func(s *realtimetest.Server) { s.RefuseNext(1, http.StatusUnauthorized) },
			want: []string{"Entra token scope " + aiScope + ")", "refused a token for " + azauth.Scope + " (401) and accepted one for " + aiScope,
				"the voice relay must ask for " + aiScope},
			wantScopes: []string{"cognitiveservices.azure.com", "ai.azure.com"}},
		{name: "entra, every scope refused", never: true, wantErr: true,
			want: []string{`[FAIL] Realtime deployment "rt-dep": HTTP 401 for an Entra token of every scope tried (` + azauth.Scope + ", " + aiScope + ")",
				"issued for tenant " + tenant}},
		{name: "key refused", apiKey: "wrong", never: true, wantErr: true,
			want: []string{`[FAIL] Realtime deployment "rt-dep": HTTP 401 (GA route)`, "AZURE_API_KEY is not a key of this resource"}},
		{name: "403 no role", refuse: func(s *realtimetest.Server) { s.RefuseNext(1, http.StatusForbidden) }, wantErr: true,
			want: []string{"HTTP 403 (GA route)", `"Cognitive Services OpenAI User"`, "az role assignment create --assignee " + objectID}},
		{name: "404 no deployment", apiKey: "k-1", refuse: func(s *realtimetest.Server) { s.RefuseNext(2, http.StatusNotFound) }, wantErr: true,
			want: []string{"HTTP 404 (GA and preview routes)", `no realtime deployment named "rt-dep"`, "AZURE_REALTIME_DEPLOYMENT", "East US 2, Sweden Central",
				"az cognitiveservices account deployment list"}},
		{name: "GA 404, preview", apiKey: "k-1", refuse: func(s *realtimetest.Server) { s.RefuseNextGA(1, http.StatusNotFound) },
			want: []string{"[ok]   Realtime deployment", "(preview route: the GA route answered 404, API key)", "deprecated from 2026-04-30"}},
		{name: "error event", apiKey: "k-1", gaURL: func(s *realtimetest.Server) string { return s.PreviewURL("rt-dep", "2025-04-01-preview") }, wantErr: true,
			want: []string{`[FAIL] Realtime deployment "rt-dep": the session.update was refused: Unknown parameter: 'session.output_modalities'. (unknown_parameter)`,
				"unset AZURE_OPENAI_API_VERSION"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			az := azauthtest.InstallFakeAz(t, azauthtest.AzOptions{Tenant: tenant, ObjectID: objectID})
			chat := azauthtest.NewServer(t)
			accepted := "Bearer " + az.Token
			rtFake := realtimetest.NewServer(t, realtimetest.Options{Authorize: func(h http.Header) bool {
				if tt.never {
					return false
				}
				return h.Get("api-key") == tt.apiKey && tt.apiKey != "" || h.Get("Authorization") == accepted
			}})
			if tt.refuse != nil {
				tt.refuse(rtFake)
			}
			s := azauth.Settings{Endpoint: chat.URL, APIKey: tt.apiKey, AuthMode: azauth.AuthCLI, Deployment: "chat-dep", RealtimeDeployment: "rt-dep"}
			up := voice.AzureUpstream(rtFake.URL, rtFake.GAURL("rt-dep"), "rt-dep", "", func(context.Context) (http.Header, error) {
				return http.Header{"Api-Key": {tt.apiKey}}, nil // what cmd/presto gives for a key; Entra is replaced by the check
			})
			if tt.gaURL != nil {
				up.GAURL = tt.gaURL(rtFake)
			}
			var out bytes.Buffer
			err := check.Run(t.Context(), azauth.New(s), s, check.Realtime{Upstream: &up, Voice: voiceSettings}, &out)
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
			if c, r := strings.Index(report, "Chat deployment"), strings.Index(report, "Realtime deployment"); c < 0 || r < c {
				t.Errorf("the realtime line does not follow the chat line")
			}
			if strings.Contains(report, "k-1") {
				t.Errorf("the report shows the key")
			}
			if tt.wantScopes != nil {
				var scopes []string
				for _, call := range az.Calls(t) {
					for _, sc := range []string{"cognitiveservices.azure.com", "ai.azure.com"} {
						if strings.Contains(call, sc) && (len(scopes) == 0 || scopes[len(scopes)-1] != sc) {
							scopes = append(scopes, sc)
						}
					}
				}
				if strings.Join(scopes, " ") != strings.Join(tt.wantScopes, " ") {
					t.Errorf("az was asked for %v, want %v (calls %q)", scopes, tt.wantScopes, az.Calls(t))
				}
			}
			for _, c := range rtFake.Conns() {
				if n := len(c.ReceivedOfType("input_audio_buffer.append")) + len(c.ReceivedOfType("response.create")); n != 0 {
					t.Errorf("the check sent %d audio or response events", n)
				}
			}
		})
	}
}

func TestCheckOfflineNamesVoice(t *testing.T) {
	s := azauth.Settings{}
	var out bytes.Buffer
	if err := check.Run(t.Context(), azauth.New(s), s, check.Realtime{}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Voice: off. It needs a realtime model") {
		t.Errorf("report lacks the voice line:\n%s", out.String())
	}
}
