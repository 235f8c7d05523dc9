/**
 * Sections built from tagged entries alone: a targets table from
 * bench/_schema.ts, then one comparison table per group (every contender,
 * every runtime, varied and monomorphic), and a bar chart.
 *
 * A bench whose entries follow the schema gets a section by adding
 * `entrySection({ id, title, select })` to the list in tools/report/index.ts.
 *
 * @module
 */
import {
  type AreaId,
  type BenchEntry,
  RUNTIME_IDS,
  RUNTIME_LABELS,
  type RuntimeId,
  TARGETS,
} from "../../dev/schema.ts";
import { fmtBytes, fmtNs, fmtRate, fmtX, table } from "./format.ts";
import type { Miss, ReportContext, Section, SectionOutput } from "./section.ts";
import { barChart, type ChartGroup } from "./svg.ts";
import { checkTargets, targetTable } from "./targets.ts";

/** How to build a section from entries. */
export interface EntrySectionSpec {
  /** Section id; also the area of its targets in bench/_schema.ts and the chart's file name. */
  readonly id: AreaId;
  /** The heading. */
  readonly title: string;
  /** Which entries belong to it. */
  readonly select: (entry: BenchEntry) => boolean;
  /** Markdown paragraphs before the tables. */
  readonly intro?: readonly string[];
  /** Draw a chart (docs/img/<id>.svg). */
  readonly chart?: boolean;
}

/**
 * Our best entry comparable to `peer`: same op and ownership, and strict when
 * the peer is strict (a lenient decoder is a reference, compared with nothing).
 */
function bestComparable(entries: BenchEntry[], peer: BenchEntry): BenchEntry | undefined {
  let best: BenchEntry | undefined;
  for (const e of entries) {
    if (e.side !== "ours" || e.op !== peer.op || e.owned !== peer.owned) continue;
    if (peer.strict !== null && e.strict !== null && e.strict !== peer.strict) continue;
    if (!best || e.nsPerOp < best.nsPerOp) best = e;
  }
  return best;
}

function groupTable(group: string, entries: BenchEntry[], misses: Miss[]): string[] {
  const names: BenchEntry[] = [];
  for (const e of entries) {
    if (!names.some((n) => n.contender === e.contender)) names.push(e);
  }
  const at = (contender: string, runtime: RuntimeId, feedback: "varied" | "monomorphic") =>
    entries.find((e) =>
      e.contender === contender && e.runtime === runtime && e.feedback === feedback
    );
  const rows = names.map((first) => {
    const tags = [
      first.owned ? "owned" : "into/pooled",
      first.strict === true ? "strict" : first.strict === false ? "lenient" : "",
    ].filter((t) => t !== "").join(", ");
    const cells = RUNTIME_IDS.map((runtime) => {
      const parts: string[] = [];
      for (const feedback of ["varied", "monomorphic"] as const) {
        const e = at(first.contender, runtime, feedback);
        if (!e) continue;
        const runtimeEntries = entries.filter((x) =>
          x.runtime === runtime && x.feedback === feedback
        );
        let text = fmtNs(e.nsPerOp);
        if (e.side === "peer") {
          const ours = bestComparable(runtimeEntries, e);
          if (ours) {
            const ratio = e.nsPerOp / ours.nsPerOp;
            text += ratio < 1 ? ` · **${fmtX(ratio)}**` : ` · ${fmtX(ratio)}`;
            if (ratio < 1 && feedback === "varied" && e.strict !== false) {
              misses.push({ group, peer: e.name, runtime, ratio });
            }
          }
        }
        parts.push(feedback === "varied" ? text : `(mono ${text})`);
      }
      return parts.length === 0 ? "—" : parts.join(" ");
    });
    const label = first.side === "ours" ? `**${first.name}**` : first.name;
    return [label, tags, ...cells];
  });
  return [
    `##### ${group}`,
    "",
    ...table(["contender", "kind", ...RUNTIME_IDS.map((r) => RUNTIME_LABELS[r])], rows),
    "",
  ];
}

