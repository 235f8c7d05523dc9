/**
 * Comparisons of tagged entries by their tags alone: our best against a rival like with like
 * (same op and ownership, strict with strict), and the targets of dev/schema.ts.
 *
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

/** One operation at one size on one runtime: rival time / ours (or our rate / the rival's). */
export interface LeadCell {
  readonly operation: string;
  /** The size label ("small", "64 KiB"), or "". */
  readonly size: string;
  readonly runtime: RuntimeId;
  /** Above 1: we win. */
  readonly ratio: number;
  readonly rival: string;
}

/** A lead cell of entries, with the two entries it compares. */
export type EntryCell = LeadCell & { readonly ours: BenchEntry; readonly against: BenchEntry };

/** A checked target: a row of a targets table, with a cell per runtime (RUNTIME_IDS order). */
export interface TargetCheck {
  readonly label: string;
  /** The bound, in words: "≥ 1.2×". */
  readonly target: string;
  readonly cells: string[];
  readonly met: number;
  readonly missed: number;
}

/** Our fastest entry comparable to `rival`: same op and ownership, strict when it is strict. */
export function bestComparable(entries: BenchEntry[], rival: BenchEntry): BenchEntry | undefined {
  return entries.filter((e) =>
    e.side === "ours" && e.op === rival.op && e.owned === rival.owned &&
    (rival.strict === null || e.strict === null || e.strict === rival.strict)
  ).reduce<BenchEntry | undefined>((a, b) => (a && a.nsPerOp <= b.nsPerOp ? a : b), undefined);
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
        const { subject: operation, size, runtime, name } = rival;
        const ratio = ours ? rival.nsPerOp / ours.nsPerOp : 0;
        return ours ? [{ operation, size, runtime, ratio, rival: name, ours, against: rival }] : [];
      });
    return cells.length === 0 ? [] : [cells.reduce((a, b) => (b.ratio < a.ratio ? b : a))];
  });
}

/**
 * Where seam_direct (issue 18's bench) measured a family and op on a runtime (at a size, when
 * `bySize`), its cells stand for the other benches' cells there.
 */
export function preferSeam(cells: EntryCell[], bySize: boolean): EntryCell[] {
  const key = (c: EntryCell) =>
    `${c.runtime} ${c.operation.split(" ")[0]} ${c.against.op} ${bySize ? c.size : ""}`;
  const seam = new Set(cells.filter((c) => c.ours.bench === "seam_direct").map(key));
  return cells.filter((c) => c.ours.bench === "seam_direct" || !seam.has(key(c)));
}

const fastest = (entries: BenchEntry[], ids: readonly string[]) =>
  entries.filter((e) => ids.includes(e.contender))
    .reduce<BenchEntry | undefined>((a, b) => (a && a.nsPerOp <= b.nsPerOp ? a : b), undefined);

/** The least bytes per op of `ids` (backing store on Node and Deno, heap on Bun), or Infinity. */
const leanest = (entries: BenchEntry[], ids: readonly string[]) =>
  Math.min(
    ...entries.filter((e) => ids.includes(e.contender))
      .map((e) => e.backingStoreBytesPerOp ?? e.heapBytesPerOp ?? Infinity),
  );

/** The figure of one target in one group's entries, or null where it cannot be measured. */
function figure(spec: TargetSpec, entries: BenchEntry[]): { value: number; text: string } | null {
  const [, kind, , , ourIds, peerIds] = spec;
  const ours = fastest(entries, ourIds);
  const peer = fastest(entries, peerIds);
  if (!ours) return null;
  if (kind === "gbps") {
    const value = (ours.sizeBytes ?? 0) / ours.nsPerOp;
    return value ? { value, text: `${value.toFixed(2)} GB/s` } : null;
  }
  if (kind === "speedup") {
    const value = peer ? peer.nsPerOp / ours.nsPerOp : 0;
    return peer ? { value, text: `${fmtX(value)} vs ${peer.name}` } : null;
  }
  const [mine, theirs] = [leanest(entries, ourIds), leanest(entries, peerIds)];
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

/** Checks every target on every group it applies to; cells add the other feedback's figure. */
export function checkTargets(specs: readonly TargetSpec[], entries: BenchEntry[]): TargetCheck[] {
  return specs.flatMap((spec) => {
    const [, kind, subject, what, ourIds, , bound, sizes, feedback = "varied"] = spec;
    const other = feedback === "varied" ? "monomorphic" : "varied";
    const groups = entries.filter((e) =>
      e.subject === subject && (sizes ?? [e.size]).includes(e.size)
    )
      .map((e) => e.group);
    return [...new Set(groups)].flatMap((group) => {
      const runs = new Map(
        RUNTIME_IDS.map((r) => [r, entries.filter((e) => e.group === group && e.runtime === r)]),
      );
      const row = check(
        `${what}: ${group}`,
        boundText(spec),
        runs,
        (here, runtime): Verdict | null => {
          const [main, second] = [feedback, other].map((fb) =>
            figure(spec, here.filter((e) => e.feedback === fb))
          );
          const limit = bound[runtime];
          if (limit === undefined) return [[], "no target"];
          // Ours ran but no listed peer exists on this runtime (no native fromHex on Node 24).
          const ran = here.some((e) => e.feedback === feedback && ourIds.includes(e.contender));
          if (!main) return ran ? [[], "no peer here"] : null;
          const pass = kind === "allocation" ? main.value <= limit : main.value >= limit;
          const label = other === "monomorphic" ? "mono" : other;
          const also = second && kind !== "allocation"
            ? ` (${label} ${second.text.split(" vs ")[0]})`
            : "";
          return [[pass], mark(pass, main.text + also)];
        },
      );
      return row.met + row.missed === 0 ? [] : [row];
    });
  });
}

/** A cell of a target: its verdicts (one or more bounds) and its text, marks included. */
export type Verdict = readonly [oks: readonly boolean[], text: string];

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
export function targetTable(checks: TargetCheck[], heading = "#### Targets"): string[] {
  if (checks.length === 0) return [];
  const header = ["target", "bound", ...RUNTIME_IDS.map((r) => RUNTIME_LABELS[r])];
  return [heading, "", ...table(header, checks.map((c) => [c.label, c.target, ...c.cells]))];
}
