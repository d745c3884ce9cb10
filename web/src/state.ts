// The page's state and the pure reducer that turns server messages and user actions into it. The
// socket module feeds it; components only read it. Keeping it pure lets the unit tests replay any
// ordering of messages, including stale and out-of-order ones.
import { modes } from "./constants";
import { asChart, asMetrics } from "./protocol";
import type { ChartSpec, LiveTurn, Metric, Mode, Persona, ServerMessage, SessionPayload, ToolResult } from "./protocol";

export type ConnectionState = "connecting" | "open" | "closed";

export interface ChatMessage {
  id: number;
  role: "user" | "assistant";
  text: string;
  /** streaming is true while the server is still sending this reply. */
  streaming: boolean;
  /** turn is the server turn an assistant reply belongs to (0 for restored or local ones). */
  turn: number;
  /** welcome marks the mode's welcome message, shown by the client. */
  welcome?: boolean;
}

export interface ChatFailure {
  text: string;
  retryable: boolean;
}

export interface Latency {
  /** sentAt is when the last chat was sent (ms, performance clock), until its first token. */
  sentAt: number | null;
  firstTokenMs: number | null;
  /** toolAt is when the last chart's tool_result arrived, until the chart is drawn. */
  toolAt: number | null;
  chartMs: number | null;
}

export interface TabFailure {
  tabId: string;
  text: string;
  retryable: boolean;
}

export interface State {
  connection: ConnectionState;
  sessionId: string | null;
  /** screen is this connection's id; chat_start names the screen that sent the message. */
  screen: string | null;
  provider: string | null;
  mode: Mode | null;
  persona: Persona | null;
  /** turn is the latest turn seen to start; messages of older turns are stale and dropped. */
  turn: number;
  messages: ChatMessage[];
  nextId: number;
  /** pendingSend is true from sending a chat until its turn starts or is refused. */
  pendingSend: boolean;
  /** inFlight is true while a turn is running (a stop button is offered). */
  inFlight: boolean;
  /** awaitingFirstToken drives the typing indicator. */
  awaitingFirstToken: boolean;
  failure: ChatFailure | null;
  lastUserText: string | null;
  charts: ChartSpec[];
  /** chartsTurn is the turn the charts came from (-1: a tab); a new turn's chart replaces them. */
  chartsTurn: number;
  /** chartsTab is the tab whose content the charts show, or null when they are a turn's (or none). */
  chartsTab: string | null;
  /** chartsFrom is the tab content the charts were drawn from, so the same content is not redrawn. */
  chartsFrom: ToolResult[] | null;
  /** chartsVersion changes whenever the charts are replaced, so views can animate them in. */
  chartsVersion: number;
  /** metrics replace the mode's default metrics once show_metrics or a tab sent some. */
  metrics: Metric[] | null;
  /** generating is the industry being switched to while the spinner shows, else null. */
  generating: string | null;
  /** switchTurn is the turn that switched the mode (its reply falls back to the welcome message). */
  switchTurn: number;
  activeTab: string | null;
  /** tabLoading is true while the active tab was asked for and its content has not come yet. */
  tabLoading: boolean;
  /** tabContent is the current mode's tab contents the server sent, by tab id. */
  tabContent: Record<string, ToolResult[]>;
  /** tabPending is the tab this screen asked for whose content (or refusal) has not come yet. */
  tabPending: string | null;
  /** tabFailure is why the active tab could not be filled. */
  tabFailure: TabFailure | null;
  latency: Latency;
  /** announcement is the text for the polite live region; id changes on each new announcement. */
  announcement: { id: number; text: string };
  /** announcedUpTo is how much of the streaming reply has been announced. */
  announcedUpTo: number;
  /** notice is a transient line from a server `error` that failed no chat. */
  notice: string | null;
}

export type Action =
  | { type: "connecting" }
  | { type: "open" }
  | { type: "closed" }
  | { type: "server"; msg: ServerMessage; at: number }
  | { type: "send"; text: string; at: number }
  | { type: "retry"; at: number }
  | { type: "cancel" }
  | { type: "clear" }
  /** select_tab is this screen's click on a tab (the `tab` message is sent beside it). */
  | { type: "select_tab"; tabId: string }
  | { type: "chart_drawn"; at: number }
  | { type: "notice"; text: string }
  | { type: "dismiss_notice" }
  | { type: "dismiss_tab_failure" };

