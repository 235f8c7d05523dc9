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
 * Run: node --expose-gc bench/encoding.bench.ts | deno run -A --v8-flags=--expose-gc bench/encoding.bench.ts | bun bench/encoding.bench.ts
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
import {
  type Contender,
  feedback,
  type Group,
  runtimeInfo,
  timeGroups,
  warmUpVaried,
  writeResults,
} from "./_harness.ts";
import { C } from "./_schema.ts";
import { randomBytes, variedByteArrays, variedStrings } from "./fixtures.ts";

const {
  decodeBase64,
  decodeBase64Into,
  decodeHex,
  decodeUtf8,
  encodeBase64,
  encodeBase64Into,
  encodeHex,
  encodeUtf8,
  encodeUtf8Into,
} = encoding;

type NativeProto = {
  toBase64?: (this: Uint8Array) => string;
  toHex?: (this: Uint8Array) => string;
  setFromBase64?: (this: Uint8Array, text: string) => { read: number; written: number };
};
type NativeStatics = {
  fromBase64?: (text: string) => Uint8Array;
  fromHex?: (text: string) => Uint8Array;
};
const proto = Uint8Array.prototype as unknown as NativeProto;
const statics = Uint8Array as unknown as NativeStatics;
const only = process.argv.includes("base64")
  ? "base64"
  : process.argv.includes("utf8")
  ? "utf8"
  : "";

/**
 * Marks the contenders that run our pure-JS core: they call the functions
 * bound to the portable codec set (encoding/_codec_api.ts; not public API,
 * benches and tests may import internals).
 */
const jsCore = {};

function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const SIZES: [string, number][] = [["64 B", 64], ["1 KiB", 1024], ["64 KiB", 65536], [
  "1 MiB",
  1 << 20,
]];
const MAX = 1 << 20;
const base64Dest = new Uint8Array(Math.ceil(MAX / 3) * 4 + 8);
const bytesOut = new Uint8Array(MAX);
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

// deno-lint-ignore no-explicit-any
const groups: Group<any>[] = [];

// ---------------------------------------------------------------- base64 and hex

