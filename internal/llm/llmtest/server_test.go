package llmtest

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func post(t *testing.T, url, body string) *http.Response {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	t.Cleanup(func() { _ = res.Body.Close() })
	return res
}

func TestServerPathsAndRecording(t *testing.T) {
	tests := []struct {
		path   string
		status int
	}{
		{"/v1/chat/completions", 200},
		{"/openai/v1/chat/completions", 200},
		{"/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", 200},
		{"/v1/embeddings", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			s := NewServer(t)
			if tt.status == 200 {
				s.Enqueue(Structured(`{"ok":true}`))
			}
			res := post(t, s.URL+tt.path, `{"stream":false,"messages":[{"role":"system","content":"sys"},{"role":"user","content":[{"type":"text","text":"hi "},{"type":"text","text":"there"}]}]}`)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if tt.status != 200 {
				if n := len(s.Requests()); n != 0 {
					t.Errorf("%d requests recorded for an unknown path", n)
				}
				return
			}
			r := s.Requests()[0]
			if r.Method != "POST" || r.Path != strings.Split(tt.path, "?")[0] || r.Streamed() ||
				r.LastUserMessage() != "hi there" || r.SystemMessage() != "sys" || r.WasCanceled() {
				t.Errorf("recorded %+v", r)
			}
			if s.Pending() != 0 {
				t.Errorf("%d replies left", s.Pending())
			}
		})
	}
}

func TestCutEndsWithUnexpectedEOF(t *testing.T) {
	s := NewServer(t)
	s.Enqueue(Text("Hello there", 2).CutAfter(2))
	res := post(t, s.URL+"/v1/chat/completions", `{"stream":true}`)
	sc := bufio.NewScanner(res.Body)
	var events int
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "data: ") {
			events++
		}
	}
	if !errors.Is(sc.Err(), io.ErrUnexpectedEOF) {
		t.Errorf("read error %v, want unexpected EOF", sc.Err())
	}
	if events != 2 {
		t.Errorf("%d events before the cut, want 2", events)
	}
}

func TestScriptedStreams(t *testing.T) {
	r := ToolCalls("hi", Call{Name: "show_chart", Arguments: `{"a":1}`, Parts: 3})
	// role, text, call header, 3 argument parts, finish, usage
	if len(r.Events) != 8 {
		t.Fatalf("%d events, want 8", len(r.Events))
	}
	var args string
	for _, ev := range r.Events[3:6] {
		var c chunk
		if err := json.Unmarshal([]byte(ev), &c); err != nil {
			t.Fatal(err)
		}
		args += c.Choices[0].Delta.ToolCalls[0].Function.Arguments
	}
	if args != `{"a":1}` {
		t.Errorf("argument parts join to %q", args)
	}
	if az := r.WithAzureFilters(); len(az.Events) != 10 || !strings.Contains(az.Events[0], "prompt_filter_results") ||
		!strings.Contains(az.Events[8], `"id":""`) || !strings.Contains(az.Events[9], "usage") {
		t.Errorf("Azure events %v", az.Events)
	}
}

func TestFirstDelay(t *testing.T) {
	s := NewServer(t)
	s.Enqueue(Text("Hi", 1).WithFirstDelay(150 * time.Millisecond))
	start := time.Now()
	res := post(t, s.URL+"/v1/chat/completions", `{"stream":true}`)
	if _, err := bufio.NewReader(res.Body).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 150*time.Millisecond {
		t.Errorf("first event after %v, want at least 150ms", elapsed)
	}
}
