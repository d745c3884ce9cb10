package persona

import (
	"fmt"
	"time"

	"github.com/brianvoe/gofakeit/v7"

	"presto/internal/modes"
)

// tierOf maps six months' spend, in dollars, to a loyalty tier.
func tierOf(balance float64) string {
	switch {
	case balance < 500:
		return "Bronze"
	case balance < 1500:
		return "Silver"
	case balance < 3000:
		return "Gold"
	default:
		return "Platinum"
	}
}

// newGeneric makes a customer of a generated business. Balance is the sum of the 6 months of
// activity; the breakdown splits that same total; this month's orders add up to this month's
// activity; loyalty points are one per whole dollar.
func newGeneric(f *gofakeit.Faker, ref time.Time) *Generic {
	labels := monthLabels(ref, 6)
	monthly := make([]cents, len(labels))
	var total cents
	g := &Generic{AccountID: "ACC-" + f.Numerify("########")}
	for i, l := range labels {
		monthly[i] = cents(f.IntRange(4_000, 60_000))
		total += monthly[i]
		g.Activity = append(g.Activity, Point{Label: l, Value: monthly[i].dollars()})
	}
	g.Balance = total.dollars()
	g.Tier = tierOf(g.Balance)
	g.LoyaltyPoints = int(total / 100)

	cats := []string{"Core purchases", "Services", "Add-ons", "Subscriptions", "Gift cards"}
	f.ShuffleAnySlice(cats)
	cats = cats[:f.IntRange(3, 5)]
	for i, part := range split(f, total, len(cats)) {
		g.Breakdown = append(g.Breakdown, Point{Label: cats[i], Value: part.dollars()})
	}

	g.RecentOrders = orders(f, ref, monthly[len(monthly)-1])
	return g
}

// split divides total into n positive parts that add up to it exactly.
func split(f *gofakeit.Faker, total cents, n int) []cents {
	weights := make([]int, n)
	sum := 0
	for i := range weights {
		weights[i] = f.IntRange(1, 10)
		sum += weights[i]
	}
	parts := make([]cents, n)
	left := total
	for i := range n - 1 {
		parts[i] = max(1, total*cents(weights[i])/cents(sum))
		left -= parts[i]
	}
	parts[n-1] = left
	return parts
}

// orders makes 3-5 orders dated this month up to ref, newest first, adding up to monthTotal.
func orders(f *gofakeit.Faker, ref time.Time, monthTotal cents) []Order {
	kinds := []string{"Order", "Booking", "Purchase", "Renewal", "Service visit"}
	n := f.IntRange(3, 5)
	parts := split(f, monthTotal, n)
	out := make([]Order, n)
	dayOfMonth := ref.Day()
	prev := dayOfMonth
	for i := range out {
		d := prev - f.IntRange(0, max(0, prev-1)/2) // newest first: never later than the previous one
		prev = d
		status := "completed"
		if i == 0 {
			status = []string{"processing", "confirmed", "shipped"}[f.IntN(3)]
		}
		out[i] = Order{
			Date:        day(time.Date(ref.Year(), ref.Month(), d, 0, 0, 0, 0, time.UTC)),
			Description: fmt.Sprintf("%s #%s", kinds[f.IntN(len(kinds))], f.Numerify("#####")),
			Amount:      parts[i].dollars(),
			Status:      status,
		}
	}
	return out
}

func genericSummary(g *Generic) []modes.Metric {
	return []modes.Metric{
		{Label: "Tier", Value: g.Tier},
		{Label: "Spend, last 6 months", Value: Money(g.Balance)},
		{Label: "Loyalty points", Value: Number(g.LoyaltyPoints)},
		{Label: "Orders this month", Value: fmt.Sprint(len(g.RecentOrders))},
	}
}
