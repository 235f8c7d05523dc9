/**
 * Comparisons of tagged entries: our best against a rival like with like, and the targets.
 * @module
 */
import {
  type BenchEntry,
  RUNTIME_IDS,
  RUNTIME_LABELS,
  type RuntimeId,
  type TargetSpec,
} from "../../dev/schema.ts";
import { fmtBytes, fmtX, mark, table } from "./format.ts";

/** One operation at one size ("" for none) on one runtime: rival / ours, above 1 we win. */
export interface LeadCell {
  readonly operation: string;
  readonly size: string;
  readonly runtime: RuntimeId;
  readonly ratio: number;
}

/** A lead cell of entries, with the two entries it compares. */
export type EntryCell = LeadCell & { readonly ours: BenchEntry; readonly against: BenchEntry };

/** A row of a targets table ("≥ 1.2×"), a cell per runtime (RUNTIME_IDS order). */
export interface TargetCheck {
  readonly label: string;
  readonly target: string;
  readonly cells: string[];
  readonly met: number;
  readonly missed: number;
}

/** What a section rendered: no lines, no heading. Charts are SVG by file name. */
export interface SectionOutput {
  readonly lines: string[];
  readonly checks: TargetCheck[];
  readonly charts?: Record<string, string>;
  readonly leadCells?: LeadCell[];
}

/** A cell of a target: its verdicts (one or more bounds) and its text, marks included. */
export type Verdict = readonly [oks: readonly boolean[], text: string];

const fastest = (all: BenchEntry[]) => all.toSorted((a, b) => a.nsPerOp - b.nsPerOp).at(0);

/** Our fastest entry comparable to `rival`: same op and ownership, strict when it is strict. */
export function bestComparable(entries: BenchEntry[], rival: BenchEntry): BenchEntry | undefined {
  const like = entries.filter((e) =>
    e.side === "ours" && e.op === rival.op && e.owned === rival.owned &&
    (rival.strict === null || e.strict === null || e.strict === rival.strict)
  );
  return fastest(like);
}

/**
 * Per group and runtime (varied feedback where the group has it), our best against the best
 * comparable rival that `accept` admits; lenient rivals are references only.
 */
export function entryCells(entries: BenchEntry[], accept = (_: BenchEntry) => true): EntryCell[] {
  const groups = Map.groupBy(entries, (e) => `${e.bench.split(".")[0]} ${e.group} ${e.runtime}`);
  return [...groups.values()].flatMap((group) => {
    const varied = group.filter((e) => e.feedback === "varied");
    const here = varied.length > 0 ? varied : group;
    const cells = here.filter((r) => r.side !== "ours" && r.strict !== false && accept(r))
      .flatMap((rival): EntryCell[] => {
        // Without a like-for-like entry (a pooled rent against a fresh allocation), same op does.
        const ours = bestComparable(here, rival) ??
          bestComparable(here.map((e) => ({ ...e, owned: rival.owned })), rival);
        const { subject: operation, size, runtime } = rival;
        const ratio = ours ? rival.nsPerOp / ours.nsPerOp : 0;
        return ours ? [{ operation, size, runtime, ratio, ours, against: rival }] : [];
      });
    return cells.length === 0 ? [] : [cells.reduce((a, b) => (b.ratio < a.ratio ? b : a))];
  });
}

/** Where seam_direct (issue 18) measured a family and op on a runtime (and size), it stands. */
export function preferSeam(cells: EntryCell[], bySize: boolean): EntryCell[] {
  const key = (c: EntryCell) =>
    `${c.runtime} ${c.operation.split(" ")[0]} ${c.against.op} ${bySize ? c.size : ""}`;
  const seam = new Set(cells.filter((c) => c.ours.bench === "seam_direct").map(key));
  return cells.filter((c) => c.ours.bench === "seam_direct" || !seam.has(key(c)));
}

/** The figure of one target in one group's entries, or null where it cannot be measured. */
function figure([, kind, , , ourIds, peerIds]: TargetSpec, entries: BenchEntry[]) {
  const of = (ids: readonly string[]) => entries.filter((e) => ids.includes(e.contender));
  const [ours, peer] = [fastest(of(ourIds)), fastest(of(peerIds))];
  if (!ours) return null;
  const [gbps, x] = [(ours.sizeBytes ?? 0) / ours.nsPerOp, peer ? peer.nsPerOp / ours.nsPerOp : 0];
  if (kind === "gbps") return gbps ? { value: gbps, text: `${gbps.toFixed(2)} GB/s` } : null;
  if (kind === "speedup") return peer ? { value: x, text: `${fmtX(x)} vs ${peer.name}` } : null;
  // Backing store on Node and Deno, heap on Bun: the leanest of each side.
  const [mine, theirs] = [ourIds, peerIds].map((ids) =>
    Math.min(...of(ids).map((e) => e.backingStoreBytesPerOp ?? e.heapBytesPerOp ?? Infinity))
  );
  if (!Number.isFinite(mine) || !Number.isFinite(theirs) || theirs === 0) return null;
  const text = `${(mine / theirs * 100).toFixed(0)}% (${fmtBytes(mine)} vs ${fmtBytes(theirs)})`;
  return { value: mine / theirs, text };
}

