/**
 * The seed scenario (bench/scenario.bench.ts, `extras.scenario`): four routes per message size,
 * their ratios to the naive route against SCENARIO_TARGETS, the JSON route against its ceiling.
 *
 * @module
 */
import { RUNTIME_LABELS } from "../../dev/schema.ts";
import {
  SCENARIO_SIZES as SIZES,
  SCENARIO_TARGETS as T,
  type ScenarioExtras,
  type ScenarioRoute,
  type ScenarioRow,
} from "../../dev/schema_scenario.ts";
import { check, judge } from "./compare.ts";
import { columns, fmtBytes, fmtNs, fmtX, pct, ratioOf, thousands } from "./format.ts";
import { type Runs, type Section, section } from "./render.ts";

const LABEL: Record<ScenarioRoute, string> = {
  naive: "naive JSON",
  pooled: "pooled JSON",
  msgpack: "pooled MessagePack",
  ceiling: "JSON ceiling",
};
const ROUTES = Object.keys(LABEL) as ScenarioRoute[];

const rowOf = (s: ScenarioExtras, size: string, route: ScenarioRoute) =>
  s.rows.find((r) => r.size === size && r.path === route);

/** A metric of `route` over the same metric of `base`, at one size. */
const over =
  (size: string, route: ScenarioRoute, base: ScenarioRoute, metric: keyof ScenarioRow) =>
  (s: ScenarioExtras): number | null =>
    ratioOf(rowOf(s, size, route)?.[metric] as number, rowOf(s, size, base)?.[metric] as number);

/** Per route / naive: [what, metric, the most (or, for throughput, the least) it may be]. */
const METRICS = [
  ["throughput", "opsPerSec", () => T.throughputMin],
  ["GC events per 100k ops", "gcEventsPer100k", () => T.gcEventsMax],
  ["p99 latency", "p99Ns", () => T.p99Max],
  [
    "backing-store bytes per op",
    "backingStoreBytesPerOp",
    (size: "small") => T.bytesPerOpMax[size],
  ],
] as const;

function checks(runs: Runs<ScenarioExtras>) {
  return SIZES.flatMap((size) => [
    ...T.routes.flatMap((route) =>
      METRICS.map(([what, metric, limitOf]) => {
        const [limit, up] = [limitOf(size as "small"), metric === "opsPerSec"];
        const target = up ? `≥ ${limit}×` : `≤ ${limit * 100}%`;
        const ok = (r: number) => (up ? r >= limit : r <= limit);
        return check(`${size}, ${LABEL[route]} / naive: ${what}`, target, runs, (s) =>
          judge(over(size, route, "naive", metric)(s), ok, up ? fmtX : pct));
      })
    ),
    check(
      `${size}, pooled JSON / its ceiling: throughput`,
      `≥ ${T.jsonOfCeilingMin * 100}%`,
      runs,
      (s) =>
        judge(over(size, "pooled", "ceiling", "opsPerSec")(s), (r) => r >= T.jsonOfCeilingMin, pct),
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
  intro: "Each message serialized, its payload base64-encoded, after every route was fed the " +
    "same 400 varied messages. **naive**: `JSON.stringify` + `TextEncoder.encode`, base64 to a " +
    "fresh string; **pooled JSON**: `JsonSerializer#serializeTo` into a pooled writer, " +
    "`writeBase64` into a second; **pooled MessagePack**: `MsgPackSerializer#serializeTo`, then " +
    "`writeBase64`; **JSON ceiling**: `JSON.stringify` + `encodeInto` into a preallocated " +
    "buffer, then `writeBase64`. Latency per op; ops/s the inverse of the mean; GC from " +
    "`v8.GCProfiler` (minor / major); bytes per op with results kept alive (JS heap counts " +
    "strings too); peak RSS process-wide, sampled every 1024 ops.",
  checks,
  tables: (runs: Runs<ScenarioExtras>) => [
    ...columns(
      [...runs].flatMap(([runtime, s]) =>
        SIZES.flatMap((size) =>
          ROUTES.map((route) => ({ runtime, size, route, r: rowOf(s, size, route)! }))
        )
          .filter((x) => x.r)
      ),
      {
        runtime: (x) => RUNTIME_LABELS[x.runtime],
        size: (x) => x.size,
        route: (x) => (T.routes.includes(x.route) ? `**${LABEL[x.route]}**` : LABEL[x.route]),
        "ops/s": (x) => thousands(x.r.opsPerSec),
        p50: (x) => fmtNs(x.r.p50Ns),
        p99: (x) => fmtNs(x.r.p99Ns),
        "minor / major GC /100k": ({ r }) =>
          [r.gcMinorPer100k, r.gcMajorPer100k].map((n) => n?.toFixed(1) ?? "n/a").join(" / "),
        "JS heap B/op (Bun: heap)": ({ r }) => fmtBytes(r.jsHeapBytesPerOp ?? r.heapBytesPerOp),
        "backing-store B/op": (x) => fmtBytes(x.r.backingStoreBytesPerOp),
        "peak RSS": (x) => fmtBytes(x.r.peakRssBytes),
      },
    ),
    // Both JSON routes call JSON.stringify: naive ÷ stringify bounds what any such route can gain.
    ...[...runs].map(([runtime, s]) => {
      const floor = (s.stringifyFloor ?? []).map((f) => `${f.size} ${fmtX(f.ceiling)}`);
      return `- ${RUNTIME_LABELS[runtime]}: naive ÷ \`JSON.stringify\` alone (the most a JSON ` +
        `route can gain) ${floor.join(", ")}; naive base64 \`${s.naiveBase64}\`; GC: ` +
        `${s.gcMetric ?? "none"}${s.heapMetric ? `; heap: ${s.heapMetric}` : ""}; backing ` +
        `store: \`${s.backingStoreMetric}\`; ${s.seconds} s per size and route.`;
    }),
    "",
  ],
  // The lead's rows: each pooled route's throughput over naive's.
  lead: (runs: Runs<ScenarioExtras>) =>
    [...runs].flatMap(([runtime, s]) =>
      SIZES.flatMap((size) =>
        T.routes.map((route) => ({
          operation: `scenario: ${LABEL[route]}`,
          size,
          runtime,
          ratio: over(size, route, "naive", "opsPerSec")(s)!,
          rival: LABEL.naive,
        }))
      ).filter((c) => c.ratio !== null)
    ),
});
