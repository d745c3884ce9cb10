// Browser end-to-end tests against the real Go binary (offline provider), in Debian's headless
// Chromium driven by playwright-core. Run with `npm run e2e`; PRESTO_BIN skips the build. The flows
// against a fake Azure endpoint (azure.test.mjs), the cluster and the voice flows run after these,
// in the same process.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Server, buildServer, freePort, tempDataDir } from "./server.mjs";
import * as ui from "./ui.mjs";

// Screenshots go to a temp folder; E2E_SCREENSHOTS=$PWD/docs/screenshots refreshes the committed ones.
const shots = process.env.E2E_SCREENSHOTS || join(tmpdir(), "presto-e2e-screenshots");
const viewport = { width: 1440, height: 900 };

let server;
let browser;
let context;
let page;
let modes = {};

before(async () => {
  const bin = buildServer();
  // A small burst makes the per-session rate limit reachable for the Retry flow; the main flow
  // stays well under it.
  server = new Server(bin, { port: await freePort(), dataDir: tempDataDir(), env: { PRESTO_CHATS_PER_MINUTE: "12" } });
  await server.start();
  browser = await ui.launchBrowser();
  context = await browser.newContext({ viewport });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  const res = await fetch(`${server.url}/api/modes`);
  for (const m of (await res.json()).modes) modes[m.id] = m;
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the page loads, connects and shows the home mode", async () => {
  await page.goto(server.url, { waitUntil: "domcontentloaded" });
  await ui.waitConnected(page);
  assert.equal(await ui.companyName(page), modes.presto.company_name);
  assert.equal(await page.getByTestId("offline-badge").isVisible(), true);
  assert.equal(await page.getByTestId("example-command").count(), 4);
  const welcome = await page.getByTestId("chat-message").first().textContent();
  assert.match(welcome, /Presto-Change-O, you're a/);
  await ui.screenshot(page, join(shots, "home.png"));
});

test("the presto command turns the page into the bank", async () => {
  const before = await ui.cssVar(page, "--color-primary");
  const sawSpinner = await ui.watchSpinner(page);
  await ui.say(page, "Presto-Change-O, you're a bank");
  await ui.waitCompany(page, modes.banking.company_name);
  assert.equal(await sawSpinner(), true, "the spinner never showed");
  await page.getByTestId("mode-spinner").waitFor({ state: "detached" });
  const tabs = await page.getByTestId("tab").evaluateAll((els) => els.map((e) => e.getAttribute("data-tab-id")));
  assert.ok(tabs.length >= 4, `tabs: ${tabs}`);
  assert.ok(tabs.includes("accounts"), `tabs: ${tabs}`);
  await page.waitForFunction((b) => getComputedStyle(document.documentElement).getPropertyValue("--color-primary").trim() !== b, before);
  assert.equal(await page.getByTestId("metric").count(), 4);
});

test("a question draws a chart whose numbers match the persona card, without layout shift", async () => {
  const shift = await ui.watchLayoutShift(page);
  await ui.say(page, "how much is in my checking account?");
  const chart = page.locator('[data-testid="chart"]', { has: page.locator("caption", { hasText: /checking/i }) });
  await chart.first().waitFor();
  const values = await chart.first().locator("td[data-value]").evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("data-value"))));
  const card = await ui.personaValue(page, /checking/i);
  assert.ok(card !== null, "the persona card shows no checking balance");
  assert.ok(Math.abs(values.at(-1) - card) < 0.01, `chart ends at ${values.at(-1)}, card says ${card}`);
  await page.getByTestId("chat-message").filter({ hasText: /\$/ }).last().waitFor();
  await ui.waitIdle(page);
  await page.waitForTimeout(800); // let the chart's entry animation finish before the picture
  const cls = await shift();
  console.log(`# latency readout: ${(await page.getByTestId("latency").textContent()).trim()}; layout shift ${cls}`);
  assert.ok(cls < 0.01, `layout shift while the chart animated in: ${cls}`);
  await ui.screenshot(page, join(shots, "banking.png"));
});

test("a tab shows its content", async () => {
  await page.locator('[data-testid="tab"][data-tab-id="accounts"]').click();
  await page.waitForFunction(() => document.querySelector('[data-tab-id="accounts"]')?.getAttribute("aria-current") === "page");
  await page.getByTestId("chart").first().waitFor();
});

