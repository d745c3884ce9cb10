package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	_ "modernc.org/sqlite"

	"presto/internal/store"
)

// do sends req and returns its status, body and headers.
func do(t *testing.T, req *http.Request) (int, string, http.Header) {
	t.Helper()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// upgrade tries a /ws upgrade of a with opts and returns the HTTP status it was answered with
// (101 when it became a socket, closed at once).
func upgrade(t *testing.T, a *app, query string, opts *websocket.DialOptions) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, a.wsURL(query), opts)
	if err == nil {
		conn.CloseNow()
		return http.StatusSwitchingProtocols, ""
	}
	if resp == nil {
		t.Fatalf("upgrade: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestDNSRebindingIsRefusedOnEveryRoute(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_ALLOWED_HOSTS": "demo.example.com, *.example.org"})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(a.url, "http://"))
	for _, host := range []string{"evil.example", "evil.example:" + port, "demo.example.com.evil.example", "example.org", "localhost.evil.example"} {
		for _, path := range []string{"/", "/api/state", "/healthz", "/api/voice-preference"} {
			req, _ := http.NewRequest("GET", a.url+path, nil)
			req.Host = host
			req.Header.Set("Accept", "text/html")
			status, body, _ := do(t, req)
			if status != http.StatusMisdirectedRequest || !strings.Contains(body, "PRESTO_ALLOWED_HOSTS") {
				t.Fatalf("Host %s %s: %d %s; want 421 naming PRESTO_ALLOWED_HOSTS", host, path, status, body)
			}
		}
		if status, body := upgrade(t, a, "", &websocket.DialOptions{Host: host}); status != http.StatusMisdirectedRequest {
			t.Fatalf("Host %s: /ws upgrade answered %d %s, want 421", host, status, body)
		}
		req, _ := http.NewRequest("POST", a.url+"/api/voice-preference", strings.NewReader(`{"voice":"cedar"}`))
		req.Host = host
		req.Header.Set("Content-Type", "application/json")
		if status, _, _ := do(t, req); status != http.StatusMisdirectedRequest {
			t.Fatalf("Host %s: POST answered %d, want 421", host, status)
		}
	}
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port, "app.localhost:" + port,
		"192.0.2.10:" + port, "demo.example.com", "Demo.Example.Com.:" + port, "a.example.org"} {
		req, _ := http.NewRequest("GET", a.url+"/api/state?session=rebind-ok-1", nil)
		req.Host = host
		if status, body, _ := do(t, req); status != 200 {
			t.Fatalf("Host %s: /api/state %d %s, want 200", host, status, body)
		}
		if status, body := upgrade(t, a, "", &websocket.DialOptions{Host: host}); status != http.StatusSwitchingProtocols {
			t.Fatalf("Host %s: /ws upgrade answered %d %s, want a socket", host, status, body)
		}
	}

	// HTTP/1.0 without Host is HAProxy's health check: it must reach /readyz.
	c, err := net.Dial("tcp", strings.TrimPrefix(a.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprint(c, "GET /readyz HTTP/1.0\r\n\r\n")
	reply, _ := io.ReadAll(c)
	if !bytes.HasPrefix(reply, []byte("HTTP/1.0 200")) {
		t.Fatalf("HTTP/1.0 probe without Host: %.80q, want 200", reply)
	}
}

func TestCrossSitePostsAreRefused(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_ALLOWED_ORIGINS": "https://partner.example.com"})
	const url = "/api/voice-preference?session=csrf-session-1"
	voice := func() string {
		var got struct{ Voice string }
		getJSON(t, a.url+url, &got)
		return got.Voice
	}
	before := voice()
	post := func(contentType string, header http.Header) (int, string) {
		req, _ := http.NewRequest("POST", a.url+url, strings.NewReader(`{"voice":"sage"}`))
		req.Header = header
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		status, body, _ := do(t, req)
		return status, body
	}
	refused := []struct {
		name, contentType string
		header            http.Header
		status            int
	}{
		// A form or fetch(..., {mode: "no-cors"}) on another site: no preflight, so only the
		// server can refuse it.
		{"cross-site text/plain", "text/plain;charset=UTF-8", http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden},
		{"cross-site JSON", "application/json", http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden},
		{"sandboxed frame", "text/plain", http.Header{"Origin": {"null"}}, http.StatusForbidden},
		{"cross-site without Origin", "text/plain", http.Header{"Sec-Fetch-Site": {"cross-site"}}, http.StatusForbidden},
		{"allowed origin, other scheme", "application/json", http.Header{"Origin": {"http://partner.example.com"}}, http.StatusForbidden},
		{"same origin but a form", "application/x-www-form-urlencoded", http.Header{"Origin": {a.url}}, http.StatusUnsupportedMediaType},
		{"no Origin, text/plain", "text/plain", http.Header{}, http.StatusUnsupportedMediaType},
		{"no Content-Type", "", http.Header{}, http.StatusUnsupportedMediaType},
	}
	for _, tt := range refused {
		if status, body := post(tt.contentType, tt.header); status != tt.status {
			t.Fatalf("%s: %d %s, want %d", tt.name, status, body, tt.status)
		}
		if got := voice(); got != before {
			t.Fatalf("%s changed the voice to %q", tt.name, got)
		}
	}
	status, body := post("text/plain", http.Header{"Origin": {"https://evil.example"}})
	if !strings.Contains(body, "PRESTO_ALLOWED_ORIGINS") {
		t.Fatalf("refusal %d %s does not say what to set", status, body)
	}
	// POSTs to /api/tab-content start LLM calls: the same rule.
	req, _ := http.NewRequest("POST", a.url+"/api/tab-content?session=csrf-session-1", strings.NewReader(`{"mode_id":"presto","tab_id":"dashboard"}`))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Origin", "https://evil.example")
	if status, _, _ := do(t, req); status != http.StatusForbidden {
		t.Fatalf("cross-site tab-content: %d, want 403", status)
	}

	for _, tt := range []struct {
		name   string
		header http.Header
	}{
		{"same origin", http.Header{"Origin": {a.url}, "Sec-Fetch-Site": {"same-origin"}}},
		{"allowed origin", http.Header{"Origin": {"https://partner.example.com"}}},
		{"no browser", http.Header{}},
	} {
		if status, body := post("application/json; charset=utf-8", tt.header); status != 200 {
			t.Fatalf("%s: %d %s, want 200", tt.name, status, body)
		}
	}
	if got := voice(); got != "sage" {
		t.Fatalf("voice %q after allowed POSTs, want sage", got)
	}
}

func TestViteOriginOnlyOnLoopback(t *testing.T) {
	vite := http.Header{"Origin": {"http://localhost:5173"}}
	loopback := startApp(t, nil)
	if status, body := upgrade(t, loopback, "", &websocket.DialOptions{HTTPHeader: vite}); status != http.StatusSwitchingProtocols {
		t.Fatalf("loopback: the Vite origin's upgrade answered %d %s", status, body)
	}
	// The origin is the whole scheme://host:port, not the host alone.
	for _, origin := range []string{"https://localhost:5173", "ws://localhost:5173", "http://localhost:5174"} {
		if status, _ := upgrade(t, loopback, "", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {origin}}}); status != http.StatusForbidden {
			t.Fatalf("loopback: origin %s answered %d, want 403", origin, status)
		}
	}

	// Listening on every interface (as in a container): a visitor's own localhost:5173 is no
	// page of ours.
	public := startApp(t, map[string]string{"PRESTO_ADDR": "0.0.0.0:0"})
	if status, _ := upgrade(t, public, "", &websocket.DialOptions{HTTPHeader: vite}); status != http.StatusForbidden {
		t.Fatalf("public bind: the Vite origin's upgrade answered %d, want 403", status)
	}
	req, _ := http.NewRequest("POST", public.url+"/api/voice-preference?session=vite-session-1", strings.NewReader(`{"voice":"sage"}`))
	req.Header = http.Header{"Origin": {"http://localhost:5173"}, "Content-Type": {"application/json"}}
	if status, _, _ := do(t, req); status != http.StatusForbidden {
		t.Fatalf("public bind: a POST from the Vite origin answered %d, want 403", status)
	}
	listed := startApp(t, map[string]string{"PRESTO_ADDR": "0.0.0.0:0", "PRESTO_ALLOWED_ORIGINS": "http://localhost:5173"})
	if status, body := upgrade(t, listed, "", &websocket.DialOptions{HTTPHeader: vite}); status != http.StatusSwitchingProtocols {
		t.Fatalf("public bind, Vite listed: %d %s, want a socket", status, body)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	a := startApp(t, nil)
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "no-referrer",
	}
	for _, tt := range []struct{ method, path, host, accept string }{
		{"GET", "/", "", "text/html"},
		{"GET", "/", "", ""},
		{"GET", "/assets/nothing-here.js", "", ""},
		{"GET", "/api/state", "", ""},
		{"GET", "/healthz", "", ""},
		{"GET", "/metrics", "", ""},
		{"GET", "/api/nope", "", ""},
		{"GET", "/", "evil.example", ""},
		{"POST", "/api/voice-preference", "", ""},
	} {
		req, _ := http.NewRequest(tt.method, a.url+tt.path, nil)
		if tt.host != "" {
			req.Host = tt.host
		}
		if tt.accept != "" {
			req.Header.Set("Accept", tt.accept)
		}
		status, _, h := do(t, req)
		for k, v := range want {
			if h.Get(k) != v {
				t.Fatalf("%s %s (Host %q) → %d: %s = %q, want %q", tt.method, tt.path, tt.host, status, k, h.Get(k), v)
			}
		}
	}
}

