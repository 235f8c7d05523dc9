/**
 * Shared bench plumbing: the varied warm-up, interleaved mitata timing of tagged contenders,
 * allocation per op and the result files in bench/results/ (format: dev/schema.ts). Settings:
 * `--feedback=monomorphic` or `BENCH_FEEDBACK`, `BENCH_ROUND_MS` (mitata's minimum CPU time per
 * contender and round, default 50) and `BENCH_ROUNDS` (interleaved rounds, default 3).
 *
 * @module
 */
import { do_not_optimize, measure } from "mitata";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import process from "node:process";
import v8 from "node:v8";
import { median } from "../dev/stats.ts";
import {
  type BenchEntry,
  type BenchResultFile,
  type Feedback,
  FEEDBACK_BENCHES,
  nodeRuntimeId,
  type Op,
  resultFileName,
  type RuntimeInfo,
  type Side,
} from "./_schema.ts";

declare const Deno: { version: { deno: string }; memoryUsage(): { external: number } };
declare const Bun: { version: string };

/** Describes the current runtime. */
export const runtimeInfo: RuntimeInfo = (() => {
  const g = globalThis as Record<string, unknown>;
  const cpu = cpus()[0]?.model ?? "unknown";
  if (g.Bun) return { id: "bun", name: "bun", version: Bun.version, cpu };
  if (g.Deno) return { id: "deno", name: "deno", version: Deno.version.deno, cpu };
  const version = process.versions.node;
  return { id: nodeRuntimeId(Number.parseInt(version, 10)), name: "node", version, cpu };
})();

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The feedback this process measures under (one per process: feedback cannot be undone). */
export const feedback: Feedback =
  (process.argv.includes("--feedback=monomorphic") || process.env.BENCH_FEEDBACK === "monomorphic")
    ? "monomorphic"
    : "varied";

/** mitata's minimum CPU time per contender and round, ms. */
export const roundMs: number = envNumber("BENCH_ROUND_MS", 50);
/** Interleaved rounds per group. */
export const rounds: number = Math.round(envNumber("BENCH_ROUNDS", 3));

/**
 * mitata batches only below 5 µs per call, 512 calls per batch: its defaults (4096 calls below
 * 65 µs) spend seconds on a 50 µs call. No GC per measure: one full GC per group (timeGroups)
 * costs less than a full GC of a heap holding the warm-up sets before every short round.
 */
const MITATA_OPTIONS = {
  gc: false,
  min_cpu_time: roundMs * 1e6,
  batch_threshold: 5_000,
  batch_samples: 512,
  min_samples: 12,
};

/**
 * One thing to time, tagged for the report (fields as in dev/schema.ts BenchEntry; `contender`
 * is the stable id the targets use). `fn` takes the group's input, may be async (then awaited)
 * and must accept every input of its warm-up set; `enter`/`exit` run around every use of it
 * (e.g. to force an implementation); `allocation` measures allocation per op (varied runs only).
 */
type Tags = "contender" | "name" | "side" | "op" | "owned";
export interface Contender<T> extends Pick<BenchEntry, Tags> {
  /** For decoders: whether malformed input is rejected. */
  readonly strict?: boolean;
  readonly fn: (input: T) => unknown;
  readonly enter?: () => void;
  readonly exit?: () => void;
  readonly allocation?: boolean;
}

/** A contender from its tags, the usual fields in one call; `more` adds the optional ones. */
export function contender<T>(
  side: Side,
  op: Op,
  owned: boolean,
  id: string,
  name: string,
  fn: (input: T) => unknown,
  more: Partial<Contender<T>> = {},
): Contender<T> {
  return { contender: id, name, side, op, owned, fn, ...more };
}

/** A byte count as a group's size label: "64 B", "4 KiB", "1 MiB". */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1 << 20) return `${bytes / (1 << 20)} MiB`;
  return bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

/** Contenders compared on one input: `subject` "msgpack encode", `size` "small" or "64 B". */
export interface Group<T> {
  readonly subject: string;
  readonly size: string;
  /** Input size for GB/s, or null. */
  readonly sizeBytes: number | null;
  readonly input: T;
  readonly contenders: readonly Contender<T>[];
}

/** One group per byte count of `sizes`, labelled by {@linkcode sizeLabel}, timed on `of(n)`. */
export function sizedGroups<T>(
  subject: string,
  sizes: readonly number[],
  contenders: readonly Contender<T>[],
  of: (n: number) => T,
): Group<T>[] {
  return sizes.map((n) => ({
    subject,
    size: sizeLabel(n),
    sizeBytes: n,
    input: of(n),
    contenders,
  }));
}

