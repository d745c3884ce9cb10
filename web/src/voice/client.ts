// The voice client: the one module that owns the /voice socket, the microphone and the speakers.
// It is loaded, with its worklets, only when the user turns voice on. Capture and playback run in
// AudioWorklets (capture.worklet.ts, playback.worklet.ts); this module moves their messages to and
// from the socket and tells the reducer what changed. Ordering comes from the messages themselves
// (the playback worklet answers a flush with what it cut); only the reconnect waits on a timer.
import { parseVoiceMessage } from "../protocol";
import type { VoiceClientMessage, VoiceServerMessage } from "../protocol";
import { backoffDelay } from "../socket";
import type { Action } from "../state";
import captureURL from "./capture.worklet.ts?worker&url";
import { fromBase64, Rate, samplesToMs, toBase64 } from "./pcm";
import type { Played } from "./playback-queue";
import playbackURL from "./playback.worklet.ts?worker&url";
import type { PlaybackCommand, PlaybackEvent } from "./playback.worklet";

/** VoiceDebug is window.__prestoVoice, what the browser tests read of the audio. */
export interface VoiceDebug {
  /** played is the samples of each assistant item that reached the speakers. */
  played: Record<string, number>;
  /** framesSent counts the audio messages sent to /voice. */
  framesSent: number;
  /** flushes counts the playback flushes on speech_started. */
  flushes: number;
  lastPlayedSent: { item_id: string; ms: number } | null;
}

declare global {
  interface Window {
    __prestoVoice?: VoiceDebug;
  }
}

export interface VoiceOptions {
  url: string;
  dispatch: (a: Action) => void;
  /** level receives the microphone's loudness (0..1) for each frame, 0 while muted. */
  level: (v: number) => void;
}

// Echo cancellation, noise suppression and gain control keep the speakers out of the microphone
// as far as the browser can (it cannot for Web Audio playback in Chromium: headphones or mute help).
const microphone: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
};

const pingEveryMs = 25_000;

export class VoiceClient {
  private ws: WebSocket | null = null;
  private ctx: AudioContext | null = null;
  /** captureCtx is a second context at the device's rate, where the 24 kHz one cannot take the microphone. */
  private captureCtx: AudioContext | null = null;
  private stream: MediaStream | null = null;
  private playback: AudioWorkletNode | null = null;
  private connected = false;
  private muted = false;
  private stopped = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly debug: VoiceDebug;

  constructor(private readonly opts: VoiceOptions) {
    window.__prestoVoice ??= { played: {}, framesSent: 0, flushes: 0, lastPlayedSent: null };
    this.debug = window.__prestoVoice;
  }

  /** start opens the microphone and the speakers, then the socket; a failure ends voice with its reason. */
  async start(): Promise<void> {
    try {
      await this.openAudio();
    } catch (err) {
      if (!this.stopped) this.fail(microphoneProblem(err));
      return;
    }
    if (!this.stopped) this.connect();
  }

  /** stop ends voice: the server closes the upstream session, then the socket and the audio close. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "stop", payload: {} } satisfies VoiceClientMessage));
    ws?.close(1000, "voice off");
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    void this.ctx?.close();
    void this.captureCtx?.close();
    this.opts.level(0);
  }

  /** mute stops sending the microphone; the server keeps the upstream session. */
  mute(muted: boolean): void {
    this.muted = muted;
    this.send({ type: "mute", payload: { muted } });
    if (muted) this.opts.level(0);
  }

