/**
 * Hex encoding and decoding with the TC39 proposal's `toHex`/`fromHex`/
 * `setFromHex` semantics: lowercase output; input of even length in either
 * case, nothing else (no whitespace).
 *
 * @module
 */
import { PooledBytes, SlabAllocator } from "../pool/mod.ts";
import { quote } from "./_base64_js.ts";
import { NON_LATIN1 } from "./_latin1.ts";
import { checkAttached, checkBytes, checkString } from "./_checks.ts";
import { CODECS, type Codecs } from "./_codecs.ts";
import { poolOf, type PoolOptions } from "../pool/pool_options.ts";
import { slabOf, type SlabOptions } from "../pool/slab_options.ts";
import type { Base64DecodeResult } from "./base64_options.ts";

const DIGITS = "0123456789abcdef";
/** Byte to its two lowercase hex chars packed little-endian. */
const HEX_PAIRS = new Uint16Array(256);
/** Byte to its two-char string, for short outputs. */
const HEX_STRINGS: string[] = [];
for (let i = 0; i < 256; i++) {
  HEX_PAIRS[i] = DIGITS.charCodeAt(i >>> 4) | (DIGITS.charCodeAt(i & 15) << 8);
  HEX_STRINGS.push(DIGITS[i >>> 4] + DIGITS[i & 15]);
}
/** Char code to nibble, or -1 (only codes below 128 are looked up). */
const NIBBLES = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLES[DIGITS.charCodeAt(i)] = i;
  NIBBLES[DIGITS.toUpperCase().charCodeAt(i)] = i;
}
const asciiDecoder = new TextDecoder();
/** Up to this many bytes, string concatenation beats a TextDecoder call. */
const CONCAT_MAX = 64;
/** `toHex` where {@linkcode CODECS} takes it first, else `undefined`. */
const TO_HEX_FIRST = CODECS.hexEncodeNativeFirst ? CODECS.natives.toHex : undefined;
/** Above this many bytes `encodeHex` skips {@linkcode TO_HEX_FIRST} (the runtime's own `hexSlice` wins there). */
const TO_HEX_FIRST_MAX = CODECS.hexEncodeShimSliceMin;
/**
 * `fromHex` where {@linkcode CODECS} decodes with it at every size into a
 * buffer of its own (Bun), else `undefined`: `decodeHex` without options then
 * calls it first, as `encodeHex` does `toHex`.
 */
const FROM_HEX_FIRST = CODECS.hexDecoder === "builtin" && CODECS.hexDecodeJsMax <= 0 &&
    !CODECS.nativeDecodeToSlab
  ? CODECS.natives.fromHex
  : undefined;
/** `setFromHex` where {@linkcode CODECS} takes it first, else `undefined`. */
const SET_FROM_HEX_FIRST = CODECS.hexIntoNativeFirst ? CODECS.natives.setFromHex : undefined;

/**
 * Encodes bytes as lowercase hex, like `Uint8Array.prototype.toHex`.
 *
 * @param bytes The bytes to encode.
 * @returns Two lowercase hex digits per byte.
 * @throws {TypeError} If `bytes` is not a Uint8Array or its buffer is detached.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeHex } from "@catga/memory/encoding";
 *
 * assert.equal(encodeHex(new Uint8Array([0, 171, 255])), "00abff");
 * ```
 */
export function encodeHex(bytes: Uint8Array): string {
  // The built-in first, called here rather than through encodeHexWith: one
  // call layer less took a 64 B encode on Deno from 0.86x to 0.93x of toHex's
  // speed (bench/seam_direct.bench.ts hex, before/after in one run, 2026-12-05).
  if (TO_HEX_FIRST !== undefined) {
    try {
      // `length` is read inside the try: on null it throws, and the checks word the error.
      if (bytes.length <= TO_HEX_FIRST_MAX) return TO_HEX_FIRST.call(bytes);
    } catch (error) {
      throwEncodeHexError(bytes, error);
    }
  }
  return encodeHexChecked(CODECS, bytes);
}

