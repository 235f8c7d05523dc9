/**
 * The result types and targets of the HTTP load bench (bench/load.ts), shared
 * by the bench and the report (tools/report/load.ts). Part of the bench schema
 * (dev/schema.ts holds the common entry types and targets).
 *
 * @module
 */

/** The targets of issue 12 for the HTTP load bench. */
export const LOAD_TARGETS: {
  /** A `/messages/*` route's requests/s over its size's `/naive/*` route: at least this. */
  readonly minRequestsRatio: number;
  /** A `/messages/*` route's peak RSS over the naive route's: at most this. */
  readonly maxRssRatio: number;
  /** The fall of the pool's retained bytes after the soak's idle phase: at least this. */
  readonly minRetainedFall: number;
  /** The hit rate of the soak's renewed burst within its first second: above this. */
  readonly minBurstHitRate: number;
} = { minRequestsRatio: 1.0, maxRssRatio: 1.05, minRetainedFall: 0.75, minBurstHitRate: 0.95 };

/** One measured route of bench/load.ts (medians over the rounds). */
export interface LoadRouteResult {
  /** The path requested. */
  route: string;
  /** The body path the route took (`native`, `pooled`, `owned`; `naive` for the baseline). */
  bodyPath: string;
  /** Mean requests per second over a run. */
  requestsPerSec: number;
  /** 99th percentile latency, in milliseconds. */
  p99Ms: number;
  /**
   * The server process's CPU time (user + system, all threads) per request,
   * in microseconds: unlike requests/s it barely moves when other processes
   * compete for the cores.
   */
  cpuUsPerRequest: number;
  /** The server's peak resident set size (VmHWM), in bytes. */
  rssBytes: number;
  /** The server's resident set size when its load ended (VmRSS), in bytes. */
  rssEndBytes?: number;
  /** The pool's retained bytes after the run (`/stats`). */
  retainedBytes: number;
  /** Failed requests plus non-2xx responses, summed over the rounds (should be 0). */
  errors: number;
  /** Every slice's requests/s, set after set. */
  rounds: number[];
  /** The route this one is compared with (absent on a baseline). */
  baseline?: string;
  /** Median over slices of requests/s ÷ the baseline's in the slice next to it in time. */
  requestsRatio?: number;
  /** The 25th and 75th percentiles of those per-slice ratios: the spread the median comes from. */
  requestsRatioQuartiles?: [number, number];
  /** Median over slices of the baseline's CPU per request ÷ this route's (above 1 is cheaper). */
  cpuRatio?: number;
  /** Median over sets of peak RSS ÷ the baseline server's of the same set. */
  rssRatio?: number;
  /** Median over sets of the resident set size when the load ended ÷ the baseline's. */
  rssEndRatio?: number;
}

/** One `/stats` sample of the soak. */
export interface SoakSample {
  /** Milliseconds since the soak started. */
  t: number;
  /** The phase the sample was taken in. */
  phase: "load" | "idle" | "burst";
  /** The pool's retained bytes. */
  retainedBytes: number;
  /** Retained bytes per tier, smallest tier first. */
  tierRetainedBytes: number[];
  /** Cumulative pool hits. */
  hits: number;
  /** Cumulative pool misses. */
  misses: number;
  /** Buffers lent out. */
  outstanding: number;
  /** The server's RSS (VmRSS), in bytes. */
  rssBytes: number;
  /** Per size class, the tuned cap, when the pool reports one (`stats().classes[i].cap`). */
  tunedCaps?: number[];
}

/** The soak's summary and time series. */
export interface SoakResult {
  /** Seconds of mixed load. */
  loadSeconds: number;
  /** Seconds idle. */
  idleSeconds: number;
  /** Seconds of the renewed burst. */
  burstSeconds: number;
  /** The routes the load cycles through. */
  routes: string[];
  /** Tier names, in `tierRetainedBytes` order. */
  tiers: string[];
  /** Requests/s during the load phase. */
  loadRequestsPerSec: number;
  /** Retained bytes at the end of the load. */
  retainedAtLoadEnd: number;
  /** Retained bytes at the end of the idle phase. */
  retainedAfterIdle: number;
  /** 1 − after/at-end (0 when nothing was retained). */
  retainedFall: number;
  /** Hit rate of the burst's first second (hits / (hits + misses)). */
  burstFirstSecondHitRate: number;
  /** Milliseconds from the burst's start to the first 250 ms interval with a hit rate > 95%, or -1. */
  burstRecoveryMs: number;
  /** The samples, every 250 ms. */
  samples: SoakSample[];
}

/** bench/results/load.<runtime id>.json (and load_paths.<runtime id>.json from `--explore`). */
export interface LoadReport {
  /** Runtime name and version, e.g. "bun 1.4.5". */
  runtime: string;
  /** ISO-8601 time of the run. */
  date: string;
  /** Whether this was a `--quick` smoke run. */
  quick: boolean;
  /** Whether this was an `--explore` run (every body path of every route). */
  explore: boolean;
  /** The load generator: `wrk` (pinned to its own core when `pinned`) or autocannon. */
  generator?: "wrk" | "autocannon";
  /** Whether the server ran on core 0 and wrk on another (taskset). */
  pinned?: boolean;
  /** Concurrent connections. */
  connections: number;
  /** Measured seconds per slice (after a warm-up per server). */
  durationSeconds: number;
  /** Sets of fresh servers (absent in runs before sets: one server per round). */
  sets?: number;
  /** Slices per route in all; each figure is the median over them. */
  rounds: number;
  /** The path each `/messages/*` route takes on this runtime (`GET /paths`). */
  paths: unknown;
  /** The routes, in run order. */
  routes: LoadRouteResult[];
  /** The soak, when it ran on this runtime. */
  soak?: SoakResult;
}
