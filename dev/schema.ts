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

/**
 * Whose code an entry times: the library's (`ours`), another library's (`peer`), or the direct
 * call a user could make instead (`direct`: a built-in such as Buffer or TextEncoder).
 */
export type Side = "ours" | "peer" | "direct";

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
  // streams (bench/stream.bench.ts)
  msgpackDeserializeStream: "ours.msgpack.deserializeStream",
  msgpackDeserializeSequence: "ours.msgpack.deserializeSequence",
  msgpackDecodeMultiStream: "@msgpack/msgpack.decodeMultiStream",
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
 * Contenders that are direct calls (built-ins a user could call instead on the same runtime
 * for the same result: owned with owned, strict with strict), for results written before
 * `side: "direct"` existed; new entries say `side: "direct"` themselves. Node 24 has no strict
 * base64/hex decoder: there `Buffer` is a lenient reference (`strict: false`), not a direct
 * call, so `Buffer.from(base64)` and `Buffer.from(hex)` are not listed.
 */
export const DIRECT_CALLS: ReadonlySet<string> = new Set([
  C.jsonNaive,
  C.jsonBufferFrom,
  C.jsonCeiling,
  C.jsonParse,
  C.jsonParseStrict,
  C.textEncoderEncode,
  C.bufferFromString,
  C.textEncoderEncodeInto,
  C.textDecoderDecode,
  C.bufferToStringUtf8,
  C.nativeToBase64,
  C.nativeFromBase64,
  C.nativeSetFromBase64,
  C.bufferToBase64,
  C.atobCopy,
  C.nativeToHex,
  C.nativeFromHex,
  C.bufferToHex,
  C.newUint8Array,
  C.freshCopy,
  "native toBase64+encodeInto",
  "Uint8Array.slice",
  "new Uint8Array+set",
]);

/** Whether an entry times a direct call ({@linkcode DIRECT_CALLS}, or tagged so). */
export function isDirectCall(entry: BenchEntry): boolean {
  return entry.side === "direct" || DIRECT_CALLS.has(entry.contender);
}

/** Options of one target row besides its kind, sides and bound. */
interface TargetOptions {
  readonly sizes?: readonly string[];
  readonly feedback?: Feedback;
}

/** One row of the target table: `[area, source, subject, what, ours, peers, bound, options?]`. */
type Row = readonly [
  area: AreaId,
  source: string,
  subject: string,
  what: string,
  ours: readonly string[],
  peers: readonly string[],
  bound: Partial<Record<RuntimeId, number>>,
  options?: TargetOptions,
];

/** Expands rows of one kind into specs: the table below stays one line of facts per target. */
function targets(kind: TargetSpec["kind"], rows: readonly Row[]): TargetSpec[] {
  return rows.map(([area, source, subject, what, ours, peers, bound, options]) => ({
    area,
    source,
    subject,
    what,
    ours,
    peers,
    kind,
    ...(kind === "allocation" ? { max: bound } : { min: bound }),
    ...options,
  }));
}

const ALL = everyRuntime;
const POOLED_JSON = [C.jsonSerializePooled, C.jsonSerializeTo];
const POOLED_MSGPACK = [C.msgpackSerializePooled, C.msgpackSerializeTo];
const NAIVE_JSON = "TextEncoder.encode(JSON.stringify(x))";
const MONO = { feedback: "monomorphic" } as const;
const sized = (...sizes: string[]): TargetOptions => ({ sizes });
const B64 = { sizes: BASE64_SIZES };

/**
 * Every speed and allocation target the report checks, from the issues.
 * Scenario targets are {@linkcode SCENARIO_TARGETS}.
 */
