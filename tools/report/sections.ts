/**
 * The report's sections, in order. A bench whose entries follow dev/schema.ts needs no code here:
 * its entries reach the lead, and "Other benches" unless a section selects them.
 *
 * @module
 */
import { type BenchEntry, RUNTIME_LABELS } from "../../dev/schema.ts";
import { check, judge, targetTable } from "./compare.ts";
import { columns, pct, thousands } from "./format.ts";
import { loadSection } from "./section_load.ts";
import { messagingSection } from "./section_messaging.ts";
import { scenarioSection } from "./section_scenario.ts";
import { type ReportContext, runsOf, type Section } from "./render.ts";

const encoding = (...families: string[]) => (e: BenchEntry): boolean =>
  e.bench.startsWith("encoding") && families.includes(e.subject.split(" ")[0]);

/** What the entry sections show; anything else, apart from seam_direct (its own table), is "Other". */
const SHOWN = {
  pool: (e: BenchEntry) => e.bench === "pool" || e.bench === "pool_tuning",
  base64: encoding("base64", "hex"),
  utf8: encoding("utf8"),
  serializers: (e: BenchEntry) => e.bench.startsWith("serializers") || e.bench === "stream",
  slab: (e: BenchEntry) => e.bench === "slab",
  seam: (e: BenchEntry) => e.bench === "seam_direct",
};

/** pool_tuning's extras (bench/pool_tuning.bench.ts): numbers, checked in results.ts. */
type Tuning = Record<string, number>;

/** Issue 12: retained bytes fall ≥ 75% within 20 s idle; a renewed burst hits > 95% within 1 s. */
function tuning({ files }: ReportContext) {
  const runs = runsOf<Tuning>(files, "pool_tuning");
  const checks = [
    check(
      "retained bytes fall within 20 s idle",
      "≥ 75.0%",
      runs,
      (t) => judge(t.idleFall, (v) => v >= 0.75, pct),
    ),
    check(
      "hit rate in the first second of a renewed burst",
      "> 95.0%",
      runs,
      (t) => judge(t.renewedBurstFirstSecondHitRate, (v) => v > 0.95, pct),
    ),
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
      "fall": ([, t]) => pct(t.idleFall, 1),
      "hits, 1st s of new burst": ([, t]) => pct(t.renewedBurstFirstSecondHitRate, 1),
      "hits, steady load": ([, t]) => pct(t.steadyHitRate, 1),
    }),
  ];
  return { lines, checks };
}

/** The report's sections, in order. */
export const SECTIONS: Section[] = [
  {
    id: "pool",
    title: "Pool: rent + return vs allocation",
    entries: SHOWN.pool,
    intro: "One input per group (entries tagged monomorphic).",
  },
  { id: "tuning", title: "Auto-tuned retention: burst, idle, burst", render: tuning },
  {
    id: "base64",
    title: "Base64 and hex",
    entries: SHOWN.base64,
    intro: "Strict decoders (ours, native `fromBase64`/`setFromBase64`/`fromHex`, `atob`) reject " +
      "malformed input; `Buffer` and base64-js decode leniently and are references only. The best " +
      "strict decoder of a runtime is the fastest of native, our forced JS core and `atob`.",
  },
  { id: "utf8", title: "UTF-8", entries: SHOWN.utf8 },
  {
    id: "serializers",
    title: "Serializers: JSON and MessagePack",
    entries: SHOWN.serializers,
    intro: "The pooled JSON paths are checked against their ceiling, `JSON.stringify` + " +
      "`TextEncoder#encodeInto` into a preallocated buffer. `serialize (slab: null)` is the " +
      "own-buffer result (one fresh ArrayBuffer per call): the allocation targets compare " +
      "`serialize()` with it.",
  },
  {
    id: "slab",
    title: "Slab: owned results vs a fresh ArrayBuffer",
    entries: SHOWN.slab,
    intro: "Exact-length results carved from a shared chunk (`SlabAllocator`) against " +
      "`new Uint8Array(n)` and `slice()`, lengths varied between n/2 and n (bench/slab.bench.ts); " +
      "the defaults in platform/fast_paths.ts come from this table.",
  },
  scenarioSection,
  loadSection,
  messagingSection,
  {
    id: "other",
    title: "Other benches",
    entries: (e) => !Object.values(SHOWN).some((shown) => shown(e)),
  },
];
