/**
 * HTTP load bench of the example service on Bun, Deno, Node 24 and Node 26: per size,
 * `/messages/{size}?format=json|msgpack` (the body path the app chose for the runtime) against
 * the `/naive/{size}?format=json` baseline (`Response.json`; the same query, so only the body
 * differs).
 *
 * The generator is `wrk` (one thread; `apt-get install wrk`), else autocannon in this process,
 * which then sets the rate of small responses itself. With `taskset`, the server runs on core 0
 * and wrk on the last. Per runtime, sets of fresh servers (one per route) are warmed up with
 * varied requests, then their own route, then run short slices route after route, the order
 * rotating; a route's ratio is the median of per-slice ratios against the naive slice next to it
 * in time. Also per route: server CPU time per request (/proc), p99, peak RSS, retained bytes.
 * The soak (Bun by default): mixed load, idle, a burst, sampling `/stats` and RSS.
 *
 * Usage: `node bench/load.ts [--quick] [--explore] [--no-soak] [--soak-only] [--soak=<runtime>]
 * [runtime…]` (bun, deno, node24 or node, node26; default all). `--explore` measures every body
 * path (`&via=native|pooled|owned`) into load_paths.<runtime>.json; `--soak-only` replaces only
 * the soak of load.<runtime>.json. `LOAD_GENERATOR=autocannon` forces autocannon. Every run has
 * a fixed duration, the whole bench a deadline, and every server is killed on every exit path.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import type { LoadReport } from "../dev/schema_load.ts";
import { casesFor, measureSet, type RouteInSet, summarize } from "./load/sets.ts";
import { routePaths, runtimeVersion } from "./load/servers.ts";
import { soak } from "./load/soak.ts";
import * as settings from "./load/settings.ts";

const { EXPLORE, GENERATOR, NO_SOAK, QUICK, RUNTIMES, SETS, SLICES, SOAK, SOAK_RUNTIME } = settings;

async function main(): Promise<void> {
  const started = Date.now();
  if (GENERATOR === "autocannon" && process.env.LOAD_GENERATOR !== "autocannon") {
    console.log("load: wrk is not installed (apt-get install wrk); autocannon instead");
  }
  const { PINNED, GENERATOR_CORE, SERVER_CORES, SLICE_SECONDS, WARMUP_SECONDS } = settings;
  console.log(
    `load${EXPLORE ? " --explore" : ""}${QUICK ? " --quick" : ""}: ${RUNTIMES.join(", ")}; ` +
      `${GENERATOR}${PINNED ? ` on core ${GENERATOR_CORE}, servers on ${SERVER_CORES}` : ""}, ` +
      `${settings.CONNECTIONS} connections; per runtime ${SETS} set(s) × ${SLICES} slice(s) of ` +
      `${SLICE_SECONDS} s per route (+${WARMUP_SECONDS} s varied, ${WARMUP_SECONDS} s own ` +
      `warm-up); soak ${NO_SOAK ? "off" : `on ${SOAK_RUNTIME}`}`,
  );
  const reports = new Map<settings.LoadRuntime, LoadReport>();
  for (const runtime of RUNTIMES) {
    const { paths } = await routePaths(runtime);
    const report: LoadReport = {
      runtime: await runtimeVersion(runtime),
      date: new Date().toISOString(),
      quick: QUICK,
      explore: EXPLORE,
      generator: GENERATOR,
      pinned: PINNED,
      connections: settings.CONNECTIONS,
      durationSeconds: SLICE_SECONDS,
      sets: SETS,
      rounds: SETS * SLICES,
      paths,
      routes: [],
    };
    reports.set(runtime, report);
    if (settings.SOAK_ONLY) continue;
    const cases = casesFor(paths);
    const sets: Map<string, RouteInSet>[] = [];
    for (let set = 0; set < SETS; set++) sets.push(await measureSet(runtime, cases, set));
    report.routes = cases.map((routeCase) => summarize(routeCase, sets));
  }
  if (!NO_SOAK && RUNTIMES.includes(SOAK_RUNTIME)) {
    console.log(
      `soak on ${SOAK_RUNTIME}: ${SOAK.load} s load, ${SOAK.idle} s idle, ${SOAK.burst} s burst`,
    );
    const result = await soak(SOAK_RUNTIME);
    reports.get(SOAK_RUNTIME)!.soak = result;
    const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
    console.log(
      `  load ${result.loadRequestsPerSec} req/s; retained ${result.retainedAtLoadEnd} B at the ` +
        `end of load, ${result.retainedAfterIdle} B after idle (fall ${
          percent(result.retainedFall)
        }); ` +
        `burst hit rate ${percent(result.burstFirstSecondHitRate)} in its first second, ` +
        `> 95% after ${result.burstRecoveryMs} ms`,
    );
  }
  for (const [runtime, report] of reports) {
    console.log(`\n${report.runtime}`);
    // The log's table; the report (tools/report/load.ts) renders the same routes for people.
    const columns = "route bodyPath requestsPerSec requestsRatio cpuUsPerRequest cpuRatio p99Ms";
    console.table(report.routes, `${columns} rssBytes rssRatio retainedBytes errors`.split(" "));
    const dir = new URL("./results/", import.meta.url);
    const file = new URL(`${EXPLORE ? "load_paths" : "load"}.${runtime}.json`, dir);
    mkdirSync(dir, { recursive: true });
    // --soak-only keeps the routes of the last full run and replaces only the soak.
    const previous = settings.SOAK_ONLY && existsSync(file)
      ? JSON.parse(readFileSync(file, "utf8")) as LoadReport
      : null;
    const written = previous === null ? report : { ...previous, soak: report.soak };
    writeFileSync(file, JSON.stringify(written, null, 2) + "\n");
    console.log(`wrote ${file.pathname}`);
  }
  console.log(`load: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

// dev/spawn stops every server and wrk still running when this process exits.
const watchdog = setTimeout(() => {
  console.error(`load: deadline of ${settings.DEADLINE_MS / 60_000} min passed; stopping`);
  process.exit(1);
}, settings.DEADLINE_MS);
watchdog.unref();

await main();
process.exit(0);