/** MaxCharts is how many charts the fixed-height visualization area shows at once. */
export const MaxCharts = 2;

export function initialState(): State {
  return {
    connection: "connecting",
    sessionId: null,
    screen: null,
    provider: null,
    mode: null,
    persona: null,
    turn: 0,
    messages: [],
    nextId: 1,
    pendingSend: false,
    inFlight: false,
    awaitingFirstToken: false,
    failure: null,
    lastUserText: null,
    charts: [],
    chartsTurn: 0,
    chartsTab: null,
    chartsFrom: null,
    chartsVersion: 0,
    metrics: null,
    generating: null,
    switchTurn: 0,
    activeTab: null,
    tabLoading: false,
    tabContent: {},
    tabPending: null,
    tabFailure: null,
    latency: { sentAt: null, firstTokenMs: null, toolAt: null, chartMs: null },
    announcement: { id: 0, text: "" },
    announcedUpTo: 0,
    notice: null,
  };
}

const prestoCommand = /presto[\s-]*change[\s-]*o/i;

/** isPrestoCommand reports whether text asks for a mode switch, so the spinner shows at once. */
export function isPrestoCommand(text: string): boolean {
  return prestoCommand.test(text);
}

/** reduce is the whole state machine of the page. */
export function reduce(s: State, a: Action): State {
  switch (a.type) {
    case "connecting":
      return { ...s, connection: "connecting" };
    case "open":
      return { ...s, connection: "open" };
    case "closed":
      return closed(s);
    case "server":
      return onServer(s, a.msg, a.at);
    case "send":
      return send(s, a.text, a.at, true);
    case "retry":
      return s.lastUserText === null ? s : send(s, s.lastUserText, a.at, false);
    case "cancel":
      return { ...finishStreaming(s, s.turn), inFlight: false, awaitingFirstToken: false, pendingSend: false, generating: null };
    case "clear":
      return { ...s, failure: null };
    case "select_tab":
      if (!s.mode) return s;
      return selectTab({ ...s, tabPending: a.tabId }, a.tabId);
    case "chart_drawn":
      if (s.latency.toolAt === null) return s;
      return { ...s, latency: { ...s.latency, chartMs: a.at - s.latency.toolAt, toolAt: null } };
    case "notice":
      return { ...s, notice: a.text };
    case "dismiss_notice":
      return { ...s, notice: null };
    case "dismiss_tab_failure":
      return { ...s, tabFailure: null };
  }
}

// closed ends whatever was in flight on this screen; the session message after the reconnect
// restores the conversation, and a turn still running (another screen's, say) through its `live`.
function closed(s: State): State {
  return {
    ...finishStreaming(s, s.turn),
    connection: "closed",
    inFlight: false,
    pendingSend: false,
    awaitingFirstToken: false,
    generating: null,
  };
}

function send(s: State, text: string, at: number, addBubble: boolean): State {
  const messages = addBubble
    ? [...s.messages, { id: s.nextId, role: "user" as const, text, streaming: false, turn: 0 }]
    : s.messages;
  return {
    ...s,
    messages,
    nextId: addBubble ? s.nextId + 1 : s.nextId,
    pendingSend: true,
    inFlight: true,
    awaitingFirstToken: true,
    failure: null,
    notice: null,
    lastUserText: text,
    generating: isPrestoCommand(text) ? "" : s.generating,
    latency: { ...s.latency, sentAt: at },
  };
}

// turnStarts lists the messages that open a new turn and carry its number.
const turnStarts = new Set(["chat_start", "mode_generating"]);

