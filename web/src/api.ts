// The small HTTP API the dashboard uses beside the socket. Tabs come over the socket.

const sessionId = /^[A-Za-z0-9_-]{8,64}$/;

/** sessionFromURL reads a valid ?session=ID from a page URL's query (a link from Settings), or null. */
export function sessionFromURL(search: string): string | null {
  const id = new URLSearchParams(search).get("session");
  return id !== null && sessionId.test(id) ? id : null;
}

let pinned: string | null = null;

/**
 * pinSession makes every request name this session (?session=ID) instead of the cookie's, so a
 * screen opened from another one's link joins that session.
 */
export function pinSession(id: string | null): void {
  pinned = id;
}

/** apiURL is path with the pinned session, if any. */
export function apiURL(path: string): string {
  if (pinned === null) return path;
  return `${path}${path.includes("?") ? "&" : "?"}session=${encodeURIComponent(pinned)}`;
}

/** shareLink is the address that opens this session on another screen. */
export function shareLink(origin: string, session: string): string {
  return `${origin}/?session=${encodeURIComponent(session)}`;
}

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
  const body = await json<{ modes: ModeSummary[] | null }>(await fetch(apiURL("/api/modes"), { signal }), "list modes");
  return body.modes ?? [];
}

export async function getVoicePreference(signal?: AbortSignal): Promise<VoicePreference> {
  const body = await json<Partial<VoicePreference>>(await fetch(apiURL("/api/voice-preference"), { signal }), "get voice");
  return { voice: body.voice ?? "", voices: body.voices ?? [] };
}

export async function setVoicePreference(voice: string): Promise<void> {
  const res = await fetch(apiURL("/api/voice-preference"), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ voice }),
  });
  await json<unknown>(res, "save voice");
}
