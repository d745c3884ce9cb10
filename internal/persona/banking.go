package persona

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/brianvoe/gofakeit/v7"

	"presto/internal/modes"
)

func newBanking(f *gofakeit.Faker, ref time.Time) *Banking {
	b := &Banking{
		Checking: Account{
			Number: maskedNumber(f),
			APY:    round2(0.01 + 0.01*float64(f.IntN(5))),
		},
		Savings: Account{
			Number: maskedNumber(f),
			APY:    round2(3.8 + 0.05*float64(f.IntN(17))),
		},
		CreditScore: f.IntRange(640, 825),
	}
	b.Checking.History = history(f, ref, cents(f.IntRange(180_000, 950_000)), -60_000, 60_000, 20_000)
	b.Checking.Balance = b.Checking.History[len(b.Checking.History)-1].Value
	// Savings grow: each month adds a deposit and interest.
	b.Savings.History = history(f, ref, cents(f.IntRange(800_000, 4_500_000)), 5_000, 60_000, 100_000)
	b.Savings.Balance = b.Savings.History[len(b.Savings.History)-1].Value
	b.Mortgage = newMortgage(f, ref)
	limit := []float64{5000, 7500, 10000, 15000, 20000}[f.IntN(5)]
	b.CreditCard = CreditCard{Limit: limit, Balance: round2(limit * f.Float64Range(0.05, 0.45))}
	b.Transactions = transactions(f, ref, b.Mortgage.MonthlyPayment)
	b.SpendingByCategory = spendingByCategory(b.Transactions)
	return b
}

// history makes 6 month-end balances ending at last: walking back, each earlier month is the
// later one minus a growth of between lo and hi cents, and never below floor.
func history(f *gofakeit.Faker, ref time.Time, last cents, lo, hi int, floor cents) []Point {
	labels := monthLabels(ref, 6)
	vals := make([]cents, len(labels))
	vals[len(vals)-1] = last
	for i := len(vals) - 2; i >= 0; i-- {
		vals[i] = max(floor, vals[i+1]-cents(f.IntRange(lo, hi)))
	}
	pts := make([]Point, len(vals))
	for i, v := range vals {
		pts[i] = Point{Label: labels[i], Value: v.dollars()}
	}
	return pts
}

func maskedNumber(f *gofakeit.Faker) string {
	return fmt.Sprintf("••••%04d", f.IntN(10000))
}

// newMortgage makes a fixed-rate loan some years in, with a burndown computed by amortising the
// monthly payment to the cent, so its first point is the balance and its last is 0.
func newMortgage(f *gofakeit.Faker, ref time.Time) Mortgage {
	term := 30
	if f.IntN(5) == 0 {
		term = 15
	}
	m := Mortgage{
		Principal: float64(f.IntRange(220, 640) * 1000),
		Rate:      5.25 + 0.125*float64(f.IntN(17)),
		TermYears: term,
	}
	r := m.Rate / 1200
	n := float64(term * 12)
	payment := toCents(m.Principal * r / (1 - math.Pow(1+r, -n)))
	m.MonthlyPayment = payment.dollars()
	bal := toCents(m.Principal)
	for range f.IntRange(12, (term-3)*12) {
		bal = payOnce(bal, payment, r)
	}
	m.Balance = bal.dollars()
	m.Burndown = burndown(bal, payment, r, ref)
	return m
}

// payOnce applies one monthly payment: interest accrues, the rest pays down principal.
func payOnce(bal, payment cents, r float64) cents {
	interest := cents(math.Round(float64(bal) * r))
	return max(0, bal+interest-payment)
}

// burndown lists the balance now (labelled with this year), then at the end of each following
// year, down to 0 in the year of the last payment.
func burndown(bal, payment cents, r float64, ref time.Time) []Point {
	pts := []Point{{Label: fmt.Sprint(ref.Year()), Value: bal.dollars()}}
	months := 12 - int(ref.Month()) // payments left this year after today's
	for year := ref.Year(); bal > 0; year++ {
		for range months {
			bal = payOnce(bal, payment, r)
		}
		months = 12
		if year > ref.Year() || bal == 0 {
			pts = append(pts, Point{Label: fmt.Sprint(year), Value: bal.dollars()})
		}
	}
	return pts
}

