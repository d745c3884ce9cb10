// The Chart.js chunk (components/chartjs.ts) is most of the page's code, and the home screen draws
// no chart: it loads when a chart may come (see App.sync) or, at the latest, when one is drawn.

type ChartModule = typeof import("./components/chartjs");
let charts: Promise<ChartModule> | null = null;

/** loadCharts loads the Chart.js chunk once; a failed load is forgotten so a later chart retries. */
export function loadCharts(): Promise<ChartModule> {
  charts ??= import("./components/chartjs").catch((err: unknown) => {
    charts = null;
    throw err;
  });
  return charts;
}
