// The dashboard: the mode and its persona, the charts and metrics of the last answer or tab, the
// tabs' contents the server sent, and the quiet placeholder while a spoken question's chart is
// being made. Every function is generic over the page state so a part can only change its own
// fields.
import { modes } from "../constants";
import { asChart, asMetrics } from "../protocol";
import type { ChartSpec, Metric, Mode, Persona, ToolResult } from "../protocol";

export interface TabFailure {
  tabId: string;
  text: string;
  retryable: boolean;
}

/** Visualizing is a chart or metrics the voice asked for, until its tool_result comes. */
export interface Visualizing {
  visType: string;
  description: string;
}

export interface Dashboard {
  mode: Mode | null;
  persona: Persona | null;
  charts: ChartSpec[];
  /**
   * chartsSource names what the charts show: `turn:N` (a turn's; its later charts join them),
   * `tab:ID`, `voice:N` (the Nth spoken visualization), or "" for none.
   */
  chartsSource: string;
  /** chartsTab is the tab whose content the charts show, or null when they are a turn's (or none). */
  chartsTab: string | null;
  /** chartsFrom is the tab content the charts were drawn from, so the same content is not redrawn. */
  chartsFrom: ToolResult[] | null;
  /** chartsVersion changes whenever the charts are replaced, so views can animate them in. */
  chartsVersion: number;
  /** metrics replace the mode's default metrics once show_metrics or a tab sent some. */
  metrics: Metric[] | null;
  activeTab: string | null;
  /** tabLoading is true while the active tab was asked for and its content has not come yet. */
  tabLoading: boolean;
  /** tabContent is the current mode's tab contents the server sent, by tab id. */
  tabContent: Record<string, ToolResult[]>;
  /** tabPending is the tab this screen asked for whose content (or refusal) has not come yet. */
  tabPending: string | null;
  /** tabFailure is why the active tab could not be filled. */
  tabFailure: TabFailure | null;
  visualizing: Visualizing | null;
  /** visualizations counts the spoken visualizations asked for, to name their charts. */
  visualizations: number;
  /** chartLatency times the last chart: toolAt from its tool_result until drawn, then ms. */
  chartLatency: { toolAt: number | null; ms: number | null };
}

/** MaxCharts is how many charts the fixed-height visualization area shows at once. */
export const MaxCharts = 2;

export function initialDashboard(): Dashboard {
  return {
    mode: null,
    persona: null,
    charts: [],
    chartsSource: "",
    chartsTab: null,
    chartsFrom: null,
    chartsVersion: 0,
    metrics: null,
    activeTab: null,
    tabLoading: false,
    tabContent: {},
    tabPending: null,
    tabFailure: null,
    visualizing: null,
    visualizations: 0,
    chartLatency: { toolAt: null, ms: null },
  };
}

export function firstTab(mode: Mode | null): string | null {
  return mode?.tabs?.[0]?.id ?? null;
}

/** joined applies the session message: a reconnect to the same mode keeps what it showed. */
export function joined<S extends Dashboard>(s: S, mode: Mode, persona: Persona | null, activeTabId: string | undefined): S {
  const sameMode = s.mode !== null && mode !== null && s.mode.id === mode.id;
  const activeTab = activeTabId || firstTab(mode);
  let next: S = {
    ...s,
    mode,
    persona,
    charts: sameMode ? s.charts : [],
    chartsTab: sameMode ? s.chartsTab : null,
    metrics: sameMode ? s.metrics : null,
    activeTab,
    tabLoading: false,
    tabContent: sameMode ? s.tabContent : {},
    tabPending: null,
    tabFailure: null,
    visualizing: null,
  };
  // A reconnect keeps the charts it showed unless they were another tab's.
  if (next.chartsTab !== null && next.chartsTab !== activeTab) next = { ...next, charts: [], chartsTab: null };
  return next;
}

/** showCachedTab fills an empty dashboard with the active tab's content, when the server sent it. */
export function showCachedTab<S extends Dashboard>(s: S): S {
  const cached = s.activeTab === null ? undefined : s.tabContent[s.activeTab];
  return s.charts.length === 0 && cached && s.activeTab !== null ? applyTab(s, s.activeTab, cached) : s;
}

export function visualizationRequested<S extends Dashboard>(s: S, visType: string, description: string): S {
  return { ...s, visualizing: { visType, description }, visualizations: s.visualizations + 1 };
}

/** visualizationDropped hides the placeholder when what it waited for will not come. */
export function visualizationDropped<S extends Dashboard>(s: S): S {
  return s.visualizing === null ? s : { ...s, visualizing: null };
}

