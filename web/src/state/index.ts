// The page's state and the pure reducer that turns server messages and user actions into it. The
// socket modules feed it; components only read it. Keeping it pure lets the unit tests replay any
// ordering of messages, including stale and out-of-order ones. The state is four parts (connection,
// conversation, dashboard, voice), each in its own module; this one routes messages to them and
// keeps the turn numbers.
import { initialConnection } from "./connection";
import type { Connection } from "./connection";
import * as conv from "./conversation";
import type { Conversation } from "./conversation";
import * as dash from "./dashboard";
import type { Dashboard } from "./dashboard";
import * as voice from "./voice";
import type { Voice } from "./voice";
import type { ServerMessage, SessionPayload, VoiceServerMessage } from "../protocol";

export type { ConnectionState } from "./connection";
export type { ChatFailure, ChatMessage, TurnPhase } from "./conversation";
export { awaitingFirstToken, finishedSentences, inFlight, isPrestoCommand, pendingSend } from "./conversation";
export type { TabFailure, Visualizing } from "./dashboard";
export { MaxCharts } from "./dashboard";
export type { Voice, VoiceActivity } from "./voice";
export { activity } from "./voice";

export type State = Connection & Conversation & Dashboard & { voice: Voice };

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
  | { type: "dismiss_tab_failure" }
  /** voice_on and voice_off are this screen's voice toggle; voice_failed ends it with a reason. */
  | { type: "voice_on" }
  | { type: "voice_off" }
  | { type: "voice_failed"; reason: string }
  | { type: "voice_mute"; muted: boolean }
  | { type: "voice_playing"; playing: boolean }
  /** voice_lost is the /voice socket dropping; the client reconnects it by itself. */
  | { type: "voice_lost" }
  | { type: "voice"; msg: VoiceServerMessage };

export function initialState(): State {
  return { ...initialConnection(), ...conv.initialConversation(), ...dash.initialDashboard(), voice: voice.initialVoice() };
}

/** reduce is the whole state machine of the page. */
export function reduce(s: State, a: Action): State {
  switch (a.type) {
    case "connecting":
      return { ...s, connection: "connecting" };
    case "open":
      return { ...s, connection: "open" };
    case "closed":
      // Whatever was in flight on this screen ends; the session message after the reconnect
      // restores the conversation, and a turn still running (another screen's, say) through its `live`.
      return { ...conv.endTurn(s, s.turn, { kind: "stopped" }), connection: "closed" };
    case "server":
      return onServer(s, a.msg, a.at);
    case "send":
      return { ...conv.send(s, a.text, a.at, true), notice: null };
    case "retry":
      return s.lastUserText === null ? s : { ...conv.send(s, s.lastUserText, a.at, false), notice: null };
    case "cancel":
      return conv.endTurn(s, s.turn, { kind: "stopped" });
    case "clear":
      return { ...s, failure: null };
    case "select_tab":
      if (!s.mode) return s;
      return dash.selectTab({ ...s, tabPending: a.tabId }, a.tabId);
    case "chart_drawn":
      return dash.chartDrawn(s, a.at);
    case "notice":
      return { ...s, notice: a.text };
    case "dismiss_notice":
      return { ...s, notice: null };
    case "dismiss_tab_failure":
      return { ...s, tabFailure: null };
    case "voice_on":
      return { ...s, voice: voice.started(s.voice) };
    case "voice_off":
      return { ...conv.interrupted(s), voice: voice.stopped(s.voice) };
    case "voice_failed":
      return { ...conv.interrupted(s), voice: voice.failed(s.voice, a.reason) };
    case "voice_mute":
      return s.voice.on ? { ...s, voice: { ...s.voice, muted: a.muted } } : s;
    case "voice_playing":
      return s.voice.on && s.voice.playing !== a.playing ? { ...s, voice: { ...s.voice, playing: a.playing } } : s;
    case "voice_lost":
      return s.voice.on ? { ...conv.interrupted(s), voice: voice.status(s.voice, "reconnecting", undefined) } : s;
    case "voice":
      return onVoice(s, a.msg);
  }
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
      s = conv.startTurn(s, msg.turn);
    }
  }
  const turn = msg.turn ?? s.turn;
  switch (msg.type) {
    case "chat_start":
      // A typed turn's charts are its own from now: a spoken chart still being made is not.
      return dash.visualizationDropped(conv.chatStart(s, before, turn, msg.payload.text ?? "", msg.payload.screen ?? "", s.screen));
    case "chat_chunk":
      return conv.chunk(s, s.mode, turn, msg.payload.text ?? "", msg.payload.done === true, at);
    case "tool_result":
      return dash.toolResult(s, turn, msg.payload, at);
    case "chat_error":
      return conv.endTurn(s, turn, {
        kind: "failed",
        failure: { text: msg.payload.error || "Something went wrong.", retryable: msg.payload.retryable === true },
      });
    case "mode_generating":
      return { ...s, generating: msg.payload.industry ?? "" };
    case "mode_generating_cancel":
      return { ...s, generating: null };
    case "mode_switch":
      return conv.modeSwitched(dash.modeSwitched(s, msg.payload.mode, msg.payload.persona), turn, msg.payload.mode);
    case "chat_cleared":
      return dash.visualizationDropped(conv.cleared(s, s.mode));
    case "tab_selected":
      return dash.tabSelected(s, msg.payload.mode_id, msg.payload.tab_id);
    case "tab_content":
      return dash.tabContent(s, msg.payload.mode_id, msg.payload.tab_id, msg.payload.tool_results ?? []);
    case "tab_error":
      return dash.tabError(s, msg.payload.mode_id, msg.payload.tab_id, msg.payload.error, msg.payload.retryable);
    case "transcript":
      return conv.spoken(s, msg.payload, "ws");
    case "visualization_generating":
      return dash.visualizationRequested(s, msg.payload.vis_type ?? "", msg.payload.description ?? "");
    case "visualization_error":
      return { ...dash.visualizationDropped(s), notice: msg.payload.error || "The chart could not be drawn." };
    case "pong":
      return s;
    case "error":
      return serverError(s, msg.payload.error || "The server refused the message.", msg.payload.retryable);
  }
}

