// Many screens on one session (docs/protocol.md, "Many screens"): a laptop and a phone opened from
// the laptop's Settings link follow each other's chats, mode switches and tabs; a raw socket on
// the same session drives them and gets its own errors; and the per-session limit refuses tab
// clicks the server has not prefetched. run.mjs imports this file after its own flows.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import WebSocket from "ws";
import { Server, buildServer, freePort, tempDataDir } from "./server.mjs";
import { collectingSocket } from "./sockets.mjs";
import * as ui from "./ui.mjs";

const shots = process.env.E2E_SCREENSHOTS || join(tmpdir(), "presto-e2e-screenshots");
const laptop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

/** rawSocket opens /ws on a session as a non-browser client and collects what it receives. */
const rawSocket = (server, session) => collectingSocket(`${server.url.replace(/^http/, "ws")}/ws?session=${encodeURIComponent(session)}`);

const userCount = (page, text) => page.locator('[data-testid="chat-message"][data-role="user"]', { hasText: text }).count();

describe("many screens on one session", () => {
  let server;
  let browser;
  let ctxA;
  let ctxB;
  let a;
  let b;
  let session;
  let framesA;
  const modes = {};

  before(async () => {
    server = new Server(buildServer(), { port: await freePort(), dataDir: tempDataDir() });
    await server.start();
    browser = await ui.launchBrowser();
    // Separate contexts: separate cookies, so only the link joins them.
    ctxA = await browser.newContext({ viewport: laptop });
    ctxB = await browser.newContext({ viewport: phone, isMobile: true, hasTouch: true });
    a = await ctxA.newPage();
    b = await ctxB.newPage();
    framesA = ui.watchFrames(a);
    for (const p of [a, b]) p.on("pageerror", (e) => console.error("page error:", e.message));
    for (const m of (await (await fetch(`${server.url}/api/modes`)).json()).modes) modes[m.id] = m;
    mkdirSync(shots, { recursive: true });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.stop();
    }
  });

  test("Settings offers the session link and its QR code; the link opens the same session", async () => {
    await a.goto(server.url);
    await ui.waitConnected(a);
    session = await ui.sessionId(a);
    const link = `${server.url}/?session=${session}`;
    await a.getByTestId("settings").click();
    assert.equal(await a.getByTestId("session-link").inputValue(), link);
    const qr = a.getByTestId("session-qr");
    await qr.locator("svg path").waitFor();
    assert.equal(await qr.getAttribute("role"), "img");
    assert.match(await qr.getAttribute("aria-label"), new RegExp(`QR code .*${session}`));
    // A real QR symbol: square, with a path of many modules.
    const box = await qr.locator("svg").boundingBox();
    assert.ok(box.width > 100 && Math.abs(box.width - box.height) < 1, `QR box ${JSON.stringify(box)}`);
    assert.ok((await qr.locator("svg path").getAttribute("d")).length > 1000);
    // Copy by keyboard: focus the button, press Enter, and the clipboard holds the link.
    await ctxA.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await a.getByTestId("copy-link").focus();
    await a.keyboard.press("Enter");
    await a.getByTestId("copy-status").filter({ hasText: "clipboard" }).waitFor();
    assert.equal(await a.evaluate(() => navigator.clipboard.readText()), link);
    await ui.screenshot(a, join(shots, "open-on-another-screen.png"));
    await a.keyboard.press("Escape");
    await a.locator("dialog.settings[open]").waitFor({ state: "detached" });

    await b.goto(link);
    await ui.waitConnected(b);
    assert.equal(await ui.sessionId(b), session);
    // The phone's own Settings names the same session, not its cookie's.
    await b.getByTestId("settings").click();
    assert.equal(await b.getByTestId("session-link").inputValue(), link);
    await b.keyboard.press("Escape");
  });

  test("a mode switch typed on one screen repaints both, spinner included", async () => {
    const spinnerB = await ui.watchSpinner(b);
    const colourB = await ui.cssVar(b, "--color-primary");
    await ui.say(a, "Presto-Change-O, you're a bank");
    await Promise.all([ui.waitCompany(a, modes.banking.company_name), ui.waitCompany(b, modes.banking.company_name)]);
    assert.equal(await spinnerB(), true, "the second screen never showed the spinner");
    await Promise.all([ui.waitIdle(a), ui.waitIdle(b)]);
    // The theme moves on the phone too (a registered property with a transition: wait for it).
    await b.waitForFunction((c) => getComputedStyle(document.documentElement).getPropertyValue("--color-primary").trim() !== c, colourB, { timeout: 5000 });
    // The server prefetches the tabs: the first one fills both dashboards.
    await Promise.all([ui.waitTab(a, "dashboard"), ui.waitTab(b, "dashboard")]);
    assert.deepEqual(await ui.chartCaptions(b), await ui.chartCaptions(a));

    // A screen that joins after the prefetch gets the dashboard too: the server sends the joining
    // screen the tabs filled so far, and nothing to the others.
    const from = framesA.frames.length;
    const late = await (await browser.newContext({ viewport: laptop })).newPage();
    try {
      await late.goto(`${server.url}/?session=${session}`);
      await ui.waitConnected(late);
      await ui.waitTab(late, "dashboard");
      assert.deepEqual(await ui.chartCaptions(late), await ui.chartCaptions(a));
      await ui.waitTab(a, "dashboard");
      const toLaptop = framesA.frames.slice(from).filter((f) => f.type.startsWith("tab_"));
      assert.deepEqual(toLaptop, [], "the laptop was sent tab messages when another screen joined");
    } finally {
      await late.context().close();
    }
  });

  test("a chat typed on one screen shows its question and chart on both", async () => {
    const q = "how much is in my checking account?";
    await ui.say(a, q);
    const checking = (p) => p.locator('[data-testid="chart"]', { has: p.locator("caption", { hasText: /checking/i }) }).first();
    await Promise.all([checking(a).waitFor(), checking(b).waitFor()]);
    await Promise.all([ui.waitIdle(a), ui.waitIdle(b)]);
    assert.equal(await userCount(a, q), 1, "the sender shows its question once");
    assert.equal(await userCount(b, q), 1, "the other screen shows the question once");
    assert.deepEqual(await ui.messages(b), await ui.messages(a));
    const values = (p) => checking(p).locator("td[data-value]").evaluateAll((tds) => tds.map((td) => td.getAttribute("data-value")));
    assert.deepEqual(await values(b), await values(a));

    // And the other way round: the phone asks, the laptop follows.
    const q2 = "what can you show me?";
    const before = await a.locator('[data-testid="chat-message"][data-role="assistant"]').count();
    await ui.say(b, q2);
    await a.locator('[data-testid="chat-message"][data-role="user"]', { hasText: q2 }).waitFor();
    await a.waitForFunction((n) => document.querySelectorAll('[data-testid="chat-message"][data-role="assistant"]:not([data-streaming])').length > n, before);
    await Promise.all([ui.waitIdle(a), ui.waitIdle(b)]);
    assert.equal(await userCount(b, q2), 1);
    assert.deepEqual(await ui.messages(a), await ui.messages(b));
  });

  test("a tab clicked on one screen shows on both", async () => {
    const tabs = await a.getByTestId("tab").evaluateAll((els) => els.map((e) => e.getAttribute("data-tab-id")));
    const target = tabs.find((t) => t !== "dashboard" && t !== "settings");
    assert.ok(target, `tabs: ${tabs}`);
    await b.locator(`[data-testid="tab"][data-tab-id="${target}"]`).click();
    await Promise.all([ui.waitTab(a, target), ui.waitTab(b, target)]);
    assert.deepEqual(await ui.chartCaptions(a), await ui.chartCaptions(b));
    await ui.screenshot(a, join(shots, "screens-laptop.png"));
    await ui.screenshot(b, join(shots, "screens-phone.png"));
    // And back from the laptop.
    await a.locator('[data-testid="tab"][data-tab-id="dashboard"]').click();
    await Promise.all([ui.waitTab(a, "dashboard"), ui.waitTab(b, "dashboard")]);
  });

  test("a raw socket on the session drives the screens and gets its own errors", async () => {
    const raw = await rawSocket(server, session);
    try {
      const hello = await raw.next((m) => m.type === "session");
      assert.equal(hello.payload.id, session);
      assert.equal(hello.payload.mode.id, "banking");
      assert.ok(hello.payload.screen, "the session message names no screen");
      const tabs = hello.payload.mode.tabs.map((t) => t.id).filter((t) => t !== "dashboard" && t !== "settings");
      const target = tabs.at(-1);

      // On joining it got the tabs the prefetch filled; what follows its own request comes after.
      raw.send("tab", { tab_id: target });
      const sel = await raw.next((m) => m.type === "tab_selected");
      assert.deepEqual(sel.payload, { mode_id: "banking", tab_id: target });
      const after = raw.got.indexOf(sel) + 1;
      const content = await raw.next((m) => (m.type === "tab_content" || m.type === "tab_error") && m.payload.tab_id === target, { from: after });
      assert.equal(content.type, "tab_content", JSON.stringify(content));
      await Promise.all([ui.waitTab(a, target), ui.waitTab(b, target)]);

      // A tab the mode does not have: an error for this socket only, and the socket stays open.
      raw.send("tab", { tab_id: "no-such-tab" });
      const err = await raw.next((m) => m.type === "error");
      assert.match(err.payload.error, /no-such-tab/);
      raw.send("ping");
      await raw.next((m) => m.type === "pong");
      assert.equal(raw.ws.readyState, WebSocket.OPEN);
      assert.equal(await a.getByTestId("tab-notice").count(), 0, "another socket's error reached the laptop");
      assert.equal(await a.locator(".chat-notice").count(), 0, "another socket's error reached the laptop");
      await ui.waitTab(a, target);
    } finally {
      raw.close();
    }
  });
});

