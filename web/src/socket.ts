// The one module that owns the /ws socket: it connects, reconnects with capped exponential
// backoff and turns every frame into a reducer action. Ordering is left to the reducer, which
// drops stale turns by number; nothing here waits on timers except the reconnect backoff.
import { parseServerMessage } from "./protocol";
import type { ClientMessage } from "./protocol";
import type { Action } from "./state";

/** MaxBackoffMs caps the wait between reconnect attempts. */
export const MaxBackoffMs = 5000;
const baseBackoffMs = 250;
const pingEveryMs = 25_000;

/**
 * backoffDelay is the wait before reconnect attempt `attempt` (0-based): doubling from 250 ms up
 * to the cap, with ±20 % jitter from rand (0..1) so many tabs do not reconnect in lockstep.
 */
export function backoffDelay(attempt: number, rand: number): number {
  const raw = Math.min(MaxBackoffMs, baseBackoffMs * 2 ** Math.min(attempt, 16));
  return Math.min(MaxBackoffMs, Math.round(raw * (0.8 + 0.4 * rand)));
}

/**
 * socketURL is the same-origin URL of /ws (or /voice). The browser sends the session cookie (and
 * the access token's cookie) itself; a session named by the page's link (another screen's) is
 * passed as ?session=ID instead.
 */
export function socketURL(loc: { protocol: string; host: string }, session: string | null = null, path: "/ws" | "/voice" = "/ws"): string {
  const base = `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}${path}`;
  return session === null ? base : `${base}?session=${encodeURIComponent(session)}`;
}

export interface ConnectionOptions {
  url: string;
  dispatch: (a: Action) => void;
  now: () => number;
}

/** Connection keeps one WebSocket open for the life of the page. */
export class Connection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(private readonly opts: ConnectionOptions) {}

  /** start opens the socket; it reconnects by itself until stop is called. */
  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** stop closes the socket for good. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.ws?.close(1000, "page closed");
    this.ws = null;
  }

  /** reconnectNow skips the backoff wait, e.g. when the browser comes back online. */
  reconnectNow(): void {
    if (this.stopped || this.ws !== null) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  /** send writes one message and reports whether the socket was open to take it. */
  send(msg: ClientMessage): boolean {
    if (this.ws === null || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  private connect(): void {
    this.opts.dispatch({ type: "connecting" });
    const ws = new WebSocket(this.opts.url);
    this.ws = ws;
    ws.onopen = () => {
      this.opts.dispatch({ type: "open" });
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: "ping", payload: {} }), pingEveryMs);
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== "string") return;
      const msg = parseServerMessage(ev.data);
      if (!msg) return;
      // A session message means the server accepted us: the next drop starts the backoff afresh.
      if (msg.type === "session") this.attempt = 0;
      this.opts.dispatch({ type: "server", msg, at: this.opts.now() });
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearInterval(this.pingTimer);
      this.opts.dispatch({ type: "closed" });
      if (this.stopped) return;
      const delay = backoffDelay(this.attempt++, Math.random());
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
    // onerror is always followed by onclose, which schedules the retry.
  }
}
