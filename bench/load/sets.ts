/**
 * The measured part of the load bench: sets of fresh servers, one per route, warmed up; slices
 * route after route, the order rotating; then paired per-slice ratios against the baseline.
 *
 * @module
 */
import { median, quantile } from "../../dev/stats.ts";
import type { LoadRouteResult } from "../../dev/schema_load.ts";
import { cpuMicros, fire, procStatus, runLoad } from "./generator.ts";
import { type RunningServer, startServer, stats, stopServer } from "./servers.ts";
import {
  EXPLORE,
  type LoadRuntime,
  SETTLE_MS,
  SIZES,
  SLICE_SECONDS,
  SLICES,
  VARIED_PATHS,
  WARMUP_SECONDS,
} from "./settings.ts";

/** A route to measure, and the route it is compared with (none for a baseline). */
export interface RouteCase {
  route: string;
  bodyPath: string;
  baseline?: string;
}

interface SliceResult {
  requestsPerSec: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  errors: number;
}

/** One route's results in one set: its slices, then the server's RSS and retained bytes. */
export interface RouteInSet {
  slices: SliceResult[];
  rssBytes: number;
  rssEndBytes: number;
  retainedBytes: number;
}

async function measureSlice(server: RunningServer, route: string): Promise<SliceResult> {
  const cpuBefore = cpuMicros(server.child.pid);
  const run = await runLoad(server.base + route, SLICE_SECONDS);
  const cpu = cpuMicros(server.child.pid) - cpuBefore;
  return {
    requestsPerSec: Math.round(run.requestsPerSec),
    p99Ms: run.p99Ms,
    cpuUsPerRequest: run.total > 0 ? cpu / run.total : 0,
    errors: run.errors,
  };
}

/** One set: a fresh server per route, a warm-up each, SLICES slices of every route. */
export async function measureSet(
  runtime: LoadRuntime,
  cases: RouteCase[],
  set: number,
): Promise<Map<string, RouteInSet>> {
  const servers = new Map<string, RunningServer>();
  try {
    for (const { route } of cases) servers.set(route, await startServer(runtime));
    for (const { route } of cases) {
      const base = servers.get(route)!.base;
      // Realistic type feedback first: every server, baseline included, serves every size,
      // format and body path, so no JavaScript path is measured on monomorphic feedback.
      await fire(base, WARMUP_SECONDS, VARIED_PATHS);
      await runLoad(base + route, WARMUP_SECONDS);
    }
    // Let the servers finish the JIT compiling and GC the warm-up left behind: they share a core.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const results = new Map<string, RouteInSet>();
    for (const { route } of cases) {
      results.set(route, { slices: [], rssBytes: 0, rssEndBytes: 0, retainedBytes: 0 });
    }
    for (let slice = 0; slice < SLICES; slice++) {
      const shift = (slice + set) % cases.length;
      for (const { route } of [...cases.slice(shift), ...cases.slice(0, shift)]) {
        const result = await measureSlice(servers.get(route)!, route);
        results.get(route)!.slices[slice] = result;
        console.log(
          `${runtime} set ${set + 1} slice ${slice + 1} ${route}: ${result.requestsPerSec}`,
        );
      }
    }
    for (const { route } of cases) {
      const server = servers.get(route)!;
      const entry = results.get(route)!;
      entry.rssEndBytes = procStatus(server.child.pid, "VmRSS");
      entry.rssBytes = procStatus(server.child.pid, "VmHWM") || entry.rssEndBytes;
      entry.retainedBytes = (await stats(server)).retainedBytes;
    }
    return results;
  } finally {
    for (const server of servers.values()) await stopServer(server);
  }
}

/** Medians over every set and slice, and the paired ratios against the route's baseline. */
export function summarize(routeCase: RouteCase, sets: Map<string, RouteInSet>[]): LoadRouteResult {
  const mine = sets.map((set) => set.get(routeCase.route)!);
  const slices = mine.flatMap((entry) => entry.slices);
  const result: LoadRouteResult = {
    route: routeCase.route,
    bodyPath: routeCase.bodyPath,
    requestsPerSec: median(slices.map((r) => r.requestsPerSec)),
    p99Ms: round(median(slices.map((r) => r.p99Ms)), 100),
    cpuUsPerRequest: round(median(slices.map((r) => r.cpuUsPerRequest)), 10),
    rssBytes: median(mine.map((entry) => entry.rssBytes)),
    rssEndBytes: median(mine.map((entry) => entry.rssEndBytes)),
    retainedBytes: median(mine.map((entry) => entry.retainedBytes)),
    errors: slices.reduce((sum, r) => sum + r.errors, 0),
    rounds: slices.map((r) => r.requestsPerSec),
  };
  if (routeCase.baseline !== undefined) {
    const baseline = sets.map((set) => set.get(routeCase.baseline!)!);
    // Per slice against the baseline's slice of the same set and index; per set likewise.
    const perSlice = (ratio: (mine: SliceResult, base: SliceResult) => number) =>
      mine.flatMap((entry, set) =>
        entry.slices.map((slice, i) => ratio(slice, baseline[set].slices[i]))
      );
    const perSet = (ratio: (mine: RouteInSet, base: RouteInSet) => number) =>
      mine.map((entry, set) => ratio(entry, baseline[set]));
    const speed = perSlice((m, b) => m.requestsPerSec / b.requestsPerSec);
    result.baseline = routeCase.baseline;
    result.requestsRatio = round(median(speed));
    result.requestsRatioQuartiles = [round(quantile(speed, 0.25)), round(quantile(speed, 0.75))];
    result.cpuRatio = round(median(perSlice((m, b) => b.cpuUsPerRequest / m.cpuUsPerRequest)));
    result.rssRatio = round(median(perSet((m, b) => m.rssBytes / b.rssBytes)));
    result.rssEndRatio = round(median(perSet((m, b) => m.rssEndBytes / b.rssEndBytes)));
  }
  return result;
}

function round(value: number, scale = 1000): number {
  return Math.round(value * scale) / scale;
}

/** Per size: the JSON route, the naive baseline between its two routes, the MessagePack route. */
export function casesFor(paths: Record<string, Record<string, string>>): RouteCase[] {
  return SIZES.flatMap((size): RouteCase[] => {
    const route = (format: string, baseline: string, bodyPath: string, via = "") => ({
      route: `/messages/${size}?format=${format}${via}`,
      bodyPath,
      baseline,
    });
    if (EXPLORE) {
      const native = `/messages/${size}?format=json&via=native`;
      return [
        { route: native, bodyPath: "native" },
        ...["json", "msgpack"].flatMap((format) =>
          ["pooled", "owned"].map((via) => route(format, native, via, `&via=${via}`))
        ),
      ];
    }
    // The same query as the JSON route's, so only the body differs.
    const naive = `/naive/${size}?format=json`;
    return [
      route("json", naive, paths.json[size]),
      { route: naive, bodyPath: "naive" },
      route("msgpack", naive, paths.msgpack[size]),
    ];
  });
}
