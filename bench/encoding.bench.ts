/**
 * Encoding benchmark. Base64 and hex at 64 B, 1 KiB, 64 KiB and 1 MiB: our
 * public API and our pure-JS core (forced) against native
 * `toBase64`/`fromBase64`/`setFromBase64`/`toHex`/`fromHex` where the runtime
 * has them, `Buffer`, `atob`, and at 1 KiB and 64 KiB base64-js and js-base64.
 * Decoders are tagged strict or lenient: `Buffer` decodes leniently (it
 * validates nothing) and is a reference, not a target. UTF-8 at 8 to 64 Ki
 * chars: `encodeUtf8`/`encodeUtf8Into`/`decodeUtf8` against `TextEncoder`,
 * `TextDecoder` and a plain JS loop.
 *
 * Under `BENCH_FEEDBACK=varied` (the default) every contender is first fed
 * the same 400 varied inputs (lengths, offsets, scripts); `monomorphic`
 * times a fresh process that saw only the timed input.
 *
 * Run: node --expose-gc | deno run -A --v8-flags=--expose-gc | bun bench/encoding.bench.ts
 * Add `base64` or `utf8` as an argument to run one half (results are then
 * written as `encoding-base64` or `encoding-utf8`).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import process from "node:process";
import base64js from "base64-js";
import { Base64 as jsBase64 } from "js-base64";
import * as encoding from "../encoding/mod.ts";
import { JS_API } from "../encoding/_codec_api.ts";
import type { Group } from "./_harness.ts";
import { feedback, runtimeInfo, timeGroups, warmUpVaried, writeResults } from "./_harness.ts";
import { C, type Op } from "./_schema.ts";
import { randomBytes, variedByteArrays, variedStrings } from "./fixtures.ts";

/** The TC39 built-ins, where the runtime has them. */
type Natives = Record<string, ((this: unknown, ...args: unknown[]) => unknown) | undefined>;
const { toBase64, setFromBase64, toHex } = Uint8Array.prototype as unknown as Natives;
const { fromBase64, fromHex } = Uint8Array as unknown as Natives;
const only = ["base64", "utf8"].find((half) => process.argv.includes(half)) ?? "";
const isNode = runtimeInfo.name === "node";
const bufferOf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

const MAX = 1 << 20;
const base64Dest = new Uint8Array(Math.ceil(MAX / 3) * 4 + 8);
const bytesOut = new Uint8Array(MAX);
const utf8Dest = new Uint8Array(3 * 65536 + 16);
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** A contender: id (`ours.*` for ours), name, call (falsy where missing), `false` if lenient. */
type Row<T> = readonly [id: string, name: string, fn: Call<T>, lenient?: false];
type Call<T> = ((x: T) => unknown) | false | undefined;
/** What a subject's calls give: a string, owned bytes, or a count written into memory. */
type Result = "string" | "bytes" | "into";

/** A subject: what its calls do and give, whether its decoders are strict, its rows. */
interface Subject<T> {
  readonly subject: string;
  readonly op: Op;
  readonly result: Result;
  readonly strict: boolean | undefined;
  readonly rows: readonly Row<T>[];
}

function subject<T>(
  subject: string,
  op: Op,
  result: Result,
  strict: boolean | undefined,
  rows: readonly Row<T>[],
): Subject<T> {
  return { subject, op, result, strict, rows };
}

const groups: Group<unknown>[] = [];

/**
 * The group of a subject at one size. Allocation is measured for owned bytes up to 1 KiB:
 * larger sizes are dominated by the payload, and strings hold no backing store.
 */
function group<T>(s: Subject<T>, size: string, sizeBytes: number, input: T, rows = s.rows): void {
  const { op, result } = s;
  const allocation = result === "bytes" && sizeBytes <= 1024;
  const contenders = rows.flatMap(([contender, name, fn, lenient]) => {
    const side = contender.startsWith("ours.") ? "ours" : "peer";
    const strict = lenient ?? s.strict;
    return fn
      ? [{ contender, name, side, op, owned: result !== "into", fn, allocation, strict }]
      : [];
  });
  groups.push({ subject: s.subject, size, sizeBytes, input, contenders } as Group<unknown>);
}

// ---------------------------------------------------------------- base64 and hex

