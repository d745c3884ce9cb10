package modes

import (
	"strings"
	"testing"
)

func TestStripPresto(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Presto Bank", "Bank"},
		{"PRESTO", ""},
		{"presto", ""},
		{"Presto-Change-O", ""},
		{"presto change o", ""},
		{"Presto Change-O Pets", "Pets"},
		{"Presto Changeo", ""},
		{"PrestoBank", "Bank"},
		{"Presto's Pizza", "Pizza"},
		{"Paws & Claws", "Paws & Claws"},
		{"Summit Trust Bank", "Summit Trust Bank"},
		{"The Presto Group", "The Group"},
		{"Presto, Inc.", "Inc."},
		{"Prestonwood Bank", "Prestonwood Bank"},
		{"Café Presto", "Café"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := StripPresto(tt.in); got != tt.want {
				t.Errorf("StripPresto(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMeaningfulName(t *testing.T) {
	tests := []struct {
		name, industry string
		want           bool
	}{
		{"Bank", "Banking", false},
		{"Inc.", "Banking", false},
		{"The Group", "Pet store", false},
		{"Pets", "Pet store", false},
		{"", "Airline", false},
		{"Paws & Claws", "Pet store", true},
		{"Summit Trust Bank", "Banking", true},
		{"Skyward Air", "Airline", true},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.industry, func(t *testing.T) {
			if got := meaningfulName(tt.name, tt.industry); got != tt.want {
				t.Errorf("meaningfulName(%q, %q) = %v, want %v", tt.name, tt.industry, got, tt.want)
			}
		})
	}
}

func TestDeriveCompanyName(t *testing.T) {
	a, b := DeriveCompanyName("pet store"), DeriveCompanyName("pet store")
	if a != b {
		t.Errorf("not deterministic: %q vs %q", a, b)
	}
	if !strings.HasSuffix(a, " Pet Store") {
		t.Errorf("DeriveCompanyName(pet store) = %q, want a name ending in Pet Store", a)
	}
	for _, in := range []string{"Presto", "", "presto airline"} {
		got := DeriveCompanyName(in)
		if strings.Contains(strings.ToLower(got), "presto") || strings.TrimSpace(got) == "" {
			t.Errorf("DeriveCompanyName(%q) = %q", in, got)
		}
	}
}
