package offline

import (
	"math"
	"strconv"
	"strings"
)

// money formats dollars the way the dashboard and the sentences show them: "$4,215.37", "-$54.20".
func money(v float64) string {
	return moneyWith(v, "$")
}

// amount formats dollars for a metric card whose unit says the currency: "4,215.37".
func amount(v float64) string {
	return moneyWith(v, "")
}

func moneyWith(v float64, symbol string) string {
	sign := ""
	if v < 0 {
		sign = "-"
		v = -v
	}
	cents := int64(math.Round(v * 100))
	return sign + symbol + grouped(cents/100) + "." + pad2(cents%100)
}

// count formats an integer with thousands separators: 48210 → "48,210".
func count(n int) string {
	if n < 0 {
		return "-" + grouped(int64(-n))
	}
	return grouped(int64(n))
}

func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
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
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
