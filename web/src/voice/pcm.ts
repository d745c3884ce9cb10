// PCM16 mono at 24 kHz is the realtime model's audio format both ways (docs/protocol.md, /voice):
// conversions between it, Web Audio's float samples and the base64 the JSON messages carry.

/** Rate is the sample rate of every audio message on /voice. */
export const Rate = 24_000;

/** floatToPcm16 converts samples in [-1, 1] (clipping beyond) to signed 16-bit integers. */
export function floatToPcm16(input: Float32Array, out: Int16Array = new Int16Array(input.length)): Int16Array {
  for (let i = 0; i < input.length; i++) {
    const v = Math.max(-1, Math.min(1, input[i]!));
    out[i] = Math.round(v < 0 ? v * 0x8000 : v * 0x7fff);
  }
  return out;
}

export function pcm16ToFloat(input: Int16Array): Float32Array {
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = input[i]! / (input[i]! < 0 ? 0x8000 : 0x7fff);
  return out;
}

/** toBase64 encodes PCM16 samples (little-endian, as every browser stores them) for an audio message. */
export function toBase64(pcm: Int16Array): string {
  const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  return btoa(String.fromCharCode(...bytes));
}

/** fromBase64 decodes an audio message's data; a trailing odd byte is dropped. */
export function fromBase64(data: string): Int16Array {
  const bin = atob(data);
  const bytes = new Uint8Array(bin.length & ~1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Int16Array(bytes.buffer);
}

/** samplesToMs is how long `samples` at 24 kHz play, in whole milliseconds. */
export function samplesToMs(samples: number): number {
  return Math.round((samples * 1000) / Rate);
}
