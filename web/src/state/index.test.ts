import { describe, expect, it } from "vitest";
import { awaitingFirstToken, finishedSentences, inFlight, initialState, isPrestoCommand, pendingSend, reduce } from "./index";
import type { Action, State } from "./index";
import { parseServerMessage } from "../protocol";
import type { Mode, ServerMessage } from "../protocol";

function mode(id: string, company: string): Mode {
  return {
    id,
    name: id,
    company_name: company,
    tagline: "t",
    theme: { primary: "#123456", secondary: "#654321", background: "#ffffff", surface: "#f5f5f5", text: "#111111", text_muted: "#555555" },
    tabs: [
      { id: "dashboard", label: "Dashboard", icon: "dashboard" },
      { id: "accounts", label: "Accounts", icon: "wallet" },
    ],
    default_metrics: [{ label: "Balance", value: "$1", unit: "" }],
    welcome_message: `Welcome to ${company}.`,
    background_image: "",
    prebuilt: true,
  };
}

const home = mode("presto", "Presto-Change-O");
const bank = mode("banking", "Summit Bank");
const persona = { name: "Ana", city: "Austin", member_since: 2019, summary: [{ label: "Checking", value: "$4,821.33", unit: "" }] };

function srv(m: unknown): Action {
  return { type: "server", msg: m as ServerMessage, at: 0 };
}

function run(actions: Action[], from: State = initialState()): State {
  return actions.reduce(reduce, from);
}

const connected: Action[] = [
  { type: "open" },
  srv({ type: "session", payload: { id: "s1", mode: home, persona: null, provider: "offline" } }),
];

function texts(s: State): string[] {
  return s.messages.map((m) => `${m.role}:${m.text}`);
}

describe("session", () => {
  it("shows the welcome message when there is no history", () => {
    const s = run(connected);
    expect(s.connection).toBe("open");
    expect(s.provider).toBe("offline");
    expect(texts(s)).toEqual(["assistant:Welcome to Presto-Change-O."]);
    expect(s.messages[0]?.welcome).toBe(true);
  });

  it("restores history and resets the turn counter on reconnect", () => {
    const s = run([
      ...connected,
      srv({ type: "chat_start", turn: 7, payload: {} }),
      { type: "closed" },
      srv({
        type: "session",
        payload: {
          id: "s1",
          mode: bank,
          persona,
          provider: "offline",
          history: [
            { role: "user", content: "hi" },
            { role: "assistant", content: "" },
            { role: "tool", content: "{}" },
            { role: "assistant", content: "hello" },
          ],
        },
      }),
    ]);
    expect(texts(s)).toEqual(["user:hi", "assistant:hello"]);
    expect(s.turn).toBe(0);
    expect(s.mode?.company_name).toBe("Summit Bank");
    expect(s.activeTab).toBe("dashboard");
    // A restarted server numbers turns from 1 again: turn 1 must not be treated as stale.
    const t = run([srv({ type: "chat_start", turn: 1, payload: {} }), srv({ type: "chat_chunk", turn: 1, payload: { text: "ok", done: true } })], s);
    expect(texts(t)).toEqual(["user:hi", "assistant:hello", "assistant:ok"]);
  });
});

