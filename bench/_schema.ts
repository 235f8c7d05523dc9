/**
 * The one description of what a bench writes to bench/results/ and of the
 * targets the report checks. Benches build their entries with these types;
 * tools/report/ reads them back. Nothing here guesses from names: every entry
 * says who it is (`side`, `op`, `contender`), and every target names the
 * contenders it compares.
 *
 * Result files are `bench/results/<bench>.<runtime id>.json`, where `<bench>`
 * is the bench name plus `.monomorphic` for the monomorphic run of a bench
 * that has one (see {@linkcode resultFileName}).
 *
 * @module
 */

// ---------------------------------------------------------------- runtimes

/** The runtimes the benches run on, in report column order. */
export const RUNTIME_IDS = ["node24", "node26", "deno", "bun"] as const;

/** One of {@linkcode RUNTIME_IDS}. */
export type RuntimeId = typeof RUNTIME_IDS[number];

/** Column headings for each runtime. */
export const RUNTIME_LABELS: Record<RuntimeId, string> = {
  node24: "Node 24",
  node26: "Node 26",
  deno: "Deno",
  bun: "Bun",
};

/** Which runtime ran a bench, with its version and the CPU. */
export interface RuntimeInfo {
  /** The report column: node24, node26, deno or bun. */
  readonly id: RuntimeId;
  /** The runtime family. */
  readonly name: "node" | "deno" | "bun";
  /** The runtime's own version. */
  readonly version: string;
  /** The CPU model. */
  readonly cpu: string;
}

/** Maps a Node major version to its report column; other majors count as the nearest LTS below. */
export function nodeRuntimeId(major: number): RuntimeId {
  return major >= 26 ? "node26" : "node24";
}

// ---------------------------------------------------------------- entries

/** Whose code an entry times: the library's, or what a user would otherwise write. */
export type Side = "ours" | "peer";

/**
 * What an entry does. `encode`/`decode` produce a fresh result; the `Into`
 * forms write into memory the caller or a pool holds.
 */
export type Op =
  | "encode"
  | "decode"
  | "encodeInto"
  | "decodeInto"
  | "rent"
  | "write"
  | "scenario";

/**
 * The type feedback the contenders saw before timing. `varied`: every
 * contender was first fed the same set of messages of different shapes and
 * sizes (the realistic case). `monomorphic`: only the timed input, in a fresh
 * process.
 */
export type Feedback = "varied" | "monomorphic";

/** One timed contender in one group, on one runtime. */
export interface BenchEntry {
  /** The bench file that measured it, without `.bench.ts`. */
  readonly bench: string;
  /** `${subject} ${size}`: the contenders of one group are compared with each other. */
  readonly group: string;
  /** What is compared, without the size: "msgpack encode", "base64 decode". */
  readonly subject: string;
  /** The input size label: "small", "64 KiB", "27 chars". */
  readonly size: string;
  /** Input size in bytes (or chars for UTF-8 encode), for GB/s; null when not meaningful. */
  readonly sizeBytes: number | null;
  /** The display name: "MsgPackSerializer.serialize". */
  readonly name: string;
  /** A stable id the targets refer to: "ours.msgpack.serialize", "msgpackr.pack". */
  readonly contender: string;
  /** The report column. */
  readonly runtime: RuntimeId;
  /** The runtime's version. */
  readonly runtimeVersion: string;
  /** Ours or a peer. */
  readonly side: Side;
  /** What the call does. */
  readonly op: Op;
  /** The feedback it was timed under. */
  readonly feedback: Feedback;
  /** Whether the result is caller-owned memory (a fresh string or bytes the caller may keep). */
  readonly owned: boolean;
  /** For decoders: whether malformed input is rejected (TC39 strict). Compare strict with strict. */
  readonly strict: boolean | null;
  /** Median ns per op over the interleaved rounds (each round's mitata p50). */
  readonly nsPerOp: number;
  /** 1e9 / nsPerOp. */
  readonly opsPerSec: number;
  /** Mean ns per op of the rounds (mitata avg). */
  readonly avgNs: number;
  /** The worst round's mitata p99, ns per op. */
  readonly p99Ns: number;
  /** Node: process.memoryUsage().arrayBuffers; Deno: Deno.memoryUsage().external; per op, results kept alive. Null when not measured. */
  readonly backingStoreBytesPerOp: number | null;
  /** Heap bytes per op, results kept alive, after a full GC: V8 used_heap_size (Node, Deno), bun:jsc heapStats().heapSize after Bun.gc(true) (Bun, where it includes ArrayBuffer contents). Null when not measured. */
  readonly heapBytesPerOp: number | null;
}

