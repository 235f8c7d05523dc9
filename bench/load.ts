/**
 * HTTP load bench of the example service on Bun, Deno, Node 24 and Node 26: per size,
 * `/messages/{size}?format=json|msgpack` (the body path the app chose for the runtime) against
 * the `/naive/{size}?format=json` baseline (`Response.json`; the same query, so only the body
 * differs).
 *
 * The generator is `wrk` (`apt-get install wrk`), else autocannon in this process (which then
 * sets the rate of small responses itself); with `taskset`, the server runs on core 0 and wrk on
 * the last. Measurement: load/sets.ts; the soak (Bun by default): load/soak.ts.
 *
 * Usage: `node bench/load.ts [--quick] [--explore] [--no-soak] [--soak-only] [--soak=<runtime>]
 * [runtime…]` (bun, deno, node24 or node, node26; default all). `--explore` measures every body
 * path (`&via=native|pooled|owned`) into load_paths.<runtime>.json; `--soak-only` replaces only
 * the soak of load.<runtime>.json. `LOAD_GENERATOR=autocannon` forces autocannon. Every run has
 * a fixed duration, the whole bench a deadline, and every server is killed on every exit path.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import process from "node:process";
import type { LoadReport } from "../dev/schema_load.ts";
import { casesFor, measureSet, type RouteInSet, summarize } from "./load/sets.ts";
import { routePaths, runtimeVersion } from "./load/servers.ts";
import { soak } from "./load/soak.ts";
import * as settings from "./load/settings.ts";
import { RESULTS, writeJson } from "./_harness.ts";

const { EXPLORE, GENERATOR, NO_SOAK, QUICK, RUNTIMES, SETS, SLICES, SOAK_RUNTIME } = settings;

async function main(): Promise<void> {
  if (GENERATOR === "autocannon" && process.env.LOAD_GENERATOR !== "autocannon") {
    console.log("load: wrk is not installed (apt-get install wrk); autocannon instead");
  }
  const reports = new Map<settings.LoadRuntime, LoadReport>();
  for (const runtime of RUNTIMES) {
    const { paths } = await routePaths(runtime);
    const report: LoadReport = {
      runtime: await runtimeVersion(runtime),
      date: new Date().toISOString(),
      quick: QUICK,
      explore: EXPLORE,
      generator: GENERATOR,
      pinned: settings.PINNED,
      connections: settings.CONNECTIONS,
      durationSeconds: settings.SLICE_SECONDS,
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
    console.log(`soak on ${SOAK_RUNTIME}`);
    reports.get(SOAK_RUNTIME)!.soak = await soak(SOAK_RUNTIME);
  }
  for (const [runtime, report] of reports) {
    const name = `${EXPLORE ? "load_paths" : "load"}.${runtime}.json`;
    // --soak-only keeps the routes of the last full run and replaces only the soak.
    const previous = settings.SOAK_ONLY && existsSync(new URL(name, RESULTS))
      ? JSON.parse(readFileSync(new URL(name, RESULTS), "utf8")) as LoadReport
      : null;
    writeJson(name, previous === null ? report : { ...previous, soak: report.soak });
  }
}

// dev/spawn stops every server and wrk still running when this process exits.
const watchdog = setTimeout(() => {
  console.error(`load: deadline of ${settings.DEADLINE_MS / 60_000} min passed; stopping`);
  process.exit(1);
}, settings.DEADLINE_MS);
watchdog.unref();

await main();
process.exit(0);
