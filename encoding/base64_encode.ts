/**
 * Base64 encoding (TC39 `Uint8Array.prototype.toBase64` semantics) to a
 * string, into bytes, into a {@link BufferWriter}, or into pooled memory.
 *
 * @module
 */
import { type BufferWriter, PooledBytes } from "../pool/mod.ts";
import { poolOf, type PoolOptions } from "../pool/pool_options.ts";
import { encodeBase64Js } from "./_base64_js.ts";
import { CODECS, type Codecs, ENCODE_OPTIONS } from "./_codecs.ts";
import { nodeEncode } from "./_backend_buffer.ts";
import { releaseScratch, takeScratch } from "./_scratch.ts";
import { checkAttached, checkBytes, isUint8ArrayFast } from "./_checks.ts";
import {
  type Base64EncodeOptions,
  DEFAULT_FLAGS,
  padsOutput,
  readEncodeOptions,
  tablesOf,
} from "./base64_options.ts";

const asciiDecoder = new TextDecoder();
const asciiEncoder = new TextEncoder();
const WHAT = "encode base64";
/** `toBase64` where {@linkcode CODECS} takes it first, else `undefined`. */
const TO_BASE64_FIRST = CODECS.encodeNativeFirst ? CODECS.natives.toBase64 : undefined;
/** Above this many bytes `encodeBase64` skips {@linkcode TO_BASE64_FIRST} (Deno's own `base64Slice` wins there). */
const TO_BASE64_FIRST_MAX = CODECS.encodeShimSliceMin;
/**
 * The built-in `toBase64` where the row's band gives it some sizes (Node 26), else `undefined`.
 * Called from this module's constant rather than through the codec set: Node 26's 1 KiB and
 * 64 KiB encodes went from 0.89x and 0.92x of `toBase64` to 1.00x (bench/seam_direct.bench.ts,
 * before/after, five processes, 2026-12-06).
 */
const TO_BASE64_IN_BAND = CODECS.encodeBuiltinMax > CODECS.encodeBuiltinMin
  ? CODECS.natives.toBase64
  : undefined;
const BAND_MIN = CODECS.encodeBuiltinMin;
const BAND_MAX = CODECS.encodeBuiltinMax;

/**
 * The length of the base64 encoding of `byteLength` bytes.
 *
 * @param byteLength The number of input bytes.
 * @param options `omitPadding` changes the length; `alphabet` does not.
 * @returns The number of base64 characters (= ASCII bytes).
 * @throws {RangeError} If `byteLength` is not a non-negative safe integer.
 * @throws {TypeError} If an option is invalid.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { base64EncodedLength } from "@catga/memory/encoding";
 *
 * assert.equal(base64EncodedLength(5), 8);
 * assert.equal(base64EncodedLength(5, { omitPadding: true }), 7);
 * ```
 */
export function base64EncodedLength(
  byteLength: number,
  options?: Base64EncodeOptions,
): number {
  const flags = readEncodeOptions(options);
  if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
    throw new RangeError(
      `Cannot compute base64 length: byteLength must be a non-negative integer, got ${byteLength}`,
    );
  }
  return lengthFor(byteLength, padsOutput(flags));
}

function lengthFor(byteLength: number, pad: boolean): number {
  const groups = Math.floor(byteLength / 3);
  const rest = byteLength - groups * 3;
  return groups * 4 + (rest === 0 ? 0 : pad ? 4 : rest + 1);
}

/**
 * Encodes bytes as a base64 string, exactly like
 * `Uint8Array.prototype.toBase64`.
 *
 * @param bytes The bytes to encode.
 * @param options `alphabet` (`"base64"` or `"base64url"`) and `omitPadding`.
 * @returns The base64 string.
 * @throws {TypeError} If `bytes` is not a Uint8Array, an option is invalid
 *   (checked in that order, as the built-in does), or the buffer of `bytes`
 *   is detached (also by an option getter).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeBase64 } from "@catga/memory/encoding";
 *
 * assert.equal(encodeBase64(new TextEncoder().encode("hello")), "aGVsbG8=");
 * const options = { alphabet: "base64url", omitPadding: true } as const;
 * assert.equal(encodeBase64(new Uint8Array([251, 255]), options), "-_8");
 * ```
 */
