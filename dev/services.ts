/**
 * Child processes for the tests and bench, each stopped on every exit path
 * (explicit stop, process exit, signals): scripts on the current runtime, and
 * real `redis-server` and `nats-server` processes for the messaging tests and
 * bench, each on a free 127.0.0.1 port, in its own temp dir, with a kill
 * timeout.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import getPort from "get-port";

/**
 * The server binaries: Debian's paths, or `$CATGA_REDIS_SERVER` / `$CATGA_NATS_SERVER` (how a
 * test, or a person, points every helper at another build, or at a broken one).
 */
export const REDIS_SERVER_PATH: string = process.env.CATGA_REDIS_SERVER || "/usr/bin/redis-server";
/** See {@linkcode REDIS_SERVER_PATH}. */
export const NATS_SERVER_PATH: string = process.env.CATGA_NATS_SERVER || "/usr/sbin/nats-server";

/**
 * The skip reason every messaging test (single servers, clusters, the chaos run) gives when a
 * server binary is missing: one reason, so `npm test` prints one SKIPPED line with one apt command.
 */
export const MISSING_SERVERS_REASON =
  "messaging tests need redis-server, redis-cli and nats-server (apt-get install redis-server redis-tools nats-server)";

/** The skip reason of the tests that need only `nats-server` (JetStream included). */
export const MISSING_NATS_REASON: string = MISSING_SERVERS_REASON;

/** Whether the `nats-server` binary exists. */
export const NATS_INSTALLED: boolean = existsSync(NATS_SERVER_PATH);

/** Whether both server binaries exist. */
export const SERVERS_INSTALLED: boolean = existsSync(REDIS_SERVER_PATH) &&
  existsSync(NATS_SERVER_PATH);

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** How many children this module started are still running (the fail-fast test reads it). */
export function liveChildren(): number {
  return running.size;
}

/** Kills every server still running; synchronous so it works in an `exit` handler. */
function killAll(): void {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/**
 * Puts a child this module did not spawn under the same guard: it is killed
 * with the servers on every exit path (the Redis and NATS cluster helpers).
 */
export function trackChild(child: ChildProcess): ChildProcess {
  installExitHook();
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** A free port on the loopback address. */
export function freePort(): Promise<number> {
  return getPort({ host: HOST });
}

/**
 * Runs a TypeScript file in a child process of the current runtime (Node,
 * Deno or Bun), killed with the servers on every exit path.
 */
export function spawnScript(script: string, args: readonly string[]): ChildProcess {
  installExitHook();
  const g = globalThis as { Deno?: unknown };
  const runtimeArgs = g.Deno !== undefined ? ["run", "-A", script] : [script];
  const child = spawn(process.execPath, [...runtimeArgs, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** How a script run by {@linkcode runScript} ended. */
export interface ScriptResult {
  /** The exit code (`null` when a signal ended it). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript file to its end in a child process of the current runtime
 * ({@linkcode spawnScript}); rejects, with the child killed, if it is still
 * running after `timeoutMs`.
 */
export function runScript(script: string, timeoutMs = 30_000): Promise<ScriptResult> {
  const child = spawnScript(script, []);
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Uint8Array) => stdout += String(chunk));
    child.stderr?.on("data", (chunk: Uint8Array) => stderr += String(chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the script was still running after ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Resolves with the child's stdout so far once a line matches `pattern`;
 * rejects if it exits first or after `timeoutMs`.
 */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(out);
    };
    const onData = (chunk: Uint8Array) => {
      out += String(chunk);
      if (pattern.test(out)) finish();
    };
    const onExit = (code: number | null) =>
      finish(new Error(`Cannot see ${pattern}: child exited with ${code}: ${out}${err}`));
    const timer = setTimeout(
      () => finish(new Error(`Cannot see ${pattern} within ${timeoutMs} ms: ${out}${err}`)),
      timeoutMs,
    );
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Uint8Array) => err += String(chunk));
    child.once("exit", onExit);
  });
}

/** Kills a child with SIGKILL and waits for it to exit. */
export async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  await exited;
}

/** A server process this module started. */
export interface ServerHandle {
  /** `redis://127.0.0.1:port` or `nats://127.0.0.1:port`. */
  readonly url: string;
  readonly port: number;
  /** Stops the process (SIGTERM, then SIGKILL after a timeout); keeps the data dir for a restart. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  restart(): Promise<void>;
  /** Stops it and removes its temp dir. Safe to call twice. */
  close(): Promise<void>;
}

