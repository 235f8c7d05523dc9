/**
 * HTTP load benchmark of the example service (a bench, not a test), on Bun,
 * Deno and Node 24 (Node 26 on request).
 *
 * Routes: for each size, `/messages/{size}?format=json|msgpack` (the path the
 * app chose for this runtime, see `ROUTE_PATHS` in examples/app.ts) and the
 * `/naive/{size}` baseline (`Response.json`). Every route gets a FRESH server
 * on a free 127.0.0.1 port, a warm-up, then a measured autocannon run; the
 * routes of all runtimes are interleaved over rounds and each figure is the
 * median of the rounds. Per route: requests/s, p99 latency, the server's peak
 * RSS (VmHWM from /proc/<pid>/status) and the pool's retained bytes (`/stats`
 * after the run).
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
 * node), node26 (default: bun deno node24). Writes bench/results/load.<runtime>.json (or
 * load_paths.<runtime>.json with --explore). Bounded: every run has a fixed
 * duration, the whole bench a deadline, and every server is killed on every
 * exit path.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { freePort } from "../tools/example_servers.ts";
import type { LoadReport, SoakResult, SoakSample } from "./_schema_load.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "node_modules", ".bin");

/** The runtimes the load bench can serve the example on (report column ids). */
type LoadRuntime = "bun" | "deno" | "node24" | "node26";

// ---------------------------------------------------------------- settings

const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const EXPLORE = args.includes("--explore");
const NO_SOAK = args.includes("--no-soak") || EXPLORE;
const SOAK_ONLY = args.includes("--soak-only");
const SOAK_RUNTIME = (args.find((a) => a.startsWith("--soak="))?.slice(7) ?? "bun") as LoadRuntime;
// "node" is Node 24, as in the other benches' old file names.
const RUNTIMES = args.filter((a) => !a.startsWith("--")).map((a) =>
  a === "node" ? "node24" : a
) as LoadRuntime[];
if (RUNTIMES.length === 0) RUNTIMES.push("bun", "deno", "node24");

const SECONDS = Number(process.env.LOAD_SECONDS ?? (QUICK ? 1 : EXPLORE ? 2 : 3));
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? (QUICK ? 1 : 3));
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
// Half a second of load is thousands of requests: enough to JIT the path; it keeps the full run under 10 min.
const WARMUP_SECONDS = 0.5;
const SOAK = QUICK ? { load: 8, idle: 6, burst: 3 } : { load: 60, idle: 20, burst: 5 };
const SAMPLE_MS = 250;
/** The whole bench stops by itself after this long, whatever happens. */
const DEADLINE_MS = (QUICK ? 5 : 20) * 60_000;

const SIZES = ["small", "medium", "large"] as const;

// ---------------------------------------------------------------- servers

interface Spec {
  command: string;
  args: string[];
}

const SPECS: Record<LoadRuntime, Spec> = {
  bun: { command: join(BIN, "bun"), args: ["examples/bun.ts"] },
  deno: { command: join(BIN, "deno"), args: ["run", "-A", "--quiet", "examples/deno.ts"] },
  node24: {
    command: join(ROOT, "node_modules", "node", "bin", "node"),
    args: ["examples/node.ts"],
  },
  node26: {
    command: join(ROOT, "node_modules", "node26", "bin", "node"),
    args: ["examples/node.ts"],
  },
};

interface Server {
  child: ChildProcess;
  base: string;
  output: string;
  exited: boolean;
}

/** Every server not yet stopped, so that any exit path can kill them. */
const live = new Set<Server>();