test("a reload keeps the mode and the persona", async () => {
  const persona = await page.getByTestId("persona-card").textContent();
  await page.reload({ waitUntil: "domcontentloaded" });
  await ui.waitConnected(page);
  await ui.waitCompany(page, modes.banking.company_name);
  assert.equal(await page.getByTestId("persona-card").textContent(), persona);
});

test("a second browser context is unaffected", async () => {
  const other = await browser.newContext({ viewport });
  try {
    const p = await other.newPage();
    await p.goto(server.url);
    await ui.waitConnected(p);
    assert.equal(await ui.companyName(p), modes.presto.company_name);
  } finally {
    await other.close();
  }
});

for (const id of ["insurance", "healthcare"]) {
  test(`the ${id} mode looks like a real product`, async () => {
    await ui.say(page, `Presto-Change-O, you're ${modes[id].company_name}`);
    await ui.waitCompany(page, modes[id].company_name);
    await ui.waitIdle(page);
    await page.getByTestId("chart").first().waitFor();
    await page.waitForTimeout(800);
    await ui.screenshot(page, join(shots, `${id}.png`));
  });
}

test("a generated mode keeps the company name the user gave", async () => {
  await ui.say(page, "Presto-Change-O, you're a pet store called Paws and Claws");
  await ui.waitCompany(page, /Paws and Claws/);
  await ui.waitIdle(page);
  await page.getByTestId("chart").first().waitFor();
  await page.waitForTimeout(800);
  await ui.screenshot(page, join(shots, "generated-paws-and-claws.png"));
});

test("text meets WCAG AA contrast in a generated theme", async () => {
  const low = await ui.lowContrast(page, [
    '[data-testid="company-name"]',
    ".tagline",
    ".metric-label",
    ".metric-value",
    '[data-testid="tab"]',
    '[data-testid="chat-message"]',
    ".persona-row dt",
    ".persona-row dd",
    ".disclaimer",
    ".chart-title",
  ]);
  assert.deepEqual(low, []);
});

test("settings list every mode, switch by name and keep the voice", async () => {
  await page.getByTestId("settings").click();
  const options = page.getByTestId("mode-option");
  await options.first().waitFor();
  const ids = await options.evaluateAll((els) => els.map((e) => e.getAttribute("data-mode-id")));
  for (const id of ["banking", "insurance", "healthcare"]) assert.ok(ids.includes(id), `modes: ${ids}`);
  assert.ok(ids.length > 4, `the generated mode is missing: ${ids}`);
  const voices = await page.getByTestId("voice-select").locator("option").evaluateAll((os) => os.map((o) => o.value));
  if (voices.length > 1) {
    const pick = voices.find((v) => v !== "") ?? voices[0];
    const other = voices.find((v) => v !== pick);
    await page.getByTestId("voice-select").selectOption(other);
    await page.getByText("Saved.").waitFor();
    const res = await page.evaluate(() => fetch("/api/voice-preference").then((r) => r.json()));
    assert.equal(res.voice, other);
  }
  await page.locator('[data-testid="mode-option"][data-mode-id="banking"]').click();
  await ui.waitCompany(page, modes.banking.company_name);
  await ui.waitIdle(page);
  await ui.say(page, "Presto-Change-O, you're a pet store called Paws and Claws");
  await ui.waitCompany(page, /Paws and Claws/);
  await ui.waitIdle(page);
});

test("a server restart mid-session reconnects and restores", async () => {
  const name = await ui.companyName(page);
  const persona = await page.getByTestId("persona-card").textContent();
  await server.stop({ crash: true });
  await page.waitForSelector('[data-testid="connection-status"]:not([data-state="open"])');
  await server.start();
  await ui.waitConnected(page, 15_000);
  assert.equal(await ui.companyName(page), name);
  assert.equal(await page.getByTestId("persona-card").textContent(), persona);
  // The restored session still chats.
  const before = await page.locator('[data-testid="chat-message"][data-role="assistant"]').count();
  await ui.say(page, "what can you show me?");
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="chat-message"][data-role="assistant"]:not([data-streaming])').length > n, before);
});

