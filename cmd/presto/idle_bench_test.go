package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// BenchmarkIdleSessions opens 10,000 sessions on a server running as its own process and reports
// its resident memory (the bar: under 300 MB). Each op is the whole run.
//
//	go test ./cmd/presto -run '^$' -bench IdleSessions -benchtime 1x
func BenchmarkIdleSessions(b *testing.B) {
	const sessions = 10000
	bin := filepath.Join(b.TempDir(), "presto")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	for b.Loop() {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "PRESTO_ADDR=127.0.0.1:0", "PRESTO_DATA_DIR="+b.TempDir(), "LOG_LEVEL=error", "PRESTO_LLM=offline",
			"PRESTO_MAX_SOCKETS_PER_ADDRESS=100000") // all from 127.0.0.1
		for k, v := range loadBudgets { // 10,000 new sessions from one address
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		_, rest, _ := strings.Cut(line, "http://")
		addr, _, _ := strings.Cut(rest, " ")
		before := rssMB(b, cmd.Process.Pid)

		conns := make([]*websocket.Conn, 0, sessions)
		for i := range sessions {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			c, _, err := websocket.Dial(ctx, fmt.Sprintf("ws://%s/ws?session=idle-session-%05d", addr, i), nil)
			if err == nil {
				c.SetReadLimit(1 << 20)
				_, _, err = c.Read(ctx) // the session message
			}
			cancel()
			if err != nil {
				b.Fatalf("session %d: %v", i, err)
			}
			conns = append(conns, c)
		}
		time.Sleep(time.Second) // let the server settle
		after := rssMB(b, cmd.Process.Pid)
		b.ReportMetric(after, "rss-MB")
		b.ReportMetric((after-before)*1024/sessions, "KB/session")
		for _, c := range conns {
			c.CloseNow()
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

// rssMB reads a process's resident set size from /proc.
func rssMB(b *testing.B, pid int) float64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