/** Bytes per op of every entry that measured them: backing store (Node, Deno) and heap. */
function allocationTable(entries: BenchEntry[]): string[] {
  const measured = entries.filter((e) =>
    e.backingStoreBytesPerOp !== null || e.heapBytesPerOp !== null
  );
  if (measured.length === 0) return [];
  const keys: BenchEntry[] = [];
  for (const e of measured) {
    if (!keys.some((k) => k.group === e.group && k.contender === e.contender)) keys.push(e);
  }
  const rows = keys.map((k) => [
    k.group,
    k.side === "ours" ? `**${k.name}**` : k.name,
    ...RUNTIME_IDS.map((runtime) => {
      const e = measured.find((x) =>
        x.group === k.group && x.contender === k.contender && x.runtime === runtime
      );
      if (!e) return "—";
      const heap = e.heapBytesPerOp === null ? "" : `heap ${fmtBytes(e.heapBytesPerOp)}`;
      return e.backingStoreBytesPerOp === null
        ? heap
        : `${fmtBytes(e.backingStoreBytesPerOp)}${heap ? ` (${heap})` : ""}`;
    }),
  ]);
  return [
    "#### Allocation per op",
    "",
    "Backing-store bytes per op (Node: `process.memoryUsage().arrayBuffers`, Deno: " +
    "`Deno.memoryUsage().external`) and, in parentheses, heap bytes per op (V8 `used_heap_size`; on Bun " +
    "`heapStats().heapSize` after `Bun.gc(true)`, which includes ArrayBuffer contents), each op's result kept " +
    "alive, measured after the timing.",
    "",
    ...table(["group", "contender", ...RUNTIME_IDS.map((r) => RUNTIME_LABELS[r])], rows),
    "",
  ];
}

function chart(title: string, groups: Map<string, BenchEntry[]>): string {
  const chartGroups: ChartGroup[] = [...groups].map(([group, entries]) => {
    const varied = entries.filter((e) => e.feedback === "varied");
    const contenders = [...new Set(varied.map((e) => e.contender))];
    return {
      title: group,
      bars: contenders.flatMap((contender) =>
        RUNTIME_IDS.flatMap((runtime) => {
          const e = varied.find((x) => x.contender === contender && x.runtime === runtime);
          return e
            ? [{
              label: e.name,
              runtime,
              value: e.opsPerSec,
              text: `${fmtRate(e.opsPerSec)} (${fmtNs(e.nsPerOp)})`,
              ours: e.side === "ours",
            }]
            : [];
        })
      ),
    };
  });
  return barChart(
    `@catga/memory: ${title}`,
    "ops per second after the varied warm-up (longer is faster); each group scaled to its fastest entry",
    chartGroups,
  );
}

/** A section rendered from the entries `spec.select` picks. */
export function entrySection(spec: EntrySectionSpec): Section {
  return {
    id: spec.id,
    title: spec.title,
    render(context: ReportContext): SectionOutput {
      const entries = context.entries.filter(spec.select);
      if (entries.length === 0) {
        return {
          lines: ["Not measured: no matching entries in bench/results/*.json.", ""],
          checks: [],
          misses: [],
          charts: {},
        };
      }
      const groups = new Map<string, BenchEntry[]>();
      for (const e of entries) {
        const list = groups.get(e.group) ?? [];
        list.push(e);
        groups.set(e.group, list);
      }
      const checks = checkTargets(TARGETS.filter((t) => t.area === spec.id), entries);
      const misses: Miss[] = [];
      const lines: string[] = [...(spec.intro ?? []), ...targetTable(checks)];
      lines.push("#### Measurements", "");
      for (const [group, list] of groups) lines.push(...groupTable(group, list, misses));
      lines.push(...allocationTable(entries));
      const charts: Record<string, string> = {};
      if (spec.chart) {
        lines.splice(0, 0, `![${spec.title}](img/${spec.id}.svg)`, "");
        charts[`${spec.id}.svg`] = chart(spec.title, groups);
      }
      return { lines, checks, misses, charts };
    },
  };
}
