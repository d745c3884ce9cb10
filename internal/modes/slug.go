package modes

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ligatures spells out the letters NFD does not decompose, and "&", so they survive the ASCII cut.
var ligatures = strings.NewReplacer("&", " and ", "ß", "ss", "æ", "ae", "Æ", "AE", "ø", "o", "Ø", "O",
	"œ", "oe", "Œ", "OE", "ł", "l", "Ł", "L", "đ", "d", "Đ", "D")

// MaxSlugLen bounds generated mode ids, which travel in URLs, cookies and database keys.
const MaxSlugLen = 40

// Slug turns a name into a mode id: lower-case ASCII letters and digits joined by single dashes,
// at most MaxSlugLen bytes, cut at a word boundary when it can be. Accents are folded ("Café" →
// "cafe") and "&" reads as "and". It returns "" when s holds nothing usable, so the caller picks a
// fallback instead of storing a meaningless id.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(ligatures.Replace(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining accent left by NFD: drop it and keep the base letter.
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) <= MaxSlugLen {
		return out
	}
	out = out[:MaxSlugLen]
	if i := strings.LastIndexByte(out, '-'); i >= MaxSlugLen/2 {
		out = out[:i]
	}
	return strings.TrimRight(out, "-")
}
