import { describe, expect, it } from "vitest";
import { TabCache } from "./api";
import { backoffDelay, MaxBackoffMs, socketURL } from "./socket";
import type { ToolResult } from "./protocol";

describe("TabCache", () => {
  it("shares one request per tab and retries after a failure", async () => {
    const calls: string[] = [];
    let fail = true;
    const cache = new TabCache(async (modeId, tabId) => {
      calls.push(`${modeId}/${tabId}`);
      if (tabId === "bad" && fail) throw new Error("boom");
      return [{ tool: "show_metrics", result: { metrics: [] } }] as ToolResult[];
    });
    const [a, b] = await Promise.all([cache.get("bank", "acc", "Accounts"), cache.get("bank", "acc", "Accounts")]);
    expect(a).toBe(b);
    expect(calls).toEqual(["bank/acc"]);
    await expect(cache.get("bank", "bad", "Bad")).rejects.toThrow("boom");
    await Promise.resolve();
    fail = false;
    await cache.get("bank", "bad", "Bad");
    expect(calls).toEqual(["bank/acc", "bank/bad", "bank/bad"]);
  });

  it("prefetches every tab at most two at a time and stops when aborted", async () => {
    let active = 0;
    let peak = 0;
    const seen: string[] = [];
    const ctl = new AbortController();
    const cache = new TabCache(async (_m, tabId) => {
      active++;
      peak = Math.max(peak, active);
      seen.push(tabId);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      if (tabId === "c") ctl.abort();
      return [];
    });
    const tabs = ["a", "b", "c", "d", "e", "f"].map((id) => ({ id, label: id }));
    await cache.prefetch("m", tabs, ctl.signal);
    expect(peak).toBe(2);
    expect(seen.length).toBeLessThan(6);
    expect(cache.has("m", "a")).toBe(true);
  });
});

describe("socket helpers", () => {
  it("backs off exponentially up to the cap", () => {
    const delays = [0, 1, 2, 3, 4, 5, 10, 40].map((n) => backoffDelay(n, 0.5));
    expect(delays.slice(0, 5)).toEqual([250, 500, 1000, 2000, 4000]);
    expect(delays.slice(5)).toEqual([MaxBackoffMs, MaxBackoffMs, MaxBackoffMs]);
    for (const r of [0, 1]) expect(backoffDelay(30, r)).toBeLessThanOrEqual(MaxBackoffMs);
    expect(backoffDelay(0, 0)).toBe(200);
  });

  it("builds a same-origin socket URL", () => {
    expect(socketURL({ protocol: "http:", host: "127.0.0.1:8000" })).toBe("ws://127.0.0.1:8000/ws");
    expect(socketURL({ protocol: "https:", host: "demo.example" })).toBe("wss://demo.example/ws");
  });
});
