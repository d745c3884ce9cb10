// Voice against cmd/fakellm's realtime endpoint, through the real binary's /voice relay: first a
// client without a browser (the protocol, and the fake microphone's WAV heard as the lines it
// says), then the browser with that WAV as its microphone. run.mjs imports this file.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { Server, buildCommand, buildServer, freePort, startProcess, stopProcess, tempDataDir } from "./server.mjs";
import { hasVoiceTools, makeWav, sampleRate } from "./voicewav.mjs";

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
      PRESTO_LLM: "azure",
      AZURE_PROJECT_ENDPOINT: `http://${fake.match[1]}`,
      AZURE_API_KEY: "test",
      AZURE_MODEL_DEPLOYMENT: "fake-dep",
      // Tabs are filled only when asked: the flows here are about voice, and fewer chat calls
      // keep the fake's log readable.
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
  const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/voice?session=${encodeURIComponent(state.id)}`);
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
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return {
    got,
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
            reject(new Error(`no matching /voice message in ${timeout} ms; got ${got.map((m) => m.type).join(", ")}`));
          }
        }, timeout).unref();
      });
    },
    close: () => ws.close(),
  };
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

    const s = await stack.stats();
    assert.equal(s.connects, 1);
    assert.deepEqual(s.connections[0].transcripts, ["Presto-Change-O, you're a bank", "Show me my checking balance"]);
    assert.equal(s.connections[0].utterances, 2, "a line was cut in two by a pause inside it, or not heard");
  });

  test("talking over the long answer truncates it to what the client says it played", async () => {
    const from = sock.got.length;
    say(2);
    const audio = await sock.next(is("audio"), { from });
    const item = audio.payload.item_id;
    // The barge-in comes while the long answer still streams.
    await sock.next((m) => m.type === "audio" && m.payload.item_id === item && m !== audio, { from });
    say(3);
    await sock.next(is("speech_started"), { from });
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
