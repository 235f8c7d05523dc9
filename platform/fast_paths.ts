/**
 * The one table of the fastest strict path per runtime and size: every
 * threshold and native-vs-JS choice of the library lives here, chosen by
 * measurement (bench/encoding_ratios.bench.ts, bench/serializers.bench.ts
 * with varied warm-up), never by "native first". Each entry says which bench
 * measured it. Internal.
 *
 * @module
 */
import { NODE_MAJOR, RUNTIME, type RuntimeKind } from "./runtime.ts";

/**
 * The rows of the table. A `*Max` value is the largest input (chars or bytes,
 * as named) for which the JS core wins on that runtime; above it the native
 * call is faster. 0 means "never JS"; `Infinity` means "always JS".
 */
export interface FastPaths {
  /** `encodeUtf8`/`encodeUtf8Into`: JS loop up to this many chars, then TextEncoder. */
  readonly utf8EncodeJsMax: number;
  /** `decodeUtf8`: JS loop up to this many bytes, then TextDecoder. */
  readonly utf8DecodeJsMax: number;
  /** Base64 and hex: which decoder/encoder wins, and up to which size the JS core does. */
  readonly base64: Base64FastPaths;
}

/**
 * Which native call base64/hex uses above a `*JsMax` size: the runtime's TC39
 * `Uint8Array` built-in, Node's `Buffer` (with the strict checks the library
 * adds), or none. Where the named one is missing (a browser without the
 * built-ins), the JS core runs at every size.
 */
export type NativeCodec = "builtin" | "buffer" | "none";

/**
 * The base64/hex rows. A `*JsMax` is in input units (chars to decode, bytes
 * to encode): up to it the JS core runs, above it the `native` call does.
 * Encoding into memory (`encodeBase64Into`, `writeBase64`, the pooled
 * variants) is always the JS core: every native encoder returns a string,
 * which is the allocation those functions exist to avoid.
 */
export interface Base64FastPaths {
  /**
   * The native decoder for `decodeBase64` and `decodeBase64Pooled`. With
   * `"buffer"`, input that Buffer cannot be proven to decode strictly
   * (whitespace, say) goes to the built-in where there is one, else to the
   * JS core.
   */
  readonly decoder: NativeCodec;
  /**
   * Whether native decoders write owned results straight into a slab range
   * (`setFromBase64`/`setFromHex`/`Buffer#…Write` into the slab) instead of
   * taking `fromBase64`'s/`fromHex`'s own `ArrayBuffer`: a view of a slab
   * range is cheap on V8 and dear on JSC.
   */
  readonly nativeDecodeToSlab: boolean;
  /** The native decoder for `decodeBase64Into` (into caller memory). */
  readonly intoDecoder: NativeCodec;
  /** `decodeBase64`/`decodeBase64Pooled` (to owned or pooled bytes): JS core up to this many chars. */
  readonly decodeJsMax: number;
  /** `decodeBase64Into` (into caller memory): JS core up to this many chars. */
  readonly decodeIntoJsMax: number;
  /** The native encoder for `encodeBase64` (to a string). */
  readonly encoder: NativeCodec;
  /** `encodeBase64` (to a string): JS core up to this many bytes. */
  readonly encodeJsMax: number;
  /**
   * A band of sizes, in bytes (`min < length <= max`), where the built-in
   * `toBase64` beats `encoder` (Node 26: `toBase64` wins between a few KiB
   * and a few hundred KiB, Buffer below and above). `[0, 0]`: no band.
   */
  readonly encodeBuiltinBand: readonly [min: number, max: number];
  /** The native hex decoder for `decodeHex`/`decodeHexInto`. */
  readonly hexDecoder: NativeCodec;
  /** `decodeHex`/`decodeHexInto`/`decodeHexPooled`: JS loop up to this many chars. */
  readonly hexDecodeJsMax: number;
  /** The native hex encoder for `encodeHex`. */
  readonly hexEncoder: NativeCodec;
  /** `encodeHex`: JS loop up to this many bytes. */
  readonly hexEncodeJsMax: number;
}

