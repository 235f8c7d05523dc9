/**
 * The one process manager of the support code: tools' steps ({@linkcode run}), long-running
 * children ({@linkcode start}), scripts of the current runtime, and real `redis-server` /
 * `nats-server` processes. Every child is stopped on every exit path: explicit stop, timeout,
 * process exit, SIGINT/SIGTERM. A tool's child runs in its own process group (`group: true`), so
 * stopping it also stops what it started; tests, which also run under Deno and Bun, stop the
 * child itself.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import getPort from "get-port";
import { ROOT } from "./runtimes.ts";

/** `$CATGA_REDIS_SERVER` / `$CATGA_NATS_SERVER` point every helper at another (or broken) build. */
export const REDIS_SERVER_PATH: string = process.env.CATGA_REDIS_SERVER || "/usr/bin/redis-server";
/** See {@linkcode REDIS_SERVER_PATH}. */
export const NATS_SERVER_PATH: string = process.env.CATGA_NATS_SERVER || "/usr/sbin/nats-server";
/** Where Debian installs redis-cli (package redis-tools). */
export const REDIS_CLI_PATH = "/usr/bin/redis-cli";

/** The one skip reason of every messaging test, so `npm test` prints one apt command. */
export const MISSING_SERVERS_REASON =
  "messaging tests need redis-server, redis-cli and nats-server (apt-get install redis-server redis-tools nats-server)";
/** Whether the `nats-server` binary exists. */
export const NATS_INSTALLED: boolean = existsSync(NATS_SERVER_PATH);
/** Whether both server binaries exist. */
export const SERVERS_INSTALLED: boolean = existsSync(REDIS_SERVER_PATH) &&
  existsSync(NATS_SERVER_PATH);

const HOST = "127.0.0.1";
/** After SIGTERM, a child gets this long to stop what it started before SIGKILL. */
const GRACE_MS = 3000;

/**
 * How to start a child: working directory (the repository root by default), extra environment,
 * a listener for its output, and whether it runs in its own process group (Node only).
 */
export interface SpawnOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly onOutput?: (chunk: Buffer, stream: "stdout" | "stderr") => void;
  readonly group?: boolean;
}

/** A started child; the caller `stop()`s it on every path. */
export interface StartedProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far, and why it could not start. */
  readonly output: () => string;
  readonly exited: () => boolean;
  /** Resolves when it has exited and its output is complete, with its code (`null`: a signal). */
  readonly exit: Promise<number | null>;
  /** `signal` (SIGTERM) then SIGKILL after `graceMs`; resolves once it exited. */
  readonly stop: (graceMs?: number, signal?: NodeJS.Signals) => Promise<void>;
}

const live = new Map<ChildProcess, boolean>();
const tempDirs = new Set<string>();
let hooked = false;

/** How many children this module started are still running (the fail-fast test reads it). */
export function liveChildren(): number {
  return live.size;
}

function kill(child: ChildProcess, group: boolean, signal: NodeJS.Signals): void {
  try {
    if (group) process.kill(-child.pid!, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

function installExitHooks(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const [child, group] of live) kill(child, group, "SIGKILL");
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
      // SIGTERM first, so a child that is itself a tool stops its own children.
      for (const [child, group] of live) kill(child, group, "SIGTERM");
      const deadline = Date.now() + GRACE_MS + 2000;
      const poll = setInterval(() => {
        if (live.size > 0 && Date.now() < deadline) return;
        clearInterval(poll);
        process.exit(code); // the exit hook SIGKILLs what is left
      }, 50);
    });
  }
}

/** Starts `command`; it never throws: a child that cannot start has exited with `null`. */
export function start(command: readonly string[], options: SpawnOptions = {}): StartedProcess {
  installExitHooks();
  const [file, ...args] = command;
  const group = options.group ?? false;
  const child = spawn(file, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: group,
  });
  live.set(child, group);
  let output = "";
  let exited = false;
  const sink = (chunk: Buffer, stream: "stdout" | "stderr") => {
    output += chunk.toString("utf8");
    options.onOutput?.(chunk, stream);
  };
  child.stdout.on("data", (chunk: Buffer) => sink(chunk, "stdout"));
  child.stderr.on("data", (chunk: Buffer) => sink(chunk, "stderr"));
  const exit = new Promise<number | null>((resolve) => {
    const done = (code: number | null) => {
      exited = true;
      live.delete(child);
      resolve(code);
    };
    child.once("error", (error) => {
      sink(Buffer.from(`could not start ${file}: ${error.message}\n`), "stderr");
      done(null);
    });
    child.once("exit", (code) => {
      exited = true;
      // Leftovers of its group would hold the pipes open: "close" would never come.
      if (group) kill(child, true, "SIGKILL");
      setTimeout(() => done(code), 1000).unref();
    });
    child.once("close", (code) => done(code));
  });
  const stop = async (graceMs = GRACE_MS, signal: NodeJS.Signals = "SIGTERM") => {
    if (exited) return;
    kill(child, group, signal);
    const timer = setTimeout(() => kill(child, group, "SIGKILL"), graceMs);
    await exit;
    clearTimeout(timer);
  };
  return { child, output: () => output, exited: () => exited, exit, stop };
}

