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
  return ns >= 100 ? `${ns.toFixed(0)} ns` : `${ns.toFixed(1)} ns`;
}

/** A byte count. */
export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "n/a";
  if (Math.abs(bytes) >= 1048576) return `${(bytes / 1048576).toFixed(1)} MiB`;
  if (Math.abs(bytes) >= 10240) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** A ratio as "1.23×"; a loss is never rounded up to "1.00×", nor a miss of 0.90× to "0.90×". */
export function fmtX(ratio: number): string {
  if (!Number.isFinite(ratio)) return "n/a";
  if ((ratio < 1 && ratio >= 0.995) || (ratio < 0.9 && ratio >= 0.895)) {
    return `${ratio.toFixed(3)}×`;
  }
  return ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

/** A ratio as a percentage; `digits` after the point (one by default, two below 10%). */
export function pct(ratio: number, digits: number = ratio < 0.1 ? 2 : 1): string {
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** A whole number with thousands separators. */
export const thousands = (n: number): string => Math.round(n).toLocaleString("en-US");

/** a / b, or null when either is missing or b is 0 (0 / 0 is 0). */
export function ratioOf(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (b === 0) return a === 0 ? 0 : null;
  return a / b;
}

/** "✅ text" or "❌ text". */
export const mark = (ok: boolean, text: string): string => `${ok ? "✅" : "❌"} ${text}`;

/** Items with distinct `key`s, in first-seen order. */
export function distinct<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

/** A Markdown table; a column is right-aligned when most of its cells are figures. */
export function table(header: readonly string[], rows: readonly string[][]): string[] {
  const figures = (i: number): boolean => {
    const cells = rows.map((r) => r[i] ?? "").filter((c) => !/^(|—|n\/a|ours.*)$/.test(c));
    const numeric = cells.filter((c) => /^(\*\*)?[-+]?[\d.,]+|^(✅|❌|⚠️) /.test(c)).length;
    return cells.length > 0 && numeric * 2 >= cells.length;
  };
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c) => c.replace(/\|/g, "\\|").replace(/\n/g, " ")).join(" | ")} |`;
  return [
    line(header),
    line(header.map((_, i) => (i > 0 && figures(i) ? "---:" : "---"))),
    ...rows.map(line),
    "",
  ];
}

/** A table from rows and a column description: heading → the cell of a row. */
export function columns<R>(
  rows: readonly R[],
  spec: Readonly<Record<string, (row: R) => string>>,
): string[] {
  const cells = Object.values(spec);
  return table(Object.keys(spec), rows.map((row) => cells.map((cell) => cell(row))));
}
