package modes

import "slices"

// ConfigSchema returns the JSON schema of Config for structured output, named ConfigSchemaName.
// It is compatible with strict mode: every object lists all its properties in required and sets
// additionalProperties to false, and it uses only keywords strict mode accepts (type, enum,
// pattern, minItems, maxItems, description). Lengths, the first and last tab and other rules it
// cannot say are checked by Config.Validate.
func ConfigSchema() map[string]any {
	str := func(desc string) map[string]any { return map[string]any{"type": "string", "description": desc} }
	object := func(props map[string]any) map[string]any {
		return map[string]any{"type": "object", "properties": props, "required": sortedKeys(props), "additionalProperties": false}
	}
	array := func(items map[string]any, lo, hi int, desc string) map[string]any {
		return map[string]any{"type": "array", "items": items, "minItems": lo, "maxItems": hi, "description": desc}
	}
	icons := make([]any, len(IconNames))
	for i, n := range IconNames {
		icons[i] = n
	}
	tab := object(map[string]any{
		"id":    str("short lower-case id, e.g. \"appointments\""),
		"label": str("tab label, one or two words"),
		"icon":  map[string]any{"type": "string", "enum": icons},
	})
	metric := object(map[string]any{
		"label": str("what the number is"),
		"value": str("the display value, e.g. \"1,250\" or \"4.8\""),
		"unit":  str("unit or empty, e.g. \"%\", \"days\""),
	})
	return object(map[string]any{
		"industry_name": str("the industry in a few words, e.g. \"Pet store\""),
		"industry_id":   str("lower-case dashed id of the industry, e.g. \"pet-store\""),
		"company_name":  str("a fictional company name; never \"Presto\""),
		"tagline":       str("a short marketing tagline"),
		"primary_color": map[string]any{"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$", "description": "brand colour as #RRGGBB"},
		"personality_traits": array(str("one adjective or short phrase"), 3, 5,
			"3-5 traits of the assistant's personality"),
		"tabs": array(tab, 4, 5,
			"4-5 bottom navigation tabs; the first has id \"dashboard\", the last has id \"settings\""),
		"default_metrics": array(metric, 4, 4, "exactly 4 headline metrics of the business"),
		"welcome_message": str("one or two sentences greeting the customer"),
		"system_prompt_fragment": str(
			"instructions for the assistant: who it is and what it helps the customer with"),
	})
}

// sortedKeys returns m's keys in order, so the schema (and every request carrying it) is
// byte-for-byte stable.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
