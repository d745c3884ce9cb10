package persona

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"presto/internal/modes"
)

func TestNewIsDeterministic(t *testing.T) {
	for _, m := range append(modes.Prebuilt(), modes.Mode{ID: "pet-store", Persona: "generic"}) {
		t.Run(m.ID, func(t *testing.T) {
			a, b := New("session-1", m), New("session-1", m)
			if !reflect.DeepEqual(a, b) {
				t.Fatal("same (session, mode) gave different personas")
			}
			// What the client receives and a replica recomputes must match too.
			raw, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			var back Persona
			if err := json.Unmarshal(raw, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, back) {
				t.Error("persona does not survive a JSON round trip")
			}
			if c := New("session-2", m); reflect.DeepEqual(a, c) {
				t.Error("different sessions gave the same persona")
			}
		})
	}
}

func TestNewKindFollowsMode(t *testing.T) {
	tests := []struct {
		mode modes.Mode
		want string
	}{
		{modes.Home(), KindGeneric},
		{modes.Banking(), KindBanking},
		{modes.Insurance(), KindInsurance},
		{modes.Healthcare(), KindHealthcare},
		{modes.Mode{ID: "pet-store", Persona: "generic"}, KindGeneric},
		{modes.Mode{ID: "odd", Persona: "unknown"}, KindGeneric},
		{modes.Mode{ID: modes.HomeID, Persona: "banking"}, KindGeneric},
	}
	for _, tt := range tests {
		t.Run(tt.mode.ID, func(t *testing.T) {
			p := New("s", tt.mode)
			if got := p.Kind(); got != tt.want {
				t.Errorf("Kind() = %q, want %q", got, tt.want)
			}
			set := 0
			for _, v := range []bool{p.Banking != nil, p.Insurance != nil, p.Healthcare != nil, p.Generic != nil} {
				if v {
					set++
				}
			}
			if set != 1 {
				t.Errorf("%d data sets filled, want exactly 1", set)
			}
		})
	}
	// Different modes of the same session differ in kind and in person.
	if a, b := New("s", modes.Banking()), New("s", modes.Insurance()); a.Name == b.Name && a.Email == b.Email {
		t.Error("banking and insurance personas of one session are the same person")
	}
}

func TestIdentityAndReferenceDate(t *testing.T) {
	lo := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	hi := lo.AddDate(0, 0, referenceSpanDays)
	for i := range 200 {
		session := fmt.Sprintf("sess-%d", i)
		ref := referenceDate(seedOf(session, "banking"))
		if ref.Before(lo) || !ref.Before(hi) {
			t.Fatalf("reference date %s outside [%s, %s)", ref, lo, hi)
		}
		p := New(session, modes.Banking())
		first, last, _ := strings.Cut(strings.ToLower(p.Name), " ")
		if !strings.HasPrefix(p.Email, onlyLetters(first)+"."+onlyLetters(last)+"@example.") {
			t.Fatalf("email %q does not match name %q", p.Email, p.Name)
		}
		if !strings.Contains(p.Phone, " 555-01") || p.City == "" || p.MemberSince < 2011 || p.MemberSince > 2025 {
			t.Fatalf("identity %+v", p)
		}
		if n := len(p.Summary); n < 3 || n > 5 {
			t.Fatalf("summary has %d metrics", n)
		}
	}
}

func onlyLetters(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, s)
}

// sumCents adds point values in cents, so sums compare exactly.
func sumCents(pts []Point) cents {
	var c cents
	for _, p := range pts {
		c += toCents(p.Value)
	}
	return c
}

func TestSummaryValuesAreInDescribe(t *testing.T) {
	for _, m := range modes.Prebuilt() {
		p := New("summary", m)
		d := Describe(p)
		for _, s := range p.Summary {
			if s.Label == "" || s.Value == "" {
				t.Errorf("%s: empty summary metric %+v", m.ID, s)
			}
			if !strings.Contains(d, s.Value) {
				t.Errorf("%s: summary value %q (%s) is not in Describe", m.ID, s.Value, s.Label)
			}
		}
	}
}

func TestDescribeHasExactValues(t *testing.T) {
	bank := New("describe", modes.Banking())
	ins := New("describe", modes.Insurance())
	health := New("describe", modes.Healthcare())
	gen := New("describe", modes.Home())
	b := bank.Banking
	tests := []struct {
		name string
		p    Persona
		want []string
	}{
		{"banking", bank, []string{
			bank.Name, bank.Email,
			"balance " + Money(b.Checking.Balance), "balance " + Money(b.Savings.Balance),
			"remaining " + Money(b.Mortgage.Balance), Money(b.Mortgage.MonthlyPayment),
			Money(b.CreditCard.Balance), Money(b.CreditCard.Limit), fmt.Sprint(b.CreditScore),
			series(b.Checking.History), series(b.Mortgage.Burndown), series(b.SpendingByCategory),
			b.Transactions[0].Date + " " + b.Transactions[0].Description,
		}},
		{"insurance", ins, []string{
			ins.Insurance.Policies[2].Number, Money(ins.Insurance.Policies[1].MonthlyPremium),
			Money(ins.Insurance.Claims[0].Amount), series(ins.Insurance.PremiumHistory),
		}},
		{"healthcare", health, []string{
			health.Healthcare.Plan, Money(health.Healthcare.Deductible.Used), Money(health.Healthcare.OutOfPocket.Limit),
			health.Healthcare.Appointments[0].Doctor, health.Healthcare.Prescriptions[0].Name,
			series(health.Healthcare.ClaimsByCategory),
		}},
		{"generic", gen, []string{
			gen.Generic.AccountID, Money(gen.Generic.Balance), series(gen.Generic.Activity),
			series(gen.Generic.Breakdown), Money(gen.Generic.RecentOrders[0].Amount),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Describe(tt.p)
			for _, w := range tt.want {
				if !strings.Contains(d, w) {
					t.Errorf("Describe lacks %q:\n%s", w, d)
				}
			}
			if strings.Contains(d, "NaN") || strings.Contains(d, "%!") {
				t.Errorf("Describe has a formatting error:\n%s", d)
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	for _, m := range modes.Prebuilt() {
		b.Run(m.ID, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				_ = New(fmt.Sprint("bench-", i), m)
			}
		})
	}
}

func BenchmarkDescribe(b *testing.B) {
	p := New("bench", modes.Banking())
	for b.Loop() {
		_ = Describe(p)
	}
}
