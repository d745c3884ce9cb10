package main

import (
	"bufio"
	"context"
	"encoding/json"

	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"
)

// app is a server started through run on port 0.
type app struct {
	url  string // http://127.0.0.1:PORT
	stop func() error
}

// loadBudgets raises every budget past what a benchmark spends from its one address (127.0.0.1):
// hundreds of sessions, and calls as fast as the fake answers them.
var loadBudgets = map[string]string{
	"PRESTO_CHATS_PER_MINUTE": "100000000", "PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE": "100000000",
	"PRESTO_SESSIONS_PER_ADDRESS_PER_MINUTE": "100000000", "PRESTO_LLM_CALLS_PER_MINUTE": "100000000",
}

// withLoadBudgets is env with loadBudgets added.
func withLoadBudgets(env map[string]string) map[string]string {
	out := maps.Clone(loadBudgets)
	maps.Copy(out, env)
	return out
}

// startApp runs the program as main would, with env as its whole environment, and waits for
// /healthz.
func startApp(t testing.TB, env map[string]string) *app {
	t.Helper()
	return startAppLogging(t, env, testWriter{t})
}

// startAppLogging is startApp with the server's log written to stderr.
func startAppLogging(t testing.TB, env map[string]string, stderr io.Writer) *app {
	t.Helper()
	base := map[string]string{"PRESTO_ADDR": "127.0.0.1:0", "PRESTO_DATA_DIR": t.TempDir(), "LOG_LEVEL": "warn"}
	for k, v := range env {
		base[k] = v
	}
	getenv := func(k string) string { return base[k] }
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, nil, getenv, pw, stderr)
		pw.Close()
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("server did not start: %v (%v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	_, rest, _ := strings.Cut(line, "http://")
	addr, _, _ := strings.Cut(rest, " ")
	a := &app{url: "http://" + addr}
	var stopped bool
	var stopErr error
	a.stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			stopErr = <-done
		}
		return stopErr
	}
	t.Cleanup(func() { _ = a.stop() })
	waitHealthy(t, a.url)
	return a
}

func waitHealthy(t testing.TB, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s/healthz never answered 200", url)
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// wsURL is the /ws address of a with an optional query.
func (a *app) wsURL(query string) string {
	return "ws" + strings.TrimPrefix(a.url, "http") + "/ws" + query
}

// dial opens /ws and reads the session message.
func dial(t *testing.T, a *app, query string) (*websocket.Conn, map[string]any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, a.wsURL(query), nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	msg := readMsg(t, conn)
	if msg.Type != "session" {
		t.Fatalf("first message = %q, want session", msg.Type)
	}
	var payload map[string]any
	if err := json.Unmarshal(msg.Payload, &payload); err != nil {
		t.Fatal(err)
	}
	return conn, payload
}

type wireMsg struct {
	Type    string          `json:"type"`
	Turn    int             `json:"turn"`
	Payload json.RawMessage `json:"payload"`
}

func readMsg(t *testing.T, conn *websocket.Conn) wireMsg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, data, err := conn.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var m wireMsg
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return m
}

func writeText(t *testing.T, conn *websocket.Conn, s string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := conn.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
		t.Fatalf("write: %v", err)
	}
}

func TestHealthJSONOrAppByAccept(t *testing.T) {
	a := startApp(t, nil)
	tests := []struct {
		name, accept, wantType, wantBody string
	}{
		{"curl", "*/*", "application/json", `{"status":"ok","service":"presto-changeo"}`},
		{"no accept", "", "application/json", `{"status":"ok","service":"presto-changeo"}`},
		{"browser", "text/html,application/xhtml+xml,*/*;q=0.8", "text/html", "<!doctype html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", a.url+"/", nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.wantType) {
				t.Fatalf("status %d, type %q; want 200 %s", resp.StatusCode, resp.Header.Get("Content-Type"), tt.wantType)
			}
			if !strings.Contains(strings.ToLower(string(body)), strings.ToLower(tt.wantBody)) {
				t.Fatalf("body %.200s does not contain %s", body, tt.wantBody)
			}
		})
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(a.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s = %d", path, resp.StatusCode)
		}
	}
}