// merchant is a spending template: where, which category, from which account, and a range.
type merchant struct {
	name, category, account string
	lo, hi                  float64
}

func spendingMerchants() []merchant {
	return []merchant{
		{"Greenway Market", "Groceries", "credit_card", 38, 185},
		{"FreshFare Grocers", "Groceries", "checking", 25, 140},
		{"Corner Bistro", "Dining", "credit_card", 18, 86},
		{"Blue Door Café", "Dining", "credit_card", 6, 24},
		{"Noodle House", "Dining", "credit_card", 14, 52},
		{"QuickFuel", "Transport", "credit_card", 32, 74},
		{"Metro Transit", "Transport", "checking", 20, 60},
		{"Maple Home Supply", "Shopping", "credit_card", 24, 210},
		{"Northgate Outfitters", "Shopping", "credit_card", 35, 160},
		{"StreamBox", "Entertainment", "credit_card", 15.99, 15.99},
		{"Riverside Cinema", "Entertainment", "credit_card", 22, 48},
		{"Brightline Internet", "Utilities", "checking", 59.99, 79.99},
		{"Lakeside Pharmacy", "Health", "credit_card", 9, 65},
	}
}

// transactions makes 12-15 movements over the 30 days before ref, newest first: two paydays, the
// mortgage payment, a utility bill, a transfer to savings (both legs) and everyday spending.
func transactions(f *gofakeit.Faker, ref time.Time, mortgagePayment float64) []Transaction {
	when := func(lo, hi int) string { return day(ref.AddDate(0, 0, -f.IntRange(lo, hi))) }
	employer := f.Company()
	pay := round2(f.Float64Range(1400, 2600))
	transfer := float64(f.IntRange(2, 10) * 100)
	transferDay := when(0, 29)
	txs := []Transaction{
		{when(0, 13), "Payroll deposit — " + employer, "Income", pay, "checking"},
		{when(15, 29), "Payroll deposit — " + employer, "Income", pay, "checking"},
		{when(0, 29), "Mortgage payment", "Housing", -mortgagePayment, "checking"},
		{when(0, 29), "City Power & Light", "Utilities", -round2(f.Float64Range(80, 190)), "checking"},
		{transferDay, "Transfer to savings", "Transfer", -transfer, "checking"},
		{transferDay, "Transfer from checking", "Transfer", transfer, "savings"},
	}
	ms := spendingMerchants()
	for range f.IntRange(6, 9) {
		m := ms[f.IntN(len(ms))]
		txs = append(txs, Transaction{when(0, 29), m.name, m.category, -round2(f.Float64Range(m.lo, m.hi)), m.account})
	}
	slices.SortStableFunc(txs, func(a, b Transaction) int { return cmp.Compare(b.Date, a.Date) })
	return txs
}

// spendingByCategory sums money out per category, leaving out transfers between the customer's
// own accounts, largest first.
func spendingByCategory(txs []Transaction) []Point {
	sums := map[string]cents{}
	for _, t := range txs {
		if t.Amount < 0 && t.Category != "Transfer" {
			sums[t.Category] += toCents(-t.Amount)
		}
	}
	pts := make([]Point, 0, len(sums))
	for cat, c := range sums {
		pts = append(pts, Point{Label: cat, Value: c.dollars()})
	}
	slices.SortFunc(pts, func(a, b Point) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Label, b.Label))
	})
	return pts
}

func bankingSummary(b *Banking) []modes.Metric {
	return []modes.Metric{
		{Label: "Checking", Value: Money(b.Checking.Balance)},
		{Label: "Savings", Value: Money(b.Savings.Balance)},
		{Label: "Credit score", Value: fmt.Sprint(b.CreditScore)},
		{Label: "Mortgage balance", Value: Money(b.Mortgage.Balance)},
	}
}
