package offline

import "presto/internal/modes"

// profile is what the offline assistant knows about a common industry, so its generated mode looks
// made for it: words that recognise it, a brand colour, name endings, middle tabs, traits, metrics
// and a tagline.
type profile struct {
	keys     []string // any of these words in the industry selects the profile
	color    string
	brands   []string // company name endings: "Airways", "Air"
	tabs     []modes.ConfigTab
	traits   []string
	metrics  []modes.ConfigMetric
	tagline  string
	focusing string // what the assistant helps with, for the prompt and the welcome
}

func tab(id, label, icon string) modes.ConfigTab {
	return modes.ConfigTab{ID: id, Label: label, Icon: icon}
}

func metric(label, value, unit string) modes.ConfigMetric {
	return modes.ConfigMetric{Label: label, Value: value, Unit: unit}
}

// profiles are the industries the offline assistant knows; profileFor picks one by the industry's
// first word that is a key, since English puts the telling word first ("coffee shop", "auto
// repair shop").
var profiles = []profile{
	{keys: []string{"airline", "airlines", "airways", "aviation", "flight", "flights"}, color: "#0B5FA5",
		brands: []string{"Airways", "Air", "Airlines"},
		tabs:   []modes.ConfigTab{tab("flights", "Flights", "plane"), tab("trips", "Trips", "calendar"), tab("miles", "Miles", "star")},
		traits: []string{"calm", "punctual", "reassuring", "well-travelled"},
		metrics: []modes.ConfigMetric{metric("Miles balance", "48,210", "mi"), metric("Status", "Gold", ""),
			metric("Upcoming trips", "2", ""), metric("Flights this year", "14", "")},
		tagline: "Closer than you think.", focusing: "flights, trips and miles"},
	{keys: []string{"pet", "pets", "veterinary", "vet", "grooming"}, color: "#E07A1F",
		brands: []string{"Pet Supply", "Pets", "Pet Co."},
		tabs:   []modes.ConfigTab{tab("shop", "Shop", "cart"), tab("pets", "My Pets", "paw"), tab("orders", "Orders", "package")},
		traits: []string{"playful", "caring", "knowledgeable", "upbeat"},
		metrics: []modes.ConfigMetric{metric("Treat points", "1,240", "pts"), metric("Pets", "2", ""),
			metric("Next delivery", "Thu", ""), metric("Spent this year", "612.40", "USD")},
		tagline: "Everything your best friend needs.", focusing: "orders, pets and rewards"},
	{keys: []string{"coffee", "cafe", "café", "espresso", "tea"}, color: "#6F4E37",
		brands: []string{"Coffee", "Roasters", "Coffee Co."},
		tabs:   []modes.ConfigTab{tab("menu", "Menu", "book"), tab("orders", "Orders", "cart"), tab("rewards", "Rewards", "star")},
		traits: []string{"warm", "cheerful", "welcoming", "concise"},
		metrics: []modes.ConfigMetric{metric("Reward stars", "185", "stars"), metric("Favorite drink", "Oat latte", ""),
			metric("Visits this month", "9", ""), metric("Gift card", "23.50", "USD")},
		tagline: "Good mornings, every morning.", focusing: "orders, the menu and rewards"},
	{keys: []string{"hotel", "hotels", "resort", "inn", "motel", "hospitality", "lodging"}, color: "#8C6D1F",
		brands: []string{"Hotels", "Suites", "Resorts"},
		tabs:   []modes.ConfigTab{tab("stays", "Stays", "building"), tab("bookings", "Bookings", "calendar"), tab("rewards", "Rewards", "star")},
		traits: []string{"gracious", "attentive", "polished", "helpful"},
		metrics: []modes.ConfigMetric{metric("Reward nights", "3", ""), metric("Member tier", "Platinum", ""),
			metric("Upcoming stays", "1", ""), metric("Points", "62,400", "pts")},
		tagline: "Stay a little longer.", focusing: "stays, bookings and rewards"},
	{keys: []string{"telecom", "telco", "mobile", "wireless", "phone", "internet", "broadband", "cable"}, color: "#6A1B9A",
		brands: []string{"Mobile", "Wireless", "Telecom"},
		tabs:   []modes.ConfigTab{tab("plan", "Plan", "document"), tab("usage", "Usage", "chart"), tab("billing", "Billing", "wallet")},
		traits: []string{"clear", "efficient", "friendly", "patient"},
		metrics: []modes.ConfigMetric{metric("Data used", "18.4", "GB"), metric("Plan", "Unlimited Plus", ""),
			metric("Next bill", "85.00", "USD"), metric("Lines", "3", "")},
		tagline: "Connected wherever you go.", focusing: "plan, usage and bills"},
	{keys: []string{"energy", "utility", "utilities", "electric", "electricity", "power", "solar", "gas"}, color: "#2E7D32",
		brands: []string{"Energy", "Power", "Electric"},
		tabs:   []modes.ConfigTab{tab("usage", "Usage", "bolt"), tab("bills", "Bills", "document"), tab("savings", "Savings", "leaf")},
		traits: []string{"practical", "transparent", "helpful", "eco-minded"},
		metrics: []modes.ConfigMetric{metric("This month", "642", "kWh"), metric("Current bill", "118.20", "USD"),
			metric("Solar offset", "22", "%"), metric("Vs last year", "-8", "%")},
		tagline: "Power that makes sense.", focusing: "usage, bills and savings"},
	{keys: []string{"restaurant", "bistro", "pizzeria", "pizza", "diner", "bakery", "food", "catering"}, color: "#C0392B",
		brands: []string{"Kitchen", "Eatery", "Table"},
		tabs:   []modes.ConfigTab{tab("menu", "Menu", "book"), tab("reservations", "Reservations", "calendar"), tab("orders", "Orders", "cart")},
		traits: []string{"warm", "enthusiastic", "attentive", "witty"},
		metrics: []modes.ConfigMetric{metric("Loyalty points", "860", "pts"), metric("Next reservation", "Fri 7:30", ""),
			metric("Orders this year", "21", ""), metric("Favorite dish", "Margherita", "")},
		tagline: "Pull up a chair.", focusing: "orders, reservations and the menu"},
	{keys: []string{"retail", "store", "shop", "boutique", "fashion", "clothing", "apparel", "market", "grocery", "supermarket"}, color: "#D6336C",
		brands: []string{"Goods", "Market", "Outfitters"},
		tabs:   []modes.ConfigTab{tab("shop", "Shop", "store"), tab("orders", "Orders", "package"), tab("rewards", "Rewards", "star")},
		traits: []string{"friendly", "stylish", "helpful", "upbeat"},
		metrics: []modes.ConfigMetric{metric("Reward points", "2,350", "pts"), metric("Open orders", "2", ""),
			metric("Saved this year", "148.75", "USD"), metric("Member tier", "Silver", "")},
		tagline: "Find what you love.", focusing: "orders, shopping and rewards"},
	{keys: []string{"gym", "fitness", "yoga", "studio", "sports", "athletic"}, color: "#E4572E",
		brands: []string{"Fitness", "Athletic Club", "Studio"},
		tabs:   []modes.ConfigTab{tab("classes", "Classes", "calendar"), tab("progress", "Progress", "chart"), tab("membership", "Membership", "user")},
		traits: []string{"energetic", "motivating", "positive", "direct"},
		metrics: []modes.ConfigMetric{metric("Workouts this month", "12", ""), metric("Streak", "5", "days"),
			metric("Next class", "Tue 6:00", ""), metric("Membership", "Premium", "")},
		tagline: "Stronger every day.", focusing: "classes, progress and membership"},
	{keys: []string{"school", "university", "college", "education", "academy", "learning", "tutoring"}, color: "#1565C0",
		brands: []string{"Academy", "Institute", "Learning"},
		tabs:   []modes.ConfigTab{tab("courses", "Courses", "book"), tab("schedule", "Schedule", "calendar"), tab("grades", "Grades", "chart")},
		traits: []string{"encouraging", "clear", "patient", "curious"},
		metrics: []modes.ConfigMetric{metric("Courses", "4", ""), metric("GPA", "3.6", ""),
			metric("Credits earned", "72", ""), metric("Tuition due", "1,250.00", "USD")},
		tagline: "Learn without limits.", focusing: "courses, schedule and grades"},
	{keys: []string{"car", "auto", "automotive", "dealership", "garage", "mechanic", "rental"}, color: "#37474F",
		brands: []string{"Motors", "Auto", "Automotive"},
		tabs:   []modes.ConfigTab{tab("vehicles", "Vehicles", "car"), tab("service", "Service", "wrench"), tab("payments", "Payments", "wallet")},
		traits: []string{"straightforward", "reliable", "knowledgeable", "friendly"},
		metrics: []modes.ConfigMetric{metric("Vehicles", "2", ""), metric("Next service", "Aug 14", ""),
			metric("Miles driven", "11,420", "mi"), metric("Loan balance", "8,930.00", "USD")},
		tagline: "Driven by you.", focusing: "vehicles, service and payments"},
	{keys: []string{"travel", "tour", "tours", "cruise", "vacation"}, color: "#00838F",
		brands: []string{"Travel", "Journeys", "Voyages"},
		tabs:   []modes.ConfigTab{tab("trips", "Trips", "map"), tab("bookings", "Bookings", "calendar"), tab("rewards", "Rewards", "star")},
		traits: []string{"adventurous", "organized", "warm", "inspiring"},
		metrics: []modes.ConfigMetric{metric("Upcoming trips", "2", ""), metric("Countries visited", "11", ""),
			metric("Travel credit", "150.00", "USD"), metric("Reward points", "9,800", "pts")},
		tagline: "The world is waiting.", focusing: "trips, bookings and rewards"},
	{keys: []string{"logistics", "shipping", "delivery", "courier", "freight", "moving"}, color: "#5D4037",
		brands: []string{"Logistics", "Freight", "Express"},
		tabs:   []modes.ConfigTab{tab("shipments", "Shipments", "truck"), tab("tracking", "Tracking", "map"), tab("invoices", "Invoices", "document")},
		traits: []string{"precise", "dependable", "efficient", "calm"},
		metrics: []modes.ConfigMetric{metric("In transit", "3", ""), metric("Delivered this month", "27", ""),
			metric("On-time rate", "98.2", "%"), metric("Open invoices", "412.60", "USD")},
		tagline: "Delivered, on time.", focusing: "shipments, tracking and invoices"},
	{keys: []string{"dentist", "dental", "dentists", "orthodontist", "salon", "spa", "barber", "clinic", "therapy"}, color: "#00897B",
		brands: []string{"Care", "Studio", "Associates"},
		tabs:   []modes.ConfigTab{tab("appointments", "Appointments", "calendar"), tab("services", "Services", "star"), tab("billing", "Billing", "wallet")},
		traits: []string{"gentle", "reassuring", "organized", "friendly"},
		metrics: []modes.ConfigMetric{metric("Next visit", "Sep 3", ""), metric("Visits this year", "2", ""),
			metric("Balance due", "45.00", "USD"), metric("Plan", "Family", "")},
		tagline: "Care you can count on.", focusing: "appointments, services and billing"},
	{keys: []string{"law", "legal", "attorney", "attorneys", "lawyer", "accounting", "accountant", "consulting", "tax"}, color: "#283593",
		brands: []string{"& Partners", "Group", "Advisors"},
		tabs:   []modes.ConfigTab{tab("cases", "Cases", "document"), tab("meetings", "Meetings", "calendar"), tab("billing", "Billing", "wallet")},
		traits: []string{"precise", "discreet", "professional", "clear"},
		metrics: []modes.ConfigMetric{metric("Open matters", "2", ""), metric("Next meeting", "Mon 10:00", ""),
			metric("Hours this month", "6.5", "h"), metric("Balance due", "1,800.00", "USD")},
		tagline: "Sound advice, plainly said.", focusing: "cases, meetings and billing"},
	{keys: []string{"real", "estate", "realty", "property", "apartment", "apartments", "rent", "housing"}, color: "#7B1FA2",
		brands: []string{"Realty", "Properties", "Homes"},
		tabs:   []modes.ConfigTab{tab("listings", "Listings", "house"), tab("tours", "Tours", "calendar"), tab("documents", "Documents", "document")},
		traits: []string{"friendly", "knowledgeable", "honest", "responsive"},
		metrics: []modes.ConfigMetric{metric("Saved homes", "7", ""), metric("Tours booked", "2", ""),
			metric("Budget", "450,000", "USD"), metric("Pre-approval", "Yes", "")},
		tagline: "Find the place that fits.", focusing: "listings, tours and documents"},
	{keys: []string{"book", "books", "bookstore", "library", "publisher"}, color: "#8D3B2B",
		brands: []string{"Books", "Booksellers", "Press"},
		tabs:   []modes.ConfigTab{tab("shelf", "My Shelf", "book"), tab("orders", "Orders", "package"), tab("rewards", "Rewards", "star")},
		traits: []string{"curious", "thoughtful", "warm", "witty"},
		metrics: []modes.ConfigMetric{metric("Books this year", "18", ""), metric("Reward points", "740", "pts"),
			metric("On hold", "2", ""), metric("Wishlist", "11", "")},
		tagline: "Your next chapter starts here.", focusing: "your shelf, orders and rewards"},
	{keys: []string{"farm", "garden", "florist", "flower", "flowers", "nursery", "agriculture"}, color: "#558B2F",
		brands: []string{"Gardens", "Farms", "Growers"},
		tabs:   []modes.ConfigTab{tab("shop", "Shop", "leaf"), tab("orders", "Orders", "package"), tab("deliveries", "Deliveries", "truck")},
		traits: []string{"cheerful", "earthy", "helpful", "patient"},
		metrics: []modes.ConfigMetric{metric("Orders this season", "6", ""), metric("Next delivery", "Sat", ""),
			metric("Garden points", "320", "pts"), metric("Spent this year", "284.00", "USD")},
		tagline: "Grown with care.", focusing: "orders, deliveries and the shop"},
	{keys: []string{"streaming", "music", "media", "entertainment", "cinema", "theater", "theatre", "gaming", "games"}, color: "#AD1457",
		brands: []string{"Studios", "Media", "Play"},
		tabs:   []modes.ConfigTab{tab("library", "Library", "star"), tab("activity", "Activity", "chart"), tab("plan", "Plan", "card")},
		traits: []string{"fun", "enthusiastic", "casual", "quick"},
		metrics: []modes.ConfigMetric{metric("Hours this month", "37", "h"), metric("Plan", "Premium", ""),
			metric("Watchlist", "24", ""), metric("Next bill", "15.99", "USD")},
		tagline: "Something good is always on.", focusing: "your library, activity and plan"},
}

// fallbackProfile serves industries no profile knows: the generic persona's account, activity,
// orders and rewards, which fit almost any business.
var fallbackProfile = profile{
	brands: []string{"Co.", "Group", "& Co."},
	tabs:   []modes.ConfigTab{tab("activity", "Activity", "chart"), tab("orders", "Orders", "package"), tab("rewards", "Rewards", "star")},
	traits: []string{"friendly", "efficient", "knowledgeable", "upbeat", "reassuring", "precise", "warm", "curious"},
	metrics: []modes.ConfigMetric{metric("Account balance", "1,284.50", "USD"), metric("Loyalty points", "3,420", "pts"),
		metric("Orders this year", "12", ""), metric("Member tier", "Gold", "")},
	focusing: "activity, orders and rewards",
}
