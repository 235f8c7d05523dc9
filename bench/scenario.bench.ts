/**
 * The seed's scenario end to end: serialize a message and base64 its payload,
 * four routes side by side in one run, after every route was fed the same
 * 400 varied messages (realistic type feedback).
 *
 * - naive: `JSON.stringify` + `TextEncoder.encode` (a fresh buffer per
 *   message), then base64 of the payload into a fresh string (native
 *   `toBase64` where the runtime has it, else `Buffer`, as a user would write).
 * - pooled: `JsonSerializer#serializeTo` into a pooled `BufferWriter`, then
 *   `writeBase64` into a second pooled writer; both writers are kept for the
 *   run and reset per message, as a service worker would hold them.
 * - msgpack: the seed's MemoryPack move: `MsgPackSerializer#serializeTo` into
 *   pooled memory, then `writeBase64` like pooled.
 * - ceiling: `JSON.stringify` + `encodeInto` into a preallocated buffer, then
 *   `writeBase64` like pooled: the most a route that calls `JSON.stringify` can
 *   do; the JSON route is checked against it.
 *
 * Per size and path it reports ops/s, p50/p99 latency per op (its own timing
 * loop over a preallocated Float64Array), GC events per 100k ops split into
 * minor/major (`v8.GCProfiler`, Node and Deno), heap bytes per op (Bun, where
 * GC events are not observable), JS heap and backing-store bytes per op, and
 * peak RSS; then the pooled/naive ratios against the seed's targets. mitata
 * times the same two paths as a cross-check.
 *
 * Run: `node --expose-gc bench/scenario.bench.ts`,
 * `deno run -A --v8-flags=--expose-gc bench/scenario.bench.ts`,
 * `bun bench/scenario.bench.ts`. `SCENARIO_SECONDS` (default 1.5) sets the
 * measured time per size and path.
 *
 * @module
 */
import v8 from "node:v8";
import { Buffer } from "node:buffer";
import process from "node:process";
import { MemoryPool } from "../pool/mod.ts";
import { writeBase64 } from "../encoding/mod.ts";
import { JsonSerializer, MsgPackSerializer } from "../serializers/mod.ts";
import { fixtures, variedMessages } from "./fixtures.ts";
import { allocationMetric, bytesPerOp, fullGc, runtimeInfo, writeResults } from "./_harness.ts";
import {
  SCENARIO_SIZES,
  SCENARIO_TARGETS,
  type ScenarioExtras,
  type ScenarioRoute,
  type ScenarioRow,
  type ScenarioSize,
} from "../dev/schema_scenario.ts";

type Size = ScenarioSize;
type Path = ScenarioRoute;

const SIZES: readonly Size[] = SCENARIO_SIZES;
const ROUTES: readonly Path[] = ["naive", "pooled", "msgpack", "ceiling"];
const SECONDS = Number(process.env.SCENARIO_SECONDS ?? "1.5") || 1.5;
const WARMUP_MS = Math.min(500, SECONDS * 250);
const MAX_SAMPLES = 2_000_000;
const RSS_EVERY = 1024; // sampling RSS costs microseconds: only every 1024 ops, outside the timed span

const TARGETS = SCENARIO_TARGETS;

// ---------------------------------------------------------------- the two paths

const textEncoder = new TextEncoder();
const nativeToBase64 = (Uint8Array.prototype as { toBase64?: () => string }).toBase64;