describe("streaming", () => {
  it("streams chunks into one reply and measures time to first token", () => {
    const s = run([
      ...connected,
      { type: "send", text: "how much?", at: 100 },
      srv({ type: "chat_start", turn: 1, payload: {} }),
    ]);
    expect(awaitingFirstToken(s)).toBe(true);
    expect(inFlight(s)).toBe(true);
    const t = run(
      [
        { type: "server", msg: { type: "chat_chunk", turn: 1, payload: { text: "You have ", done: false } }, at: 142 },
        srv({ type: "chat_chunk", turn: 1, payload: { text: "$5.", done: false } }),
        srv({ type: "chat_chunk", turn: 1, payload: { text: "", done: true } }),
      ],
      s,
    );
    expect(texts(t).slice(1)).toEqual(["user:how much?", "assistant:You have $5."]);
    expect(t.firstToken.ms).toBe(42);
    expect(awaitingFirstToken(t)).toBe(false);
    expect(inFlight(t)).toBe(false);
    expect(t.messages.every((m) => !m.streaming)).toBe(true);
    expect(t.announcement.text).toBe("You have $5.");
  });

  it("drops chunks and tool results of a stale turn", () => {
    const s = run([
      ...connected,
      { type: "send", text: "one", at: 0 },
      srv({ type: "chat_start", turn: 1, payload: {} }),
      srv({ type: "chat_chunk", turn: 1, payload: { text: "Old ", done: false } }),
      { type: "send", text: "two", at: 0 },
      srv({ type: "chat_start", turn: 2, payload: {} }),
      srv({ type: "chat_chunk", turn: 1, payload: { text: "leak", done: false } }),
      srv({ type: "tool_result", turn: 1, payload: { tool: "show_chart", result: { chart_type: "bar", title: "x", data: [{ label: "a", value: 1 }] } } }),
      srv({ type: "chat_chunk", turn: 2, payload: { text: "New", done: true } }),
    ]);
    expect(texts(s).slice(1)).toEqual(["user:one", "assistant:Old ", "user:two", "assistant:New"]);
    expect(s.charts).toEqual([]);
    expect(s.turn).toBe(2);
  });

  it("accepts a newer turn's chunk that arrives before its chat_start", () => {
    const s = run([
      ...connected,
      { type: "send", text: "q", at: 0 },
      srv({ type: "chat_chunk", turn: 3, payload: { text: "Early ", done: false } }),
      srv({ type: "chat_start", turn: 3, payload: {} }),
      srv({ type: "chat_chunk", turn: 3, payload: { text: "bird.", done: true } }),
    ]);
    expect(texts(s).slice(1)).toEqual(["user:q", "assistant:Early bird."]);
    expect(awaitingFirstToken(s)).toBe(false);
    expect(inFlight(s)).toBe(false);
  });

  it("ignores a late chat_start of an older turn", () => {
    const s = run([
      ...connected,
      srv({ type: "chat_start", turn: 5, payload: {} }),
      srv({ type: "chat_chunk", turn: 5, payload: { text: "five", done: true } }),
      srv({ type: "chat_start", turn: 4, payload: {} }),
    ]);
    expect(s.turn).toBe(5);
    expect(inFlight(s)).toBe(false);
    expect(awaitingFirstToken(s)).toBe(false);
  });
});

describe("errors", () => {
  it("shows a retryable chat_error and retry resends without a second bubble", () => {
    const s = run([
      ...connected,
      { type: "send", text: "hello", at: 0 },
      srv({ type: "chat_start", turn: 1, payload: {} }),
      srv({ type: "chat_error", turn: 1, payload: { error: "The model is busy.", retryable: true } }),
    ]);
    expect(s.failure).toEqual({ text: "The model is busy.", retryable: true });
    expect(inFlight(s)).toBe(false);
    expect(awaitingFirstToken(s)).toBe(false);
    const r = reduce(s, { type: "retry", at: 5 });
    expect(r.failure).toBeNull();
    expect(pendingSend(r)).toBe(true);
    expect(r.lastUserText).toBe("hello");
    expect(r.messages.filter((m) => m.role === "user")).toHaveLength(1);
  });

  it("treats a server error right after a send as that send's failure", () => {
    const s = run([...connected, { type: "send", text: "hi", at: 0 }, srv({ type: "error", payload: { error: "too many messages; try again in 3 s", retryable: true } })]);
    expect(s.failure).toEqual({ text: "too many messages; try again in 3 s", retryable: true });
    // retryable is the server's word alone: no guessing from the text.
    const h = run([...connected, { type: "send", text: "hi", at: 0 }, srv({ type: "error", payload: { error: "rate limited" } })]);
    expect(h.failure?.retryable).toBe(false);
    expect(awaitingFirstToken(s)).toBe(false);
    const t = run([...connected, { type: "send", text: "hi", at: 0 }, srv({ type: "error", payload: { error: "the message is too long", retryable: false } })]);
    expect(t.failure?.retryable).toBe(false);
  });

  it("shows an unrelated server error as a notice", () => {
    const s = run([...connected, srv({ type: "error", payload: { error: "bad JSON" } })]);
    expect(s.failure).toBeNull();
    expect(s.notice).toBe("bad JSON");
  });

  it("a closed socket ends the turn in flight", () => {
    const s = run([...connected, { type: "send", text: "q", at: 0 }, srv({ type: "chat_start", turn: 1, payload: {} }), { type: "closed" }]);
    expect(s.connection).toBe("closed");
    expect(inFlight(s)).toBe(false);
    expect(awaitingFirstToken(s)).toBe(false);
  });
});

