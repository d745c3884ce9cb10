// The playback worklet: a PlaybackQueue of assistant audio fed by the voice client's messages
// (push, end, flush), played 128 frames at a time. It tells the client what it played: each
// item's report when it finished or was cut, its count as it grows, and when it starts or stops
// making sound.
import { pcm16ToFloat } from "./pcm";
import { PlaybackQueue } from "./playback-queue";
import type { Played } from "./playback-queue";

export type PlaybackCommand =
  | { type: "push"; itemId: string; pcm: Int16Array }
  | { type: "end"; itemId: string }
  | { type: "flush" };

export type PlaybackEvent =
  | { type: "finished"; played: Played }
  /** cut answers flush: the item it cut, or null when nothing was playing. */
  | { type: "cut"; played: Played | null }
  | { type: "progress"; played: Played }
  | { type: "playing"; playing: boolean };

/** progressEvery is how many 128-frame blocks (about 85 ms) pass between progress reports. */
const progressEvery = 16;

class PlaybackProcessor extends AudioWorkletProcessor {
  private readonly queue = new PlaybackQueue();
  private wasPlaying = false;
  private blocks = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<PlaybackCommand>) => {
      const m = e.data;
      if (m.type === "push") this.queue.push(m.itemId, pcm16ToFloat(m.pcm));
      else if (m.type === "end") for (const played of this.queue.end(m.itemId)) this.post({ type: "finished", played });
      else {
        this.post({ type: "cut", played: this.queue.flush() });
        this.playing(false);
      }
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    const first = out?.[0];
    if (!out || !first) return true;
    const wasPlaying = this.queue.playing;
    const finished = this.queue.render(first);
    for (let c = 1; c < out.length; c++) out[c]!.set(first);
    if (wasPlaying) {
      for (const played of finished) this.post({ type: "finished", played });
      this.progress();
    }
    this.playing(this.queue.playing);
    return true;
  }

  private progress(): void {
    this.blocks++;
    if (this.blocks % progressEvery !== 0 && this.queue.playing) return;
    // The item playing now, or the one that just ended.
    const itemId = this.queue.lastItem;
    if (itemId !== null) this.post({ type: "progress", played: { itemId, samples: this.queue.played(itemId) } });
  }

  private playing(now: boolean): void {
    if (now === this.wasPlaying) return;
    this.wasPlaying = now;
    this.post({ type: "playing", playing: now });
  }

  private post(e: PlaybackEvent): void {
    this.port.postMessage(e);
  }
}

registerProcessor("presto-playback", PlaybackProcessor);
