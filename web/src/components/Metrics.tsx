// The metrics cards row.
import { metricDisplay } from "../format";
import type { Metric } from "../protocol";

export function Metrics({ metrics }: { metrics: Metric[] }) {
  return (
    <ul class="metrics" aria-label="Key metrics">
      {metrics.map((m, i) => {
        const shown = metricDisplay(m.value, m.unit);
        return (
          <li key={`${m.label}-${i}`} class="metric card-soft" data-testid="metric">
            <span class="metric-label">{m.label}</span>
            <span class="metric-value" title={`${shown.value} ${shown.unit}`.trim()}>
              {shown.value}
              {shown.unit ? <span class="metric-unit"> {shown.unit}</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
