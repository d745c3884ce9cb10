// The multi-machine recipe of deploy/ as plain processes: cmd/fakellm as the Azure endpoint, two
// presto replicas sharing PostgreSQL (PRESTO_TEST_DATABASE_URL), and HAProxy in front with the
// very deploy/haproxy.cfg that deploy/compose.yaml uses. Every page and socket goes through HAProxy;
// each replica's /metrics tells which one holds which sockets. run.mjs imports this file, so
// `npm run e2e` runs it after the other suites; `node e2e/cluster.test.mjs` runs it alone.
//
// It needs haproxy (apt-get install -y haproxy; HAPROXY_BIN names another) and
// PRESTO_TEST_DATABASE_URL (eval "$(sudo .ci/postgres.sh)"). Without them it is skipped, except
// with CI=true, where it fails.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import WebSocket from "ws";
import { buildCommand, buildServer, cleanEnv, fakeAzureEnv, freePort, repoRoot, Server, startProcess, stopProcess, tempDataDir } from "./server.mjs";
import * as ui from "./ui.mjs";

const viewport = { width: 1280, height: 800 };
// Debian installs haproxy in /usr/sbin, which a non-root PATH may lack.
const haproxyBin = [process.env.HAPROXY_BIN || "haproxy", "/usr/sbin/haproxy"].find((bin) => spawnSync(bin, ["-v"], { stdio: "ignore" }).status === 0);
const databaseURL = process.env.PRESTO_TEST_DATABASE_URL;

const missing = [];
if (!haproxyBin) missing.push(`haproxy (apt-get install -y haproxy, or HAPROXY_BIN)`);
if (!databaseURL) missing.push(`PRESTO_TEST_DATABASE_URL (eval "$(sudo .ci/postgres.sh)")`);
const inCI = process.env.CI === "true";
const skip = missing.length > 0 && !inCI ? `the cluster suite needs ${missing.join(" and ")}` : false;
if (skip) console.log(`# skipped: ${skip}`);