function onServer(s: State, msg: ServerMessage, at: number): State {
  if (msg.type === "session") return session(s, msg.payload, msg.turn);
  const before = s;
  if (msg.turn !== undefined) {
    if (msg.turn < s.turn) return s; // a stale turn: its reply was superseded
    if (msg.turn > s.turn || turnStarts.has(msg.type)) {
      // A start, or a message of a newer turn whose start we have not seen: either way that turn
      // is now the current one and whatever streamed before it is finished.
      s = startTurn(s, msg.turn);
    }
  }
  switch (msg.type) {
    case "chat_start":
      return chatStart(s, before, msg.turn ?? s.turn, msg.payload.text ?? "", msg.payload.screen ?? "");
    case "chat_chunk":
      return chunk(s, msg.turn ?? s.turn, msg.payload.text ?? "", msg.payload.done === true, at);
    case "tool_result":
      return toolResult(s, msg.turn ?? s.turn, msg.payload, at);
    case "chat_error":
      return {
        ...finishStreaming(s, msg.turn ?? s.turn),
        inFlight: false,
        awaitingFirstToken: false,
        pendingSend: false,
        generating: null,
        failure: { text: msg.payload.error || "Something went wrong.", retryable: msg.payload.retryable === true },
      };
    case "mode_generating":
      return { ...s, generating: msg.payload.industry ?? "" };
    case "mode_generating_cancel":
      return { ...s, generating: null };
    case "mode_switch":
      return modeSwitch(s, msg.turn ?? s.turn, msg.payload.mode, msg.payload.persona);
    case "chat_cleared":
      return { ...s, messages: welcome(s.mode, s.nextId), nextId: s.nextId + 1, failure: null, announcedUpTo: 0 };
    case "tab_selected":
      // Any screen's choice: every screen of the session shows that tab. The settings tab opens
      // this screen's settings panel instead, so another screen's choice of it is not followed.
      if (s.mode?.id !== msg.payload.mode_id || !msg.payload.tab_id || msg.payload.tab_id === modes.settingsTab) return s;
      return selectTab(s, msg.payload.tab_id);
    case "tab_content":
      return tabContent(s, msg.payload.mode_id, msg.payload.tab_id, msg.payload.tool_results ?? []);
    case "tab_error":
      return tabError(s, msg.payload.mode_id, msg.payload.tab_id, msg.payload.error, msg.payload.retryable);
    case "pong":
      return s;
    case "error":
      return serverError(s, msg.payload.error || "The server refused the message.", msg.payload.retryable);
  }
}

function startTurn(s: State, turn: number): State {
  // Only older turns' replies end here: this turn's chunks may have arrived before its start.
  const finished = finishStreaming(s, turn - 1);
  return {
    ...finished,
    turn,
    pendingSend: false,
    inFlight: true,
    // The typing indicator shows until this turn's first token.
    awaitingFirstToken: !finished.messages.some((m) => m.turn === turn && m.role === "assistant" && m.text !== ""),
    announcedUpTo: 0,
  };
}

// finishStreaming closes the streaming replies of turns up to `turn`, dropping any that never got
// text.
function finishStreaming(s: State, turn: number): State {
  if (!s.messages.some((m) => m.streaming && m.turn <= turn)) return s;
  const messages = s.messages
    .filter((m) => !(m.streaming && m.text === "" && m.turn <= turn))
    .map((m) => (m.streaming && m.turn <= turn ? { ...m, streaming: false } : m));
  return { ...s, messages };
}

function session(s: State, p: SessionPayload, turn: number | undefined): State {
  const sameMode = s.mode !== null && p.mode !== null && s.mode.id === p.mode.id;
  let nextId = s.nextId;
  // Tool-call-only assistant turns have no text to show.
  const history = (p.history ?? []).filter((h) => (h.role === "user" || h.role === "assistant") && h.content?.trim());
  const messages: ChatMessage[] =
    history.length > 0
      ? history.map((h) => ({ id: nextId++, role: h.role, text: h.content, streaming: false, turn: 0 }))
      : welcome(p.mode, nextId++);
  const activeTab = p.active_tab || firstTab(p.mode);
  let next: State = {
    ...s,
    sessionId: p.id,
    screen: p.screen || null,
    provider: p.provider,
    mode: p.mode,
    persona: p.persona,
    // The server numbers turns per connection's session; after a restart it may count from 1 again.
    turn: turn ?? 0,
    messages,
    nextId,
    pendingSend: false,
    inFlight: false,
    awaitingFirstToken: false,
    generating: null,
    failure: null,
    charts: sameMode ? s.charts : [],
    chartsTab: sameMode ? s.chartsTab : null,
    metrics: sameMode ? s.metrics : null,
    activeTab,
    tabLoading: false,
    tabContent: sameMode ? s.tabContent : {},
    tabPending: null,
    tabFailure: null,
    announcedUpTo: 0,
  };
  // A reconnect keeps the charts it showed unless they were another tab's.
  if (next.chartsTab !== null && next.chartsTab !== activeTab) next = { ...next, charts: [], chartsTab: null };
  if (p.live && p.live.turn > 0) next = liveTurn(next, p.live);
  const cached = activeTab === null ? undefined : next.tabContent[activeTab];
  if (next.charts.length === 0 && cached && activeTab !== null) next = applyTab(next, activeTab, cached);
  return next;
}

