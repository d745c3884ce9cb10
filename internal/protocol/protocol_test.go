package protocol

import (
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		typ     string
		wantErr string
	}{
		{"chat", `{"type":"chat","payload":{"text":"hi"}}`, "chat", ""},
		{"no payload", `{"type":"ping"}`, "ping", ""},
		{"null payload", `{"type":"ping","payload":null}`, "ping", ""},
		{"not json", `hello`, "", "not a JSON object"},
		{"array", `[1]`, "", "not a JSON object"},
		{"no type", `{"payload":{}}`, "", `no "type"`},
		{"type not string", `{"type":5}`, "", "not a JSON object"},
		{"payload string", `{"type":"chat","payload":"hi"}`, "", "must be an object"},
		{"trailing data", `{"type":"ping"} {}`, "", "after the JSON object"},
		{"bad utf8", "{\"type\":\"chat\",\"payload\":{\"text\":\"\xc3\x28\"}}", "", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := Decode([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Decode(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || env.Type != tt.typ {
				t.Fatalf("Decode(%q) = %+v, %v; want type %q", tt.in, env, err, tt.typ)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	b, err := Encode(TypeChatChunk, 3, ChunkPayload{Text: "Hi", Done: false})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"type":"chat_chunk","turn":3,"payload":{"text":"Hi","done":false}}`; got != want {
		t.Fatalf("Encode = %s, want %s", got, want)
	}
}

func TestEncodeMatchesTheEnvelope(t *testing.T) {
	for _, turn := range []int{0, 1, 42} {
		b, err := Encode(TypeToolResult, turn, map[string]any{"tool": "show_chart", "result": map[string]any{"title": "a \"quoted\" <b>"}})
		if err != nil {
			t.Fatal(err)
		}
		env, err := Decode(b)
		if err != nil || env.Type != TypeToolResult || env.Turn != turn {
			t.Fatalf("Encode → Decode = %+v, %v (%s)", env, err, b)
		}
	}
}

// BenchmarkEncodeChunk is the server's own cost of one streamed chunk on the wire.
func BenchmarkEncodeChunk(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(TypeChatChunk, 7, ChunkPayload{Text: "Your checking balance "}); err != nil {
			b.Fatal(err)
		}
	}
}
