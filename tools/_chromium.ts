/**
 * Headless Chromium for the browser tests, from npm alone: `$CHROMIUM` when set; else a system
 * Chromium, if it launches; else the one inside `@sparticuz/chromium`. Playwright kills the
 * browser when this process exits; callers still `close()` it in a `finally`.
 *
 * @module
 */
import { existsSync } from "node:fs";
import process from "node:process";
import { type Browser, chromium } from "playwright-core";
import { withTimeout } from "../dev/services.ts";

const SYSTEM_CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];
const LAUNCH_TIMEOUT_MS = 60_000;
const COMMON_ARGS = [
  ...["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
  ...["--disable-background-networking", "--disable-component-update", "--disable-sync"],
];

function launch(executablePath: string, args: readonly string[]): Promise<Browser> {
  const launching = chromium.launch({
    executablePath,
    headless: true,
    args: [...args],
    timeout: LAUNCH_TIMEOUT_MS,
  });
  return withTimeout(launching, LAUNCH_TIMEOUT_MS + 5000, `Cannot launch ${executablePath}`);
}

/**
 * Launches headless Chromium, saying where it came from ("system (/usr/bin/chromium)"); `log`
 * hears about candidates that did not launch.
 */
async function launchChromium(log: (line: string) => void) {
  const chosen = process.env.CHROMIUM;
  if (chosen !== undefined && chosen !== "") {
    return { browser: await launch(chosen, COMMON_ARGS), source: `$CHROMIUM (${chosen})` };
  }
  for (const path of SYSTEM_CANDIDATES) {
    if (!existsSync(path)) continue;
    try {
      return { browser: await launch(path, COMMON_ARGS), source: `system (${path})` };
    } catch (error) {
      const why = String((error as Error)?.message ?? error).split("\n")[0];
      log(`${path} exists but does not launch (${why}); trying the next browser`);
    }
  }
  // Decompresses its bundled Chromium into the temp dir on first use.
  const { default: packaged } = await import("@sparticuz/chromium");
  const path = await packaged.executablePath();
  return {
    browser: await launch(path, [...packaged.args, "--disable-quic", "--no-first-run"]),
    source: `@sparticuz/chromium (${path})`,
  };
}

/**
 * Runs `use` with a headless Chromium, under `deadlineMs`, and closes the browser on every path
 * (Playwright also kills it when this process exits, should `close()` itself hang).
 */
export async function withChromium<T>(
  label: string,
  deadlineMs: number,
  use: (browser: Browser) => Promise<T>,
): Promise<T> {
  const { browser, source } = await launchChromium((line) => console.log(`${label}: ${line}`));
  try {
    console.log(`${label}: Chromium ${browser.version()} from ${source}`);
    return await withTimeout(use(browser), deadlineMs, `the ${label} checks hung`);
  } finally {
    await withTimeout(browser.close(), 15_000, "close").catch(() => undefined);
  }
}
