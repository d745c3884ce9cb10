package modes

import (
	"fmt"
	"strings"
)

// Mode validates the config and builds the generated Mode from it:
//
//   - the theme comes from DerivePalette(primary_color), so text always meets WCAG AA;
//   - every form of "presto" is removed from the industry and company names; a company name
//     that is then empty, only generic ("Bank", "Inc.") or a lone word ("Presto Airways") is
//     replaced by DeriveCompanyName;
//   - userCompany, the name the presenter said ("you're a pet store called Paws & Claws"),
//     always wins over the model's, once "presto" is removed from it too (a misheard
//     "Presto" is never a name);
//   - the persona kind is "generic" and the id is Slug(industry_id), else Slug(industry_name);
//   - the prompt is the model's fragment, the traits and the shared AnswerRules.
func (c Config) Mode(userCompany string) (Mode, error) {
	if err := c.Validate(); err != nil {
		return Mode{}, err
	}
	theme, err := DerivePalette(c.PrimaryColor)
	if err != nil {
		return Mode{}, fmt.Errorf("build mode: %w", err)
	}
	industry := c.industryName()
	company := c.companyName(industry, userCompany)
	id := c.modeID(industry)
	traits := trimAll(c.PersonalityTraits)
	role := fmt.Sprintf("You are %s's assistant (%s), talking with one of its customers about their own account.", company, industry)
	return Mode{
		ID:             id,
		Name:           industry,
		CompanyName:    company,
		Tagline:        strings.TrimSpace(StripPresto(c.Tagline)),
		Theme:          theme,
		Tabs:           c.modeTabs(),
		DefaultMetrics: c.modeMetrics(),
		WelcomeMessage: c.rename(c.WelcomeMessage, company),
		Persona:        "generic",
		Traits:         traits,
		Prompt:         buildPrompt(role, traits, c.rename(c.SystemPromptFragment, company)),
	}, nil
}

// industryName is the industry without "presto", falling back to the id's words.
func (c Config) industryName() string {
	if name := StripPresto(strings.TrimSpace(c.IndustryName)); name != "" {
		return name
	}
	if words := strings.ReplaceAll(Slug(StripPresto(c.IndustryID)), "-", " "); words != "" {
		return TitleCase(words)
	}
	return "Business"
}

// companyName applies the naming rules of Mode: the user's name, then the model's, then a
// derived one, each without "presto".
func (c Config) companyName(industry, userCompany string) string {
	if name := StripPresto(strings.TrimSpace(userCompany)); name != "" && meaningfulName(name, "") {
		return name
	}
	// A lone word left from "Presto X" is a generic noun ("Presto Airways"), not a name.
	model := strings.TrimSpace(c.CompanyName)
	name := StripPresto(model)
	if meaningfulName(name, industry) && (name == model || len(strings.Fields(name)) > 1) {
		return name
	}
	return DeriveCompanyName(industry)
}

// modeID is the slug of the industry id (or name); never the home mode's id.
func (c Config) modeID(industry string) string {
	for _, s := range []string{StripPresto(c.IndustryID), industry} {
		if id := Slug(s); id != "" && id != HomeID {
			return id
		}
	}
	return "custom-business"
}

func (c Config) modeTabs() []Tab {
	tabs := make([]Tab, len(c.Tabs))
	for i, t := range c.Tabs {
		tabs[i] = Tab{ID: Slug(t.ID), Label: strings.TrimSpace(t.Label), Icon: t.Icon}
	}
	return tabs
}

func (c Config) modeMetrics() []Metric {
	ms := make([]Metric, len(c.DefaultMetrics))
	for i, m := range c.DefaultMetrics {
		ms[i] = Metric{Label: strings.TrimSpace(m.Label), Value: strings.TrimSpace(m.Value), Unit: strings.TrimSpace(m.Unit)}
	}
	return ms
}

// rename replaces, in a text the model wrote, its own company name (when the user's won) and any
// "presto" by the company actually used.
func (c Config) rename(text, company string) string {
	msg := strings.TrimSpace(text)
	if model := strings.TrimSpace(c.CompanyName); model != "" && model != company {
		msg = strings.ReplaceAll(msg, model, company)
	}
	return replacePresto(msg, company)
}

// replacePresto puts company where a text names the app as if it were the business. The
// magic-words phrase itself (as in "say Presto-Change-O") is rare in model text; the company is
// the better reading either way.
func replacePresto(s, company string) string {
	return strings.TrimSpace(prestoWord.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasSuffix(m, "s") && strings.ContainsAny(m, "'’") {
			return company + "'s"
		}
		return company
	}))
}

func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}
