package modes

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// ConfigSchemaName is the name of the structured-output schema a generated mode is asked for.
const ConfigSchemaName = "mode_config"

// Config is what the LLM returns when asked to invent a mode (PRODUCT.md 5.7). Its JSON field
// names are the contract of the mode_config schema; Validate checks what the schema cannot, and
// Mode turns it into a Mode.
type Config struct {
	IndustryName         string         `json:"industry_name"`
	IndustryID           string         `json:"industry_id"`
	CompanyName          string         `json:"company_name"`
	Tagline              string         `json:"tagline"`
	PrimaryColor         string         `json:"primary_color"`
	PersonalityTraits    []string       `json:"personality_traits"`
	Tabs                 []ConfigTab    `json:"tabs"`
	DefaultMetrics       []ConfigMetric `json:"default_metrics"`
	WelcomeMessage       string         `json:"welcome_message"`
	SystemPromptFragment string         `json:"system_prompt_fragment"`
}

// ConfigTab is one tab of a generated mode.
type ConfigTab struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Icon  string `json:"icon"`
}

// ConfigMetric is one default metric card of a generated mode.
type ConfigMetric struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Unit  string `json:"unit"`
}

// Length bounds of a generated config, in characters. They keep a runaway model answer from
// breaking the layout or bloating every prompt.
const (
	maxNameLen     = 60
	maxTaglineLen  = 120
	maxTraitLen    = 40
	maxTabLabelLen = 24
	maxTabIDLen    = 32
	maxMetricLen   = 40
	maxUnitLen     = 16
	maxWelcomeLen  = 400
	maxFragmentLen = 2000
)

var hexColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// Validate checks the rules of a generated config: non-empty, bounded strings; a "#RRGGBB"
// primary colour; 3-5 personality traits; 4-5 tabs, the first "dashboard" and the last
// "settings", with distinct ids and icons from IconNames; exactly 4 metrics. It reports every
// problem at once, so a log line shows all that was wrong with the model's answer.
func (c Config) Validate() error {
	var errs []error
	check := func(field, v string, maxLen int, required bool) {
		switch n := utf8.RuneCountInString(strings.TrimSpace(v)); {
		case n == 0 && required:
			errs = append(errs, fmt.Errorf("%s is empty", field))
		case n > maxLen:
			errs = append(errs, fmt.Errorf("%s is %d characters, at most %d allowed", field, n, maxLen))
		}
	}
	check("industry_name", c.IndustryName, maxNameLen, true)
	check("industry_id", c.IndustryID, maxNameLen, true)
	check("company_name", c.CompanyName, maxNameLen, true)
	check("tagline", c.Tagline, maxTaglineLen, true)
	check("welcome_message", c.WelcomeMessage, maxWelcomeLen, true)
	check("system_prompt_fragment", c.SystemPromptFragment, maxFragmentLen, true)
	if !hexColor.MatchString(c.PrimaryColor) {
		errs = append(errs, fmt.Errorf("primary_color %q is not of the form #RRGGBB", c.PrimaryColor))
	}
	if n := len(c.PersonalityTraits); n < 3 || n > 5 {
		errs = append(errs, fmt.Errorf("personality_traits has %d entries, want 3-5", n))
	}
	for i, tr := range c.PersonalityTraits {
		check(fmt.Sprintf("personality_traits[%d]", i), tr, maxTraitLen, true)
	}
	errs = append(errs, c.validateTabs()...)
	if n := len(c.DefaultMetrics); n != 4 {
		errs = append(errs, fmt.Errorf("default_metrics has %d entries, want 4", n))
	}
	for i, m := range c.DefaultMetrics {
		check(fmt.Sprintf("default_metrics[%d].label", i), m.Label, maxMetricLen, true)
		check(fmt.Sprintf("default_metrics[%d].value", i), m.Value, maxMetricLen, true)
		check(fmt.Sprintf("default_metrics[%d].unit", i), m.Unit, maxUnitLen, false)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("invalid mode config: %w", err)
	}
	return nil
}

func (c Config) validateTabs() []error {
	var errs []error
	n := len(c.Tabs)
	if n < 4 || n > 5 {
		errs = append(errs, fmt.Errorf("tabs has %d entries, want 4-5", n))
	}
	if n > 0 && Slug(c.Tabs[0].ID) != "dashboard" {
		errs = append(errs, fmt.Errorf("the first tab is %q, want \"dashboard\"", c.Tabs[0].ID))
	}
	if n > 0 && Slug(c.Tabs[n-1].ID) != "settings" {
		errs = append(errs, fmt.Errorf("the last tab is %q, want \"settings\"", c.Tabs[n-1].ID))
	}
	seen := map[string]bool{}
	for i, tab := range c.Tabs {
		id := Slug(tab.ID)
		switch {
		case id == "" || len(tab.ID) > maxTabIDLen:
			errs = append(errs, fmt.Errorf("tabs[%d].id %q is not a short name", i, tab.ID))
		case seen[id]:
			errs = append(errs, fmt.Errorf("tabs[%d].id %q is repeated", i, tab.ID))
		}
		seen[id] = true
		if l := utf8.RuneCountInString(strings.TrimSpace(tab.Label)); l == 0 || l > maxTabLabelLen {
			errs = append(errs, fmt.Errorf("tabs[%d].label %q: want 1-%d characters", i, tab.Label, maxTabLabelLen))
		}
		if !slices.Contains(IconNames, tab.Icon) {
			errs = append(errs, fmt.Errorf("tabs[%d].icon %q is not a known icon", i, tab.Icon))
		}
	}
	return errs
}
