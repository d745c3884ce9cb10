// Starts and stops the real Go server for the browser tests: a built binary (PRESTO_BIN, or one
// built here from ./cmd/presto), a temporary data dir, the offline provider (unless env says
// otherwise) and a free port; and any other helper command, such as cmd/fakellm.
import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "..", "..");

/** buildServer returns PRESTO_BIN, or builds the server into a temp dir and returns its path. */
export function buildServer() {
  if (process.env.PRESTO_BIN) return resolve(process.env.PRESTO_BIN);
  return buildCommand("presto");
}

// built maps a command's name to its binary, so suites sharing a process build each command once.
const built = new Map();

/** buildCommand builds ./cmd/NAME into a temp dir (once per process) and returns the binary's path. */
export function buildCommand(name) {
  if (built.has(name)) return built.get(name);
  const out = join(mkdtempSync(join(tmpdir(), `${name}-bin-`)), name);
  execFileSync("go", ["build", "-o", out, `./cmd/${name}`], { cwd: repoRoot, stdio: "inherit" });
  built.set(name, out);
  return out;
}

/**
 * startProcess runs bin with args and resolves once a line of its stdout matches ready, with the
 * process, the match and a rolling log (stdout and stderr) for failure messages. Stop it with
 * stopProcess.
 */
export async function startProcess(bin, args, { ready, env = cleanEnv({}), cwd = repoRoot, timeout = 20_000 }) {
  const proc = spawn(bin, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const log = [];
  const keep = (b) => {
    log.push(b.toString());
    if (log.length > 200) log.shift();
  };
  proc.stdout.on("data", keep);
  proc.stderr.on("data", keep);
  let timer;
  try {
    const match = await new Promise((resolveReady, reject) => {
      let out = "";
      proc.stdout.on("data", (b) => {
        out += b.toString();
        const m = ready.exec(out);
        if (m) resolveReady(m);
      });
      proc.on("error", reject);
      proc.on("exit", (code, signal) => reject(new Error(`${bin} exited (${code ?? signal}) before it was ready:\n${log.join("")}`)));
      timer = setTimeout(() => reject(new Error(`${bin} not ready after ${timeout} ms:\n${log.join("")}`)), timeout);
    });
    return { proc, match, log };
  } catch (err) {
    await stopProcess(proc, { crash: true });
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** stopProcess ends proc (SIGKILL when crash is true, or after 10 s) and waits for it to exit. */
export async function stopProcess(proc, { crash = false } = {}) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, "exit");
  proc.kill(crash ? "SIGKILL" : "SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** freePort asks the kernel for an unused loopback port. */
export async function freePort() {
  const srv = createServer();
  srv.listen(0, "127.0.0.1");
  await once(srv, "listening");
  const { port } = srv.address();
  srv.close();
  await once(srv, "close");
  return port;
}

/** cleanEnv drops anything that would point the server at a real cloud model or another config. */
export function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(AZURE_|OPENAI_|PRESTO_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Server is one run of the binary; start it again on the same port and data dir to "restart". */
export class Server {
  constructor(bin, { port, dataDir, env = {} }) {
    this.bin = bin;
    this.port = port;
    this.dataDir = dataDir;
    this.env = env;
    this.proc = null;
    this.log = [];
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const env = cleanEnv({
      PRESTO_ADDR: `127.0.0.1:${this.port}`,
      PRESTO_DATA_DIR: this.dataDir,
      PRESTO_LLM: "offline",
      LOG_LEVEL: "warn",
      // Every page of the suite comes from 127.0.0.1: the per-address budgets of a public demo
      // (new sessions, LLM calls, new modes) would refuse it. A test of a budget sets its own.
      PRESTO_SESSIONS_PER_ADDRESS_PER_MINUTE: "100000",
      PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE: "100000",
      PRESTO_MODES_PER_ADDRESS_PER_DAY: "100000",
      ...this.env,
    });
    // The data dir is also the working dir, so no stray .env of the developer is read.
    this.proc = spawn(this.bin, [], { cwd: this.dataDir, env, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (b) => {
      this.log.push(b.toString());
      if (this.log.length > 200) this.log.shift();
    };
    this.proc.stdout.on("data", keep);
    this.proc.stderr.on("data", keep);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`server exited with ${this.proc.exitCode}:\n${this.log.join("")}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server not healthy after 20 s:\n${this.log.join("")}`);
  }

  /** stop ends the process (SIGKILL when crash is true) and waits for it to exit. */
  async stop({ crash = false } = {}) {
    await stopProcess(this.proc, { crash });
    this.proc = null;
  }
}

export function tempDataDir() {
  return mkdtempSync(join(tmpdir(), "presto-e2e-"));
}

/** fakeAzureEnv points the server at a running fakellm (its "listening on ADDR" line's match). */
export function fakeAzureEnv(fake) {
  return { PRESTO_LLM: "azure", AZURE_PROJECT_ENDPOINT: `http://${fake.match[1]}`, AZURE_API_KEY: "test", AZURE_MODEL_DEPLOYMENT: "fake-dep" };
}
