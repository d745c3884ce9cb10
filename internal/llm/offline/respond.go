package offline

import (
	"fmt"
	"slices"

	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
)

// respond decides the answer to a request, most specific first: tool results coming back, a tab's
// content, a mode switch, the home mode's invitation, a question about the persona, small talk.
func respond(req llm.Request) reply {
	if req.For == llm.ForTab && req.Tab != nil {
		return tabReply(req.Persona, req.Tab.Label, req.Tab.ID)
	}
	msgs := req.Messages
	if n := len(msgs); n > 0 && msgs[n-1].Role == message.RoleTool {
		return afterTools(msgs)
	}
	text, ok := lastUser(msgs)
	if !ok {
		return say(canDo(req.Mode, req.Persona))
	}
	if c := parseCommand(text); c.kind != noSwitch {
		return switchReply(c, offered(req.Tools)[llm.ToolSwitchMode])
	}
	if isHome(req.Mode) {
		return say(inviteText)
	}
	words := tokens(text)
	if in, ok := best(intentsFor(req.Persona), words); ok {
		return in.answer(question{p: req.Persona, words: words}).drawnAs(askedChart(words))
	}
	return smallTalk(req.Mode, req.Persona, words)
}

// inviteText is the home mode's answer to anything that is not the presto command.
const inviteText = `I'm the offline demo assistant. Say "Presto-Change-O, you're a bank" (or an airline, or a pet store called Paws & Claws) and I'll transform the dashboard.`

// lastUser is the content of the last user message.
func lastUser(msgs []message.Message) (string, bool) {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == message.RoleUser {
			return msgs[i].Content, true
		}
	}
	return "", false
}

func isHome(m *modes.Mode) bool {
	return m == nil || m.ID == modes.HomeID
}

// switchReply is the short sentence that goes with a switch_mode call, or the question when the
// command named nothing to become.
func switchReply(c command, canSwitch bool) reply {
	switch {
	case c.kind == askTarget:
		return say(`What should I become? Say, for example, "Presto-Change-O, you're a bank".`)
	case !canSwitch:
		return say("I can't switch modes from here; ask in the chat.")
	}
	r := say(switchSentence(c))
	r.calls = append(r.calls, call{name: llm.ToolSwitchMode, args: llm.SwitchModeArgs{Industry: c.industry, CompanyName: c.company}})
	return r
}

// switchSentence is what the assistant says while the mode changes: "Presto-Change-O! Becoming a
// pet store called Paws and Claws."
func switchSentence(c command) string {
	switch {
	case modes.StripPresto(c.industry) == "":
		return "Presto-Change-O! Back to the start."
	case c.company != "":
		return fmt.Sprintf("Presto-Change-O! Becoming %s %s called %s.", article(c.industry), c.industry, c.company)
	case properName(c.industry):
		return fmt.Sprintf("Presto-Change-O! Becoming %s.", c.industry)
	}
	return fmt.Sprintf("Presto-Change-O! Becoming %s %s.", article(c.industry), c.industry)
}

// smallTalk answers greetings and thanks, and otherwise says what the offline assistant can do. In
// a generated mode, a question about "my" anything gets the activity chart, in the chart type asked
// for: the generic persona has little else, and a chart keeps the demo moving.
func smallTalk(m *modes.Mode, p *persona.Persona, words []string) reply {
	switch {
	case len(words) > 0 && slices.Contains([]string{"hi", "hello", "hey", "howdy", "morning"}, words[0]):
		return say("Hello! " + canDo(m, p))
	case slices.Contains(words, "thanks") || slices.Contains(words, "thank"):
		return say("You're welcome!")
	case p != nil && p.Generic != nil && (slices.Contains(words, "my") || slices.Contains(words, "show")):
		return genActivity(question{p: p, words: words}).drawnAs(askedChart(words))
	}
	return say(canDo(m, p))
}

// canDo says plainly what the offline assistant can answer in this mode.
func canDo(m *modes.Mode, p *persona.Persona) string {
	const prefix = "I'm the offline demo assistant, so I answer a fixed set of questions: "
	switch {
	case isHome(m):
		return inviteText
	case p == nil:
		return `I'm the offline demo assistant and have no customer data for this mode. Say "Presto-Change-O" and an industry to switch.`
	case p.Banking != nil:
		return prefix + `checking, savings, mortgage, credit score, recent transactions, spending and your credit card. Try "How much is in my checking account?"`
	case p.Insurance != nil:
		return prefix + `policies, coverage, claims, premiums, deductibles and renewals. Try "What's the status of my claims?"`
	case p.Healthcare != nil:
		return prefix + `deductible, out-of-pocket, appointments, prescriptions, claims and your plan. Try "How much of my deductible have I used?"`
	}
	return prefix + `your activity, spending breakdown, recent orders and loyalty points. Try "Show my recent orders."`
}

// tabReply is the best chart or metrics for a tab, chosen by the words of its label and id; a tab
// the table does not know gets the mode's overview.
func tabReply(p *persona.Persona, label, id string) reply {
	words := tokens(label + " " + id)
	if p == nil {
		return say("There is no customer data for this tab offline.")
	}
	if matchesAny(words, "setting", "profile", "preference", "account settings") {
		return profileReply(p)
	}
	table := intentsFor(p)
	if len(table) == 0 {
		return profileReply(p)
	}
	in, ok := best(table, words)
	if !ok {
		in = table[len(table)-1] // every table ends with its overview
	}
	return in.answer(question{p: p, words: words})
}

// profileReply is the customer's own details, for a settings or profile tab.
func profileReply(p *persona.Persona) reply {
	return say(fmt.Sprintf("Signed in as %s, a member since %d.", p.Name, p.MemberSince)).
		metrics(
			plain("Name", p.Name, ""),
			plain("Email", p.Email, ""),
			plain("City", p.City, ""),
			plain("Member since", fmt.Sprint(p.MemberSince), ""),
		)
}

func matchesAny(words []string, phrases ...string) bool {
	return question{words: words}.mentions(phrases...)
}
