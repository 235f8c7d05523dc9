/**
 * The one description of what a bench writes to bench/results/<bench>.<runtime id>.json (a
 * monomorphic run adds `.monomorphic` to `<bench>`) and of the targets the report checks.
 * tools/report/ reads files back through {@linkcode parseResultFile}, which names the bad field.
 *
 * @module
 */

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

/** Which runtime ran a bench: its report column, family, version and the CPU. */
export interface RuntimeInfo {
  readonly id: RuntimeId;
  readonly name: "node" | "deno" | "bun";
  readonly version: string;
  readonly cpu: string;
}

/** Maps a Node major version to its report column; other majors count as the nearest LTS below. */
export function nodeRuntimeId(major: number): RuntimeId {
  return major >= 26 ? "node26" : "node24";
}

/** What a field holds: a JSON type (`|null` when it may be null), or its allowed values. */
export type FieldKind = JsonType | `${"number" | "boolean"}|null` | readonly string[];
type JsonType = keyof Kinds;

/** The fields of {@linkcode BenchEntry}: the one source of its type and of its check. */
const ENTRY_FIELDS = {
  bench: "string", // the bench file that measured it, without `.bench.ts`
  group: "string", // `${subject} ${size}`: the contenders of one group are compared
  subject: "string", // what is compared, without the size: "msgpack encode"
  size: "string", // the input size label: "small", "64 KiB", "27 chars"
  sizeBytes: "number|null", // input bytes (chars for UTF-8 encode), for GB/s
  name: "string", // the display name: "MsgPackSerializer.serialize"
  contender: "string", // the stable id targets refer to: "ours.msgpack.serialize"
  runtime: ["node24", "node26", "deno", "bun"],
  runtimeVersion: "string",
  side: ["ours", "peer", "direct"],
  op: ["encode", "decode", "encodeInto", "decodeInto", "rent", "write", "scenario"],
  feedback: ["varied", "monomorphic"],
  owned: "boolean", // the result is caller-owned memory (a fresh string or bytes)
  strict: "boolean|null", // decoders: malformed input is rejected (compare strict with strict)
  nsPerOp: "number", // median ns per op over the interleaved rounds (each round's mitata p50)
  opsPerSec: "number", // 1e9 / nsPerOp
  avgNs: "number", // mean ns per op of the rounds (mitata avg)
  p99Ns: "number", // the worst round's mitata p99
  // Per op, results kept alive; Node: process.memoryUsage().arrayBuffers, Deno: .external.
  backingStoreBytesPerOp: "number|null",
  // Per op after a full GC: V8 used_heap_size; Bun: heapStats().heapSize (with ArrayBuffers).
  heapBytesPerOp: "number|null",
} as const;

type Kinds = { string: string; number: number; boolean: boolean };
type FieldType<K> = K extends JsonType ? Kinds[K]
  : K extends `${infer T extends JsonType}|null` ? Kinds[T] | null
  : K extends readonly (infer V)[] ? V
  : never;

/** One timed contender in one group, on one runtime (fields: `ENTRY_FIELDS`). */
export type BenchEntry = {
  readonly [F in keyof typeof ENTRY_FIELDS]: FieldType<typeof ENTRY_FIELDS[F]>;
};

/** Whose code an entry times: ours, another library's, or the built-in a user could call. */
export type Side = BenchEntry["side"];
/** What an entry does: `encode`/`decode` give a fresh result; `Into` forms write into held memory. */
export type Op = BenchEntry["op"];
/** The type feedback before timing: the same varied messages, or only the timed input. */
export type Feedback = BenchEntry["feedback"];

/** What a bench writes to bench/results/. */
export interface BenchResultFile {
  readonly schema: 2; // format version: 2
  readonly bench: string; // as in the file name: "serializers", "serializers.monomorphic"
  readonly runtime: RuntimeInfo;
  readonly date: string; // ISO date of the run
  readonly feedback: Feedback | null; // of the timed entries; null: no such distinction
  readonly settings: { readonly roundMs: number; readonly rounds: number }; // per contender
  readonly entries: BenchEntry[];
  readonly extras: Record<string, unknown>; // anything else measured (scenario rows, pool stats)
}

/** Throws a TypeError naming the first field of `value` that is not of its kind in `fields`. */
export function checkFields(
  value: unknown,
  fields: Record<string, FieldKind>,
  where: string,
): void {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`Cannot read ${where}: not an object`);
  }
  for (const [field, kind] of Object.entries(fields)) {
    const got = (value as Record<string, unknown>)[field];
    const type = got === null ? "null" : typeof got;
    if (
      typeof kind === "string" ? !kind.split("|").includes(type) : !kind.includes(got as string)
    ) {
      const want = typeof kind === "string" ? kind : kind.join(" | ");
      throw new TypeError(`Cannot read ${where}.${field}: ${JSON.stringify(got)} is not ${want}`);
    }
  }
}

