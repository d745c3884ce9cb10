// Package metrics is what the server reports at /metrics in the Prometheus text format: LLM latency,
// tokens and errors, live sessions and sockets, and the Go runtime. Everything is registered on a
// registry of its own, made by main, so tests and several servers in one process never share one.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the server's instruments. A nil *Metrics records nothing, so packages can take one
// optionally.
type Metrics struct {
	registry   *prometheus.Registry
	firstToken *prometheus.HistogramVec
	turn       *prometheus.HistogramVec
	tokens     *prometheus.CounterVec
	errors     *prometheus.CounterVec
	sockets    prometheus.Gauge
	slowDrops  prometheus.Counter
	refused    *prometheus.CounterVec
	refusals   *prometheus.CounterVec

	breakerState    prometheus.Gauge
	breakerOpens    prometheus.Counter
	breakerRejected prometheus.Counter

	voiceOpen       prometheus.Gauge
	voiceConnects   *prometheus.CounterVec
	voiceFirstAudio prometheus.Histogram
	voiceTruncates  prometheus.Counter
	voiceSeconds    prometheus.Counter
}

// New registers the instruments, the Go runtime and process collectors, and liveSessions (read
// at each scrape) on a new registry.
func New(provider string, liveSessions func() int) *Metrics {
	reg := prometheus.NewRegistry()
	labels := prometheus.Labels{"provider": provider}
	m := &Metrics{
		registry: reg,
		firstToken: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "presto_llm_first_token_seconds", Help: "Time from a turn's LLM request to its first text or tool call.",
			ConstLabels: labels, Buckets: prometheus.ExponentialBuckets(0.05, 2, 10),
		}, []string{"kind"}),
		turn: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "presto_turn_seconds", Help: "Duration of a chat turn or tab-content request, by outcome.",
			ConstLabels: labels, Buckets: prometheus.ExponentialBuckets(0.05, 2, 12),
		}, []string{"kind", "outcome"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "presto_llm_tokens_total", Help: "Tokens the LLM reported, by direction.", ConstLabels: labels,
		}, []string{"direction"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "presto_llm_errors_total", Help: "Failed LLM calls, by error kind.", ConstLabels: labels,
		}, []string{"kind"}),
		sockets: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "presto_websockets_open", Help: "Open /ws sockets.",
		}),
		slowDrops: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "presto_websockets_too_slow_total", Help: "Sockets closed because more than their limit of bytes waited to be read.",
		}),
		breakerState: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "presto_llm_breaker_state", Help: "The LLM circuit breaker: 0 closed, 1 open (failing fast), 2 half-open (one probe through).",
			ConstLabels: labels,
		}),
		breakerOpens: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "presto_llm_breaker_opens_total", Help: "Times the LLM circuit breaker opened after failed calls in a row.", ConstLabels: labels,
		}),
		breakerRejected: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "presto_llm_breaker_rejected_total", Help: "LLM calls failed at once because the circuit breaker was open.", ConstLabels: labels,
		}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "presto_connections_refused_total",
			Help: "Connections refused to stay within the caps: socket upgrades answered 503 (socket_address, socket_total) and TCP connections closed at accept (tcp_peer, tcp_total).",
		}, []string{"reason"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "presto_budget_refusals_total", Help: "Requests refused by a budget, by what ran out (session_chats, address_calls, address_sessions, address_modes, process_calls, process_tokens).",
		}, []string{"reason"}),
		voiceOpen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "presto_voice_sessions_open", Help: "Upstream realtime sessions being relayed (or reconnecting).",
		}),
		voiceConnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "presto_voice_upstream_connects_total", Help: "Realtime upstream connects: the first of a session, a reconnect after a drop, or a failure.",
			ConstLabels: labels,
		}, []string{"result"}),
		voiceFirstAudio: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "presto_voice_first_audio_seconds", Help: "From the end of the user's speech to the first audio of the answer.",
			ConstLabels: labels, Buckets: prometheus.ExponentialBuckets(0.05, 2, 10),
		}),
		voiceTruncates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "presto_voice_truncates_total", Help: "Assistant items truncated to what the user heard (barge-in).", ConstLabels: labels,
		}),
		voiceSeconds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "presto_voice_seconds_total", Help: "Realtime session time relayed (the costly part of voice).", ConstLabels: labels,
		}),
	}
	reg.MustRegister(m.firstToken, m.turn, m.tokens, m.errors, m.sockets, m.slowDrops, m.refused, m.refusals,
		m.breakerState, m.breakerOpens, m.breakerRejected,
		m.voiceOpen, m.voiceConnects, m.voiceFirstAudio, m.voiceTruncates, m.voiceSeconds,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "presto_sessions_live", Help: "Sessions with an open socket or request.",
		}, func() float64 { return float64(liveSessions()) }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Handler serves the registry in the Prometheus text format (404 on a nil *Metrics).
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// FirstToken records the time to the first event of an LLM call; kind is "chat" or "tab".
func (m *Metrics) FirstToken(kind string, d time.Duration) {
	if m != nil {
		m.firstToken.WithLabelValues(kind).Observe(d.Seconds())
	}
}

