package offline

import (
	"context"
	"strings"
	"testing"

	"presto/internal/llm"
	"presto/internal/message"
)

// FuzzParseCommand checks the parser's promises on any text: no panic, a switch always names a
// bounded industry, and "presto" never becomes the company.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		"Presto-Change-O, you're a pet store called Paws & Claws", "presto", "switch to insurance",
		"Be a hospital, presto!", "presto presto presto", "you're a called named", "presto\u2011change\u2011o, ‘you’re’ an “inn”",
		"switch back to Presto", "Presto-Change-O you're a bank called Presto",
		"presto " + strings.Repeat("a ", 20000), "switch to " + strings.Repeat("to ", 20000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		c := parseCommand(msg)
		if c.kind != switchTo {
			return
		}
		if strings.TrimSpace(c.industry) == "" {
			t.Fatalf("switch with an empty industry: %q", msg)
		}
		if n := len(strings.Fields(c.industry)); n > maxTargetWords {
			t.Fatalf("industry of %d words from %q", n, msg)
		}
		if prestoWord.MatchString(c.company) {
			t.Fatalf("company %q contains presto, from %q", c.company, msg)
		}
	})
}

// BenchmarkStream measures one question turn from request to Done.
func BenchmarkStream(b *testing.B) {
	p := bankingPersona()
	req := llm.Request{
		Messages: []message.Message{{Role: message.RoleUser, Content: "How much is left in my checking account?"}},
		Tools:    llm.ChatTools(), Persona: p, Mode: modeFor(&testing.T{}, p),
	}
	prov := New()
	for b.Loop() {
		if err := prov.Stream(context.Background(), req, func(llm.Event) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModeConfig measures one generated mode config.
func BenchmarkModeConfig(b *testing.B) {
	prov := New()
	req := llm.StructuredRequest{SchemaName: modeConfigSchema, Industry: "quantum computing lab"}
	for b.Loop() {
		if _, err := prov.Structured(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}
