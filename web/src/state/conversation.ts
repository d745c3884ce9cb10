// The conversation: the chat bubbles, the typed turn in flight and its phase, the spinner of a
// switch, the Retry offer and the polite announcements. Spoken lines join the same list by the
// realtime model's item ids. Every function is generic over the page state so a part can only
// change its own fields.
import type { LiveTurn, Mode, TranscriptPayload } from "../protocol";

export interface ChatMessage {
  id: number;
  role: "user" | "assistant";
  text: string;
  /** streaming is true while the server is still sending this reply. */
  streaming: boolean;
  /** turn is the server turn an assistant reply belongs to (0 for restored, local or spoken ones). */
  turn: number;
  /** welcome marks the mode's welcome message, shown by the client. */
  welcome?: boolean;
  /** itemId is the realtime model's item id of a spoken line. */
  itemId?: string;
  /** heard is a spoken line's text as each socket delivered it; the longer one is shown. */
  heard?: Record<Channel, string>;
  /** cut marks a spoken answer the user talked over (or turned voice off during). */
  cut?: boolean;
}

/** Channel is the socket a spoken line came over: every screen's /ws, and this screen's /voice. */
export type Channel = "ws" | "voice";

/**
 * TurnPhase is where this screen's typed turn is: `sending` from a chat until its turn starts (or
 * the server refuses it), `waiting` for the first token (the typing indicator), `streaming` the
 * answer, `idle` when no turn runs.
 */
export type TurnPhase = "idle" | "sending" | "waiting" | "streaming";

export interface ChatFailure {
  text: string;
  retryable: boolean;
}

/** TurnEnd is how a turn ended; endTurn is the one place that ends one. */
export type TurnEnd = { kind: "done" } | { kind: "stopped" } | { kind: "failed"; failure: ChatFailure };

export interface Conversation {
  /** turn is the latest turn seen to start; messages of older turns are stale and dropped. */
  turn: number;
  phase: TurnPhase;
  messages: ChatMessage[];
  nextId: number;
  failure: ChatFailure | null;
  lastUserText: string | null;
  /** generating is the industry being switched to while the spinner shows, else null. */
  generating: string | null;
  /** switchTurn is the turn that switched the mode (its reply falls back to the welcome message). */
  switchTurn: number;
  /** firstToken times the last chat sent: sentAt until its first token, then ms. */
  firstToken: { sentAt: number | null; ms: number | null };
  /** announcement is the text for the polite live region; id changes on each new announcement. */
  announcement: { id: number; text: string };
  /** announcedUpTo is how much of the streaming reply has been announced. */
  announcedUpTo: number;
}

export function initialConversation(): Conversation {
  return {
    turn: 0,
    phase: "idle",
    messages: [],
    nextId: 1,
    failure: null,
    lastUserText: null,
    generating: null,
    switchTurn: 0,
    firstToken: { sentAt: null, ms: null },
    announcement: { id: 0, text: "" },
    announcedUpTo: 0,
  };
}

/** inFlight: a turn is running (a stop button is offered). */
export const inFlight = (s: Conversation): boolean => s.phase !== "idle";
/** awaitingFirstToken drives the typing indicator. */
export const awaitingFirstToken = (s: Conversation): boolean => s.phase === "sending" || s.phase === "waiting";
/** pendingSend: this screen sent a chat whose turn has not started (nor been refused). */
export const pendingSend = (s: Conversation): boolean => s.phase === "sending";

const prestoCommand = /presto[\s-]*change[\s-]*o/i;

/** isPrestoCommand reports whether text asks for a mode switch, so the spinner shows at once. */
export function isPrestoCommand(text: string): boolean {
  return prestoCommand.test(text);
}

const isTyped = (m: ChatMessage) => m.itemId === undefined;

export function send<S extends Conversation>(s: S, text: string, at: number, addBubble: boolean): S {
  const messages = addBubble ? [...s.messages, { id: s.nextId, role: "user" as const, text, streaming: false, turn: 0 }] : s.messages;
  return {
    ...s,
    messages,
    nextId: addBubble ? s.nextId + 1 : s.nextId,
    phase: "sending",
    failure: null,
    lastUserText: text,
    generating: isPrestoCommand(text) ? "" : s.generating,
    firstToken: { ...s.firstToken, sentAt: at },
  };
}

/** endTurn ends the turn up to `turn`: its reply stops streaming, the phase is idle, and a failure shows. */
export function endTurn<S extends Conversation>(s: S, turn: number, end: TurnEnd): S {
  const next = finishStreaming(s, turn);
  return {
    ...next,
    phase: "idle",
    failure: end.kind === "failed" ? end.failure : next.failure,
    // A presto command the model did not act on ends without a switch: drop the spinner.
    generating: end.kind === "done" && s.generating !== "" ? s.generating : null,
    firstToken: end.kind === "failed" && s.phase === "sending" ? { ...s.firstToken, sentAt: null } : s.firstToken,
  };
}

