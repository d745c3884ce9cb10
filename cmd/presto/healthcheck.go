package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheckTimeout bounds the whole probe, well inside a container HEALTHCHECK's timeout.
const healthcheckTimeout = 3 * time.Second

// runHealthcheck is `presto healthcheck [URL]`: a GET of URL (default: /healthz on loopback at the
// port of PRESTO_ADDR, else 8000) that succeeds only on 200, so a scratch image needs no curl. Any
// other answer, or none, is an error of one line that main prints before exiting 1.
func runHealthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 1 {
		return fmt.Errorf("healthcheck: want at most one URL, got %d arguments", len(args))
	}
	url := defaultHealthURL(getenv("PRESTO_ADDR"))
	if len(args) == 1 {
		url = args[0]
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	// No proxy: the probe is about this machine, whatever HTTP_PROXY says.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil
	res, err := (&http.Client{Transport: transport}).Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, res.Status)
	}
	fmt.Fprintln(stdout, "ok", url)
	return nil
}

// defaultHealthURL is /healthz on 127.0.0.1 at the port of the listen address addr, or 8000.
func defaultHealthURL(addr string) string {
	port := "8000"
	if _, p, err := net.SplitHostPort(addr); err == nil && p != "" && p != "0" {
		port = p
	}
	return "http://" + net.JoinHostPort("127.0.0.1", port) + "/healthz"
}
