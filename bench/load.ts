/**
 * HTTP load benchmark of the example service (a bench, not a test): for each
 * of `/messages/{small,medium,large}?format=json|msgpack` and
 * `/naive/{small,medium,large}` it starts a fresh server on a free loopback
 * port, warms it up, runs autocannon against it, and samples the server's
 * resident set size (VmRSS from /proc) during the run. Routes are run in
 * interleaved rounds and each figure is the median over the rounds, since a
 * shared machine drifts. Writes bench/results/load.<runtime>.json and prints
 * a table.
 *
 * Run with Node 24: `node bench/load.ts [bun|deno|node]` (default bun).
 * Environment: LOAD_SECONDS (default 3), LOAD_ROUNDS (default 3),
 * LOAD_CONNECTIONS (default 32).
 *
 * @module
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import {
  EXAMPLE_SERVERS,
  type ServerRuntime,
  type ServerSpec,
  startExampleServer,
  stopServer,
} from "../tools/example_servers.ts";
import autocannon from "autocannon";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SECONDS = Number(process.env.LOAD_SECONDS ?? 3);
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
const WARMUP_SECONDS = 1;

const SERVERS: Record<string, ServerSpec> = Object.fromEntries(
  EXAMPLE_SERVERS.map((spec) => [spec.name, spec]),
);

/** One measured route, as written to the results file. */
export interface LoadResult {
  /** The path requested. */
  route: string;
  /** Mean requests per second over a run (median of the rounds). */
  requestsPerSec: number;
  /** 99th percentile latency, in milliseconds (median of the rounds). */
  p99Ms: number;
  /** The server's peak resident set size during a run, in bytes (median of the rounds). */
  rssBytes: number;
  /** Failed requests plus non-2xx responses, summed over the rounds (should be 0). */
  errors: number;
}

/** The shape of bench/results/load.<runtime>.json. */
export interface LoadReport {
  /** Runtime name and version, e.g. "bun 1.4.5". */
  runtime: string;
  /** ISO-8601 time of the run. */
  date: string;
  /** autocannon connections. */
  connections: number;
  /** Measured seconds per route and round (after a warm-up). */
  durationSeconds: number;
  /** Interleaved rounds; each figure is the median over them. */
  rounds: number;
  /** The routes, in run order. */
  routes: LoadResult[];
}

/** The parts of autocannon's result used here. */
interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

const run = autocannon as unknown as (
  options: Record<string, unknown>,
) => Promise<AutocannonResult>;

function routes(): string[] {
  const list: string[] = [];
  for (const size of ["small", "medium", "large"]) {
    list.push(
      `/messages/${size}?format=json`,
      `/messages/${size}?format=msgpack`,
      `/naive/${size}`,
    );
  }
  return list;
}

function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0; // not Linux, or the process is gone
  }
}

async function measure(runtime: string, route: string): Promise<LoadResult> {
  const server = await startExampleServer(runtime as ServerRuntime);
  const { child, base } = server;
  try {
    const url = base + route;
    await run({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS });
    let peak = rssOf(child.pid ?? 0);
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(child.pid ?? 0))), 100);
    const result = await run({ url, connections: CONNECTIONS, duration: SECONDS });
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(child.pid ?? 0));
    return {
      route,
      requestsPerSec: Math.round(result.requests.average),
      p99Ms: result.latency.p99,
      rssBytes: peak,
      errors: result.errors + result.timeouts + result.non2xx,
    };
  } finally {
    await stopServer(server);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function runtimeVersion(runtime: string): Promise<string> {
  const spec = SERVERS[runtime];
  const output = await new Promise<string>((resolve) => {
    let text = "";
    const child = spawn(spec.command, ["--version"]);
    child.stdout.on("data", (chunk: Buffer) => (text += chunk));
    child.on("close", () => resolve(text));
  });
  const version = /(\d+\.\d+\.\d+)/.exec(output)?.[1] ?? "unknown";
  return `${runtime} ${version}`;
}

async function main(): Promise<void> {
  const runtime = process.argv[2] ?? "bun";
  if (SERVERS[runtime] === undefined) {
    throw new TypeError(`Unknown runtime '${runtime}': expected bun, deno or node`);
  }
  const report: LoadReport = {
    runtime: await runtimeVersion(runtime),
    date: new Date().toISOString(),
    connections: CONNECTIONS,
    durationSeconds: SECONDS,
    rounds: ROUNDS,
    routes: [],
  };
  console.log(
    `load: ${report.runtime}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per route (+${WARMUP_SECONDS} s warm-up)`,
  );
  const runs = new Map<string, LoadResult[]>(routes().map((route) => [route, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [route, results] of runs) {
      const result = await measure(runtime, route);
      results.push(result);
      console.log(
        `  round ${round}/${ROUNDS} ${route}: ${result.requestsPerSec} req/s, p99 ${result.p99Ms} ms, RSS ${
          (result.rssBytes / 1048576).toFixed(1)
        } MiB`,
      );
    }
  }
  console.log("route                              req/s    p99 ms   peak RSS MiB  errors");
  for (const [route, results] of runs) {
    const result: LoadResult = {
      route,
      requestsPerSec: median(results.map((r) => r.requestsPerSec)),
      p99Ms: median(results.map((r) => r.p99Ms)),
      rssBytes: median(results.map((r) => r.rssBytes)),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
    };
    report.routes.push(result);
    console.log(
      `${route.padEnd(32)} ${String(result.requestsPerSec).padStart(8)} ${
        result.p99Ms.toFixed(1).padStart(9)
      } ${(result.rssBytes / 1048576).toFixed(1).padStart(14)} ${
        String(result.errors).padStart(7)
      }`,
    );
  }
  const file = join(ROOT, "bench", "results", `load.${runtime}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
  console.log(`load: wrote ${file}`);
}

await main();
