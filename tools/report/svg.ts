/**
 * Horizontal bar charts as standalone SVG, one colour per runtime.
 *
 * @module
 */
import { RUNTIME_IDS, RUNTIME_LABELS, type RuntimeId } from "../../dev/schema.ts";

const RUNTIME_COLOR: Record<RuntimeId, string> = {
  node24: "#3f873f",
  node26: "#7cb342",
  deno: "#3b5bdb",
  bun: "#c2410c",
};

/** One bar. */
export interface Bar {
  /** The row label (drawn once per run of equal labels). */
  readonly label: string;
  /** Which runtime: the colour. */
  readonly runtime: RuntimeId;
  /** The length, relative to the group's largest. */
  readonly value: number;
  /** Drawn after the bar. */
  readonly text: string;
  /** Ours: solid and bold; peers are faded. */
  readonly ours: boolean;
}

/** A titled block of bars, scaled on its own. */
export interface ChartGroup {
  /** The block title. */
  readonly title: string;
  /** Its bars. */
  readonly bars: Bar[];
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A horizontal bar chart; each group is scaled to its own largest value, since groups differ by orders of magnitude. */
export function barChart(title: string, subtitle: string, groups: ChartGroup[]): string {
  const width = 860;
  const labelWidth = 300;
  const tagWidth = 56;
  const barMax = 372;
  const rowHeight = 15;
  const lines: string[] = [];
  let y = 52;
  for (const group of groups) {
    if (group.bars.length === 0) continue;
    lines.push(
      `<text x="12" y="${y + 12}" font-weight="bold" font-size="13">${
        xml(truncate(group.title, 90))
      }</text>`,
    );
    y += 20;
    const max = Math.max(...group.bars.map((b) => b.value), Number.MIN_VALUE);
    let previousLabel = "";
    for (const bar of group.bars) {
      if (bar.label !== previousLabel) {
        if (previousLabel !== "") y += 4;
        lines.push(
          `<text x="${labelWidth - 8}" y="${y + 11}" text-anchor="end"${
            bar.ours ? ' font-weight="bold"' : ""
          }>${xml(truncate(bar.label, 44))}</text>`,
        );
        previousLabel = bar.label;
      }
      const length = Math.max(1, Math.round((bar.value / max) * barMax));
      lines.push(
        `<text x="${labelWidth}" y="${y + 11}" fill="#555" font-size="10">${
          RUNTIME_LABELS[bar.runtime]
        }</text>`,
        `<rect x="${labelWidth + tagWidth}" y="${y + 2}" width="${length}" height="${
          rowHeight - 4
        }" fill="${RUNTIME_COLOR[bar.runtime]}"${bar.ours ? "" : ' fill-opacity="0.45"'}/>`,
        `<text x="${labelWidth + tagWidth + length + 6}" y="${y + 11}" font-size="10">${
          xml(bar.text)
        }</text>`,
      );
      y += rowHeight;
    }
    y += 14;
  }
  if (lines.length === 0) {
    lines.push(`<text x="12" y="${y + 12}">Not measured.</text>`);
    y += 24;
  }
  const legend = RUNTIME_IDS.map((r, i) =>
    `<rect x="${12 + i * 90}" y="${y + 4}" width="12" height="12" fill="${
      RUNTIME_COLOR[r]
    }"/><text x="${30 + i * 90}" y="${y + 14}">${RUNTIME_LABELS[r]}</text>`
  ).join("");
  const height = y + 44;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="16" font-weight="bold">${xml(title)}</text>`,
    `<text x="12" y="40" fill="#555">${xml(subtitle)}</text>`,
    ...lines,
    legend,
    `<text x="${12 + RUNTIME_IDS.length * 90}" y="${
      y + 14
    }" fill="#555">bold, solid = @catga/memory; faded = peer</text>`,
    `</svg>`,
    "",
  ].join("\n");
}
