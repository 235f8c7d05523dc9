/**
 * The report's "Auto-tuned retention" section, from the extras of
 * bench/results/pool_tuning.<runtime>.json (bench/pool_tuning.bench.ts: a
 * bursty load, 20 s idle and a renewed burst replayed on a virtual clock),
 * with issue 12's retention targets marked met or missed. The rent+return
 * timings of that bench (auto vs fixed) appear in the pool section.
 *
 * @module
 */
import { RUNTIME_IDS, RUNTIME_LABELS } from "../../dev/schema.ts";
import { table } from "./format.ts";
import { type ReportContext, type Section, type SectionOutput, valueCheck } from "./section.ts";

interface TuningExtras {
  readonly retainedAtLoadEnd: number;
  readonly retainedAfter20sIdle: number;
  readonly idleFall: number;
  readonly renewedBurstFirstSecondHitRate: number;
  readonly steadyHitRate: number;
  readonly tuningIntervalMs: number;
  readonly rentsPerSecond: number;
  readonly concurrency: number;
}

/** Issue 12: retained bytes fall ≥75% within 20 s idle; a renewed burst hits >95% within 1 s. */
const IDLE_FALL_MIN = 0.75;
const BURST_HIT_RATE_MIN = 0.95;

const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

function tuningOf(context: ReportContext, runtime: string): TuningExtras | undefined {
  const file = context.files.find((f) => f.bench === "pool_tuning" && f.runtime === runtime);
  const extras = file?.extras as Partial<TuningExtras> | undefined;
  return typeof extras?.idleFall === "number" ? extras as TuningExtras : undefined;
}

/** The section. */
export const tuningSection: Section = {
  id: "tuning",
  title: "Auto-tuned retention: burst, idle, burst",
  render(context): SectionOutput {
    const rows: string[][] = [];
    const fall: (number | null)[] = [];
    const burst: (number | null)[] = [];
    let sample: TuningExtras | undefined;
    for (const runtime of RUNTIME_IDS) {
      const t = tuningOf(context, runtime);
      sample ??= t;
      fall.push(t?.idleFall ?? null);
      burst.push(t?.renewedBurstFirstSecondHitRate ?? null);
      rows.push(
        t === undefined ? [RUNTIME_LABELS[runtime], "not measured", "", "", "", ""] : [
          RUNTIME_LABELS[runtime],
          `${t.retainedAtLoadEnd.toLocaleString("en-US")} B`,
          `${t.retainedAfter20sIdle.toLocaleString("en-US")} B`,
          percent(t.idleFall),
          percent(t.renewedBurstFirstSecondHitRate),
          percent(t.steadyHitRate),
        ],
      );
    }
    const lines = [
      sample === undefined
        ? "No results yet: run `npm run bench -- --filter=pool_tuning`."
        : `A default \`MemoryPool\` (\`retention: "auto"\`, tuning window ${sample.tuningIntervalMs} ms) ` +
          `replayed on a virtual clock: 60 s of bursty mixed-size load (${sample.rentsPerSecond} rents a ` +
          `second, up to ${sample.concurrency} at once), 20 s idle, then a renewed burst ` +
          "(bench/pool_tuning.bench.ts). The replay is deterministic, so runtimes agree unless their pools differ.",
      "",
      ...table(
        [
          "runtime",
          "retained at load end",
          "after 20 s idle",
          "fall",
          "hits, 1st s of new burst",
          "hits, steady load",
        ],
        rows,
      ),
      "",
    ];
    return {
      lines,
      checks: [
        valueCheck(
          "retained bytes fall within 20 s idle",
          `≥ ${percent(IDLE_FALL_MIN)}`,
          fall,
          (v) => v >= IDLE_FALL_MIN,
          percent,
        ),
        valueCheck(
          "hit rate in the first second of a renewed burst",
          `> ${percent(BURST_HIT_RATE_MIN)}`,
          burst,
          (v) => v > BURST_HIT_RATE_MIN,
          percent,
        ),
      ],
      charts: {},
    };
  },
};
