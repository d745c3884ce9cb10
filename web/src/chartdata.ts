// Turns a show_chart result into Chart.js data: labels, one dataset per series, colours from the
// theme. Pure, so multi-series alignment is unit-tested without a canvas.
import type { ChartSpec } from "./protocol";
import { parseHex } from "./theme";

export interface SeriesData {
  name: string;
  values: (number | null)[];
}

export interface ChartData {
  labels: string[];
  series: SeriesData[];
}

/**
 * toChartData groups points by series (points without one form a single unnamed series) and
 * aligns every series on the union of labels in first-seen order; a series without a value for a
 * label gets null, which Chart.js draws as a gap.
 */
export function toChartData(spec: ChartSpec): ChartData {
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const bySeries = new Map<string, Map<string, number>>();
  for (const p of spec.data) {
    if (!labelIndex.has(p.label)) {
      labelIndex.set(p.label, labels.length);
      labels.push(p.label);
    }
    const name = p.series ?? "";
    let s = bySeries.get(name);
    if (!s) {
      s = new Map();
      bySeries.set(name, s);
    }
    s.set(p.label, p.value);
  }
  const series = [...bySeries.entries()].map(([name, vals]) => ({
    name,
    values: labels.map((l) => vals.get(l) ?? null),
  }));
  return { labels, series };
}

function mix(hex: string, toward: [number, number, number], t: number): string {
  const c = parseHex(hex) ?? [79, 70, 229];
  const m = c.map((v, i) => Math.round(v + (toward[i]! - v) * t));
  return `#${m.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * palette returns n distinct colours built from the theme: primary and secondary first, then
 * lighter and darker steps of both, so every chart stays on brand.
 */
export function palette(primary: string, secondary: string, n: number): string[] {
  const base = [primary, secondary];
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const b = base[i % 2]!;
    const step = Math.floor(i / 2);
    if (step === 0) out.push(b);
    else if (step % 2 === 1) out.push(mix(b, [255, 255, 255], 0.18 * Math.ceil(step / 2) + 0.12));
    else out.push(mix(b, [0, 0, 0], 0.15 * (step / 2)));
  }
  return out;
}
