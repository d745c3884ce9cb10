package offline

import (
	"strings"

	"presto/internal/persona"
)

// intent is one question a mode answers offline: the words that point to it, with weights, and
// how to answer it from the persona.
type intent struct {
	name     string
	keywords map[string]int // phrase → weight
	answer   func(q question) reply
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
		if s := score(in.keywords, words); s > topScore {
			top, topScore = in, s
		}
	}
	return top, topScore > 0
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
