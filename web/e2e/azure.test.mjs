// The main flow against the real Go binary with the Azure provider pointed at cmd/fakellm, a fake
// chat-completions server on loopback: what the offline flows prove, but over the wire an Azure
// deployment speaks (streamed tool calls, structured mode configs, a 503 the user can retry).
// run.mjs imports this file, so `npm run e2e` runs it after the offline flows.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildCommand, buildServer, fakeAzureEnv, freePort, Server, startProcess, stopProcess, tempDataDir } from "./server.mjs";
import * as ui from "./ui.mjs";

const viewport = { width: 1440, height: 900 };

/** shot saves a picture into E2E_EXTRA_SHOTS when it is set, once charts have animated in. */
async function shot(page, name) {
  if (!process.env.E2E_EXTRA_SHOTS) return;
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(process.env.E2E_EXTRA_SHOTS, name) });
}

/** state is the session as GET /api/state returns it: mode, persona, provider. */
function state(page) {
  return page.evaluate(() => fetch("/api/state").then((r) => r.json()));
}

describe("against a fake Azure endpoint", () => {
  let fake;
  let server;
  let browser;
  let page;
  const modes = {};

  before(async () => {
    const bin = buildServer();
    // Port 0: fakellm binds a free port itself and prints it, so no other process can take it first.
    fake = await startProcess(buildCommand("fakellm"), ["-addr", "127.0.0.1:0"], { ready: /listening on (\S+)/ });
    server = new Server(bin, {
      port: await freePort(),
      dataDir: tempDataDir(),
      env: {
        ...fakeAzureEnv(fake),
      },
    });
    await server.start();
    browser = await ui.launchBrowser();
    page = await (await browser.newContext({ viewport })).newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    const res = await fetch(`${server.url}/api/modes`);
    for (const m of (await res.json()).modes) modes[m.id] = m;
  });

  // Each step runs even when an earlier one throws, so no process outlives the suite.
  after(async () => {
    try {
      await browser?.close();
    } finally {
      try {
        await server?.stop();
      } finally {
        await stopProcess(fake?.proc);
      }
    }
  });

  test("the page loads connected, with no offline badge", async () => {
    await page.goto(server.url, { waitUntil: "domcontentloaded" });
    await ui.waitConnected(page);
    assert.equal(await ui.companyName(page), modes.presto.company_name);
    assert.equal(await page.getByTestId("offline-badge").count(), 0);
    assert.equal((await state(page)).provider, "azure");
  });

  test("the presto command turns the page into the bank", async () => {
    const before = await ui.cssVar(page, "--color-primary");
    const sawSpinner = await ui.watchSpinner(page);
    await ui.say(page, "Presto-Change-O, you're a bank");
    await ui.waitCompany(page, modes.banking.company_name);
    assert.equal(await sawSpinner(), true, "the spinner never showed");
    await ui.waitIdle(page);
    // --color-primary is a registered property with a 0.6 s transition: right after the switch it
    // can still read as the old colour, so wait for it to move.
    await page.waitForFunction((b) => getComputedStyle(document.documentElement).getPropertyValue("--color-primary").trim() !== b, before, { timeout: 5000 });
    // The switch came from the fake model over the Azure v1 route, not from a local shortcut.
    assert.match(fake.log.join(""), /path=\/openai\/v1\/chat\/completions/);
  });

  test("a checking question charts the month-end balances of the persona card", async () => {
    await ui.say(page, "how much is in my checking account?");
    const chart = page.locator('[data-testid="chart"][data-chart-type="line"]', { has: page.locator("caption", { hasText: "Checking balance" }) });
    await chart.first().waitFor();
    const values = await chart.first().locator("td[data-value]").evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("data-value"))));
    const card = await ui.personaValue(page, /checking/i);
    const checking = (await state(page)).persona.banking.checking;
    const history = checking.history.map((p) => p.value);
    assert.equal(card, checking.balance);
    assert.equal(history.at(-1), card, "the persona's history does not end at its balance");
    // fakellm takes the figures from the system prompt's lines about checking, so the six
    // month-end balances the server wrote there arrive in the chart, in order.
    const at = values.findIndex((_, i) => history.every((v, j) => Math.abs(values[i + j] - v) < 0.005));
    assert.ok(at >= 0, `chart ${JSON.stringify(values)} lacks the history ${JSON.stringify(history)} ending at the card's ${card}`);
    // Its sentence states the chart's last value (see cmd/fakellm/checking.go).
    const said = `Your checking balance is $${values.at(-1).toFixed(2)}.`;
    await page.locator('[data-testid="chat-message"][data-role="assistant"]:not([data-streaming])', { hasText: said }).waitFor();
    await shot(page, "azure-banking.png");
  });

  test("a flaky answer shows Retry, and Retry works", async () => {
    const answers = () => page.locator('[data-testid="chat-message"][data-role="assistant"]:not([data-streaming])').count();
    await ui.waitIdle(page);
    // fakellm fails every odd request that says "flaky" and answers the even ones; this is the
    // suite's only such message, so the first send fails and the Retry succeeds.
    await ui.say(page, "is the model flaky today?");
    const retry = page.getByTestId("retry");
    await retry.waitFor({ timeout: 10_000 });
    const before = await answers();
    await retry.click();
    await retry.waitFor({ state: "detached" });
    await page.getByTestId("chat-message").filter({ hasText: "This is a scripted answer from the fake model." }).waitFor();
    assert.ok((await answers()) > before);
  });

  test("a generated mode keeps the company name the user gave", async () => {
    await ui.say(page, "Presto-Change-O, you're a pet store called Paws and Claws");
    await ui.waitCompany(page, "Paws and Claws", 20_000);
    await ui.waitIdle(page);
    // The tabs are the ones fakellm's mode_config answer lists.
    const tabs = await page.getByTestId("tab").evaluateAll((els) => els.map((e) => e.getAttribute("data-tab-id")));
    assert.deepEqual(tabs, ["dashboard", "orders", "customers", "reports", "settings"]);
    await shot(page, "azure-paws-and-claws.png");
  });
});

