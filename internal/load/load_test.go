package load

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseDefaults(t *testing.T) {
	for scenario, count := range map[string]int{"never-read": 50, "connections": 20000, "chats": 1000, "new-session-per-socket": 100000} {
		c, err := Parse([]string{"-scenario", scenario}, io.Discard)
		if err != nil {
			t.Fatalf("%s: %v", scenario, err)
		}
		if c.URL != "http://127.0.0.1:8000" || c.Duration != time.Minute || c.Count != count || c.Concurrency != 8 || c.Payload != 60<<10 {
			t.Fatalf("%s defaults: %+v", scenario, c)
		}
	}
}

func TestParseReadsEveryFlag(t *testing.T) {
	c, err := Parse([]string{"-scenario", "tab-flood", "-url", "http://10.0.0.2:9000/", "-duration", "5s", "-count", "7",
		"-concurrency", "3", "-token", "s3cret", "-fake", "http://127.0.0.1:9100", "-pid", "42", "-payload-bytes", "100",
		"-health-from", "127.0.0.2"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{URL: "http://10.0.0.2:9000", Scenario: "tab-flood", Duration: 5 * time.Second, Count: 7, Concurrency: 3,
		Token: "s3cret", FakeURL: "http://127.0.0.1:9100", PID: 42, Payload: 100, HealthFrom: "127.0.0.2"}
	if c != want {
		t.Fatalf("got %+v\nwant %+v", c, want)
	}
}

func TestParseRefusesWhatCannotRun(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "-scenario must be one of"},
		{[]string{"-scenario", "ddos"}, `got "ddos"`},
		{[]string{"-scenario", "chats", "-url", "127.0.0.1:8000"}, "-url must be an http(s) URL"},
		{[]string{"-scenario", "chats", "-fake", "ftp://x"}, "-fake must be an http(s) URL"},
		{[]string{"-scenario", "chats", "-duration", "0s"}, "-duration"},
		{[]string{"-scenario", "chats", "-duration", "48h"}, "-duration"},
		{[]string{"-scenario", "chats", "-concurrency", "0"}, "must be positive"},
		{[]string{"-scenario", "chats", "-count", "-1"}, "must be positive"},
		{[]string{"-scenario", "chats", "extra"}, `unexpected argument "extra"`},
		{[]string{"-scenario", "connections", "-health-from", "localhost"}, "-health-from must be an IP address"},
		{[]string{"-scenario", "chats", "-nope"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		if _, err := Parse(tt.args, io.Discard); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
}
