package offline

import (
	"context"
	"testing"

	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
)

// The personas below are written by hand so the expected sentences can be literal ("$4,215.37").
// persona_new_test.go runs the same questions against generated personas.

func pts(kv ...any) []persona.Point {
	var out []persona.Point
	for i := 0; i < len(kv); i += 2 {
		out = append(out, persona.Point{Label: kv[i].(string), Value: kv[i+1].(float64)})
	}
	return out
}

func bankingPersona() *persona.Persona {
	return &persona.Persona{
		Name: "Jordan Lee", Email: "jordan.lee@example.com", City: "Austin", MemberSince: 2016,
		Banking: &persona.Banking{
			Checking: persona.Account{Number: "••••4821", Balance: 4215.37,
				History: pts("Jan", 3890.12, "Feb", 4102.55, "Mar", 3650.00, "Apr", 3999.99, "May", 4420.10, "Jun", 4215.37)},
			Savings: persona.Account{Number: "••••7310", Balance: 18250.4, APY: 4.1,
				History: pts("Jan", 17000.0, "Feb", 17250.0, "Mar", 17500.0, "Apr", 17800.0, "May", 18000.0, "Jun", 18250.4)},
			Mortgage: persona.Mortgage{Principal: 320000, Balance: 241337.82, Rate: 6.125, MonthlyPayment: 1944.35, TermYears: 30,
				Burndown: pts("2026", 241337.82, "2030", 205000.0, "2035", 150000.0, "2040", 80000.0, "2045", 0.0)},
			CreditScore: 742,
			CreditCard:  persona.CreditCard{Balance: 1234.56, Limit: 8000},
			Transactions: []persona.Transaction{
				{Date: "2026-06-12", Description: "Whole Foods", Category: "Groceries", Amount: -82.1, Account: "checking"},
				{Date: "2026-06-11", Description: "Payroll", Category: "Income", Amount: 3200, Account: "checking"},
				{Date: "2026-06-10", Description: "Shell", Category: "Gas", Amount: -45.3, Account: "credit_card"},
			},
			SpendingByCategory: pts("Groceries", 612.4, "Dining", 288.15, "Gas", 140.0, "Utilities", 210.75),
		},
	}
}

func insurancePersona() *persona.Persona {
	return &persona.Persona{
		Name: "Sam Rivera", Email: "sam@example.com", City: "Denver", MemberSince: 2019,
		Insurance: &persona.Insurance{
			Policies: []persona.Policy{
				{Type: "auto", Number: "AU-1", Coverage: 100000, Deductible: 500, MonthlyPremium: 132.4, RenewalDate: "2026-09-01", Details: "2022 Subaru Outback"},
				{Type: "home", Number: "HO-2", Coverage: 450000, Deductible: 1500, MonthlyPremium: 98.75, RenewalDate: "2026-07-15", Details: "3-bed house, Denver"},
				{Type: "life", Number: "LI-3", Coverage: 750000, Deductible: 0, MonthlyPremium: 41.2, RenewalDate: "2027-01-10", Details: "20-year term"},
			},
			Claims: []persona.Claim{
				{ID: "CLM-1", PolicyType: "auto", Date: "2026-03-02", Description: "Rear bumper repair", Amount: 1840.5, Status: "paid"},
				{ID: "CLM-2", PolicyType: "home", Date: "2026-05-20", Description: "Hail damage to roof", Amount: 6200, Status: "in review"},
			},
			PremiumHistory: pts("Jan", 265.1, "Feb", 265.1, "Mar", 268.0, "Apr", 272.35, "May", 272.35, "Jun", 272.35),
		},
	}
}

func healthcarePersona() *persona.Persona {
	return &persona.Persona{
		Name: "Avery Chen", Email: "avery@example.com", City: "Portland", MemberSince: 2021,
		Healthcare: &persona.Healthcare{
			Plan: "Gold PPO", MemberID: "CBH-99812",
			Deductible:  persona.Progress{Used: 1120.45, Limit: 2000},
			OutOfPocket: persona.Progress{Used: 2310, Limit: 6500},
			Appointments: []persona.Appointment{
				{Date: "2026-06-18", Time: "14:30", Doctor: "Dr. Patel", Specialty: "Cardiology", Location: "Main Campus"},
				{Date: "2026-07-02", Time: "09:00", Doctor: "Dr. Gomez", Specialty: "Dermatology", Location: "Eastside"},
			},
			Prescriptions: []persona.Prescription{
				{Name: "Lisinopril", Dosage: "10 mg", RefillsLeft: 3, NextRefill: "2026-06-25", MonthlyCost: 12.5},
				{Name: "Atorvastatin", Dosage: "20 mg", RefillsLeft: 1, NextRefill: "2026-06-20", MonthlyCost: 18.25},
			},
			ClaimsByCategory: pts("Primary care", 420.0, "Specialists", 980.5, "Lab work", 260.0, "Pharmacy", 185.75),
		},
	}
}