/** Where and how to start a server; the defaults are the installed binary and a free port. */
export interface ServerOptions {
  /** The executable (default {@linkcode REDIS_SERVER_PATH} / {@linkcode NATS_SERVER_PATH}). */
  readonly binary?: string;
  /** The port (default: a free one). */
  readonly port?: number;
}

interface Spec {
  kind: "redis" | "nats";
  binary: string;
  port?: number;
  args: (port: number, dir: string) => string[];
  /** The line the server prints once it listens: its own word, not any listener's on the port. */
  ready: RegExp;
}

/**
 * Starts a server and resolves once it printed its ready line. Rejects, with nothing left
 * running, as soon as the binary cannot be run, exits, or says nothing ready within 10 s.
 */
async function startServer(spec: Spec): Promise<ServerHandle> {
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), `catga-${spec.kind}-`));
  const port = spec.port ?? await getPort({ host: HOST });
  let child: ChildProcess | undefined;

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      let log = "";
      const proc = spawn(spec.binary, spec.args(port, dir), {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = proc;
      running.add(proc);
      const fail = (why: string) => {
        clearTimeout(timer);
        proc.kill("SIGKILL");
        running.delete(proc);
        reject(new Error(`Cannot start ${spec.kind} (${spec.binary}) on ${HOST}:${port}: ${why}`));
      };
      const timer = setTimeout(
        () => fail(`not ready within ${START_TIMEOUT_MS} ms: ${log.slice(-400)}`),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Uint8Array) => {
        log += String(chunk);
        if (spec.ready.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout?.on("data", onData);
      proc.stderr?.on("data", onData);
      proc.once("error", (error) => fail(error.message));
      proc.once("exit", () => running.delete(proc));
      // "close", not "exit": by then its last words are in the log.
      proc.once("close", (code, signal) =>
        fail(`it exited (${signal ?? `code ${code}`}): ${log.slice(-400)}`));
    });

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let closed = false;
  return {
    url: `${spec.kind}://${HOST}:${port}`,
    port,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts servers side by side. If any fails, the others are closed before this rejects, so no
 * server outlives a failed start (one left running would keep the test process alive).
 */
export async function startAll<T extends readonly Promise<ServerHandle>[]>(
  starts: T,
): Promise<{ -readonly [K in keyof T]: ServerHandle }> {
  const settled = await Promise.allSettled(starts);
  const failure = settled.find((result) => result.status === "rejected");
  if (failure === undefined) {
    return settled.map((result) => (result as PromiseFulfilledResult<ServerHandle>).value) as {
      -readonly [K in keyof T]: ServerHandle;
    };
  }
  for (const result of settled) if (result.status === "fulfilled") await result.value.close();
  throw failure.reason;
}

/**
 * Starts a `redis-server` with an append-only file, so that a restart (SIGTERM
 * fsyncs it on shutdown) keeps everything a client saw acknowledged;
 * `durable: false` (the bench) keeps data in memory only.
 */
export function startRedis(
  options: ServerOptions & { durable?: boolean } = {},
): Promise<ServerHandle> {
  const durable = options.durable ?? true;
  return startServer({
    kind: "redis",
    binary: options.binary ?? REDIS_SERVER_PATH,
    port: options.port,
    args: (port, dir) => [
      "--port",
      String(port),
      "--bind",
      HOST,
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      durable ? "yes" : "no",
      "--appendfsync",
      "everysec",
      "--protected-mode",
      "yes",
      "--daemonize",
      "no",
      "--logfile",
      "",
    ],
    ready: /Ready to accept connections/,
  });
}

/**
 * Starts a `nats-server`: core NATS, or with `jetstream: true` JetStream storing in its temp dir
 * (kept across a restart).
 */
export function startNats(
  options: ServerOptions & { jetstream?: boolean } = {},
): Promise<ServerHandle> {
  return startServer({
    kind: "nats",
    binary: options.binary ?? NATS_SERVER_PATH,
    port: options.port,
    args: (port, dir) => [
      "-a",
      HOST,
      "-p",
      String(port),
      ...(options.jetstream ? ["-js", "-sd", dir] : []),
    ],
    ready: /Server is ready/,
  });
}
