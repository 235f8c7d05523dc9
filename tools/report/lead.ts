/**
 * The lead: ONE heatmap (docs/img/overview.svg) and ONE table of our best against the best
 * rival per operation and runtime; then per runtime the direct-call tables (issue 18: ≥ 0.90×).
 * @module
 */
import { type BenchEntry, isDirectCall, RUNTIME_IDS, RUNTIME_LABELS } from "../../dev/schema.ts";
import { renderSvg } from "./chart.ts";
import { type EntryCell, entryCells, type LeadCell, preferSeam } from "./compare.ts";
import { distinct, fmtNs, fmtX, mark, table } from "./format.ts";

/** Issue 18: every call reaches at least this share of the best direct call. */
const DIRECT_TARGET = 0.9;
/** The bench of issue 18, whose groups hold only like-for-like calls. */
const SEAM = "seam_direct";
const LABELS = RUNTIME_IDS.map((r) => RUNTIME_LABELS[r]);

/** One row per operation; per runtime the range over sizes, marked by how many sizes lost. */
function leadTable(cells: LeadCell[]): string[] {
  const rows = [...new Set(cells.map((c) => c.operation))].map((operation) => [
    operation,
    ...RUNTIME_IDS.map((runtime) => {
      const ratios = cells.filter((c) => c.operation === operation && c.runtime === runtime)
        .map((c) => c.ratio);
      if (ratios.length === 0) return "—";
      const [low, high] = [Math.min(...ratios), Math.max(...ratios)];
      const lost = ratios.filter((r) => r < 1).length;
      const sign = lost === 0 ? "✅" : lost === ratios.length ? "❌" : "⚠️";
      return `${sign} ${low === high ? fmtX(low) : `${fmtX(low)}–${fmtX(high)}`}`;
    }),
  ]);
  return table(["operation", ...LABELS], rows);
}

/** The heatmap: a row per operation and size, a column per runtime, green wins, red losses. */
function heatmap(cells: LeadCell[]): Promise<string> {
  const rowOf = (c: LeadCell) => (c.size === "" ? c.operation : `${c.operation} · ${c.size}`);
  const values = cells.map((c) => ({
    row: rowOf(c),
    runtime: RUNTIME_LABELS[c.runtime],
    ratio: Math.min(4, Math.max(0.25, c.ratio)),
    label: fmtX(c.ratio),
  }));
  const white = { condition: { test: "datum.ratio > 2.5 || datum.ratio < 0.4", value: "white" } };
  const scale = { type: "log", domain: [0.25, 4], domainMid: 1, scheme: "redyellowgreen" };
  const axis = (field: string, sort: string[]) => ({ field, type: "nominal", sort, title: null });
  const legend = { title: "ours ÷ best rival (log, 0.25–4×)", legend: { titleLimit: 400 } };
  return renderSvg({
    title: {
      text: "@catga/memory vs the best rival, per operation and runtime",
      subtitle: "our best ÷ the best peer or direct call (like with like); green: we are faster",
    },
    data: { values },
    width: 4 * 80,
    height: { step: 15 },
    encoding: {
      x: { ...axis("runtime", LABELS), axis: { orient: "top", labelAngle: 0 } },
      // Rows grouped by operation in the table's order, sizes in the order measured.
      y: { ...axis("row", [...new Set(cells.map(rowOf))]), axis: { labelLimit: 300 } },
    },
    layer: [{
      mark: { type: "rect", stroke: "#fff" },
      encoding: { color: { field: "ratio", type: "quantitative", scale, ...legend } },
    }, {
      mark: { type: "text", fontSize: 9 },
      encoding: { text: { field: "label" }, color: { ...white, value: "black" } },
    }],
  });
}

/** Whether `e` was timed in `of`'s group (same bench, group, runtime and feedback). */
const inGroupOf = (of: BenchEntry) => (e: BenchEntry) =>
  e.bench === of.bench && e.group === of.group && e.runtime === of.runtime &&
  e.feedback === of.feedback;

/** The rest of `ours`' group: our other entries, and direct calls (lenient too) ÷ ours. */
function others(ours: BenchEntry, entries: BenchEntry[], best?: BenchEntry): string {
  const bench = ours.bench;
  return entries.filter(inGroupOf(ours)).filter((e) =>
    e !== best && e !== ours && (e.side === "ours" || isDirectCall({ ...e, strict: null }))
  ).map((e) => {
    // seam_direct's other calls of ours in a group (the pooled JSON paths) face the target too.
    const ratio = e.side !== "ours"
      ? ` · ${fmtX(e.nsPerOp / ours.nsPerOp)}`
      : best === undefined || bench !== SEAM
      ? ""
      : ` · direct ÷ it ${markedRatio(best.nsPerOp / e.nsPerOp)}`;
    return `${e.name} ${fmtNs(e.nsPerOp)}${ratio}`;
  }).join("; ") || "—";
}

