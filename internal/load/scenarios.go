package load

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// message is what the server sends on /ws.
type message struct {
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

// errorPayload is an error, chat_error or tab_error.
type errorPayload struct {
	Error      string `json:"error"`
	RetryAfter int    `json:"retry_after"`
}

// dial opens /ws of session (a new one when empty) and reads the session message. A socket the
// server refuses, at the upgrade or with a close right after it, is an outcome, not an error.
func dial(ctx context.Context, c Config, session string) (*websocket.Conn, message, string) {
	u := "ws" + strings.TrimPrefix(c.URL, "http") + "/ws"
	if session != "" {
		u += "?session=" + session
	}
	opts := &websocket.DialOptions{HTTPHeader: http.Header{}}
	if c.Token != "" {
		opts.HTTPHeader.Set("Authorization", "Bearer "+c.Token)
	}
	conn, resp, err := websocket.Dial(ctx, u, opts)
	if err != nil {
		if resp != nil {
			return nil, message{}, "refused at upgrade: http " + strconv.Itoa(resp.StatusCode)
		}
		return nil, message{}, dialFailure(ctx, err)
	}
	first, outcome := read(ctx, conn)
	if outcome != "" {
		conn.CloseNow()
		return nil, message{}, "refused at open: " + outcome
	}
	return conn, first, ""
}

// dialFailure names a failed dial in a few words (the detail would make every line unique).
func dialFailure(ctx context.Context, err error) string {
	switch {
	case ctx.Err() != nil:
		return "dial stopped at the end of the run"
	case strings.Contains(err.Error(), "too many open files"):
		return "dial failed: too many open files here (raise ulimit -n)"
	case strings.Contains(err.Error(), "connection refused"):
		return "dial failed: connection refused"
	case strings.Contains(err.Error(), "connection reset"):
		return "dial failed: connection reset"
	}
	return "dial failed"
}

// read reads one message; a socket that ended is the outcome "close CODE".
func read(ctx context.Context, conn *websocket.Conn) (message, string) {
	_, data, err := conn.Read(ctx)
	if err != nil {
		if code := websocket.CloseStatus(err); code != -1 {
			return message{}, "close " + strconv.Itoa(int(code))
		}
		if ctx.Err() != nil {
			return message{}, "stopped at the end of the run"
		}
		return message{}, "socket broken"
	}
	var m message
	if err := json.Unmarshal(data, &m); err != nil {
		return message{}, "undecodable message"
	}
	return m, ""
}

func send(ctx context.Context, conn *websocket.Conn, typ string, payload any) error {
	b, err := json.Marshal(map[string]any{"type": typ, "payload": payload})
	if err != nil {
		return err
	}
	return conn.Write(ctx, websocket.MessageText, b)
}

// chat sends text and reads until its turn ends: "chat answered", "chat refused" (a budget, with
// a wait), "chat failed" or how the socket ended.
func chat(ctx context.Context, conn *websocket.Conn, text string) (outcome string, switched message) {
	if err := send(ctx, conn, "chat", map[string]string{"text": text}); err != nil {
		return "chat not sent", message{}
	}
	for {
		m, ended := read(ctx, conn)
		if ended != "" {
			return ended, switched
		}
		switch m.Type {
		case "mode_switch":
			switched = m
		case "chat_chunk":
			var p struct{ Done bool }
			_ = json.Unmarshal(m.Payload, &p)
			if p.Done {
				return "chat answered", switched
			}
		case "chat_error", "error":
			var p errorPayload
			_ = json.Unmarshal(m.Payload, &p)
			if p.RetryAfter > 0 {
				return "chat refused: " + refusalKind(p.Error), switched
			}
			return "chat failed: " + p.Error, switched
		}
	}
}

// refusalKind is the first words of a refusal, without its changing wait.
func refusalKind(msg string) string {
	kind, _, _ := strings.Cut(msg, ";")
	return kind
}

// workers runs f for i = 0 … c.Count-1 on c.Concurrency goroutines, until ctx ends; worker is
// the goroutine's number, for what one goroutine keeps between calls.
func workers(ctx context.Context, c Config, f func(worker, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range c.Concurrency {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= c.Count {
					return
				}
				f(w, i)
			}
		})
	}
	wg.Wait()
}

