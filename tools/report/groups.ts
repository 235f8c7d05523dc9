/**
 * Sections built from tagged entries alone: the targets table from dev/schema.ts, then ONE
 * table of every contender of every group (per runtime: the varied time, the monomorphic one,
 * and a rival's ratio to our best comparable entry), then bytes per op.
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
  TARGETS,
} from "../../dev/schema.ts";
import { fmtBytes, fmtNs, fmtX, table } from "./format.ts";
import { bestComparable } from "./lead.ts";
import type { ReportContext, Section, SectionOutput } from "./section.ts";
import { checkTargets, targetTable } from "./targets.ts";

/** How to build a section from entries. */
export interface EntrySectionSpec {
  /** Section id; also the area of its targets in dev/schema.ts. */
  readonly id: AreaId;
  /** The heading. */
  readonly title: string;
  /** Which entries belong to it. */
  readonly select: (entry: BenchEntry) => boolean;
  /** Markdown paragraphs before the tables. */
  readonly intro?: readonly string[];
  /** Render nothing at all (no heading) when no entry matches. */
  readonly hideWhenEmpty?: boolean;
}

/** Distinct values of `key`, in first-seen order. */
function distinct<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

const bold = (e: BenchEntry): string => (e.side === "ours" ? `**${e.name}**` : e.name);

/** "1.23 µs · 0.91×": a time, and for a rival its time over our best comparable one. */
function timeCell(e: BenchEntry, sameRun: BenchEntry[]): string {
  if (e.side === "ours") return fmtNs(e.nsPerOp);
  const ours = bestComparable(sameRun, e);
  if (!ours) return fmtNs(e.nsPerOp);
  const ratio = e.nsPerOp / ours.nsPerOp;
  return `${fmtNs(e.nsPerOp)} · ${ratio < 1 ? `**${fmtX(ratio)}**` : fmtX(ratio)}`;
}

function measurements(entries: BenchEntry[]): string[] {
  const rows = distinct(entries, (e) => `${e.group}\u0000${e.contender}`).map((first) => {
    const tags = [
      first.owned ? "owned" : "into/pooled",
      first.strict === true ? "strict" : first.strict === false ? "lenient" : "",
    ].filter((t) => t !== "").join(", ");
    const cells = RUNTIME_IDS.map((runtime) => {
      const parts = (["varied", "monomorphic"] as const).flatMap((feedback) => {
        const run = entries.filter((x) =>
          x.group === first.group && x.runtime === runtime && x.feedback === feedback
        );
        const e = run.find((x) => x.contender === first.contender);
        if (!e) return [];
        const text = timeCell(e, run);
        return [feedback === "varied" ? text : `(mono ${text})`];
      });
      return parts.length === 0 ? "—" : parts.join(" ");
    });
    return [first.group, bold(first), tags, ...cells];
  });
  return [
    "#### Measurements",
    "",
    ...table(["group", "contender", "kind", ...RUNTIME_IDS.map((r) => RUNTIME_LABELS[r])], rows),
    "",
  ];
}

/** Bytes per op of every entry that measured them: backing store (Node, Deno) and heap. */
function allocationTable(entries: BenchEntry[]): string[] {
  const measured = entries.filter((e) =>
    e.backingStoreBytesPerOp !== null || e.heapBytesPerOp !== null
  );
  if (measured.length === 0) return [];
  const rows = distinct(measured, (e) => `${e.group}\u0000${e.contender}`).map((k) => [
    k.group,
    bold(k),
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

/** A section rendered from the entries `spec.select` picks. */
export function entrySection(spec: EntrySectionSpec): Section {
  return {
    id: spec.id,
    title: spec.title,
    render(context: ReportContext): SectionOutput {
      const entries = context.entries.filter(spec.select);
      if (entries.length === 0) {
        const lines = spec.hideWhenEmpty ? [] : ["Not measured: no matching entries.", ""];
        return { lines, checks: [], charts: {} };
      }
      const checks = checkTargets(TARGETS.filter((t) => t.area === spec.id), entries);
      const lines = [
        ...(spec.intro ?? []),
        ...targetTable(checks),
        ...measurements(entries),
        ...allocationTable(entries),
      ];
      return { lines, checks, charts: {} };
    },
  };
}
