// The message box: Enter sends, Shift+Enter starts a new line. Beside it, voice: one click to talk
// (no push-to-talk), mute, and the voice line with its level meter and status.
import { useRef, useState } from "preact/hooks";
import type { App } from "../app";
import { inFlight } from "../state";
import type { State } from "../state";
import { Icon } from "../icons";
import { VoiceMeter, VoiceStatus } from "./VoiceStatus";

export function Composer({ app, state: s }: { app: App; state: State }) {
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  const open = s.connection === "open";
  const voice = s.voice;

  const submit = () => {
    if (app.sendChat(text)) setText("");
    box.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label for="chat-input" class="sr-only">
        Message
      </label>
      <textarea
        id="chat-input"
        ref={box}
        data-testid="chat-input"
        rows={2}
        maxLength={4000}
        placeholder={open ? "Ask anything, or say “Presto-Change-O, you're a …”" : "Reconnecting…"}
        title="Enter sends, Shift+Enter starts a new line"
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onKeyDown={onKeyDown}
      />
      <div class="composer-actions">
        <button
          type="button"
          class="btn-icon"
          data-testid="voice-toggle"
          aria-pressed={voice.on ? "true" : "false"}
          aria-label="Voice conversation"
          title={voice.on ? "Stop talking with the assistant" : "Talk with the assistant"}
          onClick={() => app.toggleVoice()}
        >
          <Icon name="mic" size={18} />
        </button>
        <button
          type="button"
          class="btn-icon"
          data-testid="voice-mute"
          aria-pressed={voice.muted ? "true" : "false"}
          aria-label="Mute the microphone"
          title={voice.on ? (voice.muted ? "Unmute the microphone" : "Mute the microphone (the session stays)") : "Turn voice on first"}
          disabled={!voice.on}
          onClick={() => app.setVoiceMuted(!voice.muted)}
        >
          <Icon name="mic-off" size={18} />
        </button>
        <VoiceMeter app={app} voice={voice} />
        {inFlight(s) ? (
          <button type="button" class="btn-icon btn-stop" onClick={() => app.cancel()} aria-label="Stop the answer" title="Stop">
            <Icon name="stop" size={18} />
          </button>
        ) : null}
        <button type="submit" class="btn-send" data-testid="chat-send" disabled={!open || text.trim() === ""} aria-label="Send">
          <Icon name="send" size={18} />
        </button>
      </div>
      <VoiceStatus voice={voice} />
    </form>
  );
}
