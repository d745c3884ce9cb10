package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"presto/internal/llm/llmtest"
)

// firstTokenDelay is the fake LLM's fixed time to first token.
const firstTokenDelay = 50 * time.Millisecond

const (
	arrivalWindow = 400 * time.Millisecond // questions of one round start spread over this window
	chunkGap      = 40 * time.Millisecond  // between streamed chunks: an answer lasts ~330 ms
)

// BenchmarkFirstToken measures what the server adds to the LLM's first-token latency: N sessions
// chat at once through /ws against a fake LLM with a fixed first-token delay, and the same number
// of clients call the fake directly. It reports p50 and p99 of (through /ws) minus (direct).
//
// Each round, the N sessions start their questions spread evenly over arrivalWindow, and each
// answer streams for about as long, so about N turns are in flight at any moment, as when N people
// chat at once (a perfectly synchronised burst would measure the CPU queue of the burst instead).
//
//	go test ./cmd/presto -run '^$' -bench FirstToken -benchtime 20x
func BenchmarkFirstToken(b *testing.B) {
	for _, n := range []int{1, 50, 200} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) { benchFirstToken(b, n) })
	}
}

func benchFirstToken(b *testing.B, n int) {
	// The direct calls send the same body the server sends, so the fake's own work is the same.
	var lastBody atomic.Pointer[[]byte]
	fake := httptest.NewServer(llmtest.NewHandler(func(r *llmtest.Request) llmtest.Reply {
		lastBody.Store(&r.RawBody)
		return llmtest.Text("Your checking balance is $4,215.37 as of today.", 8).WithFirstDelay(firstTokenDelay).WithDelay(chunkGap)
	}))
	defer fake.Close()
	a := startApp(b, withLoadBudgets(map[string]string{
		"AZURE_PROJECT_ENDPOINT": fake.URL, "AZURE_API_KEY": "k", "LOG_LEVEL": "error",
		"PRESTO_MAX_CONCURRENT_LLM": "1000", "PRESTO_MAX_SOCKETS_PER_ADDRESS": "100000", "PRESTO_SOCKET_MESSAGES_PER_SECOND": "1000000",
	}))
	conns := make([]*websocket.Conn, n)
	for i := range conns {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, _, err := websocket.Dial(ctx, a.wsURL(fmt.Sprintf("?session=bench-session-%04d", i)), nil)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		conns[i] = c
		c.SetReadLimit(1 << 20)
		defer c.CloseNow()
		if _, _, err := c.Read(context.Background()); err != nil { // the session message
			b.Fatal(err)
		}
	}
	wsFirstToken(b, conns[0], "warm up") // also records a real request body
	body := *lastBody.Load()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}

	var direct, viaWS []time.Duration
	b.ResetTimer()
	for round := 0; round < b.N; round++ {
		direct = append(direct, concurrently(n, func(i int) time.Duration { return directFirstToken(b, client, fake.URL, body) })...)
		viaWS = append(viaWS, concurrently(n, func(i int) time.Duration {
			return wsFirstToken(b, conns[i], fmt.Sprintf("question %d of round %d", i, round))
		})...)
	}
	b.StopTimer()
	slices.Sort(direct)
	slices.Sort(viaWS)
	b.ReportMetric(ms(pct(viaWS, 50)-pct(direct, 50)), "added-p50-ms")
	b.ReportMetric(ms(pct(viaWS, 99)-pct(direct, 99)), "added-p99-ms")
	b.ReportMetric(ms(pct(direct, 50)), "direct-p50-ms")
	b.ReportMetric(ms(pct(viaWS, 50)), "ws-p50-ms")
}

// concurrently runs f for 0..n-1, starting them spread evenly over arrivalWindow, and returns the
// durations.
func concurrently(n int, f func(i int) time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Until(start.Add(arrivalWindow * time.Duration(i) / time.Duration(n))))
			out[i] = f(i)
		}()
	}
	wg.Wait()
	return out
}

// directFirstToken posts a streaming request to the fake and times the first content chunk.
func directFirstToken(b *testing.B, client *http.Client, base string, body []byte) time.Duration {
	start := time.Now()
	resp, err := client.Post(base+"/openai/v1/chat/completions", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Error(err)
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"content":"`) && !strings.Contains(sc.Text(), `"content":""`) {
			d := time.Since(start)
			for sc.Scan() { // drain so the connection is reused
			}
			return d
		}
	}
	b.Error("no content in the direct stream")
	return 0
}

// wsFirstToken sends a chat and times the first chat_chunk with text, then reads to the turn's end.
func wsFirstToken(b *testing.B, c *websocket.Conn, text string) time.Duration {
	msg, _ := json.Marshal(map[string]any{"type": "chat", "payload": map[string]string{"text": text}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
		b.Error(err)
		return 0
	}
	var first time.Duration
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			b.Error(err)
			return 0
		}
		var m struct {
			Type    string
			Payload struct {
				Text  string
				Done  bool
				Error string
			}
		}
		_ = json.Unmarshal(data, &m)
		switch {
		case m.Type == "chat_chunk" && m.Payload.Text != "" && first == 0:
			first = time.Since(start)
		case m.Type == "chat_chunk" && m.Payload.Done:
			return first
		case m.Type == "chat_error" || m.Type == "error":
			b.Errorf("%s: %s", m.Type, m.Payload.Error)
			return 0
		}
	}
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
