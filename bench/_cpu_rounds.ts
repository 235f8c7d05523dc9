/**
 * Timing for bench/seam_direct.bench.ts: per group, interleaved rounds of CPU time
 * (`process.cpuUsage`, since the machine is shared) per contender, each contender's loop compiled
 * from a source of its own, after a collection and `BENCH_WARM_LAPS` (default 10) untimed laps;
 * entries in the shared schema.
 *
 * @module
 */
import process from "node:process";
import { do_not_optimize } from "mitata";
import { median } from "../dev/stats.ts";
import { rng, shuffled } from "../dev/random.ts";
import { fullGc, type Group, runtimeInfo } from "./_harness.ts";
import type { BenchEntry } from "./_schema.ts";

const cpuNow = ({ user, system } = process.cpuUsage()): number => user + system; // µs

/** A timed round: ns per call over whole batches of `calls` until `roundMs` of CPU are used. */
type Round = (calls: number, roundMs: number) => number;

let loops = 0;
/**
 * `f(x)`'s round, its loop compiled anew (unique source) per contender: one shared loop saw every
 * contender's function at its call site, went polymorphic and deoptimized as they alternated.
 */
const roundOf = (f: (x: unknown) => unknown, x: unknown): Round =>
  new Function(
    "f",
    "x",
    "cpuNow",
    "keep",
    `return (calls, roundMs) => {
      const start = cpuNow();
      let done = 0;
      do { // at least one batch: a stalled probe cannot make the round short
        for (let j = 0; j < calls; j++) keep(f(x));
        done += calls;
      } while (cpuNow() - start < roundMs * 1000);
      return (Math.max(cpuNow() - start, 1) * 1000) / done;
    } /* round ${++loops} */`,
  )(f, x, cpuNow, do_not_optimize);

/**
 * Calls per batch for about `batchMs` of CPU, from growing batches, the faster of two probes each:
 * a probe that met a GC once ended the search at one call per batch, each paying a `cpuUsage`.
 */
function callsPerBatch(round: Round, batchMs: number): number {
  for (let calls = 1;; calls *= 4) {
    const ns = Math.min(round(calls, 0), round(calls, 0));
    if (ns * calls >= 2e6 || calls >= 1 << 24) return Math.max(1, Math.round((batchMs * 1e6) / ns));
  }
}

/** FNV-1a of `text`: a seed per group, so groups do not share one sequence of orders. */
const seedOf = (text: string) =>
  [...text].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 16777619), 2166136261) >>> 0;

/**
 * Interleaved CPU-time rounds per group, in pairs: a seeded random order, then the same reversed.
 * Random, not rotating: a round ran slower the closer it followed a heavy contender (Deno 2.9.6:
 * three identical `fromHex` calls after `Buffer.from(hex)`, 1.28, 1.10, 0.80 ms at 1 MiB), and rotation
 * keeps each one's predecessor. Reversed: so each contender runs as often early as late.
 */
export function timeCpu(bench: string, all: readonly Group<unknown>[]): BenchEntry[] {
  const roundMs = Number(process.env.BENCH_ROUND_MS) || 10;
  const roundCount = Number(process.env.BENCH_ROUNDS) || 10;
  const warmLaps = Number(process.env.BENCH_WARM_LAPS ?? 10);
  const processIndex = Number(process.env.BENCH_PROCESS_INDEX ?? 0);
  const runtime = { runtime: runtimeInfo.id, runtimeVersion: runtimeInfo.version };
  return all.flatMap(({ subject, size, sizeBytes, input, contenders }) => {
    const fns = contenders.map((c) => roundOf(c.fn, input));
    const calls = fns.map((round) => callsPerBatch(round, roundMs / 4));
    const samples = fns.map(() => [] as number[]);
    const group = `${subject} ${size}`;
    const random = rng(seedOf(`${processIndex} ${group}`));
    // Untimed laps first: the optimizing compilers run on other threads, whose CPU time
    // `cpuUsage` counts, so a compile during a timed round was charged to it. V8 (Node 24,
    // `--trace-opt`, 2026-12-05) still compiled ours in rounds 1-5 after the calibration, up to
    // 66 ms (a 1 KiB decodeBase64Into) in one 10 ms round; after three laps, 0-4 ms in all ten.
    // Ten, not three: a slow call gets few calls per lap, and JavaScriptCore tiers up by count.
    // Bun's 64 KiB `decodeUtf8` (the direct call's route) read 0.87x and 0.88x of
    // `TextDecoder.decode` after three laps, 0.88x and 0.92x after six, 0.99x and 1.01x after
    // ten (five processes each, 2026-12-06); Node 26's 64-char UTF-8 groups moved within noise.
    for (let lap = 0; lap < warmLaps; lap++) {
      for (const i of shuffled(fns.length, random)) {
        fullGc(); // on Bun, JSC's own collection: bench/_harness.ts says why
        fns[i](calls[i], roundMs);
      }
    }
    let order: number[] = [];
    for (let r = 0; r < roundCount; r++) {
      order = r % 2 === 0 ? shuffled(fns.length, random) : order.reverse();
      for (const i of order) {
        fullGc(); // each contender's round starts on a collected heap and pays for its own garbage
        samples[i].push(fns[i](calls[i], roundMs));
      }
    }
    return contenders.map(({ name, contender, side, op, owned, strict }, i) => {
      const nsPerOp = median(samples[i]);
      const avgNs = samples[i].reduce((a, b) => a + b, 0) / samples[i].length;
      const figures = { nsPerOp, opsPerSec: 1e9 / nsPerOp, avgNs, p99Ns: Math.max(...samples[i]) };
      const where = { bench, group, subject, size, sizeBytes, ...runtime, feedback: "varied" };
      const who = { name, contender, side, op, owned, strict: strict ?? null };
      const memory = { backingStoreBytesPerOp: null, heapBytesPerOp: null };
      return { ...where, ...who, ...figures, ...memory } as BenchEntry;
    });
  });
}