describe("mode switch", () => {
  const switchTurn = (n: number, withWelcome: boolean): Action[] => [
    { type: "send", text: "Presto-Change-O, you're a bank", at: 0 },
    srv({ type: "chat_start", turn: n, payload: {} }),
    srv({ type: "mode_generating", turn: n, payload: { industry: "bank" } }),
    srv({ type: "mode_switch", turn: n, payload: { mode: bank, persona } }),
    srv({ type: "chat_chunk", turn: n, payload: { text: withWelcome ? "Welcome to Summit Bank." : "", done: true } }),
  ];

  it("shows the spinner from the command until the switch and then the new mode", () => {
    let s = run([...connected, { type: "send", text: "presto change-o, you're a bank", at: 0 }]);
    expect(s.generating).toBe("");
    s = run(switchTurn(1, true).slice(1, 3), s);
    expect(s.generating).toBe("bank");
    s = run(switchTurn(1, true).slice(3), s);
    expect(s.generating).toBeNull();
    expect(s.mode?.id).toBe("banking");
    expect(s.persona?.name).toBe("Ana");
    expect(texts(s)).toEqual(["assistant:Welcome to Summit Bank."]);
    expect(s.activeTab).toBe("dashboard");
    expect(s.metrics).toBeNull();
  });

  it("falls back to the mode's welcome when the switch turn sends no text", () => {
    const s = run([...connected, ...switchTurn(1, false)]);
    expect(texts(s)).toEqual(["assistant:Welcome to Summit Bank."]);
  });

  it("hides the spinner on mode_generating_cancel and when the turn ends without a switch", () => {
    const a = run([
      ...connected,
      { type: "send", text: "Presto-Change-O, you're a kraken", at: 0 },
      srv({ type: "mode_generating", turn: 1, payload: { industry: "kraken" } }),
      srv({ type: "mode_generating_cancel", turn: 1, payload: {} }),
    ]);
    expect(a.generating).toBeNull();
    const b = run([
      ...connected,
      { type: "send", text: "Presto-Change-O", at: 0 },
      srv({ type: "chat_start", turn: 1, payload: {} }),
      srv({ type: "chat_chunk", turn: 1, payload: { text: "Say which industry.", done: true } }),
    ]);
    expect(b.generating).toBeNull();
    expect(b.mode?.id).toBe("presto");
  });

  it("drops the old mode's late reply after a switch", () => {
    const s = run([
      ...connected,
      { type: "send", text: "tell me a story", at: 0 },
      srv({ type: "chat_start", turn: 1, payload: {} }),
      srv({ type: "chat_chunk", turn: 1, payload: { text: "Once", done: false } }),
      ...switchTurn(2, true),
      srv({ type: "chat_chunk", turn: 1, payload: { text: " upon a time", done: true } }),
    ]);
    expect(texts(s)).toEqual(["assistant:Welcome to Summit Bank."]);
  });
});