function base64Contenders(withLibraries: boolean) {
  const encode: Contender<Uint8Array>[] = [
    ours(C.base64Encode, "ours encodeBase64", "encode", true, (b) => encodeBase64(b)),
    ...(jsCore
      ? [{
        ...ours(C.base64EncodeJs, "ours encodeBase64 (JS core)", "encode", true, (b: Uint8Array) =>
          JS_API.encodeBase64(b)),
        ...jsCore,
      }]
      : []),
    peer(
      C.bufferToBase64,
      "Buffer#toString('base64')",
      "encode",
      (b) => bufferOf(b).toString("base64"),
    ),
    ...(proto.toBase64
      ? [
        peer(C.nativeToBase64, "native toBase64", "encode", (b: Uint8Array) =>
          proto.toBase64!.call(b)),
      ]
      : []),
    ...(withLibraries
      ? [
        peer(C.base64js, "base64-js", "encode", (b: Uint8Array) => base64js.fromByteArray(b)),
        peer(C.jsBase64, "js-base64", "encode", (b: Uint8Array) => jsBase64.fromUint8Array(b)),
      ]
      : []),
  ];
  const encodeInto: Contender<Uint8Array>[] = [
    ours(
      C.base64EncodeInto,
      "ours encodeBase64Into",
      "encodeInto",
      false,
      (b) => encodeBase64Into(b, base64Dest),
    ),
    ...(jsCore
      ? [{
        ...ours(C.base64EncodeIntoJs, "ours encodeBase64Into (JS core)", "encodeInto", false, (
          b: Uint8Array,
        ) => encodeBase64Into(b, base64Dest)),
        ...jsCore,
      }]
      : []),
    ...(proto.toBase64
      ? [peer("native toBase64+encodeInto", "native toBase64 + encodeInto", "encodeInto", (
        b: Uint8Array,
      ) => textEncoder.encodeInto(proto.toBase64!.call(b), base64Dest).written, false)]
      : []),
  ];
  const decode: Contender<string>[] = [
    {
      ...ours(C.base64Decode, "ours decodeBase64", "decode", true, (t) => decodeBase64(t)),
      strict: true,
    },
    ...(jsCore
      ? [{
        ...ours(C.base64DecodeJs, "ours decodeBase64 (JS core)", "decode", true, (t: string) =>
          JS_API.decodeBase64(t)),
        strict: true,
        ...jsCore,
      }]
      : []),
    ...(statics.fromBase64
      ? [{
        ...peer(C.nativeFromBase64, "native fromBase64", "decode", (t: string) =>
          statics.fromBase64!(t)),
        strict: true,
      }]
      : []),
    {
      ...peer(C.atobCopy, "atob + latin1 copy", "decode", (t) => Buffer.from(atob(t), "latin1")),
      strict: true,
    },
    {
      ...peer(
        C.bufferFromBase64,
        "Buffer.from(base64) (lenient)",
        "decode",
        (t) => Buffer.from(t, "base64"),
      ),
      strict: false,
    },
    ...(withLibraries
      ? [{
        ...peer(
          C.base64js,
          "base64-js (lenient)",
          "decode",
          (t: string) => base64js.toByteArray(t),
        ),
        strict: false,
      }]
      : []),
  ];
  const decodeInto: Contender<string>[] = [
    {
      ...ours(
        C.base64DecodeInto,
        "ours decodeBase64Into",
        "decodeInto",
        false,
        (t) => decodeBase64Into(t, bytesOut),
      ),
      strict: true,
    },
    ...(jsCore
      ? [{
        ...ours(
          C.base64DecodeIntoJs,
          "ours decodeBase64Into (JS core)",
          "decodeInto",
          false,
          (t: string) => JS_API.decodeBase64Into(t, bytesOut),
        ),
        strict: true,
        ...jsCore,
      }]
      : []),
    ...(proto.setFromBase64
      ? [{
        ...peer(C.nativeSetFromBase64, "native setFromBase64", "decodeInto", (t: string) =>
          proto.setFromBase64!.call(bytesOut, t), false),
        strict: true,
      }]
      : []),
    {
      ...peer(
        C.bufferWriteBase64,
        "Buffer#write(base64) (lenient)",
        "decodeInto",
        (t) => bufferOf(bytesOut).write(t, "base64"),
        false,
      ),
      strict: false,
    },
  ];
  const hexEncode: Contender<Uint8Array>[] = [
    ours(C.hexEncode, "ours encodeHex", "encode", true, (b) => encodeHex(b)),
    peer(C.bufferToHex, "Buffer#toString('hex')", "encode", (b) => bufferOf(b).toString("hex")),
    ...(proto.toHex
      ? [peer(C.nativeToHex, "native toHex", "encode", (b: Uint8Array) => proto.toHex!.call(b))]
      : []),
  ];
  const hexDecode: Contender<string>[] = [
    { ...ours(C.hexDecode, "ours decodeHex", "decode", true, (t) => decodeHex(t)), strict: true },
    ...(statics.fromHex
      ? [{
        ...peer(C.nativeFromHex, "native fromHex", "decode", (t: string) => statics.fromHex!(t)),
        strict: true,
      }]
      : []),
    {
      ...peer(
        C.bufferFromHex,
        "Buffer.from(hex) (lenient)",
        "decode",
        (t) => Buffer.from(t, "hex"),
      ),
      strict: false,
    },
  ];
  return { encode, encodeInto, decode, decodeInto, hexEncode, hexDecode };
}

function ours<T>(
  contender: string,
  name: string,
  op: Contender<T>["op"],
  owned: boolean,
  fn: (input: T) => unknown,
): Contender<T> {
  // Owned results of the small sizes are where a fresh ArrayBuffer per result shows.
  return { contender, name, side: "ours", op, owned, fn, allocation: owned };
}

function peer<T>(
  contender: string,
  name: string,
  op: Contender<T>["op"],
  fn: (input: T) => unknown,
  owned = true,
): Contender<T> {
  return { contender, name, side: "peer", op, owned, fn, allocation: owned };
}

/**
 * Allocation is measured where it matters, owned bytes at 64 B and 1 KiB: larger sizes are
 * dominated by the payload, and string results (encode) hold no backing store.
 */
function withoutAllocation<T>(list: Contender<T>[], size: number): Contender<T>[] {
  return size > 1024 ? list.map((c) => ({ ...c, allocation: false })) : list;
}

