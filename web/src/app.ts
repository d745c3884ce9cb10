// The page's controller: it wires the store, the socket and the tab cache, and offers the user
// actions the components call. It is created once in main.tsx and passed down.
import { TabCache } from "./api";
import { Connection, socketURL } from "./socket";
import { Store } from "./store";
import type { State } from "./state";
import type { Tab } from "./protocol";
import { applyTheme, defaultTheme } from "./theme";
import { modes } from "./constants";

export class App {
  readonly store = new Store();
  private readonly conn: Connection;
  private readonly tabs = new TabCache();
  private prefetch: AbortController | null = null;
  private appliedMode: string | null = null;
  private readonly now = () => performance.now();

  constructor(loc: Location = window.location) {
    this.conn = new Connection({ url: socketURL(loc), dispatch: (a) => this.store.dispatch(a), now: this.now });
  }

  /** start connects and keeps the document (theme, title) in step with the state. */
  start(): void {
    applyTheme(document.documentElement, defaultTheme);
    this.store.subscribe((s) => this.sync(s));
    window.addEventListener("online", () => this.conn.reconnectNow());
    this.conn.start();
  }

  /** sendChat sends text as a chat turn; it reports false when the socket is not open. */
  sendChat(text: string): boolean {
    const t = text.trim();
    if (t === "") return false;
    if (!this.conn.send({ type: "chat", payload: { text: t } })) return false;
    this.store.dispatch({ type: "send", text: t, at: this.now() });
    return true;
  }

  /** retry resends the last user text after a retryable failure. */
  retry(): void {
    const text = this.store.getState().lastUserText;
    if (text === null) return;
    if (this.conn.send({ type: "chat", payload: { text } })) this.store.dispatch({ type: "retry", at: this.now() });
  }

  /** cancel stops the turn in flight. */
  cancel(): void {
    this.conn.send({ type: "cancel", payload: {} });
    this.store.dispatch({ type: "cancel" });
  }

  /** newConversation asks the server to clear the chat history. */
  newConversation(): void {
    if (this.conn.send({ type: "clear_chat", payload: {} })) this.store.dispatch({ type: "clear" });
  }

  /** switchTo switches to a known mode the way a presenter would: with the magic words. */
  switchTo(companyName: string): boolean {
    return this.sendChat(`${modes.magicWords}, you're ${companyName}`);
  }

  /** selectTab shows a tab's content, from the cache when it was prefetched. */
  selectTab(tab: Tab): void {
    const mode = this.store.getState().mode;
    if (!mode) return;
    this.store.dispatch({ type: "tab_selected", tabId: tab.id });
    this.tabs.get(mode.id, tab.id, tab.label).then(
      (results) => this.store.dispatch({ type: "tab_content", modeId: mode.id, tabId: tab.id, results }),
      (err: unknown) =>
        this.store.dispatch({ type: "tab_failed", modeId: mode.id, tabId: tab.id, error: err instanceof Error ? err.message : String(err) }),
    );
  }

  /** chartDrawn records when a chart's first frame was drawn (tool-to-chart latency). */
  chartDrawn(): void {
    this.store.dispatch({ type: "chart_drawn", at: this.now() });
  }

  dismissNotice(): void {
    this.store.dispatch({ type: "dismiss_notice" });
  }

  private sync(s: State): void {
    const mode = s.mode;
    if (!mode || mode.id === this.appliedMode) return;
    this.appliedMode = mode.id;
    applyTheme(document.documentElement, mode.theme);
    document.title = mode.id === modes.homeId ? "Presto-Change-O" : `${mode.company_name} · Presto-Change-O`;
    this.prefetch?.abort();
    this.prefetch = null;
    if (mode.id === modes.homeId) return;
    // Prefetch every tab so clicks are instant; the first tab fills the empty dashboard.
    const ctl = new AbortController();
    this.prefetch = ctl;
    const tabs = (mode.tabs ?? []).filter((t) => t.id !== modes.settingsTab);
    const first = tabs[0];
    if (first) {
      this.tabs.get(mode.id, first.id, first.label, ctl.signal).then(
        (results) => this.store.dispatch({ type: "tab_content", modeId: mode.id, tabId: first.id, results, onlyIfEmpty: true }),
        () => undefined,
      );
    }
    void this.tabs.prefetch(mode.id, tabs, ctl.signal);
  }
}