describe("dashboard", () => {
  const chart = (title: string) => ({ tool: "show_chart", result: { chart_type: "line", title, data: [{ label: "Jun", value: 4821.33 }] } });

  it("collects a turn's charts and replaces them on the next turn", () => {
    let s = run([
      ...connected,
      srv({ type: "chat_start", turn: 1, payload: {} }),
      { type: "server", msg: { type: "tool_result", turn: 1, payload: chart("A") }, at: 10 },
      srv({ type: "tool_result", turn: 1, payload: chart("B") }),
      srv({ type: "tool_result", turn: 1, payload: chart("C") }),
    ]);
    expect(s.charts.map((c) => c.title)).toEqual(["B", "C"]);
    s = run([srv({ type: "chat_start", turn: 2, payload: {} }), srv({ type: "tool_result", turn: 2, payload: chart("D") })], s);
    expect(s.charts.map((c) => c.title)).toEqual(["D"]);
  });

  it("measures tool-to-chart time once", () => {
    let s = run([...connected, srv({ type: "chat_start", turn: 1, payload: {} }), { type: "server", msg: { type: "tool_result", turn: 1, payload: chart("A") }, at: 10 }]);
    s = reduce(s, { type: "chart_drawn", at: 26 });
    expect(s.chartLatency.ms).toBe(16);
    s = reduce(s, { type: "chart_drawn", at: 99 });
    expect(s.chartLatency.ms).toBe(16);
  });

  it("rejects a malformed chart and applies show_metrics", () => {
    const s = run([
      ...connected,
      srv({ type: "tool_result", turn: 1, payload: { tool: "show_chart", result: { chart_type: "radar", title: "x", data: [] } } }),
      srv({ type: "tool_result", turn: 1, payload: { tool: "show_chart", result: { chart_type: "bar", title: "x", data: [{ label: "a", value: "NaN?" }] } } }),
      srv({ type: "tool_result", turn: 1, payload: { tool: "show_metrics", result: { metrics: [{ label: "Score", value: "780", unit: "" }] } } }),
    ]);
    expect(s.charts).toEqual([]);
    expect(s.metrics).toEqual([{ label: "Score", value: "780", unit: "" }]);
  });

  it("shows tab content only for the tab and mode still selected", () => {
    let s = run([
      ...connected,
      srv({ type: "mode_switch", turn: 1, payload: { mode: bank, persona } }),
      { type: "select_tab", tabId: "accounts" },
    ]);
    expect(s.tabLoading).toBe(true);
    const other = reduce(s, srv({ type: "tab_content", payload: { mode_id: "banking", tab_id: "dashboard", tool_results: [chart("X")] } }));
    expect(other.charts).toEqual([]);
    s = reduce(s, srv({ type: "tab_content", payload: { mode_id: "banking", tab_id: "accounts", tool_results: [chart("Accounts")] } }));
    expect(s.charts.map((c) => c.title)).toEqual(["Accounts"]);
    expect(s.tabLoading).toBe(false);
    // A chat chart after tab content replaces it.
    s = run([srv({ type: "chat_start", turn: 2, payload: {} }), srv({ type: "tool_result", turn: 2, payload: chart("Chat") })], s);
    expect(s.charts.map((c) => c.title)).toEqual(["Chat"]);
  });

  it("new conversation keeps only the welcome", () => {
    const s = run([
      ...connected,
      { type: "send", text: "q", at: 0 },
      srv({ type: "chat_start", turn: 1, payload: {} }),
      srv({ type: "chat_chunk", turn: 1, payload: { text: "a", done: true } }),
      srv({ type: "chat_cleared", payload: {} }),
    ]);
    expect(texts(s)).toEqual(["assistant:Welcome to Presto-Change-O."]);
  });
});

describe("parseServerMessage", () => {
  it.each([
    ['{"type":"chat_chunk","turn":3,"payload":{"text":"a","done":false}}', "chat_chunk", 3],
    ['{"type":"chat_cleared"}', "chat_cleared", undefined],
    ['{"type":"pong","turn":0,"payload":{}}', "pong", undefined],
  ])("decodes %s", (raw, type, turn) => {
    const m = parseServerMessage(raw);
    expect(m?.type).toBe(type);
    expect(m?.turn).toBe(turn);
    expect(m?.payload).toBeTypeOf("object");
  });

  it.each(["not json", "[]", '{"type":"nope"}', '{"turn":1}', "null"])("rejects %s", (raw) => {
    expect(parseServerMessage(raw)).toBeNull();
  });

  it("keeps a turn-less message from being dropped as stale", () => {
    const s = run([...connected, srv({ type: "chat_start", turn: 4, payload: {} }), { type: "server", msg: parseServerMessage('{"type":"chat_cleared","payload":{}}')!, at: 0 }]);
    expect(texts(s)).toEqual(["assistant:Welcome to Presto-Change-O."]);
  });
});

