/**
 * Load generation: wrk (one thread, pinned to its own core when possible) for the measured
 * slices, autocannon for mixed-path warm-ups and the soak (wrk takes one URL), and the
 * server's CPU time and memory from /proc.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { run } from "../../dev/services.ts";
import { CONNECTIONS, GENERATOR, GENERATOR_CORE, PINNED } from "./settings.ts";

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** Runs autocannon against `url` for `seconds`, cycling through `paths` when given. */
export function fire(
  url: string,
  seconds: number,
  paths?: readonly string[],
): Promise<AutocannonResult> {
  const cannon = autocannon as unknown as (o: Record<string, unknown>) => Promise<AutocannonResult>;
  return cannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: paths?.map((path) => ({ method: "GET", path })),
  });
}

/** One load run's outcome, whichever generator ran it (errors: socket, timeout, non-2xx). */
export interface LoadRun {
  requestsPerSec: number;
  total: number;
  p99Ms: number;
  errors: number;
}

/** Loads one URL for `seconds` with the chosen generator. */
export async function runLoad(url: string, seconds: number): Promise<LoadRun> {
  if (GENERATOR === "autocannon") {
    const result = await fire(url, seconds);
    return {
      requestsPerSec: result.requests.average,
      total: result.requests.total,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
    };
  }
  const wrk = ["wrk", "-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency", "--timeout", "5s"];
  const command = [...(PINNED ? ["taskset", "-c", GENERATOR_CORE] : []), ...wrk, url];
  const result = await run(command, { label: "wrk", timeoutMs: (seconds + 30) * 1000 });
  if (result.code !== 0) throw new Error(`wrk exited with ${result.code}:\n${result.output}`);
  return parseWrk(result.output);
}

const TIME_UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

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
export function cpuMicros(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * (1e6 / CLOCK_TICKS_PER_SECOND);
  } catch {
    return 0;
  }
}

/** A memory figure of /proc/<pid>/status in bytes (0 off Linux or once the process is gone). */
export function procStatus(pid: number | undefined, field: "VmRSS" | "VmHWM"): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}
