package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// dialBench opens a socket of a session and reads its session message.
func dialBench(b *testing.B, a *app, session string) *websocket.Conn {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, a.wsURL("?session="+session), nil)
	if err != nil {
		b.Fatal(err)
	}
	c.SetReadLimit(1 << 20)
	b.Cleanup(func() { c.CloseNow() })
	if _, _, err := c.Read(ctx); err != nil {
		b.Fatal(err)
	}
	return c
}

// readDone reads one socket until its turn ends and returns when that was.
func readDone(b *testing.B, c *websocket.Conn) time.Time {
	for {
		_, data, err := c.Read(context.Background())
		if err != nil {
			b.Error(err)
			return time.Time{}
		}
		var m struct {
			Type    string
			Payload struct{ Done bool }
		}
		_ = json.Unmarshal(data, &m)
		if m.Type == "chat_error" || m.Type == "chat_chunk" && m.Payload.Done {
			return time.Now()
		}
	}
}

// BenchmarkFanOut measures one turn of the offline assistant seen by 1, 2 and 10 sockets of one
// session: from sending the chat on the first socket to the last socket's end of turn.
//
//	go test ./cmd/presto -run '^$' -bench FanOut -benchtime 2000x
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{1, 2, 10} {
		b.Run(fmt.Sprintf("sockets=%d", n), func(b *testing.B) {
			a := startApp(b, withLoadBudgets(map[string]string{"LOG_LEVEL": "error", "PRESTO_PREFETCH_TABS": "false",
				"PRESTO_SOCKET_MESSAGES_PER_SECOND": "1000000"}))
			conns := make([]*websocket.Conn, n)
			for i := range conns {
				conns[i] = dialBench(b, a, "fan-out-bench-1")
			}
			chat := []byte(`{"type":"chat","payload":{"text":"how much is in my checking account?"}}`)
			switchTo := []byte(`{"type":"chat","payload":{"text":"Presto-Change-O, you're a bank"}}`)
			turn := func(msg []byte) {
				if err := conns[0].Write(context.Background(), websocket.MessageText, msg); err != nil {
					b.Fatal(err)
				}
				var wg sync.WaitGroup
				for _, c := range conns {
					wg.Go(func() { readDone(b, c) })
				}
				wg.Wait()
			}
			turn(switchTo)
			b.ResetTimer()
			for b.Loop() {
				turn(chat)
			}
		})
	}
}

// BenchmarkCrossReplicaDelay measures how much later a screen on a second replica sees a message
// than a screen on the replica that ran the turn, through PostgreSQL, while 200 sessions chat at
// once: each session has one socket on each replica and asks a question a round.
//
//	eval "$(sudo bash .ci/postgres.sh)"
//	go test ./cmd/presto -run '^$' -bench CrossReplica -benchtime 20x
func BenchmarkCrossReplicaDelay(b *testing.B) {
	const sessions = 200
	env := withLoadBudgets(map[string]string{"LOG_LEVEL": "error", "PRESTO_PREFETCH_TABS": "false",
		"PRESTO_MAX_CONCURRENT_LLM": "1000", "PRESTO_MAX_SOCKETS_PER_ADDRESS": "100000", "PRESTO_SOCKET_MESSAGES_PER_SECOND": "1000000"})
	ra, rb := startReplicasB(b, env)
	type pair struct{ onA, onB *websocket.Conn }
	pairs := make([]pair, sessions)
	for i := range pairs {
		id := fmt.Sprintf("cross-bench-%s-%03d", randomSuffix(), i)
		pairs[i] = pair{dialBench(b, ra, id), dialBench(b, rb, id)}
	}
	var mu sync.Mutex
	var delays []time.Duration
	b.ResetTimer()
	for round := 0; round < b.N; round++ {
		var wg sync.WaitGroup
		for i, p := range pairs {
			wg.Go(func() {
				time.Sleep(time.Duration(i) * arrivalWindow / sessions) // spread the questions over the window
				msg := fmt.Appendf(nil, `{"type":"chat","payload":{"text":"question %d of round %d: how much is in my checking account?"}}`, i, round)
				if err := p.onA.Write(context.Background(), websocket.MessageText, msg); err != nil {
					b.Error(err)
					return
				}
				var atA, atB time.Time
				var inner sync.WaitGroup
				inner.Go(func() { atA = readDone(b, p.onA) })
				inner.Go(func() { atB = readDone(b, p.onB) })
				inner.Wait()
				mu.Lock()
				delays = append(delays, atB.Sub(atA))
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	b.StopTimer()
	slices.Sort(delays)
	b.ReportMetric(ms(pct(delays, 50)), "delay-p50-ms")
	b.ReportMetric(ms(pct(delays, 99)), "delay-p99-ms")
}
