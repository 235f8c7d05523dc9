/**
 * Reads bench/results/<bench>.<runtime id>.json. Files in the schema (dev/schema.ts, `schema: 2`)
 * are checked entry by entry and give tagged entries; files in their own format (bench/load.ts,
 * bench/messaging.bench.ts) keep their top-level data. A file that cannot be read or fails the
 * check is a problem: the report lists it and tools/report.ts exits non-zero.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type BenchEntry,
  type Feedback,
  parseResultFile,
  RUNTIME_IDS,
  type RuntimeId,
} from "../../dev/schema.ts";

/** One results file, normalized. */
export interface ResultFile {
  /** The bench name from the file name ("serializers.monomorphic", "load"). */
  readonly bench: string;
  readonly runtime: RuntimeId;
  readonly version: string;
  readonly cpu: string;
  /** ISO date of the run. */
  readonly date: string;
  readonly feedback: Feedback | null;
  /** Tagged entries (none for files in another format). */
  readonly entries: BenchEntry[];
  /** The file's extras; for files in another format, its top-level data. */
  readonly data: Record<string, unknown>;
}

/** What {@linkcode loadResults} found. */
export interface LoadedResults {
  readonly files: ResultFile[];
  readonly entries: BenchEntry[];
  /** Files that could not be read, with why. */
  readonly problems: string[];
}

/** Reads every `<bench>.<runtime>.json` in `dir`. */
export function loadResults(dir: string): LoadedResults {
  const files: ResultFile[] = [];
  const problems: string[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
    const match = /^(.+)\.([a-z0-9]+)\.json$/.exec(name);
    const runtime = RUNTIME_IDS.find((id) => id === match?.[2]);
    if (!match || !runtime) continue;
    try {
      const raw = JSON.parse(readFileSync(join(dir, name), "utf8"));
      files.push(
        raw?.schema === 2 ? fromSchema(raw, name) : fromOtherFormat(raw, match[1], runtime),
      );
    } catch (error) {
      problems.push(`bench/results/${name}: ${(error as Error).message}`);
    }
  }
  return { files, entries: files.flatMap((f) => f.entries), problems };
}

function fromSchema(raw: unknown, name: string): ResultFile {
  const file = parseResultFile(raw, name);
  return {
    ...file,
    runtime: file.runtime.id,
    version: file.runtime.version,
    cpu: file.runtime.cpu ?? "unknown",
    // A before/after bench's `ours.before.*` entries time an earlier copy of the library: they
    // stay in the raw JSON and its log, never in the report, so no figure of old code is ours.
    entries: file.entries.filter((e) => !e.contender.startsWith("ours.before.")),
    data: file.extras ?? {},
  };
}

function fromOtherFormat(raw: Record<string, unknown>, bench: string, runtime: RuntimeId) {
  // A { version, cpu } object, or a string: bench/load.ts writes "bun 1.4.5".
  const info = (typeof raw.runtime === "object" ? raw.runtime : {}) as Record<string, unknown>;
  const version = info.version ?? /(\d+\.\d+\.\d+\S*)/.exec(String(raw.runtime))?.[1];
  return {
    bench,
    runtime,
    version: String(version ?? "unknown"),
    cpu: String(info.cpu ?? "unknown"),
    date: String(raw.date ?? ""),
    feedback: null,
    entries: [],
    data: raw,
  };
}
