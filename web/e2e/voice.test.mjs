// Voice against cmd/fakellm's realtime endpoint, through the real binary's /voice relay: first a
// client without a browser (the protocol, and the fake microphone's WAV heard as the lines it
// says), then the browser with that WAV as its microphone. run.mjs imports this file.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCommand, buildServer, fakeAzureEnv, freePort, Server, startProcess, stopProcess, tempDataDir } from "./server.mjs";
import * as ui from "./ui.mjs";
import { collectingSocket } from "./sockets.mjs";
import { hasVoiceTools, makeWav, sampleRate } from "./voicewav.mjs";

// Screenshots go where run.mjs puts its own (E2E_SCREENSHOTS, or a temp folder).
const shots = process.env.E2E_SCREENSHOTS || join(tmpdir(), "presto-e2e-screenshots");
const viewport = { width: 1440, height: 900 };

// Without espeak-ng and sox the voice suites are skipped, except with CI=true (.ci/run installs
// them), where making the WAV fails.
const skip = !hasVoiceTools() && process.env.CI !== "true" ? "the voice suites need espeak-ng and sox (apt-get install -y espeak-ng sox)" : false;
if (skip) console.log(`# skipped: ${skip}`);

// The lines the fake microphone says, in order, and the fake's transcripts of them: a browser's
// fake microphone cannot be transcribed, so fakellm is told what it will hear.
const lines = {
  bank: "Presto-Change-O, you're a bank.",
  checking: "Show me my checking balance.",
  long: "Tell me a long story.",
  bargeIn: "Stop, that is enough.",
  again: "Show me my checking balance again.",
};

/** startVoiceStack starts fakellm (scripted with transcripts) and presto on it. */
async function startVoiceStack(transcripts) {
  const fake = await startProcess(
    buildCommand("fakellm"),
    // Speech above an RMS of 300 (espeak's lines peak near 6,000): what a browser's microphone
    // processing leaves of digital silence stays silence.
    ["-addr", "127.0.0.1:0", "-voice-transcripts", transcripts.join("|"), "-voice-speech-level", "300"],
    { ready: /listening on (\S+)/ },
  );
  const server = new Server(buildServer(), {
    port: await freePort(),
    dataDir: tempDataDir(),
    env: {
      ...fakeAzureEnv(fake),
      // Tabs are filled only when asked: after the spoken switch, the spoken chart's call is the
      // only chat call, with no prefetch beside it.
      PRESTO_PREFETCH_TABS: "false",
    },
  });
  try {
    await server.start();
  } catch (err) {
    await stopProcess(fake.proc);
    throw err;
  }
  const fakeURL = `http://${fake.match[1]}`;
  return {
    fake,
    server,
    stats: () => fetch(`${fakeURL}/realtime/stats`).then((r) => r.json()),
    drop: () => fetch(`${fakeURL}/realtime/drop`, { method: "POST" }).then((r) => r.json()),
    async stop() {
      try {
        await server.stop();
      } finally {
        await stopProcess(fake.proc);
      }
    },
  };
}

/** voiceSocket opens /voice on a new session as a non-browser client and collects what it gets. */
async function voiceSocket(server) {
  const state = await fetch(`${server.url}/api/state`).then((r) => r.json());
  return collectingSocket(`${server.url.replace(/^http/, "ws")}/voice?session=${encodeURIComponent(state.id)}`);
}

/** frames cuts PCM16 samples into base64 messages of 100 ms, the longest the protocol suggests. */
function frames(samples) {
  const per = sampleRate / 10;
  const out = [];
  for (let i = 0; i < samples.length; i += per) {
    const s = samples.subarray(i, Math.min(i + per, samples.length));
    out.push(Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString("base64"));
  }
  return out;
}

const is = (type, fn = () => true) => (m) => m.type === type && fn(m.payload ?? {});

