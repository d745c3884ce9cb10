package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func postJSON(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("POST %s: %d %s", url, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

func TestVoicePreference(t *testing.T) {
	a := startApp(t, nil)
	var got struct {
		Voice  string   `json:"voice"`
		Voices []string `json:"voices"`
	}
	getJSON(t, a.url+"/api/voice-preference?session=voice-session-1", &got)
	if got.Voice == "" || len(got.Voices) < 2 {
		t.Fatalf("default preference %+v", got)
	}
	pick := got.Voices[1]
	if status, _ := postJSON(t, a.url+"/api/voice-preference?session=voice-session-1", `{"voice":"`+pick+`"}`); status != 200 {
		t.Fatalf("POST a listed voice: %d", status)
	}
	status, body := postJSON(t, a.url+"/api/voice-preference?session=voice-session-1", `{"voice":"darth"}`)
	if status != 400 || !strings.Contains(body["error"].(string), "unknown voice") {
		t.Fatalf("POST an unknown voice: %d %v", status, body)
	}
	if status, _ := postJSON(t, a.url+"/api/voice-preference?session=voice-session-1", `{"voice":`); status != 400 {
		t.Fatalf("POST broken JSON: %d", status)
	}
	getJSON(t, a.url+"/api/voice-preference?session=voice-session-1", &got)
	if got.Voice != pick {
		t.Fatalf("voice %q after choosing %q", got.Voice, pick)
	}
	var other struct{ Voice string }
	getJSON(t, a.url+"/api/voice-preference?session=voice-session-2", &other)
	if other.Voice == pick {
		t.Fatal("another session got this session's voice")
	}
}

// TestTabContentOverHTTP: the HTTP route is a thin adapter over the session's tab request: it
// answers for the session's current mode only, and the second answer comes from the cache.
func TestTabContentOverHTTP(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_PREFETCH_TABS": "false"})
	const url = "/api/tab-content?session=tab-session-1"
	const body = `{"tab_id":"accounts","tab_label":"Accounts","mode_id":"banking"}`
	if status, got := postJSON(t, a.url+url, body); status != 409 {
		t.Fatalf("a tab of a mode the session is not in: %d %v, want 409", status, got)
	}
	conn, _ := dial(t, a, "?session=tab-session-1")
	chatTurn(t, conn, "Presto-Change-O, you're a bank")

	status, first := postJSON(t, a.url+url, body)
	if status != 200 {
		t.Fatalf("tab content: %d %v", status, first)
	}
	results := first["tool_results"].([]any)
	if len(results) == 0 {
		t.Fatal("no tool results for the Accounts tab")
	}
	if tool := results[0].(map[string]any)["tool"]; tool != "show_chart" && tool != "show_metrics" {
		t.Fatalf("tool %v", tool)
	}
	_, again := postJSON(t, a.url+url, body)
	a1, _ := json.Marshal(first)
	a2, _ := json.Marshal(again)
	if !bytes.Equal(a1, a2) {
		t.Fatalf("cached tab content differs:\n%s\n%s", a1, a2)
	}
	for _, bad := range []string{`{"tab_id":"x"}`, `{"tab_id":"../x","tab_label":"X","mode_id":"banking"}`, `not json`,
		`{"tab_id":"rockets","mode_id":"banking"}`} {
		if status, _ := postJSON(t, a.url+url, bad); status != 400 {
			t.Fatalf("%s: %d, want 400", bad, status)
		}
	}
}

func TestImagesAreServedFromTheDataDirOnly(t *testing.T) {
	dataDir := t.TempDir()
	a := startApp(t, map[string]string{"PRESTO_DATA_DIR": dataDir})
	if err := os.MkdirAll(filepath.Join(dataDir, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\nfake")
	if err := os.WriteFile(filepath.Join(dataDir, "images", "airline.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dataDir, "secret.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(a.url + "/images/airline.png")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(body, png) || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("image: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	for _, path := range []string{"/images/..%2Fsecret.png", "/images/nope.png", "/images/airline.txt"} {
		resp, err := http.Get(a.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Fatalf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestModesListsPrebuiltModes(t *testing.T) {
	a := startApp(t, nil)
	var list struct {
		Modes []struct {
			ID       string `json:"id"`
			Prebuilt bool   `json:"prebuilt"`
		} `json:"modes"`
	}
	getJSON(t, a.url+"/api/modes", &list)
	ids := map[string]bool{}
	for _, m := range list.Modes {
		ids[m.ID] = m.Prebuilt
	}
	for _, id := range []string{"presto", "banking", "insurance", "healthcare"} {
		if !ids[id] {
			t.Fatalf("/api/modes lacks prebuilt %q: %+v", id, list.Modes)
		}
	}
}
