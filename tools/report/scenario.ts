/**
 * The seed's scenario (bench/scenario.bench.ts): four routes per message
 * size, their ratios to the naive route against SCENARIO_TARGETS, the JSON
 * route against its ceiling, and a chart.
 *
 * @module
 */
import { RUNTIME_IDS, RUNTIME_LABELS, type RuntimeId } from "../../dev/schema.ts";
import {
  SCENARIO_SIZES,
  SCENARIO_TARGETS,
  type ScenarioExtras,
  type ScenarioRoute,
  type ScenarioRow,
} from "../../dev/schema_scenario.ts";
import { fmtBytes, fmtNs, fmtX, pct, ratioOf, table } from "./format.ts";
import type { LeadCell } from "./lead.ts";
import type { ReportContext, Section, SectionOutput, TargetCheck } from "./section.ts";
import { targetTable } from "./targets.ts";

const ROUTES: readonly ScenarioRoute[] = ["naive", "pooled", "msgpack", "ceiling"];
const ROUTE_LABEL: Record<ScenarioRoute, string> = {
  naive: "naive JSON",
  pooled: "pooled JSON",
  msgpack: "pooled MessagePack",
  ceiling: "JSON ceiling",
};

function scenarioOf(extras: Record<string, unknown> | undefined): ScenarioExtras | undefined {
  const scenario = extras?.scenario as ScenarioExtras | undefined;
  return scenario && Array.isArray(scenario.rows) ? scenario : undefined;
}

function rowOf(s: ScenarioExtras, size: string, route: ScenarioRoute): ScenarioRow | undefined {
  return s.rows.find((r) => r.size === size && r.path === route);
}

type Spec = [
  label: string,
  target: string,
  compute: (s: ScenarioExtras) => number | null,
  ok: (r: number) => boolean,
  show: (r: number) => string,
];

function checksOf(byRuntime: Map<RuntimeId, ScenarioExtras>): TargetCheck[] {
  const t = SCENARIO_TARGETS;
  const checks: TargetCheck[] = [];
  const evaluate = ([label, target, compute, ok, show]: Spec, info = false): void => {
    let met = 0;
    let missed = 0;
    const cells = RUNTIME_IDS.map((runtime) => {
      const s = byRuntime.get(runtime);
      if (!s) return "not measured";
      const value = compute(s);
      if (value === null || !Number.isFinite(value)) {
        return label.includes("GC events") && runtime === "bun"
          ? "not observable (Bun)"
          : "not measured";
      }
      if (info) return show(value);
      const pass = ok(value);
      if (pass) met++;
      else missed++;
      return `${pass ? "✅" : "❌"} ${show(value)}`;
    });
    checks.push({ label, target: info ? "info" : target, cells, met, missed });
  };
  for (const size of SCENARIO_SIZES) {
    for (const route of t.routes) {
      const of = (metric: keyof ScenarioRow) => (s: ScenarioExtras) =>
        ratioOf(
          rowOf(s, size, route)?.[metric] as number | null | undefined,
          rowOf(s, size, "naive")?.[metric] as number | null | undefined,
        );
      const name = `${size}, ${ROUTE_LABEL[route]} / naive`;
      evaluate([
        `${name}: throughput`,
        `≥ ${t.throughputMin}×`,
        of("opsPerSec"),
        (r) => r >= t.throughputMin,
        fmtX,
      ]);
      evaluate([
        `${name}: GC events per 100k ops`,
        `≤ ${t.gcEventsMax * 100}%`,
        of("gcEventsPer100k"),
        (r) => r <= t.gcEventsMax,
        pct,
      ]);
      evaluate([
        `${name}: p99 latency`,
        `≤ ${t.p99Max * 100}%`,
        of("p99Ns"),
        (r) => r <= t.p99Max,
        pct,
      ]);
      evaluate([
        `${name}: backing-store bytes per op`,
        `≤ ${t.bytesPerOpMax[size] * 100}%`,
        of("backingStoreBytesPerOp"),
        (r) => r <= t.bytesPerOpMax[size],
        pct,
      ]);
    }
    evaluate([
      `${size}, pooled JSON / its ceiling: throughput`,
      `≥ ${t.jsonOfCeilingMin * 100}%`,
      (s) => ratioOf(rowOf(s, size, "pooled")?.opsPerSec, rowOf(s, size, "ceiling")?.opsPerSec),
      (r) => r >= t.jsonOfCeilingMin,
      pct,
    ]);
    // Both JSON routes call JSON.stringify: naive / stringify bounds what any such route can gain.
    evaluate([
      `${size}: naive ÷ JSON.stringify alone (the most a JSON route can gain)`,
      "info",
      (s) => s.stringifyFloor?.find((f) => f.size === size)?.ceiling ?? null,
      () => true,
      fmtX,
    ], true);
  }
  return checks;
}

