/**
 * The seed's scenario end to end: serialize a message and base64 its payload, four routes after
 * the same 400 varied messages: naive (`JSON.stringify` + `TextEncoder.encode`, base64 into a
 * fresh string as a user would write it), pooled (`serializeTo` a pooled writer, `writeBase64`
 * into a second; both kept and reset per message, as a service worker would), msgpack (the
 * seed's MemoryPack move) and ceiling (`JSON.stringify` + `encodeInto` a preallocated buffer:
 * the most a route that calls `JSON.stringify` can do). Its own timing loop gives p50/p99 per
 * op; GC events come from `v8.GCProfiler` (not observable on Bun). `SCENARIO_SECONDS` (default
 * 1.5) sets the time per size and route.
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

const ROUTES: readonly ScenarioRoute[] = ["naive", "pooled", "msgpack", "ceiling"];
const SECONDS = Number(process.env.SCENARIO_SECONDS ?? "1.5") || 1.5;
const WARMUP_MS = Math.min(500, SECONDS * 250);
const MAX_SAMPLES = 2_000_000;
const RSS_EVERY = 1024; // sampling RSS costs microseconds: only every 1024 ops, outside the timed span

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
  return freshBase64(textEncoder.encode(JSON.stringify(message)));
}

const pool = new MemoryPool();
const serializer = new JsonSerializer({ pool });
const msgpackSerializer = new MsgPackSerializer({ pool });
const payloadWriter = pool.rentWriter(256);
const base64Writer = pool.rentWriter(512);
const base64Options = {};

/** Serializes into pooled writers; returns the base64 length (what a sender would write out). */
function pooled(message: unknown): number {
  payloadWriter.reset();
  base64Writer.reset();
  serializer.serializeTo(message, payloadWriter);
  return writeBase64(payloadWriter.written, base64Writer, base64Options);
}

/** Like pooled, with MessagePack: a function of its own keeps each call site monomorphic. */
function msgpackRoute(message: unknown): number {
  payloadWriter.reset();
  base64Writer.reset();
  msgpackSerializer.serializeTo(message, payloadWriter);
  return writeBase64(payloadWriter.written, base64Writer, base64Options);
}

// Room for the largest message at 3 bytes per UTF-16 unit, and for the varied warm-up's.
const ceilingBuffer = new Uint8Array(3 * JSON.stringify(fixtures.large).length + (1 << 20));

function ceiling(message: unknown): number {
  base64Writer.reset();
  const { written } = textEncoder.encodeInto(JSON.stringify(message), ceilingBuffer);
  return writeBase64(ceilingBuffer.subarray(0, written), base64Writer, base64Options);
}

