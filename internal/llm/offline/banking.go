package offline

import (
	"fmt"

	"presto/internal/llm"
	"presto/internal/persona"
)

// bankingIntents are the questions a bank customer asks, most common first.
var bankingIntents = []intent{
	{name: "checking", answer: bankChecking, keywords: map[string]int{
		"checking": 3, "balance": 1, "how much": 1, "left": 1, "money": 1, "cash": 1, "account": 1,
		"debit": 1,
	}},
	{name: "savings", answer: bankSavings, keywords: map[string]int{
		"saving": 3, "save": 2, "apy": 3, "interest": 1, "rainy day": 2, "emergency fund": 2, "invest": 1,
	}},
	{name: "mortgage", answer: bankMortgage, keywords: map[string]int{
		"mortgage": 3, "home loan": 3, "loan": 2, "house": 1, "burndown": 3, "pay off": 2, "payoff": 2,
		"paid off": 2, "principal": 2, "rate": 1,
	}},
	{name: "credit score", answer: bankCreditScore, keywords: map[string]int{
		"credit score": 4, "score": 3, "fico": 3, "credit rating": 3, "credit report": 2, "credit": 1,
	}},
	{name: "transactions", answer: bankTransactions, keywords: map[string]int{
		"transaction": 3, "recent": 2, "purchase": 2, "latest": 1, "last": 1, "charges": 2, "payments": 1,
		"activity": 2, "statement": 2, "history": 1, "transfer": 2,
	}},
	{name: "spending", answer: bankSpending, breakdown: true, keywords: map[string]int{
		"spend": 3, "spent": 3, "categor": 3, "budget": 2, "where does my money go": 3,
		"expenses": 2, "breakdown": 2, "insight": 2,
	}},
	{name: "credit card", answer: bankCard, keywords: map[string]int{
		"credit card": 4, "card": 3, "visa": 2, "mastercard": 2, "limit": 2, "available credit": 3,
		"utilization": 3, "owe": 1,
	}},
	{name: "overview", answer: bankOverview, keywords: map[string]int{
		"overview": 3, "summary": 3, "net worth": 3, "accounts": 2, "dashboard": 2, "everything": 2,
		"finances": 2, "home": 1,
	}},
}

func bankChecking(q question) reply {
	c := q.p.Banking.Checking
	return say(fmt.Sprintf("Your checking balance is %s.", money(c.Balance))).
		timeline("line", "Checking balance, last 6 months", series(c.History))
}

func bankSavings(q question) reply {
	s := q.p.Banking.Savings
	return say(fmt.Sprintf("Your savings balance is %s, earning %s%% APY.", money(s.Balance), rate(s.APY))).
		timeline("area", "Savings balance, last 6 months", series(s.History))
}

func bankMortgage(q question) reply {
	m := q.p.Banking.Mortgage
	return say(fmt.Sprintf("Your mortgage balance is %s at %s%%, paid down %s a month.",
		money(m.Balance), rate(m.Rate), money(m.MonthlyPayment))).
		timeline("line", "Mortgage balance until payoff", series(m.Burndown)).
		metrics(
			usd("Remaining balance", m.Balance),
			usd("Original principal", m.Principal),
			plain("Interest rate", rate(m.Rate), "%"),
			usd("Monthly payment", m.MonthlyPayment),
		)
}

func bankCreditScore(q question) reply {
	b := q.p.Banking
	band := scoreBand(b.CreditScore)
	return say(fmt.Sprintf("Your credit score is %d, which is %s.", b.CreditScore, band)).
		metrics(
			plain("Credit score", fmt.Sprint(b.CreditScore), ""),
			plain("Rating", capitalize(band), ""),
			plain("Card utilization", percent(b.CreditCard.Balance, b.CreditCard.Limit), "%"),
		)
}

// scoreBand names a FICO score's range.
func scoreBand(score int) string {
	switch {
	case score >= 800:
		return "exceptional"
	case score >= 740:
		return "very good"
	case score >= 670:
		return "good"
	case score >= 580:
		return "fair"
	}
	return "poor"
}

// maxTransactionCards bounds the transactions shown as cards (show_metrics takes at most 8).
const maxTransactionCards = 6

func bankTransactions(q question) reply {
	txs := q.p.Banking.Transactions
	if len(txs) == 0 {
		return say("You have no recent transactions.")
	}
	latest := txs[0]
	cards := make([]metricCard, 0, maxTransactionCards)
	for _, t := range txs[:min(len(txs), maxTransactionCards)] {
		cards = append(cards, plain(t.Description+" ("+t.Date+")", amount(t.Amount), "USD"))
	}
	return say(fmt.Sprintf("Your latest transaction is %s at %s on %s.", money(latest.Amount), latest.Description, latest.Date)).
		metrics(cards...)
}

func bankSpending(q question) reply {
	cats := q.p.Banking.SpendingByCategory
	if len(cats) == 0 {
		return say("You have no spending recorded last month.")
	}
	top := largest(cats)
	return say(fmt.Sprintf("You spent %s last month, most of it on %s (%s).", money(total(cats)), top.Label, money(top.Value))).
		chart("pie", "Spending by category, last month", series(cats))
}

func bankCard(q question) reply {
	c := q.p.Banking.CreditCard
	return say(fmt.Sprintf("Your credit card balance is %s of a %s limit.", money(c.Balance), money(c.Limit))).
		metrics(
			usd("Card balance", c.Balance),
			usd("Credit limit", c.Limit),
			usd("Available credit", c.Limit-c.Balance),
			plain("Utilization", percent(c.Balance, c.Limit), "%"),
		)
}

func bankOverview(q question) reply {
	b := q.p.Banking
	return say(fmt.Sprintf("You have %s in checking and %s in savings.", money(b.Checking.Balance), money(b.Savings.Balance))).
		metrics(
			usd("Checking", b.Checking.Balance),
			usd("Savings", b.Savings.Balance),
			usd("Mortgage balance", b.Mortgage.Balance),
			plain("Credit score", fmt.Sprint(b.CreditScore), ""),
		).
		timeline("line", "Checking balance, last 6 months", series(b.Checking.History))
}

// series turns persona points into chart points, value for value.
func series(points []persona.Point) []llm.ChartPoint {
	out := make([]llm.ChartPoint, len(points))
	for i, p := range points {
		out[i] = llm.ChartPoint{Label: p.Label, Value: p.Value}
	}
	return out
}

// largest is the point with the highest value (the first of equals).
func largest(points []persona.Point) persona.Point {
	top := points[0]
	for _, p := range points[1:] {
		if p.Value > top.Value {
			top = p
		}
	}
	return top
}

func total(points []persona.Point) float64 {
	sum := 0.0
	for _, p := range points {
		sum += p.Value
	}
	return sum
}
