// Package load reproduces the attacks and the load figures of issue 11 against a running server:
// a new session per socket, reconnecting with one session, a flood of tab requests or of new
// modes, sockets that never read, many connections from one address, and many chats at once.
// Every scenario is bounded in count and in time, and reports what it saw; cmd/presto-load is its
// command line.
package load

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Scenarios are the scenario names, in the order the usage lists them.
var Scenarios = []string{"new-session-per-socket", "reconnect-same-session", "tab-flood", "mode-flood", "never-read", "connections", "chats"}

// Config is one run.
type Config struct {
	URL         string        // the server, http://host:port
	Scenario    string        // one of Scenarios
	Duration    time.Duration // the run stops after this long
	Count       int           // and after this many sockets, requests or chats
	Concurrency int           // workers (connections and chats: all Count at once)
	Token       string        // PRESTO_ACCESS_TOKEN of the server, if any
	FakeURL     string        // cmd/fakellm, whose GET /stats counts the LLM calls that reached it
	PID         int           // the server's process, whose peak memory is reported (Linux)
	Payload     int           // never-read: bytes of each echo message
	HealthFrom  string        // connections: the local address /healthz is asked from ("" the same as the sockets)
}

// defaultCounts bound each scenario when -count is not given.
var defaultCounts = map[string]int{
	"new-session-per-socket": 100000, "reconnect-same-session": 100000, "tab-flood": 100000, "mode-flood": 2000,
	"never-read": 50, "connections": 20000, "chats": 1000,
}

// Parse reads the command line.
func Parse(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("presto-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c Config
	fs.StringVar(&c.URL, "url", "http://127.0.0.1:8000", "the server")
	fs.StringVar(&c.Scenario, "scenario", "", "one of "+strings.Join(Scenarios, ", "))
	fs.DurationVar(&c.Duration, "duration", time.Minute, "stop after this long")
	fs.IntVar(&c.Count, "count", 0, "stop after this many sockets, requests or chats (default: per scenario, 50 never-read clients, 20000 connections, 1000 chats)")
	fs.IntVar(&c.Concurrency, "concurrency", 8, "workers of the flood scenarios")
	fs.StringVar(&c.Token, "token", "", "the server's access token (PRESTO_ACCESS_TOKEN)")
	fs.StringVar(&c.FakeURL, "fake", "", "cmd/fakellm's address, to count the LLM calls that reached it (GET /stats)")
	fs.IntVar(&c.PID, "pid", 0, "the server's process id, to report its peak memory (Linux)")
	fs.IntVar(&c.Payload, "payload-bytes", 60<<10, "never-read: bytes of each echo message (under the 64 KB message limit)")
	fs.StringVar(&c.HealthFrom, "health-from", "", "connections: ask /healthz from this local address (e.g. 127.0.0.2), as a monitor or another user would, not from the attacking one")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var problems []error
	if !slices.Contains(Scenarios, c.Scenario) {
		problems = append(problems, fmt.Errorf("-scenario must be one of %s, got %q", strings.Join(Scenarios, ", "), c.Scenario))
	}
	for name, raw := range map[string]string{"-url": c.URL, "-fake": c.FakeURL} {
		if raw == "" && name == "-fake" {
			continue
		}
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			problems = append(problems, fmt.Errorf("%s must be an http(s) URL like http://127.0.0.1:8000, got %q", name, raw))
		}
	}
	if c.Duration <= 0 || c.Duration > 24*time.Hour {
		problems = append(problems, fmt.Errorf("-duration must be between 0 and 24h, got %s", c.Duration))
	}
	if c.Count < 0 || c.Concurrency < 1 || c.Payload < 1 || c.PID < 0 {
		problems = append(problems, errors.New("-count, -concurrency, -payload-bytes and -pid must be positive"))
	}
	if c.HealthFrom != "" {
		if _, err := netip.ParseAddr(c.HealthFrom); err != nil {
			problems = append(problems, fmt.Errorf("-health-from must be an IP address, got %q", c.HealthFrom))
		}
	}
	if c.Count == 0 {
		c.Count = defaultCounts[c.Scenario]
	}
	c.URL = strings.TrimRight(c.URL, "/")
	c.FakeURL = strings.TrimRight(c.FakeURL, "/")
	return c, errors.Join(problems...)
}

// Run runs the scenario of c until its count or its duration is reached, or ctx ends, and writes
// the report to out.
func Run(ctx context.Context, c Config, out io.Writer) (*Report, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Duration)
	defer cancel()
	r := newReport(c)
	before, err := fakeCalls(ctx, c.FakeURL)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	memory := watchMemory(ctx, c.PID)
	switch c.Scenario {
	case "new-session-per-socket":
		err = chatFlood(ctx, c, r, func(int) string { return "" })
	case "reconnect-same-session":
		id := "load-" + randomID()
		err = chatFlood(ctx, c, r, func(int) string { return id })
	case "tab-flood":
		err = tabFlood(ctx, c, r)
	case "mode-flood":
		err = modeFlood(ctx, c, r)
	case "never-read":
		err = neverRead(ctx, c, r)
	case "connections":
		err = connections(ctx, c, r)
	case "chats":
		err = chats(ctx, c, r)
	}
	r.Elapsed = time.Since(start)
	r.PeakRSSMB = memory()
	// The count is read with a context of its own: the run's may have ended with its duration.
	statsCtx, cancelStats := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancelStats()
	after, statsErr := fakeCalls(statsCtx, c.FakeURL)
	if c.FakeURL != "" && statsErr == nil {
		r.LLMCalls = after - before
	}
	r.write(out)
	return r, errors.Join(err, statsErr)
}