// Turn records a finished turn; outcome is "ok", "switch", "cached", "error", "refused" (by a
// budget) or "cancelled".
func (m *Metrics) Turn(kind, outcome string, d time.Duration) {
	if m != nil {
		m.turn.WithLabelValues(kind, outcome).Observe(d.Seconds())
	}
}

// Tokens adds the usage an LLM call reported.
func (m *Metrics) Tokens(prompt, completion int64) {
	if m != nil {
		m.tokens.WithLabelValues("prompt").Add(float64(prompt))
		m.tokens.WithLabelValues("completion").Add(float64(completion))
	}
}

// Error counts a failed LLM call.
func (m *Metrics) Error(kind string) {
	if m != nil {
		m.errors.WithLabelValues(kind).Inc()
	}
}

// BreakerState sets the circuit breaker's state gauge (0 closed, 1 open, 2 half-open).
func (m *Metrics) BreakerState(state int) {
	if m != nil {
		m.breakerState.Set(float64(state))
	}
}

// BreakerOpened counts the circuit breaker opening.
func (m *Metrics) BreakerOpened() {
	if m != nil {
		m.breakerOpens.Inc()
	}
}

// BreakerRejected counts a call failed at once by the open circuit breaker.
func (m *Metrics) BreakerRejected() {
	if m != nil {
		m.breakerRejected.Inc()
	}
}

// SocketOpened and SocketClosed track open sockets.
func (m *Metrics) SocketOpened() {
	if m != nil {
		m.sockets.Inc()
	}
}

// SocketTooSlow counts a socket closed for reading too slowly.
func (m *Metrics) SocketTooSlow() {
	if m != nil {
		m.slowDrops.Inc()
	}
}

// SocketRefused counts a socket refused before the upgrade: reason "address" (the client address
// has its most), "total" (the process has).
func (m *Metrics) SocketRefused(reason string) {
	if m != nil {
		m.refused.WithLabelValues("socket_" + reason).Inc()
	}
}

// ConnectionRefused counts a TCP connection closed as soon as it was accepted: reason "peer" (the
// peer address has its most), "total" (the process has).
func (m *Metrics) ConnectionRefused(reason string) {
	if m != nil {
		m.refused.WithLabelValues("tcp_" + reason).Inc()
	}
}

// BudgetRefused counts a request a budget refused; reason is what ran out.
func (m *Metrics) BudgetRefused(reason string) {
	if m != nil {
		m.refusals.WithLabelValues(reason).Inc()
	}
}

// SocketClosed counts a socket that ended.
func (m *Metrics) SocketClosed() {
	if m != nil {
		m.sockets.Dec()
	}
}

// VoiceOpened and VoiceClosed track upstream realtime sessions.
func (m *Metrics) VoiceOpened() {
	if m != nil {
		m.voiceOpen.Inc()
	}
}

// VoiceClosed counts an upstream realtime session that ended.
func (m *Metrics) VoiceClosed() {
	if m != nil {
		m.voiceOpen.Dec()
	}
}

// VoiceConnect counts an upstream connect: "connect", "reconnect" or "failed".
func (m *Metrics) VoiceConnect(result string) {
	if m != nil {
		m.voiceConnects.WithLabelValues(result).Inc()
	}
}

// VoiceFirstAudio records the time from the user's end of speech to the answer's first audio.
func (m *Metrics) VoiceFirstAudio(d time.Duration) {
	if m != nil {
		m.voiceFirstAudio.Observe(d.Seconds())
	}
}

// VoiceTruncate counts a barge-in truncate.
func (m *Metrics) VoiceTruncate() {
	if m != nil {
		m.voiceTruncates.Inc()
	}
}

// VoiceTime counts relayed realtime session time.
func (m *Metrics) VoiceTime(d time.Duration) {
	if m != nil {
		m.voiceSeconds.Add(d.Seconds())
	}
}
