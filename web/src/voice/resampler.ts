// A streaming linear-interpolation resampler, for the one browser case where the microphone cannot
// feed a 24 kHz AudioContext (Firefox refuses a stream of another rate): the capture worklet runs
// at the device's rate and converts here. Where the context runs at 24 kHz the browser resamples
// and this passes samples through.

export class Resampler {
  private readonly step: number;
  /** pos is where the next output sample falls in the next input block; -1 is the previous block's last sample. */
  private pos = 0;
  private last = 0;

  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    this.step = from / to;
  }

  /** process converts one block; blocks of any size join seamlessly. */
  process(input: Float32Array): Float32Array {
    if (this.from === this.to) return input;
    const n = input.length;
    const out = new Float32Array(Math.max(0, Math.ceil((n - 1 - this.pos) / this.step)));
    let k = 0;
    let pos = this.pos;
    for (; pos < n - 1 && k < out.length; pos += this.step) {
      const i = Math.floor(pos);
      const a = i < 0 ? this.last : input[i]!;
      const b = input[i + 1]!;
      out[k++] = a + (b - a) * (pos - i);
    }
    if (n > 0) {
      this.pos = pos - n;
      this.last = input[n - 1]!;
    }
    return out.subarray(0, k);
  }
}
