/**
 * The report's sections and the renderer of entry sections: their targets (TARGETS of the
 * section's id) and ONE measurements table. A bench in dev/schema.ts's format needs no code here.
 * @module
 */
import { type BenchEntry, RUNTIME_IDS, RUNTIME_LABELS, TARGETS } from "../../dev/schema.ts";
import {
  bestComparable,
  check,
  checkTargets,
  judge,
  type SectionOutput,
  targetTable,
} from "./compare.ts";
import { columns, distinct, fmtBytes, fmtNs, fmtX, pct, table, thousands } from "./format.ts";
import { type ReportContext, runsOf } from "./results.ts";
import { renderLoad } from "./section_load.ts";
import { renderMessaging } from "./section_messaging.ts";
import { renderScenario } from "./section_scenario.ts";

/** A report section: the tagged entries it shows, or how it renders a bench of its own format. */
export interface Section {
  readonly id: string;
  readonly title: string;
  readonly entries?: (entry: BenchEntry) => boolean;
  readonly intro?: string;
  readonly render?: (context: ReportContext) => SectionOutput | Promise<SectionOutput>;
}

/** A rival's time with its ratio to our best comparable entry (bold when we lose). */
function timeText(e: BenchEntry, sameRun: BenchEntry[]): string {
  const ours = e.side === "ours" ? undefined : bestComparable(sameRun, e);
  if (!ours) return fmtNs(e.nsPerOp);
  const ratio = e.nsPerOp / ours.nsPerOp;
  return `${fmtNs(e.nsPerOp)} · ${ratio < 1 ? `**${fmtX(ratio)}**` : fmtX(ratio)}`;
}

/** Backing-store bytes per op (Node, Deno) and heap bytes per op (Bun), or "". */
function bytesText(e: BenchEntry | undefined): string {
  const heap = e?.heapBytesPerOp == null ? "" : `heap ${fmtBytes(e.heapBytesPerOp)}`;
  if (e?.backingStoreBytesPerOp == null) return heap;
  return `${fmtBytes(e.backingStoreBytesPerOp)}${heap ? ` (${heap})` : ""}`;
}

/** ONE table: a row per group and contender; per runtime, varied and mono times, then bytes. */
function measurements(entries: BenchEntry[]): string[] {
  const rows = distinct(entries, (e) => `${e.group}\0${e.contender}`).map((first) => [
    first.group,
    first.side === "ours" ? `**${first.name}**` : first.name,
    (first.owned ? "owned" : "into/pooled") +
    (first.strict === null ? "" : first.strict ? ", strict" : ", lenient"),
    ...RUNTIME_IDS.map((runtime) => {
      const run = (feedback: string) =>
        entries.filter((x) =>
          x.group === first.group && x.runtime === runtime && x.feedback === feedback
        );
      const find = (feedback: string) => run(feedback).find((x) => x.contender === first.contender);
      const [varied, mono] = [find("varied"), find("monomorphic")];
      const parts = [
        varied && timeText(varied, run("varied")),
        mono && `(mono ${timeText(mono, run("monomorphic"))})`,
        bytesText(varied ?? mono),
      ].filter(Boolean);
      return parts.length === 0 ? "—" : parts.join(" ");
    }),
  ]);
  return table(["group", "contender", "kind", ...RUNTIME_IDS.map((r) => RUNTIME_LABELS[r])], rows);
}

/** Renders one section from the results. */
export async function renderSection(spec: Section, context: ReportContext): Promise<SectionOutput> {
  if (spec.render) return await spec.render(context);
  const entries = context.entries.filter(spec.entries ?? (() => false));
  const checks = checkTargets(TARGETS.filter((t) => t[0] === spec.id), entries);
  const intro = spec.intro ? [spec.intro, ""] : [];
  const lines = [...intro, ...targetTable(checks), ...measurements(entries)];
  return { lines: entries.length === 0 ? [] : lines, checks };
}

const encoding = (...families: string[]) => (e: BenchEntry): boolean =>
  e.bench.startsWith("encoding") && families.includes(e.subject.split(" ")[0]);