/** A schema-2 result file, checked field by field: a malformed file throws, naming the field. */
export function parseResultFile(raw: unknown, where: string): BenchResultFile {
  checkFields(raw, { bench: "string", date: "string" }, where);
  const file = raw as BenchResultFile;
  checkFields(file.runtime, { id: RUNTIME_IDS, version: "string" }, `${where}.runtime`);
  if (!Array.isArray(file.entries)) throw new TypeError(`Cannot read ${where}.entries: no array`);
  file.entries.forEach((e, i) => checkFields(e, ENTRY_FIELDS, `${where}.entries[${i}]`));
  return file;
}

/** The file a bench writes for a runtime and feedback. */
export const resultFileName = (bench: string, id: RuntimeId, feedback: Feedback | null): string =>
  `${bench}${feedback === "monomorphic" ? ".monomorphic" : ""}.${id}.json`;

/** Benches that run twice, once per {@linkcode Feedback}, each time in a fresh process. */
export const FEEDBACK_BENCHES: readonly string[] = ["serializers", "encoding"];

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

/** Built-in APIs: a contender whose id names one is a direct call, unless it is lenient. */
const BUILT_IN =
  /^(direct:|TextEncoder|TextDecoder\.|JSON\.|Buffer|Uint8Array|native |atob|new |fresh )/;

/**
 * Whether an entry times a direct call, the built-in a user could call instead on the same
 * runtime for the same result: tagged `side: "direct"`, or named after a built-in (files written
 * before the tag; seam_direct's `direct:` ids). Lenient decoders are references, not direct calls.
 */
export function isDirectCall(entry: BenchEntry): boolean {
  return entry.side === "direct" || (BUILT_IN.test(entry.contender) && entry.strict !== false);
}

/**
 * A target from the issues, checked in every group of `subject` (at `sizes`) on every runtime
 * `bound` names, from `feedback` entries (default varied): `speedup`: the fastest peer's time /
 * the fastest ours' ≥ bound; `gbps`: input bytes per ns of our fastest ≥ bound; `allocation`:
 * our leanest bytes per op / the leanest peer's ≤ bound (backing store; heap on Bun).
 */
export type TargetSpec = readonly [
  area: string,
  kind: "speedup" | "gbps" | "allocation",
  subject: string,
  what: string,
  ours: readonly string[],
  peers: readonly string[],
  bound: Bound,
  sizes?: readonly string[],
  feedback?: Feedback,
];

type Bound = Partial<Record<RuntimeId, number>>;
const ALL = (v: number): Bound => ({ node24: v, node26: v, deno: v, bun: v });
const V8 = (v: number): Bound => ({ node24: v, node26: v, deno: v });
const NODE = (v: number): Bound => ({ node24: v, node26: v });
const B64 = ["64 B", "1 KiB", "64 KiB", "1 MiB"];
const POOLED_JSON = [C.jsonSerializePooled, C.jsonSerializeTo];
const POOLED_MSGPACK = [C.msgpackSerializePooled, C.msgpackSerializeTo];
const NAIVE_JSON = "TextEncoder.encode(JSON.stringify(x))";

