package storetest

import (
	"reflect"
	"testing"

	"presto/internal/modes"
	"presto/internal/store"
)

// sampleMode is a generated mode with every field set, so a round trip that drops one shows.
func sampleMode(id, company string) modes.Mode {
	return modes.Mode{
		ID:          id,
		Name:        "Pet Store",
		CompanyName: company,
		Tagline:     "Everything for \"good\" pets",
		Theme: modes.Theme{
			Primary: "#7C3AED", Secondary: "#A78BFA", Background: "#FAFAFF",
			Surface: "#FFFFFF", Text: "#1F1B2E", TextMuted: "#5B5670",
		},
		Tabs: []modes.Tab{
			{ID: "dashboard", Label: "Dashboard", Icon: "dashboard"},
			{ID: "orders", Label: "Orders", Icon: "package"},
			{ID: "pets", Label: "Pets", Icon: "paw"},
			{ID: "settings", Label: "Settings", Icon: "settings"},
		},
		DefaultMetrics: []modes.Metric{
			{Label: "Orders", Value: "12", Unit: ""},
			{Label: "Spend", Value: "340.50", Unit: "$"},
			{Label: "Points", Value: "1,200", Unit: "pts"},
			{Label: "Next visit", Value: "3", Unit: "days"},
		},
		WelcomeMessage:  "Welcome to " + company + "!",
		BackgroundImage: "/images/" + id + ".png",
		Persona:         "generic",
		Prompt:          "You are a cheerful pet store assistant.",
		Traits:          []string{"cheerful", "concise", "helpful"},
	}
}

func testModes(t *testing.T, s store.Store) {
	ctx := t.Context()
	want := []modes.Mode{
		sampleMode("pet-store", "Paws & Claws"),
		sampleMode("airline", "Sky High"),
		sampleMode("bakery", "Crumbs"),
	}
	// Ids are deliberately not in alphabetical order: the list follows creation.
	for _, m := range want {
		if err := s.SaveMode(ctx, m); err != nil {
			t.Fatalf("SaveMode %s: %v", m.ID, err)
		}
	}
	got, err := s.GetMode(ctx, "airline")
	if err != nil {
		t.Fatalf("GetMode: %v", err)
	}
	if !reflect.DeepEqual(got, want[1]) {
		t.Errorf("GetMode changed the mode:\n got %+v\nwant %+v", got, want[1])
	}
	list, err := s.ListModes(ctx)
	if err != nil {
		t.Fatalf("ListModes: %v", err)
	}
	if !reflect.DeepEqual(list, want) {
		t.Errorf("ListModes = %v, want %v (oldest first)", ids(list), ids(want))
	}
}

func testModeReplace(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, id := range []string{"first", "second", "third"} {
		if err := s.SaveMode(ctx, sampleMode(id, id+" Co")); err != nil {
			t.Fatalf("SaveMode %s: %v", id, err)
		}
	}
	changed := sampleMode("first", "Renamed Co")
	changed.Tabs = changed.Tabs[:2]
	changed.Traits = nil
	if err := s.SaveMode(ctx, changed); err != nil {
		t.Fatalf("SaveMode replace: %v", err)
	}
	got, err := s.GetMode(ctx, "first")
	if err != nil {
		t.Fatalf("GetMode: %v", err)
	}
	if !reflect.DeepEqual(got, changed) {
		t.Errorf("GetMode after replace:\n got %+v\nwant %+v", got, changed)
	}
	list, err := s.ListModes(ctx)
	if err != nil {
		t.Fatalf("ListModes: %v", err)
	}
	if want := []string{"first", "second", "third"}; !reflect.DeepEqual(ids(list), want) {
		t.Fatalf("ListModes = %v, want %v: a replace keeps the creation order", ids(list), want)
	}
	if list[0].CompanyName != "Renamed Co" {
		t.Errorf("ListModes shows %q, want the replaced mode", list[0].CompanyName)
	}
}

func ids(ms []modes.Mode) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}
