package offline

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// prestoWord finds the magic word in any of its usual spellings: "Presto-Change-O", "presto change
// o", "prestochangeo", "presto chango", "presto changeo" or just "presto". It runs on folded text,
// where every dash is "-".
var prestoWord = regexp.MustCompile(`(?i)\bpresto(?:[\s\-_]*chang(?:e(?:[\s\-_]*o)?|o))?\b`)

// clauseEnd ends the part of a message that names the target: a sentence break, or a second request
// joined on ("… and show me my balance").
var clauseEnd = regexp.MustCompile(`(?i)[.!?;,]|\s(?:and\s+)?(?:then|also)\s|\sand\s+(?:show|tell|give|what|how|display|list)\b`)

// leadingInterjections open a plain switch request without being part of it: "Okay, become an
// airline".
var leadingInterjections = regexp.MustCompile(`(?i)^\s*(?:(?:ok|okay|hey|please|alright|so|and)\b[\s,.!:;-]*)+`)

// switchKind says what a message asks about modes.
type switchKind int

const (
	noSwitch  switchKind = iota // an ordinary message
	askTarget                   // the presto command with nothing to become
	switchTo                    // a switch to industry (and company)
)

// command is a parsed mode-switch request.
type command struct {
	kind     switchKind
	industry string // as the user wrote it: "bank", "pet store", "Wells Fargo"
	company  string // only when the user named one
}

// maxCommandBytes is how much of a message the parser reads: a command is a short sentence, and
// reading a pasted essay whole would only cost time.
const maxCommandBytes = 600

// head is s cut to at most n bytes at a rune boundary.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// maxTargetWords bounds an industry or a company name; longer phrases are sentences, not names.
const maxTargetWords = 8

// parseCommand reads the presto command and plain switch requests.
//
// With "presto" anywhere, the words after it (or, when nothing follows, the clause before it) name
// the target, after lead-ins like "you're a" or "transform into an". Without "presto", a message
// switches only when it opens with an explicit verb ("switch to", "become", "turn into", "make this
// a", "you're now", "be a") or says "you're a X called Y"; plain statements like "you're great" or
// requests like "switch to my savings" stay ordinary messages.
func parseCommand(msg string) command {
	text := fold(head(msg, maxCommandBytes))
	if loc := prestoWord.FindStringIndex(text); loc != nil {
		if before := targetWords(lastClause(text[:loc[0]])); len(before) > 0 && isQuestion(lower(before)[0]) {
			return command{kind: noSwitch} // "what does presto do?" asks about the command
		}
		rest := firstClause(text[loc[1]:])
		if rest == "" {
			rest = lastClause(text[:loc[0]])
			if before := lower(targetWords(rest)); len(before) > 0 && slices.Contains([]string{"to", "into"}, before[len(before)-1]) {
				// "switch back to Presto": the home mode is the target.
				return command{kind: switchTo, industry: "presto"}
			}
		}
		words := targetWords(prestoWord.ReplaceAllString(rest, " "))
		if len(words) > 0 && isQuestion(lower(words)[0]) {
			return command{kind: noSwitch}
		}
		if c, ok := readTarget(stripLeadIns(words), false); ok {
			return c
		}
		return command{kind: askTarget}
	}
	words := targetWords(firstClause(leadingInterjections.ReplaceAllString(text, "")))
	rest, explicit := explicitLeadIn(words)
	if !explicit {
		return command{kind: noSwitch}
	}
	c, ok := readTarget(stripLeadIns(rest), true)
	if !ok {
		return command{kind: noSwitch}
	}
	return c
}

// explicitLeadIn reports whether words open with a phrase that asks for a switch without "presto",
// and returns the words after it.
func explicitLeadIn(words []string) ([]string, bool) {
	low := lower(words)
	for _, p := range explicitVerbs {
		if !hasPrefix(low, p) {
			continue
		}
		// "make this a coffee shop" switches; "make this bigger" does not.
		if p[0] == "make" && (len(low) == len(p) || !slices.Contains(articles, low[len(p)])) {
			return nil, false
		}
		return words[len(p):], true
	}
	// "be a bank", "you're a pet store called Paws and Claws": only in these shapes, so that
	// "be careful" or "you're wrong" stay ordinary messages.
	if hasPrefix(low, []string{"be"}) && len(low) > 1 && slices.Contains(articles, low[1]) {
		return words[1:], true
	}
	for _, p := range youAre {
		if hasPrefix(low, p) && (slices.Contains(low, "called") || slices.Contains(low, "named")) {
			return words[len(p):], true
		}
	}
	return nil, false
}