describe("many screens", () => {
  const here: Action[] = [
    { type: "open" },
    srv({ type: "session", turn: 0, payload: { id: "s1", screen: "A", mode: bank, persona, provider: "offline", history: [], active_tab: "", live: null } }),
  ];
  const chart = { tool: "show_chart", result: { chart_type: "line", title: "Checking", data: [{ label: "Jun", value: 4821.33 }] } };

  it("keeps the session's screen id", () => {
    expect(run(here).screen).toBe("A");
  });

  it("shows our own message once: the chat_start of our screen adds no bubble", () => {
    const s = run([
      ...here,
      { type: "send", text: "how much?", at: 0 },
      srv({ type: "chat_start", turn: 1, payload: { text: "how much?", screen: "A" } }),
      srv({ type: "chat_chunk", turn: 1, payload: { text: "Lots.", done: true } }),
    ]);
    expect(texts(s).slice(1)).toEqual(["user:how much?", "assistant:Lots."]);
  });

  it("follows another screen's turn exactly as the sender does", () => {
    let s = run([...here, srv({ type: "chat_start", turn: 1, payload: { text: "how much?", screen: "B" } })]);
    expect(texts(s).slice(1)).toEqual(["user:how much?"]);
    expect(awaitingFirstToken(s)).toBe(true);
    expect(inFlight(s)).toBe(true);
    expect(pendingSend(s)).toBe(false);
    expect(s.lastUserText).toBe("how much?");
    s = run([srv({ type: "chat_chunk", turn: 1, payload: { text: "You have ", done: false } })], s);
    expect(awaitingFirstToken(s)).toBe(false);
    expect(s.messages.at(-1)).toMatchObject({ role: "assistant", text: "You have ", streaming: true });
    s = run(
      [
        srv({ type: "tool_result", turn: 1, payload: chart }),
        srv({ type: "chat_chunk", turn: 1, payload: { text: "$4,821.33.", done: false } }),
        srv({ type: "chat_chunk", turn: 1, payload: { text: "", done: true } }),
      ],
      s,
    );
    expect(texts(s).slice(1)).toEqual(["user:how much?", "assistant:You have $4,821.33."]);
    expect(s.charts.map((c) => c.title)).toEqual(["Checking"]);
    expect(inFlight(s)).toBe(false);
  });

  it("shows the spinner for another screen's mode switch and repaints with it", () => {
    let s = run([...here, srv({ type: "chat_start", turn: 1, payload: { text: "Presto-Change-O, you're an insurer", screen: "B" } })]);
    expect(s.generating).toBe("");
    const insurer = mode("insurance", "Harbor Mutual");
    s = run(
      [
        srv({ type: "mode_generating", turn: 1, payload: { industry: "insurance" } }),
        srv({ type: "mode_switch", turn: 1, payload: { mode: insurer, persona } }),
        srv({ type: "chat_chunk", turn: 1, payload: { text: "Welcome to Harbor Mutual.", done: true } }),
      ],
      s,
    );
    expect(s.generating).toBeNull();
    expect(s.mode?.id).toBe("insurance");
    expect(texts(s)).toEqual(["assistant:Welcome to Harbor Mutual."]);
  });

  it("puts another screen's question above an answer chunk that came first", () => {
    const s = run([
      ...here,
      srv({ type: "chat_chunk", turn: 2, payload: { text: "Early", done: false } }),
      srv({ type: "chat_start", turn: 2, payload: { text: "q", screen: "B" } }),
    ]);
    expect(texts(s).slice(1)).toEqual(["user:q", "assistant:Early"]);
  });

  it("does not show a retried message twice, but does show a question asked again after its answer", () => {
    const failed = run([
      ...here,
      srv({ type: "chat_start", turn: 1, payload: { text: "hi", screen: "B" } }),
      srv({ type: "chat_error", turn: 1, payload: { error: "busy", retryable: true } }),
      srv({ type: "chat_start", turn: 2, payload: { text: "hi", screen: "B" } }),
    ]);
    expect(texts(failed).slice(1)).toEqual(["user:hi"]);
    expect(failed.failure).toBeNull();
    const again = run(
      [srv({ type: "chat_chunk", turn: 2, payload: { text: "hello", done: true } }), srv({ type: "chat_start", turn: 3, payload: { text: "hi", screen: "B" } })],
      failed,
    );
    expect(texts(again).slice(1)).toEqual(["user:hi", "assistant:hello", "user:hi"]);
  });

  it("keeps our own send pending when another screen's turn starts first", () => {
    const s = run([
      ...here,
      { type: "send", text: "mine", at: 0 },
      srv({ type: "chat_start", turn: 1, payload: { text: "theirs", screen: "B" } }),
    ]);
    expect(texts(s).slice(1)).toEqual(["user:mine", "user:theirs"]);
    expect(pendingSend(s)).toBe(true);
    expect(s.lastUserText).toBe("mine");
    // The refusal of our chat is still our failure, not a notice.
    const r = reduce(s, srv({ type: "error", payload: { error: "too many messages", retryable: true } }));
    expect(r.failure).toEqual({ text: "too many messages", retryable: true });
  });

  it("chat_cleared from another screen clears this one", () => {
    const s = run([
      ...here,
      srv({ type: "chat_start", turn: 1, payload: { text: "q", screen: "B" } }),
      srv({ type: "chat_chunk", turn: 1, payload: { text: "a", done: true } }),
      srv({ type: "chat_cleared", payload: {} }),
    ]);
    expect(texts(s)).toEqual(["assistant:Welcome to Summit Bank."]);
  });
});

