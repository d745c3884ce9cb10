package persona

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// cents is an amount in whole cents. Generators add and split money in cents so that totals agree
// to the cent with their parts; Persona fields hold dollars (two decimals) as the contract says.
type cents int64

func (c cents) dollars() float64 { return float64(c) / 100 }

// toCents rounds a dollar amount to whole cents.
func toCents(v float64) cents { return cents(math.Round(v * 100)) }

// round2 rounds to two decimals.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Money formats dollars the way the UI and the prompt show them: "$4,218.37", "-$84.12". The
// persona's summary, Describe and the offline assistant all use it, so the same amount reads the
// same everywhere.
func Money(v float64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	whole, frac, _ := strings.Cut(s, ".")
	return sign + "$" + groupThousands(whole) + "." + frac
}

// Number formats a whole number with thousands separators: "12,450".
func Number(n int) string {
	if n < 0 {
		return "-" + groupThousands(strconv.Itoa(-n))
	}
	return groupThousands(strconv.Itoa(n))
}

func groupThousands(digits string) string {
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// num formats a series value for the prompt: plain, two decimals, ready to be a chart value.
func num(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

const dateLayout = "2006-01-02"

func day(t time.Time) string { return t.Format(dateLayout) }

// monthLabels returns the short names of the n months ending with ref's month, oldest first.
func monthLabels(ref time.Time, n int) []string {
	first := time.Date(ref.Year(), ref.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]string, n)
	for i := range n {
		out[i] = first.AddDate(0, i-n+1, 0).Format("Jan")
	}
	return out
}

// pct formats a percentage with up to three decimals and no trailing zeros: "6.125%", "4.1%".
func pct(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".") + "%"
}