func genericPersona() *persona.Persona {
	return &persona.Persona{
		Name: "Riley Brooks", Email: "riley@example.com", City: "Seattle", MemberSince: 2020,
		Generic: &persona.Generic{
			AccountID: "PC-5521", Tier: "Gold", Balance: 1612.4, LoyaltyPoints: 4820,
			Activity:  pts("Jan", 210.0, "Feb", 180.5, "Mar", 305.25, "Apr", 260.0, "May", 330.4, "Jun", 326.25),
			Breakdown: pts("Food", 720.0, "Toys", 410.4, "Grooming", 482.0),
			RecentOrders: []persona.Order{
				{Date: "2026-06-09", Description: "Salmon kibble, 30 lb", Amount: 64.99, Status: "Delivered"},
				{Date: "2026-05-28", Description: "Chew toy bundle", Amount: 24.5, Status: "Delivered"},
			},
		},
	}
}

// modeFor returns the prebuilt mode for a persona, or a generated-looking mode for the generic one.
func modeFor(t *testing.T, p *persona.Persona) *modes.Mode {
	t.Helper()
	id := "pet-store"
	switch {
	case p.Banking != nil:
		id = "banking"
	case p.Insurance != nil:
		id = "insurance"
	case p.Healthcare != nil:
		id = "healthcare"
	}
	if m, ok := modes.FindPrebuilt(id); ok {
		return &m
	}
	return &modes.Mode{ID: id, Name: "Pet Store", CompanyName: "Paws and Claws", Persona: "generic",
		Tabs: []modes.Tab{{ID: "dashboard", Label: "Dashboard"}, {ID: "shop", Label: "Shop"}, {ID: "pets", Label: "My Pets"},
			{ID: "orders", Label: "Orders"}, {ID: "settings", Label: "Settings"}}}
}

// turn is everything one Stream call emitted.
type turn struct {
	deltas []string
	text   string
	calls  []message.ToolCall
	done   *llm.Done
}

// ask streams one user message in the persona's mode with the chat tools and checks the stream's
// shape: deltas, then calls, then exactly one Done, and every call valid.
func ask(t *testing.T, p *persona.Persona, m *modes.Mode, msg string) turn {
	t.Helper()
	return run(t, llm.Request{
		Messages: []message.Message{{Role: message.RoleUser, Content: msg}},
		Tools:    llm.ChatTools(), Mode: m, Persona: p,
	})
}

func run(t *testing.T, req llm.Request) turn {
	t.Helper()
	var got turn
	err := New().Stream(context.Background(), req, func(ev llm.Event) error {
		switch {
		case got.done != nil:
			t.Fatalf("event after Done: %+v", ev)
		case ev.Text != "":
			if len(got.calls) > 0 {
				t.Fatalf("text %q after a tool call", ev.Text)
			}
			got.deltas = append(got.deltas, ev.Text)
			got.text += ev.Text
		case ev.ToolCall != nil:
			got.calls = append(got.calls, *ev.ToolCall)
		case ev.Done != nil:
			got.done = ev.Done
		default:
			t.Fatalf("empty event")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if got.done == nil {
		t.Fatal("no Done event")
	}
	wantReason := "stop"
	if len(got.calls) > 0 {
		wantReason = "tool_calls"
	}
	if got.done.FinishReason != wantReason {
		t.Errorf("finish reason %q with %d calls, want %q", got.done.FinishReason, len(got.calls), wantReason)
	}
	offeredTools := offered(req.Tools)
	for i, c := range got.calls {
		if want := "call_offline_" + string(rune('1'+i)); c.ID != want {
			t.Errorf("call %d id %q, want %q", i, c.ID, want)
		}
		if !offeredTools[c.Name] {
			t.Errorf("called %s, which was not offered", c.Name)
		}
		if _, err := llm.ValidateToolCall(c); err != nil {
			t.Errorf("invalid tool call %s %s: %v", c.Name, c.Arguments, err)
		}
	}
	return got
}