  private async openAudio(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === "undefined") {
      throw new Problem("Voice needs a secure page (https, or localhost) in a browser with microphone access.");
    }
    // Playback is always 24 kHz, the model's rate; capture uses the same context where it can.
    const ctx = new AudioContext({ sampleRate: Rate, latencyHint: "interactive" });
    this.ctx = ctx;
    const [stream] = await Promise.all([
      navigator.mediaDevices.getUserMedia(microphone),
      ctx.audioWorklet.addModule(captureURL),
      ctx.audioWorklet.addModule(playbackURL),
    ]);
    this.stream = stream;
    if (this.stopped) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    const playback = new AudioWorkletNode(ctx, "presto-playback", { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
    playback.port.onmessage = (e: MessageEvent<PlaybackEvent>) => this.onPlayback(e.data);
    playback.connect(ctx.destination);
    this.playback = playback;
    await this.openCapture(ctx, stream);
    await ctx.resume();
  }

  private async openCapture(ctx: AudioContext, stream: MediaStream): Promise<void> {
    let captureCtx = ctx;
    let source: MediaStreamAudioSourceNode;
    try {
      source = ctx.createMediaStreamSource(stream);
    } catch {
      // Firefox will not connect a microphone to a context of another rate: capture at the
      // device's rate, and the worklet resamples.
      captureCtx = new AudioContext({ latencyHint: "interactive" });
      this.captureCtx = captureCtx;
      await captureCtx.audioWorklet.addModule(captureURL);
      source = captureCtx.createMediaStreamSource(stream);
    }
    const capture = new AudioWorkletNode(captureCtx, "presto-capture", { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: "explicit" });
    capture.port.onmessage = (e: MessageEvent<{ pcm: Int16Array; level: number }>) => this.onFrame(e.data.pcm, e.data.level);
    source.connect(capture);
    await captureCtx.resume();
  }

  private connect(): void {
    const ws = new WebSocket(this.opts.url);
    this.ws = ws;
    ws.onopen = () => {
      // A new socket is a new relay: it must hear the mute again.
      if (this.muted) this.send({ type: "mute", payload: { muted: true } });
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: "ping", payload: {} }), pingEveryMs);
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== "string") return;
      const msg = parseVoiceMessage(ev.data);
      if (msg) this.onMessage(msg);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.connected = false;
      clearInterval(this.pingTimer);
      if (this.stopped) return;
      // The socket itself dropped (not the upstream, which the server reconnects): what was
      // playing is gone with the session that sent it.
      this.command({ type: "flush" });
      this.opts.dispatch({ type: "voice_lost" });
      this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt++, Math.random()));
    };
  }

  private onMessage(msg: VoiceServerMessage): void {
    switch (msg.type) {
      case "status":
        this.connected = msg.payload.status === "connected";
        if (this.connected) this.attempt = 0;
        this.opts.dispatch({ type: "voice", msg });
        if (msg.payload.status === "error") this.stop();
        return;
      case "speech_started":
        // Flush at once; the worklet answers with what it cut, and that is what `played` says.
        this.debug.flushes++;
        this.command({ type: "flush" });
        this.opts.dispatch({ type: "voice", msg });
        return;
      case "audio": {
        const pcm = fromBase64(msg.payload.data ?? "");
        if (msg.payload.item_id && pcm.length > 0) this.command({ type: "push", itemId: msg.payload.item_id, pcm }, [pcm.buffer]);
        return;
      }
      case "audio_done":
        if (msg.payload.item_id) this.command({ type: "end", itemId: msg.payload.item_id });
        return;
      default:
        this.opts.dispatch({ type: "voice", msg });
    }
  }

  private onFrame(pcm: Int16Array, level: number): void {
    if (this.muted) return;
    this.opts.level(level);
    if (!this.connected) return;
    if (this.send({ type: "audio", payload: { data: toBase64(pcm) } })) this.debug.framesSent++;
  }

  private onPlayback(e: PlaybackEvent): void {
    switch (e.type) {
      case "progress":
        this.debug.played[e.played.itemId] = e.played.samples;
        return;
      case "finished":
        this.played(e.played);
        return;
      case "cut":
        if (e.played) this.played(e.played);
        return;
      case "playing":
        this.opts.dispatch({ type: "voice_playing", playing: e.playing });
    }
  }

  private played(p: Played): void {
    this.debug.played[p.itemId] = p.samples;
    const ms = samplesToMs(p.samples);
    if (this.send({ type: "played", payload: { item_id: p.itemId, ms } })) this.debug.lastPlayedSent = { item_id: p.itemId, ms };
  }

  private command(c: PlaybackCommand, transfer: Transferable[] = []): void {
    this.playback?.port.postMessage(c, transfer);
  }

  private send(msg: VoiceClientMessage): boolean {
    if (this.ws === null || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  private fail(reason: string): void {
    this.stop();
    this.opts.dispatch({ type: "voice_failed", reason });
  }
}

/** Problem is a failure whose message is already what the user should read. */
class Problem extends Error {}

/** microphoneProblem says what went wrong starting the audio, in words a presenter can act on. */
export function microphoneProblem(err: unknown): string {
  if (err instanceof Problem) return err.message;
  const name = err instanceof DOMException || err instanceof Error ? err.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Microphone access was refused. Allow the microphone for this site (in the address bar), then turn voice on again.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone was found. Connect one, then turn voice on again.";
    case "NotReadableError":
      return "The microphone is busy or could not be started: close other apps using it and try again.";
  }
  return `Voice could not start: ${err instanceof Error ? err.message : String(err)}`;
}
