package load

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"
)

// Report is what a run saw.
type Report struct {
	Scenario  string
	Elapsed   time.Duration
	LLMCalls  int     // that reached -fake during the run; -1 without -fake
	PeakRSSMB float64 // the server's largest resident set sampled during the run; 0 without -pid

	mu        sync.Mutex
	counts    map[string]int // outcome → how many, e.g. "chat answered", "close 1013", "http 429"
	latencies []time.Duration
	healthMax time.Duration // the slowest /healthz answer (connections)
}

func newReport(c Config) *Report {
	return &Report{Scenario: c.Scenario, LLMCalls: -1, counts: make(map[string]int)}
}

func (r *Report) add(outcome string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts[outcome]++
}

func (r *Report) addLatency(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latencies = append(r.latencies, d)
}

func (r *Report) health(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.healthMax = max(r.healthMax, d)
}

// Count is how many times outcome was seen.
func (r *Report) Count(outcome string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[outcome]
}

// Percentile is the p-th percentile of the latencies recorded (chats), 0 with none.
func (r *Report) Percentile(p int) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.latencies) == 0 {
		return 0
	}
	sorted := slices.Sorted(slices.Values(r.latencies))
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

func (r *Report) write(out io.Writer) {
	fmt.Fprintf(out, "scenario: %s\nelapsed: %s\n", r.Scenario, r.Elapsed.Round(time.Millisecond))
	if r.LLMCalls >= 0 {
		fmt.Fprintf(out, "LLM calls that reached the fake: %d\n", r.LLMCalls)
	}
	if r.PeakRSSMB > 0 {
		fmt.Fprintf(out, "server peak RSS: %.1f MB\n", r.PeakRSSMB)
	}
	r.mu.Lock()
	counts := maps.Clone(r.counts)
	healthMax := r.healthMax
	n := len(r.latencies)
	r.mu.Unlock()
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(out, "%s: %d\n", k, counts[k])
	}
	if n > 0 {
		fmt.Fprintf(out, "latency p50 %s, p99 %s, max %s over %d\n", r.Percentile(50).Round(time.Millisecond),
			r.Percentile(99).Round(time.Millisecond), r.Percentile(100).Round(time.Millisecond), n)
	}
	if healthMax > 0 {
		fmt.Fprintf(out, "slowest /healthz: %s\n", healthMax.Round(time.Millisecond))
	}
}
