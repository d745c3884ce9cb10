package modes

import (
	"fmt"
	"math"
	"strconv"
)

// rgb is a colour with 8-bit channels.
type rgb struct{ r, g, b uint8 }

// parseHex reads "#RRGGBB" (either case). Short forms and names are rejected on purpose: every
// colour we emit and store has the one form the UI's CSS custom properties expect.
func parseHex(s string) (rgb, error) {
	if len(s) != 7 || s[0] != '#' {
		return rgb{}, fmt.Errorf("colour %q: want the form #RRGGBB", s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return rgb{}, fmt.Errorf("colour %q: want the form #RRGGBB: %w", s, err)
	}
	return rgb{uint8(v >> 16), uint8(v >> 8), uint8(v)}, nil
}

// hex formats the colour as "#RRGGBB" in upper case.
func (c rgb) hex() string {
	return fmt.Sprintf("#%02X%02X%02X", c.r, c.g, c.b)
}

// luminance is the WCAG 2.x relative luminance of the colour.
func (c rgb) luminance() float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// contrast is the WCAG contrast ratio of two colours, from 1 to 21.
func contrast(a, b rgb) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// ContrastRatio returns the WCAG 2.x contrast ratio (1 to 21) of two "#RRGGBB" colours. It returns
// 0 when either colour is malformed, which no real pair can score, so a check like
// ContrastRatio(a, b) >= 4.5 fails safely on bad input.
func ContrastRatio(a, b string) float64 {
	ca, err := parseHex(a)
	if err != nil {
		return 0
	}
	cb, err := parseHex(b)
	if err != nil {
		return 0
	}
	return contrast(ca, cb)
}

// hsl is a colour in hue (degrees, 0-360), saturation and lightness (0-1).
type hsl struct{ h, s, l float64 }

// toHSL converts the colour to HSL.
func (c rgb) toHSL() hsl {
	r, g, b := float64(c.r)/255, float64(c.g)/255, float64(c.b)/255
	hi, lo := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
	l := (hi + lo) / 2
	if hi == lo {
		return hsl{0, 0, l}
	}
	d := hi - lo
	s := d / (1 - math.Abs(2*l-1))
	var h float64
	switch hi {
	case r:
		h = math.Mod((g-b)/d, 6)
	case g:
		h = (b-r)/d + 2
	default:
		h = (r-g)/d + 4
	}
	h *= 60
	if h < 0 {
		h += 360
	}
	return hsl{h, s, l}
}

// toRGB converts back to 8-bit RGB, clamping saturation and lightness to [0, 1].
func (c hsl) toRGB() rgb {
	s, l := clamp01(c.s), clamp01(c.l)
	h := math.Mod(c.h, 360)
	if h < 0 {
		h += 360
	}
	ch := (1 - math.Abs(2*l-1)) * s
	x := ch * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - ch/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = ch, x, 0
	case h < 120:
		r, g, b = x, ch, 0
	case h < 180:
		r, g, b = 0, ch, x
	case h < 240:
		r, g, b = 0, x, ch
	case h < 300:
		r, g, b = x, 0, ch
	default:
		r, g, b = ch, 0, x
	}
	to8 := func(v float64) uint8 { return uint8(math.Round(clamp01(v+m) * 255)) }
	return rgb{to8(r), to8(g), to8(b)}
}

// HSLHex converts hue (degrees), saturation and lightness (0-1) to "#RRGGBB".
func HSLHex(h, s, l float64) string { return hsl{h: h, s: s, l: l}.toRGB().hex() }

func clamp01(v float64) float64 {
	return math.Max(0, math.Min(1, v))
}
