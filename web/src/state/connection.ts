// The /ws connection and the session it joined: who this screen is, which provider answers, and
// a transient notice from a server `error` that failed nothing of ours.
export type ConnectionState = "connecting" | "open" | "closed";

export interface Connection {
  connection: ConnectionState;
  sessionId: string | null;
  /** screen is this connection's id; chat_start names the screen that sent the message. */
  screen: string | null;
  provider: string | null;
  notice: string | null;
}

export function initialConnection(): Connection {
  return { connection: "connecting", sessionId: null, screen: null, provider: null, notice: null };
}
