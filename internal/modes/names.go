package modes

import (
	"hash/fnv"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// prestoWord matches the app's own name in the forms people and models write it: "Presto",
// "PRESTO", "Presto-Change-O", "presto change o", "Presto Changeo", "PrestoBank" (glued to a
// following capital) and a possessive. It is removed from generated names because the magic
// words are the command, never the company. StripPresto skips a match that a lower-case letter
// follows, so "Prestonwood" keeps its name.
var prestoWord = regexp.MustCompile(`(?i)\bpresto(?:[\s_\-–—]*change[\s_\-–—]*-?o\b)?(?:'s|’s)?`)

// genericNameWords are words that, left alone after "Presto" is removed, do not make a company
// name ("Presto Inc." leaves "Inc.").
var genericNameWords = map[string]bool{
	"the": true, "a": true, "an": true, "and": true, "of": true, "co": true, "company": true,
	"inc": true, "llc": true, "ltd": true, "corp": true, "corporation": true, "group": true,
}

// StripPresto removes every form of "presto" from a name and tidies what is left (spaces,
// dangling punctuation). "Presto Bank" gives "Bank"; "Presto-Change-O" gives "".
func StripPresto(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range prestoWord.FindAllStringIndex(s, -1) {
		if next, _ := utf8.DecodeRuneInString(s[m[1]:]); unicode.IsLower(next) {
			continue // part of a longer word: "Prestonwood"
		}
		b.WriteString(s[last:m[0]])
		b.WriteByte(' ')
		last = m[1]
	}
	b.WriteString(s[last:])
	s = strings.Join(strings.Fields(b.String()), " ")
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '&' && r != '.' && r != '!' && r != '?'
	})
}

// meaningfulName reports whether a stripped company name still names something: it must have a
// word that is neither generic ("Inc", "Co") nor just the industry ("Bank" for banking), so
// "Presto Bank" does not become a company called "Bank".
func meaningfulName(name, industry string) bool {
	industryWords := strings.FieldsFunc(strings.ToLower(industry), notAlnum)
	for _, w := range strings.FieldsFunc(strings.ToLower(name), notAlnum) {
		if genericNameWords[w] || sharesStem(w, industryWords) {
			continue
		}
		return true
	}
	return false
}

// sharesStem reports whether w and one of words start alike (four letters, or the whole of a
// shorter word of three or more), so "bank" matches "banking" and "pets" matches "pet".
func sharesStem(w string, words []string) bool {
	for _, iw := range words {
		short := min(len(w), len(iw))
		if short >= 3 && commonPrefixLen(w, iw) >= min(4, short) || w == iw {
			return true
		}
	}
	return false
}

func commonPrefixLen(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// namePrefixes start derived company names; fictional-sounding, industry-neutral words.
var namePrefixes = []string{
	"Summit", "Harbor", "Evergreen", "Bluebird", "Cedar", "Lighthouse", "Meridian", "Juniper",
	"Silverline", "Oakridge", "Northstar", "Brightwater", "Copperfield", "Willow", "Keystone",
}

// DeriveCompanyName makes a plausible fictional company name from an industry when the model's
// or user's name was nothing but "Presto": "pet store" gives e.g. "Juniper Pet Store". The choice
// is a hash of the industry, so the same industry always gets the same name.
func DeriveCompanyName(industry string) string {
	industry = strings.TrimSpace(StripPresto(industry))
	if industry == "" {
		industry = "Company"
	}
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(industry)))
	return namePrefixes[h.Sum32()%uint32(len(namePrefixes))] + " " + TitleCase(industry)
}

// TitleCase upper-cases the first letter of each word and keeps the rest as written, so acronyms
// ("IT services") survive.
func TitleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}
