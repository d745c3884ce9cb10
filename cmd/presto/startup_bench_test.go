package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkStartToReady times a fresh process from exec to its first 200 on /readyz (the bar:
// under 200 ms), on a new data directory each time.
//
//	go test ./cmd/presto -run '^$' -bench StartToReady -benchtime 10x
func BenchmarkStartToReady(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "presto")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "PRESTO_ADDR=127.0.0.1:0", "PRESTO_DATA_DIR="+b.TempDir(), "LOG_LEVEL=error", "PRESTO_LLM=offline")
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		_, rest, _ := strings.Cut(line, "http://")
		addr, _, _ := strings.Cut(rest, " ")
		for {
			resp, err := http.Get("http://" + addr + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			time.Sleep(time.Millisecond)
		}
		total += time.Since(start)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-ready")
}
