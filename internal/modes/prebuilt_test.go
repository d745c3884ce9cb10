package modes

import (
	"slices"
	"strings"
	"testing"
)

func TestPrebuiltModes(t *testing.T) {
	all := Prebuilt()
	if len(all) != 4 || all[0].ID != HomeID {
		t.Fatalf("Prebuilt() = %d modes starting with %q; want 4 starting with home", len(all), all[0].ID)
	}
	seen := map[string]bool{}
	for _, m := range all {
		t.Run(m.ID, func(t *testing.T) {
			if seen[m.ID] {
				t.Errorf("duplicate id %q", m.ID)
			}
			seen[m.ID] = true
			if !m.Prebuilt {
				t.Error("Prebuilt flag not set")
			}
			for name, v := range map[string]string{"name": m.Name, "company": m.CompanyName, "tagline": m.Tagline, "welcome": m.WelcomeMessage, "prompt": m.Prompt} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s is empty", name)
				}
			}
			if err := checkTheme(m.Theme); err != nil {
				t.Errorf("theme: %v", err)
			}
			if n := len(m.Tabs); n < 4 || n > 5 || m.Tabs[0].ID != "dashboard" || m.Tabs[n-1].ID != "settings" {
				t.Errorf("tabs %v: want 4-5 from dashboard to settings", m.Tabs)
			}
			for _, tab := range m.Tabs {
				if !slices.Contains(IconNames, tab.Icon) {
					t.Errorf("tab %q: icon %q is not in IconNames", tab.ID, tab.Icon)
				}
			}
			if len(m.DefaultMetrics) != 4 {
				t.Errorf("%d default metrics, want 4", len(m.DefaultMetrics))
			}
			if !slices.Contains([]string{"banking", "insurance", "healthcare", "generic"}, m.Persona) {
				t.Errorf("persona kind %q", m.Persona)
			}
			if !strings.Contains(m.Prompt, AnswerRules) {
				t.Error("prompt lacks the shared answering rules")
			}
			if !strings.Contains(m.Prompt, m.CompanyName) {
				t.Errorf("prompt does not name the company %q", m.CompanyName)
			}
		})
	}
	if !strings.Contains(Home().WelcomeMessage, "Presto-Change-O, you're a") {
		t.Errorf("home welcome %q does not invite the magic words", Home().WelcomeMessage)
	}
}

func TestFindPrebuilt(t *testing.T) {
	for _, id := range []string{HomeID, "banking", "insurance", "healthcare"} {
		m, ok := FindPrebuilt(id)
		if !ok || m.ID != id {
			t.Errorf("FindPrebuilt(%q) = %q, %v", id, m.ID, ok)
		}
	}
	if _, ok := FindPrebuilt("pet-store"); ok {
		t.Error("FindPrebuilt(pet-store) found a mode")
	}
	// Callers get their own copies.
	a, _ := FindPrebuilt("banking")
	a.Tabs[0].Label = "changed"
	if b, _ := FindPrebuilt("banking"); b.Tabs[0].Label == "changed" {
		t.Error("FindPrebuilt shares slices between callers")
	}
}
