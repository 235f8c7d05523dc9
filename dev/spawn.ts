/**
 * The one way the tools start processes. Every child runs in its own process
 * group (spawned detached), so stopping it also stops whatever it started
 * (a runtime's workers, a browser's helpers). Groups still alive are killed
 * when this process exits or receives SIGINT/SIGTERM, and every run has a
 * timeout, so a hang becomes a failure with a message instead of a stuck
 * `npm test`.
 *
 * - {@linkcode run}: run to completion, capture output, time out.
 * - {@linkcode start}: a long-running service (a server, workerd) that the
 *   caller stops with `stop()` in a `finally`.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { ROOT } from "./runtimes.ts";

/** How to run a child. */
export interface SpawnOptions {
  /** Working directory; the repository root by default. */
  readonly cwd?: string;
  /** Extra environment variables (added to this process's environment). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called with each chunk of output as it arrives. */
  readonly onOutput?: (chunk: Buffer, stream: "stdout" | "stderr") => void;
}

/** How to run a child to completion. */
export interface RunOptions extends SpawnOptions {
  /** A name for messages, e.g. the step name. */
  readonly label: string;
  /** After this long the whole process group is killed and the run fails. */
  readonly timeoutMs: number;
}

/** What a finished run did. */
export interface RunResult {
  /** The exit code; `null` when killed by a signal (or it never started). */
  readonly code: number | null;
  /** Whether the timeout killed it. */
  readonly timedOut: boolean;
  /** Everything it printed (stdout and stderr interleaved), plus our notes. */
  readonly output: string;
  /** Wall-clock time. */
  readonly ms: number;
}

/** A started long-running child. */
export interface StartedProcess {
  /** The process (its pid is also its process group id). */
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  readonly output: () => string;
  /** Whether it has exited. */
  readonly exited: () => boolean;
  /** Resolves when it exits, with its code (`null` after a signal). */
  readonly exit: Promise<number | null>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once it exited. */
  readonly stop: (graceMs?: number) => Promise<void>;
}

/** Process groups that may still be alive. */
const liveGroups = new Set<number>();
let handlersInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** How long a child gets after SIGTERM to stop what it started before SIGKILL. */
const GRACE_MS = 3000;

/**
 * SIGTERM first, so a child that is itself a tool (tools/e2e.ts under
 * tools/test.ts) runs its own handlers and stops the groups it started;
 * then SIGKILL for whatever is left.
 */
function terminateGroup(pid: number, graceMs: number): void {
  killGroup(pid, "SIGTERM");
  setTimeout(() => killGroup(pid, "SIGKILL"), graceMs).unref();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Synchronous, the only thing an exit handler can do: a last resort.
  process.on("exit", () => {
    for (const pid of liveGroups) killGroup(pid, "SIGKILL");
  });
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.on(signal, () => {
      for (const pid of liveGroups) killGroup(pid, "SIGTERM");
      // Exit once every child is gone (each had GRACE_MS for its own children), or give up.
      const deadline = Date.now() + GRACE_MS + 2000;
      const poll = setInterval(() => {
        if (liveGroups.size > 0 && Date.now() < deadline) return;
        clearInterval(poll);
        process.exit(code); // the exit handler SIGKILLs what is left
      }, 50);
    });
  }
}

function spawnGroup(command: readonly string[], options: SpawnOptions): ChildProcess {
  installExitHandlers();
  const [file, ...args] = command;
  const child = spawn(file, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  return child;
}

function capture(
  child: ChildProcess,
  options: SpawnOptions,
  sink: (text: string) => void,
): void {
  for (const stream of ["stdout", "stderr"] as const) {
    child[stream]?.on("data", (chunk: Buffer) => {
      sink(chunk.toString("utf8"));
      options.onOutput?.(chunk, stream);
    });
  }
}

/**
 * Runs `command` to completion. Never rejects: a child that cannot start,
 * crashes or times out is a result with a non-zero or null `code`.
 */
export function run(command: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    let code: number | null = null;
    let settled = false;
    const note = (text: string): void => {
      output += text;
      options.onOutput?.(Buffer.from(text), "stderr");
    };
    const child = spawnGroup(command, options);
    const pid = child.pid;
    capture(child, options, (text) => (output += text));
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (pid !== undefined) liveGroups.delete(pid);
      resolve({ code, timedOut, output, ms: performance.now() - started });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      note(`\n[${options.label}] timed out after ${options.timeoutMs / 1000} s: killed\n`);
      if (pid !== undefined) terminateGroup(pid, GRACE_MS);
    }, options.timeoutMs);
    child.on("error", (error) => {
      note(`\n[${options.label}] could not start ${command[0]}: ${error.message}\n`);
      finish();
    });
    child.on("exit", (exitCode) => {
      code = timedOut ? null : exitCode;
      // Leftover grandchildren would keep the pipes open (and `close` from firing).
      if (pid !== undefined) killGroup(pid, "SIGKILL");
    });
    child.on("close", finish);
  });
}

/** Starts a long-running child; the caller must `stop()` it on every path. */
export function start(command: readonly string[], options: SpawnOptions = {}): StartedProcess {
  let output = "";
  let exited = false;
  const child = spawnGroup(command, options);
  const pid = child.pid;
  capture(child, options, (text) => (output += text));
  const exit = new Promise<number | null>((resolve) => {
    child.on("error", (error) => {
      output += `\ncould not start ${command[0]}: ${error.message}\n`;
      exited = true;
      resolve(null);
    });
    child.on("exit", (code) => {
      exited = true;
      if (pid !== undefined) {
        killGroup(pid, "SIGKILL"); // whatever it left behind
        liveGroups.delete(pid);
      }
      resolve(code);
    });
  });
  const stop = async (graceMs = GRACE_MS): Promise<void> => {
    if (exited || pid === undefined) return;
    killGroup(pid, "SIGTERM");
    const timer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
    await exit;
    clearTimeout(timer);
  };
  return { child, output: () => output, exited: () => exited, exit, stop };
}

/** Rejects with `message` if `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${message} (timed out after ${ms} ms)`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