/**
 * A finished run: `code` is `null` after a signal, a timeout or a failed start; `output` is all it
 * printed (stdout and stderr interleaved), plus our notes.
 */
export type RunResult = { code: number | null; timedOut: boolean; output: string; ms: number };

/**
 * Runs `command` to completion in its own process group (unless `group: false`), stopped after
 * `timeoutMs`; `label` names it in messages. Never rejects.
 */
export async function run(
  command: readonly string[],
  options: SpawnOptions & { readonly label: string; readonly timeoutMs: number },
): Promise<RunResult> {
  const began = performance.now();
  const child = start(command, { group: true, ...options });
  let note = "";
  const timer = setTimeout(() => {
    note = `\n[${options.label}] timed out after ${options.timeoutMs / 1000} s: killed\n`;
    options.onOutput?.(Buffer.from(note), "stderr");
    void child.stop();
  }, options.timeoutMs);
  const code = await child.exit;
  clearTimeout(timer);
  const [timedOut, ms] = [note !== "", performance.now() - began];
  return { code: timedOut ? null : code, timedOut, output: child.output() + note, ms };
}

/** Rejects with `message` if `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} (timed out after ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` every `everyMs` until it gives a value; rejects with `why()` after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  why: () => string,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${why()} (within ${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

const SCRIPT_RUNTIME = (globalThis as { Deno?: unknown }).Deno === undefined
  ? [process.execPath]
  : [process.execPath, "run", "-A"];

/** Runs a TypeScript file in a child of the current runtime (Node, Deno or Bun). */
export function spawnScript(script: string, args: readonly string[]): ChildProcess {
  return start([...SCRIPT_RUNTIME, script, ...args], { cwd: process.cwd() }).child;
}

/** How a script run by {@linkcode runScript} ended (`code` is `null` after a signal). */
export type ScriptResult = { code: number | null; stdout: string; stderr: string };

/** Runs a script ({@linkcode spawnScript}) to its end; rejects, killing it, after `timeoutMs`. */
export async function runScript(script: string, timeoutMs = 30_000): Promise<ScriptResult> {
  const out = { stdout: "", stderr: "" };
  const onOutput = (chunk: Buffer, stream: keyof typeof out) => out[stream] += chunk;
  const child = start([...SCRIPT_RUNTIME, script], { cwd: process.cwd(), onOutput });
  const code = await withTimeout(child.exit, timeoutMs, "the script was still running")
    .catch(async (error) => {
      await child.stop(0, "SIGKILL");
      throw new Error(`${error.message}:\n${child.output()}`);
    });
  return { code, ...out };
}

/** Resolves with the child's stdout so far once it matches `pattern`; rejects if it exits first. */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs: number,
): Promise<string> {
  let out = "";
  const onData = (chunk: Uint8Array) => out += chunk;
  child.stdout?.on("data", onData);
  const seen = waitFor(
    () => {
      if (pattern.test(out)) return out;
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`Cannot see ${pattern}: child exited with ${child.exitCode}: ${out}`);
      }
    },
    timeoutMs,
    () => `Cannot see ${pattern}: ${out}`,
    20,
  );
  return seen.finally(() => child.stdout?.off("data", onData));
}

/** Kills a child with SIGKILL and waits for it to exit. */
export async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/** A free port on the loopback address. */
export function freePort(): Promise<number> {
  return getPort({ host: HOST });
}

/**
 * A server started by {@linkcode startServer}. `stop` (SIGTERM, or `signal`, then SIGKILL after
 * 5 s) keeps its data dir for `start` (when stopped) and `restart` on the same port; `close`
 * also removes the dir, and is safe to call twice.
 */
