/**
 * The one section renderer. An entry section (sections.ts) selects tagged entries and shows their
 * targets (dev/schema.ts TARGETS of its id) and ONE measurements table; a section of a bench with
 * its own format renders that bench's runs (`runsOf`) through the same checks and tables.
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

/** What a section rendered: no lines, no heading. Charts are SVG by file name. */
export interface SectionOutput {
  readonly lines: string[];
  readonly checks: TargetCheck[];
  readonly charts?: Record<string, string>;
  readonly leadCells?: LeadCell[];
}

/** A report section: the tagged entries it shows, or how it renders a bench of its own format. */
export interface Section {
  readonly id: string;
  readonly title: string;
  readonly entries?: (entry: BenchEntry) => boolean;
  readonly intro?: string;
  readonly render?: (context: ReportContext) => SectionOutput | Promise<SectionOutput>;
}

/** Per runtime, `bench`'s data (or its `key`), as results.ts checked it. */
export function runsOf<T>(files: ResultFile[], bench: string, key?: string): Runs<T> {
  const runs: Runs<T> = new Map();
  for (const runtime of RUNTIME_IDS) {
    const file = files.find((f) => f.bench === bench && f.runtime === runtime);
    if (file) runs.set(runtime, (key ? file.data[key] : file.data) as T);
  }
  return runs;
}

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
  if (spec.render) return await spec.render(context);
  const entries = context.entries.filter(spec.entries ?? (() => false));
  const checks = checkTargets(TARGETS.filter((t) => t[0] === spec.id), entries);
  const intro = spec.intro ? [spec.intro, ""] : [];
  const lines = [...intro, ...targetTable(checks), ...measurements(entries)];
  return { lines: entries.length === 0 ? [] : lines, checks };
}
