package offline

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"presto/internal/llm"
	"presto/internal/modes"
)

func structured(t *testing.T, industry, company string) (modes.Config, json.RawMessage) {
	t.Helper()
	raw, err := New().Structured(context.Background(), llm.StructuredRequest{
		System: "Invent a mode.", User: "Make it look real.", SchemaName: modes.ConfigSchemaName, Schema: modes.ConfigSchema(),
		Industry: industry, CompanyName: company,
	})
	if err != nil {
		t.Fatalf("Structured(%q, %q): %v", industry, company, err)
	}
	var cfg modes.Config
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return cfg, raw
}

var hexColour = regexp.MustCompile(`^#[0-9A-F]{6}$`)

func TestModeConfigForManyIndustries(t *testing.T) {
	industries := []string{
		"airline", "pet store", "coffee shop", "hotel", "retail", "telecom", "energy", "pizza restaurant",
		"yoga studio", "university", "car dealership", "travel agency", "shipping company", "dentist's office",
		"law firm", "real estate agency", "bookstore", "florist", "video streaming service", "ice cream parlor",
		"quantum computing lab", "Acme Rockets", "space tourism",
	}
	seenColours := map[string]bool{}
	for _, industry := range industries {
		t.Run(industry, func(t *testing.T) {
			cfg, raw := structured(t, industry, "")
			if err := cfg.Validate(); err != nil {
				t.Fatalf("Validate: %v\n%s", err, raw)
			}
			if _, err := cfg.Mode(""); err != nil {
				t.Fatalf("Mode: %v", err)
			}
			if strings.Contains(strings.ToLower(string(raw)), "presto") {
				t.Errorf("config mentions presto: %s", raw)
			}
			if !hexColour.MatchString(cfg.PrimaryColor) {
				t.Errorf("primary colour %q", cfg.PrimaryColor)
			}
			seenColours[cfg.PrimaryColor] = true
			for _, tab := range cfg.Tabs {
				if !slices.Contains(modes.IconNames, tab.Icon) {
					t.Errorf("tab %q icon %q is not a known icon", tab.ID, tab.Icon)
				}
			}
			if cfg.Tabs[0].ID != "dashboard" || cfg.Tabs[len(cfg.Tabs)-1].ID != "settings" {
				t.Errorf("tabs %+v: want dashboard first and settings last", cfg.Tabs)
			}
			if !strings.Contains(cfg.WelcomeMessage, cfg.CompanyName) {
				t.Errorf("welcome %q does not name %q", cfg.WelcomeMessage, cfg.CompanyName)
			}
			_, again := structured(t, industry, "")
			if string(again) != string(raw) {
				t.Errorf("not deterministic:\n%s\n%s", raw, again)
			}
		})
	}
	if len(seenColours) < len(industries)/2 {
		t.Errorf("only %d distinct colours for %d industries", len(seenColours), len(industries))
	}
}

func TestModeConfigNames(t *testing.T) {
	tests := []struct {
		in          string // the industry asked for
		name        string // the company name asked for
		company     string // exact, or "" to only check it is invented
		industry    string
		notContains string
	}{
		{"pet store", "Paws & Claws", "Paws & Claws", "Pet Store", ""},
		{"coffee shop", "Bean There", "Bean There", "Coffee Shop", ""},
		{"Acme Rockets", "", "Acme Rockets", "Acme Rockets", ""},
		{"  airline ", "   ", "", "Airline", ""},
		{"presto bakery", "Presto-Change-O", "", "Bakery", "presto"},
		{"hardware store", " ", "", "Hardware Store", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			cfg, _ := structured(t, tt.in, tt.name)
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			if tt.company != "" && cfg.CompanyName != tt.company {
				t.Errorf("company %q, want %q", cfg.CompanyName, tt.company)
			}
			if tt.company == "" && (cfg.CompanyName == "" || strings.EqualFold(cfg.CompanyName, cfg.IndustryName)) {
				t.Errorf("company %q is not an invented name", cfg.CompanyName)
			}
			if cfg.IndustryName != tt.industry {
				t.Errorf("industry %q, want %q", cfg.IndustryName, tt.industry)
			}
			if tt.notContains != "" && strings.Contains(strings.ToLower(cfg.CompanyName+cfg.IndustryName), tt.notContains) {
				t.Errorf("%q / %q contains %q", cfg.CompanyName, cfg.IndustryName, tt.notContains)
			}
		})
	}
}

func TestStructuredRejects(t *testing.T) {
	tests := []struct {
		name string
		req  llm.StructuredRequest
	}{
		{"other schema", llm.StructuredRequest{SchemaName: "weather", Industry: "bank"}},
		{"no industry", llm.StructuredRequest{SchemaName: modes.ConfigSchemaName, User: "Industry: bank"}},
		{"empty industry", llm.StructuredRequest{SchemaName: modes.ConfigSchemaName, Industry: "   ", CompanyName: "X"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Structured(context.Background(), tt.req)
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindBadRequest {
				t.Fatalf("err = %v, want an *llm.Error of kind bad_request", err)
			}
		})
	}
}

func TestStructuredHonoursCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Structured(ctx, llm.StructuredRequest{SchemaName: modes.ConfigSchemaName, Industry: "bank"})
	if llm.AsError(err).Kind != llm.KindCanceled {
		t.Fatalf("err = %v, want canceled", err)
	}
}
