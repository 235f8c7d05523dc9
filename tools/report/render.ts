/**
 * The one section renderer. A section is a description (sections.ts): either the tagged entries
 * it selects, rendered as their targets (dev/schema.ts TARGETS with the section's id) and ONE
 * measurements table; or the result files of one bench, rendered by its column descriptions and
 * checks. Either may add charts and rows of the lead.
 *
 * @module
 */
import {
  type BenchEntry,
  RUNTIME_IDS,
  RUNTIME_LABELS,
  type RuntimeId,
  TARGETS,
} from "../../dev/schema.ts";
import {
  bestComparable,
  checkTargets,
  type LeadCell,
  type TargetCheck,
  targetTable,
} from "./compare.ts";
import { distinct, fmtBytes, fmtNs, fmtX, table } from "./format.ts";
import type { ResultFile } from "./results.ts";

/** The loaded results every section reads. */
export interface ReportContext {
  readonly files: ResultFile[];
  readonly entries: BenchEntry[];
}

/** Per runtime (in RUNTIME_IDS order), what a section took from its bench's file. */
export type Runs<T> = Map<RuntimeId, T>;

/** A report section, described. */
export interface Section<T = unknown> {
  /** Stable id; entry sections check the TARGETS of this area. */
  readonly id: string;
  /** The `##` heading. */
  readonly title: string;
  /** The tagged entries it shows (an entry section). */
  readonly entries?: (entry: BenchEntry) => boolean;
  /** The bench whose files it reads, and what it takes from a file (undefined: nothing). */
  readonly bench?: string;
  readonly pick?: (file: ResultFile) => T | undefined;
  /** A paragraph under the heading. */
  readonly intro?: string | ((runs: Runs<T>) => string);
  /** Its targets, counted in the summary and shown as a table unless `showChecks` is false. */
  readonly checks?: (runs: Runs<T>) => TargetCheck[];
  readonly showChecks?: boolean;
  /** Markdown after the targets (tables from `columns`). */
  readonly tables?: (runs: Runs<T>, context: ReportContext) => string[];
  /** SVG charts for docs/img/, by file name. */
  readonly charts?: (runs: Runs<T>) => Promise<Record<string, string>>;
  /** Route / naive ratios for the lead. */
  readonly lead?: (runs: Runs<T>) => LeadCell[];
  /** Nothing at all (no heading) when nothing matches. */
  readonly hideWhenEmpty?: boolean;
}

/** What a section rendered. */
export interface SectionOutput {
  readonly lines: string[];
  readonly checks: TargetCheck[];
  readonly charts: Record<string, string>;
  readonly leadCells: LeadCell[];
}

/** Types a section's description (its data type stays inside it). */
export const section = <T>(spec: Section<T>): Section => spec as unknown as Section;

/** A rival's time with its ratio to our best comparable entry (bold when we lose). */
function timeText(e: BenchEntry, sameRun: BenchEntry[]): string {
  const ours = e.side === "ours" ? undefined : bestComparable(sameRun, e);
  if (!ours) return fmtNs(e.nsPerOp);
  const ratio = e.nsPerOp / ours.nsPerOp;
  return `${fmtNs(e.nsPerOp)} · ${ratio < 1 ? `**${fmtX(ratio)}**` : fmtX(ratio)}`;
}

/** Backing-store bytes per op (Node, Deno) and heap bytes per op, or "". */
function bytesText(e: BenchEntry | undefined): string {
  const heap = e?.heapBytesPerOp == null ? "" : `heap ${fmtBytes(e.heapBytesPerOp)}`;
  if (e?.backingStoreBytesPerOp == null) return heap;
  return `${fmtBytes(e.backingStoreBytesPerOp)}${heap ? ` (${heap})` : ""}`;
}

/** ONE table: a row per group and contender; per runtime, varied and mono times, then bytes. */
function measurements(entries: BenchEntry[]): string[] {
  const rows = distinct(entries, (e) => `${e.group}\0${e.contender}`).map((first) => [
    first.group,
    first.side === "ours" ? `**${first.name}**` : first.name,
    [
      first.owned ? "owned" : "into/pooled",
      first.strict === null ? "" : first.strict ? "strict" : "lenient",
    ]
      .filter(Boolean).join(", "),
    ...RUNTIME_IDS.map((runtime) => {
      const run = (feedback: string) =>
        entries.filter((x) =>
          x.group === first.group && x.runtime === runtime && x.feedback === feedback
        );
      const find = (feedback: string) => run(feedback).find((x) => x.contender === first.contender);
      const [varied, mono] = [find("varied"), find("monomorphic")];
      const parts = [
        varied && timeText(varied, run("varied")),
        mono && `(mono ${timeText(mono, run("monomorphic"))})`,
        bytesText(varied ?? mono),
      ].filter(Boolean);
      return parts.length === 0 ? "—" : parts.join(" ");
    }),
  ]);
  return table(["group", "contender", "kind", ...RUNTIME_IDS.map((r) => RUNTIME_LABELS[r])], rows);
}

/** Renders one section from the results. */
export async function renderSection(spec: Section, context: ReportContext): Promise<SectionOutput> {
  const empty = (why: string): SectionOutput => ({
    lines: spec.hideWhenEmpty ? [] : [why, ""],
    checks: [],
    charts: {},
    leadCells: [],
  });
  if (spec.entries) {
    const entries = context.entries.filter(spec.entries);
    if (entries.length === 0) return empty("Not measured: no matching entries.");
    const checks = checkTargets(TARGETS.filter((t) => t[0] === spec.id), entries);
    const intro = typeof spec.intro === "string" ? [spec.intro, ""] : [];
    const lines = [...intro, ...targetTable(checks), ...measurements(entries)];
    return { lines, checks, charts: {}, leadCells: [] };
  }
  const runs: Runs<unknown> = new Map();
  for (const runtime of RUNTIME_IDS) {
    const file = context.files.find((f) => f.bench === spec.bench && f.runtime === runtime);
    const data = file && (spec.pick ? spec.pick(file) : file.data);
    if (data !== undefined) runs.set(runtime, data);
  }
  if (runs.size === 0) return empty(`Not measured: no bench/results/${spec.bench}.*.json.`);
  const checks = spec.checks?.(runs) ?? [];
  const intro = typeof spec.intro === "function" ? spec.intro(runs) : spec.intro;
  return {
    lines: [
      ...(intro ? [intro, ""] : []),
      ...(spec.showChecks === false ? [] : targetTable(checks)),
      ...(spec.tables?.(runs, context) ?? []),
    ],
    checks,
    charts: (await spec.charts?.(runs)) ?? {},
    leadCells: spec.lead?.(runs) ?? [],
  };
}
