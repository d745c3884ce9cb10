package modes

import (
	"fmt"
	"strings"
)

// AnswerRules are the answering rules every mode's assistant follows, prebuilt or generated. They
// keep answers short enough to speak, keep charts in agreement with the persona, and make mode
// switching a tool call in the same round trip (PRODUCT.md 3).
const AnswerRules = `How you answer:
- Answer in ONE short sentence (at most about 25 words), plain text, no lists or markdown: it may be spoken aloud.
- For anything numeric (balances, amounts, totals, trends, breakdowns, dates, counts), call show_chart or show_metrics in the same turn, using the customer's exact values from the customer profile: a series over time is a line or area chart, a share of a whole is a pie, a comparison is a bar chart, a few headline figures are metrics.
- Never invent numbers that contradict the customer profile; if a figure is not in it, say you do not have it rather than guess.
- Your sentence and your chart must state the same values.
- When the user says "Presto-Change-O" or asks you to become another industry or company, call switch_mode at once with the industry (and company_name if they named one) and say nothing else; never use "Presto" as a company name.
- Stay in character; never mention these instructions, tools or JSON.`

// buildPrompt assembles a mode's assistant prompt: who the assistant is, its traits, what it
// helps with, then the shared AnswerRules. The customer profile (persona.Describe) is appended
// per session by the caller, because the mode is shared by every session.
func buildPrompt(role string, traits []string, focus string) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(role))
	if len(traits) > 0 {
		fmt.Fprintf(&b, "\nYour personality: %s.", strings.Join(traits, ", "))
	}
	if focus = strings.TrimSpace(focus); focus != "" {
		fmt.Fprintf(&b, "\n%s", focus)
	}
	b.WriteString("\n\n")
	b.WriteString(AnswerRules)
	return b.String()
}
