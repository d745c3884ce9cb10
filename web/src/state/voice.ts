// The voice part of the page: whether voice is on, the /voice status (with the server's reason
// for an error), mute, who is talking, and the time to first audio. The audio itself never passes
// through the state; the voice client plays it.
import type { VoiceStatus } from "../protocol";

/** Voice.status adds `off` (voice not started on this screen) to the statuses the server sends. */
export interface Voice {
  on: boolean;
  status: "off" | VoiceStatus;
  /** reason is the error to show when status is `error`. */
  reason: string;
  muted: boolean;
  /** userSpeaking is true between the server's speech_started and speech_stopped. */
  userSpeaking: boolean;
  /** playing is true while the playback worklet outputs assistant audio. */
  playing: boolean;
  firstAudioMs: number | null;
}

export type VoiceActivity = "idle" | "listening" | "speaking";

export function initialVoice(): Voice {
  return { on: false, status: "off", reason: "", muted: false, userSpeaking: false, playing: false, firstAudioMs: null };
}

export function activity(v: Voice): VoiceActivity {
  if (v.userSpeaking) return "listening";
  return v.playing ? "speaking" : "idle";
}

export function started(v: Voice): Voice {
  return { ...v, on: true, status: "connecting", reason: "", muted: false, userSpeaking: false, playing: false };
}

export function stopped(v: Voice): Voice {
  return { ...v, on: false, status: "off", reason: "", muted: false, userSpeaking: false, playing: false };
}

/** failed ends voice on this screen with a reason to show: the server's, or the microphone's. */
export function failed(v: Voice, reason: string): Voice {
  return { ...stopped(v), status: "error", reason };
}

export function status(v: Voice, st: VoiceStatus, reason: string | undefined): Voice {
  if (!v.on) return v; // a late status of a socket already closed
  if (st === "error") return failed(v, reason || "Voice is not available.");
  // While the upstream reconnects nobody is talking.
  return { ...v, status: st, reason: "", userSpeaking: st === "connected" ? v.userSpeaking : false, playing: st === "connected" ? v.playing : false };
}