describe("tab clicks against the per-session limit", () => {
  let server;
  let browser;
  const modes = {};

  before(async () => {
    // No prefetch: every tab click misses the server's cache and counts against the limit.
    server = new Server(buildServer(), {
      port: await freePort(),
      dataDir: tempDataDir(),
      env: { PRESTO_CHATS_PER_MINUTE: "3", PRESTO_PREFETCH_TABS: "false" },
    });
    await server.start();
    browser = await ui.launchBrowser();
    for (const m of (await (await fetch(`${server.url}/api/modes`)).json()).modes) modes[m.id] = m;
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.stop();
    }
  });

  test("without prefetch the first tab is empty, clicks fill it, and a refused click shows the notice", async () => {
    const page = await (await browser.newContext({ viewport: laptop })).newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    const frames = ui.watchFrames(page);
    await page.goto(server.url);
    await ui.waitConnected(page);
    await ui.say(page, "Presto-Change-O, you're a bank");
    await ui.waitCompany(page, modes.banking.company_name);
    await ui.waitIdle(page);
    assert.equal(frames.frames.filter((f) => f.type === "tab_content").length, 0, "the server prefetched although PRESTO_PREFETCH_TABS=false");
    assert.equal(await page.getByTestId("chart").count(), 0);

    const tabs = await page.getByTestId("tab").evaluateAll((els) => els.map((e) => e.getAttribute("data-tab-id")).filter((t) => t !== "settings"));
    const notice = page.getByTestId("tab-notice");
    let refused = null;
    for (const t of tabs) {
      await page.locator(`[data-testid="tab"][data-tab-id="${t}"]`).click();
      // Each click ends in the tab's content or in a refusal: wait for one of the two.
      await page.waitForFunction(
        (id) =>
          document.querySelector('[data-testid="tab-notice"]') !== null ||
          (document.querySelector(".visuals")?.getAttribute("data-charts-tab") === id && document.querySelector(".visuals")?.getAttribute("aria-busy") === "false"),
        t,
      );
      if (await notice.isVisible()) {
        refused = t;
        break;
      }
    }
    assert.ok(refused, `no tab click was refused with a limit of 3 and ${tabs.length} tabs`);
    assert.notEqual(refused, tabs[0], "the first click was refused already");
    const text = await notice.textContent();
    assert.match(text, /too many|limit|try again/i);
    assert.equal(await notice.getAttribute("data-tab-id"), refused);
    assert.equal(await notice.getAttribute("role"), "alert");
    // The chat is not blamed for a tab's refusal.
    assert.equal(await page.locator(".chat-error").count(), 0);
    const err = frames.frames.find((f) => f.type === "error" || f.type === "tab_error");
    assert.ok(err, "the refusal came as neither error nor tab_error");
    assert.equal(err.payload.retryable, true, "a rate limit should be retryable");
    assert.equal(await page.getByTestId("tab-retry").count(), 1);
    await ui.screenshot(page, join(shots, "tab-rate-limited.png"));

    // Once the limit allows another request (the refusal says when, and the notice shows it),
    // Retry fills the tab.
    const wait = err.payload.retry_after;
    assert.ok(Number.isInteger(wait) && wait > 0, `retry_after ${wait}`);
    assert.match(text, new RegExp(`try again in ${wait} s`));
    await page.waitForTimeout(wait * 1000 + 300);
    await page.getByTestId("tab-retry").click();
    await ui.waitTab(page, refused, { chart: false });
    assert.equal(await notice.count(), 0);
  });
});