// liveTurn restores the turn in flight when this screen joined: the user's message, the reply so
// far, its charts and the spinner. The rest of the turn follows as ordinary messages.
function liveTurn(s: State, live: LiveTurn): State {
  let nextId = s.nextId;
  const messages = s.messages.slice();
  const last = messages[messages.length - 1];
  // The history may already end with this turn's message.
  if (live.text && !(last?.role === "user" && last.text === live.text)) {
    messages.push({ id: nextId++, role: "user", text: live.text, streaming: false, turn: live.turn });
  }
  if (live.reply) messages.push({ id: nextId++, role: "assistant", text: live.reply, streaming: true, turn: live.turn });
  let next: State = {
    ...s,
    messages,
    nextId,
    turn: Math.max(s.turn, live.turn),
    inFlight: true,
    awaitingFirstToken: live.reply === "",
    lastUserText: live.text || s.lastUserText,
    generating: typeof live.generating === "string" ? live.generating : null,
  };
  for (const r of live.tool_results ?? []) next = toolResult(next, live.turn, r, null);
  return next;
}

function welcome(mode: Mode | null, id: number): ChatMessage[] {
  if (!mode || !mode.welcome_message) return [];
  return [{ id, role: "assistant", text: mode.welcome_message, streaming: false, turn: 0, welcome: true }];
}

function firstTab(mode: Mode | null): string | null {
  return mode?.tabs?.[0]?.id ?? null;
}

function chunk(s: State, turn: number, text: string, done: boolean, at: number): State {
  let messages = s.messages;
  let nextId = s.nextId;
  let idx = messages.findIndex((m) => m.role === "assistant" && m.turn === turn && m.streaming);
  if (idx < 0 && (text !== "" || done)) {
    messages = [...messages, { id: nextId++, role: "assistant", text: "", streaming: true, turn }];
    idx = messages.length - 1;
  }
  let latency = s.latency;
  let awaiting = s.awaitingFirstToken;
  if (idx >= 0) {
    const m = messages[idx]!;
    let full = m.text + text;
    if (done && full === "" && turn === s.switchTurn && s.mode) full = s.mode.welcome_message;
    messages = messages.slice();
    messages[idx] = { ...m, text: full, streaming: !done };
    if (done && full === "") messages.splice(idx, 1);
    if (full !== "" && awaiting) {
      awaiting = false;
      if (latency.sentAt !== null) latency = { ...latency, firstTokenMs: at - latency.sentAt, sentAt: null };
    }
  }
  let next: State = { ...s, messages, nextId, awaitingFirstToken: awaiting && !done, latency };
  if (idx >= 0 && messages[idx]) next = announce(next, messages[idx]!.text, done);
  if (done) {
    next = { ...next, inFlight: false, awaitingFirstToken: false, pendingSend: false };
    // A presto command the model did not act on ends without a switch: drop the spinner.
    if (s.generating === "") next.generating = null;
  }
  return next;
}

/**
 * finishedSentences returns the part of text after `from` that ends in a complete sentence (or
 * everything when done), and where that part ends.
 */
export function finishedSentences(text: string, from: number, done: boolean): { text: string; upTo: number } {
  if (done) return { text: text.slice(from).trim(), upTo: text.length };
  let upTo = from;
  const re = /[.!?…](?=\s)/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) upTo = m.index + 1;
  return { text: text.slice(from, upTo).trim(), upTo };
}

function announce(s: State, text: string, done: boolean): State {
  const f = finishedSentences(text, s.announcedUpTo, done);
  if (f.text === "") return { ...s, announcedUpTo: done ? 0 : f.upTo };
  return { ...s, announcement: { id: s.announcement.id + 1, text: f.text }, announcedUpTo: done ? 0 : f.upTo };
}

// toolResult applies a turn's show_chart or show_metrics; `at` (null for a restored turn) starts
// the tool-to-chart clock.
function toolResult(s: State, turn: number, r: ToolResult, at: number | null): State {
  if (r.tool === "show_chart") {
    const chart = asChart(r.result);
    if (!chart) return s;
    const charts = s.chartsTurn === turn ? [...s.charts, chart].slice(-MaxCharts) : [chart];
    return {
      ...s,
      charts,
      chartsTurn: turn,
      chartsTab: null,
      chartsVersion: s.chartsVersion + 1,
      tabLoading: false,
      latency: at === null ? s.latency : { ...s.latency, toolAt: at },
    };
  }
  if (r.tool === "show_metrics") {
    const metrics = asMetrics(r.result);
    return metrics ? { ...s, metrics } : s;
  }
  return s;
}