export function startTurn<S extends Conversation>(s: S, turn: number): S {
  // Only older turns' replies end here: this turn's chunks may have arrived before its start.
  const finished = finishStreaming(s, turn - 1);
  const answered = finished.messages.some((m) => m.turn === turn && m.role === "assistant" && m.text !== "");
  // Until this turn's first token the typing indicator shows.
  return { ...finished, turn, phase: answered ? "streaming" : "waiting", announcedUpTo: 0 };
}

// finishStreaming closes the typed replies of turns up to `turn`, dropping any that never got text.
function finishStreaming<S extends Conversation>(s: S, turn: number): S {
  const open = (m: ChatMessage) => isTyped(m) && m.streaming && m.turn <= turn;
  if (!s.messages.some(open)) return s;
  const messages = s.messages.filter((m) => !(open(m) && m.text === "")).map((m) => (open(m) ? { ...m, streaming: false } : m));
  return { ...s, messages };
}

/** chatStart shows another screen's question; before is the state before the turn started. */
export function chatStart<S extends Conversation>(s: S, before: Conversation, turn: number, text: string, screen: string, ownScreen: string | null): S {
  // Our own message is on screen since we sent it; another screen's is shown now.
  if (screen === "" || screen === ownScreen || text === "") return s;
  const sending = pendingSend(before);
  const next: S = {
    ...s,
    // A chat this screen sent is still waiting for its own start.
    phase: sending ? "sending" : s.phase,
    lastUserText: sending ? s.lastUserText : text,
    generating: s.generating ?? (isPrestoCommand(text) ? "" : null),
    // A new turn (another screen's Retry, say) ends the failure shown for the last one.
    failure: sending ? s.failure : null,
  };
  const last = [...s.messages].reverse().find((m) => m.role === "user" || !m.welcome);
  // A Retry of a failed turn sends the same text again: its bubble is already there.
  if (last?.role === "user" && last.text === text) return next;
  const bubble: ChatMessage = { id: s.nextId, role: "user", text, streaming: false, turn };
  // This turn's first chunk may have come before its start: the question goes above the answer.
  const at = s.messages.findIndex((m) => m.turn === turn && m.role === "assistant" && isTyped(m));
  const messages = s.messages.slice();
  messages.splice(at < 0 ? messages.length : at, 0, bubble);
  return { ...next, messages, nextId: s.nextId + 1 };
}

