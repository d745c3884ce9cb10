package modes

import (
	"strings"
	"unicode"
)

// industryAliases maps a normalised switch_mode "industry" argument to a prebuilt mode id. It is
// an exact-match table, not a keyword search: "health insurance" is a health plan (healthcare),
// not an insurer, and "bank robbery museum" must not become a bank. Anything not listed is a new
// industry and gets a generated mode.
var industryAliases = map[string]string{
	// The neutral home mode, so "go back to Presto" works.
	"presto": HomeID, "presto change o": HomeID, "home": HomeID, "home mode": HomeID, "default": HomeID,
	"start": HomeID,

	"bank": "banking", "banks": "banking", "banking": "banking", "banker": "banking",
	"retail bank": "banking", "retail banking": "banking", "community bank": "banking",
	"online bank": "banking", "commercial bank": "banking", "savings bank": "banking",
	"savings and loan": "banking", "credit union": "banking", "federal credit union": "banking",
	"personal banking": "banking", "wells fargo": "banking", "chase": "banking",
	"chase bank": "banking", "jpmorgan chase": "banking", "jp morgan chase": "banking",
	"bank of america": "banking", "citi": "banking", "citibank": "banking", "us bank": "banking",
	"capital one": "banking", "pnc": "banking", "pnc bank": "banking", "td bank": "banking",
	"truist": "banking", "summit trust": "banking", "summit trust bank": "banking",

	"insurance": "insurance", "insurance company": "insurance", "insurance companies": "insurance",
	"insurer": "insurance", "insurance agency": "insurance", "insurance agent": "insurance",
	"insurance provider": "insurance", "insurance carrier": "insurance",
	"auto insurance": "insurance", "car insurance": "insurance", "home insurance": "insurance",
	"homeowners insurance": "insurance", "life insurance": "insurance",
	"property and casualty insurance": "insurance", "state farm": "insurance",
	"allstate": "insurance", "progressive": "insurance", "geico": "insurance",
	"liberty mutual": "insurance", "nationwide": "insurance", "farmers insurance": "insurance",
	"harborline": "insurance", "harborline mutual": "insurance",

	"healthcare": "healthcare", "health care": "healthcare", "health": "healthcare",
	"hospital": "healthcare", "hospitals": "healthcare", "clinic": "healthcare",
	"medical clinic": "healthcare", "health clinic": "healthcare", "medical": "healthcare",
	"medical center": "healthcare", "health system": "healthcare", "doctors office": "healthcare",
	"doctor office": "healthcare", "doctor": "healthcare", "doctors": "healthcare",
	"health insurance": "healthcare", "health insurer": "healthcare", "health plan": "healthcare",
	"medical insurance": "healthcare", "healthcare provider": "healthcare",
	"kaiser": "healthcare", "kaiser permanente": "healthcare", "unitedhealthcare": "healthcare",
	"united healthcare": "healthcare", "aetna": "healthcare", "cigna": "healthcare",
	"humana": "healthcare", "anthem": "healthcare", "blue cross": "healthcare",
	"blue cross blue shield": "healthcare", "cedarbrook": "healthcare", "cedarbrook health": "healthcare",
}

// leadingFillers are words the model copies from the user's phrasing ("you're a bank", "my credit
// union") that say nothing about the industry.
var leadingFillers = map[string]bool{"a": true, "an": true, "the": true, "my": true, "our": true, "your": true}

// ResolveIndustry maps what switch_mode's industry argument holds ("bank", "my credit union",
// "Wells Fargo", "a hospital") to a prebuilt mode id. Case, punctuation, "&", leading articles and
// possessives ("my", "our") and a trailing "'s" are normalised away first. ok is false for
// anything else: the caller then generates a mode for it.
func ResolveIndustry(industry string) (id string, ok bool) {
	id, ok = industryAliases[normalizeIndustry(industry)]
	return id, ok
}

// normalizeIndustry lower-cases s, turns "&" into "and", drops apostrophes and other punctuation,
// collapses spaces and removes leading filler words.
func normalizeIndustry(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "&", " and "))
	s = strings.NewReplacer("'s ", " ", "’s ", " ", "'", "", "’", "").Replace(s + " ")
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for len(words) > 1 && leadingFillers[words[0]] {
		words = words[1:]
	}
	return strings.Join(words, " ")
}
