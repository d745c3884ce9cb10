package modes

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// validConfig is a config as a well-behaved model would return it.
func validConfig() Config {
	return Config{
		IndustryName: "Pet store",
		IndustryID:   "pet-store",
		CompanyName:  "Paws & Claws",
		Tagline:      "Everything your pet loves",
		PrimaryColor: "#E07A1F",
		PersonalityTraits: []string{
			"playful", "knowledgeable", "kind",
		},
		Tabs: []ConfigTab{
			{ID: "dashboard", Label: "Dashboard", Icon: "dashboard"},
			{ID: "orders", Label: "Orders", Icon: "package"},
			{ID: "pets", Label: "My Pets", Icon: "paw"},
			{ID: "settings", Label: "Settings", Icon: "settings"},
		},
		DefaultMetrics: []ConfigMetric{
			{Label: "Stores", Value: "42", Unit: ""},
			{Label: "Same-day delivery", Value: "Yes", Unit: ""},
			{Label: "Products", Value: "12,000", Unit: "+"},
			{Label: "Rating", Value: "4.9", Unit: "★"},
		},
		WelcomeMessage:       "Welcome to Paws & Claws! Ask me about your orders or your pets.",
		SystemPromptFragment: "You are the Paws & Claws helper. You know the customer's orders, loyalty points and pets.",
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		change  func(c *Config)
		wantErr string // empty: valid
	}{
		{"valid", func(c *Config) {}, ""},
		{"five tabs", func(c *Config) {
			c.Tabs = slices.Insert(c.Tabs, 1, ConfigTab{ID: "vet", Label: "Vet", Icon: "stethoscope"})
		}, ""},
		{"three tabs", func(c *Config) { c.Tabs = slices.Delete(c.Tabs, 1, 2) }, "tabs has 3"},
		{"six tabs", func(c *Config) {
			c.Tabs = slices.Insert(c.Tabs, 1, ConfigTab{"a", "A", "star"}, ConfigTab{"b", "B", "star"})
		}, "tabs has 6"},
		{"first not dashboard", func(c *Config) { c.Tabs[0].ID = "home" }, "first tab"},
		{"last not settings", func(c *Config) { c.Tabs[3].ID = "help" }, "last tab"},
		{"unknown icon", func(c *Config) { c.Tabs[1].Icon = "rocket" }, "not a known icon"},
		{"repeated tab", func(c *Config) { c.Tabs[2].ID = "orders" }, "repeated"},
		{"empty label", func(c *Config) { c.Tabs[1].Label = " " }, "tabs[1].label"},
		{"three metrics", func(c *Config) { c.DefaultMetrics = c.DefaultMetrics[:3] }, "default_metrics has 3"},
		{"empty metric value", func(c *Config) { c.DefaultMetrics[0].Value = "" }, "default_metrics[0].value"},
		{"two traits", func(c *Config) { c.PersonalityTraits = c.PersonalityTraits[:2] }, "personality_traits has 2"},
		{"six traits", func(c *Config) {
			c.PersonalityTraits = append(c.PersonalityTraits, "a", "b", "c")
		}, "personality_traits has 6"},
		{"short colour", func(c *Config) { c.PrimaryColor = "#FFF" }, "primary_color"},
		{"named colour", func(c *Config) { c.PrimaryColor = "orange" }, "primary_color"},
		{"empty company", func(c *Config) { c.CompanyName = "" }, "company_name is empty"},
		{"empty fragment", func(c *Config) { c.SystemPromptFragment = "\n" }, "system_prompt_fragment is empty"},
		{"long tagline", func(c *Config) { c.Tagline = strings.Repeat("x", 121) }, "tagline is 121"},
		{"long industry", func(c *Config) { c.IndustryName = strings.Repeat("é", 61) }, "industry_name is 61"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestConfigMode(t *testing.T) {
	m, err := validConfig().Mode("")
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "pet-store" || m.Name != "Pet store" || m.CompanyName != "Paws & Claws" {
		t.Errorf("id, name, company = %q, %q, %q", m.ID, m.Name, m.CompanyName)
	}
	if m.Persona != "generic" || m.Prebuilt {
		t.Errorf("persona kind %q, prebuilt %v; want generic, false", m.Persona, m.Prebuilt)
	}
	want, _ := DerivePalette("#E07A1F")
	if m.Theme != want {
		t.Errorf("theme %+v, want DerivePalette's %+v", m.Theme, want)
	}
	if len(m.Tabs) != 4 || m.Tabs[2] != (Tab{ID: "pets", Label: "My Pets", Icon: "paw"}) {
		t.Errorf("tabs %+v", m.Tabs)
	}
	if len(m.DefaultMetrics) != 4 || m.DefaultMetrics[3] != (Metric{"Rating", "4.9", "★"}) {
		t.Errorf("metrics %+v", m.DefaultMetrics)
	}
	for _, part := range []string{"You know the customer's orders", "playful, knowledgeable, kind", AnswerRules} {
		if !strings.Contains(m.Prompt, part) {
			t.Errorf("prompt lacks %q:\n%s", part, m.Prompt)
		}
	}
	if !slices.Equal(m.Traits, []string{"playful", "knowledgeable", "kind"}) {
		t.Errorf("traits %v", m.Traits)
	}
}

func TestConfigModeNames(t *testing.T) {
	tests := []struct {
		name         string
		industry     string
		industryID   string
		company      string
		userCompany  string
		wantCompany  string
		wantIndustry string
		wantID       string
	}{
		{"model name kept", "Pet store", "pet-store", "Paws & Claws", "", "Paws & Claws", "Pet store", "pet-store"},
		{"user name wins", "Pet store", "pet-store", "Paws & Claws", "Furry Friends", "Furry Friends", "Pet store", "pet-store"},
		{"presto bank", "Banking", "banking-2", "Presto Bank", "", DeriveCompanyName("Banking"), "Banking", "banking-2"},
		{"PRESTO alone", "Airline", "airline", "PRESTO", "", DeriveCompanyName("Airline"), "Airline", "airline"},
		{"presto change o", "Airline", "airline", "presto change o Airways", "", DeriveCompanyName("Airline"), "Airline", "airline"},
		{"presto prefix kept meaning", "Airline", "airline", "Presto Skyward Air", "", "Skyward Air", "Airline", "airline"},
		{"user says presto", "Bakery", "bakery", "Crumb & Co", "Presto", "Crumb & Co", "Bakery", "bakery"},
		{"user presto name", "Bakery", "bakery", "Crumb & Co", "Presto Donuts", "Donuts", "Bakery", "bakery"},
		{"presto industry", "Presto-Change-O", "presto", "Skyward Air", "", "Skyward Air", "Business", "business"},
		{"presto in industry", "Presto Airline", "presto-airline", "Skyward Air", "", "Skyward Air", "Airline", "airline"},
		{"id from name", "Real Estate", "!!!", "Keyhouse", "", "Keyhouse", "Real Estate", "real-estate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			c.IndustryName, c.IndustryID, c.CompanyName = tt.industry, tt.industryID, tt.company
			c.WelcomeMessage = "Welcome to " + tt.company + "!"
			m, err := c.Mode(tt.userCompany)
			if err != nil {
				t.Fatal(err)
			}
			if m.CompanyName != tt.wantCompany || m.Name != tt.wantIndustry || m.ID != tt.wantID {
				t.Errorf("company, industry, id = %q, %q, %q; want %q, %q, %q",
					m.CompanyName, m.Name, m.ID, tt.wantCompany, tt.wantIndustry, tt.wantID)
			}
			for field, v := range map[string]string{"company": m.CompanyName, "name": m.Name, "id": m.ID, "welcome": m.WelcomeMessage} {
				if strings.Contains(strings.ToLower(v), "presto") {
					t.Errorf("%s %q still says presto", field, v)
				}
			}
			if !strings.Contains(m.WelcomeMessage, m.CompanyName) {
				t.Errorf("welcome %q does not name %q", m.WelcomeMessage, m.CompanyName)
			}
		})
	}
}

func TestConfigModeRejectsInvalid(t *testing.T) {
	c := validConfig()
	c.Tabs = c.Tabs[:2]
	if _, err := c.Mode(""); err == nil {
		t.Error("Mode() of an invalid config: want an error")
	}
}

func TestConfigSchema(t *testing.T) {
	s := ConfigSchema()
	// The schema must survive a JSON round trip (it is sent as JSON).
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	// Strict mode: every object lists every property as required and forbids others.
	var walk func(path string, node map[string]any)
	objects := 0
	walk = func(path string, node map[string]any) {
		switch node["type"] {
		case "object":
			objects++
			props, _ := node["properties"].(map[string]any)
			req, _ := node["required"].([]any)
			if len(req) != len(props) {
				t.Errorf("%s: %d required of %d properties", path, len(req), len(props))
			}
			for _, r := range req {
				if _, ok := props[r.(string)]; !ok {
					t.Errorf("%s: required %q is not a property", path, r)
				}
			}
			if node["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties is not false", path)
			}
			for k, v := range props {
				walk(path+"."+k, v.(map[string]any))
			}
		case "array":
			walk(path+"[]", node["items"].(map[string]any))
		}
	}
	walk("$", doc)
	if objects != 3 {
		t.Errorf("walked %d objects, want 3 (config, tab, metric)", objects)
	}
	// Every JSON field of Config is a property, and nothing else.
	props := doc["properties"].(map[string]any)
	cfg, _ := json.Marshal(validConfig())
	var fields map[string]any
	_ = json.Unmarshal(cfg, &fields)
	if len(fields) != len(props) {
		t.Errorf("schema has %d properties, Config has %d fields", len(props), len(fields))
	}
	for f := range fields {
		if _, ok := props[f]; !ok {
			t.Errorf("Config field %q is missing from the schema", f)
		}
	}
	icon := props["tabs"].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)["icon"].(map[string]any)
	if len(icon["enum"].([]any)) != len(IconNames) {
		t.Errorf("icon enum has %d names, want %d", len(icon["enum"].([]any)), len(IconNames))
	}
	if props["primary_color"].(map[string]any)["pattern"] != hexColor.String() {
		t.Errorf("primary_color pattern %v, want %s", props["primary_color"], hexColor)
	}
}
