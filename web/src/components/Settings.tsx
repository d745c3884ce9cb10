// The settings panel: pick any known mode (by the magic words, as a presenter would say them), the
// assistant's voice, and open this session on another screen. A native <dialog> traps focus and
// closes on Escape.
import { useEffect, useRef, useState } from "preact/hooks";
import type { App } from "../app";
import { getVoicePreference, listModes, setVoicePreference } from "../api";
import type { ModeSummary, VoicePreference } from "../api";
import { Icon } from "../icons";
import { ShareSession } from "./ShareSession";

interface Props {
  app: App;
  open: boolean;
  currentMode: string;
  sessionId: string | null;
  onClose: () => void;
}

export function Settings({ app, open, currentMode, sessionId, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [modeList, setModeList] = useState<ModeSummary[] | null>(null);
  const [voice, setVoice] = useState<VoicePreference | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const ctl = new AbortController();
    setError(null);
    setSaved(false);
    listModes(ctl.signal).then(setModeList, (e: unknown) => !ctl.signal.aborted && setError(String(e instanceof Error ? e.message : e)));
    getVoicePreference(ctl.signal).then(setVoice, () => setVoice(null));
    return () => ctl.abort();
  }, [open]);

  const pick = (m: ModeSummary) => {
    if (app.switchTo(m.company_name)) onClose();
    else setError("Not connected: try again in a moment.");
  };

  const chooseVoice = async (v: string) => {
    setVoice((p) => (p ? { ...p, voice: v } : p));
    setSaved(false);
    try {
      await setVoicePreference(v);
      setSaved(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <dialog ref={dialog} class="settings" aria-labelledby="settings-title" onClose={onClose} onCancel={onClose}>
      <div class="settings-head">
        <h2 id="settings-title">Settings</h2>
        <button type="button" class="btn-icon" onClick={onClose} aria-label="Close settings">
          <Icon name="close" size={18} />
        </button>
      </div>
      <section aria-labelledby="modes-title">
        <h3 id="modes-title">Switch industry</h3>
        {modeList === null ? (
          <p class="muted">Loading modes…</p>
        ) : (
          <ul class="mode-list">
            {modeList.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  class={`mode-option ${m.id === currentMode ? "is-current" : ""}`}
                  data-testid="mode-option"
                  data-mode-id={m.id}
                  aria-current={m.id === currentMode ? "true" : undefined}
                  onClick={() => pick(m)}
                >
                  <span class="mode-option-name">{m.company_name}</span>
                  <span class="mode-option-kind">
                    {m.name}
                    {m.prebuilt ? "" : " · generated"}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="voice-title">
        <h3 id="voice-title">Voice</h3>
        <label class="field">
          <span>Assistant voice</span>
          <select
            data-testid="voice-select"
            value={voice?.voice ?? ""}
            disabled={!voice || voice.voices.length === 0}
            onChange={(e) => void chooseVoice((e.target as HTMLSelectElement).value)}
          >
            {(voice?.voices ?? []).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <p class="muted small">{saved ? "Saved. The assistant speaks with it from now on." : "The voice the assistant speaks with; a change applies at once."}</p>
      </section>
      <ShareSession sessionId={sessionId} open={open} />
      {error ? (
        <p class="chat-error" role="alert">
          {error}
        </p>
      ) : null}
    </dialog>
  );
}
