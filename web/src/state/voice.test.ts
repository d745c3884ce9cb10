// The voice part of the state and the spoken lines in the conversation: the statuses the server
// sends, who is talking, and the lines of both sockets placed by item id.
import { describe, expect, it } from "vitest";
import { activity, initialState, reduce } from "./index";
import type { Action, State } from "./index";
import type { Mode, ServerMessage, TranscriptPayload, VoiceServerMessage } from "../protocol";

const bank: Mode = {
  id: "banking",
  name: "Banking",
  company_name: "Summit Bank",
  tagline: "t",
  theme: { primary: "#123456", secondary: "#654321", background: "#ffffff", surface: "#f5f5f5", text: "#111111", text_muted: "#555555" },
  tabs: [{ id: "dashboard", label: "Dashboard", icon: "dashboard" }],
  default_metrics: [],
  welcome_message: "Welcome to Summit Bank.",
  background_image: "",
  prebuilt: true,
};

const ws = (m: unknown): Action => ({ type: "server", msg: m as ServerMessage, at: 0 });
const voice = (m: unknown): Action => ({ type: "voice", msg: m as VoiceServerMessage });
const line = (role: "user" | "assistant", item_id: string, text: string, final: boolean): TranscriptPayload => ({ role, item_id, text, final });
const heardOnWS = (p: TranscriptPayload) => ws({ type: "transcript", payload: p });
const heardOnVoice = (p: TranscriptPayload) => voice({ type: "transcript", payload: p });
const status = (st: string, reason?: string) => voice({ type: "status", payload: { status: st, reason } });

function run(actions: Action[], from: State = initialState()): State {
  return actions.reduce(reduce, from);
}

const joined = run([{ type: "open" }, ws({ type: "session", payload: { id: "s1", screen: "A", mode: bank, persona: null, provider: "azure", history: [] } })]);
const talking = run([{ type: "voice_on" }, status("connecting"), status("connected")], joined);

function lines(s: State): string[] {
  return s.messages.filter((m) => m.itemId !== undefined).map((m) => `${m.role}:${m.itemId}:${m.text}${m.streaming ? "…" : ""}`);
}

describe("voice status", () => {
  it("goes off → connecting → connected, and an error ends voice with the server's reason", () => {
    expect(joined.voice.status).toBe("off");
    const starting = reduce(joined, { type: "voice_on" });
    expect(starting.voice).toMatchObject({ on: true, status: "connecting" });
    expect(talking.voice.status).toBe("connected");
    const refused = reduce(talking, status("error", "Voice needs a realtime model: set AZURE_REALTIME_DEPLOYMENT"));
    expect(refused.voice).toMatchObject({ on: false, status: "error", reason: "Voice needs a realtime model: set AZURE_REALTIME_DEPLOYMENT" });
    // A late message of the socket that closed changes nothing.
    expect(reduce(refused, status("connected")).voice.status).toBe("error");
    // Turning voice on again clears the error.
    expect(reduce(refused, { type: "voice_on" }).voice).toMatchObject({ status: "connecting", reason: "" });
  });

  it("reconnecting, from the server or a dropped socket, and back", () => {
    const upstream = reduce(talking, status("reconnecting"));
    expect(upstream.voice).toMatchObject({ on: true, status: "reconnecting" });
    expect(reduce(upstream, status("connected")).voice.status).toBe("connected");
    const socket = reduce(talking, { type: "voice_lost" });
    expect(socket.voice.status).toBe("reconnecting");
    expect(reduce(joined, { type: "voice_lost" }).voice.status).toBe("off");
  });

  it("a microphone refused ends voice with its reason; off resets mute", () => {
    const s = reduce(talking, { type: "voice_failed", reason: "Microphone access was refused." });
    expect(s.voice).toMatchObject({ on: false, status: "error", reason: "Microphone access was refused." });
    const muted = reduce(talking, { type: "voice_mute", muted: true });
    expect(muted.voice.muted).toBe(true);
    expect(reduce(muted, { type: "voice_off" }).voice).toMatchObject({ on: false, status: "off", muted: false });
    // Mute means nothing while voice is off.
    expect(reduce(joined, { type: "voice_mute", muted: true }).voice.muted).toBe(false);
  });

  it("activity: listening between speech_started and speech_stopped, speaking while audio plays", () => {
    expect(activity(talking.voice)).toBe("idle");
    const playing = reduce(talking, { type: "voice_playing", playing: true });
    expect(activity(playing.voice)).toBe("speaking");
    const listening = reduce(playing, voice({ type: "speech_started", payload: {} }));
    expect(activity(listening.voice)).toBe("listening");
    expect(listening.voice.playing).toBe(false);
    expect(activity(reduce(listening, voice({ type: "speech_stopped", payload: {} })).voice)).toBe("idle");
  });

  it("keeps the time to first audio", () => {
    expect(reduce(talking, voice({ type: "latency", payload: { first_audio_ms: 412 } })).voice.firstAudioMs).toBe(412);
  });
});

