// The message box: Enter sends, Shift+Enter starts a new line; voice buttons wait for a later release.
import { useRef, useState } from "preact/hooks";
import type { App } from "../app";
import type { State } from "../state";
import { Icon } from "../icons";

const voiceLater = "Voice comes in a later release";

export function Composer({ app, state: s }: { app: App; state: State }) {
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  const open = s.connection === "open";

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
        <button type="button" class="btn-icon" data-testid="voice-toggle" aria-disabled="true" title={voiceLater} aria-label={`Voice: ${voiceLater}`}>
          <Icon name="mic" size={18} />
        </button>
        <button type="button" class="btn-icon" data-testid="voice-mute" aria-disabled="true" title={voiceLater} aria-label={`Mute: ${voiceLater}`}>
          <Icon name="mic-off" size={18} />
        </button>
        {s.inFlight ? (
          <button type="button" class="btn-icon btn-stop" onClick={() => app.cancel()} aria-label="Stop the answer" title="Stop">
            <Icon name="stop" size={18} />
          </button>
        ) : null}
        <button type="submit" class="btn-send" data-testid="chat-send" disabled={!open || text.trim() === ""} aria-label="Send">
          <Icon name="send" size={18} />
        </button>
      </div>
    </form>
  );
}
