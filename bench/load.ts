/**
 * HTTP load benchmark of the example service (a bench, not a test), on Bun,
 * Deno, Node 24 and Node 26.
 *
 * Routes: for each size, `/messages/{size}?format=json|msgpack` (the path the
 * app chose for this runtime, see `ROUTE_PATHS` in examples/app.ts) and the
 * `/naive/{size}?format=json` baseline (`Response.json`; the query, which it
 * ignores, makes the request line and the server's parsing the same as the
 * JSON route's), so they differ only in how the body is built.
 *
 * How (a shared 2-core machine is noisy; these choices make ratios repeatable):
 * - The load generator is `wrk` (C, one thread) when installed
 *   (`apt-get install wrk`), else autocannon in this process. autocannon
 *   needs about as much CPU per request as Bun's server, so with it the
 *   generator, not the server, sets the rate of small responses.
 * - With `taskset` and 2+ cores, the server runs on core 0 and wrk on the
 *   last core, so neither steals the other's core.
 * - Per runtime, a *set* starts a FRESH server for every route at once (idle
 *   servers cost nothing), warms each up with varied requests (every size,
 *   format and body path: realistic type feedback) and then its own route,
 *   then runs short slices route after
 *   route, rotating the order each slice. A route's ratio to naive is the
 *   median of per-slice ratios against the naive slice next to it in time, so
 *   drift of the machine cancels out. Sets repeat with fresh servers; peak
 *   RSS (VmHWM) is taken per server after its set, each server having had the
 *   same load time, and its ratio is the median of per-set ratios.
 * - Per route also: the server's CPU time per request (user + system, all
 *   threads, from /proc), p99 latency, and the pool's retained bytes.
 *
 * Soak (one runtime, Bun by default): 60 s of mixed sizes and formats, 20 s
 * idle, then a 5 s burst, sampling `/stats` and the server's RSS every 250 ms.
 *
 * `--explore` measures every body path of every route instead (`&via=native|
 * pooled|owned`), which is how the app's per-runtime choices were made.
 *
 * `--soak-only` runs just the soak and replaces only the `soak` of the
 * runtime's results file, keeping its routes.
 *
 * Usage (Node 24): `node bench/load.ts [--quick] [--explore] [--no-soak] [--soak-only]
 * [--soak=<runtime>] [runtime…]` with runtimes from bun, deno, node24 (or
 * node), node26 (default: all four). `LOAD_GENERATOR=autocannon` forces
 * autocannon. Writes bench/results/load.<runtime>.json (or
 * load_paths.<runtime>.json with --explore). Bounded: every run has a fixed
 * duration, the whole bench a deadline, and every server is killed on every
 * exit path.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { LoadReport } from "../dev/schema_load.ts";
import { casesFor, measureSet, type RouteInSet, summarize } from "./load/sets.ts";
import { routePaths, runtimeVersion } from "./load/servers.ts";
import { soak } from "./load/soak.ts";
import {
  CONNECTIONS,
  DEADLINE_MS,
  EXPLORE,
  GENERATOR,
  GENERATOR_CORE,
  type LoadRuntime,
  NO_SOAK,
  PINNED,
  QUICK,
  RUNTIMES,
  SERVER_CORES,
  SETS,
  SLICE_SECONDS,
  SLICES,
  SOAK,
  SOAK_ONLY,
  SOAK_RUNTIME,
  WARMUP_SECONDS,
} from "./load/settings.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

async function main(): Promise<void> {
  for (const runtime of RUNTIMES) {
    if (!["bun", "deno", "node24", "node26"].includes(runtime)) {
      throw new TypeError(
        `Unknown runtime '${runtime}': expected bun, deno, node24 (or node) or node26`,
      );
    }
  }
  const started = Date.now();
  if (GENERATOR === "autocannon" && process.env.LOAD_GENERATOR !== "autocannon") {
    console.log(
      "load: wrk is not installed (apt-get install wrk); autocannon instead, which can set the " +
        "rate of small responses itself on a 2-core machine",
    );
  }
  console.log(
    `load${EXPLORE ? " --explore" : ""}${QUICK ? " --quick" : ""}: ${RUNTIMES.join(", ")}; ` +
      `${GENERATOR}${
        PINNED ? ` on core ${GENERATOR_CORE}, servers on core ${SERVER_CORES}` : ""
      }, ` +
      `${CONNECTIONS} connections; per runtime ${SETS} set(s) of fresh servers, ` +
      `${SLICES} slice(s) of ${SLICE_SECONDS} s per route (+${WARMUP_SECONDS} s of varied ` +
      `requests and ${WARMUP_SECONDS} s of the route's own to warm up); ` +
      `soak ${NO_SOAK ? "off" : `on ${SOAK_RUNTIME}`}`,
  );
  const reports = new Map<LoadRuntime, LoadReport>();
  for (const runtime of RUNTIMES) {
    const { paths } = await routePaths(runtime);
    const report: LoadReport = {
      runtime: await runtimeVersion(runtime),
      date: new Date().toISOString(),
      quick: QUICK,
      explore: EXPLORE,
      generator: GENERATOR,
      pinned: PINNED,
      connections: CONNECTIONS,
      durationSeconds: SLICE_SECONDS,
      sets: SETS,
      rounds: SETS * SLICES,
      paths,
      routes: [],
    };
    reports.set(runtime, report);
    if (SOAK_ONLY) continue;
    const cases = casesFor(paths);
    const sets: Map<string, RouteInSet>[] = [];
    for (let set = 0; set < SETS; set++) sets.push(await measureSet(runtime, cases, set));
    report.routes = cases.map((routeCase) => summarize(routeCase, sets));
  }
  if (!NO_SOAK && RUNTIMES.includes(SOAK_RUNTIME)) {
    console.log(
      `soak on ${SOAK_RUNTIME}: ${SOAK.load} s mixed load, ${SOAK.idle} s idle, ${SOAK.burst} s burst`,
    );
    const result = await soak(SOAK_RUNTIME);
    reports.get(SOAK_RUNTIME)!.soak = result;
    console.log(
      `  load ${result.loadRequestsPerSec} req/s; retained ${result.retainedAtLoadEnd} B at the end ` +
        `of load, ${result.retainedAfterIdle} B after idle (fall ${
          (result.retainedFall * 100).toFixed(0)
        }%); burst first-second hit rate ${(result.burstFirstSecondHitRate * 100).toFixed(2)}%, ` +
        `> 95% after ${result.burstRecoveryMs} ms`,
    );
  }
  for (const [runtime, report] of reports) {
    console.log(`\n${report.runtime}`);
    // The log's table; the report (tools/report/load.ts) renders the same routes for people.
    console.table(report.routes, [
      "route",
      "bodyPath",
      "requestsPerSec",
      "requestsRatio",
      "cpuUsPerRequest",
      "cpuRatio",
      "p99Ms",
      "rssBytes",
      "rssRatio",
      "retainedBytes",
      "errors",
    ]);
    const file = join(
      ROOT,
      "bench",
      "results",
      `${EXPLORE ? "load_paths" : "load"}.${runtime}.json`,
    );
    mkdirSync(dirname(file), { recursive: true });
    if (SOAK_ONLY && existsSync(file)) {
      // Keep the routes of the last full run; replace only the soak.
      const previous = JSON.parse(readFileSync(file, "utf8")) as LoadReport;
      writeFileSync(file, JSON.stringify({ ...previous, soak: report.soak }, null, 2) + "\n");
    } else {
      writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
    }
    console.log(`wrote ${file}`);
  }
  console.log(`load: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

// dev/spawn stops every server and wrk still running when this process exits.
const watchdog = setTimeout(() => {
  console.error(`load: deadline of ${DEADLINE_MS / 60_000} min passed; stopping`);
  process.exit(1);
}, DEADLINE_MS);
watchdog.unref();

await main();
process.exit(0);
