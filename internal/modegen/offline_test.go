package modegen

import (
	"context"
	"strings"
	"testing"

	"presto/internal/llm/offline"
	"presto/internal/modes"
)

// The offline provider parses the two header lines of the request; every mode it invents must
// pass validation and come out presto-free, with the user's company name kept.
func TestGenerateWithOfflineProvider(t *testing.T) {
	tests := []struct{ industry, company string }{
		{"pet store", "Paws & Claws"},
		{"airline", ""},
		{"coffee shop", "Presto Beans"},
		{"Presto-Change-O", ""},
	}
	for _, tt := range tests {
		t.Run(tt.industry, func(t *testing.T) {
			m, err := Generate(context.Background(), offline.New(), tt.industry, tt.company)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.ToLower(m.CompanyName+m.Name+m.ID), "presto") {
				t.Errorf("mode %q / %q / %q says presto", m.ID, m.Name, m.CompanyName)
			}
			if want := modes.StripPresto(tt.company); want != "" && m.CompanyName != want {
				t.Errorf("company %q, want the user's %q", m.CompanyName, want)
			}
			if modes.ContrastRatio(m.Theme.Text, m.Theme.Background) < modes.MinTextContrast {
				t.Errorf("theme %+v fails AA", m.Theme)
			}
		})
	}
}
