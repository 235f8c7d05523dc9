/**
 * Renders docs/PERFORMANCE-REPORT.md and docs/img/*.svg from
 * bench/results/*.json: the lead (one heatmap, one table: lead.ts), the
 * environment, a summary of every section's targets, the direct-call tables,
 * then each section of {@linkcode SECTIONS} in order. Nothing depends on the
 * clock: the same JSON always gives the same report.
 *
 * Entries written in the schema (dev/schema.ts) need no code here: they reach
 * the lead, and "Other benches" if no section selects them. A section of
 * their own is `entrySection({ id, title, select })` (its targets go in
 * TARGETS with `area: id`); anything else exports a `Section` from its own
 * module (see scenario.ts, load.ts) and is listed here.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BenchEntry, RUNTIME_IDS, RUNTIME_LABELS } from "../../dev/schema.ts";
import { table } from "./format.ts";
import { entrySection } from "./groups.ts";
import { loadSection } from "./load.ts";
import { messagingSection } from "./messaging.ts";
import { tuningSection } from "./tuning.ts";
import { loadResults, type ResultFile } from "./results.ts";
import { scenarioSection } from "./scenario.ts";
import { renderLead } from "./lead.ts";
import type { ReportContext, Section, SectionOutput, TargetCheck } from "./section.ts";

const isEncoding = (prefix: string) => (e: BenchEntry): boolean =>
  e.bench.startsWith("encoding") && e.subject.startsWith(prefix);

const FEEDBACK_NOTE =
  "Figures are the median ns per op of interleaved rounds, after every contender of a subject was fed the same " +
  "400 varied inputs (realistic type feedback); `(mono …)` is the same contender timed in a fresh process that " +
  "saw only the timed input. Next to a peer's time, `peer ÷ ours` compares it with our fastest comparable entry " +
  "(same op, same ownership, strict with strict): above 1× we are faster, below 1× (bold) the peer is.";

/** Which entries the entry sections below show; anything else lands in "Other benches". */
const SHOWN: ((e: BenchEntry) => boolean)[] = [
  (e) => e.bench === "pool" || e.bench === "pool_tuning",
  (e) => isEncoding("base64")(e) || isEncoding("hex")(e),
  isEncoding("utf8"),
  (e) => e.bench.startsWith("serializers") || e.bench === "stream",
  (e) => e.bench === "slab",
];

/** The report's sections, in order. */
export const SECTIONS: Section[] = [
  entrySection({
    id: "pool",
    title: "Pool: rent + return vs allocation",
    select: SHOWN[0],
    intro: [
      "One input per group (entries tagged monomorphic); allocation per op is measured with each result kept alive.",
      "",
    ],
  }),
  tuningSection,
  entrySection({
    id: "base64",
    title: "Base64 and hex",
    select: SHOWN[1],
    intro: [
      FEEDBACK_NOTE,
      "",
      "Strict decoders (ours, native `fromBase64`/`setFromBase64`/`fromHex`, `atob`) reject malformed input; " +
      "`Buffer` and base64-js decode leniently, validating nothing, and are references only. The best strict " +
      "decoder of a runtime is the fastest of native, our forced JS core and `atob`.",
      "",
    ],
  }),
  entrySection({
    id: "utf8",
    title: "UTF-8",
    select: SHOWN[2],
    intro: [FEEDBACK_NOTE, ""],
  }),
  entrySection({
    id: "serializers",
    title: "Serializers: JSON and MessagePack",
    select: SHOWN[3],
    intro: [
      FEEDBACK_NOTE,
      "",
      "The pooled JSON paths are checked against their ceiling, `JSON.stringify` + `TextEncoder#encodeInto` into " +
      "a preallocated buffer: the most a path that calls `JSON.stringify` can do. `serialize (slab: null)` is the " +
      "own-buffer result (one fresh ArrayBuffer per call, the behaviour before slabs): the allocation targets " +
      "compare `serialize()` with it. Allocation: backing-store bytes per op on Node and Deno " +
      "(`process.memoryUsage().arrayBuffers`, `Deno.memoryUsage().external`), heap bytes per op on Bun " +
      "(`heapStats().heapSize` after `Bun.gc(true)`), results kept alive.",
      "",
    ],
  }),
  entrySection({
    id: "slab",
    title: "Slab: owned results vs a fresh ArrayBuffer",
    select: SHOWN[4],
    intro: [
      "Owned exact-length results carved from a shared chunk (`SlabAllocator`) against `new Uint8Array(n)` " +
      "and `slice()`, lengths varied between n/2 and n (bench/slab.bench.ts). The defaults in " +
      "platform/fast_paths.ts come from this table.",
      "",
    ],
  }),
  scenarioSection,
  loadSection,
  messagingSection,
  // A new bench in the schema shows here (and in the lead) with no code change.
  entrySection({
    id: "other",
    title: "Other benches",
    select: (e) => !SHOWN.some((shown) => shown(e)),
    intro: [FEEDBACK_NOTE, ""],
    hideWhenEmpty: true,
  }),
];