export function encodeBase64(
  bytes: Uint8Array,
  options?: Base64EncodeOptions,
): string {
  // Default options take their route here, as encodeBase64With does for any
  // codec set: one call layer less (as in encodeHex). Going through
  // encodeBase64With instead measured 1 KiB at 1.13x of Buffer on Node 24
  // against 1.40x (bench/seam_direct.bench.ts base64, before/after, 2026-12-05).
  if (options === undefined) {
    if (TO_BASE64_FIRST !== undefined) {
      try {
        // `length` is read inside the try: on null it throws, and the checks word the error.
        if (bytes.length <= TO_BASE64_FIRST_MAX) return TO_BASE64_FIRST.call(bytes);
      } catch (error) {
        throwEncodeError(bytes, error);
      }
    }
    // In the band only `instanceof`, then the built-in checks the rest itself
    // (a view of another type, a fake, a detached buffer throw, reworded below):
    // the fast accept's isView and byteLength cost 5-8% of a 1 KiB encode on
    // Node 26 (seam_direct, before/after: 0.92x -> 0.97x, 0.95x -> 0.99x).
    if (TO_BASE64_IN_BAND !== undefined && bytes instanceof Uint8Array) {
      try {
        const length = bytes.length;
        if (length > BAND_MIN && length <= BAND_MAX) return TO_BASE64_IN_BAND.call(bytes);
      } catch (error) {
        throwEncodeError(bytes, error);
      }
    }
    if (isUint8ArrayFast(bytes) && bytes.length > CODECS.encodeJsMax) {
      return nativeEncode(CODECS, bytes, DEFAULT_FLAGS);
    }
  }
  return encodeBase64With(CODECS, bytes, options);
}

/** After the built-in `toBase64` threw (it checks `bytes`): the error in the library's words. */
function throwEncodeError(bytes: Uint8Array, error: unknown): never {
  checkBytes(bytes, WHAT, "bytes");
  checkAttached(bytes, WHAT, "bytes");
  throw error;
}

/** {@linkcode encodeBase64} through a given codec set (tests and benches build any). */
export function encodeBase64With(
  c: Codecs,
  bytes: Uint8Array,
  options: Base64EncodeOptions | undefined,
): string {
  if (options === undefined && c.encodeNativeFirst) {
    try {
      if (bytes.length <= c.encodeShimSliceMin) return c.natives.toBase64!.call(bytes);
    } catch (error) {
      throwEncodeError(bytes, error);
    }
  }
  if (options === undefined && isUint8ArrayFast(bytes) && bytes.length > c.encodeJsMax) {
    // Default options and bytes the fast accept proves, with at least one
    // byte (so attached): the native encoder at once.
    return nativeEncode(c, bytes, DEFAULT_FLAGS);
  }
  checkBytes(bytes, WHAT, "bytes");
  const flags = options === undefined ? DEFAULT_FLAGS : readEncodeOptions(options);
  checkAttached(bytes, WHAT, "bytes");
  const length = bytes.length;
  if (length > c.encodeJsMax) return nativeEncode(c, bytes, flags);
  const pad = padsOutput(flags);
  const size = lengthFor(length, pad);
  const scratch = takeScratch(size);
  try {
    const n = encodeBase64Js(bytes, scratch, 0, tablesOf(flags), pad);
    return asciiToString(scratch, n);
  } finally {
    releaseScratch(scratch);
  }
}

/** The codec set's native string encoder: the built-in, or Buffer outside the built-in's band. */
function nativeEncode(c: Codecs, bytes: Uint8Array, flags: number): string {
  const length = bytes.length;
  if (flags === DEFAULT_FLAGS && length > c.encodeShimSliceMin) {
    return c.shimBase64Slice!.call(bytes, 0, length);
  }
  return c.encoder === "builtin" || (length > c.encodeBuiltinMin && length <= c.encodeBuiltinMax)
    ? (flags === 0
      ? c.natives.toBase64!.call(bytes)
      : c.natives.toBase64!.call(bytes, ENCODE_OPTIONS[flags]))
    : nodeEncode(c.natives.buffer!, bytes, flags);
}