/** waitFor polls get until ok(value) holds and returns that value; what names it on a timeout. */
async function waitFor(get, ok, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("voice without a browser: /voice against fakellm", { skip }, () => {
  let stack;
  let wav;
  let sock;

  before(async () => {
    stack = await startVoiceStack(Object.values(lines).map((l) => l.replace(/\.$/, "")));
    // Each line with the silence after it that ends the utterance (the fake's VAD wants 500 ms).
    wav = makeWav(Object.values(lines).map((say) => ({ say })));
  });

  after(async () => {
    sock?.close();
    await stack?.stop();
  });

  /** say sends one line of the WAV and 600 ms of silence, as fast as the socket takes them. */
  function say(i) {
    const l = wav.lines[i];
    const pcm = wav.samples.subarray(Math.round((l.startMs / 1000) * sampleRate), Math.round((l.endMs / 1000) * sampleRate));
    for (const data of frames(pcm)) sock.send("audio", { data });
    for (const data of frames(new Int16Array(0.6 * sampleRate))) sock.send("audio", { data });
  }

  test("each spoken line is one utterance: transcripts, answers, a switch and a chart", async () => {
    sock = await voiceSocket(stack.server);
    await sock.next(is("status", (p) => p.status === "connected"));

    say(0);
    const user = await sock.next(is("transcript", (p) => p.role === "user"));
    assert.equal(user.payload.text, "Presto-Change-O, you're a bank");
    const sw = await sock.next(is("mode_switch"));
    assert.equal(sw.payload.mode.id, "banking");
    // After the switch the voice greets the customer in the new mode's name (fakellm's answer to
    // the relay's function output).
    const welcome = await sock.next(is("transcript", (p) => p.role === "assistant" && p.final && p.text.startsWith("Welcome to")));
    assert.equal(welcome.payload.text, `Welcome to ${sw.payload.mode.company_name}! How can I help?`);

    let from = sock.got.length;
    say(1);
    const vis = await sock.next(is("visualization_generating"), { from });
    assert.deepEqual(vis.payload, { vis_type: "chart", description: "Show me my checking balance" });
    const chart = await sock.next(is("tool_result"), { from });
    assert.equal(chart.payload.tool, "show_chart");
    assert.equal(chart.payload.result.title, "Checking balance");
    // The answer after the visualization ends before the next line: that line's barge-in is its own.
    await sock.next(is("transcript", (p) => p.role === "assistant" && p.final && p.text === "There it is."), { from });

    const s = await stack.stats();
    assert.equal(s.connects, 1);
    assert.deepEqual(s.connections[0].transcripts, ["Presto-Change-O, you're a bank", "Show me my checking balance"]);
    assert.equal(s.connections[0].utterances, 2, "a line was cut in two by a pause inside it, or not heard");
  });

  test("talking over the long answer truncates it to what the client says it played", async () => {
    const from = sock.got.length;
    say(2);
    const stopped = sock.got.indexOf(await sock.next(is("speech_stopped"), { from }));
    const audio = await sock.next(is("audio"), { from: stopped });
    const item = audio.payload.item_id;
    // The barge-in comes while the long answer still streams.
    const streaming = sock.got.indexOf(await sock.next((m) => m.type === "audio" && m.payload.item_id === item && m !== audio, { from }));
    say(3);
    // This line's speech_started, not the question's before it: only then is the answer cut.
    await sock.next(is("speech_started"), { from: streaming });
    sock.send("played", { item_id: item, ms: 150 });
    const truncates = await waitFor(() => stack.stats().then((s) => s.connections[0].truncates), (t) => t.length > 0, "a truncate");
    assert.equal(truncates.length, 1);
    assert.equal(truncates[0].item_id, item);
    assert.equal(truncates[0].audio_end_ms, 150);
    assert.ok(truncates[0].accepted && truncates[0].sent_ms > 150, JSON.stringify(truncates[0]));
    await sock.next(is("transcript", (p) => p.role === "assistant" && p.final && p.text === "You said: Stop, that is enough"), { from });
  });

  test("a dropped upstream reconnects, and the next line is answered on the new connection", async () => {
    const from = sock.got.length;
    assert.deepEqual(await stack.drop(), { dropped: 1 });
    await sock.next(is("status", (p) => p.status === "reconnecting"), { from });
    await sock.next(is("status", (p) => p.status === "connected"), { from });
    say(4);
    await sock.next(is("tool_result"), { from });
    const s = await stack.stats();
    assert.equal(s.connects, 2);
    assert.equal(s.connections[0].open, false);
    assert.deepEqual(s.connections[1].transcripts, ["Show me my checking balance again"]);
    assert.ok(s.connections[1].responses >= 1);
  });

  test("muted, nothing reaches the model", async () => {
    const before = (await stack.stats()).connections[1];
    sock.send("mute", { muted: true });
    say(4);
    sock.send("mute", { muted: false });
    // Three frames after unmuting: they reach the fake after anything sent before them, so once
    // they are counted, a frame let through while muted would have been counted too.
    const marker = frames(new Int16Array(0.3 * sampleRate));
    for (const data of marker) sock.send("audio", { data });
    const after = await waitFor(() => stack.stats().then((s) => s.connections[1]), (c) => c.appends >= before.appends + marker.length, "the frames after unmuting");
    assert.equal(after.appends, before.appends + marker.length, "frames sent while muted reached the model");
    assert.equal(after.utterances, before.utterances);
  });
});

/**
 * watchVoice records, from now on, every voice-status state the page shows (in order, repeats
 * collapsed) and whether the visualization placeholder ever appeared: both can come and go
 * faster than a poll sees them (a reconnect on loopback takes milliseconds).
 */
async function watchVoice(page) {
  await page.evaluate(() => {
    const seen = (window.__voiceSeen = { states: [], placeholder: false });
    const check = () => {
      const state = document.querySelector('[data-testid="voice-status"]')?.getAttribute("data-state");
      if (state && seen.states.at(-1) !== state) seen.states.push(state);
      if (document.querySelector('[data-testid="visualization-placeholder"]')) seen.placeholder = true;
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
    check();
  });
  return () => page.evaluate(() => window.__voiceSeen);
}

/** watchPlayed records every `played` message the page sends on /voice, parsed, in order. */
function watchPlayed(page) {
  const played = [];
  page.on("websocket", (ws) => {
    if (!new URL(ws.url()).pathname.endsWith("/voice")) return;
    ws.on("framesent", ({ payload }) => {
      const msg = JSON.parse(typeof payload === "string" ? payload : payload.toString());
      if (msg.type === "played") played.push(msg.payload);
    });
  });
  return played;
}

/** voiceLine is a spoken line in the chat panel, finished: role, and its text (a string matches whole). */
function voiceLine(page, role, text) {
  const whole = (t) => new RegExp(`^\\s*${t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
  return page
    .locator(`[data-testid="chat-message"][data-source="voice"][data-role="${role}"]:not([data-streaming])`)
    .filter({ hasText: typeof text === "string" ? whole(text) : text });
}

const voice = (page) => page.evaluate(() => window.__prestoVoice);

describe("voice in the browser: a fake microphone against fakellm", { skip }, () => {
  // The microphone's script, laid out for the flows below: each line ends with enough silence
  // for the fake's VAD (500 ms) and for its answer to play out, except the long story's, which
  // the next line talks over about two seconds into its playback.
  const script = [
    { silence: 1500 }, // voice connects before the first word: frames before that are not sent
    { say: lines.bank },
    { silence: 3000 }, // the switch, and the new mode's greeting (1 s of audio)
    { say: lines.checking },
    { silence: 3500 }, // the answer and "There it is." after the chart (1 s each)
    { say: lines.long },
    { silence: 2500 }, // 0.5 s for the VAD, then the story plays for about 2 s
    { say: lines.bargeIn },
    { silence: 4500 }, // the answer, then the test drops the upstream; it reconnects in this gap
    { say: lines.again },
    { silence: 1000 },
  ];
  let stack;
  let browser;
  let page;
  let seen;
  let played;
  const modes = {};

  before(async () => {
    stack = await startVoiceStack(Object.values(lines).map((l) => l.replace(/\.$/, "")));
    const wav = makeWav(script);
    console.log(`# microphone: ${wav.lines.map((l) => `${Math.round(l.startMs)}-${Math.round(l.endMs)} ms "${l.say}"`).join(", ")}`);
    browser = await ui.launchBrowser({ microphone: wav.path });
    page = await (await browser.newContext({ viewport })).newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    played = watchPlayed(page);
    for (const m of (await fetch(`${stack.server.url}/api/modes`).then((r) => r.json())).modes) modes[m.id] = m;
    mkdirSync(shots, { recursive: true });
    await page.goto(stack.server.url, { waitUntil: "domcontentloaded" });
    await ui.waitConnected(page);
    seen = await watchVoice(page);
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await stack?.stop();
    }
  });

  test("one click, and a spoken switch repaints the page as the bank", async () => {
    const primary = await ui.cssVar(page, "--color-primary");
    assert.equal(await page.getByTestId("voice-toggle").getAttribute("aria-pressed"), "false");
    await page.getByTestId("voice-toggle").click();
    assert.equal(await page.getByTestId("voice-toggle").getAttribute("aria-pressed"), "true");
    await page.locator('[data-testid="voice-status"][data-state="connected"]').waitFor();
    await ui.waitCompany(page, modes.banking.company_name);
    await page.waitForFunction((b) => getComputedStyle(document.documentElement).getPropertyValue("--color-primary").trim() !== b, primary);
    // The voice greets in the new mode's name once the switch is done, and is heard.
    const greeting = voiceLine(page, "assistant", `Welcome to ${modes.banking.company_name}! How can I help?`);
    await greeting.waitFor({ timeout: 15_000 });
    const item = await greeting.getAttribute("data-item-id");
    await page.waitForFunction((id) => window.__prestoVoice?.played[id] > 0, item);
    assert.match(await page.getByTestId("latency").textContent(), /first audio \d+ ms/);
    assert.deepEqual((await seen()).states.slice(0, 3), ["off", "connecting", "connected"]);
  });

  test("a spoken question: both transcripts in the chat, the answer heard, its chart drawn", async () => {
    const question = voiceLine(page, "user", "Show me my checking balance");
    await question.waitFor({ timeout: 15_000 });
    assert.ok(await question.getAttribute("data-item-id"), "the user's line has no item id");
    const answer = voiceLine(page, "assistant", "Here it is on your screen.");
    await answer.waitFor();
    const item = await answer.getAttribute("data-item-id");
    const chart = page.locator('[data-testid="chart"]', { has: page.locator("caption", { hasText: "Checking balance" }) });
    await chart.first().waitFor({ timeout: 15_000 });
    // The chart's last value is the persona card's balance: the chat model drew it from the persona.
    const values = await chart.first().locator("td[data-value]").evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("data-value"))));
    assert.equal(values.at(-1), await ui.personaValue(page, /checking/i));
    assert.equal((await seen()).placeholder, true, "no placeholder while the chart was being drawn");
    await page.waitForFunction((id) => window.__prestoVoice?.played[id] > 0, item);
    await ui.screenshot(page, join(shots, "voice-chart.png"));
  });

  test("talking over the long answer flushes it, and the model is told what was heard", async () => {
    // The story's line streams in while it plays (a finished line would be after the cut).
    const story = page.locator('[data-testid="chat-message"][data-source="voice"][data-role="assistant"]', { hasText: /^\s*Once upon a time/ });
    await story.waitFor({ timeout: 15_000 });
    const item = await story.getAttribute("data-item-id");
    // While the story plays, before the barge-in (the browser has not reported the story yet):
    // the meter says the assistant speaks; the flush count so far.
    const handle = await page.waitForFunction(
      (id) =>
        window.__prestoVoice.played[id] > 0 &&
        window.__prestoVoice.lastPlayedSent?.item_id !== id &&
        document.querySelector('[data-testid="voice-activity"]')?.getAttribute("data-activity") === "speaking" && {
          flushes: window.__prestoVoice.flushes,
        },
      item,
    );
    const { flushes } = await handle.jsonValue();
    await page.screenshot({ path: join(shots, "voice-speaking.png") });
    // The barge-in flushes playback, and the browser says how much of the story it played (as
    // __prestoVoice.lastPlayedSent, until the next answer's own report replaces it).
    await page.waitForFunction((n) => window.__prestoVoice.flushes > n, flushes, { timeout: 10_000 });
    const report = await waitFor(async () => played.find((p) => p.item_id === item), Boolean, "the played report of the story");
    // Samples at 24 kHz, no longer growing: the flush closed the item.
    const playedMs = (await voice(page)).played[item] / 24;
    assert.ok(playedMs < 6000, `the whole story played (${playedMs} ms): nothing was cut`);
    const truncates = await waitFor(
      () => stack.stats().then((s) => s.connections[0].truncates.filter((t) => t.item_id === item)),
      (t) => t.length > 0,
      "the fake's truncate of the story",
    );
    assert.equal(truncates.length, 1);
    const [t] = truncates;
    // What the browser reported and what its worklet counted agree with the truncate within one
    // 128-frame render block (5.3 ms at 24 kHz, so ±6 ms).
    assert.ok(Math.abs(t.audio_end_ms - report.ms) <= 6, `truncate ${t.audio_end_ms} ms, the browser said ${report.ms} ms`);
    assert.ok(Math.abs(t.audio_end_ms - playedMs) <= 6, `truncate ${t.audio_end_ms} ms, the worklet played ${playedMs} ms`);
    // The fake had sent more than was heard: the truncate is what played, not what arrived.
    assert.ok(t.accepted && t.audio_end_ms < t.sent_ms, JSON.stringify(t));
    await voiceLine(page, "user", "Stop, that is enough").waitFor();
  });

  test("a dropped upstream reconnects, and the next line is answered without a click", async () => {
    await voiceLine(page, "assistant", "You said: Stop, that is enough").waitFor({ timeout: 15_000 });
    const from = (await seen()).states.length;
    assert.deepEqual(await stack.drop(), { dropped: 1 });
    await page.waitForFunction(
      (n) => {
        const after = window.__voiceSeen.states.slice(n);
        return after.includes("reconnecting") && after.at(-1) === "connected";
      },
      from,
      { timeout: 10_000 },
    );
    assert.deepEqual((await seen()).states.slice(from), ["reconnecting", "connected"]);
    const answers = await voiceLine(page, "assistant", "Here it is on your screen.").count();
    await voiceLine(page, "user", "Show me my checking balance again").waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      (n) =>
        [...document.querySelectorAll('[data-testid="chat-message"][data-source="voice"][data-role="assistant"]:not([data-streaming])')].filter(
          (m) => m.textContent.trim() === "Here it is on your screen.",
        ).length > n,
      answers,
    );
    const s = await stack.stats();
    assert.equal(s.connects, 2);
    assert.equal(s.connections[0].open, false);
    assert.deepEqual(s.connections[1].transcripts, ["Show me my checking balance again"]);
  });

  test("muted, the fake receives no more audio; unmuted, it does again", async () => {
    const appends = () => stack.stats().then((s) => s.connections.at(-1).appends);
    const mute = page.getByTestId("voice-mute");
    await mute.click();
    assert.equal(await mute.getAttribute("aria-pressed"), "true");
    // Frames already on their way when the button was pressed still arrive: wait until two counts
    // 250 ms apart agree (a frame goes every 40 ms), then watch it for a second and a half.
    let last = -1;
    const settled = await waitFor(
      async () => {
        const prev = last;
        await new Promise((r) => setTimeout(r, 250));
        last = await appends();
        return last === prev ? last : null;
      },
      (n) => n !== null,
      "the appends to settle after muting",
    );
    const sent = (await voice(page)).framesSent;
    await page.waitForTimeout(1500);
    assert.equal(await appends(), settled, "audio reached the model while muted");
    assert.equal((await voice(page)).framesSent, sent, "the browser sent audio while muted");
    await mute.click();
    assert.equal(await mute.getAttribute("aria-pressed"), "false");
    await waitFor(appends, (n) => n > settled, "audio after unmuting");
  });
});

describe("voice with the offline assistant", { skip }, () => {
  let server;
  let browser;

  before(async () => {
    server = new Server(buildServer(), { port: await freePort(), dataDir: tempDataDir() });
    await server.start();
    // A microphone that works, so that what the page shows is the server's reason.
    browser = await ui.launchBrowser({ microphone: makeWav([{ say: lines.checking }]).path });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.stop();
    }
  });

  test("says why there is no voice, and typing still works", async () => {
    const page = await (await browser.newContext({ viewport })).newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(server.url, { waitUntil: "domcontentloaded" });
    await ui.waitConnected(page);
    await page.getByTestId("voice-toggle").click();
    const status = page.locator('[data-testid="voice-status"][data-state="error"]');
    await status.waitFor();
    assert.match(await status.textContent(), /^Voice needs a realtime model/);
    await ui.screenshot(page, join(shots, "voice-offline.png"));
    const answers = page.locator('[data-testid="chat-message"][data-role="assistant"]:not([data-streaming])');
    const before = await answers.count();
    await ui.say(page, "hello");
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="chat-message"][data-role="assistant"]:not([data-streaming])').length > n,
      before,
    );
    assert.equal(await page.locator('[data-testid="voice-status"]').getAttribute("data-state"), "error");
  });
});
