/**
 * The result of the seed scenario (bench/scenario.bench.ts), stored under `extras.scenario`, and
 * its targets.
 *
 * @module
 */

/** The scenario's message sizes. */
export const SCENARIO_SIZES: readonly ["small", "medium", "large"] = ["small", "medium", "large"];

/** A scenario message size. */
export type ScenarioSize = typeof SCENARIO_SIZES[number];

/**
 * The scenario's routes. `naive`: JSON.stringify + TextEncoder.encode + base64 to a fresh
 * string. `pooled`: JsonSerializer#serializeTo into a pooled writer, then writeBase64 into a
 * second. `msgpack`: MsgPackSerializer into pooled memory, then writeBase64. `ceiling`:
 * JSON.stringify + encodeInto into a preallocated buffer + writeBase64.
 */
export type ScenarioRoute = "naive" | "pooled" | "msgpack" | "ceiling";

/**
 * The seed's targets (issue 1) and issue 8's MessagePack route, as route / naive ratios: `routes`
 * are checked on throughput (at least), GC events, p99 and bytes per op (at most); the pooled
 * JSON route's throughput over the ceiling route's is at least `jsonOfCeilingMin`.
 */
export const SCENARIO_TARGETS = {
  throughputMin: 2.5,
  gcEventsMax: 0.2,
  p99Max: 0.5,
  bytesPerOpMax: { small: 0.05, medium: 0.05, large: 0.1 } as Record<ScenarioSize, number>,
  jsonOfCeilingMin: 0.9,
  routes: ["pooled", "msgpack"] as readonly ScenarioRoute[],
} as const;

/** One size × route measurement; `…Per100k` are per 100k ops; GC fields are null off V8. */
export interface ScenarioRow {
  readonly size: ScenarioSize;
  readonly path: ScenarioRoute; // the route (the field keeps its old name)
  readonly payloadBytes: number;
  readonly base64Chars: number;
  readonly ops: number;
  /** Ops per second (inverse of the mean); mean, median and 99th percentile ns per op. */
  readonly opsPerSec: number;
  readonly meanNs: number;
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly gcMinor: number | null;
  readonly gcMajor: number | null;
  readonly gcMinorPer100k: number | null;
  readonly gcMajorPer100k: number | null;
  readonly gcEventsPer100k: number | null;
  readonly gcPauseMsPer100k: number | null;
  readonly jsHeapBytesPerOp: number | null; // V8: bytes freed by GCs plus net heap growth, per op
  readonly heapBytesPerOp: number | null; // bun: heapSize growth per op with results kept alive
  readonly backingStoreBytesPerOp: number; // backing-store bytes per op, results kept alive
  readonly peakRssBytes: number;
  readonly rssAtStartBytes: number;
}

/** What the scenario bench stores under `extras.scenario`: how it measured, and its rows. */
export interface ScenarioExtras {
  readonly seconds: number; // measured seconds per size and route
  readonly naiveBase64: string; // the naive route's base64 API
  readonly gcMetric: string | null;
  readonly heapMetric: string | null;
  readonly jsHeapMetric: string | null;
  readonly backingStoreMetric: string;
  readonly rssMetric: string;
  readonly targets: typeof SCENARIO_TARGETS;
  readonly rows: ScenarioRow[];
  /** JSON.stringify alone vs naive, per size. */
  readonly stringifyFloor: {
    readonly size: ScenarioSize;
    readonly stringifyNs: number;
    readonly naiveMeanNs: number;
    readonly ceiling: number;
  }[];
}
