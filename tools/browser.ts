/**
 * Real-browser test of the live pool dashboard: starts the Bun example service, opens `GET /` in
 * headless Chromium (tools/_chromium.ts), drives traffic, and checks that the page's numbers move
 * and agree with `/stats`; saves a screenshot (docs/img/dashboard.png with `--update-docs`).
 * Browser and server are stopped on every exit path, under a deadline. Ends with
 * `browser: N passed, N failed`. Run with Node 24: `node tools/browser.ts`.
 *
 * @module
 */
/// <reference lib="dom" />
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import process from "node:process";
import type { Browser } from "playwright-core";
import { withChromium } from "./_chromium.ts";
import { runTool, type Tally } from "./_tally.ts";
import {
  ROOT,
  type RunningServer,
  startExampleServer,
  stopServer,
} from "../dev/example_servers.ts";

const DEADLINE_MS = 180_000;
const SCREENSHOT = process.argv.includes("--update-docs")
  ? join(ROOT, "docs", "img", "dashboard.png")
  : join(tmpdir(), "catga-memory-dashboard.png");
const COUNTERS = ["outstanding", "rented", "returned", "hits", "misses", "unpooled", "dropped"];

/** The `/stats` fields the page shows. */
type Counts = Record<string, number>;
type Stats = Counts & { tiers: (Counts & { name: string })[] };

/** Waves of bounded load on loopback, [requests in flight, ms] each, so the chart has a shape. */
const WAVES = [[2, 1500], [8, 2000], [1, 1000], [4, 1500]] as const;

async function traffic(base: string): Promise<number> {
  // The pooled path on purpose: the dashboard must move whatever path ROUTE_PATHS gives a route.
  const paths = ["small", "medium", "large"].flatMap((size) =>
    ["json", "msgpack"].map((format) => `/messages/${size}?format=${format}&via=pooled`)
  );
  let sent = 0;
  for (const [inFlight, ms] of WAVES) {
    const end = Date.now() + ms;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (Date.now() < end) {
        const response = await fetch(base + paths[sent++ % paths.length]);
        await response.arrayBuffer();
      }
    }));
  }
  return sent;
}

async function checkDashboard(browser: Browser, server: RunningServer, tally: Tally) {
  const check = tally.check.bind(tally);
  const page = await browser.newPage({ viewport: { width: 1000, height: 820 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  const externalRequests: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(server.base)) externalRequests.push(request.url());
  });

  await page.goto(`${server.base}/`);
  check("the dashboard loads", (await page.title()).includes("pool dashboard"));
  await page.waitForFunction(() => Number(document.body.dataset.updates ?? 0) >= 2, null, {
    timeout: 10_000,
  });
  const read = (stat: string) =>
    page.$eval(
      `[data-stat="${stat}"]`,
      (element) => Number((element as HTMLElement).dataset.value),
    );
  const rentedBefore = await read("rented");
  check("it shows figures before any traffic", Number.isFinite(rentedBefore), `${rentedBefore}`);

  // Drive traffic for a few seconds so the rents/s figure and chart move.
  const updatesBefore = await page.$eval("body", (body) => Number(body.dataset.updates));
  let peakRentsPerSecond = 0;
  const driving = traffic(server.base);
  let done = false;
  driving.finally(() => (done = true));
  while (!done) {
    await page.waitForTimeout(250);
    peakRentsPerSecond = Math.max(peakRentsPerSecond, await read("rentsPerSecond"));
  }
  const sent = await driving;
  console.log(`browser: drove ${sent} requests in ${WAVES.length} waves`);
  await page.waitForTimeout(1200); // at least two more polls
  const updatesAfter = await page.$eval("body", (body) => Number(body.dataset.updates));
  const updates = updatesAfter - updatesBefore;
  check("it updates at least once a second", updates >= 2, `${updates} updates`);
  check("rents per second rose under load", peakRentsPerSecond > 0, `peak ${peakRentsPerSecond}/s`);
  const rentedAfter = await read("rented");
  check("rented grew", rentedAfter > rentedBefore, `${rentedBefore} -> ${rentedAfter}`);
  const points = await page.$eval("#chart", (svg) => Number((svg as SVGElement).dataset.points));
  check("the chart has points", points >= 3, `${points} points`);

  // The server is idle now: the next poll must show exactly what /stats says.
  const stats = await (await fetch(`${server.base}/stats`)).json() as Stats;
  await page.waitForFunction(
    (rented) =>
      Number(document.querySelector<HTMLElement>('[data-stat="rented"]')?.dataset.value) ===
        rented,
    stats.rented,
    { timeout: 5000 },
  ).catch(() => undefined);
  for (const key of COUNTERS) {
    const shown = await read(key);
    check(`${key} agrees with /stats`, shown === stats[key], `page ${shown}, /stats ${stats[key]}`);
  }
  const retained = await read("retainedBytes");
  check("retained bytes agree with /stats", retained === stats.retainedBytes, `${retained} B`);
  const tiers = await page.$$eval("#tiers tr", (rows) =>
    rows.map((row) => ({
      name: (row as HTMLElement).dataset.tier,
      values: [...row.querySelectorAll("td[data-value]")].map((cell) =>
        Number((cell as HTMLElement).dataset.value)
      ),
    })));
  for (const tier of stats.tiers) {
    const shown = tiers.find((row) => row.name === tier.name);
    const want = [tier.hits, tier.misses, tier.retainedBuffers, tier.retainedBytes];
    check(
      `tier ${tier.name} agrees with /stats`,
      shown !== undefined && shown.values.join() === want.join(),
      `page [${shown?.values.join(", ")}], /stats [${want.join(", ")}]`,
    );
  }
  check("nothing is outstanding once idle", stats.outstanding === 0, `${stats.outstanding}`);
  check("no script errors", pageErrors.length === 0, pageErrors.join("; "));
  check("no external requests", externalRequests.length === 0, externalRequests.join(", "));

  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  console.log(`browser: saved ${SCREENSHOT}`);
}

await runTool("browser", async (tally) => {
  const server = await startExampleServer("bun");
  try {
    await withChromium("browser", DEADLINE_MS, (browser) => checkDashboard(browser, server, tally));
  } finally {
    await stopServer(server);
  }
});
