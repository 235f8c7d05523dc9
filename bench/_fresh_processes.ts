/**
 * Times each group of a bench in fresh processes of the same runtime: the bench file runs again
 * per group with `BENCH_GROUP_INDEX` set, times that one group and prints its entries; the parent
 * runs `BENCH_PROCESSES` (default 5) such processes per group, spread over the run, then more for
 * the groups whose judged figure is still unsure (see {@linkcode Judge}), and keeps per contender
 * the median of their figures, each process's first divided by its speed factor.
 *
 * Why: timed in one process, a group's figures depended on the heap the groups before it left
 * (Deno's 1 MiB `toHex` took 0.6 ms alone and 3.5 ms after the smaller hex groups, while
 * `Buffer#toString` went from 5.8 to 1.5 ms); and now and then one process runs one contender at
 * 10-40x its usual time (a JIT state, seen on Node 26 for the 64 B hex encode in 1 of 8
 * processes), which the median drops.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import process from "node:process";
import { median } from "../dev/stats.ts";
import { type Group, runtimeInfo } from "./_harness.ts";
import type { BenchEntry } from "./_schema.ts";

const GROUP_INDEX = "BENCH_GROUP_INDEX";
const ENTRIES_MARK = "entries:";

/**
 * Node's V8 worker pool sized to the machine (`0`: Node picks it from the available parallelism),
 * as Deno sizes its own, instead of Node's fixed four threads. `cpuUsage` charges those threads'
 * concurrent GC and compile work to the round that runs beside them, and four of them on a
 * 2-core machine made whole processes disagree: seam_direct's per-process ratio (ours ÷ best
 * direct) had a spread (σ of its log) of 14-15% on Node 24 and 26 against 5% on Deno and 3% on
 * Bun; eight processes of `utf8 decode 512 chars ascii`, Node 24: 15.9% with four threads, 2.3%
 * sized; Node 26 `base64 decode 64 B`: 13.5% with four, 3.9% with two, 3.5% with one
 * (2026-12-06).
 */
const NODE_POOL_SIZED = "--v8-pool-size=0";

/**
 * The allocators held steady in the children, as a long-running service's settle. Each round
 * starts after a full GC, which frees every buffer at once, and the allocator then gave the freed
 * memory back to the kernel, so the next 1 MiB buffers came from fresh pages and paid their
 * faults, in some rounds and not others (2026-12-06):
 * - glibc (Node, Deno): no mmap of its own per large buffer, no trim of the heap's top. Node 26,
 *   `Buffer.from(text, "base64")` at 1 MiB: 0.9-2.3 ms a call by round, 0.12-0.15 ms so; the
 *   per-process ratio at 1 MiB had a spread (σ of its log) of 0.77, 0.05-0.12 so.
 * - mimalloc (Bun): no purge of freed pages. `Uint8Array.fromBase64` at 1 MiB: 3.8-4.1 ms, 0.08 ms so.
 *
 * Each runtime reads only its own allocator's variable. A caller's own values are kept.
 */
const STEADY_ALLOCATORS = {
  GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824",
  MIMALLOC_PURGE_DELAY: "-1",
};

/** This runtime running this bench file again, with the same settings (`gc()` exposed). */
function selfCommand(): string[] {
  const script = process.argv[1];
  if (runtimeInfo.name === "bun") return [process.execPath, script];
  if (runtimeInfo.name === "deno") {
    return [process.execPath, "run", "-A", "--v8-flags=--expose-gc", script];
  }
  const sized = process.execArgv.some((arg) => arg.startsWith("--v8-pool-size"));
  return [process.execPath, ...process.execArgv, ...(sized ? [] : [NODE_POOL_SIZED]), script];
}

/**
 * What a bench judges in a group, read from its processes' entries (one entry list per process).
 *
 * Why: five processes left a judged median at the mercy of a slow stretch of the shared machine.
 * Bun's `json serialize medium` read 0.88x of its direct call in a full run (four of five processes
 * at 0.86-0.91), and 0.97-0.99x in four runs of 15 processes each, the same code (2026-12-06).
 */
export interface Judge {
  /**
   * The contender each process's speed factor is read from (for seam_direct, the group's best
   * direct call): every other contender's figure then is the anchor's typical time times the
   * median of its per-process ratio to the anchor, the very ratio `spread` measures. A factor
   * from the median over all contenders let the figure drift from that ratio: Node 24's
   * `base64 decodeInto 64 B` read 0.88x where its six per-process ratios had a median of 0.92x,
   * its processes running 0.8x or 1.3x of typical (2026-12-06).
   */
  anchor(byProcess: readonly BenchEntry[][]): number;
  /**
   * How unsure the judged figure still is, for example the standard error of a ratio's median.
   * Groups above `BENCH_TARGET_SPREAD` (default 0.03) get another process per pass, up to
   * `BENCH_PROCESSES_MAX` (default 11) in all. It looks only at the spread, never at the figure
   * itself, so it cannot favour a side.
   */
  spread(byProcess: readonly BenchEntry[][]): number;
}