// toolResult applies a show_chart or show_metrics of a turn (or of the spoken visualization being
// made); `at` (null for a restored turn) starts the tool-to-chart clock.
export function toolResult<S extends Dashboard>(s: S, turn: number, r: ToolResult, at: number | null): S {
  // A spoken question's chart carries the latest typed turn's number: it replaces that turn's.
  const source = s.visualizing !== null ? `voice:${s.visualizations}` : `turn:${turn}`;
  const next: S = { ...s, visualizing: null };
  if (r.tool === "show_chart") {
    const chart = asChart(r.result);
    if (!chart) return next;
    const charts = s.chartsSource === source ? [...s.charts, chart].slice(-MaxCharts) : [chart];
    return {
      ...next,
      charts,
      chartsSource: source,
      chartsTab: null,
      chartsVersion: s.chartsVersion + 1,
      tabLoading: false,
      chartLatency: at === null ? s.chartLatency : { ...s.chartLatency, toolAt: at },
    };
  }
  if (r.tool === "show_metrics") {
    const metrics = asMetrics(r.result);
    return metrics ? { ...next, metrics } : next;
  }
  return s;
}

export function chartDrawn<S extends Dashboard>(s: S, at: number): S {
  if (s.chartLatency.toolAt === null) return s;
  return { ...s, chartLatency: { ms: at - s.chartLatency.toolAt, toolAt: null } };
}

export function modeSwitched<S extends Dashboard>(s: S, mode: Mode, persona: Persona | null): S {
  return {
    ...s,
    mode,
    persona,
    charts: [],
    chartsSource: "",
    chartsTab: null,
    chartsVersion: s.chartsVersion + 1,
    metrics: null,
    activeTab: firstTab(mode),
    tabLoading: false,
    // Tab contents belong to a mode: the server prefetches the new one's.
    tabContent: {},
    tabPending: null,
    tabFailure: null,
    visualizing: null,
  };
}

/** tabSelected follows any screen's choice of tab; the settings tab opens this screen's panel instead. */
export function tabSelected<S extends Dashboard>(s: S, modeId: string, tabId: string): S {
  if (s.mode?.id !== modeId || !tabId || tabId === modes.settingsTab) return s;
  return selectTab(s, tabId);
}

/** selectTab shows a tab: its content at once when the server sent it already, else loading. */
export function selectTab<S extends Dashboard>(s: S, tabId: string): S {
  const next: S = { ...s, activeTab: tabId, tabFailure: null };
  const cached = s.tabContent[tabId];
  if (cached) return applyTab(next, tabId, cached);
  return { ...next, tabLoading: true };
}

export function tabContent<S extends Dashboard>(s: S, modeId: string, tabId: string, results: ToolResult[]): S {
  if (s.mode?.id !== modeId || !tabId) return s; // an old mode's: dropped
  let next: S = {
    ...s,
    tabContent: { ...s.tabContent, [tabId]: results },
    tabPending: s.tabPending === tabId ? null : s.tabPending,
  };
  if (s.activeTab !== tabId) return next;
  if (s.tabLoading) return applyTab(next, tabId, results);
  // Content that came by itself (a prefetch) fills an empty dashboard, or refreshes the tab shown,
  // but never replaces a chart the user asked for.
  if (s.charts.length === 0 || s.chartsTab === tabId) next = applyTab(next, tabId, results);
  return next;
}

export function tabError<S extends Dashboard>(s: S, modeId: string, tabId: string, error: string, retryable: boolean): S {
  if (s.mode?.id !== modeId || !tabId) return s;
  const pending = s.tabPending === tabId ? null : s.tabPending;
  // Only the active tab's failure matters, and not while its content is on screen.
  if (s.activeTab !== tabId || s.chartsTab === tabId) return { ...s, tabPending: pending };
  return {
    ...s,
    tabPending: pending,
    tabLoading: false,
    tabFailure: { tabId, text: error || "This tab could not be loaded.", retryable: retryable === true },
  };
}

/** tabRefused turns a server `error` that answered this screen's tab click into that tab's failure. */
export function tabRefused<S extends Dashboard>(s: S, error: string, retryable: boolean | undefined): S {
  if (s.tabPending === null) return s;
  const tabId = s.tabPending;
  return {
    ...s,
    tabPending: null,
    tabLoading: s.activeTab === tabId ? false : s.tabLoading,
    tabFailure: { tabId, text: error, retryable: retryable === true },
  };
}

function sameResults(a: ToolResult[] | null, b: ToolResult[]): boolean {
  return a !== null && (a === b || JSON.stringify(a) === JSON.stringify(b));
}

// applyTab puts a tab's charts and metrics on the dashboard.
function applyTab<S extends Dashboard>(s: S, tabId: string, results: ToolResult[]): S {
  // The same content again (the server's answer to a click the cache already showed): no redraw.
  if (s.chartsTab === tabId && sameResults(s.chartsFrom, results)) return s.tabLoading ? { ...s, tabLoading: false } : s;
  const charts: ChartSpec[] = [];
  let metrics = s.metrics;
  for (const r of results) {
    if (r.tool === "show_chart") {
      const c = asChart(r.result);
      if (c) charts.push(c);
    } else if (r.tool === "show_metrics") {
      metrics = asMetrics(r.result) ?? metrics;
    }
  }
  return {
    ...s,
    charts: charts.slice(0, MaxCharts),
    chartsSource: `tab:${tabId}`,
    chartsTab: tabId,
    chartsFrom: results,
    chartsVersion: s.chartsVersion + 1,
    metrics,
    tabLoading: false,
  };
}
