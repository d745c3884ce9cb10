package postgres_test

import (
	"fmt"
	"log/slog"
	"testing"

	"presto/internal/message"
	"presto/internal/pgtest"
	"presto/internal/store"
	"presto/internal/store/postgres"
)

// benchSession is a full session: 20 messages (the history bound), a tool call in each answer.
func benchSession(id string) store.Session {
	var h []message.Message
	for i := range 10 {
		h = append(h,
			message.Message{Role: message.RoleUser, Content: fmt.Sprintf("question %d about my checking balance?", i)},
			message.Message{Role: message.RoleAssistant, Content: "An answer of a sentence.",
				ToolCalls: []message.ToolCall{{ID: fmt.Sprint("call_", i), Name: "show_chart",
					Arguments: `{"chart_type":"line","title":"Balance","data":[{"label":"Jan","value":1200}]}`}}},
		)
	}
	return store.Session{ID: id, ModeID: "banking", History: h, Voice: "alloy"}
}

func benchStore(b *testing.B) *postgres.Store {
	s, err := postgres.Open(b.Context(), pgtest.FreshSchema(b), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// BenchmarkSaveSession measures one session write (one transaction, one commit).
func BenchmarkSaveSession(b *testing.B) {
	s := benchStore(b)
	sess := benchSession("bench")
	for b.Loop() {
		if err := s.SaveSession(b.Context(), sess); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetSession measures reading and decoding a full session.
func BenchmarkGetSession(b *testing.B) {
	s := benchStore(b)
	if err := s.SaveSession(b.Context(), benchSession("bench")); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.GetSession(b.Context(), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
