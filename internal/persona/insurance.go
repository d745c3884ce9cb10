package persona

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/brianvoe/gofakeit/v7"

	"presto/internal/modes"
)

func newInsurance(f *gofakeit.Faker, ref time.Time, city string) *Insurance {
	renewal := func() string { return day(ref.AddDate(0, 0, f.IntRange(20, 360))) }
	lifeCover := []float64{250_000, 500_000, 750_000, 1_000_000}[f.IntN(4)]
	cars := []string{"Subaru Outback", "Toyota RAV4", "Honda Civic", "Ford F-150", "Mazda CX-5", "Hyundai Ioniq 5", "Tesla Model 3"}
	policies := []Policy{
		{
			Type: "life", Number: "LIF-" + f.Numerify("#######"), Coverage: lifeCover,
			MonthlyPremium: round2(lifeCover / 1000 * f.Float64Range(0.06, 0.11)),
			RenewalDate:    renewal(), Details: fmt.Sprintf("%d-year term life", []int{20, 30}[f.IntN(2)]),
		},
		{
			Type: "auto", Number: "AUT-" + f.Numerify("#######"),
			Coverage:       []float64{100_000, 250_000, 300_000, 500_000}[f.IntN(4)],
			Deductible:     []float64{250, 500, 1000}[f.IntN(3)],
			MonthlyPremium: round2(f.Float64Range(95, 210)), RenewalDate: renewal(),
			Details: fmt.Sprintf("%d %s", ref.Year()-f.IntRange(0, 9), cars[f.IntN(len(cars))]),
		},
		{
			Type: "home", Number: "HOM-" + f.Numerify("#######"),
			Coverage:       float64(f.IntRange(250, 850) * 1000),
			Deductible:     []float64{1000, 2500, 5000}[f.IntN(3)],
			MonthlyPremium: round2(f.Float64Range(90, 260)), RenewalDate: renewal(),
			Details: fmt.Sprintf("%d-bed house, %s", f.IntRange(2, 5), city),
		},
	}
	return &Insurance{
		Policies:       policies,
		Claims:         claims(f, ref, policies),
		PremiumHistory: premiumHistory(f, ref, policies),
	}
}

// claimTemplate is one thing that goes wrong and what it typically costs, in dollars.
type claimTemplate struct {
	policy, what string
	lo, hi       float64
}

func claimTemplates() []claimTemplate {
	return []claimTemplate{
		{"auto", "Rear bumper collision in a parking lot", 1200, 4800},
		{"auto", "Cracked windshield", 350, 1400},
		{"auto", "Hail damage to hood and roof", 2500, 9000},
		{"auto", "Side mirror knocked off", 300, 900},
		{"auto", "Fender bender at an intersection", 1800, 6500},
		{"home", "Burst pipe under the kitchen sink", 2500, 14000},
		{"home", "Wind damage to roof shingles", 3000, 18000},
		{"home", "Bicycle stolen from garage", 400, 2200},
		{"home", "Lightning surge damaged appliances", 900, 5200},
		{"home", "Fallen tree branch on the fence", 800, 4200},
	}
}

// claims makes 2-4 auto or home claims over the last two years, newest first. What the customer
// claims is the damage less the policy's deductible, never below zero and never above the
// coverage; claims older than 60 days are settled.
func claims(f *gofakeit.Faker, ref time.Time, policies []Policy) []Claim {
	byType := map[string]Policy{}
	for _, p := range policies {
		byType[p.Type] = p
	}
	templates := claimTemplates()
	out := make([]Claim, 0, 4)
	for range f.IntRange(2, 4) {
		tpl := templates[f.IntN(len(templates))]
		pol := byType[tpl.policy]
		damage := f.Float64Range(max(tpl.lo, pol.Deductible+100), max(tpl.hi, pol.Deductible+600))
		age := f.IntRange(5, 700)
		status := []string{"paid", "paid", "paid", "denied"}[f.IntN(4)]
		if age < 60 {
			status = []string{"submitted", "in review", "approved"}[f.IntN(3)]
		}
		out = append(out, Claim{
			ID:          "CLM-" + f.Numerify("######"),
			PolicyType:  pol.Type,
			Date:        day(ref.AddDate(0, 0, -age)),
			Description: tpl.what,
			Amount:      round2(min(pol.Coverage, damage-pol.Deductible)),
			Status:      status,
		})
	}
	slices.SortStableFunc(out, func(a, b Claim) int { return cmp.Compare(b.Date, a.Date) })
	return out
}

// premiumHistory is the total monthly premium over 6 months. It ends at today's total; before the
// month a policy renewed at a higher rate, the total was lower by that increase.
func premiumHistory(f *gofakeit.Faker, ref time.Time, policies []Policy) []Point {
	var total cents
	for _, p := range policies {
		total += toCents(p.MonthlyPremium)
	}
	increase := cents(float64(total) * f.Float64Range(0.03, 0.09))
	renewedAt := f.IntRange(1, 5)
	labels := monthLabels(ref, 6)
	pts := make([]Point, len(labels))
	for i, l := range labels {
		v := total
		if i < renewedAt {
			v -= increase
		}
		pts[i] = Point{Label: l, Value: v.dollars()}
	}
	return pts
}

// openClaims counts claims not yet settled.
func openClaims(cs []Claim) int {
	n := 0
	for _, c := range cs {
		if c.Status != "paid" && c.Status != "denied" {
			n++
		}
	}
	return n
}

func nextRenewal(ps []Policy) Policy {
	return slices.MinFunc(ps, func(a, b Policy) int { return cmp.Compare(a.RenewalDate, b.RenewalDate) })
}

func insuranceSummary(in *Insurance) []modes.Metric {
	next := nextRenewal(in.Policies)
	return []modes.Metric{
		{Label: "Monthly premium", Value: Money(in.PremiumHistory[len(in.PremiumHistory)-1].Value)},
		{Label: "Active policies", Value: fmt.Sprint(len(in.Policies))},
		{Label: "Open claims", Value: fmt.Sprint(openClaims(in.Claims))},
		{Label: "Next renewal", Value: next.RenewalDate, Unit: next.Type},
	}
}
