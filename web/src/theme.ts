// Theme colours: the mode's palette becomes CSS custom properties on :root, and text on primary
// buttons is picked by contrast (the server guarantees only text on background and surface).
import type { Theme } from "./protocol";

/** The home mode's palette, used until the first session message arrives. */
export const defaultTheme: Theme = {
  primary: "#4f46e5",
  secondary: "#0ea5e9",
  background: "#f6f7fb",
  surface: "#ffffff",
  text: "#161a2b",
  text_muted: "#525a72",
};

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** parseHex reads "#RRGGBB" (or "#RGB") into [r, g, b], or null. */
export function parseHex(hex: string): [number, number, number] | null {
  let h = hex.trim().replace(/^#/, "");
  if (/^[0-9a-f]{3}$/i.test(h)) h = h.replace(/./g, (x) => x + x);
  if (!/^[0-9a-f]{6}$/i.test(h)) return null;
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

/** luminance is the WCAG relative luminance of a colour. */
export function luminance(hex: string): number {
  const rgb = parseHex(hex);
  if (!rgb) return 0;
  return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

/** contrast is the WCAG contrast ratio of two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** onColor picks white or near-black text, whichever contrasts more with the background. */
export function onColor(bg: string): string {
  const light = "#ffffff";
  const dark = "#111318";
  return contrast(bg, light) >= contrast(bg, dark) ? light : dark;
}

/** withAlpha turns "#RRGGBB" into an rgba() string, for tints of the theme colours. */
export function withAlpha(hex: string, alpha: number): string {
  const rgb = parseHex(hex);
  if (!rgb) return `rgba(0,0,0,${alpha})`;
  return `rgba(${rgb[0]},${rgb[1]},${rgb[2]},${alpha})`;
}

/** themeVariables lists the custom properties a theme sets, with fallbacks for bad colours. */
export function themeVariables(t: Theme): Record<string, string> {
  const pick = (v: string, d: string) => (parseHex(v) ? v : d);
  const primary = pick(t.primary, defaultTheme.primary);
  const secondary = pick(t.secondary, defaultTheme.secondary);
  return {
    "--color-primary": primary,
    "--color-secondary": secondary,
    "--color-background": pick(t.background, defaultTheme.background),
    "--color-surface": pick(t.surface, defaultTheme.surface),
    "--color-text": pick(t.text, defaultTheme.text),
    "--color-text-muted": pick(t.text_muted, defaultTheme.text_muted),
    "--color-on-primary": onColor(primary),
    "--color-on-secondary": onColor(secondary),
    "--color-primary-soft": withAlpha(primary, 0.1),
    "--color-primary-ring": withAlpha(primary, 0.45),
  };
}

/** applyTheme writes a theme onto an element's style (the document root in the app). */
export function applyTheme(el: HTMLElement, t: Theme): void {
  for (const [k, v] of Object.entries(themeVariables(t))) el.style.setProperty(k, v);
}
