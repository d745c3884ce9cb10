package offline

import (
	"fmt"
	"strings"
	"testing"

	"presto/internal/modes"
	"presto/internal/persona"
)

// TestQuestionsAgainstGeneratedPersonas asks each mode's common questions for many seeded personas
// and checks that the charts carry the persona's own series and the sentence its key figure, in
// the persona package's money format.
func TestQuestionsAgainstGeneratedPersonas(t *testing.T) {
	generic := modes.Mode{ID: "pet-store", Name: "Pet Store", Persona: "generic"}
	type check func(p persona.Persona) want
	byMode := []struct {
		mode      modes.Mode
		questions map[string]check
	}{
		{mustPrebuilt(t, "banking"), map[string]check{
			"how much is left in my checking account?": func(p persona.Persona) want {
				return want{chart: p.Banking.Checking.History, text: persona.Money(p.Banking.Checking.Balance)}
			},
			"what's in my savings": func(p persona.Persona) want {
				return want{chart: p.Banking.Savings.History, text: persona.Money(p.Banking.Savings.Balance)}
			},
			"show my mortgage burndown": func(p persona.Persona) want {
				return want{chart: p.Banking.Mortgage.Burndown, text: persona.Money(p.Banking.Mortgage.Balance)}
			},
			"what's my credit score": func(p persona.Persona) want {
				return want{text: fmt.Sprint(p.Banking.CreditScore), metrics: map[string]string{"Credit score": fmt.Sprint(p.Banking.CreditScore)}}
			},
			"recent transactions": func(p persona.Persona) want {
				return want{text: persona.Money(p.Banking.Transactions[0].Amount)}
			},
			"spending by category": func(p persona.Persona) want {
				return want{chart: p.Banking.SpendingByCategory}
			},
			"credit card balance": func(p persona.Persona) want {
				return want{text: persona.Money(p.Banking.CreditCard.Balance)}
			},
		}},
		{mustPrebuilt(t, "insurance"), map[string]check{
			"show my premiums over time": func(p persona.Persona) want {
				return want{chart: p.Insurance.PremiumHistory, text: persona.Money(p.Insurance.PremiumHistory[len(p.Insurance.PremiumHistory)-1].Value)}
			},
			"what's my auto deductible": func(p persona.Persona) want {
				return want{text: persona.Money(policy(p, "auto").Deductible)}
			},
			"how much coverage does my home policy have": func(p persona.Persona) want {
				return want{text: persona.Money(policy(p, "home").Coverage)}
			},
			"claims status": func(p persona.Persona) want {
				if len(p.Insurance.Claims) == 0 {
					return want{text: "no claims"}
				}
				data := make([]persona.Point, len(p.Insurance.Claims))
				for i, c := range p.Insurance.Claims {
					data[i] = persona.Point{Label: c.Description + " (" + c.Status + ")", Value: c.Amount}
				}
				return want{chart: data, text: plural(len(p.Insurance.Claims), "claim")}
			},
			"when do my policies renew": func(p persona.Persona) want {
				return want{metrics: map[string]string{"Life renewal": policy(p, "life").RenewalDate}}
			},
		}},
		{mustPrebuilt(t, "healthcare"), map[string]check{
			"how much of my deductible is used": func(p persona.Persona) want {
				return want{text: persona.Money(p.Healthcare.Deductible.Used)}
			},
			"out of pocket progress": func(p persona.Persona) want {
				return want{text: persona.Money(p.Healthcare.OutOfPocket.Used)}
			},
			"next appointment": func(p persona.Persona) want {
				return want{text: p.Healthcare.Appointments[0].Doctor}
			},
			"which prescriptions need a refill": func(p persona.Persona) want {
				data := make([]persona.Point, len(p.Healthcare.Prescriptions))
				for i, rx := range p.Healthcare.Prescriptions {
					data[i] = persona.Point{Label: rx.Name, Value: rx.MonthlyCost}
				}
				return want{chart: data}
			},
			"claims by category": func(p persona.Persona) want {
				return want{chart: p.Healthcare.ClaimsByCategory}
			},
			"what plan am I on": func(p persona.Persona) want {
				return want{text: p.Healthcare.Plan, metrics: map[string]string{"Member ID": p.Healthcare.MemberID}}
			},
		}},
		{generic, map[string]check{
			"show my activity":       func(p persona.Persona) want { return want{chart: p.Generic.Activity} },
			"spending breakdown":     func(p persona.Persona) want { return want{chart: p.Generic.Breakdown} },
			"my loyalty points":      func(p persona.Persona) want { return want{text: persona.Number(p.Generic.LoyaltyPoints)} },
			"where is my last order": func(p persona.Persona) want { return want{text: persona.Money(p.Generic.RecentOrders[0].Amount)} },
		}},
	}
	for _, m := range byMode {
		for i := range 25 {
			p := persona.New(fmt.Sprintf("session-%d", i), m.mode)
			for q, expect := range m.questions {
				t.Run(fmt.Sprintf("%s/%d/%s", m.mode.ID, i, q), func(t *testing.T) {
					got := ask(t, &p, &m.mode, q)
					if len(got.calls) == 0 && !strings.Contains(got.text, "no ") {
						t.Errorf("no tool call; text %q", got.text)
					}
					checkAnswer(t, got, expect(p))
				})
			}
			for _, tab := range m.mode.Tabs {
				if got := tabTurn(t, &p, &m.mode, tab); len(got.calls) == 0 {
					t.Errorf("%s tab %q drew nothing: %q", m.mode.ID, tab.ID, got.text)
				}
			}
		}
	}
}

func mustPrebuilt(t *testing.T, id string) modes.Mode {
	t.Helper()
	m, ok := modes.FindPrebuilt(id)
	if !ok {
		t.Fatalf("no prebuilt mode %q", id)
	}
	return m
}

func policy(p persona.Persona, kind string) persona.Policy {
	for _, pol := range p.Insurance.Policies {
		if pol.Type == kind {
			return pol
		}
	}
	return persona.Policy{}
}

func TestAmount(t *testing.T) {
	tests := map[float64]string{4215.37: "4,215.37", -82.1: "-82.10", 0: "0.00", 1234567.891: "1,234,567.89"}
	for v, want := range tests {
		if got := amount(v); got != want {
			t.Errorf("amount(%v) = %q, want %q", v, got, want)
		}
	}
}
