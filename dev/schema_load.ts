/**
 * The result file of the HTTP load bench (bench/load.ts): bench/results/load.<runtime id>.json,
 * and load_paths.<runtime id>.json from `--explore`. Ratios pair each route with its baseline
 * slice by slice (the slice next to it in time), so drift of a shared machine cancels.
 *
 * @module
 */

/**
 * Issue 12's targets: a `/messages/*` route's requests/s (at least) and peak RSS (at most) over
 * its size's `/naive/*` route's; after the soak's idle phase the pool's retained bytes fall by at
 * least `minRetainedFall`, and the renewed burst's first second hits above `minBurstHitRate`.
 */
export const LOAD_TARGETS = {
  minRequestsRatio: 1.0,
  maxRssRatio: 1.05,
  minRetainedFall: 0.75,
  minBurstHitRate: 0.95,
} as const;

/** One measured route (medians over the slices). */
export interface LoadRouteResult {
  route: string;
  bodyPath: string; // `native`, `pooled`, `owned`; `naive` for the baseline
  requestsPerSec: number;
  p99Ms: number;
  cpuUsPerRequest: number; // server CPU (user + system, all threads), µs: steadier than req/s
  rssBytes: number; // peak resident set size (VmHWM) and at the load's end (VmRSS), bytes
  rssEndBytes?: number;
  retainedBytes: number; // the pool's retained bytes after the run (`/stats`)
  errors: number; // failed requests plus non-2xx responses (should be 0)
  rounds: number[]; // every slice's requests/s, set after set
  baseline?: string; // the route this one is compared with (absent on a baseline)
  /** Median over slices of requests/s ÷ the baseline's; its 25th and 75th percentiles. */
  requestsRatio?: number;
  requestsRatioQuartiles?: [number, number];
  cpuRatio?: number; // median over slices of the baseline's CPU per request ÷ this route's
  /** Median over sets of peak RSS, and of RSS at the load's end, ÷ the baseline server's. */
  rssRatio?: number;
  rssEndRatio?: number;
}

/** One `/stats` sample of the soak, `t` ms after it started; hits and misses are cumulative. */
export interface SoakSample {
  t: number;
  phase: "load" | "idle" | "burst";
  retainedBytes: number;
  tierRetainedBytes: number[]; // retained bytes per tier, smallest tier first
  hits: number;
  misses: number;
  outstanding: number;
  rssBytes: number;
  tunedCaps?: number[]; // per size class, when the pool reports one (`stats().classes[i].cap`)
}

/** The soak: load, idle, then a renewed burst, with its time series (every 250 ms). */
export interface SoakResult {
  loadSeconds: number;
  idleSeconds: number;
  burstSeconds: number;
  routes: string[];
  tiers: string[]; // tier names, in `tierRetainedBytes` order
  loadRequestsPerSec: number;
  retainedAtLoadEnd: number;
  retainedAfterIdle: number;
  retainedFall: number; // 1 − after/at-end (0 when nothing was retained)
  burstFirstSecondHitRate: number; // hit rate of the burst's first second (hits / (hits + misses))
  burstRecoveryMs: number; // ms to the first 250 ms interval hitting > 95% (-1: none)
  samples: SoakSample[];
}

/** bench/results/load.<runtime id>.json (and load_paths.<runtime id>.json from `--explore`). */
export interface LoadReport {
  runtime: string; // runtime name and version, e.g. "bun 1.4.5"
  date: string;
  quick: boolean; // A `--quick` smoke run; an `--explore` run (every body path of every route)
  explore: boolean;
  generator?: "wrk" | "autocannon";
  pinned?: boolean; // wrk on its own core, the server on core 0 (taskset)
  connections: number;
  durationSeconds: number; // measured seconds per slice (after a warm-up per server)
  sets?: number; // sets of fresh servers (absent in runs before sets), and slices per route in all
  rounds: number;
  paths: unknown; // the path each `/messages/*` route takes on this runtime (`GET /paths`)
  routes: LoadRouteResult[];
  soak?: SoakResult;
}
