package persona

import (
	"testing"
	"time"
)

func TestMoney(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "$0.00"},
		{4218.37, "$4,218.37"},
		{-84.12, "-$84.12"},
		{1_000_000, "$1,000,000.00"},
		{999.995, "$1,000.00"},
		{100, "$100.00"},
		{123456.7, "$123,456.70"},
	}
	for _, tt := range tests {
		if got := Money(tt.in); got != tt.want {
			t.Errorf("Money(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNumberAndPct(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Number(in); got != want {
			t.Errorf("Number(%d) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[float64]string{6.125: "6.125%", 4.1: "4.1%", 5: "5%", 0.01: "0.01%"} {
		if got := pct(in); got != want {
			t.Errorf("pct(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestMonthLabels(t *testing.T) {
	got := monthLabels(time.Date(2026, time.February, 28, 0, 0, 0, 0, time.UTC), 6)
	want := []string{"Sep", "Oct", "Nov", "Dec", "Jan", "Feb"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("monthLabels = %v, want %v", got, want)
		}
	}
}
