package persona

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"
	"unicode"

	"github.com/brianvoe/gofakeit/v7"

	"presto/internal/modes"
)

// referenceDate and referenceSpanDays place every persona's "today" between 2026-06-01 and
// 2026-10-31. Dates are relative to this fixed, seed-derived reference date and never to
// time.Now(): a persona is a pure function of (session id, mode id), identical after a restart on
// another day and on every replica, and the chat cache key can include it safely. The price is
// that a demo run in 2027 shows 2026 dates; a demo persona does not need to track the calendar.
const referenceSpanDays = 153

// referenceDate is the persona's fixed "today" for a seed.
func referenceDate(seed uint64) time.Time {
	start := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	return start.AddDate(0, 0, int(seed%referenceSpanDays))
}

// New makes the persona for one session in one mode. The same (sessionID, mode id) always gives a
// deep-equal persona; the kind of data follows m.Persona ("banking", "insurance", "healthcare",
// anything else generic; the home mode is always generic). All randomness comes from one
// gofakeit faker seeded from a hash of both ids.
func New(sessionID string, m modes.Mode) Persona {
	seed := seedOf(sessionID, m.ID)
	f := gofakeit.New(seed)
	ref := referenceDate(seed)

	first, last := f.FirstName(), f.LastName()
	p := Persona{
		Name:        first + " " + last,
		Email:       emailOf(first, last, f),
		Phone:       phoneOf(f),
		City:        f.City(),
		MemberSince: ref.Year() - f.IntRange(1, 15),
	}
	switch kindOf(m) {
	case KindBanking:
		p.Banking = newBanking(f, ref)
		p.Summary = bankingSummary(p.Banking)
	case KindInsurance:
		p.Insurance = newInsurance(f, ref, p.City)
		p.Summary = insuranceSummary(p.Insurance)
	case KindHealthcare:
		p.Healthcare = newHealthcare(f, ref, p.City)
		p.Summary = healthcareSummary(p.Healthcare)
	default:
		p.Generic = newGeneric(f, ref)
		p.Summary = genericSummary(p.Generic)
	}
	return p
}

// The persona kinds, as a mode's Persona field names them.
const (
	KindBanking    = "banking"
	KindInsurance  = "insurance"
	KindHealthcare = "healthcare"
	KindGeneric    = "generic"
)

// Kind reports which of the persona's data sets is filled: one of the Kind constants.
func (p Persona) Kind() string {
	switch {
	case p.Banking != nil:
		return KindBanking
	case p.Insurance != nil:
		return KindInsurance
	case p.Healthcare != nil:
		return KindHealthcare
	default:
		return KindGeneric
	}
}

func kindOf(m modes.Mode) string {
	if m.ID == modes.HomeID {
		return KindGeneric
	}
	switch m.Persona {
	case KindBanking, KindInsurance, KindHealthcare:
		return m.Persona
	default:
		return KindGeneric
	}
}

// seedOf hashes both ids with a separator, so ("ab", "c") and ("a", "bc") differ.
func seedOf(sessionID, modeID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(sessionID))
	h.Write([]byte{0})
	h.Write([]byte(modeID))
	return h.Sum64()
}

// emailOf builds an address from the persona's own name on a reserved example domain, so it
// matches the name and can never reach a real mailbox.
func emailOf(first, last string, f *gofakeit.Faker) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r < unicode.MaxASCII && unicode.IsLetter(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	domains := []string{"example.com", "example.net", "example.org"}
	return clean(first) + "." + clean(last) + "@" + domains[f.IntN(len(domains))]
}

// phoneOf uses the 555-01XX range, which is reserved for fiction in North America.
func phoneOf(f *gofakeit.Faker) string {
	return fmt.Sprintf("(%d) 555-01%02d", f.IntRange(201, 989), f.IntN(100))
}
