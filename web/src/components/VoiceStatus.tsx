// Voice beside the message box: a small level meter that shows who is talking (the user,
// listening; the assistant, speaking) and the voice status in words under it, announced politely
// to screen readers. The meter follows the microphone's level through a CSS variable, outside the
// state, so 25 frames a second never re-render the page.
import { useEffect, useRef } from "preact/hooks";
import type { App } from "../app";
import { activity } from "../state";
import type { Voice } from "../state";

const statusText: Record<Voice["status"], string> = {
  off: "",
  connecting: "Connecting voice…",
  connected: "Voice on: talk any time",
  reconnecting: "Voice reconnecting…",
  disconnected: "Voice stopped",
  error: "",
};

function label(v: Voice): string {
  if (v.status === "error") return v.reason;
  if (v.status === "connected" && v.muted) return "Muted: the assistant cannot hear you";
  return statusText[v.status];
}

export function VoiceMeter({ app, voice: v }: { app: App; voice: Voice }) {
  const meter = useRef<HTMLSpanElement>(null);
  useEffect(
    () =>
      app.onVoiceLevel((level) => {
        // Speech sits around 0.02-0.2 RMS: a square root spreads it over the meter.
        meter.current?.style.setProperty("--level", Math.min(1, Math.sqrt(level) * 1.6).toFixed(2));
      }),
    [app],
  );
  const act = activity(v);
  return (
    <span
      class={`voice-activity ${v.on ? "is-on" : ""}`}
      ref={meter}
      data-testid="voice-activity"
      data-activity={act}
      aria-hidden="true"
      title={act === "listening" ? "Listening" : act === "speaking" ? "The assistant is speaking" : undefined}
    >
      <span />
      <span />
      <span />
    </span>
  );
}

/** VoiceStatus is the status line; it is empty (and takes no room) while voice is off. */
export function VoiceStatus({ voice: v }: { voice: Voice }) {
  return (
    <p class={`voice-status ${v.status === "error" ? "is-error" : ""}`} data-testid="voice-status" data-state={v.status} role="status" aria-live="polite">
      {label(v)}
    </p>
  );
}
