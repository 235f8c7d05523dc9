/**
 * The example services (examples/bun.ts, deno.ts, node.ts) on free loopback ports, for the e2e
 * test, the browser test and the load bench.
 *
 * @module
 */
import { join } from "node:path";
import { freePort, start, type StartedProcess, waitFor } from "./services.ts";
import { ROOT, RUNTIMES } from "./runtimes.ts";

export { ROOT };

/** A runtime with an example service. */
export type ServerRuntime = "bun" | "deno" | "node" | "node26";

/** The example services: each runtime's name, and the command and arguments that start it. */
export const EXAMPLE_SERVERS: readonly {
  readonly name: ServerRuntime;
  readonly command: string;
  readonly args: readonly string[];
}[] = [
  { name: "bun", command: RUNTIMES.bun, args: ["examples/bun.ts"] },
  { name: "deno", command: RUNTIMES.deno, args: ["run", "-A", "--quiet", "examples/deno.ts"] },
  { name: "node", command: RUNTIMES.node24, args: [join("examples", "node.ts")] },
  { name: "node26", command: RUNTIMES.node26, args: [join("examples", "node.ts")] },
];

/** A started service (leading its own process group) and its base URL: http://127.0.0.1:port. */
export type RunningServer = StartedProcess & {
  readonly name: ServerRuntime;
  readonly base: string;
};

/**
 * Starts a runtime's example service (under `wrapper`, e.g. `["taskset", "-c", "0"]`) and waits
 * until `/stats` answers. On any failure the service is stopped before this rejects.
 */
export async function startExampleServer(
  name: ServerRuntime,
  env: Record<string, string> = {},
  readyTimeoutMs = 30_000,
  wrapper: readonly string[] = [],
): Promise<RunningServer> {
  const spec = EXAMPLE_SERVERS.find((server) => server.name === name)!;
  const port = await freePort();
  const handle = start([...wrapper, spec.command, ...spec.args], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    group: true,
  });
  const running: RunningServer = { ...handle, name, base: `http://127.0.0.1:${port}` };
  try {
    await waitFor(
      async () => {
        if (handle.exited()) {
          throw new Error(`${name} exited before it was ready:\n${handle.output()}`);
        }
        const response = await fetch(`${running.base}/stats`, { signal: AbortSignal.timeout(1000) })
          .catch(() => undefined); // not listening yet
        await response?.arrayBuffer();
        return response?.ok ? running : undefined;
      },
      readyTimeoutMs,
      () => `${name} was not ready:\n${handle.output()}`,
    );
    return running;
  } catch (error) {
    await handle.stop();
    throw error;
  }
}

/** Stops a service and everything it started: SIGTERM, then SIGKILL after 3 s. */
export async function stopServer(running: RunningServer): Promise<void> {
  await running.stop(3000);
}
