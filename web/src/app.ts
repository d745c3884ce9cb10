// The page's controller: it wires the store and the socket, and offers the user actions the
// components call. It is created once in main.tsx and passed down.
import { pinSession, sessionFromURL } from "./api";
import { warmCharts } from "./charts";
import { Connection, socketURL } from "./socket";
import { Store } from "./store";
import type { State } from "./state";
import { applyTheme, defaultTheme } from "./theme";
import { modes } from "./constants";

export class App {
  readonly store = new Store();
  private readonly conn: Connection;
  private appliedMode: string | null = null;
  private readonly now = () => performance.now();

  constructor(loc: Location = window.location) {
    // A link from another screen's Settings (/?session=ID) joins that screen's session.
    const session = sessionFromURL(loc.search);
    pinSession(session);
    this.conn = new Connection({
      url: socketURL(loc, session),
      dispatch: (a) => this.store.dispatch(a),
      now: this.now,
    });
  }

  /** start connects and keeps the document (theme, title) in step with the state. */
  start(): void {
    applyTheme(document.documentElement, defaultTheme);
    this.store.subscribe((s) => this.sync(s));
    window.addEventListener("online", () => this.conn.reconnectNow());
    this.conn.start();
    warmCharts();
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

  /**
   * selectTab shows a tab on every screen of the session: the server answers tab_selected and the
   * tab's content to all of them. Content the server already sent shows at once.
   */
  selectTab(tabId: string): void {
    if (!this.store.getState().mode) return;
    if (!this.conn.send({ type: "tab", payload: { tab_id: tabId } })) {
      this.store.dispatch({ type: "notice", text: "Not connected: try again in a moment." });
      return;
    }
    this.store.dispatch({ type: "select_tab", tabId });
  }

  /** chartDrawn records when a chart's first frame was drawn (tool-to-chart latency). */
  chartDrawn(): void {
    this.store.dispatch({ type: "chart_drawn", at: this.now() });
  }

  dismissNotice(): void {
    this.store.dispatch({ type: "dismiss_notice" });
  }

  dismissTabFailure(): void {
    this.store.dispatch({ type: "dismiss_tab_failure" });
  }

  // sync keeps the document's theme and title on the current mode. The server prefetches a new
  // mode's tabs and sends their content to every screen.
  private sync(s: State): void {
    const mode = s.mode;
    if (!mode || mode.id === this.appliedMode) return;
    this.appliedMode = mode.id;
    applyTheme(document.documentElement, mode.theme);
    document.title = mode.id === modes.homeId ? "Presto-Change-O" : `${mode.company_name} · Presto-Change-O`;
  }
}