/** What a bench writes to bench/results/. */
export interface BenchResultFile {
  /** Format version: 2 (files without it are the old, name-guessed format). */
  readonly schema: 2;
  /** The bench name as in the file name, e.g. "serializers" or "serializers.monomorphic". */
  readonly bench: string;
  /** The runtime that ran it. */
  readonly runtime: RuntimeInfo;
  /** ISO date of the run. */
  readonly date: string;
  /** The feedback of the timed entries, or null for benches without the distinction. */
  readonly feedback: Feedback | null;
  /** Timing settings: per-round mitata minimum CPU time and rounds per contender. */
  readonly settings: { readonly roundMs: number; readonly rounds: number };
  /** The timed entries. */
  readonly entries: BenchEntry[];
  /** Anything else the bench measured (scenario rows, pool stats). */
  readonly extras: Record<string, unknown>;
}

/** The file a bench writes for a runtime and feedback. */
export function resultFileName(
  bench: string,
  runtime: RuntimeId,
  feedback: Feedback | null,
): string {
  return `${bench}${feedback === "monomorphic" ? ".monomorphic" : ""}.${runtime}.json`;
}

/** Benches that run twice, once per {@linkcode Feedback}, each time in a fresh process. */
export const FEEDBACK_BENCHES: readonly string[] = ["serializers", "encoding"];

// ---------------------------------------------------------------- targets

/** A report section id: "pool", "base64", "utf8", "serializers", "scenario", or one another section adds. */
export type AreaId = string;

/**
 * A target from the issues, checked in every matching group on every runtime
 * that has a minimum.
 *
 * - `speedup`: fastest listed peer's time / fastest listed ours' time ≥ min.
 * - `gbps`: bytes per ns of the fastest listed ours ≥ min (peers unused).
 * - `allocation`: ours' bytes per op / peers' bytes per op ≤ max (backing
 *   store on Node and Deno, heap on Bun).
 */
export interface TargetSpec {
  /** Where the report shows it. */
  readonly area: AreaId;
  /** What is promised, in words. */
  readonly what: string;
  /** Where it comes from ("issue 8", "issue 2"). */
  readonly source: string;
  /** The subject of the groups it applies to. */
  readonly subject: string;
  /** The sizes it applies to; absent or empty = every size measured. */
  readonly sizes?: readonly string[];
  /** Our contenders; the fastest counts. */
  readonly ours: readonly string[];
  /** The peers; the fastest counts. Unused for `gbps`. */
  readonly peers: readonly string[];
  /** How the figure is computed. */
  readonly kind: "speedup" | "gbps" | "allocation";
  /** The feedback the figure is taken from; `varied` when absent. */
  readonly feedback?: Feedback;
  /** The least acceptable value (speedup, gbps) per runtime; a missing runtime has no target. */
  readonly min?: Partial<Record<RuntimeId, number>>;
  /** The largest acceptable ratio (allocation) per runtime. */
  readonly max?: Partial<Record<RuntimeId, number>>;
}

/** The same bound on every runtime. */
export function everyRuntime(value: number): Record<RuntimeId, number> {
  return { node24: value, node26: value, deno: value, bun: value };
}

const V8_RUNTIMES = (value: number): Partial<Record<RuntimeId, number>> => ({
  node24: value,
  node26: value,
  deno: value,
});

const BASE64_SIZES = ["64 B", "1 KiB", "64 KiB", "1 MiB"] as const;
const UTF8_TARGET_LENGTHS = [
  "8 chars",
  "16 chars",
  "32 chars",
  "64 chars",
  "128 chars",
  "256 chars",
];

