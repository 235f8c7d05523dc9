/**
 * Shared bench plumbing: runtime detection, mitata runs recorded as JSON in
 * bench/results/, and backing-store allocation per op measured the way each
 * runtime allows (see DEVELOPERS.md).
 *
 * @module
 */
import { run } from "mitata";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";

/** Which runtime is running the bench. */
export type RuntimeName = "node" | "deno" | "bun";

/** The runtime running the bench, with its version and the CPU. */
export interface RuntimeInfo {
  /** "node", "deno" or "bun". */
  readonly name: RuntimeName;
  /** The runtime's own version. */
  readonly version: string;
  /** The CPU model. */
  readonly cpu: string;
}

declare const Deno: { version: { deno: string; v8: string }; memoryUsage(): { external: number } };
declare const Bun: { version: string; gc(force: boolean): void };

/** Describes the current runtime. */
export const runtimeInfo: RuntimeInfo = (() => {
  const g = globalThis as Record<string, unknown>;
  const cpu = cpus()[0]?.model ?? "unknown";
  if (g.Bun) return { name: "bun", version: Bun.version, cpu };
  if (g.Deno) return { name: "deno", version: Deno.version.deno, cpu };
  return { name: "node", version: process.versions.node, cpu };
})();

/** One benchmark's timing, in nanoseconds per op. */
export interface BenchRecord {
  /** The mitata group, or "" outside a group. */
  readonly group: string;
  /** The benchmark name. */
  readonly name: string;
  /** Mean time per op. */
  readonly avgNs: number;
  /** Median time per op. */
  readonly p50Ns: number;
  /** 99th percentile time per op. */
  readonly p99Ns: number;
  /** Fastest sample. */
  readonly minNs: number;
  /** Slowest sample. */
  readonly maxNs: number;
}

/** What a bench file writes to bench/results/<name>.<runtime>.json. */
export interface BenchResultFile {
  /** The runtime that ran it. */
  readonly runtime: RuntimeInfo;
  /** ISO date of the run. */
  readonly date: string;
  /** Timings. */
  readonly benchmarks: BenchRecord[];
  /** Anything else the bench measured (allocation, GC, ratios). */
  readonly extras: Record<string, unknown>;
}

interface MitataResult {
  layout: { name: unknown }[];
  benchmarks: {
    group: number;
    runs: {
      name: string;
      stats?: { avg: number; p50: number; p99: number; min: number; max: number };
    }[];
  }[];
}

/**
 * Runs the registered mitata benchmarks, prints mitata's table, and records
 * the results as bench/results/<name>.<runtime>.json.
 */
export async function runAndRecord(
  name: string,
  extras: Record<string, unknown> = {},
): Promise<BenchResultFile> {
  // mitata's typings omit `layout` and `trial.group`, which it does return.
  const result = (await run({ colors: false })) as unknown as MitataResult;
  const groups = result.layout.map((entry) => String(entry.name ?? ""));
  const benchmarks: BenchRecord[] = [];
  for (const trial of result.benchmarks) {
    for (const r of trial.runs) {
      if (!r.stats) continue;
      benchmarks.push({
        group: /^\d+$/.test(groups[trial.group] ?? "") ? "" : groups[trial.group],
        name: r.name,
        avgNs: r.stats.avg,
        p50Ns: r.stats.p50,
        p99Ns: r.stats.p99,
        minNs: r.stats.min,
        maxNs: r.stats.max,
      });
    }
  }
  const file: BenchResultFile = {
    runtime: runtimeInfo,
    date: new Date().toISOString(),
    benchmarks,
    extras,
  };
  const dir = new URL("./results/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    new URL(`${name}.${runtimeInfo.name}.json`, dir),
    JSON.stringify(file, null, 2) + "\n",
  );
  return file;
}

/** Collects garbage fully, as far as the runtime lets us. */
export function fullGc(): void {
  const g = globalThis as { gc?: () => void };
  if (runtimeInfo.name === "bun") Bun.gc(true);
  else if (g.gc) {
    g.gc();
    g.gc();
  } else {
    throw new Error("fullGc: run node with --expose-gc, deno with --v8-flags=--expose-gc");
  }
}

/** The memory figure that grows with ArrayBuffer backing stores in this runtime. */
export async function backingStoreBytes(): Promise<number> {
  fullGc();
  if (runtimeInfo.name === "node") return process.memoryUsage().arrayBuffers;
  if (runtimeInfo.name === "deno") return Deno.memoryUsage().external;
  // Bun: JSC's heap size includes ArrayBuffer contents.
  const { heapStats } = await import("bun:jsc" as string);
  return heapStats().heapSize;
}

/** Which counter {@linkcode backingStoreBytes} reads in this runtime. */
export const allocationMetric: string = runtimeInfo.name === "node"
  ? "process.memoryUsage().arrayBuffers"
  : runtimeInfo.name === "deno"
  ? "Deno.memoryUsage().external"
  : "bun:jsc heapStats().heapSize";

/** Backing-store bytes a function allocates per op. */
export interface AllocationRecord {
  /** What was measured. */
  readonly label: string;
  /** How many ops. */
  readonly ops: number;
  /** Bytes retained per op after a full GC. */
  readonly bytesPerOp: number;
  /** The counter read. */
  readonly metric: string;
}

/**
 * Measures bytes allocated per op: runs `fn` `ops` times keeping every result
 * alive, so nothing it allocated can be collected, and reads the runtime's
 * backing-store counter before and after a full GC.
 */
export async function measureAllocation(
  label: string,
  ops: number,
  fn: (i: number) => unknown,
): Promise<AllocationRecord> {
  const keep = new Array<unknown>(ops);
  for (let i = 0; i < Math.min(ops, 100); i++) fn(i); // warm up: pools fill, code tiers up
  const before = await backingStoreBytes();
  for (let i = 0; i < ops; i++) keep[i] = fn(i);
  const after = await backingStoreBytes();
  const bytesPerOp = Math.max(0, (after - before) / ops);
  keep.length = 0;
  return { label, ops, bytesPerOp, metric: allocationMetric };
}
