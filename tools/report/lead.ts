/**
 * The report's lead: ONE heatmap (docs/img/overview.svg) and ONE table, for every operation
 * and runtime, of our best entry against the best rival: a peer library or the direct call a
 * user could make instead. Then, per runtime, the table against the direct call alone.
 *
 * Everything comes from tags, not names: any result file in the schema (dev/schema.ts) with
 * `side` ours / peer / direct, `op`, `size` and `runtime` shows up here with no code change.
 * Rivals are compared like with like (same op, same ownership, strict with strict); lenient
 * decoders are references only. Non-entry benches (scenario, HTTP load, messaging) add their
 * route / naive ratios through {@linkcode LeadCell} rows.
 *
 * @module
 */
import {
  type BenchEntry,
  isDirectCall,
  RUNTIME_IDS,
  RUNTIME_LABELS,
  type RuntimeId,
} from "../../dev/schema.ts";
import { renderSvg } from "./chart.ts";
import { fmtNs, fmtX, table } from "./format.ts";

/** One operation at one size on one runtime: our best over the best rival (above 1: we win). */
export interface LeadCell {
  /** The operation, e.g. "msgpack encode" or "HTTP JSON route". */
  readonly operation: string;
  /** The size label ("small", "64 KiB"), or "" when it has none. */
  readonly size: string;
  readonly runtime: RuntimeId;
  /** Rival time / our time (or our rate / the rival's rate). */
  readonly ratio: number;
  /** Who the rival is. */
  readonly rival: string;
}

/** Our fastest entry comparable to `rival`: same op and ownership, strict when it is strict. */
export function bestComparable(entries: BenchEntry[], rival: BenchEntry): BenchEntry | undefined {
  let best: BenchEntry | undefined;
  for (const e of entries) {
    if (e.side !== "ours" || e.op !== rival.op || e.owned !== rival.owned) continue;
    if (rival.strict !== null && e.strict !== null && e.strict !== rival.strict) continue;
    if (!best || e.nsPerOp < best.nsPerOp) best = e;
  }
  return best;
}

/** The varied-feedback entries of a group and runtime, or its monomorphic ones if it has only those. */
function timed(entries: BenchEntry[]): BenchEntry[] {
  const varied = entries.filter((e) => e.feedback === "varied");
  return varied.length > 0 ? varied : entries;
}