describe("spoken lines", () => {
  it("a screen without voice shows the lines from /ws: the answer streams, then its final line replaces it", () => {
    let s = run([heardOnWS(line("user", "u1", "how much is in checking?", true)), heardOnWS(line("assistant", "a1", "You have ", false))], joined);
    expect(lines(s)).toEqual(["user:u1:how much is in checking?", "assistant:a1:You have …"]);
    s = run([heardOnWS(line("assistant", "a1", "$5.", false)), heardOnWS(line("assistant", "a1", "You have $5 in checking.", true))], s);
    expect(lines(s)).toEqual(["user:u1:how much is in checking?", "assistant:a1:You have $5 in checking."]);
    expect(s.messages.at(-1)?.streaming).toBe(false);
  });

  it("shows each line once when both sockets carry it, whichever comes first", () => {
    const deltas = ["Your ", "balance ", "is ", "$5."];
    const actions: Action[] = [];
    // /voice runs ahead of /ws by two deltas; the final line comes on /voice first, then on /ws.
    deltas.forEach((d, i) => {
      actions.push(heardOnVoice(line("assistant", "a1", d, false)));
      if (i >= 2) actions.push(heardOnWS(line("assistant", "a1", deltas[i - 2]!, false)));
    });
    let s = run(actions, talking);
    expect(lines(s)).toEqual(["assistant:a1:Your balance is $5.…"]);
    // The question's transcript, late on /voice (above the answer), later still on /ws; the
    // final line on /voice before the last deltas on /ws.
    s = run(
      [
        heardOnVoice(line("user", "u0", "balance?", true)),
        heardOnVoice(line("assistant", "a1", "Your balance is $5.", true)),
        heardOnWS(line("assistant", "a1", "is ", false)),
        heardOnWS(line("user", "u0", "balance?", true)),
        heardOnWS(line("assistant", "a1", "$5.", false)),
        heardOnWS(line("assistant", "a1", "Your balance is $5.", true)),
      ],
      s,
    );
    expect(lines(s)).toEqual(["user:u0:balance?", "assistant:a1:Your balance is $5."]);
    expect(s.messages.filter((m) => m.itemId !== undefined)).toHaveLength(2);
  });

  it("puts a question whose transcript comes late above the answer it started", () => {
    const s = run(
      [
        heardOnVoice(line("user", "u1", "first question", true)),
        heardOnVoice(line("assistant", "a1", "First answer.", true)),
        // The second answer streams before its question's transcription is done.
        heardOnVoice(line("assistant", "a2", "Second ", false)),
        heardOnVoice(line("user", "u2", "second question", true)),
        heardOnVoice(line("assistant", "a2", "answer.", false)),
      ],
      talking,
    );
    expect(lines(s)).toEqual(["user:u1:first question", "assistant:a1:First answer.", "user:u2:second question", "assistant:a2:Second answer.…"]);
    // Spoken lines follow the conversation's welcome, and a question on time goes at the end.
    expect(s.messages[0]?.welcome).toBe(true);
    const t = run([heardOnVoice(line("assistant", "a2", "Second answer.", true)), heardOnVoice(line("user", "u3", "third", true))], s);
    expect(lines(t).at(-1)).toBe("user:u3:third");
  });

  it("a barge-in ends the answer talked over, and the next question goes above the next answer only", () => {
    const s = run(
      [
        heardOnVoice(line("user", "u1", "tell me a long story", true)),
        heardOnVoice(line("assistant", "a1", "Once upon a time ", false)),
        voice({ type: "speech_started", payload: {} }),
        // Deltas of the cut answer still in flight are dropped.
        heardOnWS(line("assistant", "a1", "Once upon a time ", false)),
        heardOnWS(line("assistant", "a1", "a bank ", false)),
        voice({ type: "speech_stopped", payload: {} }),
        heardOnVoice(line("assistant", "a2", "Sure, ", false)),
        heardOnVoice(line("user", "u2", "stop", true)),
      ],
      talking,
    );
    expect(lines(s)).toEqual(["user:u1:tell me a long story", "assistant:a1:Once upon a time ", "user:u2:stop", "assistant:a2:Sure, …"]);
    expect(s.messages.find((m) => m.itemId === "a1")?.cut).toBe(true);
    expect(s.messages.find((m) => m.itemId === "a2")?.cut).toBeUndefined();
  });

  it("ignores a failed transcription and lines without an item id", () => {
    const s = run([heardOnVoice(line("user", "u1", "", true)), heardOnVoice(line("assistant", "", "x", true))], talking);
    expect(lines(s)).toEqual([]);
  });

  it("spoken lines never end a typed turn, and a typed turn never ends a spoken line", () => {
    let s = run(
      [
        { type: "send", text: "typed", at: 0 },
        ws({ type: "chat_start", turn: 1, payload: { text: "typed", screen: "A" } }),
        heardOnWS(line("assistant", "a1", "Spoken ", false)),
        ws({ type: "chat_chunk", turn: 1, payload: { text: "Typed answer.", done: false } }),
      ],
      talking,
    );
    expect(s.phase).toBe("streaming");
    s = run([ws({ type: "chat_chunk", turn: 1, payload: { text: "", done: true } })], s);
    expect(s.phase).toBe("idle");
    expect(lines(s)).toEqual(["assistant:a1:Spoken …"]);
    expect(s.messages.find((m) => m.text === "Typed answer.")?.streaming).toBe(false);
  });

  it("a mode switch by voice clears the conversation like a typed one", () => {
    const s = run(
      [
        heardOnVoice(line("user", "u1", "Presto-Change-O, you're a bank", true)),
        ws({ type: "mode_generating", turn: 3, payload: { industry: "bank" } }),
        ws({ type: "mode_switch", turn: 3, payload: { mode: bank, persona: null } }),
        ws({ type: "chat_chunk", turn: 3, payload: { text: "", done: true } }),
      ],
      talking,
    );
    expect(s.messages.map((m) => m.text)).toEqual(["Welcome to Summit Bank."]);
    expect(s.generating).toBeNull();
  });
});

