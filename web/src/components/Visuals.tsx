// The fixed-height visualization area where show_chart results animate in.
import type { State } from "../state";
import { ChartView } from "./ChartView";

export function Visuals({ state: s, onDrawn }: { state: State; onDrawn: () => void }) {
  const theme = s.mode?.theme;
  return (
    <div class={`visuals card-soft n-${s.charts.length}`} aria-busy={s.tabLoading} aria-label="Charts" role="region">
      {s.charts.length === 0 || !theme ? (
        <div class="visuals-empty">
          {s.tabLoading ? (
            <div class="skeleton" aria-label="Loading" />
          ) : (
            <p>Ask a question and the answer's chart appears here.</p>
          )}
        </div>
      ) : (
        s.charts.map((c, i) => (
          <div class="visual-slot" key={i}>
            <ChartView spec={c} theme={theme} onDrawn={onDrawn} />
          </div>
        ))
      )}
    </div>
  );
}
