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
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { freePort } from "../dev/example_servers.ts";
import type { LoadReport, LoadRouteResult, SoakResult, SoakSample } from "../dev/schema_load.ts";
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
if (RUNTIMES.length === 0) RUNTIMES.push("bun", "deno", "node24", "node26");

/** Seconds per measured slice (whole seconds: wrk's `-d` takes no fractions). */
const SLICE_SECONDS = Number(process.env.LOAD_SLICE_SECONDS ?? 1);
/**
 * Slices per route in a set. One slice's requests/s can stray ±25% on this
 * machine; the median of 18 paired ratios (3 sets × 6) settles to a few %.
 */
const SLICES = Number(process.env.LOAD_SLICES ?? (QUICK ? 1 : EXPLORE ? 4 : 6));
/** Sets of fresh servers per runtime. */
const SETS = Number(process.env.LOAD_SETS ?? (QUICK ? 1 : EXPLORE ? 2 : 3));
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
// A second of load is thousands of requests: enough to JIT every route's path.
const WARMUP_SECONDS = 1;
/** The pause between the warm-ups and the first slice of a set. */
const SETTLE_MS = 2000;
const SOAK = QUICK ? { load: 8, idle: 6, burst: 3 } : { load: 60, idle: 20, burst: 5 };
const SAMPLE_MS = 250;
/** The whole bench stops by itself after this long, whatever happens. */
const DEADLINE_MS = (QUICK ? 5 : 40) * 60_000;

/** `wrk` when it is installed (and not overridden), else autocannon. */
const GENERATOR: "wrk" | "autocannon" = process.env.LOAD_GENERATOR !== "autocannon" &&
    spawnSync("wrk", ["--version"]).error === undefined
  ? "wrk"
  : "autocannon";
const CORES = availableParallelism();
/** Server on core 0, wrk on the last core: only with taskset, 2+ cores and wrk. */
const PINNED = GENERATOR === "wrk" && CORES >= 2 &&
  spawnSync("taskset", ["-c", "0", "true"]).status === 0;
const SERVER_CORES = "0";
const GENERATOR_CORE = String(CORES - 1);

const SIZES = ["small", "medium", "large"] as const;

/** Every body path of every size and format, and the baseline: the varied warm-up's mix. */
const VARIED_PATHS: readonly string[] = SIZES.flatMap((size) => [
  `/naive/${size}?format=json`,
  `/messages/${size}?format=json&via=native`,
  `/messages/${size}?format=json&via=pooled`,
  `/messages/${size}?format=json&via=owned`,
  `/messages/${size}?format=msgpack&via=pooled`,
  `/messages/${size}?format=msgpack&via=owned`,
]);

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
  const [command, commandArgs] = PINNED
    ? ["taskset", ["-c", SERVER_CORES, spec.command, ...spec.args]]
    : [spec.command, spec.args];
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  }) as ChildProcess;
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
  for (const generator of generators) generator.kill("SIGKILL");
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

function fire(
  url: string,
  seconds: number,
  paths?: readonly string[],
): Promise<AutocannonResult> {
  return cannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: paths?.map((path) => ({ method: "GET", path })),
  });
}

/** One load run's outcome, whichever generator ran it. */
interface LoadRun {
  requestsPerSec: number;
  total: number;
  p99Ms: number;
  /** Socket errors, timeouts and non-2xx responses. */
  errors: number;
}

/** Every wrk still running, so that any exit path can kill it. */
const generators = new Set<ChildProcess>();

async function runLoad(url: string, seconds: number): Promise<LoadRun> {
  if (GENERATOR === "autocannon") {
    const result = await fire(url, seconds);
    return {
      requestsPerSec: result.requests.average,
      total: result.requests.total,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
    };
  }
  const wrkArgs = ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency", "--timeout", "5s", url];
  const [command, commandArgs] = PINNED
    ? ["taskset", ["-c", GENERATOR_CORE, "wrk", ...wrkArgs]]
    : ["wrk", wrkArgs];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });
    generators.add(child);
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk));
    child.stderr.on("data", (chunk: Buffer) => (text += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      generators.delete(child);
      if (code === 0) resolve(text);
      else reject(new Error(`wrk exited with ${code}:\n${text}`));
    });
  });
  return parseWrk(output);
}

const TIME_UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Reads wrk's `--latency` report. */
function parseWrk(text: string): LoadRun {
  const total = /(\d+) requests in /.exec(text);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(text);
  if (total === null || rate === null) throw new Error(`Cannot read wrk's output:\n${text}`);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    requestsPerSec: Number(rate[1]),
    total: Number(total[1]),
    p99Ms: p99 === null ? 0 : Number(p99[1]) * TIME_UNITS_MS[p99[2]],
    errors: (socket === null ? 0 : socket.slice(1).reduce((sum, n) => sum + Number(n), 0)) +
      (non2xx === null ? 0 : Number(non2xx[1])),
  };
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
  /** The route it is compared with (`/naive/{size}`; in --explore the native JSON path); none for a baseline. */
  baseline?: string;
}

interface SliceResult {
  requestsPerSec: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  errors: number;
}

/** One route's results in one set: a slice each, then the server's peak RSS and the pool's retained bytes. */
interface RouteInSet {
  slices: SliceResult[];
  rssBytes: number;
  rssEndBytes: number;
  retainedBytes: number;
}

