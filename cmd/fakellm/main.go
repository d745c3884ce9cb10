// Command fakellm is a standalone fake chat-completions server for the browser end-to-end tests:
// the real presto binary runs against it with AZURE_PROJECT_ENDPOINT=http://127.0.0.1:PORT and
// AZURE_API_KEY=test. It answers by deterministic rules on the last user message (see rules.go)
// and speaks the wire protocol of internal/llm/llmtest, on any path ending in /chat/completions
// (the Azure v1 route /openai/v1/chat/completions included). GET /stats counts the requests it
// has answered: {"chat": N, "structured": N} (streamed chats, structured mode generations). The
// realtime routes (/openai/v1/realtime, /v1/realtime, the preview /openai/realtime) speak the fake
// realtime protocol of internal/llm/realtimetest, for voice: it answers each utterance by saying
// its transcript back.
//
// Usage:
//
//	fakellm [-addr 127.0.0.1:0] [-first-token-delay 0s] [-generation-delay 0s]
//
// It prints "listening on ADDR" once it accepts connections, and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"presto/internal/llm/llmtest"
	"presto/internal/llm/realtimetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "fakellm:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fakellm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	delay := fs.Duration("first-token-delay", 0, "fixed delay before the first streamed event of every answer")
	genDelay := fs.Duration("generation-delay", 0, "fixed delay before every structured mode generation's answer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	r := &rules{firstTokenDelay: *delay, generationDelay: *genDelay}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", r.stats)
	mux.Handle("/", llmtest.NewHandler(r.respond))
	realtime := realtimetest.NewHandler(realtimetest.Options{})
	defer realtime.Close() // its upgraded sockets are not the HTTP server's to close
	for _, path := range []string{"/openai/v1/realtime", "/v1/realtime", "/openai/realtime"} {
		mux.Handle(path, realtime)
	}
	srv := &http.Server{
		Handler:           logged(logger, mux),
		ReadHeaderTimeout: 5 * time.Second,
	}
	fmt.Fprintf(stdout, "listening on %s\n", l.Addr())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// logged logs each request's method, path and duration.
func logged(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		logger.Info("request", "method", r.Method, "path", r.URL.Path, "duration", time.Since(start))
	})
}