function environment(files: ResultFile[]): string[] {
  const rows = RUNTIME_IDS.map((runtime) => {
    const mine = files.filter((f) => f.runtime === runtime);
    if (mine.length === 0) return [RUNTIME_LABELS[runtime], "not measured", "", ""];
    const versions = [...new Set(mine.map((f) => f.version))].join(", ");
    const cpus = [...new Set(mine.map((f) => f.cpu).filter((c) => c !== "unknown"))].join(", ") ||
      "unknown";
    const dates = mine.map((f) => f.date).filter((d) => d !== "").sort();
    const span = dates.length === 0
      ? ""
      : dates[0] === dates[dates.length - 1]
      ? dates[0]
      : `${dates[0]} … ${dates[dates.length - 1]}`;
    return [RUNTIME_LABELS[runtime], versions, cpus, span];
  });
  const benches = [...new Set(files.map((f) => f.bench))].sort();
  const runtimesOf = (bench: string) =>
    RUNTIME_IDS.filter((r) => files.some((f) => f.bench === bench && f.runtime === r))
      .map((r) => RUNTIME_LABELS[r]).join(", ");
  return [
    "## Environment",
    "",
    ...table(["runtime", "version", "CPU", "run date (UTC)"], rows),
    "",
    `Result files: ${benches.map((b) => `${b} (${runtimesOf(b)})`).join("; ") || "none"}.`,
    "",
  ];
}

function summary(rendered: [Section, SectionOutput][]): string[] {
  const out = ["## Targets", ""];
  const count = (checks: TargetCheck[], key: "met" | "missed"): number =>
    checks.reduce((n, c) => n + c[key], 0);
  out.push(
    "Targets from the issues, counted per runtime (each section's table marks them ✅ / ❌):",
    "",
    ...table(
      ["section", "met", "missed"],
      rendered.map(([section, output]) => {
        const met = count(output.checks, "met");
        const missed = count(output.checks, "missed");
        if (output.checks.length === 0) return [section.title, "no targets (figures only)", "—"];
        return met + missed === 0
          ? [section.title, "not measured", "—"]
          : [section.title, String(met), String(missed)];
      }),
    ),
    "",
  );
  return out;
}

/** Renders the report from `resultsDir` into `docsDir`; returns what it wrote. */
export async function writeReport(
  resultsDir: string,
  docsDir: string,
  sections: Section[] = SECTIONS,
): Promise<{ files: number; charts: string[] }> {
  const { files, entries, problems } = loadResults(resultsDir);
  const context: ReportContext = { files, entries, resultsDir, docsDir };
  const rendered: [Section, SectionOutput][] = [];
  for (const section of sections) rendered.push([section, await section.render(context)]);
  const lead = await renderLead(entries, rendered.flatMap(([, output]) => output.leadCells ?? []));
  const out: string[] = [
    "# @catga/memory performance report",
    "",
    "<!-- Generated by `node tools/report.ts` (`npm run bench:report`) from bench/results/*.json; do not edit by hand. -->",
    "",
    "Produced by `npm run bench` (every `bench/*.bench.ts` under Node 24, Node 26, Deno and Bun), regenerated " +
    "from the raw JSON with `npm run bench:report`. Our entries are in bold. The numbers come from whatever " +
    "machine ran the benchmarks; compare runtimes and ratios, not absolute times across machines.",
    "",
    ...lead.lines,
    ...environment(files),
  ];
  if (problems.length > 0) {
    out.push(
      "Unreadable result files:",
      "",
      ...problems.map((p) => `- ${p}`),
      "",
    );
  }
  out.push(...summary(rendered.filter(([, output]) => output.lines.length > 0)), ...lead.direct);
  for (const [section, output] of rendered) {
    if (output.lines.length > 0) out.push(`## ${section.title}`, "", ...output.lines);
  }
  const imgDir = join(docsDir, "img");
  mkdirSync(imgDir, { recursive: true });
  const charts: string[] = [];
  for (const output of [lead, ...rendered.map(([, output]) => output)]) {
    for (const [name, svg] of Object.entries(output.charts)) {
      writeFileSync(join(imgDir, name), svg);
      charts.push(name);
    }
  }
  const markdown = `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
  writeFileSync(join(docsDir, "PERFORMANCE-REPORT.md"), markdown);
  return { files: files.length, charts };
}
