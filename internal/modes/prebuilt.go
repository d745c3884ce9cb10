package modes

// Prebuilt returns the modes that ship with the app, home first. Each call builds fresh values, so
// a caller may change what it gets without touching anyone else's copy.
func Prebuilt() []Mode {
	return []Mode{Home(), Banking(), Insurance(), Healthcare()}
}

// FindPrebuilt returns the prebuilt mode with the given id.
func FindPrebuilt(id string) (Mode, bool) {
	for _, m := range Prebuilt() {
		if m.ID == id {
			return m, true
		}
	}
	return Mode{}, false
}

// Home is the neutral mode every new session starts in: the app's own violet and indigo look,
// inviting the presenter to say the magic words.
func Home() Mode {
	traits := []string{"upbeat", "concise", "a little theatrical"}
	return Mode{
		ID:          HomeID,
		Name:        "Presto-Change-O",
		CompanyName: "Presto-Change-O",
		Tagline:     "Say the word, become any business",
		Theme: Theme{
			Primary: "#5B3FD6", Secondary: "#3F37C9", Background: "#FFFFFF", Surface: "#F7F5FF",
			Text: "#1C1838", TextMuted: "#57536E",
		},
		Tabs: []Tab{
			{ID: "dashboard", Label: "Dashboard", Icon: "dashboard"},
			{ID: "industries", Label: "Industries", Icon: "globe"},
			{ID: "showcase", Label: "Showcase", Icon: "star"},
			{ID: "assistant", Label: "Assistant", Icon: "message"},
			{ID: "settings", Label: "Settings", Icon: "settings"},
		},
		DefaultMetrics: []Metric{
			{Label: "Ready-made industries", Value: "3", Unit: ""},
			{Label: "Industries on demand", Value: "Any", Unit: ""},
			{Label: "Chart types", Value: "4", Unit: ""},
			{Label: "Setup time", Value: "0", Unit: "min"},
		},
		WelcomeMessage: `Welcome to Presto-Change-O! Say "Presto-Change-O, you're a bank" — or an insurer, a hospital, a pet store, any business — and watch this dashboard become it.`,
		Prebuilt:       true,
		Persona:        "generic",
		Traits:         traits,
		Prompt: buildPrompt(
			"You are the Presto-Change-O demo assistant. This app turns into the interface of any business on command; right now it shows its own neutral home screen.",
			traits,
			`Invite the user to say "Presto-Change-O, you're a …" followed by an industry or a company. Explain briefly that the bank, insurance and healthcare modes are ready-made and any other business is generated on the spot. The demo customer's figures below can be charted to show what the dashboard does.`,
		),
	}
}

// Banking is the prebuilt bank, Summit Trust Bank: a deep navy and gold palette in the spirit of
// the big retail banks, without copying any of them.
func Banking() Mode {
	traits := []string{"trustworthy", "precise", "warm"}
	return Mode{
		ID:          "banking",
		Name:        "Banking",
		CompanyName: "Summit Trust Bank",
		Tagline:     "Banking that reaches higher",
		Theme: Theme{
			Primary: "#124A8C", Secondary: "#9A6B12", Background: "#FFFFFF", Surface: "#F3F6FA",
			Text: "#14213D", TextMuted: "#4A5568",
		},
		Tabs: []Tab{
			{ID: "dashboard", Label: "Dashboard", Icon: "dashboard"},
			{ID: "accounts", Label: "Accounts", Icon: "wallet"},
			{ID: "cards", Label: "Cards", Icon: "card"},
			{ID: "loans", Label: "Home Loans", Icon: "house"},
			{ID: "settings", Label: "Settings", Icon: "settings"},
		},
		DefaultMetrics: []Metric{
			{Label: "Branches nationwide", Value: "1,240", Unit: ""},
			{Label: "Fee-free ATMs", Value: "16,000", Unit: "+"},
			{Label: "Mobile app rating", Value: "4.8", Unit: "★"},
			{Label: "Fraud monitoring", Value: "24/7", Unit: ""},
		},
		WelcomeMessage: "Welcome to Summit Trust Bank. Ask me about your balances, recent spending, your credit card or your mortgage.",
		Prebuilt:       true,
		Persona:        "banking",
		Traits:         traits,
		Prompt: buildPrompt(
			"You are Summit Trust Bank's digital banking assistant, talking with one of the bank's customers about their own accounts.",
			traits,
			"You help with checking and savings balances and their history, recent transactions and spending by category, the credit card balance and limit, the credit score, and the mortgage (balance, rate, payment and payoff).",
		),
	}
}

