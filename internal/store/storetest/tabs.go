package storetest

import (
	"encoding/json"
	"reflect"
	"testing"

	"presto/internal/store"
)

func testTabContent(t *testing.T, s store.Store) {
	ctx := t.Context()
	first := json.RawMessage(`{"tool_results":[{"tool":"show_chart","result":{"chart_type":"bar","title":"Loans","data":[{"label":"Car","value":12000.5}]}}]}`)
	second := json.RawMessage(`{"tool_results":[{"tool":"show_metrics","result":{"metrics":[{"label":"Rate","value":"4.1","unit":"%"}]}}]}`)
	other := json.RawMessage(`{"tool_results":[]}`)

	steps := []struct {
		name      string
		mode, tab string
		content   json.RawMessage
		wantByKey map[[2]string]json.RawMessage
	}{
		{"first write", "bank", "loans", first, map[[2]string]json.RawMessage{{"bank", "loans"}: first}},
		{"other tab is separate", "bank", "cards", other, map[[2]string]json.RawMessage{
			{"bank", "loans"}: first, {"bank", "cards"}: other}},
		{"same tab id in another mode is separate", "pets", "loans", other, map[[2]string]json.RawMessage{
			{"bank", "loans"}: first, {"pets", "loans"}: other}},
		{"overwrite", "bank", "loans", second, map[[2]string]json.RawMessage{
			{"bank", "loans"}: second, {"bank", "cards"}: other, {"pets", "loans"}: other}},
	}
	for _, st := range steps {
		if err := s.SaveTabContent(ctx, st.mode, st.tab, st.content); err != nil {
			t.Fatalf("%s: SaveTabContent: %v", st.name, err)
		}
		for key, want := range st.wantByKey {
			got, err := s.GetTabContent(ctx, key[0], key[1])
			if err != nil {
				t.Fatalf("%s: GetTabContent %v: %v", st.name, key, err)
			}
			if !sameJSON(t, got, want) {
				t.Errorf("%s: GetTabContent %v = %s, want %s", st.name, key, got, want)
			}
		}
	}
}

// sameJSON compares two JSON documents by value: an engine may store JSON in a normalised form
// (PostgreSQL's jsonb drops whitespace and reorders keys), which is fine for a cache.
func sameJSON(t *testing.T, got, want json.RawMessage) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("stored content is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("expected content is not JSON: %v", err)
	}
	return reflect.DeepEqual(g, w)
}
