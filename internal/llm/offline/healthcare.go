package offline

import (
	"fmt"
	"slices"
	"strings"

	"presto/internal/llm"
	"presto/internal/persona"
)

// healthcareIntents are the questions a health-plan member asks, most common first.
var healthcareIntents = []intent{
	{name: "deductible", answer: healthDeductible, keywords: map[string]int{
		"deductible": 4, "met": 1,
	}},
	{name: "out of pocket", answer: healthOutOfPocket, keywords: map[string]int{
		"out of pocket": 4, "oop": 4, "maximum": 2, "max": 2,
	}},
	{name: "appointments", answer: healthAppointments, keywords: map[string]int{
		"appointment": 4, "visit": 2, "doctor": 2, "schedul": 2, "upcoming": 2, "next": 1, "checkup": 2,
		"see": 1, "calendar": 2, "booked": 2,
	}},
	{name: "prescriptions", answer: healthPrescriptions, keywords: map[string]int{
		"prescription": 4, "refill": 4, "medication": 3, "meds": 3, "medicine": 3, "pharmacy": 2,
		"drug": 2, "rx": 3, "pill": 2,
	}},
	{name: "claims", answer: healthClaims, breakdown: true, keywords: map[string]int{
		"claim": 3, "spent": 2, "spend": 2, "categor": 2, "medical bills": 2, "bills": 1,
		"cost": 1, "expenses": 2, "year to date": 2, "ytd": 2,
	}},
	{name: "plan", answer: healthPlan, keywords: map[string]int{
		"plan": 3, "member id": 3, "member": 2, "insurance": 1, "benefits": 2, "coverage": 2, "card": 1,
	}},
	{name: "overview", answer: healthOverview, keywords: map[string]int{
		"overview": 3, "summary": 3, "dashboard": 2, "everything": 2, "home": 1,
	}},
}

func healthDeductible(q question) reply {
	d := q.p.Healthcare.Deductible
	return progressReply("deductible", "Deductible", d)
}

func healthOutOfPocket(q question) reply {
	o := q.p.Healthcare.OutOfPocket
	return progressReply("out-of-pocket maximum", "Out-of-pocket", o)
}

// progressReply answers "how far along am I" for a yearly limit, with cards and a used/remaining pie.
func progressReply(name, label string, p persona.Progress) reply {
	left := max(p.Limit-p.Used, 0)
	return say(fmt.Sprintf("You've used %s of your %s %s.", money(p.Used), money(p.Limit), name)).
		metrics(
			usd(label+" used", p.Used),
			usd(label+" limit", p.Limit),
			usd(label+" remaining", left),
			plain(label+" met", percent(p.Used, p.Limit), "%"),
		).
		chart("pie", label+" progress", []llm.ChartPoint{{Label: "Used", Value: p.Used}, {Label: "Remaining", Value: left}})
}

func healthAppointments(q question) reply {
	appts := q.p.Healthcare.Appointments
	if len(appts) == 0 {
		return say("You have no upcoming appointments.")
	}
	next := appts[0]
	cards := make([]metricCard, 0, len(appts))
	for _, a := range appts[:min(len(appts), 8)] {
		cards = append(cards, plain(a.Date+" "+a.Time, a.Doctor, a.Specialty))
	}
	return say(fmt.Sprintf("Your next appointment is with %s (%s) on %s at %s.",
		next.Doctor, strings.ToLower(next.Specialty), next.Date, next.Time)).
		metrics(cards...)
}

func healthPrescriptions(q question) reply {
	rxs := q.p.Healthcare.Prescriptions
	if len(rxs) == 0 {
		return say("You have no active prescriptions.")
	}
	next := slices.MinFunc(rxs, func(a, b persona.Prescription) int { return strings.Compare(a.NextRefill, b.NextRefill) })
	cards := make([]metricCard, 0, len(rxs))
	costs := make([]llm.ChartPoint, len(rxs))
	for i, rx := range rxs {
		if i < 8 {
			cards = append(cards, plain(rx.Name+" "+rx.Dosage, "Refill "+rx.NextRefill, fmt.Sprintf("%d refills left", rx.RefillsLeft)))
		}
		costs[i] = llm.ChartPoint{Label: rx.Name, Value: rx.MonthlyCost}
	}
	return say(fmt.Sprintf("Your next refill is %s on %s, with %d refills left.", next.Name, next.NextRefill, next.RefillsLeft)).
		metrics(cards...).
		chart("bar", "Monthly prescription costs", costs)
}

func healthClaims(q question) reply {
	cats := q.p.Healthcare.ClaimsByCategory
	if len(cats) == 0 {
		return say("You have no claims this year.")
	}
	top := largest(cats)
	return say(fmt.Sprintf("Your claims total %s this year, most of it for %s (%s).", money(total(cats)), strings.ToLower(top.Label), money(top.Value))).
		chart("pie", "Claims by category, year to date", series(cats))
}

func healthPlan(q question) reply {
	h := q.p.Healthcare
	return say(fmt.Sprintf("You're on the %s plan, member ID %s.", h.Plan, h.MemberID)).
		metrics(
			plain("Plan", h.Plan, ""),
			plain("Member ID", h.MemberID, ""),
			usd("Deductible used", h.Deductible.Used),
			usd("Out-of-pocket used", h.OutOfPocket.Used),
		)
}

func healthOverview(q question) reply {
	h := q.p.Healthcare
	cards := []metricCard{
		usd("Deductible used", h.Deductible.Used),
		usd("Out-of-pocket used", h.OutOfPocket.Used),
		plain("Prescriptions", fmt.Sprint(len(h.Prescriptions)), ""),
	}
	text := fmt.Sprintf("You've used %s of your %s deductible.", money(h.Deductible.Used), money(h.Deductible.Limit))
	if len(h.Appointments) > 0 {
		cards = append(cards, plain("Next appointment", h.Appointments[0].Date, ""))
	}
	return say(text).metrics(cards...).chart("pie", "Claims by category, year to date", series(h.ClaimsByCategory))
}