/** Every speed and allocation target the report checks (the scenario's: SCENARIO_TARGETS). */
// deno-fmt-ignore
export const TARGETS: readonly TargetSpec[] = [
  // pool (issue 2), monomorphic
  ["pool", "speedup", "rent+return", "rent+return vs new Uint8Array", [C.poolRentReturn], [C.newUint8Array], { ...V8(10), bun: 5 }, ["4 KiB"], "monomorphic"],
  ["pool", "speedup", "rent+return", "rent+return vs new Uint8Array", [C.poolRentReturn], [C.newUint8Array], { ...V8(10), bun: 1 }, ["256 B"], "monomorphic"],
  // MessagePack (issue 8; streams: issue 16)
  ["serializers", "speedup", "msgpack encode", "MsgPackSerializer.serialize() vs msgpackr.pack", [C.msgpackSerialize], [C.msgpackrPack], ALL(1.2), ["small", "medium"]],
  ["serializers", "speedup", "msgpack encode", "MsgPackSerializer.serialize() vs msgpackr.pack", [C.msgpackSerialize], [C.msgpackrPack], ALL(1.0), ["large"]],
  ["serializers", "speedup", "msgpack encode", "MessagePack pooled paths vs msgpackr.pack", POOLED_MSGPACK, [C.msgpackrPack], ALL(1.3)],
  ["serializers", "speedup", "msgpack encode", "MessagePack pooled paths vs @msgpack/msgpack encode", POOLED_MSGPACK, [C.msgpackEncode], ALL(2)],
  ["serializers", "speedup", "msgpack decode", "MsgPackSerializer.deserialize vs msgpackr.unpack", [C.msgpackDeserialize], [C.msgpackrUnpack], ALL(1.3)],
  ["serializers", "speedup", "msgpack decode", "MsgPackSerializer.deserialize vs @msgpack/msgpack decode", [C.msgpackDeserialize], [C.msgpackDecode], ALL(2)],
  ["serializers", "speedup", "msgpack stream decode", "MsgPackSerializer.deserializeStream vs @msgpack/msgpack decodeMultiStream", [C.msgpackDeserializeStream], [C.msgpackDecodeMultiStream], ALL(1.5)],
  ["serializers", "speedup", "msgpack stream decode", "MsgPackSerializer.deserializeStream vs our whole-buffer deserializeSequence", [C.msgpackDeserializeStream], [C.msgpackDeserializeSequence], ALL(0.5)],
  // JSON (issue 8; pooled paths: issue 4)
  ["serializers", "speedup", "json encode", `JsonSerializer.serialize() vs ${NAIVE_JSON}`, [C.jsonSerialize], [C.jsonNaive], { ...V8(1.5), bun: 1.0 }, ["small"]],
  ["serializers", "speedup", "json encode", `JsonSerializer.serialize() vs ${NAIVE_JSON}`, [C.jsonSerialize], [C.jsonNaive], ALL(1.0), ["medium", "large"]],
  ["serializers", "speedup", "json encode", `pooled JSON paths vs ${NAIVE_JSON}`, POOLED_JSON, [C.jsonNaive], { ...V8(2), bun: 1 }, ["small"]],
  ["serializers", "speedup", "json encode", `pooled JSON paths vs ${NAIVE_JSON}`, POOLED_JSON, [C.jsonNaive], ALL(1.2), ["medium", "large"]],
  ["serializers", "speedup", "json encode", "pooled JSON path vs its ceiling, JSON.stringify + encodeInto into a preallocated buffer", POOLED_JSON, [C.jsonCeiling], ALL(0.9)],
  // UTF-8 (issue 8; into and decode: issue 3)
  ["utf8", "speedup", "utf8 encode", "encodeUtf8 vs TextEncoder.encode", [C.utf8Encode], [C.textEncoderEncode], ALL(1.0), [8, 16, 32, 64, 128, 256].map((n) => `${n} chars`)],
  ["utf8", "speedup", "utf8 encodeInto", "encodeUtf8Into vs the better of TextEncoder.encodeInto and a JS loop", [C.utf8EncodeInto], [C.textEncoderEncodeInto, C.jsLoopEncode], ALL(0.9)],
  ["utf8", "speedup", "utf8 decode", "decodeUtf8 vs the better of TextDecoder.decode and a JS loop", [C.utf8Decode], [C.textDecoderDecode, C.jsLoopDecode], ALL(0.9)],
  // base64 / hex (issue 8; the JS core: issue 3)
  ["base64", "speedup", "base64 decode", "strict decodeBase64 vs the best strict decoder (native fromBase64, our JS core, atob)", [C.base64Decode], [C.nativeFromBase64, C.base64DecodeJs, C.atobCopy], ALL(0.95), B64],
  ["base64", "speedup", "base64 decode into", "strict decodeBase64Into vs the best strict decoder into memory (native setFromBase64, our JS core)", [C.base64DecodeInto], [C.nativeSetFromBase64, C.base64DecodeIntoJs], ALL(0.95), B64],
  ["base64", "speedup", "base64 encode", "encodeBase64 to string vs the fastest of native toBase64 and Buffer", [C.base64Encode], [C.nativeToBase64, C.bufferToBase64], ALL(0.95), B64],
  ["base64", "speedup", "hex decode", "strict decodeHex vs the best strict decoder (native fromHex)", [C.hexDecode], [C.nativeFromHex], ALL(0.95), B64],
  ["base64", "speedup", "hex encode", "encodeHex to string vs the fastest of native toHex and Buffer", [C.hexEncode], [C.nativeToHex, C.bufferToHex], ALL(0.95), B64],
  ["base64", "speedup", "base64 encode", "pure-JS core vs base64-js", [C.base64EncodeJs], [C.base64js], NODE(3), ["64 KiB"]],
  ["base64", "speedup", "base64 decode", "pure-JS core vs base64-js", [C.base64DecodeJs], [C.base64js], NODE(3), ["64 KiB"]],
  ["base64", "gbps", "base64 encode into", "pure-JS core encodes into bytes, GB/s", [C.base64EncodeIntoJs], [], NODE(2), ["64 KiB"]],
  ["base64", "gbps", "base64 decode into", "pure-JS core decodes into memory, GB/s of output", [C.base64DecodeIntoJs], [], NODE(1), ["64 KiB"]],
  // Backing-store bytes per op (issue 4, issue 8)
  ...([["small", 0], ["medium", 0.05], ["large", 0.1]] as const).map(([size, max]): TargetSpec => [
    "serializers", "allocation", "json encode", `backing-store bytes per pooled JSON op vs ${NAIVE_JSON}`, POOLED_JSON, [C.jsonNaive], V8(max), [size],
  ]),
  ["serializers", "allocation", "msgpack encode", "backing-store bytes per MsgPackSerializer.serialize() vs an own-buffer result (today)", [C.msgpackSerialize], [C.msgpackSerializeOwnBuffer], V8(0.2)],
  ["serializers", "allocation", "json encode", "backing-store bytes per JsonSerializer.serialize() vs an own-buffer result (today)", [C.jsonSerialize], [C.jsonSerializeOwnBuffer], V8(0.2)],
];
