/**
 * What every report section receives and returns. tools/report/index.ts
 * renders the sections of a list in order; a bench adds its section by
 * writing a module that exports a {@linkcode Section} and listing it there.
 *
 * @module
 */
import type { BenchEntry } from "../../dev/schema.ts";
import type { LeadCell } from "./lead.ts";
import type { ResultFile } from "./results.ts";

/** The loaded results, shared by every section. */
export interface ReportContext {
  /** Every results file (files in another format carry extras only). */
  readonly files: ResultFile[];
  /** Every tagged entry. */
  readonly entries: BenchEntry[];
  /** bench/results, for sections that read their own files. */
  readonly resultsDir: string;
  /** docs, for sections that write their own charts (into `${docsDir}/img`). */
  readonly docsDir: string;
}

/** One checked target: a row of a targets table, with a cell per runtime. */
export interface TargetCheck {
  /** What is checked (and on which group). */
  readonly label: string;
  /** The bound, in words: "≥ 1.2×". */
  readonly target: string;
  /** One cell per runtime, in RUNTIME_IDS order: "✅ 1.31× vs msgpackr pack", "❌ …", "not measured", "no target". */
  readonly cells: string[];
  /** Runtimes where it was met. */
  readonly met: number;
  /** Runtimes where it was missed. */
  readonly missed: number;
}

/** What a section renders. */
export interface SectionOutput {
  /** Markdown lines under the section's heading. */
  readonly lines: string[];
  /** Its targets, counted in the summary. */
  readonly checks: TargetCheck[];
  /** SVG charts to write to docs/img/ (file name → SVG). */
  readonly charts: Record<string, string>;
  /** Route / naive ratios for the lead (sections whose results are not schema entries). */
  readonly leadCells?: LeadCell[];
}

/** A report section. */
export interface Section {
  /** Stable id (chart names, anchors). */
  readonly id: string;
  /** The `##` heading. */
  readonly title: string;
  /** Renders it from the results. */
  readonly render: (context: ReportContext) => SectionOutput | Promise<SectionOutput>;
}

/** A target row from one value per runtime (RUNTIME_IDS order; null: not measured). */
export function valueCheck(
  label: string,
  target: string,
  values: readonly (number | null)[],
  ok: (value: number) => boolean,
  show: (value: number) => string,
): TargetCheck {
  return {
    label,
    target,
    cells: values.map((v) => (v === null ? "not measured" : `${ok(v) ? "✅" : "❌"} ${show(v)}`)),
    met: values.filter((v) => v !== null && ok(v)).length,
    missed: values.filter((v) => v !== null && !ok(v)).length,
  };
}
