// Types of the /ws and /voice protocols (docs/protocol.md) and the JSON shapes it carries (PRODUCT.md 5.3,
// 5.6). They mirror the Go types in internal/modes, internal/persona, internal/chat and internal/llm.

export interface Theme {
  primary: string;
  secondary: string;
  background: string;
  surface: string;
  text: string;
  text_muted: string;
}

export interface Tab {
  id: string;
  label: string;
  icon: string;
}

export interface Metric {
  label: string;
  value: string;
  unit: string;
}

export interface Mode {
  id: string;
  name: string;
  company_name: string;
  tagline: string;
  theme: Theme;
  tabs: Tab[] | null;
  default_metrics: Metric[] | null;
  welcome_message: string;
  background_image: string;
  prebuilt: boolean;
}

/** Persona is the seeded customer; only the fields the card shows are typed. */
export interface Persona {
  name: string;
  city: string;
  member_since: number;
  summary: Metric[] | null;
  banking?: unknown;
  insurance?: unknown;
  healthcare?: unknown;
  generic?: unknown;
}

export type ChartType = "line" | "bar" | "pie" | "area";

export interface ChartPoint {
  label: string;
  value: number;
  series?: string;
}

export interface ChartSpec {
  chart_type: ChartType;
  title: string;
  data: ChartPoint[];
}

export interface MetricsSpec {
  metrics: Metric[];
}

export interface ToolResult {
  tool: string;
  result: unknown;
}

export interface HistoryEntry {
  role: "user" | "assistant";
  content: string;
}

/** LiveTurn is the turn in flight when a screen joined (the session message's `live`). */
export interface LiveTurn {
  turn: number;
  /** text is the user's message. */
  text: string;
  /** reply is the answer so far. */
  reply: string;
  tool_results: ToolResult[] | null;
  /** generating is the industry while a mode switch is under way, else null. */
  generating: string | null;
}

export interface SessionPayload {
  id: string;
  /** screen names this connection; chat_start carries the screen that sent the message. */
  screen?: string;
  mode: Mode;
  persona: Persona | null;
  provider: string;
  history?: HistoryEntry[] | null;
  /** active_tab is the tab last asked for in this mode ("" for none). */
  active_tab?: string;
  live?: LiveTurn | null;
}

/** ServerMessage is every message the server sends on /ws, discriminated by type. */
export type ServerMessage =
  | Envelope<"session", SessionPayload>
  | Envelope<"chat_start", { text?: string; screen?: string }>
  | Envelope<"chat_chunk", { text: string; done: boolean }>
  | Envelope<"tool_result", ToolResult>
  | Envelope<"chat_error", { error: string; retryable: boolean }>
  | Envelope<"mode_generating", { industry: string }>
  | Envelope<"mode_generating_cancel", Record<string, never>>
  | Envelope<"mode_switch", { mode: Mode; persona: Persona | null }>
  | Envelope<"chat_cleared", Record<string, never>>
  | Envelope<"tab_selected", { mode_id: string; tab_id: string }>
  | Envelope<"tab_content", { mode_id: string; tab_id: string; tool_results: ToolResult[] | null }>
  | Envelope<"tab_error", { mode_id: string; tab_id: string; error: string; retryable: boolean }>
  | Envelope<"pong", Record<string, never>>
  | Envelope<"error", { error: string; retryable?: boolean }>
  | Envelope<"transcript", TranscriptPayload>
  | Envelope<"visualization_generating", { vis_type: string; description: string }>
  | Envelope<"visualization_error", { error: string; retryable?: boolean }>;

/** TranscriptPayload is a spoken line: the assistant's in deltas then whole (final), the user's once. */
export interface TranscriptPayload {
  role: "user" | "assistant";
  item_id: string;
  text: string;
  final: boolean;
}

export type VoiceStatus = "connecting" | "connected" | "reconnecting" | "disconnected" | "error";

/** VoiceServerMessage is every message the server sends on /voice that the page acts on. */
export type VoiceServerMessage =
  | Envelope<"status", { status: VoiceStatus; reason?: string; voice?: string; provider?: string }>
  | Envelope<"speech_started", Record<string, never>>
  | Envelope<"speech_stopped", Record<string, never>>
  | Envelope<"audio", { item_id: string; data: string }>
  | Envelope<"audio_done", { item_id: string }>
  | Envelope<"transcript", TranscriptPayload>
  | Envelope<"latency", { first_audio_ms: number }>
  | Envelope<"error", { error: string; retryable?: boolean }>;