const base64Encode = subject<Uint8Array>("base64 encode", "encode", "string", undefined, [
  [C.base64Encode, "ours encodeBase64", (b) => encoding.encodeBase64(b)],
  [C.base64EncodeJs, "ours encodeBase64 (JS core)", (b) => JS_API.encodeBase64(b)],
  [C.bufferToBase64, "Buffer#toString('base64')", (b) => bufferOf(b).toString("base64")],
  [C.nativeToBase64, "native toBase64", toBase64 && ((b) => toBase64.call(b))],
]);
const base64EncodeInto = subject<Uint8Array>(
  "base64 encode into",
  "encodeInto",
  "into",
  undefined,
  [
    [C.base64EncodeInto, "ours encodeBase64Into", (b) => encoding.encodeBase64Into(b, base64Dest)],
    [
      C.base64EncodeIntoJs,
      "ours encodeBase64Into (JS core)",
      (b) => JS_API.encodeBase64Into(b, base64Dest),
    ],
    [
      "native toBase64+encodeInto",
      "native toBase64 + encodeInto",
      toBase64 && ((b) => textEncoder.encodeInto(toBase64.call(b) as string, base64Dest).written),
    ],
  ],
);
const base64Decode = subject<string>("base64 decode", "decode", "bytes", true, [
  [C.base64Decode, "ours decodeBase64", (t) => encoding.decodeBase64(t)],
  [C.base64DecodeJs, "ours decodeBase64 (JS core)", (t) => JS_API.decodeBase64(t)],
  [C.nativeFromBase64, "native fromBase64", fromBase64 && ((t) => fromBase64.call(Uint8Array, t))],
  [C.atobCopy, "atob + latin1 copy", (t) => Buffer.from(atob(t), "latin1")],
  [C.bufferFromBase64, "Buffer.from(base64) (lenient)", (t) => Buffer.from(t, "base64"), false],
]);
const base64DecodeInto = subject<string>("base64 decode into", "decodeInto", "into", true, [
  [C.base64DecodeInto, "ours decodeBase64Into", (t) => encoding.decodeBase64Into(t, bytesOut)],
  [
    C.base64DecodeIntoJs,
    "ours decodeBase64Into (JS core)",
    (t) => JS_API.decodeBase64Into(t, bytesOut),
  ],
  [
    C.nativeSetFromBase64,
    "native setFromBase64",
    setFromBase64 && ((t) => setFromBase64.call(bytesOut, t)),
  ],
  [
    C.bufferWriteBase64,
    "Buffer#write(base64) (lenient)",
    (t) => bufferOf(bytesOut).write(t, "base64"),
    false,
  ],
]);
const hexEncode = subject<Uint8Array>("hex encode", "encode", "string", undefined, [
  [C.hexEncode, "ours encodeHex", (b) => encoding.encodeHex(b)],
  [C.bufferToHex, "Buffer#toString('hex')", (b) => bufferOf(b).toString("hex")],
  [C.nativeToHex, "native toHex", toHex && ((b) => toHex.call(b))],
]);
const hexDecode = subject<string>("hex decode", "decode", "bytes", true, [
  [C.hexDecode, "ours decodeHex", (t) => encoding.decodeHex(t)],
  [C.nativeFromHex, "native fromHex", fromHex && ((t) => fromHex.call(Uint8Array, t))],
  [C.bufferFromHex, "Buffer.from(hex) (lenient)", (t) => Buffer.from(t, "hex"), false],
]);
/** Third-party libraries, timed at 1 KiB and 64 KiB only. */
const encodeLibraries: Row<Uint8Array>[] = [
  [C.base64js, "base64-js", (b) => base64js.fromByteArray(b)],
  [C.jsBase64, "js-base64", (b) => jsBase64.fromUint8Array(b)],
];
const decodeLibraries: Row<string>[] = [
  [C.base64js, "base64-js (lenient)", (t) => base64js.toByteArray(t), false],
];

if (only !== "utf8") {
  for (
    const [size, n] of [["64 B", 64], ["1 KiB", 1024], ["64 KiB", 65536], ["1 MiB", MAX]] as const
  ) {
    const bytes = randomBytes(n);
    const text = bufferOf(bytes).toString("base64");
    const libraries = n === 1024 || n === 65536;
    group(base64Encode, size, n, bytes, [
      ...base64Encode.rows,
      ...(libraries ? encodeLibraries : []),
    ]);
    group(base64EncodeInto, size, n, bytes);
    group(base64Decode, size, n, text, [
      ...base64Decode.rows,
      ...(libraries ? decodeLibraries : []),
    ]);
    group(base64DecodeInto, size, n, text);
    group(hexEncode, size, n, bytes);
    group(hexDecode, size, n, bufferOf(bytes).toString("hex"));
  }
}