/** "≥ 10× (Node 24, Node 26, Deno), ≥ 5× (Bun)": the bounds, runtimes sharing one grouped. */
function boundText([, kind, , , , , bound]: TargetSpec): string {
  const show = (v: number): string =>
    kind === "gbps" ? `${v} GB/s` : kind === "allocation" ? `${Math.round(v * 100)}%` : `${v}×`;
  const byBound = Map.groupBy(RUNTIME_IDS.filter((r) => bound[r] !== undefined), (r) => bound[r]!);
  return [...byBound].map(([v, ids]) =>
    `${kind === "allocation" ? "≤" : "≥"} ${show(v)}` +
    (ids.length === RUNTIME_IDS.length ? "" : ` (${ids.map((r) => RUNTIME_LABELS[r]).join(", ")})`)
  ).join(", ");
}

/** A target's verdict on one group and runtime; the cell adds the other feedback's figure. */
function verdict(spec: TargetSpec, here: BenchEntry[], runtime: RuntimeId): Verdict | null {
  const [, kind, , , ourIds, , bound, , feedback = "varied"] = spec;
  const other = feedback === "varied" ? "monomorphic" : "varied";
  const [main, second] = [feedback, other].map((fb) =>
    figure(spec, here.filter((e) => e.feedback === fb))
  );
  const limit = bound[runtime];
  if (limit === undefined) return [[], "no target"];
  // Ours ran but no listed peer exists on this runtime (no native fromHex on Node 24).
  const ran = here.some((e) => e.feedback === feedback && ourIds.includes(e.contender));
  if (!main) return ran ? [[], "no peer here"] : null;
  const pass = kind === "allocation" ? main.value <= limit : main.value >= limit;
  const label = other === "varied" ? other : "mono";
  const also = second && kind !== "allocation" ? ` (${label} ${second.text.split(" vs ")[0]})` : "";
  return [[pass], mark(pass, main.text + also)];
}

/** Checks every target on every group it applies to. */
export function checkTargets(specs: readonly TargetSpec[], entries: BenchEntry[]): TargetCheck[] {
  return specs.flatMap((spec) => {
    const [, , subject, what, , , , sizes] = spec;
    const hit = entries.filter((e) =>
      e.subject === subject && (sizes ?? [e.size]).includes(e.size)
    );
    return [...new Set(hit.map((e) => e.group))].flatMap((group) => {
      const here = entries.filter((e) => e.group === group);
      const runs = new Map(RUNTIME_IDS.map((r) => [r, here.filter((e) => e.runtime === r)]));
      const row = check(`${what}: ${group}`, boundText(spec), runs, (x, r) => verdict(spec, x, r));
      return row.met + row.missed === 0 ? [] : [row];
    });
  });
}

/** The verdict on one value against one bound, or null when it was not measured. */
export function judge(
  value: number | null | undefined,
  ok: (value: number) => boolean,
  show: (value: number) => string,
): Verdict | null {
  return value == null ? null : [[ok(value)], mark(ok(value), show(value))];
}

/** A target row: per runtime, the verdict on its data (null or no data: not measured). */
export function check<T>(
  label: string,
  target: string,
  runs: ReadonlyMap<RuntimeId, T>,
  verdict: (data: T, runtime: RuntimeId) => Verdict | null,
): TargetCheck {
  const cells = RUNTIME_IDS.map((r) => (runs.has(r) ? verdict(runs.get(r)!, r) : null));
  const oks = cells.flatMap((c) => c?.[0] ?? []);
  const met = oks.filter(Boolean).length;
  const texts = cells.map((c) => c?.[1] ?? "not measured");
  return { label, target, cells: texts, met, missed: oks.length - met };
}

/** A `#### Targets` table, or nothing. */
export function targetTable(checks: TargetCheck[]): string[] {
  if (checks.length === 0) return [];
  const header = ["target", "bound", ...RUNTIME_IDS.map((r) => RUNTIME_LABELS[r])];
  return ["#### Targets", "", ...table(header, checks.map((c) => [c.label, c.target, ...c.cells]))];
}
