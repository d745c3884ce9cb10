package modes

import "fmt"

// Contrast targets from WCAG 2.x level AA.
const (
	// MinTextContrast is the AA ratio for body text.
	MinTextContrast = 4.5
	// MinUIContrast is the AA ratio for user-interface components and large text, which is what
	// the primary and secondary colours are used for (buttons, links, chart strokes).
	MinUIContrast = 3.0
)

// secondaryHueShift turns the primary into an analogous accent: close enough on the colour wheel
// to feel like one brand, far enough to tell two chart series apart.
const secondaryHueShift = 35

// DerivePalette builds a whole light-mode theme from one "#RRGGBB" primary colour, so a generated
// mode needs only one colour from the model and can never come out unreadable.
//
//   - Background and Surface are near-white, tinted very slightly toward the primary's hue
//     (Surface, used by cards, is the lighter of the two).
//   - Text and TextMuted carry a hint of the hue and are darkened step by step until each
//     reaches MinTextContrast (4.5:1) against both Background and Surface; the guarantee comes
//     from that loop, not from the starting values.
//   - Primary keeps the given hue and saturation but is darkened, when needed, until it reaches
//     MinUIContrast (3:1) against Background and Surface, because the UI uses it for buttons and
//     links. Secondary is the primary's hue shifted by 35 degrees, held to the same 3:1.
//
// The result is deterministic: the same primary always yields the same theme.
func DerivePalette(primary string) (Theme, error) {
	p, err := parseHex(primary)
	if err != nil {
		return Theme{}, fmt.Errorf("derive palette: %w", err)
	}
	base := p.toHSL()
	tint := min(base.s, 0.6)
	bg := hsl{base.h, tint, 0.975}.toRGB()
	surface := hsl{base.h, tint, 0.993}.toRGB()

	text := darkenUntil(hsl{base.h, min(base.s, 0.35), 0.14}, MinTextContrast, bg, surface)
	muted := darkenUntil(hsl{base.h, min(base.s, 0.18), 0.42}, MinTextContrast, bg, surface)
	prim := darkenUntil(base, MinUIContrast, bg, surface)
	second := darkenUntil(hsl{base.h + secondaryHueShift, base.s, base.l}, MinUIContrast, bg, surface)

	return Theme{
		Primary:    prim.hex(),
		Secondary:  second.hex(),
		Background: bg.hex(),
		Surface:    surface.hex(),
		Text:       text.hex(),
		TextMuted:  muted.hex(),
	}, nil
}

// darkenUntil lowers c's lightness in small steps until the rounded 8-bit colour reaches ratio
// against every one of against. Lightness 0 is black, which reaches 21:1 against white and more
// than 17:1 against any background DerivePalette makes, so the loop always ends with a passing
// colour; the final black is a belt-and-braces return for callers with darker backgrounds.
func darkenUntil(c hsl, ratio float64, against ...rgb) rgb {
	for l := c.l; l > 0; l -= 0.01 {
		out := hsl{c.h, c.s, l}.toRGB()
		if passes(out, ratio, against) {
			return out
		}
	}
	return rgb{}
}

func passes(c rgb, ratio float64, against []rgb) bool {
	for _, a := range against {
		if contrast(c, a) < ratio {
			return false
		}
	}
	return true
}