/** {@linkcode encodeHex} through a given codec set (tests and benches build any). */
export function encodeHexWith(c: Codecs, bytes: Uint8Array): string {
  if (c.hexEncodeNativeFirst) {
    try {
      if (bytes.length <= c.hexEncodeShimSliceMin) return c.natives.toHex!.call(bytes);
    } catch (error) {
      throwEncodeHexError(bytes, error);
    }
  }
  return encodeHexChecked(c, bytes);
}

/** After the built-in `toHex` threw (it checks `bytes`): the error in the library's words. */
function throwEncodeHexError(bytes: Uint8Array, error: unknown): never {
  checkBytes(bytes, "encode hex", "bytes");
  checkAttached(bytes, "encode hex", "bytes");
  throw error;
}

/** The routes of {@linkcode encodeHexWith} other than the built-in first. */
function encodeHexChecked(c: Codecs, bytes: Uint8Array): string {
  checkBytes(bytes, "encode hex", "bytes");
  checkAttached(bytes, "encode hex", "bytes");
  const length = bytes.length;
  if (length > c.hexEncodeShimSliceMin) return c.shimHexSlice!.call(bytes, 0, length);
  if (length > c.hexEncodeJsMax) {
    return c.hexEncoder === "builtin"
      ? c.natives.toHex!.call(bytes)
      : c.natives.buffer!.hexSlice.call(bytes, 0, length);
  }
  if (length <= CONCAT_MAX) {
    let text = "";
    for (let i = 0; i < length; i++) text += HEX_STRINGS[bytes[i]];
    return text;
  }
  const pairs = new Uint16Array(length);
  for (let i = 0; i < length; i++) pairs[i] = HEX_PAIRS[bytes[i]];
  // The pairs are little-endian ASCII; on big-endian hosts swap on read.
  const ascii = new Uint8Array(pairs.buffer);
  if (ascii[0] !== DIGITS.charCodeAt(bytes[0] >>> 4)) {
    for (let i = 0; i < ascii.length; i += 2) {
      const t = ascii[i];
      ascii[i] = ascii[i + 1];
      ascii[i + 1] = t;
    }
  }
  return asciiDecoder.decode(ascii);
}

/**
 * Decodes hex (either case) to bytes, like `Uint8Array.fromHex`.
 *
 * The result is carved from `slab` (see {@link SlabAllocator} for what a
 * shared chunk means for `result.buffer`), except where the runtime's own
 * decoder measured faster with a buffer of its own (Bun); pass `null` for a
 * result that always has an `ArrayBuffer` of its own, exactly its length.
 *
 * @param text An even number of hex digits.
 * @param options `slab`: where the result is carved from (default
 *   {@link SlabAllocator.shared}); `null` for an own `ArrayBuffer`.
 * @returns The bytes, which the caller owns.
 * @throws {TypeError} If `text` is not a string or `slab` is not a SlabAllocator or null.
 * @throws {SyntaxError} On odd length or a non-hex character (the message names its index).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeHex } from "@catga/memory/encoding";
 *
 * assert.deepEqual(decodeHex("00abFF"), new Uint8Array([0, 171, 255]));
 * assert.equal(decodeHex("0102", { slab: null }).buffer.byteLength, 2);
 * ```
 */
export function decodeHex(text: string, options?: SlabOptions): Uint8Array {
  if (options === undefined && FROM_HEX_FIRST !== undefined) {
    try {
      return FROM_HEX_FIRST.call(Uint8Array, text);
    } catch {
      // A wrong type or invalid text: the checked route below words the error.
    }
  }
  return decodeHexWith(CODECS, text, options, undefined);
}

