/**
 * The result types and targets of the seed scenario (bench/scenario.bench.ts),
 * shared by the bench and the report (tools/report/scenario.ts). Part of the
 * bench schema (dev/schema.ts holds the common entry types and targets).
 *
 * @module
 */

/** The scenario's message sizes. */
export const SCENARIO_SIZES: readonly ["small", "medium", "large"] = ["small", "medium", "large"];

/** A scenario message size. */
export type ScenarioSize = "small" | "medium" | "large";

/**
 * The scenario's routes. `naive`: JSON.stringify + TextEncoder.encode + base64
 * to a fresh string. `pooled`: JsonSerializer#serializeTo into a pooled
 * writer, then writeBase64 into a second. `msgpack`: MsgPackSerializer into
 * pooled memory, then writeBase64. `ceiling`: JSON.stringify + encodeInto into
 * a preallocated buffer + writeBase64, the most a JSON route can do.
 */
export type ScenarioRoute = "naive" | "pooled" | "msgpack" | "ceiling";

/** The seed's targets (issue 1) and issue 8's MessagePack route, as route / naive ratios. */
export const SCENARIO_TARGETS: {
  readonly throughputMin: number;
  readonly gcEventsMax: number;
  readonly p99Max: number;
  readonly bytesPerOpMax: Readonly<Record<ScenarioSize, number>>;
  readonly jsonOfCeilingMin: number;
  readonly routes: readonly ScenarioRoute[];
} = {
  throughputMin: 2.5,
  gcEventsMax: 0.2,
  p99Max: 0.5,
  bytesPerOpMax: { small: 0.05, medium: 0.05, large: 0.1 },
  /** The pooled JSON route's throughput / the ceiling route's. */
  jsonOfCeilingMin: 0.9,
  /** The routes checked against naive with the throughput, GC, p99 and bytes targets. */
  routes: ["pooled", "msgpack"],
};

/** One size × route measurement of the scenario, as recorded in its extras. */
export interface ScenarioRow {
  /** Message size. */
  readonly size: ScenarioSize;
  /** The route (the field keeps its old name). */
  readonly path: ScenarioRoute;
  /** Payload bytes of this route (JSON or MessagePack). */
  readonly payloadBytes: number;
  /** Base64 characters produced. */
  readonly base64Chars: number;
  /** Ops timed. */
  readonly ops: number;
  /** Ops per second (inverse of the mean). */
  readonly opsPerSec: number;
  /** Mean ns per op. */
  readonly meanNs: number;
  /** Median ns per op. */
  readonly p50Ns: number;
  /** 99th percentile ns per op. */
  readonly p99Ns: number;
  /** Minor GCs during the timed run (V8), else null. */
  readonly gcMinor: number | null;
  /** Major GCs during the timed run (V8), else null. */
  readonly gcMajor: number | null;
  /** Minor GCs per 100k ops. */
  readonly gcMinorPer100k: number | null;
  /** Major GCs per 100k ops. */
  readonly gcMajorPer100k: number | null;
  /** All GCs per 100k ops. */
  readonly gcEventsPer100k: number | null;
  /** GC pause per 100k ops, ms. */
  readonly gcPauseMsPer100k: number | null;
  /** V8: bytes freed by GCs plus net heap growth, per op. */
  readonly jsHeapBytesPerOp: number | null;
  /** Bun: heapSize growth per op with results kept alive. */
  readonly heapBytesPerOp: number | null;
  /** Backing-store bytes per op, results kept alive. */
  readonly backingStoreBytesPerOp: number;
  /** Peak RSS during the run. */
  readonly peakRssBytes: number;
  /** RSS when the run started. */
  readonly rssAtStartBytes: number;
}

/** What the scenario bench stores under `extras.scenario`. */
export interface ScenarioExtras {
  /** Measured seconds per size and route. */
  readonly seconds: number;
  /** The naive route's base64 API. */
  readonly naiveBase64: string;
  /** How GC events were counted, or null where not observable. */
  readonly gcMetric: string | null;
  /** How heap bytes were measured on Bun, else null. */
  readonly heapMetric: string | null;
  /** How JS heap bytes were measured on V8, else null. */
  readonly jsHeapMetric: string | null;
  /** The backing-store counter. */
  readonly backingStoreMetric: string;
  /** How RSS was sampled. */
  readonly rssMetric: string;
  /** The targets the run was checked against. */
  readonly targets: typeof SCENARIO_TARGETS;
  /** Every size × route. */
  readonly rows: ScenarioRow[];
  /** JSON.stringify alone vs naive, per size. */
  readonly stringifyFloor: {
    readonly size: ScenarioSize;
    readonly stringifyNs: number;
    readonly naiveMeanNs: number;
    readonly ceiling: number;
  }[];
}