/** The contender ids shared by the benches and the targets. */
export const C = {
  // serializers
  msgpackSerialize: "ours.msgpack.serialize",
  msgpackSerializeOwnBuffer: "ours.msgpack.serialize(slab:null)",
  msgpackSerializePooled: "ours.msgpack.serializePooled",
  msgpackSerializeTo: "ours.msgpack.serializeTo",
  msgpackDeserialize: "ours.msgpack.deserialize",
  msgpackrPack: "msgpackr.pack",
  msgpackrUnpack: "msgpackr.unpack",
  msgpackEncode: "@msgpack/msgpack.encode",
  msgpackDecode: "@msgpack/msgpack.decode",
  jsonSerialize: "ours.json.serialize",
  jsonSerializeOwnBuffer: "ours.json.serialize(slab:null)",
  jsonSerializePooled: "ours.json.serializePooled",
  jsonSerializeTo: "ours.json.serializeTo",
  jsonDeserialize: "ours.json.deserialize",
  jsonNaive: "TextEncoder.encode(JSON.stringify)",
  jsonCeiling: "JSON.stringify+encodeInto(prealloc)",
  jsonParse: "JSON.parse(TextDecoder.decode)",
  jsonParseStrict: "JSON.parse(fatal TextDecoder.decode)",
  jsonBufferFrom: "Buffer.from(JSON.stringify)",
  // UTF-8
  utf8Encode: "ours.encodeUtf8",
  utf8EncodeInto: "ours.encodeUtf8Into",
  utf8Decode: "ours.decodeUtf8",
  textEncoderEncode: "TextEncoder.encode",
  textEncoderEncodeInto: "TextEncoder.encodeInto",
  textDecoderDecode: "TextDecoder.decode",
  bufferFromString: "Buffer.from(string)",
  bufferToStringUtf8: "Buffer#toString(utf8)",
  jsLoopEncode: "JS charCodeAt loop",
  jsLoopDecode: "JS fromCharCode loop",
  // base64 / hex
  base64Encode: "ours.encodeBase64",
  base64EncodeJs: "ours.encodeBase64(js core)",
  base64EncodeInto: "ours.encodeBase64Into",
  base64EncodeIntoJs: "ours.encodeBase64Into(js core)",
  base64Decode: "ours.decodeBase64",
  base64DecodeJs: "ours.decodeBase64(js core)",
  base64DecodeInto: "ours.decodeBase64Into",
  base64DecodeIntoJs: "ours.decodeBase64Into(js core)",
  nativeToBase64: "Uint8Array#toBase64",
  nativeFromBase64: "Uint8Array.fromBase64",
  nativeSetFromBase64: "Uint8Array#setFromBase64",
  bufferToBase64: "Buffer#toString(base64)",
  bufferFromBase64: "Buffer.from(base64) (lenient)",
  bufferWriteBase64: "Buffer#write(base64) (lenient)",
  atobCopy: "atob+latin1 copy",
  base64js: "base64-js",
  jsBase64: "js-base64",
  hexEncode: "ours.encodeHex",
  hexDecode: "ours.decodeHex",
  nativeToHex: "Uint8Array#toHex",
  nativeFromHex: "Uint8Array.fromHex",
  bufferToHex: "Buffer#toString(hex)",
  bufferFromHex: "Buffer.from(hex) (lenient)",
  // pool
  poolRentReturn: "ours.pool.rent+return",
  newUint8Array: "new Uint8Array",
  writerWrite: "ours.writer.write+reset",
  freshCopy: "fresh Uint8Array + set",
} as const;

/**
 * The direct calls of issue 18: per subject, the contenders that are what a
 * user could call instead of the library on the same runtime for the same
 * result (owned with owned, strict with strict). The "vs the direct call"
 * figure of a group is the fastest of these present / our fastest. Node
 * 24 has no strict base64/hex decoder: there `Buffer` is a lenient
 * reference, tagged `strict: false`, not a direct call.
 */
