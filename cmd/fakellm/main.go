// Command fakellm is a standalone fake chat-completions server for the browser end-to-end tests:
// the real presto binary runs against it with AZURE_PROJECT_ENDPOINT=http://127.0.0.1:PORT and
// AZURE_API_KEY=test. It answers by deterministic rules on the last user message (see rules.go)
// and speaks the wire protocol of internal/llm/llmtest, on any path ending in /chat/completions
// (the Azure v1 route /openai/v1/chat/completions included). GET /stats counts the requests it
// has answered: {"chat": N, "structured": N} (streamed chats, structured mode generations).
//
// The realtime routes (/openai/v1/realtime, /v1/realtime, the preview /openai/realtime) speak the
// fake realtime protocol of internal/llm/realtimetest, for voice. A browser's fake microphone
// cannot be transcribed, so -voice-transcripts scripts what it "hears": "a|b|c" makes the first
// utterance heard (counted over every connection, so that the connection replacing a dropped one
// goes on with the next line) "a", the second "b", and so on; beyond the list, or without it,
// "utterance N". It answers by rules on the transcript (see voice.go): a chart, balance, checking
// or metric question gets a sentence and a request_visualization call (which the server then has
// the chat side draw with the tool forced, rule 2 of rules.go), "presto … you're a X" a
// switch_mode call, "long" a 6-second story streamed at about real-time pace (so that it can be
// spoken over), anything else its transcript said back. -voice-speech-level is the RMS (PCM16
// units) above which an audio append counts as speech, so that what a browser's microphone
// processing leaves of silence is no speech; 0 makes any non-zero sample speech.
//
// Test hooks: GET /realtime/stats answers {"attempts": N, "connects": N, "connections": [{open,
// appends, utterances, responses, transcripts, truncates: [{item_id, audio_end_ms, sent_ms,
// accepted}]}]}, the realtime handshakes and, per accepted connection in order, the audio appends
// it received, the utterances it heard, the responses it started, the transcripts it sent and the
// conversation.item.truncate events it got (with the audio it had sent for the item). POST
// /realtime/drop ends every open realtime connection as an upstream drop does (close 1001) and
// answers {"dropped": N}.
//
// Usage:
//
//	fakellm [-addr 127.0.0.1:0] [-first-token-delay 0s] [-generation-delay 0s]
//	        [-voice-transcripts "a|b|c"] [-voice-speech-level 0]
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
	transcripts := fs.String("voice-transcripts", "", `the transcripts of the utterances heard, in order, separated by "|"`)
	speechLevel := fs.Float64("voice-speech-level", 0, "the RMS (PCM16 units) above which an audio append is speech; 0: any non-zero sample")
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
	v := newVoice(*transcripts, *speechLevel)
	defer v.handler.Close() // its upgraded sockets are not the HTTP server's to close
	for _, path := range []string{"/openai/v1/realtime", "/v1/realtime", "/openai/realtime"} {
		mux.Handle(path, v.handler)
	}
	mux.HandleFunc("GET /realtime/stats", v.stats)
	mux.HandleFunc("POST /realtime/drop", v.drop)
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