// deno-fmt-ignore
export const TARGETS: readonly TargetSpec[] = [
  ...targets("speedup", [
    // pool (issue 2)
    ["pool", "issue 2", "rent+return", "rent+return vs new Uint8Array", [C.poolRentReturn], [C.newUint8Array], { ...V8_RUNTIMES(10), bun: 5 }, { ...sized("4 KiB"), ...MONO }],
    ["pool", "issue 2", "rent+return", "rent+return vs new Uint8Array", [C.poolRentReturn], [C.newUint8Array], { ...V8_RUNTIMES(10), bun: 1 }, { ...sized("256 B"), ...MONO }],
    // MessagePack (issue 8)
    ["serializers", "issue 8", "msgpack encode", "MsgPackSerializer.serialize() vs msgpackr.pack", [C.msgpackSerialize], [C.msgpackrPack], ALL(1.2), sized("small", "medium")],
    ["serializers", "issue 8", "msgpack encode", "MsgPackSerializer.serialize() vs msgpackr.pack", [C.msgpackSerialize], [C.msgpackrPack], ALL(1.0), sized("large")],
    ["serializers", "issue 8", "msgpack encode", "MessagePack pooled paths vs msgpackr.pack", POOLED_MSGPACK, [C.msgpackrPack], ALL(1.3)],
    ["serializers", "issue 8", "msgpack encode", "MessagePack pooled paths vs @msgpack/msgpack encode", POOLED_MSGPACK, [C.msgpackEncode], ALL(2)],
    ["serializers", "issue 8", "msgpack decode", "MsgPackSerializer.deserialize vs msgpackr.unpack", [C.msgpackDeserialize], [C.msgpackrUnpack], ALL(1.3)],
    ["serializers", "issue 8", "msgpack decode", "MsgPackSerializer.deserialize vs @msgpack/msgpack decode", [C.msgpackDeserialize], [C.msgpackDecode], ALL(2)],
    ["serializers", "issue 16", "msgpack stream decode", "MsgPackSerializer.deserializeStream vs @msgpack/msgpack decodeMultiStream", [C.msgpackDeserializeStream], [C.msgpackDecodeMultiStream], ALL(1.5)],
    ["serializers", "issue 16", "msgpack stream decode", "MsgPackSerializer.deserializeStream vs our whole-buffer deserializeSequence", [C.msgpackDeserializeStream], [C.msgpackDeserializeSequence], ALL(0.5)],
    // JSON (issue 8, issue 4)
    ["serializers", "issue 8", "json encode", `JsonSerializer.serialize() vs ${NAIVE_JSON}`, [C.jsonSerialize], [C.jsonNaive], { ...V8_RUNTIMES(1.5), bun: 1.0 }, sized("small")],
    ["serializers", "issue 8", "json encode", `JsonSerializer.serialize() vs ${NAIVE_JSON}`, [C.jsonSerialize], [C.jsonNaive], ALL(1.0), sized("medium", "large")],
    ["serializers", "issue 4", "json encode", `pooled JSON paths vs ${NAIVE_JSON}`, POOLED_JSON, [C.jsonNaive], { ...V8_RUNTIMES(2), bun: 1 }, sized("small")],
    ["serializers", "issue 4", "json encode", `pooled JSON paths vs ${NAIVE_JSON}`, POOLED_JSON, [C.jsonNaive], ALL(1.2), sized("medium", "large")],
    ["serializers", "issue 8", "json encode", "pooled JSON path vs its ceiling, JSON.stringify + encodeInto into a preallocated buffer", POOLED_JSON, [C.jsonCeiling], ALL(0.9)],
    // UTF-8 (issue 8, issue 3)
    ["utf8", "issue 8", "utf8 encode", "encodeUtf8 vs TextEncoder.encode", [C.utf8Encode], [C.textEncoderEncode], ALL(1.0), { sizes: UTF8_TARGET_LENGTHS }],
    ["utf8", "issue 3", "utf8 encodeInto", "encodeUtf8Into vs the better of TextEncoder.encodeInto and a JS loop", [C.utf8EncodeInto], [C.textEncoderEncodeInto, C.jsLoopEncode], ALL(0.9)],
    ["utf8", "issue 3", "utf8 decode", "decodeUtf8 vs the better of TextDecoder.decode and a JS loop", [C.utf8Decode], [C.textDecoderDecode, C.jsLoopDecode], ALL(0.9)],
    // base64 / hex (issue 8, issue 3)
    ["base64", "issue 8", "base64 decode", "strict decodeBase64 vs the best strict decoder (native fromBase64, our JS core, atob)", [C.base64Decode], [C.nativeFromBase64, C.base64DecodeJs, C.atobCopy], ALL(0.95), B64],
    ["base64", "issue 8", "base64 decode into", "strict decodeBase64Into vs the best strict decoder into memory (native setFromBase64, our JS core)", [C.base64DecodeInto], [C.nativeSetFromBase64, C.base64DecodeIntoJs], ALL(0.95), B64],
    ["base64", "issue 8", "base64 encode", "encodeBase64 to string vs the fastest of native toBase64 and Buffer", [C.base64Encode], [C.nativeToBase64, C.bufferToBase64], ALL(0.95), B64],
    ["base64", "issue 8", "hex decode", "strict decodeHex vs the best strict decoder (native fromHex)", [C.hexDecode], [C.nativeFromHex], ALL(0.95), B64],
    ["base64", "issue 8", "hex encode", "encodeHex to string vs the fastest of native toHex and Buffer", [C.hexEncode], [C.nativeToHex, C.bufferToHex], ALL(0.95), B64],
    ["base64", "issue 3", "base64 encode", "pure-JS core vs base64-js", [C.base64EncodeJs], [C.base64js], { node24: 3, node26: 3 }, sized("64 KiB")],
    ["base64", "issue 3", "base64 decode", "pure-JS core vs base64-js", [C.base64DecodeJs], [C.base64js], { node24: 3, node26: 3 }, sized("64 KiB")],
  ]),
  ...targets("gbps", [
    ["base64", "issue 3", "base64 encode into", "pure-JS core encodes into bytes, GB/s", [C.base64EncodeIntoJs], [], { node24: 2, node26: 2 }, sized("64 KiB")],
    ["base64", "issue 3", "base64 decode into", "pure-JS core decodes into memory, GB/s of output", [C.base64DecodeIntoJs], [], { node24: 1, node26: 1 }, sized("64 KiB")],
  ]),
  ...targets("allocation", [
    // Backing-store bytes per op (issue 4, issue 8): one row per size and its bound.
    ...([["small", 0], ["medium", 0.05], ["large", 0.1]] as const).map(([size, max]): Row => [
      "serializers", "issue 4", "json encode", `backing-store bytes per pooled JSON op vs ${NAIVE_JSON}`, POOLED_JSON, [C.jsonNaive], V8_RUNTIMES(max), sized(size),
    ]),
    ["serializers", "issue 8", "msgpack encode", "backing-store bytes per MsgPackSerializer.serialize() vs an own-buffer result (today)", [C.msgpackSerialize], [C.msgpackSerializeOwnBuffer], V8_RUNTIMES(0.2)],
    ["serializers", "issue 8", "json encode", "backing-store bytes per JsonSerializer.serialize() vs an own-buffer result (today)", [C.jsonSerialize], [C.jsonSerializeOwnBuffer], V8_RUNTIMES(0.2)],
  ]),
];