/** VoiceClientMessage is every message the browser sends on /voice. */
export type VoiceClientMessage =
  | { type: "audio"; payload: { data: string } }
  | { type: "mute"; payload: { muted: boolean } }
  | { type: "played"; payload: { item_id: string; ms: number } }
  | { type: "stop"; payload: Record<string, never> }
  | { type: "ping"; payload: Record<string, never> };

interface Envelope<T extends string, P> {
  type: T;
  turn?: number;
  payload: P;
}

/** ClientMessage is every message the browser sends on /ws. */
export type ClientMessage =
  | { type: "chat"; payload: { text: string } }
  | { type: "clear_chat"; payload: Record<string, never> }
  | { type: "cancel"; payload: Record<string, never> }
  | { type: "tab"; payload: { tab_id: string } }
  | { type: "ping"; payload: Record<string, never> };

const serverTypes = new Set([
  "session",
  "chat_start",
  "chat_chunk",
  "tool_result",
  "chat_error",
  "mode_generating",
  "mode_generating_cancel",
  "mode_switch",
  "chat_cleared",
  "tab_selected",
  "tab_content",
  "tab_error",
  "pong",
  "error",
  "transcript",
  "visualization_generating",
  "visualization_error",
]);

// The dashboard's messages on /voice (tool_result, mode_switch, …) are left out: every /ws socket
// of the session receives the same ones, and the page draws from those.
const voiceTypes = new Set(["status", "speech_started", "speech_stopped", "audio", "audio_done", "transcript", "latency", "error"]);

/**
 * parseServerMessage decodes one frame. It returns null for anything that is not a known message
 * so one bad frame never breaks the page.
 */
export function parseServerMessage(raw: string): ServerMessage | null {
  return parseEnvelope(raw, serverTypes) as ServerMessage | null;
}

/** parseVoiceMessage decodes one /voice frame the page acts on, or returns null. */
export function parseVoiceMessage(raw: string): VoiceServerMessage | null {
  return parseEnvelope(raw, voiceTypes) as VoiceServerMessage | null;
}

function parseEnvelope(raw: string, types: Set<string>): { type: string; turn: number | undefined; payload: object } | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const o = v as { type?: unknown; turn?: unknown; payload?: unknown };
  if (typeof o.type !== "string" || !types.has(o.type)) return null;
  const payload = typeof o.payload === "object" && o.payload !== null ? o.payload : {};
  // Turn 0 (or none) marks a message outside any chat turn.
  const turn = typeof o.turn === "number" && Number.isFinite(o.turn) && o.turn > 0 ? o.turn : undefined;
  return { type: o.type, turn, payload };
}

const chartTypes = new Set<string>(["line", "bar", "pie", "area"]);

/** asChart checks a show_chart result; the server validates too, but a broken chart must never render. */
export function asChart(result: unknown): ChartSpec | null {
  if (typeof result !== "object" || result === null) return null;
  const r = result as Partial<ChartSpec>;
  if (typeof r.chart_type !== "string" || !chartTypes.has(r.chart_type)) return null;
  if (!Array.isArray(r.data)) return null;
  const data: ChartPoint[] = [];
  for (const p of r.data as unknown[]) {
    if (typeof p !== "object" || p === null) return null;
    const q = p as Partial<ChartPoint>;
    const value = typeof q.value === "number" ? q.value : Number(q.value);
    if (!Number.isFinite(value)) return null;
    const point: ChartPoint = { label: String(q.label ?? ""), value };
    if (typeof q.series === "string" && q.series !== "") point.series = q.series;
    data.push(point);
  }
  return { chart_type: r.chart_type, title: typeof r.title === "string" ? r.title : "", data };
}

/** asMetrics checks a show_metrics result. */
export function asMetrics(result: unknown): Metric[] | null {
  if (typeof result !== "object" || result === null) return null;
  const m = (result as Partial<MetricsSpec>).metrics;
  if (!Array.isArray(m)) return null;
  return m
    .filter((x): x is Metric => typeof x === "object" && x !== null)
    .map((x) => ({ label: String(x.label ?? ""), value: String(x.value ?? ""), unit: String(x.unit ?? "") }));
}