describe("joining mid-turn", () => {
  const chart = { tool: "show_chart", result: { chart_type: "bar", title: "Spending", data: [{ label: "Food", value: 120 }] } };
  const join = (live: unknown, history: unknown[] = []): Action[] => [
    { type: "open" },
    srv({ type: "session", turn: 4, payload: { id: "s1", screen: "C", mode: bank, persona, provider: "offline", history, active_tab: "", live } }),
  ];

  it("restores the question, the reply so far and the charts, then continues the turn", () => {
    let s = run(join({ turn: 4, text: "where does my money go?", reply: "Mostly ", tool_results: [chart], generating: null }, [{ role: "assistant", content: "Welcome." }]));
    expect(texts(s)).toEqual(["assistant:Welcome.", "user:where does my money go?", "assistant:Mostly "]);
    expect(s.messages.at(-1)?.streaming).toBe(true);
    expect(inFlight(s)).toBe(true);
    expect(awaitingFirstToken(s)).toBe(false);
    expect(s.charts.map((c) => c.title)).toEqual(["Spending"]);
    expect(s.turn).toBe(4);
    expect(s.generating).toBeNull();
    s = run(
      [
        srv({ type: "chat_chunk", turn: 4, payload: { text: "food.", done: false } }),
        srv({ type: "tool_result", turn: 4, payload: { ...chart, result: { ...chart.result, title: "By month" } } }),
        srv({ type: "chat_chunk", turn: 4, payload: { text: "", done: true } }),
      ],
      s,
    );
    expect(texts(s)).toEqual(["assistant:Welcome.", "user:where does my money go?", "assistant:Mostly food."]);
    // The live turn's chart and the next one are the same turn's: both show.
    expect(s.charts.map((c) => c.title)).toEqual(["Spending", "By month"]);
    expect(inFlight(s)).toBe(false);
  });

  it("shows the typing indicator before the first token and the spinner during a switch", () => {
    const s = run(join({ turn: 4, text: "Presto-Change-O, you're a hospital", reply: "", tool_results: null, generating: "hospital" }));
    expect(texts(s)).toEqual(["assistant:Welcome to Summit Bank.", "user:Presto-Change-O, you're a hospital"]);
    expect(awaitingFirstToken(s)).toBe(true);
    expect(s.generating).toBe("hospital");
    const done = run([srv({ type: "mode_generating_cancel", turn: 4, payload: {} }), srv({ type: "chat_chunk", turn: 4, payload: { text: "No.", done: true } })], s);
    expect(done.generating).toBeNull();
    expect(awaitingFirstToken(done)).toBe(false);
  });

  it("does not repeat the question when the history already ends with it", () => {
    const s = run(join({ turn: 4, text: "q", reply: "", tool_results: [], generating: null }, [{ role: "user", content: "q" }]));
    expect(texts(s)).toEqual(["user:q"]);
  });

  it("drops a stale frame of an older turn after joining", () => {
    const s = run([...join({ turn: 4, text: "q", reply: "A", tool_results: [], generating: null }), srv({ type: "chat_chunk", turn: 3, payload: { text: "old", done: true } })]);
    expect(texts(s).at(-1)).toBe("assistant:A");
  });

  it("with no live turn, nothing is in flight", () => {
    const s = run(join(null));
    expect(inFlight(s)).toBe(false);
    expect(awaitingFirstToken(s)).toBe(false);
  });
});

