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

/** A route / naive for each metric, and whether each meets the seed's target. */
export interface ScenarioRatio {
  size: ScenarioSize;
  route: ScenarioRoute;
  /** The pooled JSON route's throughput / the ceiling route's (pooled only). */
  ofCeiling: number | null;
  ofCeilingMet: boolean | null;
  throughput: number;
  throughputMet: boolean;
  gcEvents: number | null;
  gcEventsMet: boolean | null;
  p99: number;
  p99Met: boolean;
  backingStoreBytes: number | null;
  backingStoreBytesMet: boolean | null;
  jsHeapBytes: number | null;
  heapBytes: number | null;
}

function ratio(pooledValue: number | null, naiveValue: number | null): number | null {
  if (pooledValue === null || naiveValue === null) return null;
  if (naiveValue === 0) return pooledValue === 0 ? 1 : null;
  return pooledValue / naiveValue;
}

export function scenarioRatios(rows: readonly ScenarioRow[]): ScenarioRatio[] {
  return SCENARIO_SIZES.flatMap((size) => SCENARIO_TARGETS.routes.map((route) => ({ size, route })))
    .map(
      ({ size, route }) => {
        const n = rows.find((r) => r.size === size && r.path === "naive")!;
        const p = rows.find((r) => r.size === size && r.path === route)!;
        const c = rows.find((r) => r.size === size && r.path === "ceiling")!;
        const ofCeiling = route === "pooled" ? p.opsPerSec / c.opsPerSec : null;
        const throughput = p.opsPerSec / n.opsPerSec;
        const gcEvents = ratio(p.gcEventsPer100k, n.gcEventsPer100k);
        const p99 = p.p99Ns / n.p99Ns;
        const backingStoreBytes = ratio(p.backingStoreBytesPerOp, n.backingStoreBytesPerOp);
        return {
          size,
          route,
          ofCeiling,
          ofCeilingMet: ofCeiling === null ? null : ofCeiling >= SCENARIO_TARGETS.jsonOfCeilingMin,
          throughput,
          throughputMet: throughput >= SCENARIO_TARGETS.throughputMin,
          gcEvents,
          gcEventsMet: gcEvents === null ? null : gcEvents <= SCENARIO_TARGETS.gcEventsMax,
          p99,
          p99Met: p99 <= SCENARIO_TARGETS.p99Max,
          backingStoreBytes,
          backingStoreBytesMet: backingStoreBytes === null
            ? null
            : backingStoreBytes <= SCENARIO_TARGETS.bytesPerOpMax[size],
          jsHeapBytes: ratio(p.jsHeapBytesPerOp, n.jsHeapBytesPerOp),
          heapBytes: ratio(p.heapBytesPerOp, n.heapBytesPerOp),
        };
      },
    );
}
