package main

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
)

// modeConfigJSON is the mode_config structured answer (PRODUCT.md 5.7).
type modeConfigJSON struct {
	IndustryName         string       `json:"industry_name"`
	IndustryID           string       `json:"industry_id"`
	CompanyName          string       `json:"company_name"`
	Tagline              string       `json:"tagline"`
	PrimaryColor         string       `json:"primary_color"`
	PersonalityTraits    []string     `json:"personality_traits"`
	Tabs                 []tabJSON    `json:"tabs"`
	DefaultMetrics       []metricJSON `json:"default_metrics"`
	WelcomeMessage       string       `json:"welcome_message"`
	SystemPromptFragment string       `json:"system_prompt_fragment"`
}

type tabJSON struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Icon  string `json:"icon"`
}

type metricJSON struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Unit  string `json:"unit"`
}

// modeConfig builds a valid config for an industry. The company name is the given one, else one
// made from the industry; the primary colour is picked from the industry name, so the same
// industry always looks the same and different ones differ.
func modeConfig(industry, company string) modeConfigJSON {
	if industry == "" {
		industry = "general store"
	}
	name := titleCase(industry)
	if company == "" {
		company = "Acme " + name
	}
	return modeConfigJSON{
		IndustryName:      name,
		IndustryID:        slug(industry),
		CompanyName:       company,
		Tagline:           "Everything " + strings.ToLower(name) + ", made simple",
		PrimaryColor:      colourFor(industry),
		PersonalityTraits: []string{"friendly", "concise", "helpful"},
		Tabs: []tabJSON{
			{ID: "dashboard", Label: "Dashboard", Icon: "dashboard"},
			{ID: "orders", Label: "Orders", Icon: "package"},
			{ID: "customers", Label: "Customers", Icon: "users"},
			{ID: "reports", Label: "Reports", Icon: "chart"},
			{ID: "settings", Label: "Settings", Icon: "settings"},
		},
		DefaultMetrics: []metricJSON{
			{Label: "Revenue", Value: "128,400", Unit: "USD"},
			{Label: "Orders", Value: "1,284", Unit: ""},
			{Label: "Customers", Value: "642", Unit: ""},
			{Label: "Satisfaction", Value: "4.7", Unit: "/5"},
		},
		WelcomeMessage:       fmt.Sprintf("Welcome to %s! How can I help you today?", company),
		SystemPromptFragment: fmt.Sprintf("You are the assistant of %s, a %s business.", company, strings.ToLower(name)),
	}
}

func colourFor(s string) string {
	palette := []string{"#1D4ED8", "#0F766E", "#7C3AED", "#B45309", "#BE123C", "#15803D"}
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.ToLower(s)))
	return palette[h.Sum32()%uint32(len(palette))]
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
