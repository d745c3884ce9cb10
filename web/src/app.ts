// The page's controller: it wires the store and the sockets, and offers the user actions the
// components call. It is created once in main.tsx and passed down.
import { pinSession, sessionFromURL } from "./api";
import { loadCharts } from "./charts";
import { Connection, socketURL } from "./socket";
import { Store } from "./store";
import { inFlight } from "./state";
import type { State } from "./state";
import { applyTheme, defaultTheme } from "./theme";
import { modes } from "./constants";
import type { VoiceClient } from "./voice/client";

export class App {
  readonly store = new Store();
  private readonly conn: Connection;
  private readonly voiceURL: string;
  private voice: VoiceClient | null = null;
  /** voiceRun numbers each start of voice, so a start overtaken by a stop does nothing when its code loads. */
  private voiceRun = 0;
  private readonly levelListeners = new Set<(level: number) => void>();
  private appliedMode: string | null = null;
  private chartsAsked = false;
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
    this.voiceURL = socketURL(loc, session, "/voice");
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

  /**
   * toggleVoice starts voice (its code and worklets load now, not with the page) or stops it. The
   * microphone and the socket open in the voice client; the state follows its messages.
   */
  toggleVoice(): void {
    if (this.store.getState().voice.on) {
      this.stopVoice();
      this.store.dispatch({ type: "voice_off" });
      return;
    }
    const run = ++this.voiceRun;
    this.store.dispatch({ type: "voice_on" });
    import("./voice/client").then(
      ({ VoiceClient }) => {
        if (run !== this.voiceRun) return;
        const v = new VoiceClient({ url: this.voiceURL, dispatch: (a) => this.store.dispatch(a), level: (l) => this.levelListeners.forEach((f) => f(l)) });
        this.voice = v;
        if (this.store.getState().voice.muted) v.mute(true);
        void v.start();
      },
      () => {
        if (run === this.voiceRun) this.store.dispatch({ type: "voice_failed", reason: "Voice could not load: reload the page and try again." });
      },
    );
  }

  /** setVoiceMuted stops (or resumes) sending the microphone; the voice session stays. */
  setVoiceMuted(muted: boolean): void {
    if (!this.store.getState().voice.on) return;
    this.voice?.mute(muted);
    this.store.dispatch({ type: "voice_mute", muted });
  }

  /** onVoiceLevel calls fn with the microphone's loudness (0..1) per frame; it returns the unsubscribe. */
  onVoiceLevel(fn: (level: number) => void): () => void {
    this.levelListeners.add(fn);
    return () => this.levelListeners.delete(fn);
  }

  private stopVoice(): void {
    this.voiceRun++;
    this.voice?.stop();
    this.voice = null;
  }

  dismissNotice(): void {
    this.store.dispatch({ type: "dismiss_notice" });
  }

  dismissTabFailure(): void {
    this.store.dispatch({ type: "dismiss_tab_failure" });
  }

  // sync keeps the document's theme and title on the current mode, lets go of a voice client that
  // ended and loads the charts' code when it will be needed. The server prefetches a new mode's
  // tabs and sends their content to every screen.
  private sync(s: State): void {
    // Voice ended without the toggle (the server's error, the microphone refused): let it go.
    if (!s.voice.on && this.voice) this.stopVoice();
    // Chart.js loads once a chart may come (a question asked or being made, a business's
    // dashboard), not with the home page, and so it is there by the time the chart is.
    if (!this.chartsAsked && (inFlight(s) || s.visualizing !== null || s.charts.length > 0 || (s.mode !== null && s.mode.id !== modes.homeId))) {
      this.chartsAsked = true;
      loadCharts().catch(() => (this.chartsAsked = false));
    }
    const mode = s.mode;
    if (!mode || mode.id === this.appliedMode) return;
    this.appliedMode = mode.id;
    const root = document.documentElement;
    applyTheme(root, mode.theme);
    if (!root.classList.contains("theme-animated")) {
      // The first theme is painted as it is: animating it from the defaults would recalculate every
      // style for 0.6 s of the page's first second. Computing it now, before the transition is
      // declared, keeps it from starting; later switches fade.
      getComputedStyle(root).getPropertyValue("--color-primary");
      root.classList.add("theme-animated");
    }
    document.title = mode.id === modes.homeId ? "Presto-Change-O" : `${mode.company_name} · Presto-Change-O`;
  }
}
