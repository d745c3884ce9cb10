package sqlite_test

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"presto/internal/message"
	"presto/internal/store"
	"presto/internal/store/sqlite"
)

// benchSession is a full session: 20 messages (the history bound), a tool call among them.
func benchSession(id string) store.Session {
	var h []message.Message
	for i := range 10 {
		h = append(h,
			message.Message{Role: message.RoleUser, Content: fmt.Sprintf("question %d about my checking balance?", i)},
			message.Message{Role: message.RoleAssistant, Content: strings.Repeat("An answer of a sentence. ", 4),
				ToolCalls: []message.ToolCall{{ID: fmt.Sprint("call_", i), Name: "show_chart",
					Arguments: `{"chart_type":"line","title":"Balance","data":[{"label":"Jan","value":1200},{"label":"Feb","value":1350}]}`}}},
		)
	}
	return store.Session{ID: id, ModeID: "banking", History: h, Voice: "alloy"}
}

func benchStore(b *testing.B) *sqlite.Store {
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "presto.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// BenchmarkSaveSession measures one durable session write (synchronous=FULL: one fsync each).
func BenchmarkSaveSession(b *testing.B) {
	s := benchStore(b)
	sess := benchSession("bench")
	for b.Loop() {
		if err := s.SaveSession(b.Context(), sess); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveSessionParallel measures writes from many sessions at once, which queue on the
// single writer connection.
func BenchmarkSaveSessionParallel(b *testing.B) {
	s := benchStore(b)
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		sess := benchSession(fmt.Sprint("bench-", n.Add(1)))
		for pb.Next() {
			if err := s.SaveSession(b.Context(), sess); err != nil {
				b.Error(err)
				return
			}
		}
	})
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

// BenchmarkGetSessionParallel measures concurrent reads, which WAL serves beside the writer.
func BenchmarkGetSessionParallel(b *testing.B) {
	s := benchStore(b)
	if err := s.SaveSession(b.Context(), benchSession("bench")); err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.GetSession(b.Context(), "bench"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
