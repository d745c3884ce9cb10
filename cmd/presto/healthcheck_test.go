package main

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestHealthcheckExitCodes runs `presto healthcheck URL` as a process (this test binary, re-run as
// the command) and checks its exit code and its one line of output.
func TestHealthcheckExitCodes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			w.Write([]byte(`{"status":"ok"}`))
		case "/sick":
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		default:
			http.Redirect(w, r, "/sick", http.StatusFound)
		}
	}))
	defer srv.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // nothing listens at its address any more

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // a substring of the one line of stdout (exit 0) or stderr (exit 1)
	}{
		{"200", []string{srv.URL + "/healthz"}, 0, "ok " + srv.URL + "/healthz"},
		{"503", []string{srv.URL + "/sick"}, 1, "answered 503 Service Unavailable"},
		{"redirect to a 503", []string{srv.URL + "/elsewhere"}, 1, "answered 503"},
		{"nothing listening", []string{closed.URL + "/healthz"}, 1, "connection refused"},
		{"not a URL", []string{"::"}, 1, "missing protocol scheme"},
		{"two URLs", []string{srv.URL, srv.URL}, 1, "at most one URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHealthcheckProcess$")
			cmd.Env = append(os.Environ(), "PRESTO_HEALTHCHECK_ARGS="+strings.Join(tt.args, "\x1f"))
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			out := stdout.String()
			if tt.wantCode != 0 {
				out = stderr.String()
			}
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || strings.Count(strings.TrimSpace(out), "\n") != 0 {
				t.Errorf("exit %d, output %q; want exit %d and one line with %q (stdout %q, stderr %q)",
					code, out, tt.wantCode, tt.wantOut, stdout.String(), stderr.String())
			}
		})
	}
}

// TestHealthcheckProcess is the command itself when TestHealthcheckExitCodes runs it: main with
// `healthcheck` and the arguments it was given.
func TestHealthcheckProcess(t *testing.T) {
	args, ok := os.LookupEnv("PRESTO_HEALTHCHECK_ARGS")
	if !ok {
		t.Skip("run by TestHealthcheckExitCodes")
	}
	os.Args = append([]string{"presto", "healthcheck"}, strings.Split(args, "\x1f")...)
	main()
	os.Exit(0)
}

func TestDefaultHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		"":             "http://127.0.0.1:8000/healthz",
		"0.0.0.0:8000": "http://127.0.0.1:8000/healthz",
		"0.0.0.0:9090": "http://127.0.0.1:9090/healthz",
		"[::]:8443":    "http://127.0.0.1:8443/healthz",
		":0":           "http://127.0.0.1:8000/healthz",
		"nonsense":     "http://127.0.0.1:8000/healthz",
	} {
		if got := defaultHealthURL(addr); got != want {
			t.Errorf("defaultHealthURL(%q) = %q, want %q", addr, got, want)
		}
	}
}