// Insurance is the prebuilt insurer, Harborline Mutual: a bold red with a steady navy, in the
// spirit of the large household insurers.
func Insurance() Mode {
	traits := []string{"reassuring", "clear", "practical"}
	return Mode{
		ID:          "insurance",
		Name:        "Insurance",
		CompanyName: "Harborline Mutual",
		Tagline:     "Steady cover in every weather",
		Theme: Theme{
			Primary: "#C0262D", Secondary: "#1F4E79", Background: "#FFFFFF", Surface: "#FCF5F4",
			Text: "#2B1D1D", TextMuted: "#5E5252",
		},
		Tabs: []Tab{
			{ID: "dashboard", Label: "Dashboard", Icon: "dashboard"},
			{ID: "policies", Label: "Policies", Icon: "shield"},
			{ID: "claims", Label: "Claims", Icon: "claim"},
			{ID: "payments", Label: "Payments", Icon: "wallet"},
			{ID: "settings", Label: "Settings", Icon: "settings"},
		},
		DefaultMetrics: []Metric{
			{Label: "Claims paid last year", Value: "98", Unit: "%"},
			{Label: "Average claim decision", Value: "3", Unit: "days"},
			{Label: "Customer satisfaction", Value: "4.7", Unit: "★"},
			{Label: "Claims line", Value: "24/7", Unit: ""},
		},
		WelcomeMessage: "Welcome to Harborline Mutual. Ask me about your life, auto and home policies, your premiums or how your claims are going.",
		Prebuilt:       true,
		Persona:        "insurance",
		Traits:         traits,
		Prompt: buildPrompt(
			"You are Harborline Mutual's policyholder assistant, talking with one policyholder about their own cover.",
			traits,
			"You help with the life, auto and home policies (coverage, deductibles, premiums, renewal dates), the premium history, and the status and amounts of claims.",
		),
	}
}

// Healthcare is the prebuilt health plan and care network, Cedarbrook Health: a calm teal and
// blue in the spirit of the large integrated health systems.
func Healthcare() Mode {
	traits := []string{"caring", "calm", "plain-spoken"}
	return Mode{
		ID:          "healthcare",
		Name:        "Healthcare",
		CompanyName: "Cedarbrook Health",
		Tagline:     "Care that knows you",
		Theme: Theme{
			Primary: "#0E7481", Secondary: "#2E5AAC", Background: "#FFFFFF", Surface: "#F1F8F8",
			Text: "#10302F", TextMuted: "#4A6260",
		},
		Tabs: []Tab{
			{ID: "dashboard", Label: "Dashboard", Icon: "dashboard"},
			{ID: "appointments", Label: "Appointments", Icon: "calendar"},
			{ID: "prescriptions", Label: "Prescriptions", Icon: "pill"},
			{ID: "benefits", Label: "Benefits", Icon: "heart"},
			{ID: "settings", Label: "Settings", Icon: "settings"},
		},
		DefaultMetrics: []Metric{
			{Label: "Network doctors", Value: "8,500", Unit: "+"},
			{Label: "Same-day visits", Value: "Yes", Unit: ""},
			{Label: "Nurse line", Value: "24/7", Unit: ""},
			{Label: "Video visit wait", Value: "12", Unit: "min"},
		},
		WelcomeMessage: "Welcome to Cedarbrook Health. Ask me about your upcoming appointments, your prescriptions, or how much of your deductible you have used.",
		Prebuilt:       true,
		Persona:        "healthcare",
		Traits:         traits,
		Prompt: buildPrompt(
			"You are Cedarbrook Health's member assistant, talking with one member of the health plan about their own care and coverage. You give no medical diagnosis or advice; for symptoms you suggest booking a visit or calling the nurse line.",
			traits,
			"You help with upcoming appointments, active prescriptions and refills, the deductible and out-of-pocket maximum, and year-to-date claims by category.",
		),
	}
}
