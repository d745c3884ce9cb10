package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"presto/internal/llm/llmtest"
)

func scrape(t *testing.T, a *app) string {
	t.Helper()
	resp, err := http.Get(a.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	return string(body)
}

// metricsText is /metrics for a goroutine other than the test's ("" when it cannot be read).
func metricsText(url string) string {
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

func TestMetricsCountTurnsTokensErrorsAndSockets(t *testing.T) {
	a, fake := startWithFakeAzure(t)
	fake.Enqueue(llmtest.Text("Hello there.", 3), llmtest.QuotaExceeded())
	conn, _ := dial(t, a, "?session=metrics-session")
	chatTurn(t, conn, "hello")
	chatTurn(t, conn, "and again")
	got := scrape(t, a)
	for _, want := range []string{
		`presto_llm_tokens_total{direction="prompt",provider="azure"} 12`,
		`presto_turn_seconds_count{kind="chat",outcome="ok",provider="azure"} 1`,
		`presto_turn_seconds_count{kind="chat",outcome="error",provider="azure"} 1`,
		`presto_llm_errors_total{kind="quota",provider="azure"} 1`,
		`presto_llm_first_token_seconds_count{kind="chat",provider="azure"} 1`,
		"presto_websockets_open 1",
		"presto_sessions_live 1",
		"go_goroutines",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}
