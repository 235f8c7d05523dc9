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
  /**
   * `encodeUtf8Into` (the bounded `encodeInto` contract): JS core up to this
   * many chars, then `TextEncoder.encodeInto` (bench/utf8_paths.bench.ts into).
   */
  readonly utf8EncodeJsMax: number;
  /**
   * `decodeUtf8`: JS core up to this many bytes, then the native decoder
   * (bench/utf8_paths.bench.ts decode).
   */
  readonly utf8DecodeJsMax: number;
  /**
   * Encoders with guaranteed room (`encodeUtf8` into the slab, pooled,
   * writer, serializers): the unchecked JS core up to this many chars, then
   * `encodeInto` (bench/utf8_paths.bench.ts encode, slab columns; into).
   */
  readonly utf8EncodeWithRoomJsMax: number;
  /**
   * `encodeUtf8(text, null)` and results above the slab limit (an own exact
   * buffer): the JS core into a fresh array up to this many chars, then
   * `TextEncoder.encode` (bench/utf8_paths.bench.ts encode, "null" column).
   */
  readonly utf8EncodeOwnJsMax: number;
  /**
   * `utf8ByteLength`: Node's `Buffer.byteLength` from this many chars;
   * `Infinity` = always the JS count (bench/utf8_paths.bench.ts length).
   */
  readonly utf8ByteLengthNativeMin: number;
  /**
   * `decodeUtf8` above the JS range: Node's `utf8Slice` instead of
   * TextDecoder (bench/utf8_paths.bench.ts decode). Node only.
   */
  readonly utf8DecodeNodeBuffer: boolean;
  /**
   * `encodeUtf8`: return `TextEncoder.encode`'s own array at every length,
   * skipping the slab and the JS core, where that beats both (Bun:
   * bench/utf8_paths.bench.ts encode).
   */
  readonly utf8EncodeFreshNative: boolean;
}

/** The key the table is indexed by: the runtime, with Node split by major version. */
export type PlatformKey = Exclude<RuntimeKind, "node"> | "node24" | "node26";

/** The runtime's row key. Node before 26 uses the Node 24 row. */
export const PLATFORM_KEY: PlatformKey = RUNTIME === "node"
  ? (NODE_MAJOR >= 26 ? "node26" : "node24")
  : RUNTIME;

/**
 * Per runtime, measured on Node 24.9, Node 26.10, Deno 2.9.6, Bun 1.4.5.
 * UTF-8 rows: bench/utf8_paths.bench.ts with varied warm-up, medians of
 * interleaved CPU-time rounds on a shared 2-core machine; where JS and native
 * were within noise (about ±15% there), the smaller JS range was kept.
 */
export const FAST_PATH_TABLE: Readonly<Record<PlatformKey, FastPaths>> = {
  node24: {
    utf8EncodeJsMax: 8,
    utf8DecodeJsMax: 16,
    utf8EncodeWithRoomJsMax: 16,
    utf8EncodeOwnJsMax: 16,
    utf8ByteLengthNativeMin: 16,
    utf8DecodeNodeBuffer: true,
    utf8EncodeFreshNative: false,
  },
  node26: {
    utf8EncodeJsMax: 8,
    utf8DecodeJsMax: 16,
    utf8EncodeWithRoomJsMax: 16,
    utf8EncodeOwnJsMax: 16,
    utf8ByteLengthNativeMin: 16,
    utf8DecodeNodeBuffer: true,
    utf8EncodeFreshNative: false,
  },
  deno: {
    utf8EncodeJsMax: 16,
    utf8DecodeJsMax: 24,
    utf8EncodeWithRoomJsMax: 16,
    utf8EncodeOwnJsMax: 0,
    utf8ByteLengthNativeMin: Infinity,
    utf8DecodeNodeBuffer: false,
    utf8EncodeFreshNative: false,
  },
  bun: {
    utf8EncodeJsMax: 8,
    utf8DecodeJsMax: 8,
    utf8EncodeWithRoomJsMax: 8,
    utf8EncodeOwnJsMax: 0,
    utf8ByteLengthNativeMin: Infinity,
    utf8DecodeNodeBuffer: false,
    utf8EncodeFreshNative: true,
  },
  // Browsers and workerd: V8-like defaults, no Node Buffer.
  workerd: {
    utf8EncodeJsMax: 8,
    utf8DecodeJsMax: 16,
    utf8EncodeWithRoomJsMax: 16,
    utf8EncodeOwnJsMax: 16,
    utf8ByteLengthNativeMin: Infinity,
    utf8DecodeNodeBuffer: false,
    utf8EncodeFreshNative: false,
  },
  other: {
    utf8EncodeJsMax: 8,
    utf8DecodeJsMax: 16,
    utf8EncodeWithRoomJsMax: 16,
    utf8EncodeOwnJsMax: 16,
    utf8ByteLengthNativeMin: Infinity,
    utf8DecodeNodeBuffer: false,
    utf8EncodeFreshNative: false,
  },
};

/** The row this process uses. */
export const FAST_PATHS: FastPaths = FAST_PATH_TABLE[PLATFORM_KEY];
