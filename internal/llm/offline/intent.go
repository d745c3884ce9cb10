package offline

import (
	"strings"

	"presto/internal/persona"
)

// intent is one question a mode answers offline: the words that point to it, with weights, and
// how to answer it from the persona. A breakdown intent answers with parts of a whole (spending by
// category), so the breakdown cues ("split", "by category", "pie") also count for it.
type intent struct {
	name      string
	keywords  map[string]int // phrase → weight
	answer    func(q question) reply
	breakdown bool
}

// breakdownCues are the words that ask for parts of a whole rather than a trend. They add to the
// score of each table's breakdown intent, so "how much did I spend by category" shows the
// categories even where "spend" alone would pick the monthly series.
var breakdownCues = map[string]int{
	"by category": 3, "per category": 3, "by type": 2, "breakdown": 3, "break down": 3, "split": 3,
	"share": 3, "where does my money go": 3, "where my money goes": 3, "where is my money going": 3,
	"pie": 3, "donut": 3, "doughnut": 3, "proportion": 2,
}

// question is what an answer reads: the persona and the words of the message, for details such as
// which policy the user named.
type question struct {
	p     *persona.Persona
	words []string
}

// mentions reports whether the question names any of the phrases.
func (q question) mentions(phrases ...string) bool {
	for _, ph := range phrases {
		if matchPhrase(q.words, strings.Fields(ph)) {
			return true
		}
	}
	return false
}

// best picks the intent whose keywords weigh most in words; the first of equals wins, so each
// table lists its most common question first. It reports false when nothing matched.
func best(table []intent, words []string) (intent, bool) {
	var top intent
	topScore := 0
	for _, in := range table {
		if s := in.weigh(words); s > topScore {
			top, topScore = in, s
		}
	}
	return top, topScore > 0
}

// weigh is how strongly words point to the intent: its own keywords, plus the breakdown cues for
// a breakdown intent.
func (in intent) weigh(words []string) int {
	s := score(in.keywords, words)
	if in.breakdown {
		s += score(breakdownCues, words)
	}
	return s
}

// score sums the weights of the phrases found in words; each phrase counts once.
func score(keywords map[string]int, words []string) int {
	total := 0
	for phrase, w := range keywords {
		if matchPhrase(words, strings.Fields(phrase)) {
			total += w
		}
	}
	return total
}

// matchPhrase reports whether the phrase's words appear consecutively in words. A keyword word of
// four letters or more also matches longer words it starts ("transaction" finds "transactions",
// "refill" finds "refills"); shorter ones must match exactly so "id" never finds "idea".
func matchPhrase(words, phrase []string) bool {
	if len(phrase) == 0 {
		return false
	}
	for i := 0; i+len(phrase) <= len(words); i++ {
		ok := true
		for j, k := range phrase {
			if !matchWord(words[i+j], k) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func matchWord(word, key string) bool {
	if len(key) >= 4 {
		return strings.HasPrefix(word, key)
	}
	return word == key
}

// intentsFor is the question table of the persona's kind, or nil for none.
func intentsFor(p *persona.Persona) []intent {
	switch {
	case p == nil:
		return nil
	case p.Banking != nil:
		return bankingIntents
	case p.Insurance != nil:
		return insuranceIntents
	case p.Healthcare != nil:
		return healthcareIntents
	case p.Generic != nil:
		return genericIntents
	}
	return nil
}
