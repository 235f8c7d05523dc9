/**
 * The example service on each runtime for the load bench: fresh servers (dev/example_servers,
 * pinned to the server core when the generator is pinned) and their `/stats`.
 *
 * @module
 */
import {
  type RunningServer,
  type ServerRuntime,
  startExampleServer,
  stopServer,
} from "../../dev/example_servers.ts";
import { RUNTIMES as BINARIES } from "../../dev/runtimes.ts";
import { run } from "../../dev/services.ts";
import { type LoadRuntime, PINNED, SERVER_CORES } from "./settings.ts";

export type { RunningServer };
export { stopServer };

/** Starts a fresh example service; it is stopped on every exit path (dev/spawn). */
export function startServer(runtime: LoadRuntime): Promise<RunningServer> {
  const wrapper = PINNED ? ["taskset", "-c", SERVER_CORES] : [];
  // The example servers name Node 24 "node", as the other benches' old file names did.
  const name: ServerRuntime = runtime === "node24" ? "node" : runtime;
  return startExampleServer(name, {}, 30_000, wrapper);
}

export interface StatsBody {
  retainedBytes: number;
  hits: number;
  misses: number;
  outstanding: number;
  tiers: { name: string; retainedBytes: number }[];
  classes?: Record<string, unknown>[];
}

export async function stats(server: RunningServer): Promise<StatsBody> {
  const response = await fetch(`${server.base}/stats`, { signal: AbortSignal.timeout(2000) });
  return await response.json() as StatsBody;
}

/** The body path each `/messages/*` route takes on this runtime (`GET /paths`). */
export async function routePaths(
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

/** "bun 1.4.5", "node 24.9.0". */
export async function runtimeVersion(runtime: LoadRuntime): Promise<string> {
  const result = await run([BINARIES[runtime], "--version"], {
    label: `${runtime} --version`,
    timeoutMs: 30_000,
  });
  const version = /(\d+\.\d+\.\d+)/.exec(result.output)?.[1] ?? "unknown";
  return `${runtime.startsWith("node") ? "node" : runtime} ${version}`;
}