function session(s: State, p: SessionPayload, turn: number | undefined): State {
  let next: State = conv.restore(dash.joined(s, p.mode, p.persona, p.active_tab), p.history ?? [], p.mode, turn ?? 0);
  next = { ...next, sessionId: p.id, screen: p.screen || null, provider: p.provider };
  if (p.live && p.live.turn > 0) {
    const live = p.live;
    next = conv.liveTurn(next, live);
    for (const r of live.tool_results ?? []) next = dash.toolResult(next, live.turn, r, null);
  }
  return dash.showCachedTab(next);
}

function serverError(s: State, error: string, retryable: boolean | undefined): State {
  // The server refused the chat we just sent (rate limit, too long): that send failed.
  if (conv.pendingSend(s)) return conv.endTurn(s, s.turn, { kind: "failed", failure: { text: error, retryable: retryable === true } });
  // The server refused the tab we asked for (a rate limit, an unknown tab).
  if (s.tabPending !== null) return dash.tabRefused(s, error, retryable);
  return { ...s, notice: error };
}

function onVoice(s: State, msg: VoiceServerMessage): State {
  if (!s.voice.on) return s; // a late message of a voice socket already closed
  switch (msg.type) {
    case "status":
      return { ...s, voice: voice.status(s.voice, msg.payload.status, msg.payload.reason) };
    case "speech_started":
      // The user talks over the answer: the playback stops at once, and so does its line.
      return { ...conv.interrupted(s), voice: { ...s.voice, userSpeaking: true, playing: false } };
    case "speech_stopped":
      return { ...s, voice: { ...s.voice, userSpeaking: false } };
    case "transcript":
      return conv.spoken(s, msg.payload, "voice");
    case "latency":
      return typeof msg.payload.first_audio_ms === "number" ? { ...s, voice: { ...s.voice, firstAudioMs: msg.payload.first_audio_ms } } : s;
    case "error":
      return { ...s, notice: msg.payload.error || "The voice model reported an error." };
    case "audio":
    case "audio_done":
      return s; // the voice client plays these
  }
}
