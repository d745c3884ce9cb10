package offline

import (
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"unicode"

	"presto/internal/modes"
)

// modeConfigSchema is the one structured-output schema the offline assistant fills.
const modeConfigSchema = modes.ConfigSchemaName

// buildModeConfig invents a mode for industry. The same input always gives the same config: every
// choice is a hash of the industry.
func buildModeConfig(industry, company string) (modes.Config, error) {
	industry, company = strings.TrimSpace(industry), strings.TrimSpace(company)
	if industry == "" {
		return modes.Config{}, errors.New("mode request: the industry is empty")
	}
	clean := clip(modes.StripPresto(industry), maxNameRunes)
	if clean == "" {
		clean = "Business"
	}
	seed := hash(strings.ToLower(clean))
	p, known := profileFor(clean)
	if company == "" || modes.StripPresto(company) == "" {
		company = inventName(clean, p, known, seed)
	}
	name := modes.TitleCase(clean)
	traits := pickTraits(p, seed)
	return modes.Config{
		IndustryName:      name,
		IndustryID:        industryID(clean),
		CompanyName:       company,
		Tagline:           tagline(clean, p, seed),
		PrimaryColor:      primaryColor(p, seed),
		PersonalityTraits: traits,
		Tabs: append(append([]modes.ConfigTab{tab("dashboard", "Dashboard", "dashboard")}, p.tabs...),
			tab("settings", "Settings", "settings")),
		DefaultMetrics: slices.Clone(p.metrics),
		WelcomeMessage: fmt.Sprintf("Welcome to %s! I can show you your %s. What would you like to see?", company, p.focusing),
		SystemPromptFragment: fmt.Sprintf("You are the assistant of %s (%s). Be %s. Help the customer with "+
			"their %s, and show their figures with show_chart and show_metrics.",
			company, name, sentenceList(traits), p.focusing),
	}, nil
}

func profileFor(industry string) (profile, bool) {
	for _, w := range tokens(industry) {
		for _, p := range profiles {
			if slices.Contains(p.keys, w) {
				return p, true
			}
		}
	}
	return fallbackProfile, false
}

// namePrefixes and nameSurnames start invented company names: fictional-sounding and neutral.
var (
	namePrefixes = []string{
		"Bluebird", "Copper Kettle", "Northwind", "Silver Birch", "Lakeshore", "Redwood", "Sunridge",
		"Maple Lane", "Starling", "Blue Harbor", "Granite Peak", "Golden Oak", "Clearwater", "Fox Hollow",
		"Windward", "Highland", "Riverstone", "Amberly",
	}
	nameSurnames = []string{"Hale", "Rowan", "Whitaker", "Ellison", "Marlow", "Okafor", "Brennan", "Castillo", "Lindqvist", "Tanaka"}
)

// inventName makes a company name: a prefix or two partners' names, then a word of the industry's
// trade. An industry written as a proper name ("Acme Rockets") is the company itself.
func inventName(industry string, p profile, known bool, seed uint32) string {
	if !known && properName(industry) && len(industry) <= maxNameRunes {
		return industry
	}
	brand := p.brands[seed%uint32(len(p.brands))]
	if !known {
		brand = modes.TitleCase(lastWords(industry, 3))
	}
	if (seed>>8)%3 == 0 {
		a := nameSurnames[(seed>>12)%uint32(len(nameSurnames))]
		b := nameSurnames[(seed>>16)%uint32(len(nameSurnames))]
		if a != b {
			return strings.TrimSuffix(a+" & "+b+" "+strings.TrimPrefix(brand, "& "), " ")
		}
	}
	return namePrefixes[(seed>>4)%uint32(len(namePrefixes))] + " " + brand
}

// properName reports whether every word starts with a capital letter, as a company's name does
// and an industry typed in a sentence does not.
func properName(s string) bool {
	words := strings.Fields(s)
	for _, w := range words {
		if r := []rune(w)[0]; !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return len(words) > 0
}

// maxNameRunes bounds names the way modes.Config.Validate does.
const maxNameRunes = 60

// clip cuts s to at most n runes, at a word boundary when there is one.
func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut)
}

func lastWords(s string, n int) string {
	words := strings.Fields(s)
	return strings.Join(words[max(0, len(words)-n):], " ")
}

// taglines are the fallback taglines; %s is the industry in lower case.
var taglines = []string{
	"%s you can count on.",
	"%s, made simple.",
	"%s, done right.",
	"%s for the way you live.",
}

// tagline is the profile's, or a template filled with the industry; a proper name keeps its
// capitals ("Acme Rockets, done right.").
func tagline(industry string, p profile, seed uint32) string {
	if p.tagline != "" {
		return p.tagline
	}
	if !properName(industry) {
		industry = strings.ToLower(industry)
	}
	return capitalize(fmt.Sprintf(taglines[(seed>>3)%uint32(len(taglines))], industry))
}

// pickTraits takes the profile's traits, or four of the fallback pool chosen by the seed.
func pickTraits(p profile, seed uint32) []string {
	if len(p.traits) <= 5 {
		return slices.Clone(p.traits)
	}
	out := make([]string, 0, 4)
	for i := 0; len(out) < 4; i++ {
		t := p.traits[(int(seed)+i*3)%len(p.traits)]
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// primaryColor is the profile's colour, or a hue hashed from the industry at a saturation and
// lightness that read well as a brand colour on white.
func primaryColor(p profile, seed uint32) string {
	if p.color != "" {
		return p.color
	}
	return modes.HSLHex(float64(seed%360), 0.62, 0.40)
}

func industryID(industry string) string {
	if id := modes.Slug(strings.ReplaceAll(industry, "'", "")); id != "" {
		return id
	}
	return "business"
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}
