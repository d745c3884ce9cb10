package modes

import (
	"strings"
	"unicode"
)

// asciiFold spells "&" and the accented Latin letters of Western and Central European names in
// plain ASCII ("é" → "e", "ß" → "ss"), so they survive the slug's ASCII cut. A strings.Replacer
// is safe for concurrent use and never changes after this line.
var asciiFold = strings.NewReplacer("&", " and ", "ß", "ss", "æ", "ae", "Æ", "AE", "ø", "o", "Ø", "O",
	"œ", "oe", "Œ", "OE", "ł", "l", "Ł", "L", "đ", "d", "Đ", "D",
	"À", "A", "Á", "A", "Â", "A", "Ã", "A", "Ä", "A", "Å", "A", "Ç", "C", "È", "E", "É", "E",
	"Ê", "E", "Ë", "E", "Ì", "I", "Í", "I", "Î", "I", "Ï", "I", "Ñ", "N", "Ò", "O", "Ó", "O",
	"Ô", "O", "Õ", "O", "Ö", "O", "Ù", "U", "Ú", "U", "Û", "U", "Ü", "U", "Ý", "Y", "à", "a",
	"á", "a", "â", "a", "ã", "a", "ä", "a", "å", "a", "ç", "c", "è", "e", "é", "e", "ê", "e",
	"ë", "e", "ì", "i", "í", "i", "î", "i", "ï", "i", "ñ", "n", "ò", "o", "ó", "o", "ô", "o",
	"õ", "o", "ö", "o", "ù", "u", "ú", "u", "û", "u", "ü", "u", "ý", "y", "ÿ", "y", "Ā", "A",
	"ā", "a", "Ă", "A", "ă", "a", "Ą", "A", "ą", "a", "Ć", "C", "ć", "c", "Ĉ", "C", "ĉ", "c",
	"Ċ", "C", "ċ", "c", "Č", "C", "č", "c", "Ď", "D", "ď", "d", "Ē", "E", "ē", "e", "Ĕ", "E",
	"ĕ", "e", "Ė", "E", "ė", "e", "Ę", "E", "ę", "e", "Ě", "E", "ě", "e", "Ĝ", "G", "ĝ", "g",
	"Ğ", "G", "ğ", "g", "Ġ", "G", "ġ", "g", "Ģ", "G", "ģ", "g", "Ĥ", "H", "ĥ", "h", "Ĩ", "I",
	"ĩ", "i", "Ī", "I", "ī", "i", "Ĭ", "I", "ĭ", "i", "Į", "I", "į", "i", "İ", "I", "Ĵ", "J",
	"ĵ", "j", "Ķ", "K", "ķ", "k", "Ĺ", "L", "ĺ", "l", "Ļ", "L", "ļ", "l", "Ľ", "L", "ľ", "l",
	"Ń", "N", "ń", "n", "Ņ", "N", "ņ", "n", "Ň", "N", "ň", "n", "Ō", "O", "ō", "o", "Ŏ", "O",
	"ŏ", "o", "Ő", "O", "ő", "o", "Ŕ", "R", "ŕ", "r", "Ŗ", "R", "ŗ", "r", "Ř", "R", "ř", "r",
	"Ś", "S", "ś", "s", "Ŝ", "S", "ŝ", "s", "Ş", "S", "ş", "s", "Š", "S", "š", "s", "Ţ", "T",
	"ţ", "t", "Ť", "T", "ť", "t", "Ũ", "U", "ũ", "u", "Ū", "U", "ū", "u", "Ŭ", "U", "ŭ", "u",
	"Ů", "U", "ů", "u", "Ű", "U", "ű", "u", "Ų", "U", "ų", "u", "Ŵ", "W", "ŵ", "w", "Ŷ", "Y",
	"ŷ", "y", "Ÿ", "Y", "Ź", "Z", "ź", "z", "Ż", "Z", "ż", "z", "Ž", "Z", "ž", "z",
)

// MaxSlugLen bounds generated mode ids, which travel in URLs, cookies and database keys.
const MaxSlugLen = 40

// Slug turns a name into a mode id: lower-case ASCII letters and digits joined by single dashes,
// at most MaxSlugLen bytes, cut at a word boundary when it can be. Latin accents are folded
// ("Café" → "cafe") and "&" reads as "and"; other scripts are dropped. It returns "" when s holds nothing usable, so the caller picks a
// fallback instead of storing a meaningless id.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range asciiFold.Replace(s) {
		switch {
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
