package modes

import "testing"

func TestResolveIndustry(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"bank", "banking", true},
		{"Banking", "banking", true},
		{"a bank", "banking", true},
		{"my credit union", "banking", true},
		{"Credit-Union", "banking", true},
		{"Wells Fargo", "banking", true},
		{"Chase", "banking", true},
		{"Bank of America", "banking", true},
		{"  savings   bank. ", "banking", true},
		{"insurance", "insurance", true},
		{"an insurance company", "insurance", true},
		{"Insurer", "insurance", true},
		{"State Farm", "insurance", true},
		{"ALLSTATE!", "insurance", true},
		{"healthcare", "healthcare", true},
		{"Health Care", "healthcare", true},
		{"the hospital", "healthcare", true},
		{"clinic", "healthcare", true},
		{"health insurance", "healthcare", true},
		{"my health plan", "healthcare", true},
		{"Kaiser Permanente", "healthcare", true},
		{"doctor's office", "healthcare", true},
		{"Presto-Change-O", HomeID, true},
		{"pet store", "", false},
		{"airline", "", false},
		{"bank robbery museum", "", false},
		{"a", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ResolveIndustry(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ResolveIndustry(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestEveryAliasResolvesToAPrebuiltMode(t *testing.T) {
	for alias, id := range industryAliases {
		if _, ok := FindPrebuilt(id); !ok {
			t.Errorf("alias %q maps to %q, which is not a prebuilt mode", alias, id)
		}
		if got := normalizeIndustry(alias); got != alias {
			t.Errorf("alias %q is not in normal form (%q): it can never match", alias, got)
		}
	}
}