/** {@linkcode decodeHex} through a given codec set (tests and benches build any). */
export function decodeHexWith(
  c: Codecs,
  text: string,
  options: SlabOptions | undefined,
  slabOverride: SlabAllocator | null | undefined,
): Uint8Array {
  checkString(text, "decode hex");
  const slab = slabOverride !== undefined
    ? slabOverride
    : options === undefined
    ? SlabAllocator.shared
    : slabOf(options, "decode hex");
  const size = evenLength(text) >>> 1;
  if (text.length > c.hexDecodeJsMax) {
    const bytes = nativeDecode(c, text, size, slab);
    if (bytes !== undefined) return bytes;
  }
  if (slab !== null && size <= slab.maxSlabLength) {
    const chunk = slab.reserve(size);
    decodeHexJs(text, chunk, slab.offset, size);
    return slab.commit(size);
  }
  const out = new Uint8Array(size);
  decodeHexJs(text, out, 0, size);
  return out;
}

/**
 * The native decoder; `undefined` when the text is invalid, after which only
 * the JS loop runs, to report the index.
 */
function nativeDecode(
  c: Codecs,
  text: string,
  size: number,
  slab: SlabAllocator | null,
): Uint8Array | undefined {
  const inSlab = slab !== null && size <= slab.maxSlabLength;
  if (c.hexDecoder === "builtin") {
    try {
      if (!inSlab || !c.nativeDecodeToSlab) return c.natives.fromHex!.call(Uint8Array, text);
      const chunk = slab!.reserve(size);
      const start = slab!.offset;
      c.natives.setFromHex!.call(chunk.subarray(start, start + size), text);
      return slab!.commit(size);
    } catch (error) {
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
  }
  // Buffer stops at the first invalid pair, so a full write proves validity;
  // but it keeps only the low byte of chars above 0xff, hence the check.
  if (NON_LATIN1.test(text)) return undefined;
  const buffer = c.natives.buffer!;
  if (inSlab) {
    const chunk = slab!.reserve(size);
    const written = buffer.hexWrite.call(chunk, text, slab!.offset, size);
    return written === size ? slab!.commit(size) : undefined;
  }
  const out = new Uint8Array(size);
  return buffer.hexWrite.call(out, text, 0, size) === size ? out : undefined;
}

/**
 * Decodes hex into `dest`, exactly like `Uint8Array.prototype.setFromHex`:
 * it stops when `dest` is full, and on invalid input throws after writing
 * the bytes before the bad pair (an odd length throws before writing).
 *
 * @param text Hex digits, an even number of them.
 * @param dest Where to write, from index 0.
 * @returns `{ read, written }`: chars consumed and bytes written.
 * @throws {TypeError} If `dest` is not a Uint8Array, `text` is not a string
 *   (checked in that order, as the built-in does), or `dest`'s buffer is detached.
 * @throws {SyntaxError} On odd length or a non-hex character before `dest` fills.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeHexInto } from "@catga/memory/encoding";
 *
 * const dest = new Uint8Array(2);
 * assert.deepEqual(decodeHexInto("aabbcc", dest), { read: 4, written: 2 });
 * assert.deepEqual([...dest], [0xaa, 0xbb]);
 * ```
 */
export function decodeHexInto(text: string, dest: Uint8Array): Base64DecodeResult {
  // The built-in first here, as in encodeHex: one call layer less.
  if (SET_FROM_HEX_FIRST !== undefined) {
    try {
      return SET_FROM_HEX_FIRST.call(dest, text);
    } catch (error) {
      return decodeHexIntoAfterError(text, dest, error);
    }
  }
  return decodeHexIntoChecked(CODECS, text, dest);
}

/** {@linkcode decodeHexInto} through a given codec set (tests and benches build any). */
export function decodeHexIntoWith(c: Codecs, text: string, dest: Uint8Array): Base64DecodeResult {
  if (c.hexIntoNativeFirst) {
    try {
      return c.natives.setFromHex!.call(dest, text);
    } catch (error) {
      return decodeHexIntoAfterError(text, dest, error);
    }
  }
  return decodeHexIntoChecked(c, text, dest);
}

/**
 * After the built-in `setFromHex` threw: bad input goes to the JS loop, which
 * rewrites the prefix and names the index; a bad argument gets the checks,
 * which say so in the library's words.
 */
function decodeHexIntoAfterError(
  text: string,
  dest: Uint8Array,
  error: unknown,
): Base64DecodeResult {
  if (!(error instanceof SyntaxError)) {
    checkBytes(dest, "decode hex", "dest");
    checkString(text, "decode hex");
    checkAttached(dest, "decode hex", "dest");
    throw error;
  }
  return decodeHexIntoJs(text, dest);
}

/** The routes of {@linkcode decodeHexIntoWith} other than the built-in first. */
function decodeHexIntoChecked(c: Codecs, text: string, dest: Uint8Array): Base64DecodeResult {
  checkBytes(dest, "decode hex", "dest");
  checkString(text, "decode hex");
  checkAttached(dest, "decode hex", "dest");
  const count = Math.min(evenLength(text) >>> 1, dest.length);
  if (text.length > c.hexDecodeJsMax) {
    if (c.hexDecoder === "builtin") {
      try {
        return c.natives.setFromHex!.call(dest, text);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        // The JS loop rewrites the same prefix and throws with the index.
      }
    } else if (!NON_LATIN1.test(text)) {
      // Buffer writes the pairs before the first invalid one, as the spec does.
      if (c.natives.buffer!.hexWrite.call(dest, text, 0, count) === count) {
        return { read: count * 2, written: count };
      }
    }
  }
  decodeHexJs(text, dest, 0, count);
  return { read: count * 2, written: count };
}

/** setFromHex in JS, for text the built-in rejected (it throws, naming the index). */
function decodeHexIntoJs(text: string, dest: Uint8Array): Base64DecodeResult {
  const count = Math.min(evenLength(text) >>> 1, dest.length);
  decodeHexJs(text, dest, 0, count);
  return { read: count * 2, written: count };
}

/**
 * Decodes hex into memory rented from a pool.
 *
 * @param text Hex digits, an even number of them.
 * @param options `pool`: the pool to rent from (default {@link MemoryPool.shared}).
 * @returns The decoded bytes; dispose them to give the memory back.
 * @throws {TypeError} If `text` is not a string or `pool` is not a MemoryPool.
 * @throws {SyntaxError} On odd length or a non-hex character (nothing stays rented).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeHexPooled } from "@catga/memory/encoding";
 *
 * using decoded = decodeHexPooled("0102ff");
 * assert.deepEqual(decoded.bytes, new Uint8Array([1, 2, 255]));
 * ```
 */
export function decodeHexPooled(text: string, options?: PoolOptions): PooledBytes {
  return decodeHexPooledWith(CODECS, text, options);
}

/** {@linkcode decodeHexPooled} through a given codec set (tests and benches build any). */
export function decodeHexPooledWith(
  c: Codecs,
  text: string,
  options: PoolOptions | undefined,
): PooledBytes {
  checkString(text, "decode hex");
  const pool = poolOf(options, "decode hex");
  const size = evenLength(text) >>> 1;
  const buffer = pool.rent(size);
  try {
    decodeHexIntoWith(c, text, buffer);
    return new PooledBytes(pool, buffer, size);
  } catch (error) {
    pool.return(buffer);
    throw error;
  }
}

/** `text.length`, or a SyntaxError when it is odd. */
function evenLength(text: string): number {
  const length = text.length;
  if (length % 2 !== 0) {
    throw new SyntaxError(
      `Cannot decode hex: odd length ${length} (hex needs two digits per byte)`,
    );
  }
  return length;
}

/**
 * Decodes `count` bytes from the start of `text` into `out` at `offset`;
 * on a bad pair throws a SyntaxError naming its index, after writing the
 * bytes before it.
 */
function decodeHexJs(text: string, out: Uint8Array, offset: number, count: number): void {
  for (let i = 0, j = offset, end = offset + count; j < end; i += 2, j++) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const high = a < 128 ? NIBBLES[a] : -1;
    const low = b < 128 ? NIBBLES[b] : -1;
    if ((high | low) < 0) {
      const at = high < 0 ? i : i + 1;
      throw new SyntaxError(
        `Cannot decode hex: invalid character ${quote(text, at)} at index ${at}`,
      );
    }
    out[j] = (high << 4) | low;
  }
}
