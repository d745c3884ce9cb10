package modegen

import (
	"fmt"
	"strings"

	"presto/internal/modes"
)

// systemPrompt sets the model's job for a mode_config request.
const systemPrompt = `You design the look and assistant of a convincing, fictional business for a live product demo. You answer with one JSON object that follows the mode_config schema exactly.`

// userPrompt is the request: two header lines the offline provider parses, then the instructions.
func userPrompt(industry, company string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Industry: %s\nCompany name: %s\n\n", industry, company)
	b.WriteString("Create a demo mode for this business.\n")
	if company != "" {
		fmt.Fprintf(&b, "- company_name: use %q exactly.\n", company)
	} else {
		b.WriteString("- company_name: invent a plausible fictional name; if the industry names a real company, use a similar-sounding fictional one.\n")
	}
	b.WriteString(`- Never use "Presto" or "Presto-Change-O" in any name, tagline or message: that is the name of the demo app, not of the business.
- industry_name: the industry in a few words; industry_id: the same, lower-case with dashes.
- primary_color: a brand colour typical of the industry, as #RRGGBB; medium or dark, never pastel (the app is in light mode and derives the rest of the palette from it).
- tabs: 4 or 5; the first is {"id": "dashboard", "label": "Dashboard", "icon": "dashboard"}, the last is {"id": "settings", "label": "Settings", "icon": "settings"}; the ones between fit the industry, with short lower-case ids, one- or two-word labels and the closest icon from the list.
- default_metrics: exactly 4 headline figures of the business (not of one customer), short values like "1,250" or "4.8", unit may be empty.
- personality_traits: 3 to 5 single words or short phrases.
- tagline: under 8 words. welcome_message: one or two short sentences greeting a customer and saying what they can ask.
- system_prompt_fragment: 2 or 3 sentences telling the assistant who it is and what a customer of this business asks about (orders, bookings, accounts, loyalty points, spending by category …). Do not add rules about answer length or tools; they are added for you.
`)
	fmt.Fprintf(&b, "Tab icons available: %s.\n", strings.Join(modes.IconNames, ", "))
	return b.String()
}