export const DIRECT_CALLS: Readonly<Record<string, readonly string[]>> = {
  "base64 encode": [C.nativeToBase64, C.bufferToBase64],
  "base64 decode": [C.nativeFromBase64],
  "base64 decodeInto": [C.nativeSetFromBase64],
  "hex encode": [C.nativeToHex, C.bufferToHex],
  "hex decode": [C.nativeFromHex],
  "utf8 encode": [C.textEncoderEncode, C.bufferFromString],
  "utf8 encodeInto": [C.textEncoderEncodeInto],
  "utf8 decode": [C.textDecoderDecode, C.bufferToStringUtf8],
  "json encode": [C.jsonNaive, C.jsonBufferFrom, C.jsonCeiling],
  "json decode": [C.jsonParseStrict],
};

/**
 * Every speed and allocation target the report checks, from the issues.
 * Scenario targets are {@linkcode SCENARIO_TARGETS}.
 */
export const TARGETS: readonly TargetSpec[] = [
  // ---- pool (issue 2)
  {
    area: "pool",
    what: "rent+return vs new Uint8Array",
    source: "issue 2",
    subject: "rent+return",
    sizes: ["4 KiB"],
    ours: [C.poolRentReturn],
    peers: [C.newUint8Array],
    kind: "speedup",
    feedback: "monomorphic",
    min: { ...V8_RUNTIMES(10), bun: 5 },
  },
  {
    area: "pool",
    what: "rent+return vs new Uint8Array",
    source: "issue 2",
    subject: "rent+return",
    sizes: ["256 B"],
    ours: [C.poolRentReturn],
    peers: [C.newUint8Array],
    kind: "speedup",
    feedback: "monomorphic",
    min: { ...V8_RUNTIMES(10), bun: 1 },
  },
  // ---- MessagePack (issue 8)
  {
    area: "serializers",
    what: "MsgPackSerializer.serialize() vs msgpackr.pack",
    source: "issue 8",
    subject: "msgpack encode",
    sizes: ["small", "medium"],
    ours: [C.msgpackSerialize],
    peers: [C.msgpackrPack],
    kind: "speedup",
    min: everyRuntime(1.2),
  },
  {
    area: "serializers",
    what: "MsgPackSerializer.serialize() vs msgpackr.pack",
    source: "issue 8",
    subject: "msgpack encode",
    sizes: ["large"],
    ours: [C.msgpackSerialize],
    peers: [C.msgpackrPack],
    kind: "speedup",
    min: everyRuntime(1.0),
  },
  {
    area: "serializers",
    what: "MessagePack pooled paths vs msgpackr.pack",
    source: "issue 8",
    subject: "msgpack encode",
    ours: [C.msgpackSerializePooled, C.msgpackSerializeTo],
    peers: [C.msgpackrPack],
    kind: "speedup",
    min: everyRuntime(1.3),
  },
  {
    area: "serializers",
    what: "MessagePack pooled paths vs @msgpack/msgpack encode",
    source: "issue 8",
    subject: "msgpack encode",
    ours: [C.msgpackSerializePooled, C.msgpackSerializeTo],
    peers: [C.msgpackEncode],
    kind: "speedup",
    min: everyRuntime(2),
  },
  {
    area: "serializers",
    what: "MsgPackSerializer.deserialize vs msgpackr.unpack",
    source: "issue 8",
    subject: "msgpack decode",
    ours: [C.msgpackDeserialize],
    peers: [C.msgpackrUnpack],
    kind: "speedup",
    min: everyRuntime(1.3),
  },
  {
    area: "serializers",
    what: "MsgPackSerializer.deserialize vs @msgpack/msgpack decode",
    source: "issue 8",
    subject: "msgpack decode",
    ours: [C.msgpackDeserialize],
    peers: [C.msgpackDecode],
    kind: "speedup",
    min: everyRuntime(2),
  },
  // ---- JSON (issue 8)
  {
    area: "serializers",
    what: "JsonSerializer.serialize() vs TextEncoder.encode(JSON.stringify(x))",
    source: "issue 8",
    subject: "json encode",
    sizes: ["small"],
    ours: [C.jsonSerialize],
    peers: [C.jsonNaive],
    kind: "speedup",
    min: { ...V8_RUNTIMES(1.5), bun: 1.0 },
  },
  {
    area: "serializers",
    what: "JsonSerializer.serialize() vs TextEncoder.encode(JSON.stringify(x))",
    source: "issue 8",
    subject: "json encode",
    sizes: ["medium", "large"],
    ours: [C.jsonSerialize],
    peers: [C.jsonNaive],
    kind: "speedup",
    min: everyRuntime(1.0),
  },
  {
    area: "serializers",
    what: "pooled JSON paths vs TextEncoder.encode(JSON.stringify(x))",
    source: "issue 4",
    subject: "json encode",
    sizes: ["small"],
    ours: [C.jsonSerializePooled, C.jsonSerializeTo],
    peers: [C.jsonNaive],
    kind: "speedup",
    min: { node24: 2, node26: 2, deno: 2, bun: 1 },
  },
  {
    area: "serializers",
    what: "pooled JSON paths vs TextEncoder.encode(JSON.stringify(x))",
    source: "issue 4",
    subject: "json encode",
    sizes: ["medium", "large"],
    ours: [C.jsonSerializePooled, C.jsonSerializeTo],
    peers: [C.jsonNaive],
    kind: "speedup",
    min: everyRuntime(1.2),
  },
  {
    area: "serializers",
    what: "backing-store bytes per pooled JSON op vs TextEncoder.encode(JSON.stringify(x))",
    source: "issue 4",
    subject: "json encode",
    sizes: ["small"],
    ours: [C.jsonSerializePooled, C.jsonSerializeTo],
    peers: [C.jsonNaive],
    kind: "allocation",
    max: { ...V8_RUNTIMES(0) },
  },
  {
    area: "serializers",
    what: "backing-store bytes per pooled JSON op vs TextEncoder.encode(JSON.stringify(x))",
    source: "issue 4",
    subject: "json encode",
    sizes: ["medium"],
    ours: [C.jsonSerializePooled, C.jsonSerializeTo],
    peers: [C.jsonNaive],
    kind: "allocation",
    max: { ...V8_RUNTIMES(0.05) },
  },
  {
    area: "serializers",
    what: "backing-store bytes per pooled JSON op vs TextEncoder.encode(JSON.stringify(x))",
    source: "issue 4",
    subject: "json encode",
    sizes: ["large"],
    ours: [C.jsonSerializePooled, C.jsonSerializeTo],
    peers: [C.jsonNaive],
    kind: "allocation",
    max: { ...V8_RUNTIMES(0.1) },
  },
  {
    area: "serializers",
    what: "pooled JSON path vs its ceiling, JSON.stringify + encodeInto into a preallocated buffer",
    source: "issue 8",
    subject: "json encode",
    ours: [C.jsonSerializePooled, C.jsonSerializeTo],
    peers: [C.jsonCeiling],
    kind: "speedup",
    min: everyRuntime(0.9),
  },
  {
    area: "serializers",
    what: "backing-store bytes per MsgPackSerializer.serialize() vs an own-buffer result (today)",
    source: "issue 8",
    subject: "msgpack encode",
    ours: [C.msgpackSerialize],
    peers: [C.msgpackSerializeOwnBuffer],
    kind: "allocation",
    max: { ...V8_RUNTIMES(0.2) },
  },
  {
    area: "serializers",
    what: "backing-store bytes per JsonSerializer.serialize() vs an own-buffer result (today)",
    source: "issue 8",
    subject: "json encode",
    ours: [C.jsonSerialize],
    peers: [C.jsonSerializeOwnBuffer],
    kind: "allocation",
    max: { ...V8_RUNTIMES(0.2) },
  },
  // ---- UTF-8 (issue 8, issue 3)
  {
    area: "utf8",
    what: "encodeUtf8 vs TextEncoder.encode",
    source: "issue 8",
    subject: "utf8 encode",
    sizes: UTF8_TARGET_LENGTHS,
    ours: [C.utf8Encode],
    peers: [C.textEncoderEncode],
    kind: "speedup",
    min: everyRuntime(1.0),
  },
  {
    area: "utf8",
    what: "encodeUtf8Into vs the better of TextEncoder.encodeInto and a JS loop",
    source: "issue 3",
    subject: "utf8 encodeInto",
    ours: [C.utf8EncodeInto],
    peers: [C.textEncoderEncodeInto, C.jsLoopEncode],
    kind: "speedup",
    min: everyRuntime(0.9),
  },
  {
    area: "utf8",
    what: "decodeUtf8 vs the better of TextDecoder.decode and a JS loop",
    source: "issue 3",
    subject: "utf8 decode",
    ours: [C.utf8Decode],
    peers: [C.textDecoderDecode, C.jsLoopDecode],
    kind: "speedup",
    min: everyRuntime(0.9),
  },
  // ---- base64 / hex (issue 8, issue 3)
  {
    area: "base64",
    what: "strict decodeBase64 vs the best strict decoder (native fromBase64, our JS core, atob)",
    source: "issue 8",
    subject: "base64 decode",
    sizes: BASE64_SIZES,
    ours: [C.base64Decode],
    peers: [C.nativeFromBase64, C.base64DecodeJs, C.atobCopy],
    kind: "speedup",
    min: everyRuntime(0.95),
  },
  {
    area: "base64",
    what:
      "strict decodeBase64Into vs the best strict decoder into memory (native setFromBase64, our JS core)",
    source: "issue 8",
    subject: "base64 decode into",
    sizes: BASE64_SIZES,
    ours: [C.base64DecodeInto],
    peers: [C.nativeSetFromBase64, C.base64DecodeIntoJs],
    kind: "speedup",
    min: everyRuntime(0.95),
  },
  {
    area: "base64",
    what: "encodeBase64 to string vs the fastest of native toBase64 and Buffer",
    source: "issue 8",
    subject: "base64 encode",
    sizes: BASE64_SIZES,
    ours: [C.base64Encode],
    peers: [C.nativeToBase64, C.bufferToBase64],
    kind: "speedup",
    min: everyRuntime(0.95),
  },
  {
    area: "base64",
    what: "strict decodeHex vs the best strict decoder (native fromHex)",
    source: "issue 8",
    subject: "hex decode",
    sizes: BASE64_SIZES,
    ours: [C.hexDecode],
    peers: [C.nativeFromHex],
    kind: "speedup",
    min: everyRuntime(0.95),
  },
  {
    area: "base64",
    what: "encodeHex to string vs the fastest of native toHex and Buffer",
    source: "issue 8",
    subject: "hex encode",
    sizes: BASE64_SIZES,
    ours: [C.hexEncode],
    peers: [C.nativeToHex, C.bufferToHex],
    kind: "speedup",
    min: everyRuntime(0.95),
  },
  {
    area: "base64",
    what: "pure-JS core encodes into bytes, GB/s",
    source: "issue 3",
    subject: "base64 encode into",
    sizes: ["64 KiB"],
    ours: [C.base64EncodeIntoJs],
    peers: [],
    kind: "gbps",
    min: { node24: 2, node26: 2 },
  },
  {
    area: "base64",
    what: "pure-JS core decodes into memory, GB/s of output",
    source: "issue 3",
    subject: "base64 decode into",
    sizes: ["64 KiB"],
    ours: [C.base64DecodeIntoJs],
    peers: [],
    kind: "gbps",
    min: { node24: 1, node26: 1 },
  },
  {
    area: "base64",
    what: "pure-JS core vs base64-js",
    source: "issue 3",
    subject: "base64 encode",
    sizes: ["64 KiB"],
    ours: [C.base64EncodeJs],
    peers: [C.base64js],
    kind: "speedup",
    min: { node24: 3, node26: 3 },
  },
  {
    area: "base64",
    what: "pure-JS core vs base64-js",
    source: "issue 3",
    subject: "base64 decode",
    sizes: ["64 KiB"],
    ours: [C.base64DecodeJs],
    peers: [C.base64js],
    kind: "speedup",
    min: { node24: 3, node26: 3 },
  },
];
