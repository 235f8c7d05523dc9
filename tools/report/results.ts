/**
 * Reads bench/results/*.json and checks every entry (dev/schema.ts) and every row a section
 * reads: a file that fails is listed in the report and makes tools/report.ts exit with 1.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type BenchEntry,
  checkFields,
  type FieldKind,
  parseResultFile,
  RUNTIME_IDS,
  type RuntimeId,
} from "../../dev/schema.ts";

/** One results file: `data` is the extras, or a foreign file's top level. */
export interface ResultFile {
  readonly bench: string; // from the file name: "serializers.monomorphic", "load"
  readonly runtime: RuntimeId;
  readonly version: string;
  readonly cpu: string;
  readonly date: string;
  readonly entries: BenchEntry[];
  readonly data: Record<string, unknown>;
}

const ROUTE = { route: "string", requestsPerSec: "number", cpuUsPerRequest: "number" } as const;
const TUNING = ["retainedAtLoadEnd", "retainedAfter20sIdle", "idleFall", "steadyHitRate"]
  .concat(["renewedBurstFirstSecondHitRate", "tuningIntervalMs", "rentsPerSecond", "concurrency"]);

/** Where each bench's rows are in its data ("": the data itself), and the fields sections read. */
const ROWS: Record<string, [key: string, fields: Record<string, FieldKind>]> = {
  load: ["routes", ROUTE],
  load_paths: ["routes", ROUTE],
  messaging: ["rows", { client: "string", msgsPerSec: "number", speedVsNaive: "number" }],
  scenario: ["scenario", { size: "string", path: "string", opsPerSec: "number" }],
  pool_tuning: ["", Object.fromEntries(TUNING.map((field) => [field, "number"]))],
};

/** The loaded results every section reads. */
export interface ReportContext {
  readonly files: ResultFile[];
  readonly entries: BenchEntry[];
}

/** Per runtime (in RUNTIME_IDS order), what a section took from its bench's file. */
export type Runs<T> = Map<RuntimeId, T>;

/** Per runtime, `bench`'s data (or its `key`), as results.ts checked it. */
export function runsOf<T>(files: ResultFile[], bench: string, key?: string): Runs<T> {
  const runs: Runs<T> = new Map();
  for (const runtime of RUNTIME_IDS) {
    const file = files.find((f) => f.bench === bench && f.runtime === runtime);
    if (file) runs.set(runtime, (key ? file.data[key] : file.data) as T);
  }
  return runs;
}

/** Every readable file in `dir`, their entries, and the files that could not be read, with why. */
export function loadResults(dir: string): ReportContext & { problems: string[] } {
  const files: ResultFile[] = [];
  const problems: string[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
    const [, bench, id] = /^(.+)\.([a-z0-9]+)\.json$/.exec(name) ?? [];
    const runtime = RUNTIME_IDS.find((r) => r === id);
    if (!runtime) continue;
    try {
      const raw = JSON.parse(readFileSync(join(dir, name), "utf8"));
      const file = raw?.schema === 2 ? fromSchema(raw, name) : foreign(raw, bench, runtime);
      const [key, fields] = ROWS[file.bench] ?? [];
      const data = key ? file.data[key] as { rows?: unknown } | unknown[] | undefined : file.data;
      const rows = (key === "" ? [data] : Array.isArray(data) ? data : data?.rows) as unknown[];
      if (fields && !Array.isArray(rows)) throw new TypeError(`Cannot read ${name}: no ${key}`);
      rows?.forEach((row, i) => checkFields(row, fields!, key ? `${name}.${key}[${i}]` : name));
      files.push(file);
    } catch (error) {
      problems.push(`bench/results/${name}: ${(error as Error).message}`);
    }
  }
  return { files, entries: files.flatMap((f) => f.entries), problems };
}

function fromSchema(raw: unknown, name: string): ResultFile {
  const { bench, runtime, date, entries, extras } = parseResultFile(raw, name);
  // A before/after bench's `ours.before.*` entries time an earlier copy of the library: they
  // stay in the raw JSON and its log, never in the report, so no figure of old code is ours.
  const current = entries.filter((e) => !e.contender.startsWith("ours.before."));
  const { version, cpu = "unknown" } = runtime;
  return { bench, runtime: runtime.id, version, cpu, date, entries: current, data: extras ?? {} };
}

/** bench/load.ts writes `runtime: "bun 1.4.5"`; bench/messaging.bench.ts a { version, cpu }. */
function foreign(raw: Record<string, unknown>, bench: string, runtime: RuntimeId): ResultFile {
  const info = (typeof raw.runtime === "object" ? raw.runtime : {}) as Record<string, unknown>;
  const version = String(info.version ?? /(\d+\.\d+\.\d+\S*)/.exec(String(raw.runtime))?.[1]);
  const [cpu, date] = [info.cpu ?? "unknown", raw.date ?? ""].map(String);
  return { bench, runtime, version, cpu, date, entries: [], data: raw };
}
