package chat

import (
	"strings"

	"presto/internal/modes"
	"presto/internal/persona"
)

// answeringRules close every system prompt: they keep answers short and charts true to the persona.
const answeringRules = `How to answer:
- Answer in one short sentence (two at most); it may be read aloud.
- For any number, balance, trend or list, call show_chart or show_metrics with the customer's exact values above, in the same turn as your sentence. Never invent numbers that contradict them.
- When the user says "Presto-Change-O" (any spelling) or asks you to become another industry or company, call switch_mode with the industry or company they named (company_name only when they gave one) and say nothing else.
- If you cannot do something, say so plainly in one sentence.`

// systemPrompt is the mode's instructions, the persona's exact values and the answering rules.
func systemPrompt(m modes.Mode, p persona.Persona) string { return Instructions(m, p, answeringRules) }

// Instructions are the mode's prompt, the persona's exact values and rules: how to answer, which
// differs between a chat turn and a spoken one.
func Instructions(m modes.Mode, p persona.Persona, rules string) string {
	var b strings.Builder
	b.WriteString(m.Prompt)
	b.WriteString("\n\nYou are the assistant of ")
	b.WriteString(m.CompanyName)
	b.WriteString(". The customer you are talking to (use these exact values):\n")
	b.WriteString(persona.Describe(p))
	b.WriteString("\n\n")
	b.WriteString(rules)
	return b.String()
}
