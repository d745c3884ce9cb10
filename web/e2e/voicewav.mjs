// The fake microphone of the voice flows: a WAV made at test time from spoken lines (Debian's
// espeak-ng, resampled by sox) and silences, in the layout a flow needs. Chromium plays it as its
// microphone with --use-file-for-fake-audio-capture; a flow without a browser reads its samples.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The rate of the WAV and of /voice's audio: PCM16 mono at 24 kHz. */
export const sampleRate = 24000;

/** hasVoiceTools reports whether espeak-ng and sox are installed (.ci/run installs them). */
export function hasVoiceTools() {
  try {
    execFileSync("espeak-ng", ["--version"], { stdio: "ignore" });
    execFileSync("sox", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** speak renders text with espeak-ng and returns it as PCM16 mono 24 kHz samples. */
function speak(text, dir) {
  const wav = join(dir, "line.wav");
  execFileSync("espeak-ng", ["-v", "en-us", "-s", "175", "-w", wav, text]);
  const raw = execFileSync("sox", [wav, "-t", "raw", "-r", String(sampleRate), "-e", "signed", "-b", "16", "-c", "1", "-"], {
    maxBuffer: 64 << 20,
  });
  return new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
}

/**
 * makeWav writes a mono 16-bit 24 kHz WAV of parts, in order: {say: "text"} a spoken line,
 * {silence: ms} that much digital silence. It returns the file's path, its samples and where
 * each line starts and ends (ms from the start), for the flow's log and its checks.
 */
export function makeWav(parts) {
  const dir = mkdtempSync(join(tmpdir(), "presto-voice-wav-"));
  const chunks = [];
  const lines = [];
  let at = 0;
  for (const part of parts) {
    if (part.say !== undefined) {
      const pcm = speak(part.say, dir);
      lines.push({ say: part.say, startMs: (at / sampleRate) * 1000, endMs: ((at + pcm.length) / sampleRate) * 1000 });
      chunks.push(pcm);
      at += pcm.length;
    } else {
      const n = Math.round((part.silence / 1000) * sampleRate);
      chunks.push(new Int16Array(n));
      at += n;
    }
  }
  const samples = new Int16Array(at);
  let off = 0;
  for (const c of chunks) {
    samples.set(c, off);
    off += c.length;
  }
  const path = join(dir, "microphone.wav");
  writeFileSync(path, wavFile(samples));
  return { path, samples, lines, durationMs: (at / sampleRate) * 1000 };
}

/** wavFile is a RIFF/WAVE file of PCM16 mono samples at sampleRate. */
function wavFile(samples) {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const h = Buffer.alloc(44);
  h.write("RIFF", 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write("WAVE", 8);
  h.write("fmt ", 12);
  h.writeUInt32LE(16, 16); // the fmt chunk's size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  h.writeUInt16LE(2, 32); // bytes per frame
  h.writeUInt16LE(16, 34); // bits per sample
  h.write("data", 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
