/**
 * Starting and stopping the example services (examples/bun.ts, deno.ts, node.ts)
 * on free loopback ports, for the e2e test, the browser test and the load bench.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT: string = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "node_modules", ".bin");

/** A runtime with an example service. */
export type ServerRuntime = "bun" | "deno" | "node";

/** How to start one runtime's example service. */
export interface ServerSpec {
  /** The runtime. */
  readonly name: ServerRuntime;
  /** The runtime's executable. */
  readonly command: string;
  /** Arguments that start the service. */
  readonly args: readonly string[];
}

/** The three example services. */
export const EXAMPLE_SERVERS: readonly ServerSpec[] = [
  { name: "bun", command: join(BIN, "bun"), args: ["examples/bun.ts"] },
  { name: "deno", command: join(BIN, "deno"), args: ["run", "-A", "--quiet", "examples/deno.ts"] },
  { name: "node", command: join(ROOT, "node_modules", "node", "bin", "node"), args: ["examples/node.ts"] },
];

/** A started service, with its output so far (shown when something fails). */
export interface RunningServer {
  /** The runtime. */
  readonly name: ServerRuntime;
  /** The process. */
  readonly child: ChildProcess;
  /** e.g. http://127.0.0.1:40123 */
  readonly base: string;
  /** Everything it printed. */
  output: string;
  /** Whether it has exited. */
  exited: boolean;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a runtime's example service and waits until `/stats` answers. */
export async function startExampleServer(
  name: ServerRuntime,
  env: Record<string, string> = {},
  readyTimeoutMs = 30_000,
): Promise<RunningServer> {
  const spec = EXAMPLE_SERVERS.find((server) => server.name === name)!;
  const port = await freePort();
  const child = spawn(spec.command, spec.args, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const running: RunningServer = {
    name,
    child,
    base: `http://127.0.0.1:${port}`,
    output: "",
    exited: false,
  };
  child.stdout?.on("data", (chunk: Buffer) => (running.output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (running.output += chunk));
  child.on("exit", () => (running.exited = true));
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (running.exited) throw new Error(`${name} exited before it was ready:\n${running.output}`);
    try {
      const response = await fetch(`${running.base}/stats`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return running;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopServer(running);
  throw new Error(`${name} was not ready within ${readyTimeoutMs} ms:\n${running.output}`);
}

/** Stops a service: SIGTERM, then SIGKILL after 3 s. */
export async function stopServer(running: RunningServer): Promise<void> {
  if (running.exited) return;
  const exited = new Promise((resolve) => running.child.once("exit", resolve));
  running.child.kill("SIGTERM");
  const timer = setTimeout(() => running.child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}
