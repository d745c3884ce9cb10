// The Chart.js chunk (components/chartjs.ts) is most of the page's code, and the home screen draws
// no chart: it loads after the first paint instead of before it.

type ChartModule = typeof import("./components/chartjs");
let charts: Promise<ChartModule> | null = null;

/**
 * loadCharts loads the Chart.js chunk once. The page calls it when idle after its first paint, so
 * it is there before the first chart; a failed load is forgotten so a later chart retries.
 */
export function loadCharts(): Promise<ChartModule> {
  charts ??= import("./components/chartjs").catch((err: unknown) => {
    charts = null;
    throw err;
  });
  return charts;
}

/** warmCharts starts loading the chunk when the browser is idle, so it is there for the first chart. */
export function warmCharts(): void {
  const load = () => void loadCharts().catch(() => undefined);
  if (typeof requestIdleCallback === "function") requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 200);
}
