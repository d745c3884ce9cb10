package persona

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/brianvoe/gofakeit/v7"

	"presto/internal/modes"
)

// coinsurance is the member's share of covered costs once the deductible is met.
const coinsurance = 0.20

type plan struct {
	name                  string
	deductible, oopLimits float64
}

func plans() []plan {
	return []plan{
		{"Platinum PPO 500", 500, 4000},
		{"Gold PPO 1500", 1500, 6000},
		{"Silver HMO 3000", 3000, 8000},
		{"Bronze HSA 6000", 6000, 9000},
	}
}

func newHealthcare(f *gofakeit.Faker, ref time.Time, city string) *Healthcare {
	all := plans()
	pl := all[f.IntN(len(all))]
	h := &Healthcare{
		Plan:          pl.name,
		MemberID:      "MBR" + f.Numerify("#########"),
		Appointments:  appointments(f, ref, city),
		Prescriptions: prescriptions(f, ref),
	}
	h.ClaimsByCategory = claimsByCategory(f, ref, h.Prescriptions)
	var total cents
	for _, p := range h.ClaimsByCategory {
		total += toCents(p.Value)
	}
	// The member pays the deductible first, then the coinsurance share, up to the yearly maximum.
	ded := min(toCents(pl.deductible), total)
	oop := min(toCents(pl.oopLimits), ded+cents(float64(total-ded)*coinsurance))
	h.Deductible = Progress{Used: ded.dollars(), Limit: pl.deductible}
	h.OutOfPocket = Progress{Used: oop.dollars(), Limit: pl.oopLimits}
	return h
}

// appointments makes 2-4 upcoming visits on distinct days in the next two months, soonest first.
func appointments(f *gofakeit.Faker, ref time.Time, city string) []Appointment {
	specialties := []string{"Primary care", "Cardiology", "Dermatology", "Physical therapy", "Ophthalmology", "Orthopedics", "Endocrinology"}
	places := []string{city + " Medical Center, Building A", city + " Family Clinic", "Riverside Specialty Center", "Northside Health Pavilion"}
	days := f.IntRange(2, 4)
	offsets := map[int]bool{}
	for len(offsets) < days {
		offsets[f.IntRange(2, 60)] = true
	}
	sorted := make([]int, 0, days)
	for d := range offsets {
		sorted = append(sorted, d)
	}
	slices.Sort(sorted)
	out := make([]Appointment, len(sorted))
	for i, d := range sorted {
		out[i] = Appointment{
			Date:      day(ref.AddDate(0, 0, d)),
			Time:      fmt.Sprintf("%02d:%02d", f.IntRange(8, 16), 30*f.IntN(2)),
			Doctor:    "Dr. " + f.FirstName() + " " + f.LastName(),
			Specialty: specialties[f.IntN(len(specialties))],
			Location:  places[f.IntN(len(places))],
		}
	}
	return out
}

// prescriptions picks 2-4 distinct common generic medications.
func prescriptions(f *gofakeit.Faker, ref time.Time) []Prescription {
	meds := [][2]string{
		{"Lisinopril", "10 mg once daily"}, {"Atorvastatin", "20 mg once daily"},
		{"Metformin", "500 mg twice daily"}, {"Levothyroxine", "50 mcg once daily"},
		{"Amlodipine", "5 mg once daily"}, {"Sertraline", "50 mg once daily"},
		{"Omeprazole", "20 mg once daily"}, {"Albuterol inhaler", "2 puffs as needed"},
	}
	f.ShuffleAnySlice(meds)
	out := make([]Prescription, f.IntRange(2, 4))
	for i := range out {
		out[i] = Prescription{
			Name:        meds[i][0],
			Dosage:      meds[i][1],
			RefillsLeft: f.IntRange(0, 5),
			NextRefill:  day(ref.AddDate(0, 0, f.IntRange(1, 30))),
			MonthlyCost: round2(f.Float64Range(4, 45)),
		}
	}
	return out
}

// claimsByCategory is this year's billed care per category, largest first. Pharmacy is exactly
// the prescriptions' monthly costs times the months of the year so far.
func claimsByCategory(f *gofakeit.Faker, ref time.Time, rx []Prescription) []Point {
	var pharmacy cents
	for _, p := range rx {
		pharmacy += toCents(p.MonthlyCost)
	}
	pharmacy *= cents(ref.Month())
	pts := []Point{
		{Label: "Primary care", Value: round2(f.Float64Range(150, 900))},
		{Label: "Specialists", Value: round2(f.Float64Range(200, 2600))},
		{Label: "Lab & imaging", Value: round2(f.Float64Range(80, 1800))},
		{Label: "Pharmacy", Value: pharmacy.dollars()},
	}
	if f.IntN(2) == 0 {
		pts = append(pts, Point{Label: "Urgent care", Value: round2(f.Float64Range(150, 600))})
	}
	slices.SortStableFunc(pts, func(a, b Point) int { return cmp.Compare(b.Value, a.Value) })
	return pts
}

func healthcareSummary(h *Healthcare) []modes.Metric {
	next := "none"
	if len(h.Appointments) > 0 {
		next = h.Appointments[0].Date
	}
	return []modes.Metric{
		{Label: "Deductible used", Value: Money(h.Deductible.Used), Unit: "of " + Money(h.Deductible.Limit)},
		{Label: "Out-of-pocket used", Value: Money(h.OutOfPocket.Used), Unit: "of " + Money(h.OutOfPocket.Limit)},
		{Label: "Next appointment", Value: next},
		{Label: "Active prescriptions", Value: fmt.Sprint(len(h.Prescriptions))},
	}
}
