package main

import (
	"fmt"
	"hash/fnv"
	"strings"

	"presto/internal/modes"
)

// modeConfig builds a valid config for an industry. The company name is the given one, else one
// made from the industry; the primary colour is picked from the industry name, so the same
// industry always looks the same and different ones differ.
func modeConfig(industry, company string) modes.Config {
	if industry == "" {
		industry = "general store"
	}
	name := modes.TitleCase(industry)
	if company == "" {
		company = "Acme " + name
	}
	return modes.Config{
		IndustryName:      name,
		IndustryID:        modes.Slug(industry),
		CompanyName:       company,
		Tagline:           "Everything " + strings.ToLower(name) + ", made simple",
		PrimaryColor:      colourFor(industry),
		PersonalityTraits: []string{"friendly", "concise", "helpful"},
		Tabs: []modes.ConfigTab{
			{ID: "dashboard", Label: "Dashboard", Icon: "dashboard"},
			{ID: "orders", Label: "Orders", Icon: "package"},
			{ID: "customers", Label: "Customers", Icon: "users"},
			{ID: "reports", Label: "Reports", Icon: "chart"},
			{ID: "settings", Label: "Settings", Icon: "settings"},
		},
		DefaultMetrics: []modes.ConfigMetric{
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
