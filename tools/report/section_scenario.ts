/**
 * The seed scenario (bench/scenario.bench.ts, `extras.scenario`): four routes per message size,
 * their ratios to the naive route against SCENARIO_TARGETS, the JSON route against its ceiling.
 *
 * @module
 */
import { RUNTIME_LABELS } from "../../dev/schema.ts";
import {
  SCENARIO_SIZES,
  SCENARIO_TARGETS as T,
  type ScenarioExtras,
  type ScenarioRoute,
  type ScenarioRow,
} from "../../dev/schema_scenario.ts";
import { type TargetCheck, valueCheck } from "./compare.ts";
import { columns, fmtBytes, fmtNs, fmtX, pct, ratioOf, thousands } from "./format.ts";
import { perRuntime, runRows, type Runs, type Section, section } from "./render.ts";

const LABEL: Record<ScenarioRoute, string> = {
  naive: "naive JSON",
  pooled: "pooled JSON",
  msgpack: "pooled MessagePack",
  ceiling: "JSON ceiling",
};

const rowOf = (s: ScenarioExtras, size: string, route: ScenarioRoute): ScenarioRow | undefined =>
  s.rows.find((r) => r.size === size && r.path === route);

/** A metric of `route` over the same metric of `base`, at one size. */
const over =
  (size: string, route: ScenarioRoute, base: ScenarioRoute, metric: keyof ScenarioRow) =>
  (s: ScenarioExtras) =>
    ratioOf(
      rowOf(s, size, route)?.[metric] as number | null,
      rowOf(s, size, base)?.[metric] as number | null,
    );

/** The targets of each route / naive: [what, metric, bound, ok]; bytes per op by size. */
const METRICS = [
  ["throughput", "opsPerSec", T.throughputMin, (r: number, min: number) => r >= min],
  [
    "GC events per 100k ops",
    "gcEventsPer100k",
    T.gcEventsMax,
    (r: number, max: number) => r <= max,
  ],
  ["p99 latency", "p99Ns", T.p99Max, (r: number, max: number) => r <= max],
  [
    "backing-store bytes per op",
    "backingStoreBytesPerOp",
    null,
    (r: number, max: number) => r <= max,
  ],
] as const;

function checks(runs: Runs<ScenarioExtras>): TargetCheck[] {
  return SCENARIO_SIZES.flatMap((size) => [
    ...T.routes.flatMap((route) =>
      METRICS.map(([what, metric, bound, ok]) => {
        const limit = bound ?? T.bytesPerOpMax[size];
        const target = metric === "opsPerSec" ? `≥ ${limit}×` : `≤ ${limit * 100}%`;
        const values = perRuntime(runs, over(size, route, "naive", metric));
        const label = `${size}, ${LABEL[route]} / naive: ${what}`;
        return valueCheck(label, target, values, (r) =>
          ok(r, limit), metric === "opsPerSec" ? fmtX : pct);
      })
    ),
    valueCheck(
      `${size}, pooled JSON / its ceiling: throughput`,
      `≥ ${T.jsonOfCeilingMin * 100}%`,
      perRuntime(runs, over(size, "pooled", "ceiling", "opsPerSec")),
      (r) => r >= T.jsonOfCeilingMin,
      pct,
    ),
  ]);
}

/** The seed scenario section. */
export const scenarioSection: Section = section<ScenarioExtras>({
  id: "scenario",
  title: "The seed scenario: naive vs pooled JSON vs pooled MessagePack, end to end",
  bench: "scenario",
  pick: (f) => {
    const s = f.data.scenario as ScenarioExtras | undefined;
    return Array.isArray(s?.rows) ? s : undefined;
  },
  intro: "Each message is serialized and its payload base64-encoded (bench/scenario.bench.ts), " +
    "after every route was fed the same 400 varied messages. **naive**: `JSON.stringify` + " +
    "`TextEncoder.encode`, then base64 into a fresh string. **pooled JSON**: " +
    "`JsonSerializer#serializeTo` into a pooled `BufferWriter`, then `writeBase64` into a second. " +
    "**pooled MessagePack**: `MsgPackSerializer#serializeTo` into pooled memory, then " +
    "`writeBase64`. **JSON ceiling**: `JSON.stringify` + `encodeInto` into a preallocated buffer, " +
    "then `writeBase64`. Latency per op (p50/p99), ops/s the inverse of the mean; GC from " +
    "`v8.GCProfiler` (minor: Scavenge / MinorMarkSweep, major: MarkSweepCompact); bytes per op " +
    "with results kept alive (the JS heap column also counts strings; on Bun, heap bytes per " +
    "op); peak RSS is process-wide, sampled every 1024 ops.",
  checks,
  tables: (runs: Runs<ScenarioExtras>) => [
    ...columns(
      runRows(runs).flatMap(([runtime, s]) =>
        SCENARIO_SIZES.flatMap((size) =>
          (["naive", "pooled", "msgpack", "ceiling"] as const).flatMap((route) => {
            const r = rowOf(s, size, route);
            return r ? [{ runtime, size, route, r }] : [];
          })
        )
      ),
      {
        runtime: (x) => RUNTIME_LABELS[x.runtime],
        size: (x) => x.size,
        route: (x) => (T.routes.includes(x.route) ? `**${LABEL[x.route]}**` : LABEL[x.route]),
        "ops/s": (x) => thousands(x.r.opsPerSec),
        p50: (x) => fmtNs(x.r.p50Ns),
        p99: (x) => fmtNs(x.r.p99Ns),
        "minor / major GC /100k": (x) =>
          x.r.gcMinorPer100k === null
            ? "n/a"
            : `${x.r.gcMinorPer100k.toFixed(1)} / ${x.r.gcMajorPer100k?.toFixed(1)}`,
        "JS heap B/op (Bun: heap)": (x) =>
          fmtBytes(x.runtime === "bun" ? x.r.heapBytesPerOp : x.r.jsHeapBytesPerOp),
        "backing-store B/op": (x) => fmtBytes(x.r.backingStoreBytesPerOp),
        "peak RSS": (x) => fmtBytes(x.r.peakRssBytes),
      },
    ),
    // Both JSON routes call JSON.stringify: naive ÷ stringify bounds what any such route can gain.
    ...runRows(runs).map(([runtime, s]) => {
      const floor = (s.stringifyFloor ?? []).map((f) => `${f.size} ${fmtX(f.ceiling)}`).join(", ");
      const heap = s.heapMetric ? `; heap: ${s.heapMetric}` : "";
      return `- ${RUNTIME_LABELS[runtime]}: naive ÷ \`JSON.stringify\` alone (the most a JSON ` +
        `route can gain) ${floor}; naive base64 \`${s.naiveBase64}\`; GC: ` +
        `${s.gcMetric ?? "not observable"}${heap}; backing store: \`${s.backingStoreMetric}\`; ` +
        `${s.seconds} s per size and route.`;
    }),
    "",
  ],
  // The lead's rows: each pooled route's throughput over naive's.
  lead: (runs: Runs<ScenarioExtras>) =>
    runRows(runs).flatMap(([runtime, s]) =>
      SCENARIO_SIZES.flatMap((size) =>
        T.routes.flatMap((route) => {
          const ratio = over(size, route, "naive", "opsPerSec")(s);
          const operation = `scenario: ${LABEL[route]}`;
          return ratio === null ? [] : [{ operation, size, runtime, ratio, rival: LABEL.naive }];
        })
      )
    ),
});
