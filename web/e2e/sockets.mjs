// A socket client for the suites that speak the protocol without a browser: it collects every
// message it receives and lets a test wait for the first one that matches.
import WebSocket from "ws";

/** collectingSocket opens url (ws://…/ws or /voice) and resolves once it is open. */
export async function collectingSocket(url) {
  const ws = new WebSocket(url);
  const got = [];
  const waiters = [];
  ws.on("message", (data) => {
    const msg = JSON.parse(data.toString());
    got.push(msg);
    for (const w of waiters.slice()) {
      if (w.pred(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  });
  const closed = new Promise((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return {
    ws,
    got,
    closed,
    send: (type, payload = {}) => ws.send(JSON.stringify({ type, payload })),
    /** next resolves with the first message from index from on (default: any) that matches. */
    next(pred, { from = 0, timeout = 10_000 } = {}) {
      const seen = got.slice(from).find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          if (waiters.includes(w)) {
            waiters.splice(waiters.indexOf(w), 1);
            reject(new Error(`no matching message on ${url} in ${timeout} ms; got ${got.map((m) => m.type).join(", ")}`));
          }
        }, timeout).unref();
      });
    },
    close: () => ws.close(),
  };
}
