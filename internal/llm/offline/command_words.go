package offline

import "strings"

// The phrase lists of the command parser. Each phrase is lower case, split into words.

// explicitVerbs ask for a switch on their own, without "presto".
var explicitVerbs = phrases(
	"switch over to", "switch to", "switch into", "change over to", "change to", "change into",
	"turn into", "transform into", "transform to", "morph into", "become",
	"make this app", "make the app", "make this", "make it", "make yourself",
	"pretend to be", "pretend you're", "pretend you are", "act as", "act like",
	"you're now", "you are now", "youre now", "now you're", "now you are", "now youre",
)

// youAre opens "you're a pet store called Paws and Claws".
var youAre = phrases("you're", "you are", "youre")

// leadIns are stripped from the front of a target, repeatedly, longest first within each group.
var leadIns = phrases(
	"i want you to be", "i want you to become", "i'd like you to be", "let's be", "lets be",
	"let's become", "lets become", "pretend to be", "pretend you're", "pretend you are",
	"act as", "act like", "switch over to", "switch to", "switch into", "change over to",
	"change to", "change into", "turn into", "transform into", "transform to", "morph into",
	"make this app", "make the app", "make this", "make it", "make yourself", "become",
	"you're now", "you are now", "youre now", "now you're", "now you are", "now youre",
	"you're", "you are", "youre", "your", "ur", "u r", "we're", "we are", "be", "into", "to",
	"as", "now", "ok", "okay", "so", "hey", "please", "and", "go", "a", "an", "the",
)

var articles = []string{"a", "an", "the"}

// trailers end a target without being part of it.
var trailers = []string{"please", "now", "today", "instead", "thanks", "ok", "okay", "again", "then"}

// possessives open requests about the user's own data ("switch to my savings").
var possessives = []string{"my", "our", "his", "her", "their", "this"}

// questionWords open questions, which are never targets.
var questionWords = []string{
	"what", "whats", "what's", "how", "hows", "how's", "why", "when", "where", "who", "which",
	"can", "could", "do", "does", "did", "is", "are", "show", "tell", "give", "list", "will",
	"would", "should",
}

// uiWords name parts of the app or of a mode's data; "switch to the claims tab" navigates.
var uiWords = []string{
	"tab", "chart", "graph", "view", "page", "screen", "account", "accounts", "balance",
	"savings", "checking", "dark", "light", "voice", "text", "english", "spanish", "french",
	"german", "settings", "me",
}

func phrases(ps ...string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(p)
	}
	return out
}
