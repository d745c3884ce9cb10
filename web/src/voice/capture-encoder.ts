// What the capture worklet does with the microphone's samples: resample to 24 kHz when needed,
// convert to PCM16 and cut into fixed frames (40 ms: inside the 20-100 ms the server takes, short
// enough for the voice detector to hear a barge-in at once), each with its loudness for the meter.
import { floatToPcm16, Rate } from "./pcm";
import { Resampler } from "./resampler";

/** FrameMs is the length of one audio message. */
export const FrameMs = 40;

export interface Frame {
  pcm: Int16Array;
  /** level is the frame's RMS loudness, 0..1. */
  level: number;
}

export class CaptureEncoder {
  private readonly resampler: Resampler;
  private readonly size = (Rate * FrameMs) / 1000;
  private frame = new Float32Array(this.size);
  private filled = 0;

  constructor(inputRate: number) {
    this.resampler = new Resampler(inputRate, Rate);
  }

  /** push takes one block of microphone samples and returns the frames it completed. */
  push(block: Float32Array): Frame[] {
    const samples = this.resampler.process(block);
    const frames: Frame[] = [];
    for (let i = 0; i < samples.length; ) {
      const n = Math.min(samples.length - i, this.size - this.filled);
      this.frame.set(samples.subarray(i, i + n), this.filled);
      this.filled += n;
      i += n;
      if (this.filled === this.size) {
        let sum = 0;
        for (const v of this.frame) sum += v * v;
        frames.push({ pcm: floatToPcm16(this.frame), level: Math.min(1, Math.sqrt(sum / this.size)) });
        this.filled = 0;
      }
    }
    return frames;
  }
}
