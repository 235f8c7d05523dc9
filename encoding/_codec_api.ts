/**
 * The base64 and hex functions bound to any codec set (encoding/_codecs.ts),
 * for tests and benches: build another runtime's row, or the portable JS
 * core, in-process, and call the same functions the package exports. The
 * package's own functions are {@linkcode DEFAULT_API}'s. Internal.
 *
 * @module
 */
import type { PooledBytes, SlabAllocator } from "../pool/mod.ts";
import type { PoolOptions } from "../pool/pool_options.ts";
import type { SlabOptions } from "../pool/slab_options.ts";
import { CODECS, type Codecs, JS_CODECS } from "./_codecs.ts";
import { encodeBase64IntoWith, encodeBase64With } from "./base64_encode.ts";
import {
  type Base64DecodeResult,
  decodeBase64IntoWith,
  decodeBase64PooledWith,
  decodeBase64With,
} from "./base64_decode.ts";
import { decodeHexIntoWith, decodeHexPooledWith, decodeHexWith, encodeHexWith } from "./hex.ts";
import type { Base64DecodeOptions, Base64EncodeOptions } from "./base64_options.ts";

/** The codec-routed functions, with the package's signatures. */
export interface EncodingApi {
  /** The codec set behind them. */
  readonly codecs: Codecs;
  /** See `encodeBase64`. */
  encodeBase64(bytes: Uint8Array, options?: Base64EncodeOptions): string;
  /** See `encodeBase64Into`. */
  encodeBase64Into(bytes: Uint8Array, dest: Uint8Array, options?: Base64EncodeOptions): number;
  /** See `decodeBase64`; a defined `slab` argument is used instead of reading `options.slab`. */
  decodeBase64(
    text: string,
    options?: Base64DecodeOptions & SlabOptions,
    slab?: SlabAllocator | null,
  ): Uint8Array;
  /** See `decodeBase64Into`. */
  decodeBase64Into(
    text: string,
    dest: Uint8Array,
    options?: Base64DecodeOptions,
  ): Base64DecodeResult;
  /** See `decodeBase64Pooled`. */
  decodeBase64Pooled(text: string, options?: Base64DecodeOptions & PoolOptions): PooledBytes;
  /** See `encodeHex`. */
  encodeHex(bytes: Uint8Array): string;
  /** See `decodeHex`; a defined `slab` argument is used instead of reading `options.slab`. */
  decodeHex(text: string, options?: SlabOptions, slab?: SlabAllocator | null): Uint8Array;
  /** See `decodeHexInto`. */
  decodeHexInto(text: string, dest: Uint8Array): Base64DecodeResult;
  /** See `decodeHexPooled`. */
  decodeHexPooled(text: string, options?: PoolOptions): PooledBytes;
}

/**
 * The functions bound to `codecs`, with the package's option handling.
 */
export function createEncodingApi(codecs: Codecs): EncodingApi {
  return {
    codecs,
    encodeBase64: (bytes, options) => encodeBase64With(codecs, bytes, options),
    encodeBase64Into: (bytes, dest, options) => encodeBase64IntoWith(codecs, bytes, dest, options),
    decodeBase64: (text, options, slab) => decodeBase64With(codecs, text, options, slab),
    decodeBase64Into: (text, dest, options) => decodeBase64IntoWith(codecs, text, dest, options),
    decodeBase64Pooled: (text, options) => decodeBase64PooledWith(codecs, text, options),
    encodeHex: (bytes) => encodeHexWith(codecs, bytes),
    decodeHex: (text, options, slab) => decodeHexWith(codecs, text, options, slab),
    decodeHexInto: (text, dest) => decodeHexIntoWith(codecs, text, dest),
    decodeHexPooled: (text, options) => decodeHexPooledWith(codecs, text, options),
  };
}

/** The package's own routes: this runtime's row and natives. */
export const DEFAULT_API: EncodingApi = createEncodingApi(CODECS);

/** The portable JS core at every size, no native call (what browsers without the built-ins run). */
export const JS_API: EncodingApi = createEncodingApi(JS_CODECS);