/** Varied inputs for the contenders of one subject, fed in order, interleaved. */
export interface WarmUp<T> {
  readonly subject: string;
  readonly inputs: readonly T[];
}

/**
 * The realistic-feedback warm-up: every contender of each subject is fed the same varied
 * inputs, interleaved (input by input), so none is timed with feedback from one message only.
 */
// deno-lint-ignore no-explicit-any
export function warmUpVaried(groups: readonly Group<any>[], sets: readonly WarmUp<any>[]): void {
  for (const set of sets) {
    const contenders = new Set(
      groups.filter((group) => group.subject === set.subject).flatMap((group) => group.contenders),
    );
    for (const input of set.inputs) {
      for (const c of contenders) {
        c.enter?.();
        do_not_optimize(c.fn(input));
        c.exit?.();
      }
    }
  }
}

/**
 * Times every group: `rounds` interleaved rounds of each contender (mitata `measure`, `roundMs`
 * of CPU time each), then the median of the round medians; one progress line per group.
 * `onRounds` receives each contender's round medians (for paired per-round ratios).
 */
export async function timeGroups(
  bench: string,
  // deno-lint-ignore no-explicit-any
  groups: readonly Group<any>[],
  feedbackOfRun: Feedback = feedback,
  onRounds?: (contender: string, roundNs: number[]) => void,
): Promise<BenchEntry[]> {
  const entries: BenchEntry[] = [];
  for (const [index, group] of groups.entries()) {
    const p50s = group.contenders.map(() => [] as number[]);
    const avgs = group.contenders.map(() => [] as number[]);
    const p99s = group.contenders.map(() => 0);
    fullGc(false);
    for (let round = 0; round < rounds; round++) {
      for (const [i, c] of group.contenders.entries()) {
        const input = group.input;
        const fn = c.fn;
        c.enter?.();
        // mitata awaits a returned promise: async contenders are timed to their settling.
        const probe = fn(input);
        await probe;
        const stats = await measure(
          probe instanceof Promise ? () => fn(input) : () => do_not_optimize(fn(input)),
          MITATA_OPTIONS,
        );
        c.exit?.();
        p50s[i].push(stats.p50);
        avgs[i].push(stats.avg);
        p99s[i] = Math.max(p99s[i], stats.p99);
      }
    }
    const line: string[] = [];
    for (const [i, c] of group.contenders.entries()) {
      const allocation = (feedbackOfRun === "varied" || !FEEDBACK_BENCHES.includes(bench)) &&
          c.allocation
        ? await measureAllocation(c, group.input)
        : null;
      const nsPerOp = median(p50s[i]);
      onRounds?.(c.contender, p50s[i]);
      entries.push({
        bench,
        group: `${group.subject} ${group.size}`,
        subject: group.subject,
        size: group.size,
        sizeBytes: group.sizeBytes,
        name: c.name,
        contender: c.contender,
        runtime: runtimeInfo.id,
        runtimeVersion: runtimeInfo.version,
        side: c.side,
        op: c.op,
        feedback: feedbackOfRun,
        owned: c.owned,
        strict: c.strict ?? null,
        nsPerOp,
        opsPerSec: 1e9 / nsPerOp,
        avgNs: avgs[i].reduce((a, b) => a + b, 0) / avgs[i].length,
        p99Ns: p99s[i],
        backingStoreBytesPerOp: allocation?.backingStore ?? null,
        heapBytesPerOp: allocation?.heap ?? null,
      });
      line.push(`${c.name} ${nsPerOp.toFixed(1)} ns`);
    }
    console.log(
      `[${index + 1}/${groups.length}] ${group.subject} ${group.size}: ${line.join(", ")}`,
    );
  }
  return entries;
}

/** Writes bench/results/<bench>[.monomorphic].<runtime>.json and returns what it wrote. */
export function writeResults(
  bench: string,
  entries: BenchEntry[],
  extras: Record<string, unknown> = {},
  feedbackOfRun: Feedback | null = feedback,
): BenchResultFile {
  const file: BenchResultFile = {
    schema: 2,
    bench: feedbackOfRun === "monomorphic" ? `${bench}.monomorphic` : bench,
    runtime: runtimeInfo,
    date: new Date().toISOString(),
    feedback: feedbackOfRun,
    settings: { roundMs, rounds },
    entries,
    extras,
  };
  writeJson(resultFileName(bench, runtimeInfo.id, feedbackOfRun), file);
  return file;
}