// readTarget splits "pet store called Paws and Claws" into industry and company. strict rejects
// targets that look like a request about the current mode ("my savings", "the claims tab").
func readTarget(words []string, strict bool) (command, bool) {
	low := lower(words)
	if len(words) == 0 || isQuestion(low[0]) || slices.Contains(possessives, low[0]) {
		return command{}, false
	}
	industry, company := words, []string(nil)
	for i, w := range low {
		if w == "called" || w == "named" {
			industry, company = words[:i], words[i+1:]
			break
		}
	}
	industry = trimTrailing(industry, true)
	company = trimTrailing(stripArticle(company), false)
	if strict && (len(industry) > maxTargetWords || len(company) > maxTargetWords || mentionsUI(lower(industry))) {
		return command{}, false
	}
	industry, company = cap8(industry), cap8(company)
	if prestoWord.MatchString(strings.Join(company, " ")) {
		company = nil // "presto" never becomes a company name
	}
	if len(industry) == 0 {
		industry = company
	}
	if len(industry) == 0 {
		return command{}, false
	}
	return command{kind: switchTo, industry: strings.Join(industry, " "), company: strings.Join(company, " ")}, true
}

// stripLeadIns removes the filler before a target: "you're now a", "transform into an", "make this a".
func stripLeadIns(words []string) []string {
	low := lower(words)
	i := 0
	for {
		n := 0
		for _, p := range leadIns {
			if hasPrefix(low[i:], p) {
				n = len(p)
				break
			}
		}
		if n == 0 {
			return words[i:]
		}
		i += n
	}
}

func stripArticle(words []string) []string {
	if len(words) > 0 && slices.Contains(articles, strings.ToLower(words[0])) {
		return words[1:]
	}
	return words
}

// trimTrailing drops politeness and "mode" from the end: "banking mode please" → "banking".
func trimTrailing(words []string, industry bool) []string {
	for len(words) > 0 {
		last := strings.ToLower(words[len(words)-1])
		if !slices.Contains(trailers, last) && !(industry && last == "mode" && len(words) > 1) {
			return words
		}
		words = words[:len(words)-1]
	}
	return words
}

func cap8(words []string) []string {
	if len(words) > maxTargetWords {
		return words[:maxTargetWords]
	}
	return words
}

// mentionsUI reports words that name parts of the app or the current mode's data, which a plain
// "switch to …" means to navigate, not to become.
func mentionsUI(low []string) bool {
	for _, w := range low {
		if slices.Contains(uiWords, w) {
			return true
		}
	}
	return false
}

// firstClause is the text up to the first sentence break, without leading separators.
func firstClause(s string) string {
	s = strings.TrimLeft(s, " \t\n,.!?:;-–—\"'")
	if loc := clauseEnd.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	return strings.TrimSpace(s)
}

// lastClause is the text after the last sentence break: "Be a hospital, presto!" → "Be a hospital".
func lastClause(s string) string {
	s = strings.TrimRight(s, " \t\n,.!?:;-\"'")
	if i := strings.LastIndexAny(s, ".!?;,"); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}

// targetWords splits on spaces and trims quotes and punctuation around each word, keeping the
// inside ("dentist's", "&", "AT&T") and the user's capitals.
func targetWords(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		w := strings.Trim(f, "\"'“”()[]{}<>*_.,!?;:-")
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

func lower(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.ToLower(w)
	}
	return out
}

func hasPrefix(words, prefix []string) bool {
	return len(words) >= len(prefix) && slices.Equal(words[:len(prefix)], prefix)
}

func isQuestion(w string) bool {
	return slices.Contains(questionWords, w)
}
