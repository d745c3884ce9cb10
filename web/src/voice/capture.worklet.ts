// The capture worklet: the microphone's first channel, as 40 ms PCM16 frames at 24 kHz, posted
// (transferred) to the voice client with their level. The work is CaptureEncoder's.
import { CaptureEncoder } from "./capture-encoder";

class CaptureProcessor extends AudioWorkletProcessor {
  // sampleRate is the context's: 24 kHz where the browser resamples the microphone, else the device's.
  private readonly encoder = new CaptureEncoder(sampleRate);

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (channel) {
      for (const f of this.encoder.push(channel)) this.port.postMessage({ pcm: f.pcm, level: f.level }, [f.pcm.buffer]);
    }
    return true;
  }
}

registerProcessor("presto-capture", CaptureProcessor);