if (only !== "utf8") {
  const plain = base64Contenders(false);
  const withLibraries = base64Contenders(true);
  for (const [label, size] of SIZES) {
    const set = size === 1024 || size === 65536 ? withLibraries : plain;
    const bytes = randomBytes(size);
    const text = bufferOf(bytes).toString("base64");
    const hex = bufferOf(bytes).toString("hex");
    const common = { size: label, sizeBytes: size };
    groups.push(
      {
        subject: "base64 encode",
        ...common,
        input: bytes,
        contenders: withoutAllocation(set.encode, Infinity),
      },
      { subject: "base64 encode into", ...common, input: bytes, contenders: set.encodeInto },
      {
        subject: "base64 decode",
        ...common,
        input: text,
        contenders: withoutAllocation(set.decode, size),
      },
      { subject: "base64 decode into", ...common, input: text, contenders: set.decodeInto },
      {
        subject: "hex encode",
        ...common,
        input: bytes,
        contenders: withoutAllocation(set.hexEncode, Infinity),
      },
      {
        subject: "hex decode",
        ...common,
        input: hex,
        contenders: withoutAllocation(set.hexDecode, size),
      },
    );
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

const UTF8_LENGTHS = [8, 16, 27, 64, 128, 256, 1024, 65536];
if (only !== "base64") {
  const utf8Dest = new Uint8Array(3 * 65536 + 16);
  const encode: Contender<string>[] = [
    ours(C.utf8Encode, "ours encodeUtf8", "encode", true, (t) => encodeUtf8(t)),
    peer(C.textEncoderEncode, "TextEncoder.encode", "encode", (t) => textEncoder.encode(t)),
    ...(runtimeInfo.name === "node"
      ? [peer(C.bufferFromString, "Buffer.from(string)", "encode", (t: string) => Buffer.from(t))]
      : []),
  ];
  const encodeInto: Contender<string>[] = [
    ours(
      C.utf8EncodeInto,
      "ours encodeUtf8Into",
      "encodeInto",
      false,
      (t) => encodeUtf8Into(t, utf8Dest),
    ),
    peer(
      C.textEncoderEncodeInto,
      "TextEncoder.encodeInto",
      "encodeInto",
      (t) => textEncoder.encodeInto(t, utf8Dest),
      false,
    ),
    peer(
      C.jsLoopEncode,
      "JS charCodeAt loop",
      "encodeInto",
      (t) => jsEncodeAscii(t, utf8Dest),
      false,
    ),
  ];
  const decode: Contender<Uint8Array>[] = [
    {
      ...ours(C.utf8Decode, "ours decodeUtf8", "decode", true, (b) => decodeUtf8(b)),
      allocation: false,
    },
    {
      ...peer(C.textDecoderDecode, "TextDecoder.decode", "decode", (b) => textDecoder.decode(b)),
      allocation: false,
    },
    {
      ...peer(C.jsLoopDecode, "JS fromCharCode loop", "decode", (b) => jsDecodeAscii(b)),
      allocation: false,
    },
    ...(runtimeInfo.name === "node"
      ? [{
        ...peer(
          C.bufferToStringUtf8,
          "Buffer#toString(utf8)",
          "decode",
          (b: Uint8Array) => bufferOf(b).toString("utf8"),
        ),
        allocation: false,
      }]
      : []),
  ];
  for (const length of UTF8_LENGTHS) {
    let text = "";
    for (let i = 0; text.length < length; i++) text += String.fromCharCode(0x61 + (i % 26));
    const bytes = textEncoder.encode(text);
    const size = length >= 1024 ? `${length / 1024} Ki chars` : `${length} chars`;
    groups.push(
      {
        subject: "utf8 encode",
        size,
        sizeBytes: length,
        input: text,
        contenders: withoutAllocation(encode, length),
      },
      { subject: "utf8 encodeInto", size, sizeBytes: length, input: text, contenders: encodeInto },
      { subject: "utf8 decode", size, sizeBytes: length, input: bytes, contenders: decode },
    );
  }
  const mixed = "héllo wörld — 👋 ".repeat(64);
  groups.push(
    {
      subject: "utf8 encodeInto",
      size: `mixed ${mixed.length} chars`,
      sizeBytes: mixed.length,
      input: mixed,
      contenders: encodeInto.slice(0, 2),
    },
    {
      subject: "utf8 decode",
      size: `mixed ${mixed.length} chars`,
      sizeBytes: textEncoder.encode(mixed).length,
      input: textEncoder.encode(mixed),
      contenders: decode.slice(0, 2),
    },
  );
}

// ---------------------------------------------------------------- run

const benchName = `encoding${only ? "-" + only : ""}`;
console.log(
  `${benchName}: ${runtimeInfo.name} ${runtimeInfo.version} (${runtimeInfo.id}), feedback ${feedback}, JS core ${"through the portable codec set (JS_API)"}`,
);
if (feedback === "varied") {
  const arrays = variedByteArrays();
  const texts = arrays.map((b) => bufferOf(b).toString("base64"));
  const hexTexts = arrays.map((b) => bufferOf(b).toString("hex"));
  const strings = variedStrings();
  warmUpVaried(groups, [
    { subject: "base64 encode", inputs: arrays },
    { subject: "base64 encode into", inputs: arrays },
    { subject: "base64 decode", inputs: texts },
    { subject: "base64 decode into", inputs: texts },
    { subject: "hex encode", inputs: arrays },
    { subject: "hex decode", inputs: hexTexts },
    { subject: "utf8 encode", inputs: strings },
    { subject: "utf8 encodeInto", inputs: strings },
    { subject: "utf8 decode", inputs: strings.map((s) => textEncoder.encode(s)) },
  ]);
}
const entries = await timeGroups(benchName, groups);
writeResults(benchName, entries, { jsCore: jsCore !== undefined });
