/**
 * Browser smoke: loads the library bundle in headless Chromium (tools/_chromium.ts) and runs the
 * shared smoke in the page, served from memory through Playwright's request routing (no server,
 * no network). Ends with `browser smoke: N passed, N failed`.
 * Run with Node 24: `node tools/smoke/browser.ts`.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { withChromium } from "../_chromium.ts";
import { runTool } from "../_tally.ts";
import { buildSmokeBundle, type SmokeBundle } from "./_bundle.ts";
import type { SmokeResult } from "./smoke.ts";

const LABEL = "browser smoke";
const ORIGIN = "https://catga-smoke.test";
const DEADLINE_MS = 120_000;
const PAGE = `<!doctype html><title>smoke</title><script type="module">
import * as lib from "./library.js";
import { runSmoke } from "./smoke.js";
window.smokeResult = runSmoke(lib);
</script>`;

async function smokeInBrowser(browser: Browser, bundle: SmokeBundle): Promise<SmokeResult> {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  const files: Record<string, [string, string]> = {
    "/": [PAGE, "text/html"],
    "/library.js": [readFileSync(bundle.library, "utf8"), "text/javascript"],
    "/smoke.js": [readFileSync(bundle.smoke, "utf8"), "text/javascript"],
  };
  await page.route("**/*", (route) => {
    const file = files[new URL(route.request().url()).pathname];
    return file === undefined
      ? route.fulfill({ status: 404, body: "" })
      : route.fulfill({ status: 200, body: file[0], contentType: file[1] });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => "smokeResult" in globalThis, null, { timeout: 30_000 })
    .catch(() => {
      throw new Error(`the smoke did not start: ${pageErrors.join("; ") || "no page error"}`);
    });
  const result = await page.evaluate(() =>
    (globalThis as unknown as { smokeResult: Promise<SmokeResult> }).smokeResult
  );
  if (pageErrors.length > 0) {
    result.failed++;
    result.lines.push(`FAIL no script errors: ${pageErrors.join("; ")}`);
  }
  return result;
}

await runTool(LABEL, async (tally) => {
  const bundle = await buildSmokeBundle();
  try {
    console.log(`${LABEL}: ${bundle.sizeLine}`);
    const result = await withChromium(
      LABEL,
      DEADLINE_MS,
      (browser) => smokeInBrowser(browser, bundle),
    );
    for (const line of result.lines) console.log(line);
    Object.assign(tally, { passed: result.passed, failed: result.failed });
  } finally {
    bundle.remove();
  }
});