function runtimeTable(runtime: RuntimeId, s: ScenarioExtras): string[] {
  const rows = SCENARIO_SIZES.flatMap((size) =>
    ROUTES.map((route) => {
      const r = rowOf(s, size, route);
      if (!r) return [size, ROUTE_LABEL[route], "not measured", "", "", "", "", "", "", ""];
      return [
        size,
        route === "naive" || route === "ceiling" ? ROUTE_LABEL[route] : `**${ROUTE_LABEL[route]}**`,
        Math.round(r.opsPerSec).toLocaleString("en-US"),
        fmtNs(r.p50Ns),
        fmtNs(r.p99Ns),
        r.gcMinorPer100k === null ? "n/a" : r.gcMinorPer100k.toFixed(1),
        r.gcMajorPer100k === null ? "n/a" : r.gcMajorPer100k.toFixed(1),
        runtime === "bun" ? fmtBytes(r.heapBytesPerOp) : fmtBytes(r.jsHeapBytesPerOp),
        fmtBytes(r.backingStoreBytesPerOp),
        fmtBytes(r.peakRssBytes),
      ];
    })
  );
  return table(
    [
      "size",
      "route",
      "ops/s",
      "p50",
      "p99",
      "minor GC /100k",
      "major GC /100k",
      runtime === "bun" ? "heap B/op" : "JS heap B/op",
      "backing-store B/op",
      "peak RSS",
    ],
    rows,
  );
}

const INTRO = [
  "Each message is serialized and its payload base64-encoded (bench/scenario.bench.ts), after every route " +
  "was fed the same 400 varied messages. **naive**: `JSON.stringify` + `TextEncoder.encode` (a fresh buffer " +
  "per message), then base64 into a fresh string (native `toBase64` where the runtime has it, else `Buffer`). " +
  "**pooled JSON**: `JsonSerializer#serializeTo` into a pooled `BufferWriter`, then `writeBase64` into a second " +
  "pooled writer, both kept for the run and reset per message. **pooled MessagePack**: the seed's MemoryPack " +
  "move, `MsgPackSerializer#serializeTo` into pooled memory, then `writeBase64`. **JSON ceiling**: " +
  "`JSON.stringify` + `encodeInto` into a preallocated buffer, then `writeBase64`: the most a route that calls " +
  "`JSON.stringify` can do, and what the pooled JSON route is checked against.",
  "",
  "- Latency is timed per op (p50/p99 of every op of the run); ops/s is the inverse of the mean.",
  "- GC events come from `v8.GCProfiler` (Node, Deno): minor = Scavenge / MinorMarkSweep, major = " +
  "MarkSweepCompact. Bun exposes neither GC events nor an allocation counter, so its rows show heap bytes per op " +
  "(bun:jsc `heapSize` growth with each op's result kept alive) instead.",
  "- The bytes-per-op target is checked on backing-store bytes (ArrayBuffer memory). The JS heap column (V8: bytes " +
  "freed by GCs plus net heap growth, per op) also counts strings, such as the `JSON.stringify` output.",
  "- Peak RSS is process-wide (sampled every 1024 ops), so a phase also carries what the phases before it left.",
  "",
];

function render(context: ReportContext): SectionOutput {
  const byRuntime = new Map<RuntimeId, ScenarioExtras>();
  const versions = new Map<RuntimeId, string>();
  for (const file of context.files.filter((f) => f.bench === "scenario")) {
    const s = scenarioOf(file.extras);
    if (s) {
      byRuntime.set(file.runtime, s);
      versions.set(file.runtime, file.version);
    }
  }
  if (byRuntime.size === 0) {
    return {
      lines: ["Not measured: no bench/results/scenario.*.json.", ""],
      checks: [],
      charts: {},
    };
  }
  const checks = checksOf(byRuntime);
  const lines = [
    ...INTRO,
    ...targetTable(checks, "#### Targets (route / naive, and the JSON route / its ceiling)"),
  ];
  for (const runtime of RUNTIME_IDS) {
    const s = byRuntime.get(runtime);
    if (!s) {
      lines.push(`#### ${RUNTIME_LABELS[runtime]}`, "", "Not measured.", "");
      continue;
    }
    lines.push(`#### ${RUNTIME_LABELS[runtime]} ${versions.get(runtime)}`, "");
    const notes = [
      s.naiveBase64 ? `naive base64: \`${s.naiveBase64}\`` : "",
      s.gcMetric ? `GC: ${s.gcMetric}` : "",
      s.heapMetric ? `heap: ${s.heapMetric}` : "",
      s.backingStoreMetric ? `backing store: \`${s.backingStoreMetric}\`` : "",
      s.seconds ? `${s.seconds} s per size and route` : "",
    ].filter((n) => n !== "");
    if (notes.length > 0) lines.push(notes.join("; ") + ".", "");
    lines.push(...runtimeTable(runtime, s), "");
  }
  // The lead's rows: each pooled route's throughput over naive's.
  const leadCells: LeadCell[] = [...byRuntime].flatMap(([runtime, s]) =>
    SCENARIO_SIZES.flatMap((size) =>
      SCENARIO_TARGETS.routes.flatMap((route) => {
        const ratio = ratioOf(rowOf(s, size, route)?.opsPerSec, rowOf(s, size, "naive")?.opsPerSec);
        return ratio === null ? [] : [{
          operation: `scenario: ${ROUTE_LABEL[route]}`,
          size,
          runtime,
          ratio,
          rival: ROUTE_LABEL.naive,
        }];
      })
    )
  );
  return { lines, checks, charts: {}, leadCells };
}

/** The seed scenario section. */
export const scenarioSection: Section = {
  id: "scenario",
  title: "The seed scenario: naive vs pooled JSON vs pooled MessagePack, end to end",
  render,
};
