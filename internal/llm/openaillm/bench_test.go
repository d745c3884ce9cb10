package openaillm

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/llm"
	"presto/internal/llm/llmtest"
)

// BenchmarkStreamChunks measures a whole Stream call for replies of 1 and 200 text chunks; the
// allocs/chunk metric is the marginal cost of one more chunk, (allocs(200) - allocs(1)) / 199,
// measured in the 200-chunk run against a 1-chunk baseline taken first. The server writes a
// prebuilt body so its own allocations stay out of the count.
func BenchmarkStreamChunks(b *testing.B) {
	baseline := allocsPerStream(b, 1, 200)
	for _, n := range []int{1, 200} {
		b.Run(fmt.Sprintf("chunks=%d", n), func(b *testing.B) {
			p := benchProvider(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := p.Stream(context.Background(), chatRequest, func(llm.Event) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if n > 1 {
				perStream := allocsPerStream(b, n, 200)
				b.ReportMetric((perStream-baseline)/float64(n-1), "allocs/chunk")
			}
		})
	}
}

// allocsPerStream runs runs streams of n chunks and returns the mean allocations of one.
func allocsPerStream(b *testing.B, n, runs int) float64 {
	p := benchProvider(b, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		if err := p.Stream(context.Background(), chatRequest, func(llm.Event) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / float64(runs)
}

func benchProvider(b *testing.B, chunks int) *Provider {
	reply := llmtest.Text(strings.Repeat("word ", chunks), chunks)
	var body strings.Builder
	for _, ev := range reply.Events {
		body.WriteString("data: " + ev + "\n\n")
	}
	body.WriteString("data: [DONE]\n\n")
	raw := body.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, raw)
	}))
	b.Cleanup(srv.Close)
	client := openai.NewClient(option.WithBaseURL(srv.URL+"/v1/"), option.WithAPIKey("k"))
	return New(client, "m", "openai", slog.New(slog.DiscardHandler))
}
