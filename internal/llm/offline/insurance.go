package offline

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"presto/internal/llm"
	"presto/internal/persona"
)

// insuranceIntents are the questions a policyholder asks, most common first.
var insuranceIntents = []intent{
	{name: "claims", answer: insClaims, keywords: map[string]int{
		"claim": 3, "status": 2, "pending": 2, "in review": 2, "approved": 1, "denied": 1, "filed": 2,
		"accident": 1,
	}},
	{name: "deductibles", answer: insDeductibles, keywords: map[string]int{
		"deductible": 4, "out of pocket": 1,
	}},
	{name: "coverage", answer: insCoverage, keywords: map[string]int{
		"cover": 3, "protected": 2, "how much": 1,
	}},
	{name: "premiums", answer: insPremiums, keywords: map[string]int{
		"premium": 3, "pay": 1, "paying": 1, "monthly": 1, "cost": 1, "over time": 2, "trend": 2,
		"bill": 2, "payment": 2, "price": 1,
	}},
	{name: "premium split", answer: insPremiumSplit, breakdown: true, keywords: map[string]int{
		"premium": 3, "by policy": 2, "per policy": 2, "each policy": 2, "pay": 1, "spend": 1, "money": 1,
	}},
	{name: "renewal", answer: insRenewals, keywords: map[string]int{
		"renew": 4, "expir": 3, "due": 1, "lapse": 2,
	}},
	{name: "policies", answer: insPolicies, keywords: map[string]int{
		"polic": 3, "insured": 1, "insurance": 1, "plans": 1, "auto": 1, "car": 1, "vehicle": 1,
		"home": 1, "house": 1, "life": 1,
	}},
	{name: "overview", answer: insOverview, keywords: map[string]int{
		"overview": 3, "summary": 3, "dashboard": 2, "everything": 2,
	}},
}

// policyTypes maps the words people use to the persona's policy types.
var policyTypes = map[string][]string{
	"auto": {"auto", "car", "vehicle", "truck"},
	"home": {"home", "house", "homeowners", "property"},
	"life": {"life"},
}

// namedPolicy is the policy the question names ("my car insurance"), if any.
func namedPolicy(q question) (persona.Policy, bool) {
	for _, pol := range q.p.Insurance.Policies {
		if q.mentions(policyTypes[pol.Type]...) || q.mentions(pol.Type) {
			return pol, true
		}
	}
	return persona.Policy{}, false
}

func insClaims(q question) reply {
	claims := q.p.Insurance.Claims
	if len(claims) == 0 {
		return say("You have no claims on file.")
	}
	latest := claims[0]
	for _, c := range claims[1:] {
		if c.Date > latest.Date {
			latest = c
		}
	}
	data := make([]llm.ChartPoint, len(claims))
	byStatus := map[string]int{}
	var statuses []string
	for i, c := range claims {
		data[i] = llm.ChartPoint{Label: fmt.Sprintf("%s (%s)", c.Description, c.Status), Value: c.Amount}
		if byStatus[c.Status] == 0 {
			statuses = append(statuses, c.Status)
		}
		byStatus[c.Status]++
	}
	cards := make([]metricCard, 0, len(statuses))
	for _, s := range statuses {
		cards = append(cards, plain(capitalize(s)+" claims", fmt.Sprint(byStatus[s]), ""))
	}
	return say(fmt.Sprintf("You have %s; the latest, %s for %s, is %s.",
		plural(len(claims), "claim"), strings.ToLower(latest.Description), money(latest.Amount), latest.Status)).
		chart("bar", "Your claims", data).
		metrics(cards[:min(len(cards), 8)]...)
}

func insDeductibles(q question) reply {
	data := policyChart(q.p.Insurance.Policies, func(p persona.Policy) float64 { return p.Deductible })
	if pol, ok := namedPolicy(q); ok {
		return say(fmt.Sprintf("Your %s deductible is %s.", pol.Type, money(pol.Deductible))).
			chart("bar", "Deductible by policy", data)
	}
	return say(fmt.Sprintf("Your deductibles are %s.", policyList(q.p.Insurance.Policies, func(p persona.Policy) float64 { return p.Deductible }))).
		chart("bar", "Deductible by policy", data)
}

func insCoverage(q question) reply {
	pols := q.p.Insurance.Policies
	data := policyChart(pols, func(p persona.Policy) float64 { return p.Coverage })
	if pol, ok := namedPolicy(q); ok {
		return say(fmt.Sprintf("Your %s policy covers up to %s.", pol.Type, money(pol.Coverage))).
			chart("bar", "Coverage by policy", data)
	}
	sum := 0.0
	for _, p := range pols {
		sum += p.Coverage
	}
	return say(fmt.Sprintf("Your policies cover %s in total.", money(sum))).
		chart("bar", "Coverage by policy", data)
}