/** Issue 12: retained bytes fall ≥ 75% within 20 s idle; a renewed burst hits > 95% within 1 s. */
function tuning({ files }: ReportContext): SectionOutput {
  // pool_tuning's extras (bench/pool_tuning.bench.ts): numbers, checked in results.ts.
  const runs = runsOf<Record<string, number>>(files, "pool_tuning");
  const [fall, burst] = ["idleFall", "renewedBurstFirstSecondHitRate"];
  const target = (label: string, bound: string, field: string, ok: (v: number) => boolean) =>
    check(label, bound, runs, (t) => judge(t[field], ok, pct));
  const checks = [
    target("retained bytes fall within 20 s idle", "≥ 75.0%", fall, (v) => v >= 0.75),
    target("hit rate in the first second of a renewed burst", "> 95.0%", burst, (v) => v > 0.95),
  ];
  const t = [...runs.values()][0];
  const lines = !t ? [] : [
    `A default \`MemoryPool\` (\`retention: "auto"\`, tuning window ${t.tuningIntervalMs} ms) ` +
    `replayed on a virtual clock: 60 s of bursty mixed-size load (${t.rentsPerSecond} rents a ` +
    `second, up to ${t.concurrency} at once), 20 s idle, then a renewed burst ` +
    "(bench/pool_tuning.bench.ts; deterministic, so runtimes agree unless their pools differ).",
    "",
    ...targetTable(checks),
    ...columns([...runs], {
      runtime: ([r]) => RUNTIME_LABELS[r],
      "retained at load end": ([, t]) => `${thousands(t.retainedAtLoadEnd)} B`,
      "after 20 s idle": ([, t]) => `${thousands(t.retainedAfter20sIdle)} B`,
      "fall": ([, t]) => pct(t[fall], 1),
      "hits, 1st s of new burst": ([, t]) => pct(t[burst], 1),
      "hits, steady load": ([, t]) => pct(t.steadyHitRate, 1),
    }),
  ];
  return { lines, checks };
}

/** The report's sections, in order; seam_direct's entries feed the direct-call tables only. */
export const SECTIONS: Section[] = [
  {
    id: "pool",
    title: "Pool: rent + return vs allocation",
    entries: (e) => e.bench === "pool" || e.bench === "pool_tuning",
    intro: "One input per group (entries tagged monomorphic).",
  },
  { id: "tuning", title: "Auto-tuned retention: burst, idle, burst", render: tuning },
  {
    id: "base64",
    title: "Base64 and hex",
    entries: encoding("base64", "hex"),
    intro: "Strict decoders (ours, native `fromBase64`/`setFromBase64`/`fromHex`, `atob`) reject " +
      "malformed input; `Buffer` and base64-js decode leniently, references only. The best strict " +
      "decoder of a runtime is the fastest of native, our forced JS core and `atob`.",
  },
  { id: "utf8", title: "UTF-8", entries: encoding("utf8") },
  {
    id: "serializers",
    title: "Serializers: JSON and MessagePack",
    entries: (e) => e.bench.startsWith("serializers") || e.bench === "stream",
    intro: "Pooled JSON is checked against its ceiling, `JSON.stringify` + `encodeInto` into a " +
      "preallocated buffer. `serialize (slab: null)` is the own-buffer result (a fresh " +
      "ArrayBuffer per call): the allocation targets compare `serialize()` with it.",
  },
  {
    id: "slab",
    title: "Slab: owned results vs a fresh ArrayBuffer",
    entries: (e) => e.bench === "slab",
    intro: "Exact-length results carved from a shared chunk (`SlabAllocator`) against " +
      "`new Uint8Array(n)` and `slice()`, lengths n/2 to n; platform/fast_paths.ts' defaults.",
  },
  {
    id: "scenario",
    title: "The seed scenario: naive vs pooled JSON vs pooled MessagePack, end to end",
    render: renderScenario,
  },
  { id: "load", title: "HTTP load", render: renderLoad },
  { id: "messaging", title: "Messaging", render: renderMessaging },
];
