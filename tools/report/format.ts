/**
 * Number formats and Markdown tables for the performance report.
 * @module
 */

/** Nanoseconds in the shortest readable unit. */
export function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return ns >= 100 ? `${ns.toFixed(0)} ns` : `${ns.toFixed(1)} ns`;
}

/** A byte count. */
export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return "n/a";
  if (Math.abs(bytes) >= 1048576) return `${(bytes / 1048576).toFixed(1)} MiB`;
  if (Math.abs(bytes) >= 10240) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** A ratio as "1.23×"; a loss is never rounded up to "1.00×", nor a miss of 0.90× to "0.90×". */
export function fmtX(ratio: number): string {
  if ((ratio < 1 && ratio >= 0.995) || (ratio < 0.9 && ratio >= 0.895)) {
    return `${ratio.toFixed(3)}×`;
  }
  return ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

/** A ratio as a percentage; `digits` after the point (one by default, two below 10%). */
export const pct = (ratio: number, digits: number = ratio < 0.1 ? 2 : 1): string =>
  `${(ratio * 100).toFixed(digits)}%`;

/** A whole number with thousands separators. */
export const thousands = (n: number): string => Math.round(n).toLocaleString("en-US");

/** "✅ text" or "❌ text". */
export const mark = (ok: boolean, text: string): string => `${ok ? "✅" : "❌"} ${text}`;

/** Items with distinct `key`s, in first-seen order. */
export const distinct = <T>(items: readonly T[], key: (item: T) => string): T[] =>
  [...Map.groupBy(items, key).values()].map((group) => group[0]);

/** A Markdown table; a column is right-aligned when most of its cells are figures. */
export function table(header: readonly string[], rows: readonly string[][]): string[] {
  const figures = (i: number): boolean => {
    const cells = rows.map((r) => r[i] ?? "").filter((c) => !/^(|—|n\/a|ours.*)$/.test(c));
    const numeric = cells.filter((c) => /^(\*\*)?[-+]?[\d.,]+|^(✅|❌|⚠️) /.test(c)).length;
    return cells.length > 0 && numeric * 2 >= cells.length;
  };
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c) => c.replace(/\|/g, "\\|").replace(/\n/g, " ")).join(" | ")} |`;
  const align = header.map((_, i) => (i > 0 && figures(i) ? "---:" : "---"));
  return [line(header), line(align), ...rows.map(line), ""];
}

/** A table from rows and a column description: heading → the cell of a row. */
export function columns<R>(rows: readonly R[], spec: Record<string, (row: R) => string>): string[] {
  return table(Object.keys(spec), rows.map((row) => Object.values(spec).map((cell) => cell(row))));
}