/** One route, by a switch: every route's call site stays monomorphic. */
function runRoute(route: ScenarioRoute, message: unknown): number {
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

const samples = new Float64Array(MAX_SAMPLES);
let sink = 0;
let peakRss = 0;

/** One loop for every route. */
function timedLoop(route: ScenarioRoute, message: unknown, count: number): void {
  let acc = 0;
  for (let i = 0; i < count; i++) {
    if ((i & (RSS_EVERY - 1)) === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const start = performance.now();
    acc += runRoute(route, message);
    samples[i] = performance.now() - start;
  }
  sink += acc;
}

interface GcEvent {
  gcType: string;
  cost: number;
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}
const MINOR_GC = new Set(["Scavenge", "MinorMarkSweep", "MinorMarkCompact"]);
// Bun's node:v8 has a GCProfiler that does not report JSC's collections: count only on V8.
const gcProfilerAvailable = runtimeInfo.name !== "bun" &&
  typeof (v8 as { GCProfiler?: unknown }).GCProfiler === "function";

/** Minor and major collections, their pause and the bytes they freed. */
function countGc(events: GcEvent[]) {
  const counts = { minor: 0, major: 0, pauseMs: 0, freedBytes: 0 };
  for (const { gcType, cost, beforeGC, afterGC } of events) {
    const kind = MINOR_GC.has(gcType) ? "minor" : gcType === "MarkSweepCompact" ? "major" : null;
    counts.pauseMs += cost / 1000; // GCProfiler reports microseconds
    if (kind === null) continue;
    counts[kind]++;
    const freed = beforeGC.heapStatistics.usedHeapSize - afterGC.heapStatistics.usedHeapSize;
    counts.freedBytes += Math.max(0, freed);
  }
  return counts;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

async function measure(size: ScenarioSize, path: ScenarioRoute): Promise<ScenarioRow> {
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
  const profiler = gcProfilerAvailable ? new v8.GCProfiler() : undefined;
  const heapBefore = gcProfilerAvailable ? v8.getHeapStatistics().used_heap_size : 0;
  profiler?.start();
  timedLoop(path, message, ops);
  const heapAfter = gcProfilerAvailable ? v8.getHeapStatistics().used_heap_size : 0;
  const events = (profiler?.stop() as { statistics: GcEvent[] } | undefined)?.statistics;
  const gc = profiler ? countGc(events ?? []) : undefined;

  const timings = samples.subarray(0, ops);
  const totalMs = timings.reduce((a, b) => a + b, 0);
  timings.sort();
  const per100k = (n: number): number => (n * 100_000) / ops;

  // Every result stays alive until measured: at most ~16 MiB, so that the naive large run does
  // not inflate the RSS of the phases after it.
  const jsonBytes = textEncoder.encode(JSON.stringify(message)).length;
  const allocationOps = Math.max(20, Math.min(ops, 2000, Math.floor((16 << 20) / (3 * jsonBytes))));
  const allocation = await bytesPerOp(allocationOps, () => {
    if (path !== "naive") return runRoute(path, message);
    const payload = textEncoder.encode(JSON.stringify(message));
    return [payload, freshBase64(payload)];
  });
  return {
    size,
    path,
    payloadBytes: path === "msgpack" ? msgpackSerializer.serialize(message).length : jsonBytes,
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
    // Bun exposes neither GC events nor an allocation counter: bun:jsc heapSize growth with
    // each op's result kept alive, i.e. what an op leaves allocated.
    heapBytesPerOp: runtimeInfo.name === "bun" ? allocation : null,
    backingStoreBytesPerOp: allocation,
    peakRssBytes: peakRss,
    rssAtStartBytes: rssAtStart,
  };
}

/** `JSON.stringify` alone against naive, in alternating blocks of 100 ops (the same load). */
function stringifyFloor(size: ScenarioSize): ScenarioExtras["stringifyFloor"][number] {
  const message = fixtures[size];
  let acc = 0;
  let stringifyMs = 0;
  let naiveMs = 0;
  let blocks = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 500 || blocks < 5) {
    let t = performance.now();
    for (let i = 0; i < 100; i++) acc += JSON.stringify(message).length;
    stringifyMs += performance.now() - t;
    t = performance.now();
    for (let i = 0; i < 100; i++) acc += naive(message).length;
    naiveMs += performance.now() - t;
    blocks++;
  }
  sink += acc;
  const stringifyNs = (stringifyMs * 1e6) / (blocks * 100);
  const naiveMeanNs = (naiveMs * 1e6) / (blocks * 100);
  return { size, stringifyNs, naiveMeanNs, ceiling: naiveMeanNs / stringifyNs };
}

// Every route must produce the base64 of its payload, or the comparison means nothing.
for (const size of SCENARIO_SIZES) {
  const message = fixtures[size];
  for (const route of ["pooled", "ceiling", "msgpack"] as const) {
    runRoute(route, message);
    const expected = route === "msgpack"
      ? freshBase64(msgpackSerializer.serialize(message))
      : naive(message);
    if (new TextDecoder().decode(base64Writer.written) !== expected) {
      throw new Error(`Scenario ${size}: the ${route} route's base64 differs from its payload's`);
    }
  }
}

// Realistic feedback: every route sees the same varied messages before any is timed.
for (const message of variedMessages()) {
  for (const route of ROUTES) runRoute(route, message);
}

const rows: ScenarioRow[] = [];
const floors: ScenarioExtras["stringifyFloor"] = [];
for (const size of SCENARIO_SIZES) {
  for (const path of ROUTES) {
    rows.push(await measure(size, path));
    console.log(`${size} ${path}: ${Math.round(rows.at(-1)!.opsPerSec)} ops/s`);
  }
  floors.push(stringifyFloor(size));
}

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
  targets: SCENARIO_TARGETS,
  rows,
  stringifyFloor: floors,
  pool: { hits: stats.hits, misses: stats.misses, outstanding: stats.outstanding },
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
};
writeResults("scenario", [], { scenario }, null);
payloadWriter.dispose();
base64Writer.dispose();
if (sink === -1) console.log(sink); // keeps the results observable