// lockedBuffer is a log the server writes while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestSessionIDsAreNeverLogged runs a session through every route that takes its id, at debug
// level, including a store error about it, and looks for the id in the log.
func TestSessionIDsAreNeverLogged(t *testing.T) {
	const id = "s3cret-session-0123456789"
	var log lockedBuffer
	dataDir := t.TempDir()
	a := startAppLogging(t, map[string]string{"LOG_LEVEL": "debug", "PRESTO_DATA_DIR": dataDir}, &log)

	conn, _ := dial(t, a, "?session="+id)
	chatTurn(t, conn, "Presto-Change-O, you're a bank")
	chatTurn(t, conn, "how much is in my checking account?")
	writeText(t, conn, `{"type":"tab","payload":{"tab_id":"accounts"}}`)
	readMsg(t, conn)
	if status, _ := postJSON(t, a.url+"/api/voice-preference?session="+id, `{"voice":"sage"}`); status != 200 {
		t.Fatalf("voice preference: %d", status)
	}
	var state map[string]any
	getJSON(t, a.url+"/api/state?session="+id, &state)
	req, _ := http.NewRequest("GET", a.url+"/api/state?session="+id, nil)
	req.Host = "evil.example"
	do(t, req)
	// Flooding the socket logs its closing.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < 200; i++ {
		if conn.Write(ctx, websocket.MessageText, []byte(`{"type":"ping"}`)) != nil {
			break
		}
	}
	for {
		if _, _, err := conn.Read(ctx); err != nil {
			break
		}
	}
	// A corrupt row is logged when the session is loaded again, once its last socket is gone.
	db, err := sql.Open("sqlite", filepath.Join(dataDir, "presto.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(log.String(), "skipping corrupt session row") && time.Now().Before(deadline) {
		if _, err := db.Exec(`UPDATE sessions SET history = '{not json' WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(a.url + "/api/state?session=" + id)
		if err == nil {
			resp.Body.Close()
		}
		time.Sleep(50 * time.Millisecond)
	}

	logged := log.String()
	if strings.Contains(logged, id) {
		for _, line := range strings.Split(logged, "\n") {
			if strings.Contains(line, id) {
				t.Errorf("the session id is in the log: %s", line)
			}
		}
	}
	hash := store.SessionLogID(id)
	for _, want := range []string{"skipping corrupt session row", "socket sends too many messages"} {
		found := false
		for _, line := range strings.Split(logged, "\n") {
			found = found || strings.Contains(line, want) && strings.Contains(line, hash)
		}
		if !found {
			t.Errorf("no %q line naming the session as %s in the log:\n%s", want, hash, logged)
		}
	}
}

func TestSocketCapsAnswer503AndHealthzStaysUp(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_MAX_SOCKETS_PER_ADDRESS": "5", "PRESTO_MAX_SOCKETS": "8", "PRESTO_TRUSTED_PROXIES": "127.0.0.2"})
	var open []*websocket.Conn
	for i := 0; i < 5; i++ {
		c, _ := dial(t, a, "")
		open = append(open, c)
	}
	status, body := upgrade(t, a, "", nil)
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "PRESTO_MAX_SOCKETS_PER_ADDRESS") {
		t.Fatalf("the sixth socket from one address: %d %s, want 503 naming PRESTO_MAX_SOCKETS_PER_ADDRESS", status, body)
	}
	waitHealthy(t, a.url)
	open[0].Close(websocket.StatusNormalClosure, "")
	var held []*websocket.Conn
	defer func() {
		for _, c := range held {
			c.CloseNow()
		}
	}()
	// dialKeep opens a socket that stays open, from 127.0.0.2 (the trusted proxy) for a client
	// named in X-Forwarded-For, or from 127.0.0.1 when client is "".
	dialKeep := func(client string) (*websocket.Conn, error) {
		opts := &websocket.DialOptions{}
		if client != "" {
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
			opts.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
			opts.HTTPHeader = http.Header{"X-Forwarded-For": {client}}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, _, err := websocket.Dial(ctx, a.wsURL(""), opts)
		if err == nil {
			held = append(held, c)
		}
		return c, err
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := dialKeep(""); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("no socket after one closed: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Behind a trusted proxy the address is X-Forwarded-For's: one client at its cap leaves the
	// others theirs, up to the process's cap (8: five from 127.0.0.1, three more).
	viaProxy := func(client string) (int, string) {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
		hc := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
		return upgrade(t, a, "", &websocket.DialOptions{HTTPClient: hc, HTTPHeader: http.Header{"X-Forwarded-For": {client}}})
	}
	for i := 0; i < 3; i++ {
		if _, err := dialKeep("198.51.100.1"); err != nil {
			t.Fatalf("socket %d through the proxy: %v", i, err)
		}
	}
	if status, body := viaProxy("198.51.100.2"); status != http.StatusServiceUnavailable || !strings.Contains(body, "PRESTO_MAX_SOCKETS)") {
		t.Fatalf("the ninth socket in the process: %d %s, want 503 naming PRESTO_MAX_SOCKETS", status, body)
	}
	waitHealthy(t, a.url)
	m := metricsText(a.url)
	for _, want := range []string{`presto_connections_refused_total{reason="socket_address"} 1`, `presto_connections_refused_total{reason="socket_total"} 1`} {
		if !strings.Contains(m, want) {
			t.Fatalf("/metrics lacks %s", want)
		}
	}
}

// TestOneAddressCannotTakeTheFileHandles opens more idle TCP connections from one address than it
// may hold: the ones past the cap are closed at once, and /healthz keeps answering others.
func TestOneAddressCannotTakeTheFileHandles(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_MAX_SOCKETS_PER_ADDRESS": "5"})
	addr := strings.TrimPrefix(a.url, "http://")
	perPeer := 5 + plainConnsPerPeer
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < perPeer+10; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	// A connection kept open reads nothing until its deadline; one closed at accept reads EOF.
	var closed sync.WaitGroup
	var mu sync.Mutex
	closedAtOnce := 0
	for _, c := range conns {
		closed.Add(1)
		go func() {
			defer closed.Done()
			_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			if _, err := c.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
				mu.Lock()
				closedAtOnce++
				mu.Unlock()
			}
		}()
	}
	closed.Wait()
	if closedAtOnce != 10 {
		t.Fatalf("%d of %d connections from one address closed at once, want the 10 past %d", closedAtOnce, perPeer+10, perPeer)
	}
	other := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.3")}}).DialContext}}
	resp, err := other.Get(a.url + "/healthz")
	if err != nil {
		t.Fatalf("/healthz from another address while one is at its cap: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/healthz: %d", resp.StatusCode)
	}
	resp, err = other.Get(a.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if m := string(raw); !strings.Contains(m, `presto_connections_refused_total{reason="tcp_peer"} 10`) {
		t.Fatalf("/metrics does not count the 10 connections refused:\n%s", grepLines(m, "refused"))
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

func grepLines(text, word string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestCheapMessagesAreRateLimitedPerSocket(t *testing.T) {
	a := startApp(t, nil)
	conn, _ := dial(t, a, "")
	for i := 0; i < 30; i++ {
		writeText(t, conn, `{"type":"ping"}`)
	}
	// Every kind counts, bad messages too: their error is an answer as well.
	writeText(t, conn, `{"type":"dance"}`)
	// A second later the socket may send again: the marker ends what the flood was answered.
	time.Sleep(1100 * time.Millisecond)
	writeText(t, conn, `{"type":"echo","payload":{"marker":1}}`)
	pongs, errs := 0, []string{}
	for {
		m := readMsg(t, conn)
		if m.Type == "echo" {
			break
		}
		switch m.Type {
		case "pong":
			pongs++
		case "error":
			errs = append(errs, string(m.Payload))
		default:
			t.Fatalf("unexpected %s %s", m.Type, m.Payload)
		}
	}
	// The burst is 20; a slow machine may refill one or two while the 31 arrive.
	if pongs < 20 || pongs > 22 || len(errs) != 1 || !strings.Contains(errs[0], "too many messages") {
		t.Fatalf("%d pongs and errors %v for 30 pings and a bad message; want 20 and one error saying too many messages", pongs, errs)
	}
	// One that keeps flooding is closed with 1008.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < 500; i++ {
		if conn.Write(ctx, websocket.MessageText, []byte(`{"type":"echo"}`)) != nil {
			break
		}
	}
	var err error
	for err == nil {
		_, _, err = conn.Read(ctx)
	}
	if websocket.CloseStatus(err) != websocket.StatusPolicyViolation || !strings.Contains(err.Error(), "too many messages") {
		t.Fatalf("a flooding socket ended with %v, want 1008 too many messages", err)
	}
}
