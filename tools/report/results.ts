/**
 * Loads bench/results/*.json. Files in the schema format (dev/schema.ts,
 * `schema: 2`) give tagged entries. Files in their own format (bench/load.ts,
 * bench/messaging.bench.ts) keep only their data, as extras, and the
 * environment table's runtime and date.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type BenchEntry, type Feedback, RUNTIME_IDS, type RuntimeId } from "../../dev/schema.ts";

/** One results file, normalized. */
export interface ResultFile {
  /** The bench name from the file ("serializers", "serializers.monomorphic", "load"). */
  readonly bench: string;
  /** The report column. */
  readonly runtime: RuntimeId;
  /** The runtime's version. */
  readonly version: string;
  /** The CPU model. */
  readonly cpu: string;
  /** ISO date of the run. */
  readonly date: string;
  /** The feedback of its entries, if it has the distinction. */
  readonly feedback: Feedback | null;
  /** Tagged entries (none for files in another format). */
  readonly entries: BenchEntry[];
  /** Everything else the bench recorded (top-level data of files not written by the harness). */
  readonly extras: Record<string, unknown>;
}

/** What {@linkcode loadResults} found. */
export interface LoadedResults {
  /** Every readable file. */
  readonly files: ResultFile[];
  /** Every tagged entry of every file. */
  readonly entries: BenchEntry[];
  /** Files that could not be read. */
  readonly problems: string[];
}

/** Reads every `<bench>.<runtime>.json` in `dir`. */
export function loadResults(dir: string): LoadedResults {
  const files: ResultFile[] = [];
  const problems: string[] = [];
  if (!existsSync(dir)) return { files, entries: [], problems };
  for (const name of readdirSync(dir).sort()) {
    const match = /^(.+)\.([a-z0-9]+)\.json$/.exec(name);
    const runtime = match && RUNTIME_IDS.find((id) => id === match[2]);
    if (!match || !runtime) continue;
    try {
      const raw = JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, unknown>;
      files.push(
        raw.schema === 2 ? fromSchema(raw, runtime) : fromOtherFormat(raw, match[1], runtime),
      );
    } catch (error) {
      problems.push(`bench/results/${name}: ${(error as Error).message}`);
    }
  }
  return { files, entries: files.flatMap((f) => f.entries), problems };
}

function fromSchema(raw: Record<string, unknown>, runtime: RuntimeId): ResultFile {
  const info = raw.runtime as { version?: string; cpu?: string };
  // A before/after bench's `ours.before.*` entries time an earlier copy of the library: they stay
  // in the raw JSON and its log, never in the report, so no figure of old code stands for ours.
  const entries = (Array.isArray(raw.entries) ? raw.entries as BenchEntry[] : [])
    .filter((e) => typeof e?.nsPerOp === "number" && Number.isFinite(e.nsPerOp))
    .filter((e) => !String(e.contender).startsWith("ours.before."));
  return {
    bench: String(raw.bench),
    runtime,
    version: String(info?.version ?? "unknown"),
    cpu: String(info?.cpu ?? "unknown"),
    date: String(raw.date ?? ""),
    feedback: (raw.feedback as Feedback | null) ?? null,
    entries,
    extras: (raw.extras as Record<string, unknown>) ?? {},
  };
}

function fromOtherFormat(
  raw: Record<string, unknown>,
  bench: string,
  runtime: RuntimeId,
): ResultFile {
  const runtimeField = raw.runtime as Record<string, unknown> | string | undefined;
  // A { name, version, cpu } object, or a string: bench/load.ts writes "bun 1.4.5".
  const info: Record<string, unknown> = typeof runtimeField === "object" && runtimeField !== null
    ? runtimeField
    : { version: /(\d+\.\d+\.\d+\S*)/.exec(String(runtimeField ?? ""))?.[1] };
  // Files not written by the harness keep their data at the top level: treat it as extras.
  const topLevel = Object.fromEntries(
    Object.entries(raw).filter(([k]) =>
      !["runtime", "date", "cpu", "version", "benchmarks", "extras"].includes(k)
    ),
  );
  return {
    bench,
    runtime,
    version: String(info.version ?? raw.version ?? "unknown"),
    cpu: String(info.cpu ?? raw.cpu ?? "unknown"),
    date: String(raw.date ?? ""),
    feedback: null,
    entries: [],
    extras: {
      ...topLevel,
      ...(typeof raw.extras === "object" && raw.extras !== null
        ? raw.extras as Record<string, unknown>
        : {}),
    },
  };
}