/** unique makes a fresh id: the database outlives the run, so nothing may be reused. */
function unique(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

/** letters is a random lowercase word, for an industry no run has asked for before. */
function letters(n) {
  return [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join("");
}

/** waitFor polls check (50 ms apart) until it returns something truthy, and returns that. */
async function waitFor(check, { timeout = 10_000, what = "the condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** tail is the end of a process's rolling log, for failure messages. */
function tail(name, log, lines = 25) {
  return `--- ${name} ---\n${log.join("").split("\n").slice(-lines).join("\n")}`;
}

describe("two replicas behind HAProxy, sharing PostgreSQL", { skip }, () => {
  let fake;
  let lb; // { proc, log, url, port }
  const replicas = [];
  let browser;
  const modes = {};
  let started;

  /** socketsOf reads a replica's open-sockets gauge. */
  async function socketsOf(r) {
    const text = await (await fetch(`${r.url}/metrics`)).text();
    const m = /^presto_websockets_open (\S+)$/m.exec(text);
    assert.ok(m, `no presto_websockets_open in ${r.url}/metrics`);
    return Number(m[1]);
  }

  /** sockets reads both replicas' gauges: [r1, r2]. */
  function sockets() {
    return Promise.all(replicas.map(socketsOf));
  }

  /** fakeStats is what fakellm has answered so far: {chat, structured}. */
  async function fakeStats() {
    return (await fetch(`http://${fake.match[1]}/stats`)).json();
  }

  /** balanced waits until HAProxy sends requests to both replicas (both passed their checks). */
  async function balanced(timeout = 10_000) {
    await waitFor(
      async () => {
        const seen = new Set();
        for (let i = 0; i < 4; i++) {
          const res = await fetch(`${lb.url}/healthz`);
          if (res.ok) seen.add(res.headers.get("x-presto-replica"));
        }
        return seen.has("r1") && seen.has("r2");
      },
      { timeout, what: "HAProxy to route to both replicas" },
    );
  }

  function logs() {
    return [tail("haproxy", lb?.log ?? []), ...replicas.map((r, i) => tail(`replica r${i + 1}`, r.log)), tail("fakellm", fake?.log ?? [])].join("\n");
  }

  /**
   * screen opens the app through HAProxy in a browser context of its own (another device) with
   * the session's link (/?session=ID, as Settings shows it), and reports which replica took its
   * socket: the one whose gauge rose. pin ("r1", "r2") sets HAProxy's debugging cookie that sends
   * the device's requests to that replica; without it, round robin decides.
   */
  async function screen(contexts, session, pin) {
    const before = await sockets();
    const ctx = await browser.newContext({ viewport });
    contexts.push(ctx);
    if (pin) await ctx.addCookies([{ name: "presto_replica", value: pin, url: lb.url }]);
    const page = await ctx.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(`${lb.url}/?session=${session}`, { waitUntil: "domcontentloaded" });
    await ui.waitConnected(page);
    const now = await waitFor(
      async () => {
        const s = await sockets();
        return s[0] + s[1] === before[0] + before[1] + 1 ? s : null;
      },
      { what: "the new socket to show in a replica's gauge" },
    );
    const replica = now[0] > before[0] ? 0 : 1;
    if (pin) assert.equal(`r${replica + 1}`, pin, "HAProxy did not follow the presto_replica cookie");
    return { page, replica };
  }

  /** assistantSaid waits for a finished assistant message containing text. */
  function assistantSaid(page, text, timeout = 15_000) {
    return page.locator('[data-testid="chat-message"][data-role="assistant"]:not([data-streaming])', { hasText: text }).first().waitFor({ timeout });
  }

  /** messages is the conversation a page shows: role and text of every chat message. */
  function messages(page) {
    return page.getByTestId("chat-message").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-role")}: ${e.textContent.trim()}`));
  }

  before(async () => {
    started = Date.now();
    if (missing.length > 0) throw new Error(`CI=true and the cluster suite needs ${missing.join(" and ")}`);
    const bin = buildServer();
    // A generation that takes a second: replicas asked at once for a new industry overlap for sure,
    // so only coordination between them keeps it to one generation.
    fake = await startProcess(buildCommand("fakellm"), ["-addr", "127.0.0.1:0", "-generation-delay", "1s"], { ready: /listening on (\S+)/ });
    for (let i = 0; i < 2; i++) {
      replicas.push(
        new Server(bin, {
          port: await freePort(),
          dataDir: tempDataDir(),
          env: {
            PRESTO_DATABASE_URL: databaseURL,
            ...fakeAzureEnv(fake),
          },
        }),
      );
    }
    // Both at once, as compose starts them: the store's migrations serialise themselves.
    await Promise.all(replicas.map((r) => r.start()));

    const port = await freePort();
    const env = cleanEnv({
      PRESTO_LB_ADDR: `127.0.0.1:${port}`,
      PRESTO_REPLICA_1: `127.0.0.1:${replicas[0].port}`,
      PRESTO_REPLICA_2: `127.0.0.1:${replicas[1].port}`,
    });
    const proc = spawn(haproxyBin, ["-db", "-f", join(repoRoot, "deploy", "haproxy.cfg")], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    const log = [];
    const keep = (b) => {
      log.push(b.toString());
      if (log.length > 400) log.shift();
    };
    proc.stdout.on("data", keep);
    proc.stderr.on("data", keep);
    lb = { proc, log, port, url: `http://127.0.0.1:${port}` };
    const exited = once(proc, "exit").then(([code, signal]) => {
      throw new Error(`haproxy exited (${code ?? signal}):\n${log.join("")}`);
    });
    exited.catch(() => {}); // only raced below; later exits are the suite stopping it
    await Promise.race([balanced(), exited]);

    browser = await ui.launchBrowser();
    for (const m of (await (await fetch(`${lb.url}/api/modes`)).json()).modes) modes[m.id] = m;
  });

  // Each step runs even when an earlier one throws, so no process outlives the suite.
  after(async () => {
    try {
      await browser?.close();
    } finally {
      try {
        await stopProcess(lb?.proc);
      } finally {
        try {
          await Promise.all(replicas.map((r) => r.stop()));
        } finally {
          await stopProcess(fake?.proc);
          if (fake) console.log(`# cluster suite: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
      }
    }
  });

  /** clusterTest is a test that closes its browser contexts and shows the processes' logs on failure. */
  function clusterTest(name, fn) {
    test(name, async () => {
      const contexts = [];
      try {
        // The sockets of earlier tests close asynchronously; the gauges count from zero here.
        await waitFor(async () => (await sockets()).every((n) => n === 0), { what: "the sockets of earlier tests to close" });
        await fn(contexts);
      } catch (err) {
        err.message += `\n${logs()}`;
        throw err;
      } finally {
        await Promise.all(contexts.map((c) => c.close()));
      }
    });
  }

  clusterTest("the screens of one session on different replicas stay in step", async (contexts) => {
    const session = unique("screens");
    // A screen on each replica, and one where round robin puts it.
    const screens = [];
    for (const pin of ["r1", "r2", undefined]) screens.push(await screen(contexts, session, pin));
    const onR1 = screens.find((s) => s.replica === 0).page;
    const onR2 = screens.find((s) => s.replica === 1).page;

    // A switch typed on a screen of r1 repaints every screen, those on r2 included.
    await ui.say(onR1, "Presto-Change-O, you're a bank");
    for (const [i, { page, replica }] of screens.entries()) {
      try {
        await ui.waitCompany(page, modes.banking.company_name);
        await ui.waitIdle(page);
      } catch (err) {
        err.message = `screen ${i + 1} (on r${replica + 1}): ${err.message}`;
        throw err;
      }
    }

    // A question typed on a screen of r2: every screen shows it, the chart and the answer.
    const question = "how much is in my checking account?";
    await ui.say(onR2, question);
    const balance = await ui.personaValue(onR2, /checking/i);
    assert.ok(balance !== null, "the persona card shows no checking balance");
    const said = `Your checking balance is $${balance.toFixed(2)}.`;
    for (const [i, { page, replica }] of screens.entries()) {
      const where = `screen ${i + 1} (on r${replica + 1})`;
      try {
        await page.locator('[data-testid="chat-message"][data-role="user"]', { hasText: question }).first().waitFor({ timeout: 15_000 });
        const chart = page.locator('[data-testid="chart"][data-chart-type="line"]', { has: page.locator("caption", { hasText: "Checking balance" }) });
        await chart.first().waitFor({ timeout: 15_000 });
        const values = await chart.first().locator("td[data-value]").evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("data-value"))));
        assert.ok(Math.abs(values.at(-1) - balance) < 0.005, `${where}: chart ends at ${values.at(-1)}, the card says ${balance}`);
        await assistantSaid(page, said);
      } catch (err) {
        err.message = `${where}: ${err.message}\npage: ${await ui.describe(page)}`;
        throw err;
      }
    }
    // The question was asked once, and every screen shows it once.
    for (const { page } of screens) {
      const asked = (await messages(page)).filter((m) => m === `user: ${question}`);
      assert.equal(asked.length, 1, `the question shows ${asked.length} times`);
    }
  });

  clusterTest("kill -9 of a replica mid-session: the page reconnects to the other and restores", async (contexts) => {
    const session = unique("kill");
    const { page, replica } = await screen(contexts, session);
    const survivor = 1 - replica;
    await ui.say(page, "Presto-Change-O, you're a bank");
    await ui.waitCompany(page, modes.banking.company_name);
    await ui.waitIdle(page);
    await ui.say(page, "how much is in my checking account?");
    await assistantSaid(page, "Your checking balance is $");
    await ui.waitIdle(page);
    const name = await ui.companyName(page);
    const persona = await page.getByTestId("persona-card").textContent();
    const conversation = await messages(page);
    assert.ok(conversation.includes("user: how much is in my checking account?"), `conversation: ${conversation}`);
    const survivorSockets = (await sockets())[survivor];

    // Note every state the connection goes through, so a quick reconnect is not missed.
    await page.evaluate(() => {
      window.__states = [];
      const el = document.querySelector('[data-testid="connection-status"]');
      new MutationObserver(() => window.__states.push(el.getAttribute("data-state"))).observe(el, { attributes: true, attributeFilter: ["data-state"] });
    });
    const killed = replicas[replica];
    await killed.stop({ crash: true }); // SIGKILL: no goodbye to the socket, no shutdown
    try {
      await page.waitForFunction(() => window.__states.some((s) => s !== "open"), undefined, { timeout: 10_000 });
      await ui.waitConnected(page, 15_000);
      // The new socket is on the survivor: HAProxy retried there (or had marked the dead one down).
      await waitFor(async () => (await socketsOf(replicas[survivor])) > survivorSockets, {
        what: `the survivor r${survivor + 1} to hold the page's socket`,
      });
      assert.equal(await ui.companyName(page), name);
      assert.equal(await page.getByTestId("persona-card").textContent(), persona);
      // The conversation as typed: the mode's welcome that answered the switch is no part of the
      // session's history (a reload on one server drops it too).
      assert.deepEqual(await messages(page), conversation.slice(conversation.findIndex((m) => m.startsWith("user: "))));
      // The restored session still chats, on the survivor.
      const answers = await page.locator('[data-testid="chat-message"][data-role="assistant"]:not([data-streaming])').count();
      await ui.say(page, "what can you show me?");
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="chat-message"][data-role="assistant"]:not([data-streaming])').length > n,
        answers,
        { timeout: 15_000 },
      );
    } finally {
      // Back on its port and data dir, for the tests after this one.
      await killed.start();
      await balanced();
    }
  });

  clusterTest("eight sessions on both replicas ask at once for one new industry: it is generated once", async () => {
    const industry = `${letters(10)} outfitters`;
    const wantID = industry.replace(/ /g, "-");
    const before = await sockets();
    const clients = [];
    try {
      for (let i = 0; i < 8; i++) {
        const ws = new WebSocket(`ws://127.0.0.1:${lb.port}/ws?session=${unique(`gen${i}`)}`);
        const c = { ws, events: [], waiters: [] };
        ws.on("message", (data) => {
          const msg = JSON.parse(data.toString());
          c.events.push(msg);
          for (const w of c.waiters) w();
        });
        clients.push(c);
      }
      /** next resolves with c's first event matching pred (seen already or to come). */
      const next = (c, pred, what, timeout = 20_000) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ${what}; got ${JSON.stringify(c.events.map((e) => e.type))}`)), timeout);
          const check = () => {
            const e = c.events.find(pred);
            if (e) {
              clearTimeout(timer);
              resolve(e);
            }
          };
          c.waiters.push(check);
          check();
        });
      await Promise.all(clients.map((c) => next(c, (e) => e.type === "session", "session message")));
      const now = await sockets();
      const added = [now[0] - before[0], now[1] - before[1]];
      assert.equal(added[0] + added[1], 8, `sockets added per replica: ${added}`);
      assert.ok(added[0] > 0 && added[1] > 0, `all eight sockets on one replica: ${added}`);

      const stats = await fakeStats();
      for (const c of clients) c.ws.send(JSON.stringify({ type: "chat", payload: { text: `Presto-Change-O, you're a ${industry}` } }));
      const outcomes = await Promise.all(
        clients.map((c) => next(c, (e) => e.type === "mode_switch" || e.type === "chat_error", "mode_switch or chat_error")),
      );
      const errors = outcomes.filter((e) => e.type === "chat_error");
      assert.deepEqual(errors, [], "some sessions failed");
      const ids = outcomes.map((e) => e.payload.mode.id);
      assert.deepEqual(ids, Array(8).fill(wantID), `mode ids ${ids}`);
      const after = await fakeStats();
      assert.equal(after.structured - stats.structured, 1, `structured requests for the new industry: ${after.structured - stats.structured}`);
    } finally {
      for (const c of clients) c.ws.terminate();
    }
  });
});