/** Base64 of `bytes` into a fresh string, the way a user of this runtime would write it. */
const freshBase64: (bytes: Uint8Array) => string = nativeToBase64
  ? (bytes) => (bytes as unknown as { toBase64(): string }).toBase64()
  : (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
const naiveBase64Api = nativeToBase64
  ? "Uint8Array.prototype.toBase64"
  : "Buffer#toString('base64')";

function naive(message: unknown): string {
  const payload = textEncoder.encode(JSON.stringify(message));
  return freshBase64(payload);
}

const pool = new MemoryPool();
const serializer = new JsonSerializer({ pool });
const msgpackSerializer = new MsgPackSerializer({ pool });
// One writer per stage, kept for the whole run and reset per message, as a service worker would hold them.
const payloadWriter = pool.rentWriter(256);
const base64Writer = pool.rentWriter(512);
const base64Options = {};

/** Serializes and base64s into pooled writers; returns the base64 length (what a sender would write out). */
function pooled(message: unknown): number {
  payloadWriter.reset();
  base64Writer.reset();
  serializer.serializeTo(message, payloadWriter);
  // A real sender would now write base64Writer.written to a socket, before the next reset.
  return writeBase64(payloadWriter.written, base64Writer, base64Options);
}

/** The seed's MemoryPack move: MessagePack into pooled memory, then base64 like pooled. */
function msgpackRoute(message: unknown): number {
  payloadWriter.reset();
  base64Writer.reset();
  msgpackSerializer.serializeTo(message, payloadWriter);
  return writeBase64(payloadWriter.written, base64Writer, base64Options);
}

// Room for the largest message at 3 bytes per UTF-16 unit, and for the varied warm-up's.
const ceilingBuffer = new Uint8Array(3 * JSON.stringify(fixtures.large).length + (1 << 20));

/** The JSON route's ceiling: JSON.stringify + encodeInto a preallocated buffer, then base64 like pooled. */
function ceiling(message: unknown): number {
  base64Writer.reset();
  const { written } = textEncoder.encodeInto(JSON.stringify(message), ceilingBuffer);
  return writeBase64(ceilingBuffer.subarray(0, written), base64Writer, base64Options);
}

/** One route, by a switch: every route's call site stays monomorphic. */
function runRoute(route: Path, message: unknown): number {
  switch (route) {
    case "naive":
      return naive(message).length;
    case "pooled":
      return pooled(message);
    case "msgpack":
      return msgpackRoute(message);
    case "ceiling":
      return ceiling(message);
  }
}

// ---------------------------------------------------------------- measurement

const samples = new Float64Array(MAX_SAMPLES);
let sink = 0;
let peakRss = 0;

/** One loop for every route. */
function timedLoop(route: Path, message: unknown, count: number): void {
  let acc = 0;
  for (let i = 0; i < count; i++) {
    if ((i & (RSS_EVERY - 1)) === 0) {
      const rss = process.memoryUsage.rss();
      if (rss > peakRss) peakRss = rss;
    }
    const start = performance.now();
    acc += runRoute(route, message);
    samples[i] = performance.now() - start;
  }
  sink += acc;
}

interface GcCounts {
  minor: number;
  major: number;
  other: number;
  pauseMs: number;
  freedBytes: number;
}

type GcProfilerLike = { start(): void; stop(): { statistics: GcEvent[] } | undefined };
interface GcEvent {
  gcType: string;
  cost: number;
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

const MINOR_GC = new Set(["Scavenge", "MinorMarkSweep", "MinorMarkCompact"]);
const MAJOR_GC = new Set(["MarkSweepCompact"]);
// Bun's node:v8 has a GCProfiler that does not report JSC's collections: count only on V8.
const gcProfilerAvailable = runtimeInfo.name !== "bun" &&
  typeof (v8 as { GCProfiler?: unknown }).GCProfiler === "function";

function countGc(events: GcEvent[]): GcCounts {
  const counts: GcCounts = { minor: 0, major: 0, other: 0, pauseMs: 0, freedBytes: 0 };
  for (const event of events) {
    const isMinor = MINOR_GC.has(event.gcType);
    const isMajor = MAJOR_GC.has(event.gcType);
    if (isMinor) counts.minor++;
    else if (isMajor) counts.major++;
    else counts.other++;
    counts.pauseMs += event.cost / 1000; // GCProfiler reports microseconds
    if (isMinor || isMajor) {
      counts.freedBytes += Math.max(
        0,
        event.beforeGC.heapStatistics.usedHeapSize - event.afterGC.heapStatistics.usedHeapSize,
      );
    }
  }
  return counts;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

async function measure(size: Size, path: Path): Promise<ScenarioRow> {
  const message = fixtures[size];

  // Warm up until the code is optimized and the pool holds its buffers; the rate sizes the run.
  let warmOps = 0;
  const warmStart = performance.now();
  while (performance.now() - warmStart < WARMUP_MS || warmOps < 200) {
    timedLoop(path, message, 100);
    warmOps += 100;
  }
  const rate = warmOps / ((performance.now() - warmStart) / 1000);
  const ops = Math.max(1000, Math.min(MAX_SAMPLES, Math.round(rate * SECONDS)));

  fullGc();
  const rssAtStart = process.memoryUsage.rss();
  peakRss = rssAtStart;
  const profiler = gcProfilerAvailable
    ? new (v8 as unknown as { GCProfiler: new () => GcProfilerLike }).GCProfiler()
    : undefined;
  const heapBefore = gcProfilerAvailable ? v8.getHeapStatistics().used_heap_size : 0;
  profiler?.start();
  timedLoop(path, message, ops);
  const heapAfter = gcProfilerAvailable ? v8.getHeapStatistics().used_heap_size : 0;
  const gc = profiler ? countGc(profiler.stop()?.statistics ?? []) : undefined;

  const timings = samples.subarray(0, ops);
  let totalMs = 0;
  for (let i = 0; i < ops; i++) totalMs += timings[i];
  timings.sort();
  const per100k = (n: number): number => (n * 100_000) / ops;

  // The harness keeps every result alive until it has measured: cap that at ~16 MiB, so the
  // naive large run does not inflate the RSS of the phases after it.
  const keptPerOp = 3 * textEncoder.encode(JSON.stringify(message)).length;
  const allocationOps = Math.max(20, Math.min(ops, 2000, Math.floor((16 << 20) / keptPerOp)));
  const allocation = await bytesPerOp(allocationOps, () => {
    // Keep what the op leaves behind alive, so the harness sees what it allocated.
    if (path !== "naive") return runRoute(path, message);
    const payload = textEncoder.encode(JSON.stringify(message));
    return [payload, freshBase64(payload)];
  });

  return {
    size,
    path,
    payloadBytes: path === "msgpack"
      ? msgpackSerializer.serialize(message).length
      : textEncoder.encode(JSON.stringify(message)).length,
    base64Chars: runRoute(path, message),
    ops,
    opsPerSec: ops / (totalMs / 1000),
    meanNs: (totalMs * 1e6) / ops,
    p50Ns: percentile(timings, 0.5) * 1e6,
    p99Ns: percentile(timings, 0.99) * 1e6,
    gcMinor: gc ? gc.minor : null,
    gcMajor: gc ? gc.major : null,
    gcMinorPer100k: gc ? per100k(gc.minor) : null,
    gcMajorPer100k: gc ? per100k(gc.major) : null,
    gcEventsPer100k: gc ? per100k(gc.minor + gc.major) : null,
    gcPauseMsPer100k: gc ? per100k(gc.pauseMs) : null,
    // Bytes the JS heap allocated = what GCs freed + what is still live since the start.
    jsHeapBytesPerOp: gc ? (gc.freedBytes + heapAfter - heapBefore) / ops : null,
    // Bun exposes neither GC events nor an allocation counter: its figure is bun:jsc heapSize growth
    // with each op's result kept alive (the harness's measurement), i.e. what an op leaves allocated.
    heapBytesPerOp: runtimeInfo.name === "bun" ? allocation : null,
    backingStoreBytesPerOp: allocation,
    peakRssBytes: peakRss,
    rssAtStartBytes: rssAtStart,
  };
}

/** `JSON.stringify` of the message alone, timed next to the naive path. */
interface StringifyFloor {
  size: Size;
  stringifyNs: number;
  naiveMeanNs: number;
  /** naive / stringify: the most any path that still calls JSON.stringify can gain. */
  ceiling: number;
}

/**
 * Times `JSON.stringify(message)` alone against the naive path, in alternating
 * blocks of 100 ops so that both see the same machine load.
 */
function stringifyFloor(size: Size): StringifyFloor {
  const message = fixtures[size];
  const BLOCK = 100;
  let acc = 0;
  let stringifyMs = 0;
  let naiveMs = 0;
  let blocks = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 500 || blocks < 5) {
    let t = performance.now();
    for (let i = 0; i < BLOCK; i++) acc += JSON.stringify(message).length;
    stringifyMs += performance.now() - t;
    t = performance.now();
    for (let i = 0; i < BLOCK; i++) acc += naive(message).length;
    naiveMs += performance.now() - t;
    blocks++;
  }
  sink += acc;
  const ops = blocks * BLOCK;
  const stringifyNs = (stringifyMs * 1e6) / ops;
  const naiveMeanNs = (naiveMs * 1e6) / ops;
  return { size, stringifyNs, naiveMeanNs, ceiling: naiveMeanNs / stringifyNs };
}

// ---------------------------------------------------------------- main

// Every route must produce the base64 of its payload, or the comparison means nothing.
function base64Written(): string {
  let text = "";
  for (const byte of base64Writer.written) text += String.fromCharCode(byte);
  return text;
}
for (const size of SIZES) {
  const message = fixtures[size];
  const expected = naive(message);
  for (const route of ["pooled", "ceiling"] as const) {
    runRoute(route, message);
    if (base64Written() !== expected) {
      throw new Error(
        `Scenario ${size}: the ${route} route's base64 differs from the naive route's`,
      );
    }
  }
  msgpackRoute(message);
  if (base64Written() !== freshBase64(msgpackSerializer.serialize(message))) {
    throw new Error(`Scenario ${size}: the msgpack route's base64 differs from its payload's`);
  }
}

console.log(
  `scenario: ${runtimeInfo.name} ${runtimeInfo.version}, ${SECONDS}s per size and path; naive base64 via ${naiveBase64Api}`,
);
console.log(
  gcProfilerAvailable
    ? "GC events: v8.GCProfiler (minor = Scavenge/MinorMarkSweep, major = MarkSweepCompact)"
    : "GC events: not observable on Bun; heap bytes per op (bun:jsc heapSize, results kept alive) instead",
);

// Realistic feedback: every route sees the same varied messages before any is timed.
for (const message of variedMessages()) {
  for (const route of ROUTES) runRoute(route, message);
}

const rows: ScenarioRow[] = [];
const floors: StringifyFloor[] = [];
for (const size of SIZES) {
  for (const path of ROUTES) {
    rows.push(await measure(size, path));
    console.log(
      `[${rows.length}/${SIZES.length * ROUTES.length}] ${size} ${path}: ${
        Math.round(rows[rows.length - 1].opsPerSec)
      } ops/s`,
    );
  }
  floors.push(stringifyFloor(size));
}
// The log's tables; the report (tools/report/scenario.ts) renders the same rows for people.
console.table(rows, [
  "size",
  "path",
  "opsPerSec",
  "p50Ns",
  "p99Ns",
  "gcMinorPer100k",
  "gcMajorPer100k",
  "jsHeapBytesPerOp",
  "heapBytesPerOp",
  "backingStoreBytesPerOp",
  "peakRssBytes",
]);
console.log(
  "JSON.stringify alone: a path that still calls it cannot beat naive by more than this.",
);
console.table(floors);
console.log("route / naive against the seed's targets: see `npm run bench:report`.");

const stats = pool.stats();
const scenario: ScenarioExtras & Record<string, unknown> = {
  seconds: SECONDS,
  naiveBase64: naiveBase64Api,
  gcMetric: gcProfilerAvailable ? "v8.GCProfiler" : null,
  heapMetric: runtimeInfo.name === "bun"
    ? "bun:jsc heapSize() growth per op after a full GC, each op's result kept alive (JSC exposes no GC events or allocation counter)"
    : null,
  jsHeapMetric: gcProfilerAvailable
    ? "V8 used heap: bytes freed by GCs + net growth, per op"
    : null,
  backingStoreMetric: allocationMetric,
  rssMetric: "process.memoryUsage.rss(), sampled every 1024 ops; process-wide",
  targets: TARGETS,
  rows,
  stringifyFloor: floors,
  pool: { hits: stats.hits, misses: stats.misses, outstanding: stats.outstanding },
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
};
writeResults("scenario", [], { scenario }, null);
payloadWriter.dispose();
base64Writer.dispose();
if (sink === -1) console.log(sink); // keeps the results observable
