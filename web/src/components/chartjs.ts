// Chart.js, in a chunk of its own that the page loads after its first paint (see ChartView):
// tree-shaken, so only the controllers, elements and scales used here are registered.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PieController,
  PointElement,
  Tooltip,
} from "chart.js";
import type { ChartConfiguration, Plugin } from "chart.js";
import { palette, toChartData } from "../chartdata";
import { formatTick, formatValue, isMoneyChart } from "../format";
import type { ChartSpec, Theme } from "../protocol";
import { withAlpha } from "../theme";

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PieController,
  PointElement,
  Tooltip,
);

function config(spec: ChartSpec, theme: Theme, drawn: Plugin): ChartConfiguration {
  const money = isMoneyChart(spec);
  const { labels, series } = toChartData(spec);
  const pie = spec.chart_type === "pie";
  const colours = palette(theme.primary, theme.secondary, pie ? labels.length : series.length);
  const multi = series.length > 1 || pie;
  const datasets = series.map((s, i) => {
    const c = colours[i % colours.length]!;
    if (pie) return { label: s.name || spec.title, data: s.values, backgroundColor: colours, borderColor: theme.surface, borderWidth: 2 };
    if (spec.chart_type === "bar") return { label: s.name || spec.title, data: s.values, backgroundColor: c, borderRadius: 6, maxBarThickness: 48 };
    return {
      label: s.name || spec.title,
      data: s.values,
      borderColor: c,
      backgroundColor: withAlpha(c, spec.chart_type === "area" ? 0.18 : 0.1),
      fill: spec.chart_type === "area" ? "origin" : false,
      // Monotone curves never overshoot the data: a smooth line must not invent a higher peak.
      cubicInterpolationMode: "monotone",
      pointRadius: 3,
      pointHoverRadius: 5,
      spanGaps: true,
    };
  });
  const grid = withAlpha(theme.text_muted, 0.15);
  return {
    type: pie ? "pie" : spec.chart_type === "bar" ? "bar" : "line",
    data: { labels, datasets } as ChartConfiguration["data"],
    plugins: [drawn],
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: { duration: 700, easing: "easeOutQuart" },
      color: theme.text_muted,
      font: { family: "inherit" },
      plugins: {
        legend: { display: multi, position: pie ? "right" : "bottom", labels: { color: theme.text, boxWidth: 12, usePointStyle: true } },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const v = typeof ctx.parsed === "number" ? ctx.parsed : (ctx.parsed as { y: number }).y;
              const name = pie ? String(ctx.label) : ctx.dataset.label;
              return `${name}: ${formatValue(v, money)}`;
            },
          },
        },
      },
      scales: pie
        ? {}
        : {
            x: { grid: { display: false }, ticks: { color: theme.text_muted } },
            y: {
              beginAtZero: spec.chart_type === "bar" || spec.chart_type === "area",
              grid: { color: grid },
              border: { display: false },
              ticks: { color: theme.text_muted, callback: (v) => formatTick(Number(v), money) },
            },
          },
    },
  } as ChartConfiguration;
}

/**
 * drawChart draws spec on canvas and calls onDrawn once, after its first frame is on screen; it
 * returns the function that destroys the chart.
 */
export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec, theme: Theme, onDrawn: () => void): () => void {
  let reported = false;
  const drawn: Plugin = {
    id: "presto-drawn",
    // afterDraw runs on every frame, the first one included; afterRender would wait for the
    // entry animation to finish.
    afterDraw: () => {
      if (reported) return;
      reported = true;
      onDrawn();
    },
  };
  const chart = new Chart(canvas, config(spec, theme, drawn));
  return () => chart.destroy();
}
