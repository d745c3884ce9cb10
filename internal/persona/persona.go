// Package persona makes the seeded customer a mode is demonstrated with. A persona is a pure
// function of (session id, mode): the same numbers after a reload, a restart or on another replica.
package persona

import "presto/internal/modes"

// Persona is one customer. Exactly one of Banking, Insurance, Healthcare or Generic is set, chosen
// by the mode's persona kind. Every amount is in dollars (float64, two decimals); every date is
// "YYYY-MM-DD"; every series is oldest first.
type Persona struct {
	Name        string `json:"name"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
	City        string `json:"city"`
	MemberSince int    `json:"member_since"` // a year
	// Summary is what the persona card shows: 3-5 label/value pairs taken from the data below.
	Summary []modes.Metric `json:"summary"`

	Banking    *Banking    `json:"banking,omitempty"`
	Insurance  *Insurance  `json:"insurance,omitempty"`
	Healthcare *Healthcare `json:"healthcare,omitempty"`
	Generic    *Generic    `json:"generic,omitempty"`
}

// Point is one point of a time series or one slice of a breakdown.
type Point struct {
	Label string  `json:"label"` // e.g. "Jun" or "2026-06" or a category
	Value float64 `json:"value"`
}

// Banking is a bank customer's accounts.
type Banking struct {
	Checking     Account       `json:"checking"`
	Savings      Account       `json:"savings"`
	Mortgage     Mortgage      `json:"mortgage"`
	CreditScore  int           `json:"credit_score"`
	CreditCard   CreditCard    `json:"credit_card"`
	Transactions []Transaction `json:"transactions"` // newest first, 10-15 of them
	// SpendingByCategory sums the last month's card and checking spending per category.
	SpendingByCategory []Point `json:"spending_by_category"`
}

// Account is a deposit account with its month-end balances over the last 6 months (the last point
// equals Balance).
type Account struct {
	Number  string  `json:"number"` // masked, e.g. "••••4821"
	Balance float64 `json:"balance"`
	APY     float64 `json:"apy"` // percent
	History []Point `json:"history"`
}

// Mortgage is a home loan with its remaining-principal burndown by year until paid off.
type Mortgage struct {
	Principal      float64 `json:"principal"` // original
	Balance        float64 `json:"balance"`   // remaining
	Rate           float64 `json:"rate"`      // percent
	MonthlyPayment float64 `json:"monthly_payment"`
	TermYears      int     `json:"term_years"`
	Burndown       []Point `json:"burndown"` // remaining balance per year, from this year to payoff
}

// CreditCard is a card balance and limit.
type CreditCard struct {
	Balance float64 `json:"balance"`
	Limit   float64 `json:"limit"`
}

// Transaction is one account movement; Amount is negative for money out.
type Transaction struct {
	Date        string  `json:"date"`
	Description string  `json:"description"`
	Category    string  `json:"category"`
	Amount      float64 `json:"amount"`
	Account     string  `json:"account"` // "checking", "savings" or "credit_card"
}

// Insurance is a policyholder's policies and claims.
type Insurance struct {
	Policies []Policy `json:"policies"` // life, auto and home
	Claims   []Claim  `json:"claims"`
	// PremiumHistory is the total monthly premium over the last 6 months.
	PremiumHistory []Point `json:"premium_history"`
}

// Policy is one insurance policy.
type Policy struct {
	Type           string  `json:"type"` // "life", "auto" or "home"
	Number         string  `json:"number"`
	Coverage       float64 `json:"coverage"`
	Deductible     float64 `json:"deductible"`
	MonthlyPremium float64 `json:"monthly_premium"`
	RenewalDate    string  `json:"renewal_date"`
	Details        string  `json:"details"` // e.g. "2022 Subaru Outback" or "3-bed house, Austin"
}

// Claim is one insurance claim.
type Claim struct {
	ID          string  `json:"id"`
	PolicyType  string  `json:"policy_type"`
	Date        string  `json:"date"`
	Description string  `json:"description"`
	Amount      float64 `json:"amount"`
	Status      string  `json:"status"` // "submitted", "in review", "approved", "paid" or "denied"
}

// Healthcare is a health-plan member's plan use, appointments and prescriptions.
type Healthcare struct {
	Plan             string         `json:"plan"`
	MemberID         string         `json:"member_id"`
	Deductible       Progress       `json:"deductible"`
	OutOfPocket      Progress       `json:"out_of_pocket"`
	Appointments     []Appointment  `json:"appointments"` // upcoming, soonest first
	Prescriptions    []Prescription `json:"prescriptions"`
	ClaimsByCategory []Point        `json:"claims_by_category"` // year-to-date spending per category
}

// Progress is an amount used toward a yearly limit.
type Progress struct {
	Used  float64 `json:"used"`
	Limit float64 `json:"limit"`
}

// Appointment is an upcoming visit.
type Appointment struct {
	Date      string `json:"date"`
	Time      string `json:"time"` // "14:30"
	Doctor    string `json:"doctor"`
	Specialty string `json:"specialty"`
	Location  string `json:"location"`
}

// Prescription is an active medication.
type Prescription struct {
	Name        string  `json:"name"`
	Dosage      string  `json:"dosage"`
	RefillsLeft int     `json:"refills_left"`
	NextRefill  string  `json:"next_refill"`
	MonthlyCost float64 `json:"monthly_cost"`
}

// Generic is the persona of a generated mode: an account with the business, a monthly activity
// series and a few named figures the assistant can chart.
type Generic struct {
	AccountID     string  `json:"account_id"`
	Tier          string  `json:"tier"`    // e.g. "Gold"
	Balance       float64 `json:"balance"` // spend or balance with the business this year
	LoyaltyPoints int     `json:"loyalty_points"`
	Activity      []Point `json:"activity"`      // monthly spend over the last 6 months
	Breakdown     []Point `json:"breakdown"`     // spend by category, 3-5 slices
	RecentOrders  []Order `json:"recent_orders"` // newest first
}

// Order is one purchase or booking with a generated business.
type Order struct {
	Date        string  `json:"date"`
	Description string  `json:"description"`
	Amount      float64 `json:"amount"`
	Status      string  `json:"status"`
}
