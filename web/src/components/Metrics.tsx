// The metrics cards row.
import type { Metric } from "../protocol";

export function Metrics({ metrics }: { metrics: Metric[] }) {
  return (
    <ul class="metrics" aria-label="Key metrics">
      {metrics.map((m, i) => (
        <li key={`${m.label}-${i}`} class="metric card-soft" data-testid="metric">
          <span class="metric-label">{m.label}</span>
          <span class="metric-value" title={`${m.value} ${m.unit}`.trim()}>
            {m.value}
            {m.unit ? <span class="metric-unit"> {m.unit}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
