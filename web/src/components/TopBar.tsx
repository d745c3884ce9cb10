// The top bar: brand, connection status, offline badge, latency readout and settings.
import type { State } from "../state";
import { Icon } from "../icons";

const stateLabel = { connecting: "Connecting…", open: "Connected", closed: "Reconnecting…" } as const;

function ms(v: number | null): string {
  return v === null ? "–" : `${Math.round(v)} ms`;
}

export function TopBar({ state: s, onSettings }: { state: State; onSettings: () => void }) {
  return (
    <header class="topbar">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          <Icon name="sparkle" size={20} />
        </span>
        <span class="brand-name">Presto-Change-O</span>
      </div>
      <div class="topbar-status">
        <span
          class="latency"
          title="Time from send to first token, from the end of speech to the answer's first audio, and from tool result to chart drawn"
          data-testid="latency"
        >
          <span>first token {ms(s.firstToken.ms)}</span>
          <span aria-hidden="true">·</span>
          <span>first audio {ms(s.voice.firstAudioMs)}</span>
          <span aria-hidden="true">·</span>
          <span>tool → chart {ms(s.chartLatency.ms)}</span>
        </span>
        {s.provider === "offline" ? (
          <span class="badge" data-testid="offline-badge" title="No AI endpoint is configured: a built-in offline assistant answers">
            offline demo
          </span>
        ) : null}
        <span class="conn" data-testid="connection-status" data-state={s.connection} role="status">
          <span class="conn-dot" aria-hidden="true" />
          <span class="conn-label">{stateLabel[s.connection]}</span>
        </span>
        <button type="button" class="btn btn-ghost" data-testid="settings" onClick={onSettings} aria-haspopup="dialog">
          <Icon name="settings" size={18} />
          <span class="btn-label">Settings</span>
        </button>
      </div>
    </header>
  );
}
