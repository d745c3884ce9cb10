package pgrelay

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

const testOrigin = "0123456789abcdef"

func TestInlineRoundTrip(t *testing.T) {
	tests := []struct {
		name       string
		sessionID  string
		event      []byte
		utf8Server bool
		kind       byte
	}{
		{"json", "s1", []byte(`{"type":"chunk","text":"hi"}`), true, kindText},
		{"empty", "s2", nil, true, kindText},
		{"unicode", "sé", []byte("héllo 🌍"), true, kindText},
		{"unicode on a latin1 server", "s", []byte("héllo"), false, kindBase64},
		{"NUL", "s", []byte{'a', 0, 'b'}, true, kindBase64},
		{"invalid UTF-8", "s", []byte{0xff, 0xfe}, true, kindBase64},
		{"dots in the session id", "a.b.3.", []byte("x.y"), true, kindText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := encodeInline(testOrigin, 12345, tt.sessionID, tt.event, tt.utf8Server, defaultMaxPayload)
			if !ok {
				t.Fatal("does not fit")
			}
			m, err := decode(p)
			if err != nil {
				t.Fatalf("decode %q: %v", p, err)
			}
			if m.origin != testOrigin || m.seq != 12345 || m.kind != tt.kind ||
				m.sessionID != tt.sessionID || !bytes.Equal(m.event, tt.event) {
				t.Errorf("decoded %+v from %q", m, p)
			}
		})
	}
}

func TestInlineLimit(t *testing.T) {
	for n := defaultMaxPayload - 60; n < defaultMaxPayload+10; n++ {
		ev := bytes.Repeat([]byte("x"), n)
		p, ok := encodeInline(testOrigin, 1, "sess", ev, true, defaultMaxPayload)
		if ok && len(p) > defaultMaxPayload {
			t.Fatalf("event of %d bytes: payload of %d bytes accepted", n, len(p))
		}
		head := len(testOrigin) + len("t1.4.sess")
		if want := head+n <= defaultMaxPayload; ok != want {
			t.Fatalf("event of %d bytes: fits %v, want %v", n, ok, want)
		}
	}
}

func TestRowPrefix(t *testing.T) {
	m, err := decode(rowPrefix(testOrigin, 36) + "987")
	if err != nil || m.kind != kindRow || m.seq != 36 || m.rowID != 987 || m.origin != testOrigin {
		t.Fatalf("decoded %+v, %v", m, err)
	}
}

func TestDecodeMalformed(t *testing.T) {
	for _, p := range []string{
		"", "short", testOrigin + "t", testOrigin + "t1", testOrigin + "tz!.1.a",
		testOrigin + "t1.9.ab", testOrigin + "t1.-1.ab", testOrigin + "b1.0.***",
		testOrigin + "r1.x", testOrigin + "q1.0.",
	} {
		if m, err := decode(p); err == nil {
			t.Errorf("decode(%q) = %+v, want an error", p, m)
		}
	}
}

func FuzzDecode(f *testing.F) {
	p, _ := encodeInline(testOrigin, 7, "s", []byte("event"), true, defaultMaxPayload)
	f.Add(p)
	f.Add(rowPrefix(testOrigin, 7) + "1")
	f.Fuzz(func(t *testing.T, p string) {
		m, err := decode(p)
		if err != nil || m.kind == kindRow {
			return
		}
		// What decodes re-encodes to an event that decodes the same.
		q, ok := encodeInline(m.origin, m.seq, m.sessionID, m.event, true, defaultMaxPayload)
		if !ok {
			return
		}
		m2, err := decode(q)
		if err != nil || m2.sessionID != m.sessionID || !bytes.Equal(m2.event, m.event) || m2.seq != m.seq {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", p, m, q, m2, err)
		}
	})
}

func TestSequenceGapsAndDuplicates(t *testing.T) {
	r := &Relay{opts: defaultOptions(), logger: discard()}
	rc := &receiver{r: r, origins: map[string]originState{}, pruned: time.Now()}
	seen := func(origin string, seq uint64) bool { return rc.inSequence(message{origin: origin, seq: seq}) }

	if !seen("a", 5) || !seen("a", 6) { // the first event of a publisher is not a gap
		t.Fatal("new events refused")
	}
	if seen("a", 6) || seen("a", 3) {
		t.Fatal("duplicate accepted")
	}
	if !seen("a", 10) || !seen("b", 1) {
		t.Fatal("new events refused")
	}
	if s := r.Stats(); s.Missed != 3 || s.Duplicates != 2 {
		t.Fatalf("stats %+v, want 3 missed (7, 8, 9) and 2 duplicates", s)
	}

	// A publisher silent for originTTL is forgotten.
	rc.origins["old"] = originState{seq: 1, seen: time.Now().Add(-2 * r.opts.originTTL)}
	rc.pruned = time.Now().Add(-r.opts.originTTL)
	seen("a", 11)
	if _, ok := rc.origins["old"]; ok {
		t.Fatal("stale origin kept")
	}
}

func TestChannelName(t *testing.T) {
	if c := channelName("public"); c != "presto_events" {
		t.Errorf("public: %q", c)
	}
	if c := channelName("tenant_a"); c != "presto_events.tenant_a" {
		t.Errorf("tenant_a: %q", c)
	}
	long := strings.Repeat("s", 63)
	if c := channelName(long); len(c) > maxChannelLen || c == channelName(long[1:]+"t") {
		t.Errorf("long schema: %q", c)
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
