/**
 * The messaging bench's measurement. Not mitata: one op is a network round trip of a whole
 * batch, so it runs its own interleaved rounds, rotating the order, with paired per-round ratios.
 *
 * @module
 */
import v8 from "node:v8";
import type { MemoryPool } from "../../pool/mod.ts";
import { median } from "../../dev/stats.ts";
import type { MessagingRow } from "../../dev/schema_messaging.ts";
import { runtimeInfo } from "../_harness.ts";
import { fixtures } from "../fixtures.ts";

export const BATCH = 1_000;
/** Many short paired rounds: the machine is shared, so the median of per-round ratios needs numbers. */
export const ROUNDS = 15;
export const ALLOCATION_ROUNDS = 5; // allocation per batch barely varies
export const WARMUP_BATCHES = 15;
const ON_BUN = runtimeInfo.name === "bun";

declare const Bun: { gc(full: boolean): void };
type HeapStats = { heapStatistics: { usedHeapSize: number; externalMemory: number } };

function v8Used(): number {
  const stats = v8.getHeapStatistics() as { used_heap_size: number; external_memory: number };
  return stats.used_heap_size + stats.external_memory;
}

/**
 * Bytes allocated during one awaited op: V8's used heap + external memory around it plus what
 * every GC inside it freed. Null on Bun, whose heap figures only change at a collection.
 */
async function measureAllocation(op: () => Promise<unknown>): Promise<number | null> {
  if (ON_BUN) {
    Bun.gc(true);
    await op();
    return null;
  }
  // Two full GCs with a macrotask between: the concurrent ArrayBuffer sweeper is done before
  // the baseline is read.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc?.();
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = v8Used();
  await op();
  const after = v8Used();
  const { statistics } = profiler.stop() as unknown as {
    statistics: { beforeGC: HeapStats; afterGC: HeapStats }[];
  };
  let freed = 0;
  for (const { beforeGC: { heapStatistics: b }, afterGC: { heapStatistics: a } } of statistics) {
    freed += b.usedHeapSize + b.externalMemory - a.usedHeapSize - a.externalMemory;
  }
  return Math.max(0, after - before + freed);
}

/** `run` sends one batch; `prepare` and `reset` run untimed before and after it. */
export interface Contender {
  contender: MessagingRow["contender"];
  route: string;
  run: () => Promise<unknown>;
  reset?: () => Promise<unknown>;
  prepare?: () => Promise<unknown>;
  pool?: MemoryPool;
}

/** A contender of one side, from its route and run (`more`: the optional fields). */
type Side = (route: string, run: Contender["run"], more?: Partial<Contender>) => Contender;
const side = (contender: Contender["contender"]): Side => (route, run, more = {}) =>
  Object.assign({ contender, route, run }, more);
export const naive: Side = side("naive");
export const ours: Side = side("ours");
export const pooledBytes: Side = side("pooled-bytes");

export async function compare(
  client: string,
  scenario: MessagingRow["scenario"],
  contenders: Contender[],
): Promise<MessagingRow[]> {
  for (const c of contenders) {
    for (let i = 0; i < WARMUP_BATCHES; i++) {
      await c.prepare?.();
      await c.run();
    }
    await c.reset?.();
  }
  const speeds = contenders.map(() => [] as number[]);
  const allocs = contenders.map(() => [] as number[]);
  const gcs = contenders.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length; // rotate who goes first
      const c = contenders[index];
      await c.prepare?.();
      const profiler = ON_BUN ? undefined : new v8.GCProfiler();
      profiler?.start();
      const started = performance.now();
      await c.run();
      const seconds = (performance.now() - started) / 1000;
      const collections = (profiler?.stop() as { statistics: unknown[] } | undefined)?.statistics;
      speeds[index].push(BATCH / seconds);
      if (collections !== undefined) gcs[index].push(collections.length * (1000 / BATCH));
      await c.reset?.();
      if (round >= ALLOCATION_ROUNDS) continue;
      await c.prepare?.();
      const bytes = await measureAllocation(c.run);
      if (bytes !== null) allocs[index].push(bytes / BATCH);
      await c.reset?.();
    }
  }
  // Paired per-round ratios: both sides of a round ran back to back, so load from other
  // processes cancels out better than in a ratio of medians.
  const naiveSpeeds = speeds[contenders.findIndex((c) => c.contender === "naive")];
  return contenders.map((c, i) => ({
    client,
    scenario,
    contender: c.contender,
    route: c.route,
    msgsPerSec: Math.round(median(speeds[i])),
    speedVsNaive: Number(median(speeds[i].map((speed, r) => speed / naiveSpeeds[r])).toFixed(3)),
    bytesPerMsg: allocs[i].length === 0 ? null : Math.round(median(allocs[i])),
    // A mean: most batches see no collection, a few see one.
    gcPer1000: gcs[i].length === 0
      ? null
      : Number((gcs[i].reduce((a, b) => a + b, 0) / gcs[i].length).toFixed(2)),
    dropped: c.pool === undefined ? null : c.pool.stats().dropped,
  }));
}

/** 1,000 distinct ~220 B messages (the shape of the fixtures' small message). */
export const messages: Record<string, unknown>[] = Array.from({ length: BATCH }, (_, i) => ({
  ...(fixtures.small as Record<string, unknown>),
  id: 100_000 + i,
  name: `order.created.${i % 7}`,
}));
