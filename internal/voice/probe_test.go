package voice_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"presto/internal/llm/realtimetest"
	"presto/internal/voice"
)

var probeSettings = voice.Settings{VAD: "server_vad", Threshold: 0.5, SilenceMS: 500, TranscribeModel: "whisper-1", DefaultVoice: "cedar"}

func keyHeader(key string) func(context.Context) (http.Header, error) {
	return func(context.Context) (http.Header, error) {
		return http.Header{"Api-Key": {key}}, nil
	}
}

func TestProbe(t *testing.T) {
	tests := []struct {
		name    string
		refuse  func(*realtimetest.Server)
		key     string
		upURL   func(*realtimetest.Server) string // GA URL; default the GA path
		wantErr string
		want    voice.ProbeResult // Elapsed ignored
		wantGA  bool              // the session.update had the GA shape
		conns   int
	}{
		{name: "GA", key: "good", want: voice.ProbeResult{Model: "rt-dep"}, wantGA: true, conns: 1},
		{name: "GA 404, preview", key: "good", refuse: func(s *realtimetest.Server) { s.RefuseNextGA(1, http.StatusNotFound) },
			want: voice.ProbeResult{Preview: true, Model: "rt-dep"}, conns: 1},
		{name: "401", key: "wrong", wantErr: "HTTP 401", want: voice.ProbeResult{Status: http.StatusUnauthorized}},
		{name: "403", key: "good", refuse: func(s *realtimetest.Server) { s.RefuseNext(1, http.StatusForbidden) },
			wantErr: "HTTP 403", want: voice.ProbeResult{Status: http.StatusForbidden}},
		{name: "404 on both routes", key: "good", refuse: func(s *realtimetest.Server) { s.RefuseNext(2, http.StatusNotFound) },
			wantErr: "HTTP 404", want: voice.ProbeResult{Preview: true, Status: http.StatusNotFound}},
		{name: "error event", key: "good", upURL: func(s *realtimetest.Server) string { return s.PreviewURL("rt-dep", "2025-04-01-preview") },
			wantErr: "Unknown parameter: 'session.output_modalities'",
			want:    voice.ProbeResult{Code: "unknown_parameter", Message: "Unknown parameter: 'session.output_modalities'."}, wantGA: true, conns: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := realtimetest.NewServer(t, realtimetest.Options{Authorize: func(h http.Header) bool { return h.Get("api-key") == "good" }})
			if tt.refuse != nil {
				tt.refuse(fake)
			}
			up := voice.AzureUpstream(fake.URL, fake.GAURL("rt-dep"), "rt-dep", "", keyHeader(tt.key))
			if tt.upURL != nil {
				up.GAURL = tt.upURL(fake)
			}
			res, err := voice.Probe(t.Context(), up, probeSettings)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Probe error = %v, want %q", err, tt.wantErr)
			}
			if tt.want.Status != 0 {
				var de *voice.DialError
				if !errors.As(err, &de) || de.Status != tt.want.Status {
					t.Errorf("error %v is not a DialError with status %d", err, tt.want.Status)
				}
			}
			res.Elapsed = 0
			if res != tt.want {
				t.Errorf("result = %+v, want %+v", res, tt.want)
			}
			conns := fake.Conns()
			if len(conns) != tt.conns {
				t.Fatalf("%d connections, want %d", len(conns), tt.conns)
			}
			if tt.conns == 0 {
				return
			}
			c := conns[0]
			updates := fake.WaitReceived(c, "session.update", 1)
			sess := updates[0]["session"].(map[string]any)
			if _, ga := sess["output_modalities"]; ga != tt.wantGA || (sess["type"] == "realtime") != tt.wantGA {
				t.Errorf("session.update shape: GA %v, want GA %v: %v", ga, tt.wantGA, sess)
			}
			if !tt.wantGA && sess["voice"] != "cedar" {
				t.Errorf("preview voice = %v, want the settings' default", sess["voice"])
			}
			for _, typ := range []string{"input_audio_buffer.append", "response.create"} {
				if n := len(c.ReceivedOfType(typ)); n != 0 {
					t.Errorf("the probe sent %d %s events; it must cost nothing but the session", n, typ)
				}
			}
			select {
			case <-c.Done():
			case <-t.Context().Done():
			}
		})
	}
}

func TestProbeOpenAIForm(t *testing.T) {
	fake := realtimetest.NewServer(t, realtimetest.Options{Authorize: func(h http.Header) bool { return h.Get("Authorization") == "Bearer sk-1" }})
	up, err := voice.OpenAIUpstream(fake.URL+"/v1", "gpt-realtime", "sk-1")
	if err != nil {
		t.Fatal(err)
	}
	res, err := voice.Probe(t.Context(), up, voice.Settings{VAD: "semantic_vad", TranscribeModel: "whisper-1"})
	if err != nil || res.Preview || res.Model != "gpt-realtime" {
		t.Fatalf("Probe = %+v, %v", res, err)
	}
	sess := fake.WaitReceived(fake.Conn(0), "session.update", 1)[0]["session"].(map[string]any)
	if v := sess["audio"].(map[string]any)["output"].(map[string]any)["voice"]; v != "marin" {
		t.Errorf("voice = %v, want marin when the settings name none", v)
	}
	if p := fake.Conn(0).Path; p != "/v1/realtime" {
		t.Errorf("path = %s", p)
	}
}

func TestProbeTimesOut(t *testing.T) {
	// A server that upgrades and never answers: the probe gives up when its context ends.
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			if _, _, err := c.Read(r.Context()); err != nil {
				return
			}
		}
	}))
	t.Cleanup(silent.Close)
	up := voice.Upstream{GAURL: "ws" + strings.TrimPrefix(silent.URL, "http") + "/openai/v1/realtime?model=rt-dep", Header: keyHeader("k")}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := voice.Probe(ctx, up, probeSettings)
	if err == nil || !strings.Contains(err.Error(), "no session.updated in time") {
		t.Fatalf("err = %v, want a timeout", err)
	}
}
