package offline

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"presto/internal/persona"
)

// money formats dollars the way the dashboard, the persona card and the prompt show them:
// "$4,215.37", "-$54.20" (the persona package owns the format).
func money(v float64) string {
	return persona.Money(v)
}

// amount formats dollars for a metric card whose unit names the currency: "4,215.37", "-54.20".
func amount(v float64) string {
	return strings.Replace(persona.Money(v), "$", "", 1)
}

// count formats a whole number with thousands separators: 48210 → "48,210".
func count(n int) string {
	return persona.Number(n)
}

// percent formats a share of a whole, one decimal: 0.4567 → "45.7".
func percent(part, whole float64) string {
	if whole == 0 {
		return "0.0"
	}
	return strconv.FormatFloat(math.Round(part/whole*1000)/10, 'f', 1, 64)
}

// rate formats an interest rate or APY as given in percent: 6.125 → "6.13".
func rate(v float64) string {
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// capitalize upper-cases the first letter, for policy types ("auto" → "Auto").
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// plural says "1 claim", "2 claims", "3 policies".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		noun = noun[:len(noun)-1] + "ie"
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// article is "a" or "an" for the noun phrase, by its first sound as far as spelling tells.
func article(phrase string) string {
	low := strings.ToLower(phrase)
	for _, p := range []string{"uni", "use", "usu", "eu", "one"} {
		if strings.HasPrefix(low, p) {
			return "a"
		}
	}
	for _, p := range []string{"hour", "honest", "honor", "heir"} {
		if strings.HasPrefix(low, p) {
			return "an"
		}
	}
	if low != "" && strings.ContainsRune("aeiou", rune(low[0])) {
		return "an"
	}
	return "a"
}
