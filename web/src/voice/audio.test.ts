import { describe, expect, it } from "vitest";
import { CaptureEncoder } from "./capture-encoder";
import { floatToPcm16, fromBase64, pcm16ToFloat, samplesToMs, toBase64 } from "./pcm";
import { PlaybackQueue } from "./playback-queue";
import { Resampler } from "./resampler";

function sine(freq: number, rate: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * freq * i) / rate));
}

function inBlocks(r: Resampler, input: Float32Array, block: number): Float32Array {
  const parts: number[] = [];
  for (let i = 0; i < input.length; i += block) parts.push(...r.process(input.subarray(i, i + block)));
  return Float32Array.from(parts);
}

function crossings(x: Float32Array): number {
  let n = 0;
  for (let i = 1; i < x.length; i++) if (x[i - 1]! < 0 !== x[i]! < 0) n++;
  return n;
}

describe("Resampler", () => {
  it("passes 24 kHz through untouched", () => {
    const x = sine(440, 24_000, 256);
    expect(new Resampler(24_000, 24_000).process(x)).toBe(x);
  });

  it.each([48_000, 44_100, 16_000])("turns %i Hz into 24 kHz: the length, the pitch and a ramp's values", (rate) => {
    const seconds = 0.5;
    const x = sine(300, rate, rate * seconds);
    const y = inBlocks(new Resampler(rate, 24_000), x, 128);
    expect(Math.abs(y.length - 24_000 * seconds)).toBeLessThanOrEqual(2);
    // 300 Hz crosses zero 600 times a second, whatever the rate.
    expect(Math.abs(crossings(y) - 600 * seconds)).toBeLessThanOrEqual(2);
    // Linear interpolation of a straight line is exact, across block boundaries too.
    const ramp = Float32Array.from({ length: rate / 10 }, (_, i) => i / rate);
    const r = inBlocks(new Resampler(rate, 24_000), ramp, 128);
    r.forEach((v, k) => expect(v).toBeCloseTo(k / 24_000, 6));
  });

  it("gives the same samples whatever the block size", () => {
    const x = sine(523, 44_100, 4410);
    const whole = new Resampler(44_100, 24_000).process(x);
    const blocks = inBlocks(new Resampler(44_100, 24_000), x, 128);
    expect(blocks.length).toBe(whole.length);
    blocks.forEach((v, i) => expect(v).toBeCloseTo(whole[i]!, 6));
  });
});

describe("PCM16", () => {
  it("converts floats with clipping and round-trips through base64", () => {
    const pcm = floatToPcm16(Float32Array.from([0, 1, -1, 0.5, 2, -3]));
    expect([...pcm]).toEqual([0, 32767, -32768, 16384, 32767, -32768]);
    expect([...fromBase64(toBase64(pcm))]).toEqual([...pcm]);
    expect(pcm16ToFloat(pcm)[1]).toBe(1);
    expect(pcm16ToFloat(pcm)[2]).toBe(-1);
    // Little-endian on the wire: 1 is 01 00.
    expect(toBase64(Int16Array.from([1]))).toBe("AQA=");
    expect(samplesToMs(24_000)).toBe(1000);
    expect(samplesToMs(128)).toBe(5);
  });
});

describe("CaptureEncoder", () => {
  it("cuts 48 kHz microphone blocks into 40 ms frames of 24 kHz PCM16 with their level", () => {
    const enc = new CaptureEncoder(48_000);
    const x = sine(200, 48_000, 48_000);
    const frames = [];
    for (let i = 0; i < x.length; i += 128) frames.push(...enc.push(x.subarray(i, i + 128)));
    // One second is 25 frames of 960 samples (the last one may wait for the next block).
    expect(frames.length).toBeGreaterThanOrEqual(24);
    expect(frames.length).toBeLessThanOrEqual(25);
    expect(frames.every((f) => f.pcm.length === 960)).toBe(true);
    // A sine of amplitude 0.5 has an RMS of 0.5/√2.
    expect(frames[3]!.level).toBeCloseTo(0.5 / Math.SQRT2, 2);
    expect(new CaptureEncoder(24_000).push(new Float32Array(960))[0]!.level).toBe(0);
  });
});

describe("PlaybackQueue", () => {
  const block = () => new Float32Array(128);
  const audio = (n: number, v = 0.25) => new Float32Array(n).fill(v);

  it("plays items in order and counts the samples that reached the output", () => {
    const q = new PlaybackQueue();
    q.push("a", audio(200));
    q.push("b", audio(100, 0.5));
    const out = block();
    expect(q.render(out)).toEqual([]);
    expect(q.played("a")).toBe(128);
    expect(out.every((v) => v === 0.25)).toBe(true);
    q.render(out);
    expect(q.played("a")).toBe(200);
    expect(q.played("b")).toBe(56);
    expect(out[71]).toBe(0.25);
    expect(out[72]).toBe(0.5);
    q.render(out);
    expect(q.played("b")).toBe(100);
    // Past the queue: silence, and nothing counted.
    expect(out.subarray(44).every((v) => v === 0)).toBe(true);
    expect(q.playing).toBe(false);
  });

  it("reports an item when its audio is done and has played out, in whichever order those happen", () => {
    const q = new PlaybackQueue();
    q.push("a", audio(300));
    // audio_done comes long before the audio has played (it arrives faster than real time).
    expect(q.end("a")).toEqual([]);
    expect(q.render(block())).toEqual([]);
    expect(q.render(block())).toEqual([]);
    expect(q.render(block())).toEqual([{ itemId: "a", samples: 300 }]);
    // An item that played out before its audio_done (the network was slower than the speakers).
    q.push("b", audio(100));
    expect(q.render(block())).toEqual([]);
    expect(q.end("b")).toEqual([{ itemId: "b", samples: 100 }]);
    expect(q.end("b")).toEqual([]);
  });

  it("flush cuts the item playing, says how much was heard and drops its late audio", () => {
    const q = new PlaybackQueue();
    q.push("a", audio(1000));
    q.push("a", audio(1000));
    q.push("b", audio(500));
    for (let i = 0; i < 3; i++) q.render(block());
    expect(q.flush()).toEqual({ itemId: "a", samples: 384 });
    expect(q.playing).toBe(false);
    // Audio of the cut response still in flight is never played; nor is a cut item reported again.
    q.push("a", audio(100));
    q.push("b", audio(100));
    expect(q.end("a")).toEqual([]);
    const out = block();
    q.render(out);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(q.played("a")).toBe(384);
    expect(q.played("b")).toBe(0);
    // Nothing playing: nothing to report.
    expect(q.flush()).toBeNull();
    // The next answer plays.
    q.push("c", audio(64));
    q.render(out);
    expect(q.played("c")).toBe(64);
  });

  it("flush after an item played out but before its audio_done still reports it", () => {
    const q = new PlaybackQueue();
    q.push("a", audio(100));
    q.render(block());
    expect(q.flush()).toEqual({ itemId: "a", samples: 100 });
    expect(q.end("a")).toEqual([]);
  });
});
