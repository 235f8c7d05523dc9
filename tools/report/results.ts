/**
 * Reads bench/results/<bench>.<runtime id>.json. A file in the schema (`schema: 2`) is checked
 * entry by entry (dev/schema.ts) and gives tagged entries; a file in its own format
 * (bench/load.ts, bench/messaging.bench.ts) keeps its top-level data. A file that cannot be read
 * or fails the check is a problem: the report lists it and tools/report.ts exits non-zero.
 *
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

/** One results file, normalized: `data` is the extras, or a foreign file's top level. */
export interface ResultFile {
  /** The bench name from the file name ("serializers.monomorphic", "load"). */
  readonly bench: string;
  readonly runtime: RuntimeId;
  readonly version: string;
  readonly cpu: string;
  readonly date: string;
  readonly entries: BenchEntry[];
  readonly data: Record<string, unknown>;
}

const ROUTE = { route: "string", requestsPerSec: "number", cpuUsPerRequest: "number" } as const;

/** The rows the sections read from each bench's data, and the fields they need in every row. */
const ROWS: Record<string, [key: string, fields: Record<string, FieldKind>]> = {
  load: ["routes", ROUTE],
  load_paths: ["routes", ROUTE],
  messaging: ["rows", { client: "string", msgsPerSec: "number", speedVsNaive: "number" }],
  scenario: ["scenario", { size: "string", path: "string", opsPerSec: "number" }],
};

/** Throws where a bench's rows are missing or a row lacks a field its section reads. */
function checkRows(file: ResultFile, name: string): ResultFile {
  const [key, fields] = ROWS[file.bench] ?? [];
  if (!key || !fields) return file;
  const data = file.data[key] as Record<string, unknown> | unknown[] | undefined;
  const rows = Array.isArray(data) ? data : data?.rows;
  if (!Array.isArray(rows)) throw new TypeError(`Cannot read ${name}: no rows at ${key}`);
  rows.forEach((row, i) => checkFields(row, fields, `${name}.${key}[${i}]`));
  return file;
}

/** Every readable file in `dir`, their entries, and the files that could not be read, with why. */
export function loadResults(dir: string): {
  files: ResultFile[];
  entries: BenchEntry[];
  problems: string[];
} {
  const files: ResultFile[] = [];
  const problems: string[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
    const [, bench, id] = /^(.+)\.([a-z0-9]+)\.json$/.exec(name) ?? [];
    const runtime = RUNTIME_IDS.find((r) => r === id);
    if (!runtime) continue;
    try {
      const raw = JSON.parse(readFileSync(join(dir, name), "utf8"));
      files.push(
        checkRows(raw?.schema === 2 ? fromSchema(raw, name) : foreign(raw, bench, runtime), name),
      );
    } catch (error) {
      problems.push(`bench/results/${name}: ${(error as Error).message}`);
    }
  }
  return { files, entries: files.flatMap((f) => f.entries), problems };
}

function fromSchema(raw: unknown, name: string): ResultFile {
  const { bench, runtime, date, entries, extras } = parseResultFile(raw, name);
  return {
    bench,
    runtime: runtime.id,
    version: runtime.version,
    cpu: runtime.cpu ?? "unknown",
    date,
    // A before/after bench's `ours.before.*` entries time an earlier copy of the library: they
    // stay in the raw JSON and its log, never in the report, so no figure of old code is ours.
    entries: entries.filter((e) => !e.contender.startsWith("ours.before.")),
    data: extras ?? {},
  };
}

function foreign(raw: Record<string, unknown>, bench: string, runtime: RuntimeId): ResultFile {
  // A { version, cpu } object, or a string: bench/load.ts writes "bun 1.4.5".
  const info = (typeof raw.runtime === "object" ? raw.runtime : {}) as Record<string, unknown>;
  const version = info.version ?? /(\d+\.\d+\.\d+\S*)/.exec(String(raw.runtime))?.[1];
  const [cpu, date] = [info.cpu ?? "unknown", raw.date ?? ""].map(String);
  return {
    bench,
    runtime,
    version: String(version ?? "unknown"),
    cpu,
    date,
    entries: [],
    data: raw,
  };
}