describe("tabs over the socket", () => {
  const tabChart = (title: string) => ({ tool: "show_chart", result: { chart_type: "bar", title, data: [{ label: "a", value: 1 }] } });
  const content = (tab: string, title: string, modeId = "banking"): Action =>
    srv({ type: "tab_content", payload: { mode_id: modeId, tab_id: tab, tool_results: [tabChart(title)] } });
  const selected = (tab: string, modeId = "banking"): Action => srv({ type: "tab_selected", payload: { mode_id: modeId, tab_id: tab } });
  const switched = run([...connected, srv({ type: "mode_switch", turn: 1, payload: { mode: bank, persona } })]);
  const titles = (s: State) => s.charts.map((c) => c.title);

  it("a background tab_content fills the empty dashboard with the first tab's content", () => {
    const s = run([content("accounts", "Accounts"), content("dashboard", "Dashboard")], switched);
    expect(s.activeTab).toBe("dashboard");
    expect(titles(s)).toEqual(["Dashboard"]);
    expect(Object.keys(s.tabContent).sort()).toEqual(["accounts", "dashboard"]);
  });

  it("a background tab_content never replaces a chart the user asked for", () => {
    const asked = run([srv({ type: "chat_start", turn: 2, payload: {} }), srv({ type: "tool_result", turn: 2, payload: tabChart("Asked") })], switched);
    const s = reduce(asked, content("dashboard", "Dashboard"));
    expect(titles(s)).toEqual(["Asked"]);
    expect(s.tabContent.dashboard).toBeDefined();
  });

  it("a click shows cached content at once, and the server's echo does not redraw it", () => {
    let s = run([content("dashboard", "Dashboard"), content("accounts", "Accounts")], switched);
    s = reduce(s, { type: "select_tab", tabId: "accounts" });
    expect(s.activeTab).toBe("accounts");
    expect(s.tabLoading).toBe(false);
    expect(titles(s)).toEqual(["Accounts"]);
    const version = s.chartsVersion;
    s = run([selected("accounts"), content("accounts", "Accounts")], s);
    expect(titles(s)).toEqual(["Accounts"]);
    expect(s.chartsVersion).toBe(version);
    expect(s.tabPending).toBeNull();
  });

  it("a click on a tab not yet sent loads until its content comes", () => {
    let s = run([content("dashboard", "Dashboard"), { type: "select_tab", tabId: "accounts" }], switched);
    expect(s.tabLoading).toBe(true);
    expect(s.tabPending).toBe("accounts");
    expect(titles(s)).toEqual(["Dashboard"]);
    s = run([selected("accounts"), content("accounts", "Accounts")], s);
    expect(s.tabLoading).toBe(false);
    expect(titles(s)).toEqual(["Accounts"]);
  });

  it("tab_selected from another screen switches this screen's tab too", () => {
    let s = run([content("dashboard", "Dashboard"), selected("accounts")], switched);
    expect(s.activeTab).toBe("accounts");
    expect(s.tabLoading).toBe(true);
    expect(s.tabPending).toBeNull();
    s = reduce(s, content("accounts", "Accounts"));
    expect(titles(s)).toEqual(["Accounts"]);
    // Back to a tab this screen has: at once, replacing a chat chart.
    s = run([srv({ type: "chat_start", turn: 2, payload: {} }), srv({ type: "tool_result", turn: 2, payload: tabChart("Chat") }), selected("dashboard")], s);
    expect(s.activeTab).toBe("dashboard");
    expect(s.tabLoading).toBe(false);
    expect(titles(s)).toEqual(["Dashboard"]);
  });

  it("another screen's choice of the settings tab does not move this one", () => {
    const s = run([content("dashboard", "Dashboard"), selected("settings")], switched);
    expect(s.activeTab).toBe("dashboard");
    expect(s.tabLoading).toBe(false);
  });

  it("tab_error for the active tab ends the loading and offers what the server says", () => {
    const loading = run([{ type: "select_tab", tabId: "accounts" }], switched);
    const s = reduce(loading, srv({ type: "tab_error", payload: { mode_id: "banking", tab_id: "accounts", error: "The model is busy.", retryable: true } }));
    expect(s.tabLoading).toBe(false);
    expect(s.tabFailure).toEqual({ tabId: "accounts", text: "The model is busy.", retryable: true });
    const final = reduce(loading, srv({ type: "tab_error", payload: { mode_id: "banking", tab_id: "accounts", error: "No.", retryable: false } }));
    expect(final.tabFailure?.retryable).toBe(false);
    // Another tab's error is not this one's.
    const other = reduce(loading, srv({ type: "tab_error", payload: { mode_id: "banking", tab_id: "dashboard", error: "x", retryable: true } }));
    expect(other.tabFailure).toBeNull();
    expect(other.tabLoading).toBe(true);
    // A new selection clears the failure.
    expect(reduce(s, selected("dashboard")).tabFailure).toBeNull();
  });

  it("a refused tab click (an error while it loads) is that tab's failure, not the chat's", () => {
    const s = run([{ type: "select_tab", tabId: "accounts" }, srv({ type: "error", payload: { error: "too many requests; try again in 20 s", retryable: true } })], switched);
    expect(s.tabFailure).toEqual({ tabId: "accounts", text: "too many requests; try again in 20 s", retryable: true });
    expect(s.tabLoading).toBe(false);
    expect(s.failure).toBeNull();
    expect(s.notice).toBeNull();
  });

  it("drops tab messages of a mode that is no longer current", () => {
    const s = run([content("dashboard", "Old dashboard", "presto"), selected("accounts", "presto"), content("accounts", "Old", "insurance")], switched);
    expect(s.activeTab).toBe("dashboard");
    expect(s.charts).toEqual([]);
    expect(s.tabContent).toEqual({});
    // A switch forgets the old mode's contents.
    const cached = reduce(switched, content("accounts", "Accounts"));
    const other = mode("insurance", "Harbor Mutual");
    const t = reduce(cached, srv({ type: "mode_switch", turn: 2, payload: { mode: other, persona } }));
    expect(t.tabContent).toEqual({});
    expect(reduce(t, content("accounts", "Accounts")).tabContent).toEqual({});
  });

  it("the session restores the active tab and a reconnect keeps the cached contents", () => {
    const s = run([content("dashboard", "Dashboard"), content("accounts", "Accounts"), { type: "closed" }], switched);
    const back = reduce(s, srv({ type: "session", payload: { id: "s1", screen: "D", mode: bank, persona, provider: "offline", active_tab: "accounts", live: null } }));
    expect(back.activeTab).toBe("accounts");
    expect(titles(back)).toEqual(["Accounts"]);
    const fresh = run([
      { type: "open" },
      srv({ type: "session", payload: { id: "s1", screen: "E", mode: bank, persona, provider: "offline", active_tab: "accounts", live: null } }),
    ]);
    expect(fresh.activeTab).toBe("accounts");
    expect(fresh.charts).toEqual([]);
    expect(titles(reduce(fresh, content("accounts", "Accounts")))).toEqual(["Accounts"]);
    const none = run([{ type: "open" }, srv({ type: "session", payload: { id: "s1", mode: bank, persona, provider: "offline", active_tab: "" } })]);
    expect(none.activeTab).toBe("dashboard");
  });
});

describe("helpers", () => {
  it.each([
    ["Presto-Change-O, you're a bank", true],
    ["presto change o you are a hospital", true],
    ["PRESTOCHANGEO", true],
    ["how much is in checking?", false],
  ])("isPrestoCommand(%j) = %s", (text, want) => {
    expect(isPrestoCommand(text)).toBe(want);
  });

  it.each([
    { text: "One. Two", from: 0, done: false, want: "One.", upTo: 4 },
    { text: "One. Two! Three", from: 4, done: false, want: "Two!", upTo: 9 },
    { text: "No end yet", from: 0, done: false, want: "", upTo: 0 },
    { text: "One. Two", from: 4, done: true, want: "Two", upTo: 8 },
    { text: "$4.82 left. Ok", from: 0, done: false, want: "$4.82 left.", upTo: 11 },
  ])("finishedSentences($text, $from)", ({ text, from, done, want, upTo }) => {
    expect(finishedSentences(text, from, done)).toEqual({ text: want, upTo });
  });
});
