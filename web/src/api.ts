// The small HTTP API the dashboard uses beside the socket, and the per-mode tab content cache.
import type { ToolResult } from "./protocol";

export interface ModeSummary {
  id: string;
  name: string;
  company_name: string;
  prebuilt: boolean;
}

export interface VoicePreference {
  voice: string;
  voices: string[];
}

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) {
    let detail = `${res.status}`;
    try {
      const body = (await res.json()) as { error?: string };
      if (body.error) detail = body.error;
    } catch {
      // Not JSON: the status is all we have.
    }
    throw new Error(`${what}: ${detail}`);
  }
  return (await res.json()) as T;
}

/** listModes returns every known mode, prebuilt and generated. */
export async function listModes(signal?: AbortSignal): Promise<ModeSummary[]> {
  const body = await json<{ modes: ModeSummary[] | null }>(await fetch("/api/modes", { signal }), "list modes");
  return body.modes ?? [];
}

export async function getVoicePreference(signal?: AbortSignal): Promise<VoicePreference> {
  const body = await json<Partial<VoicePreference>>(await fetch("/api/voice-preference", { signal }), "get voice");
  return { voice: body.voice ?? "", voices: body.voices ?? [] };
}

export async function setVoicePreference(voice: string): Promise<void> {
  const res = await fetch("/api/voice-preference", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ voice }),
  });
  await json<unknown>(res, "save voice");
}

/** fetchTabContent asks the server (and through it the LLM) for a tab's charts and metrics. */
export async function fetchTabContent(modeId: string, tabId: string, tabLabel: string, signal?: AbortSignal): Promise<ToolResult[]> {
  const res = await fetch("/api/tab-content", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ tab_id: tabId, tab_label: tabLabel, mode_id: modeId }),
    signal,
  });
  const body = await json<{ tool_results: ToolResult[] | null }>(res, `load tab ${tabLabel}`);
  return body.tool_results ?? [];
}

type Fetcher = (modeId: string, tabId: string, tabLabel: string, signal?: AbortSignal) => Promise<ToolResult[]>;

/**
 * TabCache remembers each (mode, tab)'s content for the life of the page, sharing one request per
 * key between a prefetch and a click. A failed request is forgotten so a later click retries.
 */
export class TabCache {
  private readonly entries = new Map<string, Promise<ToolResult[]>>();

  constructor(private readonly fetcher: Fetcher = fetchTabContent) {}

  get(modeId: string, tabId: string, tabLabel: string, signal?: AbortSignal): Promise<ToolResult[]> {
    const key = `${modeId}\u0000${tabId}`;
    let p = this.entries.get(key);
    if (!p) {
      p = this.fetcher(modeId, tabId, tabLabel, signal);
      this.entries.set(key, p);
      p.catch(() => this.entries.delete(key));
    }
    return p;
  }

  /** has reports whether a key is cached or being fetched. */
  has(modeId: string, tabId: string): boolean {
    return this.entries.has(`${modeId}\u0000${tabId}`);
  }

  /**
   * prefetch loads every tab in the background, two at a time so the server's rate limit and the
   * LLM are not flooded; it stops early when signal aborts (the mode changed again).
   */
  async prefetch(modeId: string, tabs: { id: string; label: string }[], signal: AbortSignal): Promise<void> {
    const queue = tabs.slice();
    const worker = async () => {
      for (let t = queue.shift(); t && !signal.aborted; t = queue.shift()) {
        try {
          await this.get(modeId, t.id, t.label, signal);
        } catch {
          // A prefetch failure is retried when the tab is clicked.
        }
      }
    };
    await Promise.all([worker(), worker()]);
  }
}
