/**
 * Checks the targets of dev/schema.ts against tagged entries: no names are
 * parsed, each target lists the contender ids it compares.
 *
 * - speedup: the fastest listed peer's median / the fastest listed ours'.
 * - gbps: input bytes / ns per op of the fastest listed ours.
 * - allocation: the leanest listed ours' bytes per op / the leanest peer's
 *   (backing store on Node and Deno, heap on Bun).
 *
 * Each cell also shows the monomorphic figure of the same group, when the
 * bench has that second run.
 *
 * @module
 */
import {
  type BenchEntry,
  type Feedback,
  RUNTIME_IDS,
  RUNTIME_LABELS,
  type RuntimeId,
  type TargetSpec,
} from "../../dev/schema.ts";
import { fmtBytes, fmtX, table } from "./format.ts";
import type { TargetCheck } from "./section.ts";

function fastest(entries: BenchEntry[], ids: readonly string[]): BenchEntry | undefined {
  let best: BenchEntry | undefined;
  for (const e of entries) {
    if (ids.includes(e.contender) && (!best || e.nsPerOp < best.nsPerOp)) best = e;
  }
  return best;
}

function bytesOf(e: BenchEntry): number | null {
  return e.backingStoreBytesPerOp ?? e.heapBytesPerOp;
}

/** The figure of one target in one group's entries, or null if not measurable there. */
function figure(spec: TargetSpec, entries: BenchEntry[]): { value: number; text: string } | null {
  const ours = fastest(entries, spec.ours);
  if (!ours) return null;
  if (spec.kind === "gbps") {
    if (!ours.sizeBytes) return null;
    const value = ours.sizeBytes / ours.nsPerOp;
    return { value, text: `${value.toFixed(2)} GB/s` };
  }
  if (spec.kind === "allocation") {
    // Both sides' allocation, from the same kind of counter.
    const peers = entries.filter((e) => spec.peers.includes(e.contender) && bytesOf(e) !== null);
    const mine = entries.filter((e) => spec.ours.includes(e.contender) && bytesOf(e) !== null);
    if (peers.length === 0 || mine.length === 0) return null;
    // The leanest of each side.
    const ourBytes = Math.min(...mine.map((e) => bytesOf(e)!));
    const peer = peers.reduce((a, b) => (bytesOf(a)! <= bytesOf(b)! ? a : b));
    const peerBytes = bytesOf(peer)!;
    if (peerBytes === 0) return null;
    const value = ourBytes / peerBytes;
    return {
      value,
      text: `${(value * 100).toFixed(0)}% (${fmtBytes(ourBytes)} vs ${fmtBytes(peerBytes)})`,
    };
  }
  const peer = fastest(entries, spec.peers);
  if (!peer) return null;
  const value = peer.nsPerOp / ours.nsPerOp;
  return { value, text: `${fmtX(value)} vs ${peer.name}` };
}

function boundText(spec: TargetSpec): string {
  const bounds = spec.kind === "allocation" ? spec.max ?? {} : spec.min ?? {};
  const values = RUNTIME_IDS.map((r) => bounds[r]).filter((v) => v !== undefined) as number[];
  const show = (v: number): string =>
    spec.kind === "gbps"
      ? `${v} GB/s`
      : spec.kind === "allocation"
      ? `${Math.round(v * 100)}%`
      : `${v}×`;
  const op = spec.kind === "allocation" ? "≤" : "≥";
  if (values.length > 0 && values.every((v) => v === values[0])) {
    const everywhere = values.length === RUNTIME_IDS.length;
    return `${op} ${show(values[0])}${
      everywhere
        ? ""
        : ` (${
          RUNTIME_IDS.filter((r) => bounds[r] !== undefined).map((r) =>
            RUNTIME_LABELS[r]
          ).join(", ")
        })`
    }`;
  }
  return RUNTIME_IDS.filter((r) => bounds[r] !== undefined)
    .map((r) => `${RUNTIME_LABELS[r]} ${op} ${show(bounds[r]!)}`).join(", ");
}

/** Checks every target of `specs` on every group of `entries` it applies to. */
export function checkTargets(specs: readonly TargetSpec[], entries: BenchEntry[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const spec of specs) {
    const groups = [
      ...new Set(
        entries.filter((e) =>
          e.subject === spec.subject && (!spec.sizes?.length || spec.sizes.includes(e.size))
        ).map((e) => e.group),
      ),
    ];
    const feedback = spec.feedback ?? "varied";
    for (const group of groups) {
      const inGroup = (runtime: RuntimeId, feedback: Feedback): BenchEntry[] =>
        entries.filter((e) =>
          e.group === group && e.runtime === runtime && e.feedback === feedback
        );
      let met = 0;
      let missed = 0;
      let applies = false;
      const cells = RUNTIME_IDS.map((runtime) => {
        const bounds = spec.kind === "allocation" ? spec.max : spec.min;
        const bound = bounds?.[runtime];
        if (bound === undefined) return "no target";
        const here = inGroup(runtime, feedback);
        const measured = figure(spec, here);
        if (!measured) {
          // Ours ran but no listed peer exists on this runtime (e.g. no native fromHex on Node 24).
          return here.some((e) => spec.ours.includes(e.contender))
            ? "no peer here"
            : "not measured";
        }
        applies = true;
        const other = feedback === "varied" ? "monomorphic" : "varied";
        const second = spec.kind === "allocation" ? null : figure(spec, inGroup(runtime, other));
        const secondText = second
          ? ` (${other === "monomorphic" ? "mono" : "varied"} ${second.text.split(" vs ")[0]})`
          : "";
        const pass = spec.kind === "allocation" ? measured.value <= bound : measured.value >= bound;
        if (pass) met++;
        else missed++;
        return `${pass ? "✅" : "❌"} ${measured.text}${secondText}`;
      });
      if (!applies) continue;
      checks.push({
        label: `${spec.what}: ${group}`,
        target: boundText(spec),
        cells,
        met,
        missed,
      });
    }
  }
  return checks;
}

/** A `#### Targets` table, or nothing. */
export function targetTable(checks: TargetCheck[], heading = "#### Targets"): string[] {
  if (checks.length === 0) return [];
  return [
    heading,
    "",
    ...table(
      ["target", "bound", ...RUNTIME_IDS.map((r) => RUNTIME_LABELS[r])],
      checks.map((c) => [c.label, c.target, ...c.cells]),
    ),
    "",
  ];
}
