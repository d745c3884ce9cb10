package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"presto/internal/message"
	"presto/internal/store"
)

// sampleHistory is a turn with everything a history can hold: a tool call whose arguments are
// JSON inside a string, a tool answer, and text that needs escaping.
func sampleHistory() []message.Message {
	return []message.Message{
		{Role: message.RoleUser, Content: "how much is left in my checking account?"},
		{Role: message.RoleAssistant, ToolCalls: []message.ToolCall{{
			ID:        "call_1",
			Name:      "show_chart",
			Arguments: `{"chart_type":"line","title":"Checking \"balance\"","data":[{"label":"Jun","value":1234.5}]}`,
		}}},
		{Role: message.RoleTool, ToolCallID: "call_1", Content: `{"ok":true}`},
		{Role: message.RoleAssistant, Content: "You have $1,234.50 left — café money included.\n"},
	}
}

func testSessionRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	in := store.Session{
		ID:        "sess-roundtrip",
		ModeID:    "banking",
		History:   sampleHistory(),
		Voice:     "alloy",
		Turn:      7,
		UpdatedAt: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), // the store must replace it
	}
	before := time.Now().Truncate(time.Microsecond)
	if err := s.SaveSession(ctx, in); err != nil {
		t.Fatalf("SaveSession: %v", err)
	}
	after := time.Now()
	got, err := s.GetSession(ctx, in.ID)
	if err != nil {
		t.Fatalf("GetSession: %v", err)
	}
	if got.ID != in.ID || got.ModeID != in.ModeID || got.Voice != in.Voice || got.Turn != in.Turn {
		t.Errorf("GetSession = {%q %q %q %d}, want {%q %q %q %d}", got.ID, got.ModeID, got.Voice, got.Turn, in.ID, in.ModeID, in.Voice, in.Turn)
	}
	// A save from a replica that saw fewer turns never lowers the number.
	older := in
	older.Turn = 3
	if err := s.SaveSession(ctx, older); err != nil {
		t.Fatalf("SaveSession: %v", err)
	}
	if got, err := s.GetSession(ctx, in.ID); err != nil || got.Turn != in.Turn {
		t.Errorf("turn after saving an older number = %d (%v), want %d", got.Turn, err, in.Turn)
	}
	if !reflect.DeepEqual(got.History, in.History) {
		t.Errorf("history changed in the round trip:\n got %+v\nwant %+v", got.History, in.History)
	}
	if got.UpdatedAt.Before(before) || got.UpdatedAt.After(after) {
		t.Errorf("UpdatedAt = %v, want the time of the save, between %v and %v", got.UpdatedAt, before, after)
	}
}

func testSessionUpsert(t *testing.T, s store.Store) {
	ctx := t.Context()
	first := store.Session{ID: "sess-upsert", ModeID: "banking", History: sampleHistory(), Voice: "alloy"}
	if err := s.SaveSession(ctx, first); err != nil {
		t.Fatalf("SaveSession first: %v", err)
	}
	saved, err := s.GetSession(ctx, first.ID)
	if err != nil {
		t.Fatalf("GetSession first: %v", err)
	}
	// A mode switch clears the history and the presenter changes the voice.
	second := store.Session{ID: first.ID, ModeID: "insurance", Voice: "verse"}
	if err := s.SaveSession(ctx, second); err != nil {
		t.Fatalf("SaveSession second: %v", err)
	}
	got, err := s.GetSession(ctx, first.ID)
	if err != nil {
		t.Fatalf("GetSession second: %v", err)
	}
	if got.ModeID != "insurance" || got.Voice != "verse" || len(got.History) != 0 {
		t.Errorf("after replace got mode %q voice %q history %d, want insurance, verse, 0",
			got.ModeID, got.Voice, len(got.History))
	}
	if got.UpdatedAt.Before(saved.UpdatedAt) {
		t.Errorf("UpdatedAt went back from %v to %v", saved.UpdatedAt, got.UpdatedAt)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Something else exists, so a lookup cannot pass by failing on an empty table.
	if err := s.SaveSession(ctx, store.Session{ID: "present", ModeID: "banking"}); err != nil {
		t.Fatalf("SaveSession: %v", err)
	}
	if err := s.SaveMode(ctx, sampleMode("present", "Present Co")); err != nil {
		t.Fatalf("SaveMode: %v", err)
	}
	if err := s.SaveTabContent(ctx, "present", "loans", []byte(`{}`)); err != nil {
		t.Fatalf("SaveTabContent: %v", err)
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"session", func() error { _, err := s.GetSession(ctx, "absent"); return err }},
		{"mode", func() error { _, err := s.GetMode(ctx, "absent"); return err }},
		{"tab of a known mode", func() error { _, err := s.GetTabContent(ctx, "present", "absent"); return err }},
		{"tab of an unknown mode", func() error { _, err := s.GetTabContent(ctx, "absent", "loans"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("err = %v, want store.ErrNotFound", err)
			}
		})
	}
}

func testInvalid(t *testing.T, s store.Store) {
	ctx := t.Context()
	tests := []struct {
		name string
		call func() error
	}{
		{"session without id", func() error { return s.SaveSession(ctx, store.Session{ModeID: "banking"}) }},
		{"mode without id", func() error { return s.SaveMode(ctx, sampleMode("", "No Id Co")) }},
		{"tab content not JSON", func() error { return s.SaveTabContent(ctx, "m", "t", []byte(`{"a":`)) }},
		{"tab content empty", func() error { return s.SaveTabContent(ctx, "m", "t", nil) }},
		{"tab without id", func() error { return s.SaveTabContent(ctx, "m", "", []byte(`{}`)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("err = %v, want store.ErrInvalid", err)
			}
		})
	}
	if _, err := s.GetTabContent(ctx, "m", "t"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused tab write left something behind: %v", err)
	}
}
