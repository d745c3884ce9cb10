// The chat panel: history, typing indicator, error line with Retry, composer and live region.
import { useEffect, useRef } from "preact/hooks";
import type { App } from "../app";
import { awaitingFirstToken } from "../state";
import type { State } from "../state";
import { Icon } from "../icons";
import { Composer } from "./Composer";

export function ChatPanel({ app, state: s }: { app: App; state: State }) {
  const list = useRef<HTMLDivElement>(null);
  const last = s.messages[s.messages.length - 1];

  // Keep the newest text in view while it streams, unless the user scrolled up to read.
  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 120;
    if (nearBottom || last?.role === "user") el.scrollTop = el.scrollHeight;
  }, [s.messages.length, last?.text, s.phase, s.failure]);

  const name = s.mode && s.mode.id !== "presto" ? s.mode.company_name : "Presto-Change-O";
  return (
    <section class="chat card" aria-label="Chat with the assistant">
      <div class="chat-head">
        <div>
          <h2 class="chat-title">Assistant</h2>
          <p class="chat-sub">{name}</p>
        </div>
        <button type="button" class="btn btn-ghost" data-testid="new-chat" onClick={() => app.newConversation()} disabled={s.connection !== "open"}>
          <Icon name="plus" size={18} />
          <span class="btn-label">New conversation</span>
        </button>
      </div>
      <div class="chat-list" ref={list} role="log" aria-label="Conversation" aria-live="off">
        {s.messages.map((m) => (
          <div
            key={m.id}
            class={`msg msg-${m.role} ${m.welcome ? "msg-welcome" : ""} ${m.cut ? "msg-cut" : ""}`}
            data-testid="chat-message"
            data-role={m.role}
            data-streaming={m.streaming ? "true" : undefined}
            data-item-id={m.itemId}
            data-source={m.itemId !== undefined ? "voice" : undefined}
          >
            {m.text}
          </div>
        ))}
        {awaitingFirstToken(s) ? (
          <div class="msg msg-assistant typing" data-testid="typing-indicator" aria-label="The assistant is typing">
            <span />
            <span />
            <span />
          </div>
        ) : null}
        {s.failure ? (
          <div class="chat-error" role="alert">
            <span>{s.failure.text}</span>
            {s.failure.retryable ? (
              <button type="button" class="btn btn-small" data-testid="retry" onClick={() => app.retry()} disabled={s.connection !== "open"}>
                <Icon name="refresh" size={16} />
                <span>Retry</span>
              </button>
            ) : null}
          </div>
        ) : null}
        {s.notice ? (
          <div class="chat-notice" role="status">
            <span>{s.notice}</span>
            <button type="button" class="btn-icon" aria-label="Dismiss" onClick={() => app.dismissNotice()}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ) : null}
      </div>
      <Composer app={app} state={s} />
      <p class="disclaimer">AI can make mistakes. Check important information.</p>
      <div class="sr-only" aria-live="polite" aria-atomic="true" data-testid="live-region">
        <span key={s.announcement.id}>{s.announcement.text}</span>
      </div>
    </section>
  );
}