describe("a screen that joins mid-turn", () => {
  // Every answer of this fake model waits before its first token, so a turn is still in flight
  // when the second screen connects.
  const delay = "8s";
  let fake;
  let server;
  let browser;

  before(async () => {
    fake = await startProcess(buildCommand("fakellm"), ["-addr", "127.0.0.1:0", "-first-token-delay", delay], { ready: /listening on (\S+)/ });
    server = new Server(buildServer(), {
      port: await freePort(),
      dataDir: tempDataDir(),
      env: {
        ...fakeAzureEnv(fake),
      },
    });
    await server.start();
    browser = await ui.launchBrowser();
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      try {
        await server?.stop();
      } finally {
        await stopProcess(fake?.proc);
      }
    }
  });

  test("shows the question at once, then the rest of the turn", async () => {
    const a = await (await browser.newContext({ viewport })).newPage();
    const b = await (await browser.newContext({ viewport })).newPage();
    for (const p of [a, b]) p.on("pageerror", (e) => console.error("page error:", e.message));
    const framesA = ui.watchFrames(a);
    const framesB = ui.watchFrames(b);
    await a.goto(server.url);
    await ui.waitConnected(a);
    const session = await ui.sessionId(a);

    const q = "how much is in my checking account?";
    await ui.say(a, q);
    // The server has started the turn; its first token is a few seconds away.
    const start = await framesA.next((f) => f.type === "chat_start");
    await b.goto(`${server.url}/?session=${session}`);
    const hello = await framesB.next((f) => f.type === "session");
    assert.equal(hello.payload.id, session);
    assert.ok(hello.payload.live, `joined after the turn ended: ${JSON.stringify(hello.payload)}`);
    assert.equal(hello.payload.live.turn, start.turn);
    assert.equal(hello.payload.live.text, q);

    // What the joining screen shows from the session message alone: the question and the typing
    // indicator, before any token of the answer has arrived.
    await ui.waitConnected(b);
    const userB = b.locator('[data-testid="chat-message"][data-role="user"]', { hasText: q });
    await Promise.all([userB.waitFor(), b.getByTestId("typing-indicator").waitFor()]);
    assert.deepEqual(
      framesB.frames.map((f) => f.type).filter((t) => t.startsWith("chat_") || t === "tool_result"),
      [],
      "the joining screen got frames of the turn before the check: the first-token delay is too short",
    );
    assert.equal(await userB.count(), 1);

    // Then the rest of the turn, as on the sender's screen.
    const chart = (p) => p.locator('[data-testid="chart"][data-chart-type="line"]', { has: p.locator("caption", { hasText: "Checking balance" }) });
    await Promise.all([chart(a).waitFor({ timeout: 15_000 }), chart(b).waitFor({ timeout: 15_000 })]);
    await Promise.all([ui.waitIdle(a), ui.waitIdle(b)]);
    const answer = (p) => p.locator('[data-testid="chat-message"][data-role="assistant"]', { hasText: "Your checking balance is" }).allTextContents();
    assert.equal((await answer(b)).length, 1);
    assert.deepEqual(await answer(b), await answer(a));
    assert.equal(await userB.count(), 1, "the question shows twice on the joining screen");
    const values = (p) => chart(p).locator("td[data-value]").evaluateAll((tds) => tds.map((td) => td.getAttribute("data-value")));
    assert.deepEqual(await values(b), await values(a));
    await shot(b, "joined-mid-turn.png");
  });
});