const markedRatio = (ratio: number) => mark(ratio >= DIRECT_TARGET, fmtX(ratio));

/**
 * Each of our calls in `cell`'s seam_direct group against its best direct call: several only
 * for the pooled JSON paths, each held to the target (issue 18). Elsewhere our entries in one
 * group are variants of different kinds (pooled, owned), so only the best counts.
 */
function everyCall(cell: EntryCell, entries: BenchEntry[]): number[] {
  if (cell.ours.bench !== SEAM) return [cell.ratio];
  return entries.filter(inGroupOf(cell.ours)).filter((e) => e.side === "ours")
    .map((e) => cell.against.nsPerOp / e.nsPerOp);
}

/** Per runtime, our best against the best direct call of every group that has one. */
function directTables(cells: EntryCell[], entries: BenchEntry[]): string[] {
  const text = (e: BenchEntry) => `${e.name} ${fmtNs(e.nsPerOp)}`;
  return RUNTIME_IDS.flatMap((runtime) => {
    const mine = cells.filter((c) => c.runtime === runtime);
    const met = mine.filter((c) => c.ratio >= DIRECT_TARGET).length;
    const calls = mine.flatMap((c) => everyCall(c, entries));
    const callsMet = calls.filter((ratio) => ratio >= DIRECT_TARGET).length;
    // A seam_direct group with no strict direct call here (Node 24 base64 decode) still shows.
    const seam = entries.filter((e) =>
      e.bench === SEAM && e.runtime === runtime && e.side === "ours"
    );
    const bare = distinct(seam, (e) => e.group)
      .filter((o) => !mine.some((c) => c.ours.bench === o.bench && c.ours.group === o.group));
    const header = [
      "group",
      "ours",
      "best direct call",
      "direct ÷ ours",
      "rest of the group (÷ ours)",
    ];
    return mine.length === 0 ? [] : [
      `#### ${RUNTIME_LABELS[runtime]}: ${met} of ${mine.length} at or above 0.90×`,
      "",
      `Every call of ours, the pooled JSON paths (\`serializeTo\`, \`serializePooled\`, ` +
      `\`trySerialize\`) each against their ceiling: ${callsMet} of ${calls.length} at or above ` +
      "0.90×.",
      "",
      ...table(header, [
        ...mine.map((c) => [
          `${c.operation} ${c.size}`,
          text(c.ours),
          text(c.against),
          markedRatio(c.ratio),
          others(c.ours, entries, c.against),
        ]),
        ...bare.map((o) => [o.group, text(o), "no strict one here", "—", others(o, entries)]),
      ]),
    ];
  });
}

type Lead = { lead: string[]; direct: string[]; met: number; missed: number; charts: object };

/** The lead's markdown and chart, and the direct-call section with its count of met targets. */
export async function renderLead(entries: BenchEntry[], extraCells: LeadCell[]): Promise<Lead> {
  const byName = (a: LeadCell, b: LeadCell) => a.operation.localeCompare(b.operation);
  const cells = [...preferSeam(entryCells(entries), true).sort(byName), ...extraCells];
  const direct = preferSeam(entryCells(entries, isDirectCall), false);
  const met = direct.filter((c) => c.ratio >= DIRECT_TARGET).length;
  const lead = [
    "![Ratio against the best rival, per operation and runtime](img/overview.svg)",
    "",
    "Our best over the best peer library or direct call, like with like (lenient decoders are " +
    "references only); above 1× we are faster. Per runtime, the range over sizes: ✅ faster at " +
    "every size, ⚠️ slower at some, ❌ at all. Scenario, HTTP, messaging: a route over naive.",
    "",
    ...leadTable(cells),
  ];
  const intro = "Our best over the best built-in a user could call instead (Buffer, native " +
    "base64/hex, TextEncoder/TextDecoder, JSON, `new Uint8Array`): ✅ at or above 0.90× (issue " +
    "18). bench/seam_direct.bench.ts supplies the rows it measured (each group in at least five " +
    "fresh processes, and up to eleven until the standard error of each judged ratio was 3% or " +
    "less; ten rounds in a random order per process, after ten untimed laps; the median of their " +
    "times, each process's divided by its speed factor, read from the best direct call, so a " +
    "ratio is the median of the processes' own; Node's V8 worker pool sized to the " +
    "machine, as Deno's is; the allocators, glibc and mimalloc, held steady, as in a " +
    "long-running service); lenient decoders never count.";
  return {
    lead,
    direct: ["## Against the direct call", "", intro, "", ...directTables(direct, entries)],
    met,
    missed: direct.length - met,
    charts: { "overview.svg": await heatmap(cells) },
  };
}