async function startServer(runtime: LoadRuntime): Promise<Server> {
  const spec = SPECS[runtime];
  const port = await freePort();
  const child = spawn(spec.command, spec.args, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const server: Server = { child, base: `http://127.0.0.1:${port}`, output: "", exited: false };
  live.add(server);
  child.stdout?.on("data", (chunk: Buffer) => (server.output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (server.output += chunk));
  child.on("exit", () => {
    server.exited = true;
    live.delete(server);
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exited) throw new Error(`${runtime} exited before it was ready:\n${server.output}`);
    try {
      const response = await fetch(`${server.base}/stats`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await stopServer(server);
  throw new Error(`${runtime} was not ready within 30 s:\n${server.output}`);
}

async function stopServer(server: Server): Promise<void> {
  if (server.exited) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

function killAll(): void {
  for (const server of live) server.child.kill("SIGKILL");
}
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

// ---------------------------------------------------------------- measuring

/** The parts of autocannon's result used here. */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

const cannon = autocannon as unknown as (
  options: Record<string, unknown>,
) => Promise<AutocannonResult>;

function fire(url: string, seconds: number, paths?: string[]): Promise<AutocannonResult> {
  return cannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: paths?.map((path) => ({ method: "GET", path })),
  });
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

/** The process's user + system CPU time so far, in microseconds (0 off Linux). */
function cpuMicros(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * (1e6 / CLOCK_TICKS_PER_SECOND);
  } catch {
    return 0;
  }
}

function procStatus(pid: number | undefined, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(
      readFileSync(`/proc/${pid}/status`, "utf8"),
    );
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0; // not Linux, or the process is gone
  }
}

interface StatsBody {
  retainedBytes: number;
  hits: number;
  misses: number;
  outstanding: number;
  tiers: { name: string; retainedBytes: number }[];
  classes?: Record<string, unknown>[];
}

async function stats(server: Server): Promise<StatsBody> {
  const response = await fetch(`${server.base}/stats`, { signal: AbortSignal.timeout(2000) });
  return await response.json() as StatsBody;
}

/** A route to measure: what to request and how to label it. */
interface RouteCase {
  route: string;
  bodyPath: string;
}

interface RoundResult {
  requestsPerSec: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  rssBytes: number;
  retainedBytes: number;
  errors: number;
}

async function measure(runtime: LoadRuntime, route: string): Promise<RoundResult> {
  const server = await startServer(runtime);
  try {
    const url = server.base + route;
    await fire(url, WARMUP_SECONDS);
    const cpuBefore = cpuMicros(server.child.pid);
    const result = await fire(url, SECONDS);
    const cpu = cpuMicros(server.child.pid) - cpuBefore;
    const rssBytes = procStatus(server.child.pid, "VmHWM") ||
      procStatus(server.child.pid, "VmRSS");
    const { retainedBytes } = await stats(server);
    return {
      requestsPerSec: Math.round(result.requests.average),
      p99Ms: result.latency.p99,
      cpuUsPerRequest: result.requests.total > 0 ? Math.round(cpu / result.requests.total) : 0,
      rssBytes,
      retainedBytes,
      errors: result.errors + result.timeouts + result.non2xx,
    };
  } finally {
    await stopServer(server);
  }
}

async function routePaths(
  runtime: LoadRuntime,
): Promise<{ paths: Record<string, Record<string, string>> }> {
  const server = await startServer(runtime);
  try {
    const response = await fetch(`${server.base}/paths`, { signal: AbortSignal.timeout(2000) });
    return await response.json() as { paths: Record<string, Record<string, string>> };
  } finally {
    await stopServer(server);
  }
}

function casesFor(paths: Record<string, Record<string, string>>): RouteCase[] {
  const cases: RouteCase[] = [];
  for (const size of SIZES) {
    if (EXPLORE) {
      for (const via of ["native", "pooled", "owned"]) {
        cases.push({ route: `/messages/${size}?format=json&via=${via}`, bodyPath: via });
      }
      for (const via of ["pooled", "owned"]) {
        cases.push({ route: `/messages/${size}?format=msgpack&via=${via}`, bodyPath: via });
      }
      continue;
    }
    for (const format of ["json", "msgpack"]) {
      cases.push({ route: `/messages/${size}?format=${format}`, bodyPath: paths[format][size] });
    }
    cases.push({ route: `/naive/${size}`, bodyPath: "naive" });
  }
  return cases;
}

// ---------------------------------------------------------------- soak

// The pooled path on purpose: the soak shows the pool's retention, whatever path a route takes.
const SOAK_ROUTES = SIZES.flatMap((size) => [
  `/messages/${size}?format=json&via=pooled`,
  `/messages/${size}?format=msgpack&via=pooled`,
]);

function tunedCaps(body: StatsBody): number[] | undefined {
  // Feature-detected: the pool's auto-tuning adds a per-class breakdown with the tuned cap.
  if (!Array.isArray(body.classes)) return undefined;
  const caps = body.classes.map((c) =>
    Number(c.tunedCap ?? c.cap ?? c.retainCap ?? c.maxBuffers ?? NaN)
  );
  return caps.every(Number.isFinite) ? caps : undefined;
}

async function soak(runtime: LoadRuntime): Promise<SoakResult> {
  const server = await startServer(runtime);
  const samples: SoakSample[] = [];
  const start = Date.now();
  let phase: SoakSample["phase"] = "load";
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const next = Date.now() + SAMPLE_MS;
      try {
        const body = await stats(server);
        samples.push({
          t: Date.now() - start,
          phase,
          retainedBytes: body.retainedBytes,
          tierRetainedBytes: body.tiers.map((tier) => tier.retainedBytes),
          hits: body.hits,
          misses: body.misses,
          outstanding: body.outstanding,
          rssBytes: procStatus(server.child.pid, "VmRSS"),
          tunedCaps: tunedCaps(body),
        });
      } catch {
        // a slow answer under load: skip this sample
      }
      await sleep(Math.max(0, next - Date.now()));
    }
  })();
  try {
    const tiers = (await stats(server)).tiers.map((tier) => tier.name);
    const load = await fire(server.base, SOAK.load, SOAK_ROUTES);
    phase = "idle";
    const idleStart = Date.now() - start;
    await sleep(SOAK.idle * 1000);
    phase = "burst";
    const burstStart = Date.now() - start;
    await fire(server.base, SOAK.burst, SOAK_ROUTES);
    sampling = false;
    await sampler;
    const lastLoad = samples.filter((s) => s.t < idleStart).at(-1);
    const lastIdle = samples.filter((s) => s.t < burstStart).at(-1);
    const atLoadEnd = lastLoad?.retainedBytes ?? 0;
    const afterIdle = lastIdle?.retainedBytes ?? 0;
    const burst = samples.filter((s) => s.t >= burstStart);
    const base = lastIdle ?? burst[0];
    const firstSecond = burst.filter((s) => s.t <= burstStart + 1000).at(-1);
    let recovery = -1;
    let previous = base;
    for (const sample of burst) {
      const hits = sample.hits - (previous?.hits ?? 0);
      const misses = sample.misses - (previous?.misses ?? 0);
      if (hits + misses > 0 && hits / (hits + misses) > 0.95) {
        recovery = sample.t - burstStart;
        break;
      }
      previous = sample;
    }
    const firstHits = (firstSecond?.hits ?? 0) - (base?.hits ?? 0);
    const firstMisses = (firstSecond?.misses ?? 0) - (base?.misses ?? 0);
    return {
      loadSeconds: SOAK.load,
      idleSeconds: SOAK.idle,
      burstSeconds: SOAK.burst,
      routes: SOAK_ROUTES,
      tiers,
      loadRequestsPerSec: Math.round(load.requests.average),
      retainedAtLoadEnd: atLoadEnd,
      retainedAfterIdle: afterIdle,
      retainedFall: atLoadEnd === 0 ? 0 : 1 - afterIdle / atLoadEnd,
      burstFirstSecondHitRate: firstHits + firstMisses === 0
        ? 0
        : firstHits / (firstHits + firstMisses),
      burstRecoveryMs: recovery,
      samples,
    };
  } finally {
    sampling = false;
    await sampler;
    await stopServer(server);
  }
}