async function measureSlice(server: Server, route: string): Promise<SliceResult> {
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

/**
 * One set: a fresh server per route, all started at once; a warm-up each;
 * then SLICES slices of every route, the order rotated each slice so that no
 * route always runs first; then each server's peak RSS and retained bytes.
 */
async function measureSet(
  runtime: LoadRuntime,
  cases: RouteCase[],
  set: number,
): Promise<Map<string, RouteInSet>> {
  const servers = new Map<string, Server>();
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
    await sleep(SETTLE_MS);
    const results = new Map<string, RouteInSet>(
      cases.map((
        { route },
      ) => [route, { slices: [], rssBytes: 0, rssEndBytes: 0, retainedBytes: 0 }]),
    );
    for (let slice = 0; slice < SLICES; slice++) {
      const shift = (slice + set) % cases.length;
      for (const { route } of [...cases.slice(shift), ...cases.slice(0, shift)]) {
        const result = await measureSlice(servers.get(route)!, route);
        results.get(route)!.slices[slice] = result;
        console.log(
          `  set ${set + 1}/${SETS} slice ${slice + 1}/${SLICES} ${runtime.padEnd(6)} ` +
            `${route.padEnd(44)} ${String(result.requestsPerSec).padStart(7)} req/s, ` +
            `${result.cpuUsPerRequest.toFixed(1)} µs CPU/req, p99 ${result.p99Ms} ms` +
            (result.errors > 0 ? `, ${result.errors} errors` : ""),
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
function summarize(routeCase: RouteCase, sets: Map<string, RouteInSet>[]): LoadRouteResult {
  const mine = sets.map((set) => set.get(routeCase.route)!);
  const slices = mine.flatMap((entry) => entry.slices);
  const result: LoadRouteResult = {
    route: routeCase.route,
    bodyPath: routeCase.bodyPath,
    requestsPerSec: median(slices.map((r) => r.requestsPerSec)),
    p99Ms: Math.round(median(slices.map((r) => r.p99Ms)) * 100) / 100,
    cpuUsPerRequest: round1(median(slices.map((r) => r.cpuUsPerRequest))),
    rssBytes: median(mine.map((entry) => entry.rssBytes)),
    rssEndBytes: median(mine.map((entry) => entry.rssEndBytes)),
    retainedBytes: median(mine.map((entry) => entry.retainedBytes)),
    errors: slices.reduce((sum, r) => sum + r.errors, 0),
    rounds: slices.map((r) => r.requestsPerSec),
  };
  if (routeCase.baseline !== undefined) {
    const baseline = sets.map((set) => set.get(routeCase.baseline!)!);
    /** One ratio per slice, against the baseline's slice of the same set and index. */
    const perSlice = (ratio: (mine: SliceResult, base: SliceResult) => number) =>
      mine.flatMap((entry, set) =>
        entry.slices.map((slice, i) => ratio(slice, baseline[set].slices[i]))
      );
    /** One ratio per set, against the baseline's server of the same set. */
    const perSet = (ratio: (mine: RouteInSet, base: RouteInSet) => number) =>
      mine.map((entry, set) => ratio(entry, baseline[set]));
    const speed = perSlice((m, b) => m.requestsPerSec / b.requestsPerSec);
    result.baseline = routeCase.baseline;
    result.requestsRatio = round3(median(speed));
    result.requestsRatioQuartiles = [round3(quantile(speed, 0.25)), round3(quantile(speed, 0.75))];
    result.cpuRatio = round3(median(perSlice((m, b) => b.cpuUsPerRequest / m.cpuUsPerRequest)));
    result.rssRatio = round3(median(perSet((m, b) => m.rssBytes / b.rssBytes)));
    result.rssEndRatio = round3(median(perSet((m, b) => m.rssEndBytes / b.rssEndBytes)));
  }
  return result;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
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
      const native = `/messages/${size}?format=json&via=native`;
      cases.push({ route: native, bodyPath: "native" });
      for (const via of ["pooled", "owned"]) {
        cases.push({
          route: `/messages/${size}?format=json&via=${via}`,
          bodyPath: via,
          baseline: native,
        });
      }
      for (const via of ["pooled", "owned"]) {
        cases.push({
          route: `/messages/${size}?format=msgpack&via=${via}`,
          bodyPath: via,
          baseline: native,
        });
      }
      continue;
    }
    // The same query as the JSON route: the request lines then differ by a word of the path,
    // and the server parses the same query for both, so only the body differs.
    const naive = `/naive/${size}?format=json`;
    // The baseline between its two routes, so each pairs with a slice next to it in time.
    cases.push({
      route: `/messages/${size}?format=json`,
      bodyPath: paths.json[size],
      baseline: naive,
    });
    cases.push({ route: naive, bodyPath: "naive" });
    cases.push({
      route: `/messages/${size}?format=msgpack`,
      bodyPath: paths.msgpack[size],
      baseline: naive,
    });
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

/** The q-quantile, interpolated between the nearest ranks. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function median(values: number[]): number {
  return quantile(values, 0.5);
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
    console.log(
      "route                                        path     req/s  ratio  CPU µs/req  CPU ratio  p99 ms  RSS MiB  RSS ratio  retained  errors",
    );
    for (const r of report.routes) {
      const ratio = (value: number | undefined) =>
        (value === undefined ? "—" : value.toFixed(2) + "×").padStart(6);
      console.log(
        `${r.route.padEnd(44)} ${r.bodyPath.padEnd(7)} ${String(r.requestsPerSec).padStart(7)} ${
          ratio(r.requestsRatio)
        } ${String(r.cpuUsPerRequest).padStart(11)} ${ratio(r.cpuRatio).padStart(10)} ${
          String(r.p99Ms).padStart(7)
        } ${mib(r.rssBytes).padStart(8)} ${ratio(r.rssRatio).padStart(10)} ${
          String(r.retainedBytes).padStart(9)
        } ${String(r.errors).padStart(7)}`,
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
