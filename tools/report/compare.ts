/**
 * Comparisons of tagged entries, by tags alone (no names parsed): our best against a rival like
 * with like (same op, same ownership, strict with strict), and the targets of dev/schema.ts.
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
import { fmtBytes, fmtX, mark } from "./format.ts";

/** One operation at one size on one runtime: our best over the best rival (above 1: we win). */
export interface LeadCell {
  /** The operation, e.g. "msgpack encode" or "HTTP json route". */
  readonly operation: string;
  /** The size label ("small", "64 KiB"), or "". */
  readonly size: string;
  readonly runtime: RuntimeId;
  /** Rival time / our time (or our rate / the rival's rate). */
  readonly ratio: number;
  readonly rival: string;
}

/** A lead cell of entries, with the two entries it compares. */
export type EntryCell = LeadCell & { readonly ours: BenchEntry; readonly against: BenchEntry };

/** A checked target: a row of a targets table, with a cell per runtime. */
export interface TargetCheck {
  readonly label: string;
  /** The bound, in words: "≥ 1.2×". */
  readonly target: string;
  /** One cell per runtime, in RUNTIME_IDS order: "✅ 1.31× vs msgpackr pack", "not measured". */
  readonly cells: string[];
  readonly met: number;
  readonly missed: number;
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
    cells: values.map((v) => (v === null ? "not measured" : mark(ok(v), show(v)))),
    met: values.filter((v) => v !== null && ok(v)).length,
    missed: values.filter((v) => v !== null && !ok(v)).length,
  };
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

/**
 * Per group and runtime (varied feedback where the group has it), our best against the best
 * comparable rival that `accept` admits; lenient rivals are references only.
 */
export function entryCells(
  entries: BenchEntry[],
  accept: (rival: BenchEntry) => boolean = () => true,
): EntryCell[] {
  const groups = Map.groupBy(entries, (e) => `${e.bench.split(".")[0]} ${e.group} ${e.runtime}`);
  const cells: EntryCell[] = [];
  for (const group of groups.values()) {
    const varied = group.filter((e) => e.feedback === "varied");
    const here = varied.length > 0 ? varied : group;
    let worst: EntryCell | undefined;
    for (const rival of here) {
      if (rival.side === "ours" || rival.strict === false || !accept(rival)) continue;
      // Without a like-for-like entry (a pooled rent against a fresh allocation), same op will do.
      const ours = bestComparable(here, rival) ??
        bestComparable(here.map((e) => ({ ...e, owned: rival.owned })), rival);
      if (!ours) continue;
      const ratio = rival.nsPerOp / ours.nsPerOp;
      if (worst && ratio >= worst.ratio) continue;
      const { subject: operation, size, runtime, name } = rival;
      worst = { operation, size, runtime, ratio, rival: name, ours, against: rival };
    }
    if (worst) cells.push(worst);
  }
  return cells;
}

const bytesOf = (e: BenchEntry): number | null => e.backingStoreBytesPerOp ?? e.heapBytesPerOp;

function fastest(entries: BenchEntry[], ids: readonly string[]): BenchEntry | undefined {
  return entries.filter((e) => ids.includes(e.contender))
    .reduce<BenchEntry | undefined>((a, b) => (a && a.nsPerOp <= b.nsPerOp ? a : b), undefined);
}

/** The figure of one target in one group's entries, or null where it cannot be measured. */
function figure(spec: TargetSpec, entries: BenchEntry[]): { value: number; text: string } | null {
  const [, kind, , , ourIds, peerIds] = spec;
  const ours = fastest(entries, ourIds);
  if (!ours) return null;
  if (kind === "gbps") {
    const value = ours.sizeBytes ? ours.sizeBytes / ours.nsPerOp : null;
    return value === null ? null : { value, text: `${value.toFixed(2)} GB/s` };
  }
  if (kind === "speedup") {
    const peer = fastest(entries, peerIds);
    const value = peer && peer.nsPerOp / ours.nsPerOp;
    return peer && value ? { value, text: `${fmtX(value)} vs ${peer.name}` } : null;
  }
  // Allocation: the leanest of each side, from the same kind of counter.
  const leanest = (ids: readonly string[]) =>
    Math.min(
      ...entries.filter((e) => ids.includes(e.contender)).map(bytesOf)
        .filter((b): b is number => b !== null),
    );
  const [mine, theirs] = [leanest(ourIds), leanest(peerIds)];
  if (!Number.isFinite(mine) || !Number.isFinite(theirs) || theirs === 0) return null;
  const text = `${(mine / theirs * 100).toFixed(0)}% (${fmtBytes(mine)} vs ${fmtBytes(theirs)})`;
  return { value: mine / theirs, text };
}

function boundText([, kind, , , , , bound]: TargetSpec): string {
  const show = (v: number): string =>
    kind === "gbps" ? `${v} GB/s` : kind === "allocation" ? `${Math.round(v * 100)}%` : `${v}×`;
  const op = kind === "allocation" ? "≤" : "≥";
  const bounded = RUNTIME_IDS.filter((r) => bound[r] !== undefined);
  if (bounded.every((r) => bound[r] === bound[bounded[0]])) {
    const where = bounded.length === RUNTIME_IDS.length
      ? ""
      : ` (${bounded.map((r) => RUNTIME_LABELS[r]).join(", ")})`;
    return `${op} ${show(bound[bounded[0]]!)}${where}`;
  }
  return bounded.map((r) => `${RUNTIME_LABELS[r]} ${op} ${show(bound[r]!)}`).join(", ");
}

/** Checks every target on every group it applies to; cells add the monomorphic figure. */
export function checkTargets(specs: readonly TargetSpec[], entries: BenchEntry[]): TargetCheck[] {
  return specs.flatMap((spec) => {
    const [, kind, subject, what, ourIds, , bound, sizes, feedback = "varied"] = spec;
    const groups = new Set(
      entries.filter((e) => e.subject === subject && (!sizes?.length || sizes.includes(e.size)))
        .map((e) => e.group),
    );
    return [...groups].flatMap((group) => {
      const of = (runtime: RuntimeId, fb: string) =>
        entries.filter((e) => e.group === group && e.runtime === runtime && e.feedback === fb);
      let [met, missed] = [0, 0];
      const cells = RUNTIME_IDS.map((runtime) => {
        if (bound[runtime] === undefined) return "no target";
        const measured = figure(spec, of(runtime, feedback));
        if (!measured) {
          // Ours ran but no listed peer exists on this runtime (no native fromHex on Node 24).
          const ran = of(runtime, feedback).some((e) => ourIds.includes(e.contender));
          return ran ? "no peer here" : "not measured";
        }
        const other = feedback === "varied" ? "monomorphic" : "varied";
        const second = kind === "allocation" ? null : figure(spec, of(runtime, other));
        const secondText = second
          ? ` (${other === "monomorphic" ? "mono" : "varied"} ${second.text.split(" vs ")[0]})`
          : "";
        const pass = kind === "allocation"
          ? measured.value <= bound[runtime]!
          : measured.value >= bound[runtime]!;
        if (pass) met++;
        else missed++;
        return mark(pass, measured.text + secondText);
      });
      const label = `${what}: ${group}`;
      return met + missed === 0 ? [] : [{ label, target: boundText(spec), cells, met, missed }];
    });
  });
}