// ---------------------------------------------------------------- UTF-8

/** A plain JS loop under encodeInto's contract (ASCII only: stops at the first non-ASCII char). */
function jsEncodeAscii(text: string, dest: Uint8Array): number {
  const length = Math.min(text.length, dest.length);
  let i = 0;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) break;
    dest[i] = c;
  }
  return i;
}

/** A plain JS loop decoding ASCII (Latin-1 for other bytes: a reference, not a decoder). */
function jsDecodeAscii(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

const utf8Encode = subject<string>("utf8 encode", "encode", "bytes", undefined, [
  [C.utf8Encode, "ours encodeUtf8", (t) => encoding.encodeUtf8(t)],
  [C.textEncoderEncode, "TextEncoder.encode", (t) => textEncoder.encode(t)],
  [C.bufferFromString, "Buffer.from(string)", isNode && ((t) => Buffer.from(t))],
]);
const utf8EncodeInto = subject<string>("utf8 encodeInto", "encodeInto", "into", undefined, [
  [C.utf8EncodeInto, "ours encodeUtf8Into", (t) => encoding.encodeUtf8Into(t, utf8Dest)],
  [C.textEncoderEncodeInto, "TextEncoder.encodeInto", (t) => textEncoder.encodeInto(t, utf8Dest)],
  [C.jsLoopEncode, "JS charCodeAt loop", (t) => jsEncodeAscii(t, utf8Dest)],
]);
// Decoded strings hold no backing store: no allocation figure ("string").
const utf8Decode = subject<Uint8Array>("utf8 decode", "decode", "string", undefined, [
  [C.utf8Decode, "ours decodeUtf8", (b) => encoding.decodeUtf8(b)],
  [C.textDecoderDecode, "TextDecoder.decode", (b) => textDecoder.decode(b)],
  [C.jsLoopDecode, "JS fromCharCode loop", (b) => jsDecodeAscii(b)],
  [C.bufferToStringUtf8, "Buffer#toString(utf8)", isNode && ((b) => bufferOf(b).toString("utf8"))],
]);

if (only !== "base64") {
  for (const length of [8, 16, 27, 64, 128, 256, 1024, 65536]) {
    let text = "";
    for (let i = 0; text.length < length; i++) text += String.fromCharCode(0x61 + (i % 26));
    const size = length >= 1024 ? `${length / 1024} Ki chars` : `${length} chars`;
    group(utf8Encode, size, length, text);
    group(utf8EncodeInto, size, length, text);
    group(utf8Decode, size, length, textEncoder.encode(text));
  }
  const mixed = "héllo wörld — 👋 ".repeat(64);
  const bytes = textEncoder.encode(mixed);
  const size = `mixed ${mixed.length} chars`;
  group(utf8EncodeInto, size, mixed.length, mixed, utf8EncodeInto.rows.slice(0, 2));
  group(utf8Decode, size, bytes.length, bytes, utf8Decode.rows.slice(0, 2));
}

// ---------------------------------------------------------------- run

const benchName = `encoding${only ? "-" + only : ""}`;
const { name, version, id } = runtimeInfo;
console.log(`${benchName}: ${name} ${version} (${id}), feedback ${feedback}, JS core via JS_API`);
if (feedback === "varied") {
  const arrays = variedByteArrays();
  const texts = (encoding: "base64" | "hex") => arrays.map((b) => bufferOf(b).toString(encoding));
  const strings = variedStrings();
  warmUpVaried(groups, [
    ...[base64Encode, base64EncodeInto, hexEncode].map(({ subject }) => ({
      subject,
      inputs: arrays,
    })),
    { subject: "base64 decode", inputs: texts("base64") },
    { subject: "base64 decode into", inputs: texts("base64") },
    { subject: "hex decode", inputs: texts("hex") },
    { subject: "utf8 encode", inputs: strings },
    { subject: "utf8 encodeInto", inputs: strings },
    { subject: "utf8 decode", inputs: strings.map((s) => textEncoder.encode(s)) },
  ]);
}
const entries = await timeGroups(benchName, groups);
writeResults(benchName, entries, { jsCore: true });