/** The results folder, bench/results/. */
export const RESULTS: URL = new URL("./results/", import.meta.url);

/** Writes bench/results/`name`. */
export function writeJson(name: string, data: unknown): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(new URL(name, RESULTS), JSON.stringify(data, null, 2) + "\n");
}

const jscModule = "bun:jsc"; // a variable: other runtimes' checkers cannot resolve it
/** JSC's own full collection, on Bun: see {@linkcode fullGc}. */
const jscFullGc: (() => number) | undefined = runtimeInfo.name === "bun"
  ? ((await import(jscModule)) as { fullGC(): number }).fullGC
  : undefined;

/**
 * A full GC (twice on V8 when `required`, which throws where the runtime exposes none). On Bun,
 * JSC's own `fullGC()` (`bun:jsc`), not `Bun.gc(true)`: after that (a probe, Bun 1.4.5,
 * 2026-12-05), the next 2,300 fresh 3.6 KiB `ArrayBuffer`s took 11 µs each instead of 0.3, which
 * charged whichever contender allocated next (Bun msgpack serialize medium read 0.58x of msgpackr
 * in seam_direct). After `fullGC()` they took 0.3 µs at once; it empties the heap the same way.
 */
export function fullGc(required = true): void {
  const g = globalThis as { gc?: () => void };
  if (jscFullGc !== undefined) jscFullGc();
  else if (g.gc) {
    g.gc();
    if (required) g.gc();
  } else if (required) {
    throw new Error("fullGc: run node with --expose-gc, deno with --v8-flags=--expose-gc");
  }
}

/** Which counter the backing-store figures read in this runtime. */
export const allocationMetric: string = runtimeInfo.name === "node"
  ? "process.memoryUsage().arrayBuffers"
  : runtimeInfo.name === "deno"
  ? "Deno.memoryUsage().external"
  : "bun:jsc heapStats().heapSize after fullGC()";

/** After a full GC: ArrayBuffer backing stores and the heap (V8 used heap, bun:jsc heapSize). */
async function memoryNow(): Promise<AllocationPerOp> {
  fullGc();
  if (runtimeInfo.name === "bun") {
    const { heapStats } = await import("bun:jsc" as string);
    return { backingStore: null, heap: heapStats().heapSize };
  }
  const backingStore = runtimeInfo.name === "node"
    ? process.memoryUsage().arrayBuffers
    : Deno.memoryUsage().external;
  return { backingStore, heap: v8.getHeapStatistics().used_heap_size };
}

/** Bytes per op: ArrayBuffer backing stores (null on Bun, whose heap holds them) and heap. */
type AllocationPerOp = { backingStore: number | null; heap: number };

/**
 * What an op allocates: runs it `ops` times keeping every result alive, so nothing it allocated
 * can be collected, and reads the counters before and after a full GC.
 */
async function allocationPerOp(ops: number, fn: (i: number) => unknown): Promise<AllocationPerOp> {
  const keep = new Array<unknown>(ops);
  for (let i = 0; i < Math.min(ops, 100); i++) fn(i); // warm up: pools fill, slabs open
  const before = await memoryNow();
  for (let i = 0; i < ops; i++) keep[i] = fn(i);
  const after = await memoryNow();
  keep.length = 0;
  return {
    backingStore: before.backingStore === null
      ? null
      : Math.max(0, (after.backingStore! - before.backingStore) / ops),
    heap: (after.heap - before.heap) / ops,
  };
}

/** Backing-store bytes an op allocates (heap bytes on Bun), results kept alive. */
export async function bytesPerOp(ops: number, fn: (i: number) => unknown): Promise<number> {
  const { backingStore, heap } = await allocationPerOp(ops, fn);
  return backingStore ?? Math.max(0, heap);
}

// deno-lint-ignore no-explicit-any
async function measureAllocation(c: Contender<any>, input: unknown): Promise<AllocationPerOp> {
  // At most ~8 MiB of results kept alive: enough ops to amortize shared chunks (64 KiB or
  // less), few enough that the GCs around it stay short.
  const probe = c.fn(input) as { byteLength?: number; length?: number } | null;
  const size = Math.max(64, probe?.byteLength ?? probe?.length ?? 64);
  const ops = Math.max(50, Math.min(2000, Math.floor((8 << 20) / size)));
  c.enter?.();
  try {
    const { backingStore, heap } = await allocationPerOp(ops, () => c.fn(input));
    // The keep array itself holds one pointer per op: not the op's allocation.
    return { backingStore, heap: Math.max(0, heap - 8) };
  } finally {
    c.exit?.();
  }
}
