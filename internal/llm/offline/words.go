package offline

import (
	"strings"
	"unicode"
)

// normalize lower-cases text for matching and folds the characters people and speech-to-text
// engines use interchangeably: curly apostrophes, typographic dashes, non-breaking spaces.
func normalize(s string) string {
	return strings.ToLower(fold(s))
}

func fold(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u2018', '\u2019', '\u02bc', '`', '\u00b4':
			return '\''
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
			return '-'
		case '\u00a0', '\u2007', '\u202f':
			return ' '
		}
		return r
	}, s)
}

// tokens splits lower-cased text into words for keyword scoring: apostrophes vanish ("what's" →
// "whats") so contractions match one way, and any other non-letter, non-digit separates words.
func tokens(s string) []string {
	s = strings.ReplaceAll(normalize(s), "'", "")
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