/** Per group and runtime, our best against the best comparable rival that `accept` admits. */
export function entryCells(
  entries: BenchEntry[],
  accept: (rival: BenchEntry) => boolean = () => true,
): (LeadCell & { ours: BenchEntry; against: BenchEntry })[] {
  const byKey = new Map<string, BenchEntry[]>();
  for (const e of entries) {
    const key = `${e.bench.replace(".monomorphic", "")}\u0000${e.group}\u0000${e.runtime}`;
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  const cells: (LeadCell & { ours: BenchEntry; against: BenchEntry })[] = [];
  for (const group of byKey.values()) {
    const here = timed(group);
    let worst: (LeadCell & { ours: BenchEntry; against: BenchEntry }) | undefined;
    for (const rival of here) {
      if (rival.side === "ours" || rival.strict === false || !accept(rival)) continue;
      // Without a like-for-like entry (a pooled rent against a fresh allocation), same op will do.
      const ours = bestComparable(here, rival) ??
        bestComparable(here.map((e) => ({ ...e, owned: rival.owned })), rival);
      if (!ours) continue;
      const ratio = rival.nsPerOp / ours.nsPerOp;
      if (!worst || ratio < worst.ratio) {
        worst = {
          operation: rival.subject,
          size: rival.size,
          runtime: rival.runtime,
          ratio,
          rival: rival.name,
          ours,
          against: rival,
        };
      }
    }
    if (worst) cells.push(worst);
  }
  return cells;
}

function mark(ratios: number[]): string {
  const lost = ratios.filter((r) => r < 1).length;
  return lost === 0 ? "✅" : lost === ratios.length ? "❌" : "⚠️";
}

/** The lead table: one row per operation, per runtime the range over sizes with a mark. */
function leadTable(cells: LeadCell[]): string[] {
  const operations = [...new Set(cells.map((c) => c.operation))];
  const rows = operations.map((operation) => [
    operation,
    ...RUNTIME_IDS.map((runtime) => {
      const ratios = cells.filter((c) => c.operation === operation && c.runtime === runtime)
        .map((c) => c.ratio);
      if (ratios.length === 0) return "—";
      const low = Math.min(...ratios);
      const high = Math.max(...ratios);
      return `${mark(ratios)} ${low === high ? fmtX(low) : `${fmtX(low)}–${fmtX(high)}`}`;
    }),
  ]);
  return table(["operation", ...RUNTIME_IDS.map((r) => RUNTIME_LABELS[r])], rows);
}

/** The heatmap: a row per operation and size, a column per runtime, green wins, red losses. */
function heatmap(cells: LeadCell[]): Promise<string> {
  const rowOf = (c: LeadCell) => (c.size === "" ? c.operation : `${c.operation} · ${c.size}`);
  // Rows grouped by operation (in the table's order), sizes in the order measured.
  const operations = [...new Set(cells.map((c) => c.operation))];
  const order = operations.flatMap((
    op,
  ) => [...new Set(cells.filter((c) => c.operation === op).map(rowOf))]);
  const values = cells.map((c) => ({
    row: rowOf(c),
    runtime: RUNTIME_LABELS[c.runtime],
    ratio: Math.min(4, Math.max(0.25, c.ratio)),
    label: fmtX(c.ratio),
    rival: c.rival,
  }));
  const y = { field: "row", type: "nominal", sort: order, title: null, axis: { labelLimit: 300 } };
  const x = {
    field: "runtime",
    type: "nominal",
    sort: RUNTIME_IDS.map((r) => RUNTIME_LABELS[r]),
    axis: { orient: "top", labelAngle: 0 },
    title: null,
  };
  return renderSvg({
    title: {
      text: "@catga/memory vs the best rival, per operation and runtime",
      subtitle: "our best ÷ the best peer or direct call (like with like); green: we are faster",
    },
    data: { values },
    width: 4 * 80,
    height: { step: 15 },
    encoding: { x, y },
    layer: [
      {
        mark: { type: "rect", stroke: "#fff" },
        encoding: {
          color: {
            field: "ratio",
            type: "quantitative",
            title: "ours ÷ best rival (log, 0.25–4×)",
            legend: { titleLimit: 400 },
            scale: { type: "log", domain: [0.25, 4], domainMid: 1, scheme: "redyellowgreen" },
          },
        },
      },
      {
        mark: { type: "text", fontSize: 9 },
        encoding: {
          text: { field: "label" },
          color: {
            condition: { test: "datum.ratio > 2.5 || datum.ratio < 0.4", value: "white" },
            value: "black",
          },
        },
      },
    ],
  } as never);
}

/** Per runtime, every group that has a direct call, our best against the best direct call. */
function directTables(entries: BenchEntry[]): string[] {
  const cells = entryCells(entries, isDirectCall);
  if (cells.length === 0) {
    return [
      'No entry is a direct call (`side: "direct"`, or a built-in listed in dev/schema.ts).',
      "",
    ];
  }
  const out: string[] = [];
  for (const runtime of RUNTIME_IDS) {
    const mine = cells.filter((c) => c.runtime === runtime);
    if (mine.length === 0) continue;
    const won = mine.filter((c) => c.ratio >= 1).length;
    out.push(
      `#### ${RUNTIME_LABELS[runtime]}: ${won} of ${mine.length} at or above the direct call`,
      "",
      ...table(
        ["group", "ours", "direct call", "direct ÷ ours"],
        mine.map((c) => [
          `${c.operation} ${c.size}`,
          `${c.ours.name} ${fmtNs(c.ours.nsPerOp)}`,
          `${c.against.name} ${fmtNs(c.against.nsPerOp)}`,
          `${c.ratio >= 1 ? "✅" : "❌"} ${fmtX(c.ratio)}`,
        ]),
      ),
      "",
    );
  }
  return out;
}

/** The lead's markdown and its chart. */
export async function renderLead(
  entries: BenchEntry[],
  extraCells: LeadCell[],
): Promise<{ lines: string[]; direct: string[]; charts: Record<string, string> }> {
  const cells = [...entryCells(entries), ...extraCells];
  if (cells.length === 0) {
    return { lines: ["No tagged timings yet: run `npm run bench`.", ""], direct: [], charts: {} };
  }
  return {
    lines: [
      "## At a glance",
      "",
      "![Ratio against the best rival, per operation and runtime](img/overview.svg)",
      "",
      "Our best entry against the best rival of the same kind: a peer library or the direct call a " +
      "user could make instead (same op, same ownership, strict with strict; lenient decoders are " +
      "references only), after the varied warm-up. Above 1× we are faster. Per runtime, the range " +
      "over sizes: ✅ faster at every size, ⚠️ slower at some, ❌ slower at all. The scenario, " +
      "HTTP and messaging rows are a route against the naive route. The tables below give every figure.",
      "",
      ...leadTable(cells),
      "",
    ],
    direct: [
      "## Against the direct call",
      "",
      "The library against the call a user could make instead (Buffer, native base64 and hex, " +
      "TextEncoder/TextDecoder, JSON.stringify/parse, `new Uint8Array`), per runtime and group.",
      "",
      ...directTables(entries),
    ],
    charts: { "overview.svg": await heatmap(cells) },
  };
}
