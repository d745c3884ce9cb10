package protocol

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"type":"chat","payload":{"text":"hi"}}`,
		`{"type":"ping"}`,
		`{"type":"echo","payload":{"a":[1,2,{"b":null}]}}`,
		`{"type":"chat","payload":"x"}`,
		`{"type":""}`,
		`[1,2]`,
		`{"type":"chat"}{"type":"chat"}`,
		"{\"type\":\"chat\",\"payload\":{\"text\":\"\xff\"}}",
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := Decode(data)
		if err != nil {
			return
		}
		if !utf8.Valid(data) {
			t.Fatalf("accepted invalid UTF-8: %q", data)
		}
		if env.Type == "" {
			t.Fatalf("accepted a message without type: %q", data)
		}
		if len(env.Payload) > 0 && string(env.Payload) != "null" {
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(env.Payload, &obj); err != nil {
				t.Fatalf("accepted a non-object payload %q: %v", env.Payload, err)
			}
		}
		// What was accepted must survive a round trip through the server's encoder.
		out, err := Encode(env.Type, env.Turn, env.Payload)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		back, err := Decode(out)
		if err != nil || back.Type != env.Type {
			t.Fatalf("round trip: %v, %q", err, out)
		}
	})
}
