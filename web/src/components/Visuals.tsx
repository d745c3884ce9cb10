// The fixed-height visualization area where show_chart results animate in, with the active tab's
// loading state, a quiet placeholder while a spoken question's chart is being made and, when a tab
// could not be filled, why (and Retry when the server says it may work).
import type { State } from "../state";
import { Icon } from "../icons";
import { ChartView } from "./ChartView";

interface Props {
  state: State;
  onDrawn: () => void;
  onRetryTab: (tabId: string) => void;
  onDismissTabFailure: () => void;
}

export function Visuals({ state: s, onDrawn, onRetryTab, onDismissTabFailure }: Props) {
  const theme = s.mode?.theme;
  const failure = s.tabFailure;
  const tabLabel = (id: string) => (s.mode?.tabs ?? []).find((t) => t.id === id)?.label ?? id;
  const label = failure ? tabLabel(failure.tabId) : "";
  // The tab whose content (metrics only) is on show, when it brought no chart.
  const shownTab = s.chartsTab !== null && s.chartsTab === s.activeTab ? tabLabel(s.chartsTab) : null;
  return (
    <div
      class={`visuals card-soft n-${s.charts.length} ${(s.tabLoading || s.visualizing) && s.charts.length > 0 ? "is-loading" : ""} ${s.tabFailure && s.chartsTab !== null && s.chartsTab !== s.activeTab ? "is-stale" : ""}`}
      aria-busy={s.tabLoading || s.visualizing !== null}
      data-charts-tab={s.chartsTab ?? ""}
      aria-label="Charts"
      role="region"
    >
      {s.charts.length === 0 || !theme ? (
        <div class="visuals-empty">
          {s.visualizing ? null : s.tabLoading ? (
            <div class="skeleton" aria-label="Loading" />
          ) : shownTab ? (
            <p>{shownTab} has no chart. Ask a question and the answer's chart appears here.</p>
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
      {s.visualizing ? (
        <div class={`visual-placeholder ${s.charts.length > 0 ? "is-over" : ""}`} data-testid="visualization-placeholder" role="status">
          <span class="visual-placeholder-dot" aria-hidden="true" />
          <span>{s.visualizing.visType === "metrics" ? "Updating the figures" : "Drawing a chart"}{s.visualizing.description ? `: ${s.visualizing.description}` : "…"}</span>
        </div>
      ) : null}
      {failure ? (
        <div class="tab-notice chat-notice" role="alert" data-testid="tab-notice" data-tab-id={failure.tabId}>
          <span>
            {label}: {failure.text}
          </span>
          <span class="tab-notice-actions">
            {failure.retryable ? (
              <button type="button" class="btn btn-small" data-testid="tab-retry" onClick={() => onRetryTab(failure.tabId)} disabled={s.connection !== "open"}>
                <Icon name="refresh" size={16} />
                <span>Retry</span>
              </button>
            ) : null}
            <button type="button" class="btn-icon" aria-label="Dismiss" onClick={onDismissTabFailure}>
              <Icon name="close" size={14} />
            </button>
          </span>
        </div>
      ) : null}
    </div>
  );
}