// chatFlood opens a socket for each chat, of session(i), sends one question (never the same
// twice, so that no answer comes from the cache) and closes it.
func chatFlood(ctx context.Context, c Config, r *Report, session func(i int) string) error {
	workers(ctx, c, func(_, i int) {
		conn, _, refused := dial(ctx, c, session(i))
		if refused != "" {
			r.add(refused)
			return
		}
		defer conn.CloseNow()
		r.add("socket opened")
		outcome, _ := chat(ctx, conn, fmt.Sprintf("question %d: how much is in my checking account?", i))
		r.add(outcome)
		conn.Close(websocket.StatusNormalClosure, "")
	})
	return nil
}

// tabFlood switches one session to the bank, then asks for its tabs over HTTP from every worker at
// once, the same tabs again and again: content not cached yet is asked for as often as requests
// arrive before the first answer is stored.
func tabFlood(ctx context.Context, c Config, r *Report) error {
	id := "load-" + randomID()
	conn, _, refused := dial(ctx, c, id)
	if refused != "" {
		return fmt.Errorf("tab-flood: the session's socket: %s", refused)
	}
	defer conn.CloseNow()
	outcome, switched := chat(ctx, conn, "Presto-Change-O, you're a bank")
	if outcome != "chat answered" || switched.Type == "" {
		return fmt.Errorf("tab-flood: switching to the bank: %s", outcome)
	}
	var sw struct {
		Mode struct {
			ID   string
			Tabs []struct{ ID string }
		}
	}
	if err := json.Unmarshal(switched.Payload, &sw); err != nil {
		return fmt.Errorf("tab-flood: mode_switch: %w", err)
	}
	var tabs []string
	for _, t := range sw.Mode.Tabs {
		if t.ID != "settings" {
			tabs = append(tabs, t.ID)
		}
	}
	client := &http.Client{Timeout: 2 * time.Minute}
	workers(ctx, c, func(_, i int) {
		body, _ := json.Marshal(map[string]string{"tab_id": tabs[i%len(tabs)], "mode_id": sw.Mode.ID})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.URL+"/api/tab-content?session="+id, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if c.Token != "" {
			req.Header.Set("Authorization", "Bearer "+c.Token)
		}
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				r.add("tab request failed")
			}
			return
		}
		resp.Body.Close()
		r.add("tab http " + strconv.Itoa(resp.StatusCode))
	})
	return nil
}

// modeFlood asks for a new industry again and again, one session per worker, and reports how many
// modes the shared list gained.
func modeFlood(ctx context.Context, c Config, r *Report) error {
	before, err := generatedModes(ctx, c)
	if err != nil {
		return err
	}
	run := randomID()
	conns := make([]*websocket.Conn, c.Concurrency) // one socket per worker, redialled when it ends
	workers(ctx, c, func(w, i int) {
		if conns[w] == nil {
			conn, _, refused := dial(ctx, c, "")
			if refused != "" {
				r.add(refused)
				return
			}
			conns[w] = conn
		}
		outcome, _ := chat(ctx, conns[w], fmt.Sprintf("Presto-Change-O, you're a widget maker number %s %d", run, i))
		r.add(outcome)
		if !strings.HasPrefix(outcome, "chat ") { // the socket ended
			conns[w].CloseNow()
			conns[w] = nil
		}
	})
	for _, conn := range conns {
		if conn != nil {
			conn.CloseNow()
		}
	}
	listCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	after, err := generatedModes(listCtx, c)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.counts["modes added to the shared list"] = after - before
	r.mu.Unlock()
	return nil
}

func generatedModes(ctx context.Context, c Config) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.URL+"/api/modes", nil)
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("list modes: %w", err)
	}
	defer resp.Body.Close()
	var list struct{ Modes []struct{ Prebuilt bool } }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return 0, fmt.Errorf("list modes: %w", err)
	}
	n := 0
	for _, m := range list.Modes {
		if !m.Prebuilt {
			n++
		}
	}
	return n, nil
}

// neverRead opens c.Count sockets of one session that send echo messages as fast as they can and
// never read the answers, until the server closes them or the run ends.
func neverRead(ctx context.Context, c Config, r *Report) error {
	id := "load-" + randomID()
	echo, _ := json.Marshal(map[string]any{"type": "echo", "payload": map[string]string{"x": strings.Repeat("x", c.Payload)}})
	var wg sync.WaitGroup
	for range c.Count {
		wg.Go(func() {
			conn, _, refused := dial(ctx, c, id)
			if refused != "" {
				r.add(refused)
				return
			}
			defer conn.CloseNow()
			r.add("socket opened")
			for {
				writeCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
				err := conn.Write(writeCtx, websocket.MessageText, echo)
				cancel()
				switch {
				case err == nil:
					r.add("echo sent")
				case ctx.Err() != nil:
					r.add("socket still open at the end of the run")
					return
				default:
					r.add("socket ended by the server")
					return
				}
			}
		})
	}
	wg.Wait()
	return nil
}