// ---------------------------------------------------------------- main

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

async function runtimeVersion(runtime: LoadRuntime): Promise<string> {
  const output = await new Promise<string>((resolve) => {
    let text = "";
    const child = spawn(SPECS[runtime].command, ["--version"]);
    child.stdout.on("data", (chunk: Buffer) => (text += chunk));
    child.on("close", () => resolve(text));
  });
  const version = /(\d+\.\d+\.\d+)/.exec(output)?.[1] ?? "unknown";
  return `${runtime.startsWith("node") ? "node" : runtime} ${version}`;
}

async function main(): Promise<void> {
  for (const runtime of RUNTIMES) {
    if (SPECS[runtime] === undefined) {
      throw new TypeError(
        `Unknown runtime '${runtime}': expected bun, deno, node24 (or node) or node26`,
      );
    }
  }
  const started = Date.now();
  console.log(
    `load${EXPLORE ? " --explore" : ""}${QUICK ? " --quick" : ""}: ${RUNTIMES.join(", ")}; ` +
      `${CONNECTIONS} connections, ${ROUNDS} round(s) of ${SECONDS} s per route ` +
      `(+${WARMUP_SECONDS} s warm-up), soak ${NO_SOAK ? "off" : `on ${SOAK_RUNTIME}`}`,
  );
  const reports = new Map<LoadRuntime, LoadReport>();
  const cases = new Map<LoadRuntime, RouteCase[]>();
  for (const runtime of RUNTIMES) {
    const { paths } = await routePaths(runtime);
    reports.set(runtime, {
      runtime: await runtimeVersion(runtime),
      date: new Date().toISOString(),
      quick: QUICK,
      explore: EXPLORE,
      connections: CONNECTIONS,
      durationSeconds: SECONDS,
      rounds: ROUNDS,
      paths,
      routes: [],
    });
    cases.set(runtime, SOAK_ONLY ? [] : casesFor(paths));
  }
  const runs = new Map<string, RoundResult[]>();
  const key = (runtime: LoadRuntime, route: string) => `${runtime} ${route}`;
  for (let round = 1; round <= (SOAK_ONLY ? 0 : ROUNDS); round++) {
    // Interleave runtimes and routes, so drift on a shared machine hits all alike.
    const longest = Math.max(...RUNTIMES.map((r) => cases.get(r)!.length));
    for (let i = 0; i < longest; i++) {
      for (const runtime of RUNTIMES) {
        const routeCase = cases.get(runtime)![i];
        if (routeCase === undefined) continue;
        const result = await measure(runtime, routeCase.route);
        const list = runs.get(key(runtime, routeCase.route)) ?? [];
        list.push(result);
        runs.set(key(runtime, routeCase.route), list);
        console.log(
          `  round ${round}/${ROUNDS} ${runtime.padEnd(6)} ${routeCase.route.padEnd(40)} ` +
            `${
              String(result.requestsPerSec).padStart(7)
            } req/s, ${result.cpuUsPerRequest} µs CPU/req, ` +
            `p99 ${result.p99Ms} ms, ` +
            `peak RSS ${mib(result.rssBytes)} MiB, retained ${result.retainedBytes} B`,
        );
      }
    }
  }
  for (const runtime of RUNTIMES) {
    const report = reports.get(runtime)!;
    for (const { route, bodyPath } of cases.get(runtime)!) {
      const results = runs.get(key(runtime, route))!;
      report.routes.push({
        route,
        bodyPath,
        requestsPerSec: median(results.map((r) => r.requestsPerSec)),
        p99Ms: median(results.map((r) => r.p99Ms)),
        cpuUsPerRequest: median(results.map((r) => r.cpuUsPerRequest)),
        rssBytes: median(results.map((r) => r.rssBytes)),
        retainedBytes: median(results.map((r) => r.retainedBytes)),
        errors: results.reduce((sum, r) => sum + r.errors, 0),
        rounds: results.map((r) => r.requestsPerSec),
      });
    }
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
    console.log(
      "route                                      path     req/s  vs naive  CPU µs/req  vs naive  p99 ms  RSS MiB  RSS %  retained  errors",
    );
    for (const r of report.routes) {
      const size = /\/(small|medium|large)\b/.exec(r.route)?.[1];
      const naive = report.routes.find((x) => x.route === `/naive/${size}`) ??
        report.routes.find((x) => x.route === `/messages/${size}?format=json&via=native`);
      console.log(
        `${r.route.padEnd(42)} ${r.bodyPath.padEnd(7)} ${String(r.requestsPerSec).padStart(7)} ${
          (naive ? (r.requestsPerSec / naive.requestsPerSec).toFixed(2) + "×" : "—").padStart(8)
        } ${String(r.cpuUsPerRequest).padStart(11)} ${
          (naive ? (naive.cpuUsPerRequest / r.cpuUsPerRequest).toFixed(2) + "×" : "—").padStart(9)
        } ${String(r.p99Ms).padStart(7)} ${mib(r.rssBytes).padStart(8)} ${
          (naive ? ((r.rssBytes / naive.rssBytes) * 100).toFixed(0) + "%" : "—").padStart(6)
        } ${String(r.retainedBytes).padStart(9)} ${String(r.errors).padStart(7)}`,
      );
    }
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

const watchdog = setTimeout(() => {
  console.error(`load: deadline of ${DEADLINE_MS / 60_000} min passed; stopping`);
  killAll();
  process.exit(1);
}, DEADLINE_MS);
watchdog.unref();

try {
  await main();
} finally {
  killAll();
}
process.exit(0);
