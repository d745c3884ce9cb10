// Command presto-load reproduces the attacks and load figures of issue 11 against a running
// presto server, one scenario per run, bounded by -count and -duration, and reports what it saw:
//
//	presto-load -scenario new-session-per-socket -url http://127.0.0.1:8000 -fake http://127.0.0.1:9000
//	presto-load -scenario never-read -count 50 -pid $(pgrep -n presto)
//
// Scenarios: new-session-per-socket, reconnect-same-session, tab-flood, mode-flood, never-read,
// connections, chats. See docs/benchmarks.md for the measured figures and how they were taken.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"presto/internal/load"
)

func main() {
	cfg, err := load.Parse(os.Args[1:], os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "presto-load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := load.Run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "presto-load:", err)
		os.Exit(1)
	}
}
