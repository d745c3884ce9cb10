package persona

import (
	"fmt"
	"strings"
)

// Describe writes every value of the persona as compact text for the system prompt, so the LLM's
// sentences and charts use the persona's numbers instead of inventing them. Single amounts are
// written as Money ("$4,218.37", as the UI shows them); series and breakdowns as plain numbers
// ("Jun 4218.37"), ready to become chart values. Series are oldest first, lists newest or soonest
// first, as in Persona.
func Describe(p Persona) string {
	var b strings.Builder
	b.WriteString("Customer profile (exact values; use them as written, never other numbers):\n")
	fmt.Fprintf(&b, "Customer: %s; email %s; phone %s; lives in %s; customer since %d.\n",
		p.Name, p.Email, p.Phone, p.City, p.MemberSince)
	switch {
	case p.Banking != nil:
		describeBanking(&b, p.Banking)
	case p.Insurance != nil:
		describeInsurance(&b, p.Insurance)
	case p.Healthcare != nil:
		describeHealthcare(&b, p.Healthcare)
	case p.Generic != nil:
		describeGeneric(&b, p.Generic)
	}
	return strings.TrimRight(b.String(), "\n")
}

// series writes "Jan 1200.00, Feb 1250.50".
func series(pts []Point) string {
	parts := make([]string, len(pts))
	for i, p := range pts {
		parts[i] = p.Label + " " + num(p.Value)
	}
	return strings.Join(parts, ", ")
}

func describeBanking(b *strings.Builder, bk *Banking) {
	for _, a := range []struct {
		name string
		acct Account
	}{{"Checking", bk.Checking}, {"Savings", bk.Savings}} {
		fmt.Fprintf(b, "%s account %s: balance %s; APY %s; month-end balances: %s.\n",
			a.name, a.acct.Number, Money(a.acct.Balance), pct(a.acct.APY), series(a.acct.History))
	}
	fmt.Fprintf(b, "Credit card: balance %s of a %s limit (%s available).\n",
		Money(bk.CreditCard.Balance), Money(bk.CreditCard.Limit), Money(round2(bk.CreditCard.Limit-bk.CreditCard.Balance)))
	fmt.Fprintf(b, "Credit score: %d.\n", bk.CreditScore)
	m := bk.Mortgage
	fmt.Fprintf(b, "Mortgage: original %s; remaining %s; rate %s; monthly payment %s; %d-year term; remaining balance now and at each year end: %s.\n",
		Money(m.Principal), Money(m.Balance), pct(m.Rate), Money(m.MonthlyPayment), m.TermYears, series(m.Burndown))
	b.WriteString("Transactions, last 30 days, newest first (date, description, category, account, amount):\n")
	for _, t := range bk.Transactions {
		fmt.Fprintf(b, "- %s %s; %s; %s; %s\n", t.Date, t.Description, t.Category, t.Account, Money(t.Amount))
	}
	fmt.Fprintf(b, "Spending by category, last 30 days: %s.\n", series(bk.SpendingByCategory))
}

func describeInsurance(b *strings.Builder, in *Insurance) {
	b.WriteString("Policies:\n")
	for _, p := range in.Policies {
		fmt.Fprintf(b, "- %s %s (%s): coverage %s; deductible %s; premium %s a month; renews %s\n",
			p.Type, p.Number, p.Details, Money(p.Coverage), Money(p.Deductible), Money(p.MonthlyPremium), p.RenewalDate)
	}
	b.WriteString("Claims, newest first:\n")
	for _, c := range in.Claims {
		fmt.Fprintf(b, "- %s %s %s: %s; %s; %s\n", c.ID, c.Date, c.PolicyType, c.Description, Money(c.Amount), c.Status)
	}
	now := in.PremiumHistory[len(in.PremiumHistory)-1].Value
	fmt.Fprintf(b, "Total monthly premium now: %s; over the last 6 months: %s.\n", Money(now), series(in.PremiumHistory))
}

func describeHealthcare(b *strings.Builder, h *Healthcare) {
	fmt.Fprintf(b, "Plan: %s; member ID %s.\n", h.Plan, h.MemberID)
	fmt.Fprintf(b, "Deductible: %s used of %s (%s left). Out-of-pocket maximum: %s used of %s (%s left).\n",
		Money(h.Deductible.Used), Money(h.Deductible.Limit), Money(round2(h.Deductible.Limit-h.Deductible.Used)),
		Money(h.OutOfPocket.Used), Money(h.OutOfPocket.Limit), Money(round2(h.OutOfPocket.Limit-h.OutOfPocket.Used)))
	b.WriteString("Upcoming appointments, soonest first:\n")
	for _, a := range h.Appointments {
		fmt.Fprintf(b, "- %s %s %s (%s), %s\n", a.Date, a.Time, a.Doctor, a.Specialty, a.Location)
	}
	b.WriteString("Prescriptions:\n")
	for _, p := range h.Prescriptions {
		fmt.Fprintf(b, "- %s %s; %d refills left; next refill %s; %s a month\n",
			p.Name, p.Dosage, p.RefillsLeft, p.NextRefill, Money(p.MonthlyCost))
	}
	fmt.Fprintf(b, "Claims this year by category: %s.\n", series(h.ClaimsByCategory))
}

func describeGeneric(b *strings.Builder, g *Generic) {
	fmt.Fprintf(b, "Account %s; tier %s; spend over the last 6 months %s; loyalty points %s.\n",
		g.AccountID, g.Tier, Money(g.Balance), Number(g.LoyaltyPoints))
	fmt.Fprintf(b, "Monthly spend, last 6 months: %s.\n", series(g.Activity))
	fmt.Fprintf(b, "Spend by category, last 6 months: %s.\n", series(g.Breakdown))
	b.WriteString("Orders this month, newest first:\n")
	for _, o := range g.RecentOrders {
		fmt.Fprintf(b, "- %s %s; %s; %s\n", o.Date, o.Description, Money(o.Amount), o.Status)
	}
}
