/**
 * The seed scenario (bench/scenario.bench.ts): four routes per size against SCENARIO_TARGETS.
 * @module
 */
import { RUNTIME_LABELS } from "../../dev/schema.ts";
import {
  SCENARIO_SIZES as SIZES,
  SCENARIO_TARGETS as T,
  type ScenarioExtras,
  type ScenarioRoute,
  type ScenarioRow,
  type ScenarioSize,
} from "../../dev/schema_scenario.ts";
import { check, judge, type SectionOutput, targetTable } from "./compare.ts";
import { columns, fmtBytes, fmtNs, fmtX, pct, thousands } from "./format.ts";
import { type ReportContext, runsOf } from "./results.ts";

const LABEL: Record<ScenarioRoute, string> = {
  naive: "naive JSON",
  pooled: "pooled JSON",
  msgpack: "pooled MessagePack",
  ceiling: "JSON ceiling",
};

/** A metric of `route` over the same metric of `base`, at one size; null where not measured. */
function over(s: ScenarioExtras, size: string, [route, base]: ScenarioRoute[], metric: string) {
  const [a, b] = [route, base].map((p) =>
    s.rows.find((r) => r.size === size && r.path === p)?.[metric as keyof ScenarioRow] as number
  );
  return a == null || b == null || b === 0 ? (a === 0 && b === 0 ? 0 : null) : a / b;
}

/** [what, metric, bound, at least (else at most), shown as a ratio (else a percentage)]. */
type Bound = [what: string, metric: keyof ScenarioRow, bound: number, atLeast?: 1, times?: 1];
const vsNaive = (size: ScenarioSize): Bound[] => [
  ["throughput", "opsPerSec", T.throughputMin, 1, 1],
  ["GC events per 100k ops", "gcEventsPer100k", T.gcEventsMax],
  ["p99 latency", "p99Ns", T.p99Max],
  ["backing-store bytes per op", "backingStoreBytesPerOp", T.bytesPerOpMax[size]],
];

const INTRO =
  "Serialize, then base64 the payload, after the same 400 varied messages. **naive**: " +
  "`JSON.stringify` + `TextEncoder.encode`, base64 to a string; **pooled JSON**: `serializeTo` " +
  "a pooled writer, `writeBase64` into another; **pooled MessagePack**: the same with msgpack; " +
  "**JSON ceiling**: `JSON.stringify` + `encodeInto` a preallocated buffer. ops/s: 1 / mean; GC: " +
  "`v8.GCProfiler`; bytes per op with results kept; peak RSS sampled every 1024 ops.";

export function renderScenario({ files }: ReportContext): SectionOutput {
  const runs = runsOf<ScenarioExtras>(files, "scenario", "scenario");
  const checks = SIZES.flatMap((size) => {
    const ceiling: Bound = ["throughput", "opsPerSec", T.jsonOfCeilingMin, 1];
    const pairs = T.routes.flatMap((route) => vsNaive(size).map((b) => [route, b] as const));
    return [...pairs, ["pooled", ceiling] as const].map(([route, bound]) => {
      const [what, metric, limit, atLeast, times] = bound;
      const base = bound === ceiling ? "ceiling" : "naive";
      const ok = (r: number) => (atLeast ? r >= limit : r <= limit);
      const target = `${atLeast ? "≥" : "≤"} ${times ? `${limit}×` : `${limit * 100}%`}`;
      const label = `${size}, ${LABEL[route]} / ${bound === ceiling ? "its ceiling" : "naive"}`;
      return check(
        `${label}: ${what}`,
        target,
        runs,
        (s) => judge(over(s, size, [route, base], metric), ok, times ? fmtX : pct),
      );
    });
  });
  const rows = [...runs].flatMap(([runtime, s]) => s.rows.map((r) => ({ runtime, r })));
  const lines = [
    INTRO,
    "",
    ...targetTable(checks),
    ...columns(rows, {
      runtime: (x) => RUNTIME_LABELS[x.runtime],
      size: (x) => x.r.size,
      route: ({ r }) => (T.routes.includes(r.path) ? `**${LABEL[r.path]}**` : LABEL[r.path]),
      "ops/s": (x) => thousands(x.r.opsPerSec),
      p50: (x) => fmtNs(x.r.p50Ns),
      p99: (x) => fmtNs(x.r.p99Ns),
      "minor / major GC /100k": ({ r }) =>
        [r.gcMinorPer100k, r.gcMajorPer100k].map((n) => n?.toFixed(1) ?? "n/a").join(" / "),
      "JS heap B/op (Bun: heap)": ({ r }) => fmtBytes(r.jsHeapBytesPerOp ?? r.heapBytesPerOp),
      "backing-store B/op": (x) => fmtBytes(x.r.backingStoreBytesPerOp),
      "peak RSS": (x) => fmtBytes(x.r.peakRssBytes),
    }),
    // Both JSON routes call JSON.stringify: naive ÷ stringify bounds what any such route can gain.
    ...[...runs].map(([runtime, s]) => {
      const floor = s.stringifyFloor.map((f) => `${f.size} ${fmtX(f.ceiling)}`);
      return `- ${RUNTIME_LABELS[runtime]}: naive ÷ \`JSON.stringify\` alone (the most a JSON ` +
        `route can gain) ${floor.join(", ")}; naive base64 \`${s.naiveBase64}\`; GC: ` +
        `${s.gcMetric ?? "none"}${s.heapMetric ? `; heap: ${s.heapMetric}` : ""}; backing ` +
        `store: \`${s.backingStoreMetric}\`; ${s.seconds} s per size and route.`;
    }),
    "",
  ];
  // The lead's rows: each pooled route's throughput over naive's.
  const leadCells = [...runs].flatMap(([runtime, s]) =>
    SIZES.flatMap((size) =>
      T.routes.map((route) => ({
        operation: `scenario: ${LABEL[route]}`,
        size,
        runtime,
        ratio: over(s, size, [route, "naive"], "opsPerSec")!,
      }))
    ).filter((c) => c.ratio !== null)
  );
  return { lines: runs.size === 0 ? [] : lines, checks, leadCells };
}
