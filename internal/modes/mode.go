// Package modes describes the industries the dashboard can become: the neutral home mode, the
// prebuilt Banking, Insurance and Healthcare modes, and modes generated on demand by the LLM.
package modes

// HomeID is the id of the neutral mode every new session starts in.
const HomeID = "presto"

// Mode is everything the UI and the assistant need to become one industry. Its JSON form is the
// contract of PRODUCT.md 5.3 ("a mode, wherever it is sent").
type Mode struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"` // the industry, e.g. "Banking"
	CompanyName     string   `json:"company_name"`
	Tagline         string   `json:"tagline"`
	Theme           Theme    `json:"theme"`
	Tabs            []Tab    `json:"tabs"`
	DefaultMetrics  []Metric `json:"default_metrics"`
	WelcomeMessage  string   `json:"welcome_message"`
	BackgroundImage string   `json:"background_image"` // a /images/ URL, or empty
	Prebuilt        bool     `json:"prebuilt"`
	// Persona says which persona generator fits the mode: "banking", "insurance", "healthcare"
	// or "generic".
	Persona string `json:"persona_kind"`
	// Prompt is the assistant's instructions for this mode (personality, what to show when). It is
	// not secret: a demo's prompt may be shown.
	Prompt string `json:"prompt,omitempty"`
	// Traits are the assistant's personality traits (generated modes).
	Traits []string `json:"traits,omitempty"`
}

// Theme is the palette; each colour is "#RRGGBB". Text and TextMuted meet WCAG AA (4.5:1) on both
// Background and Surface.
type Theme struct {
	Primary    string `json:"primary"`
	Secondary  string `json:"secondary"`
	Background string `json:"background"`
	Surface    string `json:"surface"`
	Text       string `json:"text"`
	TextMuted  string `json:"text_muted"`
}

// Tab is one bottom navigation tab. Icon names one icon of the UI's SVG set (see IconNames).
type Tab struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Icon  string `json:"icon"`
}

// Metric is one dashboard card: a label, a display value and an optional unit.
type Metric struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Unit  string `json:"unit"`
}

// IconNames is the closed set of tab icons the UI draws as SVG. Generated modes are constrained to
// it (the mode_config schema enumerates it), so a tab never shows a missing icon.
var IconNames = []string{
	"dashboard", "home", "wallet", "card", "transfer", "chart", "piggy-bank", "house", "shield",
	"car", "heart", "stethoscope", "calendar", "pill", "document", "claim", "settings", "user",
	"users", "cart", "package", "truck", "plane", "paw", "store", "star", "message", "bell", "map",
	"wrench", "book", "leaf", "bolt", "building", "globe", "clock",
}