/** ASCII bytes to a string: TextDecoder beats fromCharCode beyond ~16 chars. */
function asciiToString(bytes: Uint8Array, length: number): string {
  if (length > 16) return asciiDecoder.decode(bytes.subarray(0, length));
  let text = "";
  for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

/**
 * Encodes bytes as base64 ASCII into `dest` from index 0.
 *
 * @param bytes The bytes to encode.
 * @param dest Where to write; needs {@link base64EncodedLength} bytes.
 * @param options `alphabet` and `omitPadding`.
 * @returns The number of bytes written.
 * @throws {TypeError} If an argument is not a Uint8Array, an option is
 *   invalid, or a buffer is detached.
 * @throws {RangeError} If `dest` is too small (nothing is written then).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeBase64Into } from "@catga/memory/encoding";
 *
 * const dest = new Uint8Array(8);
 * const n = encodeBase64Into(new Uint8Array([104, 105]), dest);
 * assert.equal(new TextDecoder().decode(dest.subarray(0, n)), "aGk=");
 * ```
 */
export function encodeBase64Into(
  bytes: Uint8Array,
  dest: Uint8Array,
  options?: Base64EncodeOptions,
): number {
  // Default options and two arrays the fast accept proves: when bytes has at
  // least one byte and dest room for all of it, both are attached, so the
  // detach look-ups and a call layer go. Deno, 1 KiB, seam_direct before/after:
  // 0.97x -> 1.00x and 0.94x -> 1.00x of toBase64 + encodeInto (64 B: 2.3x -> 2.6x).
  if (options === undefined && isUint8ArrayFast(bytes) && isUint8ArrayFast(dest)) {
    const length = bytes.length;
    if (length > 0 && lengthFor(length, true) <= dest.length) {
      return encodeIntoUnchecked(CODECS, bytes, dest, 0, DEFAULT_FLAGS);
    }
  }
  return encodeBase64IntoWith(CODECS, bytes, dest, options);
}

/** {@linkcode encodeBase64Into} through a given codec set (tests and benches build any). */
export function encodeBase64IntoWith(
  c: Codecs,
  bytes: Uint8Array,
  dest: Uint8Array,
  options: Base64EncodeOptions | undefined,
): number {
  checkBytes(bytes, WHAT, "bytes");
  checkBytes(dest, WHAT, "dest");
  const flags = options === undefined ? DEFAULT_FLAGS : readEncodeOptions(options);
  checkAttached(bytes, WHAT, "bytes");
  checkAttached(dest, WHAT, "dest");
  const size = lengthFor(bytes.length, padsOutput(flags));
  if (dest.length < size) {
    throw new RangeError(
      `Cannot encode base64: dest has ${dest.length} bytes, ${size} needed`,
    );
  }
  return encodeIntoUnchecked(c, bytes, dest, 0, flags);
}

/**
 * Encodes into `dest[offset..]`, which the caller has sized. The JS core up to the row's
 * `encodeIntoJsMax`; above it the native string encoder and one copy of its ASCII: a string
 * per call is garbage, but the native encoders beat the JS core by 3-6x there (the table).
 */
function encodeIntoUnchecked(
  c: Codecs,
  bytes: Uint8Array,
  dest: Uint8Array,
  offset: number,
  flags: number,
): number {
  const length = bytes.length;
  if (
    length <= c.encodeIntoJsMax ||
    (length > c.encodeIntoJsBandMin && length <= c.encodeIntoJsBandMax)
  ) {
    return encodeBase64Js(bytes, dest, offset, tablesOf(flags), padsOutput(flags));
  }
  const text = !c.encodeIntoBuiltin
    ? nativeEncode(c, bytes, flags)
    : flags === 0
    ? c.natives.toBase64!.call(bytes)
    : c.natives.toBase64!.call(bytes, ENCODE_OPTIONS[flags]);
  const asciiWrite = c.asciiWrite;
  if (asciiWrite !== undefined) return asciiWrite.call(dest, text, offset, text.length);
  return asciiEncoder.encodeInto(text, offset === 0 ? dest : dest.subarray(offset)).written;
}

/**
 * Appends the base64 encoding of `bytes` to a {@link BufferWriter}.
 *
 * @param bytes The bytes to encode.
 * @param writer The writer to append to.
 * @param options `alphabet` and `omitPadding`.
 * @returns The number of bytes appended.
 * @throws {TypeError} If `bytes` is not a Uint8Array, an option is invalid,
 *   the buffer of `bytes` is detached, or the writer is disposed.
 * @throws {RangeError} If the writer cannot grow that far.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryPool } from "@catga/memory/pool";
 * import { writeBase64 } from "@catga/memory/encoding";
 *
 * using writer = MemoryPool.shared.rentWriter();
 * writeBase64(new Uint8Array([1, 2, 3]), writer);
 * assert.equal(new TextDecoder().decode(writer.written), "AQID");
 * ```
 */
export function writeBase64(
  bytes: Uint8Array,
  writer: BufferWriter,
  options?: Base64EncodeOptions,
): number {
  checkBytes(bytes, WHAT, "bytes");
  const flags = readEncodeOptions(options);
  checkAttached(bytes, WHAT, "bytes");
  const size = lengthFor(bytes.length, padsOutput(flags));
  if (size === 0) return 0;
  const buffer = writer.reserve(size);
  const n = encodeIntoUnchecked(CODECS, bytes, buffer, writer.writtenCount, flags);
  writer.advance(n);
  return n;
}

/**
 * Encodes bytes as base64 ASCII into memory rented from a pool.
 *
 * @param bytes The bytes to encode.
 * @param options `alphabet` and `omitPadding`, then `pool`: the pool to
 *   rent from (default {@link MemoryPool.shared}).
 * @returns The encoded bytes; dispose them to give the memory back.
 * @throws {TypeError} If `bytes` is not a Uint8Array, an option is invalid,
 *   or the buffer of `bytes` is detached.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeBase64Pooled } from "@catga/memory/encoding";
 *
 * using encoded = encodeBase64Pooled(new Uint8Array([1, 2, 3]));
 * assert.equal(encoded.length, 4);
 * ```
 */
export function encodeBase64Pooled(
  bytes: Uint8Array,
  options?: Base64EncodeOptions & PoolOptions,
): PooledBytes {
  checkBytes(bytes, WHAT, "bytes");
  const flags = readEncodeOptions(options);
  const pool = poolOf(options, WHAT);
  checkAttached(bytes, WHAT, "bytes");
  const buffer = pool.rentAtLeast(lengthFor(bytes.length, padsOutput(flags)));
  try {
    const n = encodeIntoUnchecked(CODECS, bytes, buffer, 0, flags);
    return new PooledBytes(pool, buffer, n);
  } catch (error) {
    pool.return(buffer);
    throw error;
  }
}