func insPremiums(q question) reply {
	in := q.p.Insurance
	monthly := monthlyPremium(in)
	if pol, ok := namedPolicy(q); ok {
		return say(fmt.Sprintf("Your %s premium is %s a month.", pol.Type, money(pol.MonthlyPremium))).
			timeline("line", "Total monthly premium, last 6 months", series(in.PremiumHistory))
	}
	return say(fmt.Sprintf("You pay %s a month in premiums.", money(monthly))).
		timeline("line", "Total monthly premium, last 6 months", series(in.PremiumHistory))
}

// insPremiumSplit is the monthly premium by policy type: the insurance persona's breakdown.
func insPremiumSplit(q question) reply {
	pols := q.p.Insurance.Policies
	if len(pols) == 0 {
		return say("You have no policies, so there are no premiums to split.")
	}
	top := slices.MaxFunc(pols, func(a, b persona.Policy) int { return cmp.Compare(a.MonthlyPremium, b.MonthlyPremium) })
	premium := func(p persona.Policy) float64 { return p.MonthlyPremium }
	return say(fmt.Sprintf("Your premiums come to %s a month; the largest is %s for %s.",
		money(sumPolicies(pols, premium)), money(top.MonthlyPremium), top.Type)).
		chart("pie", "Monthly premium by policy", policyChart(pols, premium))
}

// sumPolicies adds one figure of every policy.
func sumPolicies(pols []persona.Policy, value func(persona.Policy) float64) float64 {
	sum := 0.0
	for _, p := range pols {
		sum += value(p)
	}
	return sum
}

// monthlyPremium is this month's total premium: the last point of the history the chart shows, or
// the policies' sum when there is no history.
func monthlyPremium(in *persona.Insurance) float64 {
	if n := len(in.PremiumHistory); n > 0 {
		return in.PremiumHistory[n-1].Value
	}
	sum := 0.0
	for _, p := range in.Policies {
		sum += p.MonthlyPremium
	}
	return sum
}

func insRenewals(q question) reply {
	pols := slices.Clone(q.p.Insurance.Policies)
	if len(pols) == 0 {
		return say("You have no policies to renew.")
	}
	slices.SortStableFunc(pols, func(a, b persona.Policy) int { return strings.Compare(a.RenewalDate, b.RenewalDate) })
	next := pols[0]
	if pol, ok := namedPolicy(q); ok {
		next = pol
	}
	cards := make([]metricCard, 0, len(pols))
	for _, p := range pols {
		cards = append(cards, plain(capitalize(p.Type)+" renewal", p.RenewalDate, ""))
	}
	return say(fmt.Sprintf("Your %s policy renews on %s.", next.Type, next.RenewalDate)).metrics(cards...)
}

func insPolicies(q question) reply {
	pols := q.p.Insurance.Policies
	if pol, ok := namedPolicy(q); ok {
		return say(fmt.Sprintf("Your %s policy (%s) covers %s with a %s deductible.", pol.Type, pol.Details, money(pol.Coverage), money(pol.Deductible))).
			metrics(
				usd("Coverage", pol.Coverage),
				usd("Deductible", pol.Deductible),
				usd("Monthly premium", pol.MonthlyPremium),
				plain("Renews", pol.RenewalDate, ""),
			)
	}
	types := make([]string, len(pols))
	cards := make([]metricCard, 0, 2*len(pols))
	for i, p := range pols {
		types[i] = p.Type
		cards = append(cards, usd(capitalize(p.Type)+" coverage", p.Coverage), usd(capitalize(p.Type)+" premium", p.MonthlyPremium))
	}
	return say(fmt.Sprintf("You have %s: %s.", plural(len(pols), "policy"), sentenceList(types))).
		metrics(cards[:min(len(cards), 8)]...)
}

func insOverview(q question) reply {
	in := q.p.Insurance
	coverage, open := 0.0, 0
	for _, p := range in.Policies {
		coverage += p.Coverage
	}
	for _, c := range in.Claims {
		if c.Status != "paid" && c.Status != "denied" {
			open++
		}
	}
	return say(fmt.Sprintf("You have %s for %s a month and %s.", plural(len(in.Policies), "policy"), money(monthlyPremium(in)), plural(open, "open claim"))).
		metrics(
			usd("Total coverage", coverage),
			usd("Monthly premium", monthlyPremium(in)),
			plain("Open claims", fmt.Sprint(open), ""),
			plain("Policies", fmt.Sprint(len(in.Policies)), ""),
		).
		timeline("line", "Total monthly premium, last 6 months", series(in.PremiumHistory))
}

// policyChart is one bar per policy.
func policyChart(pols []persona.Policy, value func(persona.Policy) float64) []llm.ChartPoint {
	out := make([]llm.ChartPoint, len(pols))
	for i, p := range pols {
		out[i] = llm.ChartPoint{Label: capitalize(p.Type), Value: value(p)}
	}
	return out
}

// policyList says "auto $500.00, home $1,000.00 and life $0.00".
func policyList(pols []persona.Policy, value func(persona.Policy) float64) string {
	items := make([]string, len(pols))
	for i, p := range pols {
		items[i] = p.Type + " " + money(value(p))
	}
	return sentenceList(items)
}