// connections opens c.Count sockets at once (500 dials in flight) and holds them to the end of
// the run, asking /healthz every 250 ms meanwhile on a connection of its own.
func connections(ctx context.Context, c Config, r *Report) error {
	if err := raiseFileLimit(); err != nil {
		return fmt.Errorf("connections: %w", err)
	}
	id := "load-" + randomID()
	var (
		mu   sync.Mutex
		open []*websocket.Conn
	)
	probeCtx, stopProbe := context.WithCancel(ctx)
	probed := make(chan struct{})
	go func() {
		defer close(probed)
		probeHealth(probeCtx, c, r)
	}()
	slots := make(chan struct{}, 500)
	var wg sync.WaitGroup
	for i := 0; i < c.Count && ctx.Err() == nil; i++ {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			conn, _, refused := dial(ctx, c, id)
			if refused != "" {
				r.add(refused)
				return
			}
			r.add("socket opened")
			mu.Lock()
			open = append(open, conn)
			mu.Unlock()
		})
	}
	wg.Wait()
	// Hold them a little longer: a server that breaks under many sockets breaks while they are open.
	select {
	case <-ctx.Done():
	case <-time.After(3 * time.Second):
	}
	stopProbe()
	<-probed
	for _, conn := range open {
		conn.CloseNow()
	}
	return nil
}

func probeHealth(ctx context.Context, c Config, r *Report) {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if c.HealthFrom != "" {
		dialer.LocalAddr = &net.TCPAddr{IP: net.ParseIP(c.HealthFrom)}
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true, DialContext: dialer.DialContext}}
	ticker := time.NewTicker(250 * time.Millisecond)
	defer ticker.Stop()
	for {
		start := time.Now()
		req, _ := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodGet, c.URL+"/healthz", nil)
		resp, err := client.Do(req)
		switch {
		case err != nil:
			r.add("healthz failed")
		case resp.StatusCode != http.StatusOK:
			resp.Body.Close()
			r.add("healthz http " + strconv.Itoa(resp.StatusCode))
		default:
			resp.Body.Close()
			r.add("healthz ok")
			r.health(time.Since(start))
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// chats opens c.Count sockets, each its own session, then sends one question on all of them at
// once and waits for every answer.
func chats(ctx context.Context, c Config, r *Report) error {
	conns := make([]*websocket.Conn, c.Count)
	var wg sync.WaitGroup
	slots := make(chan struct{}, 100)
	for i := range conns {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			conn, _, refused := dial(ctx, c, "")
			if refused != "" {
				r.add(refused)
				return
			}
			conns[i] = conn
		})
	}
	wg.Wait()
	start := make(chan struct{})
	for i, conn := range conns {
		if conn == nil {
			continue
		}
		wg.Go(func() {
			defer conn.CloseNow()
			<-start
			asked := time.Now()
			outcome, _ := chat(ctx, conn, fmt.Sprintf("question %d: how much is in my checking account?", i))
			r.add(outcome)
			if outcome == "chat answered" {
				r.addLatency(time.Since(asked))
			}
		})
	}
	close(start)
	wg.Wait()
	return nil
}

// fakeCalls is the number of LLM requests cmd/fakellm has answered (0 without one).
func fakeCalls(ctx context.Context, fake string) (int, error) {
	if fake == "" {
		return 0, nil
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fake+"/stats", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("fake LLM stats: %w", err)
	}
	defer resp.Body.Close()
	var stats struct{ Chat, Structured int }
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		return 0, fmt.Errorf("fake LLM stats: %w", err)
	}
	return stats.Chat + stats.Structured, nil
}

// watchMemory samples the resident set of process pid every 100 ms until ctx ends; the function
// it returns gives the largest, in MB (0 when pid is 0 or its status cannot be read).
func watchMemory(ctx context.Context, pid int) func() float64 {
	if pid == 0 {
		return func() float64 { return 0 }
	}
	var peak atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		ticker := time.NewTicker(100 * time.Millisecond)
		defer ticker.Stop()
		for {
			if kb, err := residentKB(pid); err == nil && kb > peak.Load() {
				peak.Store(kb)
			}
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
		}
	}()
	return func() float64 {
		if kb, err := residentKB(pid); err == nil && kb > peak.Load() {
			peak.Store(kb)
		}
		return float64(peak.Load()) / 1024
	}
}

// residentKB reads VmRSS from /proc/PID/status.
func residentKB(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmRSS")
}

func randomID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
