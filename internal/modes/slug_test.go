package modes

import (
	"regexp"
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Pet Store", "pet-store"},
		{"  Paws & Claws!! ", "paws-and-claws"},
		{"Café Crème", "cafe-creme"},
		{"AIRLINE", "airline"},
		{"real_estate--agency", "real-estate-agency"},
		{"24/7 Fitness", "24-7-fitness"},
		{"日本語", ""},
		{"", ""},
		{"---", ""},
		{"Über Straße", "uber-strasse"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Slug(tt.in); got != tt.want {
				t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSlugIsBoundedAndWellFormed(t *testing.T) {
	form := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	inputs := []string{
		strings.Repeat("word ", 30),
		strings.Repeat("x", 100),
		"The International Brotherhood of Extremely Long Industry Names",
		"a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f",
	}
	for _, in := range inputs {
		got := Slug(in)
		if len(got) > MaxSlugLen || !form.MatchString(got) {
			t.Errorf("Slug(%q) = %q: want <= %d chars of the form %s", in, got, MaxSlugLen, form)
		}
	}
	if got := Slug("The International Brotherhood of Extremely Long Industry Names"); strings.HasSuffix(got, "-indu") {
		t.Errorf("Slug cut a word in half: %q", got)
	}
}
