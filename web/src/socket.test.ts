// The socket module against a real WebSocket server on loopback: frames become actions, a drop
// reconnects with backoff, and the next session message restores state.
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket as NodeWebSocket, WebSocketServer } from "ws";
import type { AddressInfo } from "node:net";
import { Connection } from "./socket";
import type { Action } from "./state";

// The browser's WebSocket, played by the ws package (same API for what the module uses).
(globalThis as { WebSocket?: unknown }).WebSocket ??= NodeWebSocket;

interface Harness {
  url: string;
  server: WebSocketServer;
  received: string[];
}

function listen(port = 0): Promise<Harness> {
  return new Promise((resolve) => {
    const server = new WebSocketServer({ host: "127.0.0.1", port });
    const received: string[] = [];
    server.on("connection", (sock) => {
      sock.on("message", (d) => received.push(d.toString()));
      sock.send(JSON.stringify({ type: "session", turn: 2, payload: { id: "s1", mode: null, persona: null, provider: "offline" } }));
    });
    server.on("listening", () => {
      const { port: p } = server.address() as AddressInfo;
      resolve({ url: `ws://127.0.0.1:${p}/ws`, server, received });
    });
  });
}

function closeServer(h: Harness): Promise<void> {
  for (const c of h.server.clients) c.terminate();
  return new Promise((r) => h.server.close(() => r()));
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("Connection", () => {
  it("turns frames into actions, sends messages and ignores junk", async () => {
    const h = await listen();
    cleanups.push(() => closeServer(h));
    const actions: Action[] = [];
    const conn = new Connection({ url: h.url, dispatch: (a) => actions.push(a), now: () => 7 });
    cleanups.push(() => conn.stop());
    conn.start();
    await until(() => actions.some((a) => a.type === "server"));
    expect(actions[0]).toEqual({ type: "connecting" });
    expect(actions[1]).toEqual({ type: "open" });
    const first = actions[2];
    expect(first?.type === "server" && first.msg.type === "session" && first.msg.turn === 2 && first.at === 7).toBe(true);

    expect(conn.send({ type: "chat", payload: { text: "hi" } })).toBe(true);
    await until(() => h.received.length === 1);
    expect(JSON.parse(h.received[0]!)).toEqual({ type: "chat", payload: { text: "hi" } });

    for (const c of h.server.clients) {
      c.send("not json");
      c.send(JSON.stringify({ type: "mystery", payload: {} }));
      c.send(JSON.stringify({ type: "pong", payload: {} }));
    }
    await until(() => actions.filter((a) => a.type === "server").length === 2);
    const last = actions[actions.length - 1];
    expect(last?.type === "server" && last.msg.type).toBe("pong");
  });

  it("reconnects after the server goes away and comes back on the same port", async () => {
    let h = await listen();
    const port = Number(new URL(h.url).port);
    const actions: Action[] = [];
    const conn = new Connection({ url: h.url, dispatch: (a) => actions.push(a), now: () => 0 });
    cleanups.push(() => conn.stop());
    conn.start();
    const sessions = () => actions.filter((a) => a.type === "server" && a.msg.type === "session").length;
    await until(() => sessions() === 1);
    expect(conn.send({ type: "ping", payload: {} })).toBe(true);

    await closeServer(h);
    await until(() => actions.some((a) => a.type === "closed"));
    expect(conn.send({ type: "ping", payload: {} })).toBe(false);
    h = await listen(port);
    cleanups.push(() => closeServer(h));
    await until(() => sessions() === 2);
    const kinds = actions.map((a) => (a.type === "server" ? a.msg.type : a.type));
    expect(kinds.slice(0, 4)).toEqual(["connecting", "open", "session", "closed"]);
    expect(kinds.slice(-2)).toEqual(["open", "session"]);
  });

  it("stays closed after stop", async () => {
    const h = await listen();
    cleanups.push(() => closeServer(h));
    const actions: Action[] = [];
    const conn = new Connection({ url: h.url, dispatch: (a) => actions.push(a), now: () => 0 });
    conn.start();
    await until(() => actions.some((a) => a.type === "server"));
    conn.stop();
    await new Promise((r) => setTimeout(r, 600));
    expect(actions.filter((a) => a.type === "connecting")).toHaveLength(1);
  });
});
