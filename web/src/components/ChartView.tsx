// One chart of the visualization area: a canvas Chart.js draws on (its code loads lazily, see
// loadCharts) and a visually hidden table of the numbers, there at once.
import { useEffect, useRef } from "preact/hooks";
import { formatValue, isMoneyChart } from "../format";
import type { ChartSpec, Theme } from "../protocol";
import { loadCharts } from "../charts";

interface Props {
  spec: ChartSpec;
  theme: Theme;
  /** onDrawn is called once, after the chart's first frame is on screen. */
  onDrawn: () => void;
}

/** ChartView draws one chart and a visually hidden table of its numbers for screen readers. */
export function ChartView({ spec, theme, onDrawn }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawnRef = useRef(onDrawn);
  drawnRef.current = onDrawn;

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    let destroy: (() => void) | null = null;
    let live = true;
    loadCharts().then(
      ({ drawChart }) => {
        if (live) destroy = drawChart(el, spec, theme, () => drawnRef.current());
      },
      // The chunk failed to load (a deploy replaced it, the network dropped): the table of
      // numbers stays readable and the next chart tries again.
      () => undefined,
    );
    return () => {
      live = false;
      destroy?.();
    };
  }, [spec, theme]);

  const money = isMoneyChart(spec);
  return (
    <figure class="chart" data-testid="chart" data-chart-type={spec.chart_type}>
      <figcaption class="chart-title">{spec.title}</figcaption>
      <div class="chart-canvas">
        <canvas ref={canvas} role="img" aria-label={spec.title} />
      </div>
      <table class="sr-only" data-testid="chart-data">
        <caption>{spec.title}</caption>
        <tbody>
          {spec.data.map((p, i) => (
            <tr key={i}>
              <th scope="row">{p.series ? `${p.series}, ${p.label}` : p.label}</th>
              <td data-value={p.value}>{formatValue(p.value, money)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
