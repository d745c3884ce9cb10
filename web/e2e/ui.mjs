// Small page helpers shared by the end-to-end flows.
import { chromium } from "playwright-core";

/**
 * launchBrowser starts Debian's headless Chromium (or CHROMIUM_PATH) with no background traffic.
 * With microphone (a WAV file's path) every page's microphone is that file, played once from the
 * moment a page opens it, and the permission prompt is answered yes.
 */
export function launchBrowser({ microphone } = {}) {
  const fakeMic = microphone
    ? ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${microphone}%noloop`]
    : [];
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Audio plays with no user gesture in the page (the test's click is one, but not every
      // flow clicks before the page makes sound).
      ...(microphone ? ["--autoplay-policy=no-user-gesture-required"] : []),
      ...fakeMic,
    ],
  });
}

export async function waitConnected(page, timeout = 10_000) {
  await page.waitForSelector('[data-testid="connection-status"][data-state="open"]', { timeout });
  await page.getByTestId("company-name").waitFor({ timeout });
}

export async function companyName(page) {
  return (await page.getByTestId("company-name").textContent()).trim();
}

export async function waitCompany(page, name, timeout = 15_000) {
  const want = name instanceof RegExp ? { source: name.source, flags: name.flags } : { text: name };
  try {
    await page.waitForFunction(
      (w) => {
        const t = document.querySelector('[data-testid="company-name"]')?.textContent?.trim() ?? "";
        return w.text !== undefined ? t === w.text : new RegExp(w.source, w.flags).test(t);
      },
      want,
      { timeout },
    );
  } catch (err) {
    throw new Error(`${err.message}\nwanted company ${name}; page: ${await describe(page)}`);
  }
}

/** describe summarises what the page shows, for failure messages. */
export async function describe(page) {
  return page.evaluate(() =>
    JSON.stringify({
      company: document.querySelector('[data-testid="company-name"]')?.textContent,
      connection: document.querySelector('[data-testid="connection-status"]')?.getAttribute("data-state"),
      spinner: !!document.querySelector('[data-testid="mode-spinner"]'),
      messages: [...document.querySelectorAll('[data-testid="chat-message"]')].map((m) => `${m.dataset.role}: ${m.textContent}`),
      error: document.querySelector(".chat-error, .chat-notice")?.textContent,
    }),
  );
}

/** sessionId is the session the page's requests name (GET /api/state answers its id). */
export async function sessionId(page) {
  return page.evaluate(() => {
    const pinned = new URLSearchParams(location.search).get("session");
    return fetch(pinned ? `/api/state?session=${encodeURIComponent(pinned)}` : "/api/state")
      .then((r) => r.json())
      .then((s) => s.id);
  });
}

/**
 * watchFrames records every frame the page's WebSockets receive, parsed. Call it before the page
 * connects; next(pred) resolves with the first frame, seen or still to come, that matches (from:
 * the first index to look at, e.g. frames.length for only frames still to come).
 */
export function watchFrames(page) {
  const frames = [];
  const waiters = [];
  page.on("websocket", (ws) => {
    ws.on("framereceived", ({ payload }) => {
      let msg;
      try {
        msg = JSON.parse(typeof payload === "string" ? payload : payload.toString());
      } catch {
        return;
      }
      frames.push(msg);
      for (const w of waiters.slice()) {
        if (w.pred(msg)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(msg);
        }
      }
    });
  });
  return {
    frames,
    next(pred, timeout = 15_000, from = 0) {
      const seen = frames.slice(from).find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`no matching frame within ${timeout} ms; types seen: ${frames.map((f) => f.type).join(", ")}`));
          }
        }, timeout).unref();
      });
    },
  };
}

/** messages lists the chat bubbles as "role: text". */
export async function messages(page) {
  return page.getByTestId("chat-message").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-role")}: ${e.textContent.trim()}`));
}

/** chartCaptions lists the titles of the charts on screen. */
export async function chartCaptions(page) {
  return page.locator('[data-testid="chart"] caption').allTextContents();
}

/**
 * waitTab waits until tabId is the active tab and the dashboard shows its content: a chart, unless
 * chart is false (some tabs bring only metrics).
 */
export async function waitTab(page, tabId, { chart = true, timeout = 15_000 } = {}) {
  try {
    await page.waitForFunction(
      ({ id, chart }) =>
        document.querySelector(`[data-testid="tab"][data-tab-id="${id}"]`)?.getAttribute("aria-current") === "page" &&
        document.querySelector(".visuals")?.getAttribute("data-charts-tab") === id &&
        document.querySelector(".visuals")?.getAttribute("aria-busy") === "false" &&
        (!chart || document.querySelector('[data-testid="chart"]') !== null),
      { id: tabId, chart },
      { timeout },
    );
  } catch (err) {
    throw new Error(`${err.message}
wanted tab ${tabId}; page: ${await describe(page)}`);
  }
}

/** say types text into the chat box and presses Enter, as a presenter would. */
export async function say(page, text) {
  const box = page.getByTestId("chat-input");
  await box.fill(text);
  await box.press("Enter");
}

/** waitIdle waits until no reply is streaming and the typing indicator is gone. */
export async function waitIdle(page, timeout = 15_000) {
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="typing-indicator"], [data-streaming], [data-testid="mode-spinner"]'),
    undefined,
    { timeout },
  );
}

export async function cssVar(page, name) {
  return page.evaluate((n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim(), name);
}

/**
 * watchSpinner records whether the mode spinner is ever attached from now on; a switch can be so
 * fast that polling would miss it.
 */
export async function watchSpinner(page) {
  await page.evaluate(() => {
    window.__sawSpinner = false;
    const check = () => {
      if (document.querySelector('[data-testid="mode-spinner"]')) window.__sawSpinner = true;
    };
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => window.__sawSpinner);
}

/** personaValue reads the persona card row whose label matches and parses its number. */
export async function personaValue(page, label) {
  const rows = await page.getByTestId("persona-metric").evaluateAll((els) =>
    els.map((e) => [e.querySelector("dt")?.textContent ?? "", e.querySelector("dd")?.textContent ?? ""]),
  );
  const row = rows.find(([l]) => label.test(l));
  if (!row) return null;
  const n = Number(row[1].replace(/[^0-9.-]/g, ""));
  return Number.isFinite(n) ? n : null;
}

/**
 * lowContrast returns the elements (by selector and text) whose text contrasts less than 4.5:1
 * with the first opaque background behind them.
 */
export async function lowContrast(page, selectors) {
  return page.evaluate((sels) => {
    const rgb = (c) => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) =>
      [r, g, b]
        .map((v) => v / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0.9) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const bad = [];
    for (const sel of sels) {
      for (const el of document.querySelectorAll(sel)) {
        const fg = rgb(getComputedStyle(el).color);
        const bg = background(el);
        const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
        const ratio = (hi + 0.05) / (lo + 0.05);
        if (ratio < 4.5) bad.push(`${sel} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
      }
    }
    return bad;
  }, selectors);
}

/** watchLayoutShift sums layout-shift scores (as CLS counts them) from now until the returned call. */
export async function watchLayoutShift(page) {
  await page.evaluate(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: "layout-shift", buffered: false });
  });
  return () => page.evaluate(() => window.__shift);
}

// screenshot waits for running CSS and Web animations (theme fades, entrances) to finish, so the
// picture shows the page as a person sees it once it has settled. Endless ones (a pulse, the
// voice's level meter while the assistant speaks) never finish and are not waited for.
export async function screenshot(page, path) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  await page.screenshot({ path });
}
