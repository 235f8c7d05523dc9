/**
 * Number formats and Markdown tables for the performance report.
 *
 * @module
 */

/** Nanoseconds as the shortest readable unit. */
export function fmtNs(ns: number): string {
  if (!Number.isFinite(ns)) return "n/a";
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  if (ns >= 100) return `${ns.toFixed(0)} ns`;
  return `${ns.toFixed(1)} ns`;
}

/** A rate per second. */
export function fmtRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return "n/a";
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)} M/s`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(1)} k/s`;
  return `${perSec.toFixed(0)}/s`;
}

/** A byte count. */
export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "n/a";
  if (Math.abs(bytes) >= 1048576) return `${(bytes / 1048576).toFixed(1)} MiB`;
  if (Math.abs(bytes) >= 10240) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** A ratio as "1.23×"; a loss is never rounded up to "1.00×". */
export function fmtX(ratio: number): string {
  if (!Number.isFinite(ratio)) return "n/a";
  if (ratio < 1 && ratio >= 0.995) return `${ratio.toFixed(3)}×`;
  return ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

/** A ratio as a percentage. */
export function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 2 : 1)}%`;
}

/** a / b, or null when either is missing or b is 0 (0 / 0 is 0). */
export function ratioOf(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (b === 0) return a === 0 ? 0 : null;
  return a / b;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Right-align a column when most of its cells are figures. */
function isNumericColumn(rows: string[][], index: number): boolean {
  const cells = rows.map((r) => r[index] ?? "").filter((c) =>
    c !== "" && c !== "—" && c !== "n/a" && !c.startsWith("ours")
  );
  const numeric =
    cells.filter((c) => /^(\*\*)?[-+]?[\d.,]+/.test(c) || /^(✅|❌|⚠️) /.test(c)).length;
  return cells.length > 0 && numeric * 2 >= cells.length;
}

/** A Markdown table. */
export function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.map(cell).join(" | ")} |`,
    `| ${header.map((_, i) => (i > 0 && isNumericColumn(rows, i) ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}
