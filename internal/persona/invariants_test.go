package persona

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"presto/internal/modes"
)

const seeds = 200

// eachSeed runs check on the personas of 200 sessions in mode m, with each persona's reference date.
func eachSeed(t *testing.T, m modes.Mode, check func(t *testing.T, p Persona, ref time.Time)) {
	t.Helper()
	for i := range seeds {
		session := fmt.Sprintf("seed-%03d", i)
		p := New(session, m)
		ref := referenceDate(seedOf(session, m.ID))
		t.Run(session, func(t *testing.T) { check(t, p, ref) })
		if t.Failed() {
			return
		}
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

func TestBankingInvariants(t *testing.T) {
	eachSeed(t, modes.Banking(), func(t *testing.T, p Persona, ref time.Time) {
		b := p.Banking
		for name, a := range map[string]Account{"checking": b.Checking, "savings": b.Savings} {
			if len(a.History) != 6 || a.History[5].Value != a.Balance || a.Balance <= 0 {
				t.Errorf("%s: history %v does not end at balance %v", name, a.History, a.Balance)
			}
		}
		for i := 1; i < 6; i++ {
			if b.Savings.History[i].Value < b.Savings.History[i-1].Value {
				t.Errorf("savings shrank: %v", b.Savings.History)
			}
		}
		m := b.Mortgage
		bd := m.Burndown
		if bd[0].Value != m.Balance || bd[len(bd)-1].Value != 0 || m.Balance > m.Principal {
			t.Errorf("burndown %v: want from balance %v (<= principal %v) to 0", bd, m.Balance, m.Principal)
		}
		for i := 1; i < len(bd); i++ {
			y0, _ := strconv.Atoi(bd[i-1].Label)
			y1, _ := strconv.Atoi(bd[i].Label)
			if bd[i].Value > bd[i-1].Value || y1 != y0+1 {
				t.Errorf("burndown not decreasing by consecutive years at %d: %v", i, bd)
			}
		}
		if y, _ := strconv.Atoi(bd[0].Label); y != ref.Year() {
			t.Errorf("burndown starts in %s, want %d", bd[0].Label, ref.Year())
		}
		// Independent check of the payment: the standard amortisation formula.
		r, n := m.Rate/1200, float64(m.TermYears*12)
		if want := m.Principal * r / (1 - math.Pow(1+r, -n)); math.Abs(want-m.MonthlyPayment) > 0.006 {
			t.Errorf("monthly payment %v, want %.2f", m.MonthlyPayment, want)
		}
		if c := b.CreditCard; c.Balance < 0 || c.Balance > c.Limit {
			t.Errorf("card balance %v over limit %v", c.Balance, c.Limit)
		}
		if b.CreditScore < 300 || b.CreditScore > 850 {
			t.Errorf("credit score %d", b.CreditScore)
		}
		checkTransactions(t, b, ref)
	})
}

func checkTransactions(t *testing.T, b *Banking, ref time.Time) {
	t.Helper()
	txs := b.Transactions
	if len(txs) < 10 || len(txs) > 15 {
		t.Errorf("%d transactions, want 10-15", len(txs))
	}
	spend := map[string]cents{}
	var transfers cents
	mortgagePaid := false
	for i, tx := range txs {
		d := mustDate(t, tx.Date)
		if d.After(ref) || d.Before(ref.AddDate(0, 0, -30)) {
			t.Errorf("transaction %s outside the 30 days before %s", tx.Date, day(ref))
		}
		if i > 0 && tx.Date > txs[i-1].Date {
			t.Errorf("transactions not newest first at %d", i)
		}
		if !slices.Contains([]string{"checking", "savings", "credit_card"}, tx.Account) || tx.Amount == 0 {
			t.Errorf("transaction %+v", tx)
		}
		switch {
		case tx.Category == "Transfer":
			transfers += toCents(tx.Amount)
		case tx.Amount < 0:
			spend[tx.Category] += toCents(-tx.Amount)
		}
		if tx.Category == "Housing" && tx.Amount == -b.Mortgage.MonthlyPayment {
			mortgagePaid = true
		}
	}
	if transfers != 0 {
		t.Errorf("transfers between own accounts do not net to zero: %d cents", transfers)
	}
	if !mortgagePaid {
		t.Error("no mortgage payment of the monthly amount")
	}
	if len(spend) != len(b.SpendingByCategory) {
		t.Errorf("spending has %d categories, transactions %d", len(b.SpendingByCategory), len(spend))
	}
	for i, pt := range b.SpendingByCategory {
		if toCents(pt.Value) != spend[pt.Label] {
			t.Errorf("spending %s = %v, transactions sum to %d cents", pt.Label, pt.Value, spend[pt.Label])
		}
		if i > 0 && pt.Value > b.SpendingByCategory[i-1].Value {
			t.Errorf("spending not largest first: %v", b.SpendingByCategory)
		}
	}
}

func TestInsuranceInvariants(t *testing.T) {
	eachSeed(t, modes.Insurance(), func(t *testing.T, p Persona, ref time.Time) {
		in := p.Insurance
		var types []string
		var total cents
		cover := map[string]Policy{}
		for _, pol := range in.Policies {
			types = append(types, pol.Type)
			total += toCents(pol.MonthlyPremium)
			cover[pol.Type] = pol
			if pol.Coverage <= 0 || pol.MonthlyPremium <= 0 || pol.Deductible < 0 || pol.Number == "" || pol.Details == "" {
				t.Errorf("policy %+v", pol)
			}
			if !mustDate(t, pol.RenewalDate).After(ref) {
				t.Errorf("renewal %s is not after %s", pol.RenewalDate, day(ref))
			}
		}
		if !slices.Equal(types, []string{"life", "auto", "home"}) {
			t.Errorf("policy types %v", types)
		}
		ph := in.PremiumHistory
		if len(ph) != 6 || toCents(ph[5].Value) != total {
			t.Errorf("premium history %v does not end at the premiums' total %d cents", ph, total)
		}
		for i := 1; i < len(ph); i++ {
			if ph[i].Value < ph[i-1].Value {
				t.Errorf("premium went down: %v", ph)
			}
		}
		if len(in.Claims) < 2 || len(in.Claims) > 4 {
			t.Errorf("%d claims", len(in.Claims))
		}
		for i, c := range in.Claims {
			pol, ok := cover[c.PolicyType]
			if !ok || c.Amount < 0 || c.Amount > pol.Coverage {
				t.Errorf("claim %+v against policy %+v", c, pol)
			}
			if !mustDate(t, c.Date).Before(ref) || i > 0 && c.Date > in.Claims[i-1].Date {
				t.Errorf("claim dates not past and newest first: %+v", in.Claims)
			}
			if !slices.Contains([]string{"submitted", "in review", "approved", "paid", "denied"}, c.Status) {
				t.Errorf("claim status %q", c.Status)
			}
		}
	})
}

func TestHealthcareInvariants(t *testing.T) {
	eachSeed(t, modes.Healthcare(), func(t *testing.T, p Persona, ref time.Time) {
		h := p.Healthcare
		if h.Deductible.Used < 0 || h.Deductible.Used > h.Deductible.Limit {
			t.Errorf("deductible %+v", h.Deductible)
		}
		if h.OutOfPocket.Used < h.Deductible.Used || h.OutOfPocket.Used > h.OutOfPocket.Limit {
			t.Errorf("out of pocket %+v with deductible %+v", h.OutOfPocket, h.Deductible)
		}
		billed := sumCents(h.ClaimsByCategory)
		if billed < toCents(h.OutOfPocket.Used) {
			t.Errorf("member paid %v of only %d cents billed", h.OutOfPocket.Used, billed)
		}
		// The deductible is met before any coinsurance is paid.
		if h.OutOfPocket.Used > h.Deductible.Used && h.Deductible.Used != h.Deductible.Limit {
			t.Errorf("coinsurance paid before the deductible was met: %+v %+v", h.Deductible, h.OutOfPocket)
		}
		var rx cents
		for _, p := range h.Prescriptions {
			rx += toCents(p.MonthlyCost)
			if p.RefillsLeft < 0 || !mustDate(t, p.NextRefill).After(ref) {
				t.Errorf("prescription %+v", p)
			}
		}
		for _, c := range h.ClaimsByCategory {
			if c.Label == "Pharmacy" && toCents(c.Value) != rx*cents(ref.Month()) {
				t.Errorf("pharmacy %v, want %d months of %d cents", c.Value, ref.Month(), rx)
			}
		}
		if n := len(h.Appointments); n < 2 || n > 4 {
			t.Errorf("%d appointments", n)
		}
		for i, a := range h.Appointments {
			if !mustDate(t, a.Date).After(ref) || i > 0 && a.Date <= h.Appointments[i-1].Date {
				t.Errorf("appointments not upcoming, distinct and soonest first: %+v", h.Appointments)
			}
		}
	})
}

func TestGenericInvariants(t *testing.T) {
	eachSeed(t, modes.Mode{ID: "pet-store", Persona: "generic"}, func(t *testing.T, p Persona, ref time.Time) {
		g := p.Generic
		total := sumCents(g.Activity)
		if len(g.Activity) != 6 || toCents(g.Balance) != total {
			t.Errorf("balance %v is not the sum of activity %v", g.Balance, g.Activity)
		}
		if sumCents(g.Breakdown) != total || len(g.Breakdown) < 3 || len(g.Breakdown) > 5 {
			t.Errorf("breakdown %v does not split %d cents into 3-5 slices", g.Breakdown, total)
		}
		for _, s := range g.Breakdown {
			if s.Value <= 0 {
				t.Errorf("empty slice %v", s)
			}
		}
		if g.LoyaltyPoints != int(math.Floor(g.Balance)) || g.Tier != tierOf(g.Balance) {
			t.Errorf("points %d / tier %s do not follow balance %v", g.LoyaltyPoints, g.Tier, g.Balance)
		}
		var orders cents
		for i, o := range g.RecentOrders {
			orders += toCents(o.Amount)
			d := mustDate(t, o.Date)
			if d.After(ref) || d.Month() != ref.Month() || i > 0 && o.Date > g.RecentOrders[i-1].Date || o.Amount <= 0 {
				t.Errorf("orders not this month, positive and newest first: %+v", g.RecentOrders)
			}
		}
		if orders != toCents(g.Activity[5].Value) {
			t.Errorf("orders sum to %d cents, this month's activity is %v", orders, g.Activity[5].Value)
		}
	})
}