/** The figures of one group's entries, for the progress line. */
const lineOf = (entries: readonly BenchEntry[]) =>
  entries.map((e) => `${e.name} ${e.nsPerOp.toFixed(0)} ns`).join(", ");

/**
 * In a child (`BENCH_GROUP_INDEX` set): `time`s its group, prints the entries and exits. In the
 * parent: prints `title`, runs the children and returns the merged entries.
 */
export function timeInFreshProcesses(
  groups: readonly Group<unknown>[],
  time: (group: Group<unknown>) => BenchEntry[],
  title: string,
  judge?: Judge,
): BenchEntry[] {
  const childIndex = process.env[GROUP_INDEX];
  if (childIndex !== undefined) {
    console.log(ENTRIES_MARK + JSON.stringify(time(groups[Number(childIndex)])));
    process.exit(0);
  }
  console.log(title);
  const [command, ...args] = selfCommand();
  const minimum = Number(process.env.BENCH_PROCESSES) || 5;
  const maximum = Math.max(minimum, Number(process.env.BENCH_PROCESSES_MAX) || 11);
  const target = Number(process.env.BENCH_TARGET_SPREAD) || 0.03;
  const runs = groups.map(() => [] as BenchEntry[][]);
  const runOnce = (index: number) => {
    const group = groups[index];
    const p = runs[index].length;
    const child = spawnSync(command, [...args, ...process.argv.slice(2)], {
      env: {
        ...STEADY_ALLOCATORS,
        ...process.env,
        [GROUP_INDEX]: String(index),
        BENCH_PROCESS_INDEX: String(p),
      },
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    const json = child.stdout.split("\n").find((line) => line.startsWith(ENTRIES_MARK));
    if (child.status !== 0 || json === undefined) {
      throw new Error(`${group.subject} ${group.size} failed in its process\n${child.stderr}`);
    }
    const entries = JSON.parse(json.slice(ENTRIES_MARK.length)) as BenchEntry[];
    runs[index].push(entries);
    console.log(
      `[${p + 1}.${index + 1}/${groups.length}] ${entries[0]?.group}: ${lineOf(entries)}`,
    );
  };
  // Passes over the groups, so each group's processes are spread over the run.
  for (let pass = 0; pass < maximum; pass++) {
    const unsure = groups.map((_, i) => i).filter((i) =>
      pass < minimum || (judge !== undefined && judge.spread(runs[i]) > target)
    );
    if (unsure.length === 0) break;
    unsure.forEach(runOnce);
  }
  return runs.flatMap((byProcess) => {
    const speeds = processSpeeds(byProcess, judge?.anchor(byProcess));
    return byProcess[0].map((entry, i) => {
      const same = byProcess.map((entries) => entries[i]);
      const nsPerOp = median(same.map((e, p) => e.nsPerOp / speeds[p]));
      const avgNs = same.reduce((sum, e) => sum + e.avgNs, 0) / same.length;
      const p99Ns = Math.max(...same.map((e) => e.p99Ns));
      return { ...entry, nsPerOp, opsPerSec: 1e9 / nsPerOp, avgNs, p99Ns };
    });
  });
}

/**
 * Per process, how slow it ran the group: the median over contenders of its time ÷ that
 * contender's median time over the processes. Whole processes run 1.5-2x apart (Bun's 8-char
 * `TextEncoder.encode`: 23 to 43 ns, ours alike beside it), and a median per contender taken
 * alone can pick a fast process for one and a slow one for the other (0.78x, where the five
 * processes gave 0.78-1.0); dividing each process's times by its factor first compares like
 * with like, and the median still drops one contender's outlier. With an `anchor`, its time ÷
 * its median time instead ({@linkcode Judge} says why).
 */
function processSpeeds(byProcess: readonly BenchEntry[][], anchor?: number): number[] {
  const typical = byProcess[0].map((_, i) =>
    median(byProcess.map((entries) => entries[i].nsPerOp))
  );
  if (anchor !== undefined) {
    return byProcess.map((entries) => entries[anchor].nsPerOp / typical[anchor]);
  }
  return byProcess.map((entries) => median(entries.map((e, i) => e.nsPerOp / typical[i])));
}
