package voice

import (
	"strings"
	"testing"
	"time"
)

func TestBudgetSessionsAtOnceAndMinutesPerDay(t *testing.T) {
	day := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	b := NewBudget(2, 1)
	b.now = func() time.Time { return day }

	first, err := b.acquire("s1")
	if err != nil {
		t.Fatal(err)
	}
	second, err := b.acquire("s2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.acquire("s3"); err == nil || !strings.Contains(err.Error(), "PRESTO_MAX_VOICE_SESSIONS") {
		t.Fatalf("a third session at once: %v, want the sessions limit", err)
	}
	second()
	second() // releasing twice gives back one place only
	third, err := b.acquire("s3")
	if err != nil {
		t.Fatalf("after a release: %v", err)
	}
	if _, err := b.acquire("s4"); err == nil {
		t.Fatal("a double release made room for two")
	}
	third()

	if err := b.spend("s1", 59*time.Second); err != nil {
		t.Fatalf("59 s of a minute: %v", err)
	}
	if err := b.spend("s1", time.Second); err == nil || !strings.Contains(err.Error(), "PRESTO_VOICE_MAX_MINUTES") {
		t.Fatalf("the whole minute: %v, want the minutes limit", err)
	}
	first()
	if _, err := b.acquire("s1"); err == nil {
		t.Fatal("a session that used its minutes started again the same day")
	}
	if _, err := b.acquire("s2"); err != nil {
		t.Fatalf("another session is not charged for s1's minutes: %v", err)
	}
	day = day.Add(24 * time.Hour)
	if _, err := b.acquire("s1"); err != nil {
		t.Fatalf("the next day: %v", err)
	}
}