/** The key the table is indexed by: the runtime, with Node split by major version. */
export type PlatformKey = Exclude<RuntimeKind, "node"> | "node24" | "node26";

/** The runtime's row key. Node before 26 uses the Node 24 row. */
export const PLATFORM_KEY: PlatformKey = RUNTIME === "node"
  ? (NODE_MAJOR >= 26 ? "node26" : "node24")
  : RUNTIME;

// Base64/hex rows: filled in below from side-by-side measurements.
const NO_BAND = [0, 0] as const;
const BASE64_NODE24: Base64FastPaths = {
  decoder: "buffer",
  nativeDecodeToSlab: true,
  intoDecoder: "buffer",
  decodeJsMax: 63,
  decodeIntoJsMax: 127,
  encoder: "buffer",
  encodeJsMax: 0,
  encodeBuiltinBand: NO_BAND,
  hexDecoder: "buffer",
  hexDecodeJsMax: 0,
  hexEncoder: "buffer",
  hexEncodeJsMax: 0,
};
const BASE64_NODE26: Base64FastPaths = {
  decoder: "buffer",
  nativeDecodeToSlab: true,
  intoDecoder: "builtin",
  decodeJsMax: 63,
  decodeIntoJsMax: 0,
  encoder: "buffer",
  encodeJsMax: 0,
  encodeBuiltinBand: [2048, 393216],
  hexDecoder: "buffer",
  hexDecodeJsMax: 0,
  hexEncoder: "buffer",
  hexEncodeJsMax: 0,
};
const BASE64_DENO: Base64FastPaths = {
  decoder: "builtin",
  nativeDecodeToSlab: true,
  intoDecoder: "builtin",
  decodeJsMax: 0,
  decodeIntoJsMax: 0,
  encoder: "builtin",
  encodeJsMax: 0,
  encodeBuiltinBand: NO_BAND,
  hexDecoder: "builtin",
  hexDecodeJsMax: 0,
  hexEncoder: "builtin",
  hexEncodeJsMax: 0,
};
const BASE64_BUN: Base64FastPaths = {
  decoder: "builtin",
  nativeDecodeToSlab: false,
  intoDecoder: "builtin",
  decodeJsMax: 0,
  decodeIntoJsMax: 0,
  encoder: "builtin",
  encodeJsMax: 0,
  encodeBuiltinBand: NO_BAND,
  hexDecoder: "builtin",
  hexDecodeJsMax: 0,
  hexEncoder: "builtin",
  hexEncodeJsMax: 0,
};
const BASE64_OTHER: Base64FastPaths = BASE64_DENO;

/** Per runtime, measured on Node 24.9, Node 26.10, Deno 2.9.6, Bun 1.4.5. */
export const FAST_PATH_TABLE: Readonly<Record<PlatformKey, FastPaths>> = {
  node24: { utf8EncodeJsMax: 16, utf8DecodeJsMax: 8, base64: BASE64_NODE24 },
  node26: { utf8EncodeJsMax: 16, utf8DecodeJsMax: 8, base64: BASE64_NODE26 },
  deno: { utf8EncodeJsMax: 32, utf8DecodeJsMax: 16, base64: BASE64_DENO },
  bun: { utf8EncodeJsMax: 8, utf8DecodeJsMax: 8, base64: BASE64_BUN },
  // Browsers and workerd: V8-like defaults, no Node Buffer.
  workerd: { utf8EncodeJsMax: 16, utf8DecodeJsMax: 8, base64: BASE64_OTHER },
  other: { utf8EncodeJsMax: 16, utf8DecodeJsMax: 8, base64: BASE64_OTHER },
};

/** The row this process uses. */
export const FAST_PATHS: FastPaths = FAST_PATH_TABLE[PLATFORM_KEY];