test("multi-series area and bar charts, metrics and stale turns on the real socket", async () => {
  // The real server's socket, with a few frames added in the middle: the kind an LLM could send.
  const ctx = await browser.newContext({ viewport });
  try {
    let route;
    await ctx.routeWebSocket(/\/ws$/, (ws) => {
      ws.connectToServer();
      route = ws;
    });
    const p = await ctx.newPage();
    await p.goto(server.url);
    await ui.waitConnected(p);
    await ui.say(p, "Presto-Change-O, you're a bank");
    await ui.waitCompany(p, modes.banking.company_name);
    await ui.waitIdle(p);
    const frame = (type, turn, payload) => route.send(JSON.stringify({ type, turn, payload }));
    const months = ["Jan", "Feb", "Mar"];
    frame("chat_start", 90, {});
    frame("tool_result", 90, {
      tool: "show_chart",
      result: {
        chart_type: "area",
        title: "Balances by account",
        data: months.flatMap((m, i) => [
          { label: m, value: 1000 + i * 250, series: "Checking" },
          { label: m, value: 5000 + i * 100, series: "Savings" },
        ]),
      },
    });
    frame("tool_result", 90, { tool: "show_chart", result: { chart_type: "bar", title: "Visits", data: [{ label: "Q1", value: 12000 }, { label: "Q2", value: 9000 }] } });
    frame("tool_result", 90, { tool: "show_metrics", result: { metrics: [{ label: "Injected metric", value: "42", unit: "pts" }] } });
    frame("chat_chunk", 89, { text: "STALE TEXT", done: false });
    frame("chat_chunk", 90, { text: "Here are both charts.", done: true });
    await p.getByTestId("chat-message").filter({ hasText: "Here are both charts." }).waitFor();
    await p.locator('[data-testid="chart"][data-chart-type="area"]').waitFor();
    assert.equal(await p.locator('[data-testid="chart"][data-chart-type="bar"]').count(), 1);
    const area = p.locator('[data-testid="chart"][data-chart-type="area"] td');
    assert.deepEqual(await area.allTextContents(), ["$1,000.00", "$5,000.00", "$1,250.00", "$5,100.00", "$1,500.00", "$5,200.00"]);
    assert.deepEqual(await p.locator('[data-testid="chart"][data-chart-type="bar"] td').allTextContents(), ["12,000", "9,000"]);
    assert.equal(await p.getByText("STALE TEXT").count(), 0);
    assert.deepEqual(await p.getByTestId("metric").allTextContents(), ["Injected metric42 pts"]);
    await p.waitForTimeout(800);
    if (process.env.E2E_EXTRA_SHOTS) await p.screenshot({ path: join(process.env.E2E_EXTRA_SHOTS, "multi-series.png") });
  } finally {
    await ctx.close();
  }
});

test("keyboard only: tab to an example and press Enter", async () => {
  const ctx = await browser.newContext({ viewport });
  try {
    const p = await ctx.newPage();
    await p.goto(server.url);
    await ui.waitConnected(p);
    let focused = "";
    for (let i = 0; i < 30 && focused !== "example-command"; i++) {
      await p.keyboard.press("Tab");
      focused = await p.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? "");
    }
    assert.equal(focused, "example-command", "no example command reachable by Tab");
    const outline = await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "focus is not visible");
    await p.keyboard.press("Enter");
    await ui.waitCompany(p, modes.banking.company_name);
  } finally {
    await ctx.close();
  }
});

test("a retryable error shows Retry, and Retry works", async () => {
  const ctx = await browser.newContext({ viewport });
  try {
    const p = await ctx.newPage();
    await p.goto(server.url);
    await ui.waitConnected(p);
    // Exhaust the session's burst: the server refuses with a retryable error.
    const retry = p.getByTestId("retry");
    for (let i = 0; i < 20 && !(await retry.isVisible()); i++) await ui.say(p, `hello ${i}`);
    await retry.waitFor({ timeout: 5000 });
    const failure = await p.locator(".chat-error").textContent();
    const wait = Number(/(\d+)\s*s/.exec(failure)?.[1] ?? 5);
    await p.waitForTimeout(wait * 1000 + 300);
    const answers = await p.locator('[data-testid="chat-message"][data-role="assistant"]').count();
    await retry.click();
    await retry.waitFor({ state: "detached" });
    await p.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="chat-message"][data-role="assistant"]:not([data-streaming])').length > n,
      answers,
    );
  } finally {
    await ctx.close();
  }
});

// Imported last so their flows run after the ones above, each suite with its own servers.
await import("./screens.test.mjs");
await import("./azure.test.mjs");
await import("./cluster.test.mjs");
await import("./voice.test.mjs");
