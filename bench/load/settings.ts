/**
 * The load bench's settings, from its arguments and environment (see bench/load.ts), and the
 * one place that decides the load generator and core pinning.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import process from "node:process";

/** The runtimes the load bench can serve the example on (report column ids). */
export type LoadRuntime = "bun" | "deno" | "node24" | "node26";

const args = process.argv.slice(2);
export const QUICK: boolean = args.includes("--quick");
export const EXPLORE: boolean = args.includes("--explore");
export const NO_SOAK: boolean = args.includes("--no-soak") || EXPLORE;
export const SOAK_ONLY: boolean = args.includes("--soak-only");
export const SOAK_RUNTIME: LoadRuntime =
  (args.find((a) => a.startsWith("--soak="))?.slice(7) ?? "bun") as LoadRuntime;
/** "node" is Node 24, as in the other benches' old file names. */
export const RUNTIMES: LoadRuntime[] = args.filter((a) => !a.startsWith("--"))
  .map((a) => (a === "node" ? "node24" : a) as LoadRuntime);
if (RUNTIMES.length === 0) RUNTIMES.push("bun", "deno", "node24", "node26");
for (const runtime of RUNTIMES) {
  if (!["bun", "deno", "node24", "node26"].includes(runtime)) {
    throw new TypeError(
      `Unknown runtime '${runtime}': expected bun, deno, node24 (or node) or node26`,
    );
  }
}

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
/** Whole seconds: wrk's `-d` takes no fractions. */
export const SLICE_SECONDS: number = env("LOAD_SLICE_SECONDS", 1);
/** One slice's requests/s can stray ±25% here; the median of 3 × 6 paired ratios, a few %. */
export const SLICES: number = env("LOAD_SLICES", QUICK ? 1 : EXPLORE ? 4 : 6);
export const SETS: number = env("LOAD_SETS", QUICK ? 1 : EXPLORE ? 2 : 3);
export const CONNECTIONS: number = env("LOAD_CONNECTIONS", 32);
/** A second of load is thousands of requests: enough to JIT every route's path. */
export const WARMUP_SECONDS = 1;
export const SETTLE_MS = 2000; // between the warm-ups and the first slice of a set
export const SOAK: { load: number; idle: number; burst: number } = QUICK
  ? { load: 8, idle: 6, burst: 3 }
  : { load: 60, idle: 20, burst: 5 };
export const SAMPLE_MS = 250;
export const DEADLINE_MS: number = (QUICK ? 5 : 40) * 60_000;

export const GENERATOR: "wrk" | "autocannon" = process.env.LOAD_GENERATOR !== "autocannon" &&
    spawnSync("wrk", ["--version"]).error === undefined
  ? "wrk"
  : "autocannon";
const CORES = availableParallelism();
/** Server on core 0, wrk on the last core: only with taskset, 2+ cores and wrk. */
export const PINNED: boolean = GENERATOR === "wrk" && CORES >= 2 &&
  spawnSync("taskset", ["-c", "0", "true"]).status === 0;
export const SERVER_CORES = "0";
export const GENERATOR_CORE: string = String(CORES - 1);

export const SIZES = ["small", "medium", "large"] as const;

/** Every body path of every size and format, and the baseline: the varied warm-up's mix. */
export const VARIED_PATHS: readonly string[] = SIZES.flatMap((size) => [
  `/naive/${size}?format=json`,
  ...["native", "pooled", "owned"].map((via) => `/messages/${size}?format=json&via=${via}`),
  ...["pooled", "owned"].map((via) => `/messages/${size}?format=msgpack&via=${via}`),
]);
