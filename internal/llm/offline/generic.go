package offline

import (
	"fmt"
	"strings"

	"presto/internal/llm"
)

// genericIntents answer in any generated mode: the generic persona has an activity series, a
// breakdown, recent orders and loyalty points. The keywords include the tab labels generated
// modes use ("Bookings", "Rewards", "Usage"), since an industry's words are not known in advance.
var genericIntents = []intent{
	{name: "activity", answer: genActivity, keywords: map[string]int{
		"activity": 3, "spend": 2, "spent": 2, "monthly": 2, "trend": 2, "history": 2,
		"over time": 2, "usage": 2, "bills": 1, "billing": 1, "how much": 1,
	}},
	{name: "breakdown", answer: genBreakdown, breakdown: true, keywords: map[string]int{
		"breakdown": 3, "categor": 3, "split": 2, "by type": 2, "where": 1, "services": 2, "menu": 2,
		"products": 2, "what do i buy": 2,
	}},
	{name: "orders", answer: genOrders, keywords: map[string]int{
		"order": 3, "purchase": 3, "booking": 3, "reservation": 3, "recent": 2, "bought": 2,
		"delivery": 2, "shipment": 2, "trip": 2, "flight": 2, "stay": 2, "appointment": 2, "status": 1,
		"shop": 1, "last": 1,
	}},
	{name: "points", answer: genPoints, keywords: map[string]int{
		"point": 3, "loyalty": 3, "reward": 3, "tier": 3, "miles": 3, "member": 2,
		"perks": 2,
	}},
	{name: "overview", answer: genOverview, keywords: map[string]int{
		"balance": 3, "account": 2, "overview": 3, "summary": 3, "total": 1, "dashboard": 2, "home": 1,
	}},
}

func genActivity(q question) reply {
	g := q.p.Generic
	return say(fmt.Sprintf("You've spent %s with us this year.", money(g.Balance))).
		timeline("line", "Your monthly activity, last 6 months", series(g.Activity))
}

func genBreakdown(q question) reply {
	g := q.p.Generic
	if len(g.Breakdown) == 0 {
		return genActivity(q)
	}
	top := largest(g.Breakdown)
	return say(fmt.Sprintf("Most of your spending goes to %s (%s).", strings.ToLower(top.Label), money(top.Value))).
		chart("pie", "Your spending by category", series(g.Breakdown))
}

func genOrders(q question) reply {
	orders := q.p.Generic.RecentOrders
	if len(orders) == 0 {
		return say("You have no recent orders.")
	}
	latest := orders[0]
	data := make([]llm.ChartPoint, len(orders))
	for i, o := range orders {
		data[i] = llm.ChartPoint{Label: o.Description + " (" + o.Date + ")", Value: o.Amount}
	}
	return say(fmt.Sprintf("Your latest order, %s on %s, was %s and is %s.", latest.Description, latest.Date, money(latest.Amount), strings.ToLower(latest.Status))).
		chart("bar", "Your recent orders", data)
}

func genPoints(q question) reply {
	g := q.p.Generic
	return say(fmt.Sprintf("You have %s loyalty points at %s tier.", count(g.LoyaltyPoints), g.Tier)).
		metrics(
			plain("Loyalty points", count(g.LoyaltyPoints), "pts"),
			plain("Tier", g.Tier, ""),
			usd("Spent this year", g.Balance),
			plain("Account", g.AccountID, ""),
		)
}

func genOverview(q question) reply {
	g := q.p.Generic
	return say(fmt.Sprintf("You've spent %s this year and hold %s points.", money(g.Balance), count(g.LoyaltyPoints))).
		metrics(
			usd("Spent this year", g.Balance),
			plain("Loyalty points", count(g.LoyaltyPoints), "pts"),
			plain("Tier", g.Tier, ""),
			plain("Recent orders", fmt.Sprint(len(g.RecentOrders)), ""),
		).
		timeline("line", "Your monthly activity, last 6 months", series(g.Activity))
}