func TestCORS(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_ALLOWED_ORIGINS": "https://demo.example.com"})
	tests := []struct {
		origin string
		want   string // Access-Control-Allow-Origin
		status int    // of the preflight
	}{
		{"http://localhost:5173", "http://localhost:5173", http.StatusNoContent},
		{"https://demo.example.com", "https://demo.example.com", http.StatusNoContent},
		{"https://evil.example.com", "", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			req, _ := http.NewRequest("OPTIONS", a.url+"/api/tab-content", nil)
			req.Header.Set("Origin", tt.origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status || resp.Header.Get("Access-Control-Allow-Origin") != tt.want {
				t.Fatalf("preflight: %d %q; want %d %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), tt.status, tt.want)
			}
			req, _ = http.NewRequest("GET", a.url+"/api/modes", nil)
			req.Header.Set("Origin", tt.origin)
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.want {
				t.Fatalf("GET: Access-Control-Allow-Origin %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWebSocketOriginCheck(t *testing.T) {
	a := startApp(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, a.wsURL(""), &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example.com"}}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin upgrade: err %v, resp %v; want 403", err, resp)
	}
	conn, _, err := websocket.Dial(ctx, a.wsURL(""), &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://localhost:5173"}}})
	if err != nil {
		t.Fatalf("allowed origin refused: %v", err)
	}
	conn.CloseNow()
}

func TestWebSocketMessages(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	a := startApp(t, nil)
	conn, session := dial(t, a, "")
	if session["provider"] != "offline" || session["id"] == "" {
		t.Fatalf("session payload %v", session)
	}
	mode := session["mode"].(map[string]any)
	if mode["id"] != "presto" {
		t.Fatalf("a new session starts in mode %v, want the home mode", mode["id"])
	}

	writeText(t, conn, `{"type":"echo","payload":{"hello":"world","n":[1,2]}}`)
	if m := readMsg(t, conn); m.Type != "echo" || string(m.Payload) != `{"hello":"world","n":[1,2]}` {
		t.Fatalf("echo = %s %s", m.Type, m.Payload)
	}
	bad := []struct{ in, want string }{
		{`{not json`, "not a JSON object"},
		{`{"type":"dance"}`, `unknown message type "dance"`},
		{"{\"type\":\"chat\",\"payload\":{\"text\":\"\xff\xfe\"}}", "UTF-8"},
		{`{"type":"chat","payload":{"text":"` + strings.Repeat("a", 4001) + `"}}`, "too long"},
	}
	for _, b := range bad {
		writeText(t, conn, b.in)
		m := readMsg(t, conn)
		var p struct{ Error string }
		_ = json.Unmarshal(m.Payload, &p)
		if m.Type != "error" || !strings.Contains(p.Error, b.want) {
			t.Fatalf("after %.40q got %s %s; want error containing %q", b.in, m.Type, m.Payload, b.want)
		}
	}
	writeText(t, conn, `{"type":"ping"}`)
	if m := readMsg(t, conn); m.Type != "pong" {
		t.Fatalf("ping after bad messages = %s, want pong", m.Type)
	}

	// Over the 64 KB limit the socket closes with 1009.
	writeText(t, conn, `{"type":"echo","payload":{"x":"`+strings.Repeat("x", 70<<10)+`"}}`)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, err := conn.Read(ctx)
	if status := websocket.CloseStatus(err); status != websocket.StatusMessageTooBig {
		t.Fatalf("oversize message: read err %v (status %d), want close 1009", err, status)
	}
	if err := a.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
}

func TestGracefulShutdownClosesSocketsWith1001(t *testing.T) {
	a := startApp(t, nil)
	conn, _ := dial(t, a, "")
	readErr := make(chan error, 1)
	go func() {
		_, _, err := conn.Read(context.Background())
		readErr <- err
	}()
	if err := a.stop(); err != nil {
		t.Fatalf("run returned %v after shutdown", err)
	}
	select {
	case err := <-readErr:
		if status := websocket.CloseStatus(err); status != websocket.StatusGoingAway {
			t.Fatalf("socket closed with %v (status %d), want 1001", err, status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("socket not closed by shutdown")
	}
	if _, err := http.Get(a.url + "/healthz"); err == nil {
		t.Fatal("server still answers after shutdown")
	}
}

func TestAccessToken(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_ACCESS_TOKEN": "s3cret"})
	get := func(path string, header http.Header) *http.Response {
		req, _ := http.NewRequest("GET", a.url+path, nil)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := get("/api/modes", nil); r.StatusCode != 401 {
		t.Fatalf("no token: %d, want 401", r.StatusCode)
	}
	if r := get("/api/modes", http.Header{"Authorization": {"Bearer wrong"}}); r.StatusCode != 401 {
		t.Fatalf("wrong token: %d, want 401", r.StatusCode)
	}
	if r := get("/api/modes", http.Header{"Authorization": {"Bearer s3cret"}}); r.StatusCode != 200 {
		t.Fatalf("bearer token: %d, want 200", r.StatusCode)
	}
	r := get("/api/modes?token=s3cret", nil)
	var cookie *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == "presto_token" {
			cookie = c
		}
	}
	if r.StatusCode != 200 || cookie == nil || !cookie.HttpOnly {
		t.Fatalf("?token=: %d, cookie %v; want 200 and an HttpOnly cookie", r.StatusCode, cookie)
	}
	if r := get("/api/modes", http.Header{"Cookie": {"presto_token=s3cret"}}); r.StatusCode != 200 {
		t.Fatalf("token cookie: %d, want 200", r.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, a.wsURL(""), nil)
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("upgrade without token: %v %v, want 401", err, resp)
	}
	if r := get("/healthz", nil); r.StatusCode != 200 {
		t.Fatalf("/healthz must stay open for probes: %d", r.StatusCode)
	}
}
