import { afterEach, describe, expect, it } from "vitest";
import { apiURL, pinSession, sessionFromURL, shareLink } from "./api";
import { backoffDelay, MaxBackoffMs, socketURL } from "./socket";

describe("the session link", () => {
  afterEach(() => pinSession(null));

  it.each([
    ["?session=abcdEFGH_123-xyz", "abcdEFGH_123-xyz"],
    ["?x=1&session=abcdefgh", "abcdefgh"],
    ["?session=short", null],
    ["?session=" + "a".repeat(65), null],
    ["?session=abcdefgh%3Cscript", null],
    ["", null],
  ])("reads a session id from %j", (search, want) => {
    expect(sessionFromURL(search)).toBe(want);
  });

  it("names the pinned session on every API request, and nothing without one", () => {
    expect(apiURL("/api/modes")).toBe("/api/modes");
    pinSession("abcdefgh");
    expect(apiURL("/api/modes")).toBe("/api/modes?session=abcdefgh");
    expect(apiURL("/api/x?y=1")).toBe("/api/x?y=1&session=abcdefgh");
  });

  it("builds the link another screen opens", () => {
    expect(shareLink("http://127.0.0.1:8000", "abcdefgh")).toBe("http://127.0.0.1:8000/?session=abcdefgh");
    expect(sessionFromURL(new URL(shareLink("https://demo.example", "s_1234567")).search)).toBe("s_1234567");
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

  it("builds a same-origin socket URL, naming a linked session", () => {
    expect(socketURL({ protocol: "http:", host: "127.0.0.1:8000" })).toBe("ws://127.0.0.1:8000/ws");
    expect(socketURL({ protocol: "https:", host: "demo.example" })).toBe("wss://demo.example/ws");
    expect(socketURL({ protocol: "http:", host: "h:1" }, "abcdefgh")).toBe("ws://h:1/ws?session=abcdefgh");
    expect(socketURL({ protocol: "https:", host: "h:1" }, "abcdefgh", "/voice")).toBe("wss://h:1/voice?session=abcdefgh");
  });
});