export interface ServerHandle {
  /** `redis://127.0.0.1:port` or `nats://127.0.0.1:port`. */
  readonly url: string;
  readonly port: number;
  readonly running: boolean;
  /** The tail of its output. */
  readonly log: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How to start a server: its name in messages ("redis", "NATS node n1"), port (default: a free
 * one), data dir (default: a new temp dir), and its own ready line, which no other listener on
 * the port can fake, due within `timeoutMs` (default 10 s).
 */
export interface ServerSpec {
  readonly name: string;
  readonly scheme: "redis" | "nats";
  readonly binary: string;
  readonly port?: number;
  readonly dir?: string;
  readonly args: (port: number, dir: string) => string[];
  readonly ready: RegExp;
  readonly timeoutMs?: number;
}

/**
 * Starts a server and resolves once it printed its ready line. Rejects, with nothing left
 * running, as soon as the binary cannot be run or exits, or when it is not ready in time.
 */
export async function startServer(spec: ServerSpec): Promise<ServerHandle> {
  const dir = spec.dir ?? mkdtempSync(join(tmpdir(), `catga-${spec.scheme}-`));
  mkdirSync(dir, { recursive: true });
  tempDirs.add(dir);
  const port = spec.port ?? await freePort();
  const timeoutMs = spec.timeoutMs ?? 10_000;
  let proc: StartedProcess | undefined;
  const launch = async () => {
    const started = start([spec.binary, ...spec.args(port, dir)], { cwd: dir });
    proc = started;
    const fail = (why: string) =>
      new Error(
        `Cannot start ${spec.name} (${spec.binary}) on ${HOST}:${port}: ${why}: ${
          started.output().trim().slice(-600)
        }`,
      );
    try {
      await waitFor(
        async () => {
          if (spec.ready.test(started.output())) return true;
          if (started.exited()) {
            const code = await started.exit;
            throw fail(`it exited (${code === null ? started.child.signalCode : `code ${code}`})`);
          }
        },
        timeoutMs,
        () => fail("not ready").message,
        20,
      );
    } catch (error) {
      await started.stop(0, "SIGKILL");
      throw error;
    }
  };
  let closed = false;
  const handle: ServerHandle = {
    url: `${spec.scheme}://${HOST}:${port}`,
    port,
    get running() {
      return proc !== undefined && !proc.exited();
    },
    log: () => proc?.output().slice(-4000) ?? "",
    stop: async (signal = "SIGTERM") => await proc?.stop(5000, signal),
    start: async () => {
      if (!handle.running) await launch();
    },
    restart: async () => {
      await handle.stop();
      await launch();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
  try {
    await launch();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** Starts servers side by side; if any fails, the others are closed before this rejects. */
export async function startAll<T extends readonly Promise<ServerHandle>[]>(
  starts: T,
): Promise<{ -readonly [K in keyof T]: ServerHandle }> {
  const settled = await Promise.allSettled(starts);
  const failure = settled.find((result) => result.status === "rejected");
  const handles = settled.flatMap((result) => result.status === "fulfilled" ? [result.value] : []);
  if (failure === undefined) return handles as { -readonly [K in keyof T]: ServerHandle };
  for (const handle of handles) await handle.close();
  throw failure.reason;
}

/** The executable (default {@linkcode REDIS_SERVER_PATH} / {@linkcode NATS_SERVER_PATH}) and port. */
type ServerOptions = { readonly binary?: string; readonly port?: number };

/** The `redis-server` arguments of a standalone server or a cluster node. */
export function redisArgs(port: number, dir: string, durable = true): string[] {
  return [
    ...["--port", String(port), "--bind", HOST, "--dir", dir, "--save", ""],
    ...["--appendonly", durable ? "yes" : "no", "--appendfsync", "everysec"],
    ...["--protected-mode", "yes", "--daemonize", "no", "--logfile", ""],
  ];
}

/**
 * Starts a `redis-server` with an append-only file, so that a restart (SIGTERM fsyncs it)
 * keeps everything a client saw acknowledged; `durable: false` (the bench) keeps data in memory.
 */
export function startRedis(
  options: ServerOptions & { durable?: boolean } = {},
): Promise<ServerHandle> {
  return startServer({
    name: "redis",
    scheme: "redis",
    binary: options.binary ?? REDIS_SERVER_PATH,
    port: options.port,
    args: (port, dir) => redisArgs(port, dir, options.durable),
    ready: /Ready to accept connections/,
  });
}

/** Starts a `nats-server`: core NATS, or JetStream storing in its temp dir (`jetstream: true`). */
export function startNats(
  options: ServerOptions & { jetstream?: boolean } = {},
): Promise<ServerHandle> {
  const jetstream = options.jetstream;
  return startServer({
    name: "nats",
    scheme: "nats",
    binary: options.binary ?? NATS_SERVER_PATH,
    port: options.port,
    args: (
      port,
      dir,
    ) => ["-a", HOST, "-p", String(port), ...(jetstream ? ["-js", "-sd", dir] : [])],
    ready: /Server is ready/,
  });
}
