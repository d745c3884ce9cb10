package modes

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestContrastRatio(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want float64
	}{
		{"black on white", "#000000", "#FFFFFF", 21},
		{"order does not matter", "#FFFFFF", "#000000", 21},
		{"same colour", "#777777", "#777777", 1},
		// Known value: #767676 is the lightest grey that passes AA on white (4.54:1).
		{"AA grey", "#767676", "#ffffff", 4.54},
		{"malformed", "#FFF", "#000000", 0},
		{"not hex", "#GGGGGG", "#000000", 0},
		{"no hash", "FFFFFF0", "#000000", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ContrastRatio(tt.a, tt.b)
			if math.Abs(got-tt.want) > 0.01 {
				t.Errorf("ContrastRatio(%q, %q) = %.3f, want %.2f", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestHSLRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 2000 {
		c := rgb{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256))}
		if got := c.toHSL().toRGB(); got != c {
			t.Fatalf("round trip of %s gave %s", c.hex(), got.hex())
		}
	}
}

// checkTheme reports every WCAG pair of the theme that misses its target.
func checkTheme(th Theme) error {
	pairs := []struct {
		name    string
		fg, bg  string
		minimum float64
	}{
		{"text/background", th.Text, th.Background, MinTextContrast},
		{"text/surface", th.Text, th.Surface, MinTextContrast},
		{"text_muted/background", th.TextMuted, th.Background, MinTextContrast},
		{"text_muted/surface", th.TextMuted, th.Surface, MinTextContrast},
		{"primary/background", th.Primary, th.Background, MinUIContrast},
		{"primary/surface", th.Primary, th.Surface, MinUIContrast},
		{"secondary/background", th.Secondary, th.Background, MinUIContrast},
	}
	for _, p := range pairs {
		if got := ContrastRatio(p.fg, p.bg); got < p.minimum {
			return fmt.Errorf("%s: %s on %s is %.2f:1, want >= %.1f:1", p.name, p.fg, p.bg, got, p.minimum)
		}
	}
	return nil
}

func TestDerivePaletteRandomPrimariesMeetAA(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 11))
	for i := range 1000 {
		primary := fmt.Sprintf("#%06X", r.IntN(1<<24))
		th, err := DerivePalette(primary)
		if err != nil {
			t.Fatalf("DerivePalette(%q): %v", primary, err)
		}
		if err := checkTheme(th); err != nil {
			t.Fatalf("primary %s (#%d): %v", primary, i, err)
		}
		if l := mustParse(t, th.Background).toHSL().l; l < 0.95 {
			t.Fatalf("primary %s: background %s is not light (l=%.2f)", primary, th.Background, l)
		}
	}
}

func TestDerivePaletteExtremes(t *testing.T) {
	for _, primary := range []string{"#000000", "#FFFFFF", "#FFFF00", "#00FFFF", "#ff0000", "#7F7F7F"} {
		t.Run(primary, func(t *testing.T) {
			th, err := DerivePalette(primary)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkTheme(th); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestDerivePaletteKeepsDarkPrimaryAndHue(t *testing.T) {
	// A primary that already passes 3:1 is used unchanged (modulo case).
	th, err := DerivePalette("#1d4ed8")
	if err != nil {
		t.Fatal(err)
	}
	if th.Primary != "#1D4ED8" {
		t.Errorf("Primary = %s, want #1D4ED8 unchanged", th.Primary)
	}
	// A light primary is darkened but keeps its hue.
	th, err = DerivePalette("#FFD54F")
	if err != nil {
		t.Fatal(err)
	}
	in, out := mustParse(t, "#FFD54F").toHSL(), mustParse(t, th.Primary).toHSL()
	if out.l >= in.l {
		t.Errorf("light primary not darkened: %s -> %s", "#FFD54F", th.Primary)
	}
	if math.Abs(out.h-in.h) > 4 {
		t.Errorf("hue moved from %.1f to %.1f", in.h, out.h)
	}
	sec := mustParse(t, th.Secondary).toHSL()
	if d := math.Abs(sec.h - math.Mod(in.h+secondaryHueShift, 360)); d > 5 {
		t.Errorf("secondary hue %.1f, want about %.1f", sec.h, in.h+secondaryHueShift)
	}
}

func TestDerivePaletteRejectsBadInput(t *testing.T) {
	for _, in := range []string{"", "#12345", "#1234567", "123456", "#12345G", "blue", "#abc", " #123456"} {
		if _, err := DerivePalette(in); err == nil {
			t.Errorf("DerivePalette(%q): want an error", in)
		}
	}
}

func mustParse(t *testing.T, s string) rgb {
	t.Helper()
	c, err := parseHex(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func BenchmarkDerivePalette(b *testing.B) {
	for b.Loop() {
		if _, err := DerivePalette("#FFD54F"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestHSLHex(t *testing.T) {
	tests := []struct {
		h, s, l float64
		want    string
	}{
		{0, 1, 0.5, "#FF0000"},
		{120, 1, 0.5, "#00FF00"},
		{240, 1, 0.5, "#0000FF"},
		{0, 0, 1, "#FFFFFF"},
		{0, 0, 0, "#000000"},
		{210, 0.5, 0.4, "#336699"},
	}
	for _, tt := range tests {
		if got := HSLHex(tt.h, tt.s, tt.l); got != tt.want {
			t.Errorf("HSLHex(%v, %v, %v) = %s, want %s", tt.h, tt.s, tt.l, got, tt.want)
		}
	}
}
