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
  /**
   * Encoders with guaranteed room (`encodeUtf8`, pooled, writer, serializers):
   * the unchecked JS loop up to this many chars, then the native encoder.
   */
  readonly utf8EncodeWithRoomJsMax: number;
  /** `utf8ByteLength`: Node's `Buffer.byteLength` from this many chars (`Infinity`: never). */
  readonly utf8ByteLengthNativeMin: number;
  /** Native UTF-8 with room / decode via Node's `utf8Write`/`utf8Slice` instead of TextEncoder/TextDecoder. */
  readonly utf8NativeNodeBuffer: boolean;
  /**
   * `encodeUtf8`: return `TextEncoder.encode`'s own array at every length,
   * skipping the slab and the JS loop, where that beats both (Bun).
   */
  readonly utf8EncodeFreshNative: boolean;
  /**
   * `JsonSerializer` "auto": messages at least this large (judged by the
   * previous one) go through the direct JS writer instead of
   * `JSON.stringify`. `Infinity` = never: under varied message shapes the
   * direct writer measured 0.5-0.8x of `JSON.stringify` on every runtime.
   */
  readonly jsonDirectMinBytes: number;
  /**
   * `JsonSerializer.serialize`: encode `JSON.stringify`'s text into the slab
   * (`true`) or return `TextEncoder.encode`'s own array (`false`, faster on
   * JavaScriptCore, whose `encodeInto` costs more than its `encode`).
   */
  readonly jsonOwnedFromSlab: boolean;
  /** MessagePack strings up to this many bytes are decoded in JS (ASCII loop), longer natively. */
  readonly msgpackDecodeJsMax: number;
  /**
   * Short MessagePack strings are built by `+=` of single characters (`true`,
   * fastest on JavaScriptCore) or by one `String.fromCharCode.apply` (V8).
   */
  readonly msgpackShortDecodeByConcat: boolean;
}

/** The key the table is indexed by: the runtime, with Node split by major version. */
export type PlatformKey = Exclude<RuntimeKind, "node"> | "node24" | "node26";

/** The runtime's row key. Node before 26 uses the Node 24 row. */
export const PLATFORM_KEY: PlatformKey = RUNTIME === "node"
  ? (NODE_MAJOR >= 26 ? "node26" : "node24")
  : RUNTIME;

/** Per runtime, measured on Node 24.9, Node 26.10, Deno 2.9.6, Bun 1.4.5. */
export const FAST_PATH_TABLE: Readonly<Record<PlatformKey, FastPaths>> = {
  node24: {
    utf8EncodeJsMax: 16,
    utf8DecodeJsMax: 8,
    utf8EncodeWithRoomJsMax: 32,
    utf8ByteLengthNativeMin: 65,
    utf8NativeNodeBuffer: true,
    utf8EncodeFreshNative: false,
    jsonDirectMinBytes: Infinity,
    jsonOwnedFromSlab: true,
    msgpackDecodeJsMax: 16,
    msgpackShortDecodeByConcat: false,
  },
  node26: {
    utf8EncodeJsMax: 16,
    utf8DecodeJsMax: 8,
    utf8EncodeWithRoomJsMax: 32,
    utf8ByteLengthNativeMin: 65,
    utf8NativeNodeBuffer: true,
    utf8EncodeFreshNative: false,
    jsonDirectMinBytes: Infinity,
    jsonOwnedFromSlab: true,
    msgpackDecodeJsMax: 16,
    msgpackShortDecodeByConcat: false,
  },
  deno: {
    utf8EncodeJsMax: 32,
    utf8DecodeJsMax: 16,
    utf8EncodeWithRoomJsMax: 48,
    utf8ByteLengthNativeMin: Infinity,
    utf8NativeNodeBuffer: false,
    utf8EncodeFreshNative: false,
    jsonDirectMinBytes: Infinity,
    jsonOwnedFromSlab: true,
    msgpackDecodeJsMax: 16,
    msgpackShortDecodeByConcat: false,
  },
  bun: {
    utf8EncodeJsMax: 8,
    utf8DecodeJsMax: 8,
    utf8EncodeWithRoomJsMax: 16,
    utf8ByteLengthNativeMin: Infinity,
    utf8NativeNodeBuffer: false,
    utf8EncodeFreshNative: true,
    jsonDirectMinBytes: Infinity,
    jsonOwnedFromSlab: false,
    msgpackDecodeJsMax: 12,
    msgpackShortDecodeByConcat: true,
  },
  // Browsers and workerd: V8-like defaults, no Node Buffer.
  workerd: {
    utf8EncodeJsMax: 16,
    utf8DecodeJsMax: 8,
    utf8EncodeWithRoomJsMax: 32,
    utf8ByteLengthNativeMin: Infinity,
    utf8NativeNodeBuffer: false,
    utf8EncodeFreshNative: false,
    jsonDirectMinBytes: Infinity,
    jsonOwnedFromSlab: true,
    msgpackDecodeJsMax: 16,
    msgpackShortDecodeByConcat: false,
  },
  other: {
    utf8EncodeJsMax: 16,
    utf8DecodeJsMax: 8,
    utf8EncodeWithRoomJsMax: 32,
    utf8ByteLengthNativeMin: Infinity,
    utf8NativeNodeBuffer: false,
    utf8EncodeFreshNative: false,
    jsonDirectMinBytes: Infinity,
    jsonOwnedFromSlab: true,
    msgpackDecodeJsMax: 16,
    msgpackShortDecodeByConcat: false,
  },
};

/** The row this process uses. */
export const FAST_PATHS: FastPaths = FAST_PATH_TABLE[PLATFORM_KEY];