describe("spoken visualizations", () => {
  const chart = (title: string) => ({ tool: "show_chart", result: { chart_type: "line", title, data: [{ label: "Jun", value: 1 }] } });

  it("a placeholder shows until the chart comes; the chart replaces the last typed turn's", () => {
    let s = run([ws({ type: "chat_start", turn: 2, payload: {} }), ws({ type: "tool_result", turn: 2, payload: chart("Typed") })], talking);
    s = reduce(s, ws({ type: "visualization_generating", payload: { vis_type: "chart", description: "checking balance" } }));
    expect(s.visualizing).toEqual({ visType: "chart", description: "checking balance" });
    // The spoken question's chart carries the session's latest turn number (2).
    s = reduce(s, ws({ type: "tool_result", turn: 2, payload: chart("Spoken") }));
    expect(s.visualizing).toBeNull();
    expect(s.charts.map((c) => c.title)).toEqual(["Spoken"]);
    // The next typed turn's chart replaces it.
    s = run([ws({ type: "chat_start", turn: 3, payload: {} }), ws({ type: "tool_result", turn: 3, payload: chart("Next") })], s);
    expect(s.charts.map((c) => c.title)).toEqual(["Next"]);
  });

  it("a visualization that failed takes the placeholder down and says why", () => {
    const asked = reduce(talking, ws({ type: "visualization_generating", payload: { vis_type: "chart", description: "nothing" } }));
    const failed = reduce(asked, ws({ type: "visualization_error", payload: { error: "the assistant had nothing to draw for that", retryable: true } }));
    expect(failed.visualizing).toBeNull();
    expect(failed.notice).toBe("the assistant had nothing to draw for that");
    expect(failed.charts).toEqual(asked.charts);
  });

  it("metrics end the placeholder too, and a switch drops it", () => {
    const asked = reduce(talking, ws({ type: "visualization_generating", payload: { vis_type: "metrics", description: "credit score" } }));
    const m = reduce(asked, ws({ type: "tool_result", payload: { tool: "show_metrics", result: { metrics: [{ label: "Score", value: "742", unit: "" }] } } }));
    expect(m.visualizing).toBeNull();
    expect(m.metrics).toEqual([{ label: "Score", value: "742", unit: "" }]);
    expect(reduce(asked, ws({ type: "mode_switch", turn: 4, payload: { mode: bank, persona: null } })).visualizing).toBeNull();
  });
});