export function chunk<S extends Conversation>(s: S, mode: Mode | null, turn: number, text: string, done: boolean, at: number): S {
  let messages = s.messages;
  let nextId = s.nextId;
  let idx = messages.findIndex((m) => m.role === "assistant" && m.turn === turn && m.streaming && isTyped(m));
  if (idx < 0 && (text !== "" || done)) {
    messages = [...messages, { id: nextId++, role: "assistant", text: "", streaming: true, turn }];
    idx = messages.length - 1;
  }
  let next: S = { ...s, messages, nextId };
  if (idx >= 0) {
    const m = messages[idx]!;
    let full = m.text + text;
    if (done && full === "" && turn === s.switchTurn && mode) full = mode.welcome_message;
    messages = messages.slice();
    messages[idx] = { ...m, text: full, streaming: !done };
    if (done && full === "") messages.splice(idx, 1);
    next = { ...next, messages };
    if (full !== "" && awaitingFirstToken(s)) {
      next.phase = "streaming";
      if (s.firstToken.sentAt !== null) next.firstToken = { ms: at - s.firstToken.sentAt, sentAt: null };
    }
    next = announce(next, full, done);
  }
  return done ? endTurn(next, turn, { kind: "done" }) : next;
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

function announce<S extends Conversation>(s: S, text: string, done: boolean): S {
  const f = finishedSentences(text, s.announcedUpTo, done);
  if (f.text === "") return { ...s, announcedUpTo: done ? 0 : f.upTo };
  return { ...s, announcement: { id: s.announcement.id + 1, text: f.text }, announcedUpTo: done ? 0 : f.upTo };
}

export function welcome(mode: Mode | null, id: number): ChatMessage[] {
  if (!mode || !mode.welcome_message) return [];
  return [{ id, role: "assistant", text: mode.welcome_message, streaming: false, turn: 0, welcome: true }];
}

/** restore replaces the conversation with the session's history (or the welcome) on (re)connect. */
export function restore<S extends Conversation>(s: S, history: { role: "user" | "assistant"; content: string }[], mode: Mode | null, turn: number): S {
  let nextId = s.nextId;
  // Tool-call-only assistant turns have no text to show.
  const shown = history.filter((h) => (h.role === "user" || h.role === "assistant") && h.content?.trim());
  const messages: ChatMessage[] =
    shown.length > 0 ? shown.map((h) => ({ id: nextId++, role: h.role, text: h.content, streaming: false, turn: 0 })) : welcome(mode, nextId++);
  return {
    ...s,
    // The server numbers turns per connection's session; after a restart it may count from 1 again.
    turn,
    messages,
    nextId,
    phase: "idle",
    generating: null,
    failure: null,
    announcedUpTo: 0,
  };
}

// liveTurn restores the turn in flight when this screen joined: the user's message, the reply so
// far and the spinner. The rest of the turn follows as ordinary messages.
export function liveTurn<S extends Conversation>(s: S, live: LiveTurn): S {
  let nextId = s.nextId;
  const messages = s.messages.slice();
  const last = messages[messages.length - 1];
  // The history may already end with this turn's message.
  if (live.text && !(last?.role === "user" && last.text === live.text)) {
    messages.push({ id: nextId++, role: "user", text: live.text, streaming: false, turn: live.turn });
  }
  if (live.reply) messages.push({ id: nextId++, role: "assistant", text: live.reply, streaming: true, turn: live.turn });
  return {
    ...s,
    messages,
    nextId,
    turn: Math.max(s.turn, live.turn),
    phase: live.reply === "" ? "waiting" : "streaming",
    lastUserText: live.text || s.lastUserText,
    generating: typeof live.generating === "string" ? live.generating : null,
  };
}

export function cleared<S extends Conversation>(s: S, mode: Mode | null): S {
  return { ...s, messages: welcome(mode, s.nextId), nextId: s.nextId + 1, failure: null, announcedUpTo: 0 };
}

export function modeSwitched<S extends Conversation>(s: S, turn: number, mode: Mode): S {
  // The server clears the conversation on a switch; this turn's reply (the new welcome) follows.
  return {
    ...s,
    generating: null,
    switchTurn: turn,
    messages: [],
    failure: null,
    announcement: { id: s.announcement.id + 1, text: `Now showing ${mode.company_name}.` },
  };
}

/**
 * spoken places a line of the voice conversation. Both sockets carry every line, so a line is
 * keyed by its item id and each socket's deltas are kept apart: the longer copy shows, and the
 * final line replaces both. The user's line may come after the answer began (transcription runs
 * beside the answer, and the server holds the answer's final line until the question's): it goes
 * above the answer still streaming. Spoken lines are not announced: they were heard already.
 */
export function spoken<S extends Conversation>(s: S, p: TranscriptPayload, channel: Channel): S {
  if (!p.item_id || (p.role !== "user" && p.role !== "assistant")) return s;
  const idx = s.messages.findIndex((m) => m.itemId === p.item_id);
  if (idx >= 0) {
    const m = s.messages[idx]!;
    if (!p.final && !m.streaming) return s; // a late copy of a line already ended
    const heard = { ...(m.heard ?? { ws: "", voice: "" }) };
    heard[channel] = p.final ? p.text : heard[channel] + p.text;
    const text = p.final ? p.text || m.text : heard.ws.length >= heard.voice.length ? heard.ws : heard.voice;
    const messages = s.messages.slice();
    messages[idx] = { ...m, text, heard, streaming: !p.final };
    return { ...s, messages };
  }
  if (p.text === "") return s; // a failed transcription: nothing to show
  const heard = { ws: "", voice: "" };
  heard[channel] = p.text;
  const line: ChatMessage = { id: s.nextId, role: p.role, text: p.text, streaming: p.role === "assistant" && !p.final, turn: 0, itemId: p.item_id, heard };
  const messages = s.messages.slice();
  messages.splice(p.role === "user" ? questionSlot(messages) : messages.length, 0, line);
  return { ...s, messages, nextId: s.nextId + 1 };
}

// questionSlot is where a spoken question goes: above the first spoken answer still streaming
// since the last spoken question, else at the end.
function questionSlot(messages: ChatMessage[]): number {
  let from = 0;
  messages.forEach((m, i) => {
    if (m.itemId !== undefined && m.role === "user") from = i + 1;
  });
  const at = messages.findIndex((m, i) => i >= from && m.itemId !== undefined && m.role === "assistant" && m.streaming);
  return at < 0 ? messages.length : at;
}

/** interrupted ends the spoken answers the user talked over: what was cut stays as it was heard. */
export function interrupted<S extends Conversation>(s: S): S {
  if (!s.messages.some((m) => m.itemId !== undefined && m.streaming)) return s;
  return { ...s, messages: s.messages.map((m) => (m.itemId !== undefined && m.streaming ? { ...m, streaming: false, cut: true } : m)) };
}
