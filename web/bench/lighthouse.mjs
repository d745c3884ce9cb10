// Lighthouse on the real binary (offline provider), mobile preset, in Debian's headless Chromium:
// the home page, and the banking page after a chart (a session prepared over /ws, opened by its
// ?session= link). Prints each page's performance and accessibility scores (the median run by
// performance) and every accessibility audit that fails, with its elements.
//
//   cd web && node bench/lighthouse.mjs [--runs 3] [--out DIR]
//
// Lighthouse is large (about 180 MB with its browser driver), so it is not a devDependency: npm
// exec fetches the pinned version into npm's cache on first use. PRESTO_BIN skips the build;
// CHROMIUM_PATH replaces /usr/bin/chromium.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { Server, buildServer, freePort, tempDataDir } from "../e2e/server.mjs";

const lighthouseVersion = "13.5.0";
const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// The e2e suite's flags: no background traffic of the browser's own in the measurement.
const chromeFlags = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync";

const { values: opts } = parseArgs({
  options: { runs: { type: "string", default: "3" }, out: { type: "string" } },
});
const runs = Number(opts.runs);
const out = opts.out || mkdtempSync(join(tmpdir(), "presto-lighthouse-"));
mkdirSync(out, { recursive: true });

/**
 * prepareBankingChart makes a session whose dashboard shows the banking mode and the checking
 * chart: over /ws, as a second screen would, the switch, then the question, each to its end.
 */
async function prepareBankingChart(server) {
  const { id } = await fetch(`${server.url}/api/state`).then((r) => r.json());
  const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/ws?session=${encodeURIComponent(id)}`);
  const waiters = [];
  ws.on("message", (data) => {
    const msg = JSON.parse(data.toString());
    for (const w of waiters.splice(0)) if (!w(msg)) waiters.push(w);
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const turn = (text, check) =>
    new Promise((resolve, reject) => {
      let ok = false;
      const timer = setTimeout(() => reject(new Error(`no end of the turn "${text}"`)), 20_000);
      waiters.push((msg) => {
        if (check(msg)) ok = true;
        if (msg.type === "chat_error") {
          clearTimeout(timer);
          reject(new Error(`"${text}": ${JSON.stringify(msg.payload)}`));
          return true;
        }
        if (msg.type === "chat_chunk" && msg.payload?.done) {
          clearTimeout(timer);
          if (ok) resolve();
          else reject(new Error(`"${text}" ended without what was expected`));
          return true;
        }
        return false;
      });
      ws.send(JSON.stringify({ type: "chat", payload: { text } }));
    });
  await turn("Presto-Change-O, you're a bank", (m) => m.type === "mode_switch" && m.payload.mode.id === "banking");
  await turn("how much is in my checking account?", (m) => m.type === "tool_result" && m.payload.tool === "show_chart");
  ws.close();
  return `${server.url}/?session=${encodeURIComponent(id)}`;
}

/** lighthouse runs one Lighthouse pass on url and returns its report. */
function lighthouse(url, path) {
  const args = ["exec", "--yes", "--package", `lighthouse@${lighthouseVersion}`, "--", "lighthouse", url,
    `--chrome-flags=${chromeFlags}`, "--only-categories=performance,accessibility", "--output=json", `--output-path=${path}`, "--quiet"];
  return new Promise((resolve, reject) => {
    const p = spawn("npm", args, { env: { ...process.env, CHROME_PATH: chromium }, stdio: ["ignore", "inherit", "inherit"] });
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(readFileSync(path, "utf8"))) : reject(new Error(`lighthouse exited ${code}`))));
  });
}

/** failing lists the accessibility audits that fail, each with the selectors of its elements. */
function failing(report) {
  return report.categories.accessibility.auditRefs
    .map((ref) => report.audits[ref.id])
    .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "notApplicable" && a.scoreDisplayMode !== "informative")
    .map((a) => ({
      id: a.id,
      title: a.title,
      elements: (a.details?.items ?? []).map((item) => `${item.node?.selector ?? "?"}  ${item.node?.snippet ?? ""}`.trim()),
    }));
}

const ms = (report, id) => `${Math.round(report.audits[id].numericValue)} ms`;

// No tab prefetch after the switch: its tab_content messages would reach the measured page while
// it loads, for the first runs only, and measure the background fill instead of the page.
const server = new Server(buildServer(), { port: await freePort(), dataDir: tempDataDir(), env: { PRESTO_PREFETCH_TABS: "false" } });
await server.start();
try {
  const pages = [
    { name: "home", url: server.url + "/" },
    { name: "banking after a chart", url: await prepareBankingChart(server) },
  ];
  console.log(`Lighthouse ${lighthouseVersion}, mobile preset, ${runs} runs a page, reports in ${out}`);
  for (const [i, page] of pages.entries()) {
    const reports = [];
    for (let r = 0; r < runs; r++) reports.push(await lighthouse(page.url, join(out, `page${i}-run${r}.json`)));
    const perf = (rep) => Math.round(rep.categories.performance.score * 100);
    reports.sort((a, b) => perf(a) - perf(b));
    const median = reports[Math.floor(reports.length / 2)];
    const a11y = Math.round(median.categories.accessibility.score * 100);
    console.log(
      `${page.name}: performance ${perf(median)} (runs ${reports.map(perf).join(", ")}), accessibility ${a11y}; ` +
        `FCP ${ms(median, "first-contentful-paint")}, LCP ${ms(median, "largest-contentful-paint")}, TBT ${ms(median, "total-blocking-time")}, ` +
        `CLS ${median.audits["cumulative-layout-shift"].numericValue.toFixed(3)}`,
    );
    for (const audit of failing(median)) {
      console.log(`  fails ${audit.id}: ${audit.title}`);
      for (const el of audit.elements) console.log(`    ${el}`);
    }
  }
} finally {
  await server.stop();
}