function modeSwitch(s: State, turn: number, mode: Mode, persona: Persona | null): State {
  // The server clears the conversation on a switch; this turn's reply (the new welcome) follows.
  return {
    ...s,
    mode,
    persona,
    generating: null,
    switchTurn: turn,
    messages: [],
    charts: [],
    chartsTurn: 0,
    chartsTab: null,
    chartsVersion: s.chartsVersion + 1,
    metrics: null,
    activeTab: firstTab(mode),
    tabLoading: false,
    // Tab contents belong to a mode: the server prefetches the new one's.
    tabContent: {},
    tabPending: null,
    tabFailure: null,
    failure: null,
    announcement: { id: s.announcement.id + 1, text: `Now showing ${mode.company_name}.` },
  };
}

function serverError(s: State, error: string, retryable: boolean | undefined): State {
  if (s.pendingSend) {
    // The server refused the chat we just sent (rate limit, too long): that send failed.
    return {
      ...s,
      pendingSend: false,
      inFlight: false,
      awaitingFirstToken: false,
      generating: null,
      failure: { text: error, retryable: retryable === true },
      latency: { ...s.latency, sentAt: null },
    };
  }
  if (s.tabPending !== null) {
    // The server refused the tab we asked for (a rate limit, an unknown tab).
    const tabId = s.tabPending;
    return {
      ...s,
      tabPending: null,
      tabLoading: s.activeTab === tabId ? false : s.tabLoading,
      tabFailure: { tabId, text: error, retryable: retryable === true },
    };
  }
  return { ...s, notice: error };
}

function chatStart(s: State, before: State, turn: number, text: string, screen: string): State {
  // Our own message is on screen since we sent it; another screen's is shown now.
  if (screen === "" || screen === s.screen || text === "") return s;
  const next: State = {
    ...s,
    // A chat this screen sent is still waiting for its own start.
    pendingSend: before.pendingSend,
    lastUserText: before.pendingSend ? s.lastUserText : text,
    generating: s.generating ?? (isPrestoCommand(text) ? "" : null),
    // A new turn (another screen's Retry, say) ends the failure shown for the last one.
    failure: before.pendingSend ? s.failure : null,
  };
  const last = [...s.messages].reverse().find((m) => m.role === "user" || !m.welcome);
  // A Retry of a failed turn sends the same text again: its bubble is already there.
  if (last?.role === "user" && last.text === text) return next;
  const bubble: ChatMessage = { id: s.nextId, role: "user", text, streaming: false, turn };
  // This turn's first chunk may have come before its start: the question goes above the answer.
  const at = s.messages.findIndex((m) => m.turn === turn && m.role === "assistant");
  const messages = s.messages.slice();
  messages.splice(at < 0 ? messages.length : at, 0, bubble);
  return { ...next, messages, nextId: s.nextId + 1 };
}

// selectTab shows a tab asked for by any screen: its content at once when the server sent it
// already, else a loading state until its tab_content or tab_error.
function selectTab(s: State, tabId: string): State {
  const next: State = { ...s, activeTab: tabId, tabFailure: null };
  const cached = s.tabContent[tabId];
  if (cached) return applyTab(next, tabId, cached);
  return { ...next, tabLoading: true };
}

function tabContent(s: State, modeId: string, tabId: string, results: ToolResult[]): State {
  if (s.mode?.id !== modeId || !tabId) return s; // an old mode's: dropped
  let next: State = {
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

function tabError(s: State, modeId: string, tabId: string, error: string, retryable: boolean): State {
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

function sameResults(a: ToolResult[] | null, b: ToolResult[]): boolean {
  return a !== null && (a === b || JSON.stringify(a) === JSON.stringify(b));
}

// applyTab puts a tab's charts and metrics on the dashboard.
function applyTab(s: State, tabId: string, results: ToolResult[]): State {
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
    chartsTurn: -1,
    chartsTab: tabId,
    chartsFrom: results,
    chartsVersion: s.chartsVersion + 1,
    metrics,
    tabLoading: false,
  };
}
