package pgrelay_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"presto/internal/pgtest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// BenchmarkCrossReplicaDelay measures the delay from Publish on one replica to the OnEvent call on
// another, through PostgreSQL, while 200 sessions each stream 20 chunks a second of about 60
// bytes (4,000 events a second in all), as 200 concurrent chat answers would. One op is one
// event; ns/op only reflects the pacing and is not reported. Run it with a fixed count, e.g.
//
//	go test -run '^$' -bench CrossReplicaDelay -benchtime 20000x ./internal/pgrelay/
func BenchmarkCrossReplicaDelay(b *testing.B) {
	const (
		sessions = 200
		interval = 50 * time.Millisecond // 20 chunks a second per session
	)
	u := pgtest.FreshSchema(b)
	pub, sub := openRelay(b, u), openRelay(b, u)

	start := time.Now()
	delays := make([]time.Duration, 0, b.N)
	done := make(chan struct{})
	sub.OnEvent(func(_ string, ev []byte) {
		// {"type":"chunk","ns":<sent>,"text":"…"}
		i := bytes.Index(ev, []byte(`"ns":`))
		j := bytes.IndexByte(ev[i:], ',')
		sent, err := strconv.ParseInt(string(ev[i+5:i+j]), 10, 64)
		if err != nil {
			panic(err)
		}
		delays = append(delays, time.Since(start)-time.Duration(sent))
		if len(delays) == b.N {
			close(done)
		}
	})

	b.ResetTimer()
	var wg sync.WaitGroup
	for s := range sessions {
		n := b.N / sessions
		if s < b.N%sessions {
			n++
		}
		if n == 0 {
			continue
		}
		wg.Go(func() {
			sid := fmt.Sprintf("session-%03d", s)
			time.Sleep(rand.N(interval)) // sessions do not tick in step
			tick := time.NewTicker(interval)
			defer tick.Stop()
			for range n {
				ev := fmt.Appendf(nil, `{"type":"chunk","ns":%d,"text":"`, time.Since(start))
				ev = append(ev, "a few words of an answer"[:max(0, 60-2-len(ev))]...)
				ev = append(ev, `"}`...)
				pub.Publish(sid, ev)
				<-tick.C
			}
		})
	}
	wg.Wait()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
	b.StopTimer()
	elapsed := time.Since(start)
	if err := sub.Close(); err != nil { // ends the callback before delays is read
		b.Fatal(err)
	}

	if len(delays) < b.N {
		b.Errorf("received %d of %d events (publisher %+v, receiver %+v)", len(delays), b.N, pub.Stats(), sub.Stats())
	}
	if len(delays) == 0 {
		return
	}
	slices.Sort(delays)
	pct := func(p float64) float64 {
		return float64(delays[min(len(delays)-1, int(p*float64(len(delays))))].Microseconds())
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(delays[len(delays)-1].Microseconds()), "max-µs")
	b.ReportMetric(float64(len(delays))/elapsed.Seconds(), "events/s")
}
