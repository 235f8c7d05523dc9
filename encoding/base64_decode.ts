/**
 * Base64 decoding with the TC39 proposal's semantics (`Uint8Array.fromBase64`
 * and `Uint8Array.prototype.setFromBase64`), to fresh, caller-provided or
 * pooled memory.
 *
 * @module
 */
import { MemoryPool, PooledBytes } from "../pool/mod.ts";
import { STANDARD_TABLES, URL_TABLES } from "./_base64_tables.ts";
import { decodeBase64Js, decodedRead, decodedWritten } from "./_base64_js.ts";
import { DECODE_OPTIONS } from "./_native.ts";
import { NATIVE_FROM_BASE64, NATIVE_SET_FROM_BASE64 } from "../platform/natives.ts";
import { NODE_BUFFER, NODE_BUFFER_STATICS } from "../platform/runtime.ts";
import { NON_LATIN1 } from "./_latin1.ts";
import { releaseScratch, takeScratch } from "./_scratch.ts";
import { nativeBase64Allowed } from "./base64_implementation.ts";
import {
  type Base64DecodeOptions,
  checkBytes,
  checkString,
  LOOSE,
  readDecodeOptions,
} from "./base64_options.ts";

/** What {@link decodeBase64Into} consumed and produced. */
export interface Base64DecodeResult {
  /** Characters of the input consumed (up to the end of the last chunk decoded). */
  read: number;
  /** Bytes written into the destination. */
  written: number;
}

/** Below this many chars, Node's Buffer + verification costs more than JS. */
const NODE_DECODE_MIN = 64;
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/**
 * Decodes a base64 string, exactly like `Uint8Array.fromBase64`: ASCII
 * whitespace is skipped, anything else outside the alphabet is an error.
 *
 * @param text The base64 string.
 * @param options `alphabet` and `lastChunkHandling` (`"loose"` default,
 *   `"strict"`, or `"stop-before-partial"`).
 * @returns The decoded bytes; their buffer is exactly their length.
 * @throws {TypeError} If `text` is not a string or an option is invalid.
 * @throws {SyntaxError} If `text` is not valid base64 for the options; the
 *   message names the problem and its index.
 * @example
 * ```ts
 * import { decodeBase64 } from "@catga/memory/encoding";
 *
 * console.log(decodeBase64("aGVs bG8=")); // Uint8Array(5) [ 104, 101, 108, 108, 111 ]
 * ```
 */
export function decodeBase64(
  text: string,
  options?: Base64DecodeOptions,
): Uint8Array {
  const flags = options === undefined ? 0 : readDecodeOptions(options);
  if (nativeBase64Allowed && NATIVE_FROM_BASE64 !== undefined) {
    // fromBase64 itself throws a TypeError for anything but a string.
    try {
      return NATIVE_FROM_BASE64.call(Uint8Array, text, DECODE_OPTIONS[flags]);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // Fall through: the JS core throws the same error class with a
      // message that names the index.
    }
  }
  checkString(text, "decode base64");
  if (
    nativeBase64Allowed && NODE_BUFFER !== undefined &&
    text.length >= NODE_DECODE_MIN
  ) {
    const size = decodedLengthBound(text);
    const out = allocateForDecode(size);
    if (nodeDecode(text, out, size, flags)) return out;
  }
  return decodeJs(text, flags);
}

function decodeJs(text: string, flags: number): Uint8Array {
  const bound = decodedLengthBound(text);
  const out = new Uint8Array(bound);
  decodeBase64Js(
    text,
    out,
    0,
    UNBOUNDED,
    (flags & 1) === 0 ? STANDARD_TABLES : URL_TABLES,
    flags >>> 1,
  );
  return decodedWritten === bound ? out : out.slice(0, decodedWritten);
}

/** The proposal's ASCII whitespace: tab, LF, FF, CR, space. */
function isWhitespaceAt(text: string, index: number): boolean {
  const c = text.charCodeAt(index);
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/**
 * An upper bound on the decoded length that is exact for canonical input:
 * data chars all lie before trailing whitespace and padding.
 */
function decodedLengthBound(text: string): number {
  let k = text.length;
  let padding = 0;
  while (k > 0) {
    if (text.charCodeAt(k - 1) === 0x3d && padding < 2) padding++;
    else if (!isWhitespaceAt(text, k - 1)) break;
    k--;
  }
  return Math.floor((k * 3) / 4);
}

/**
 * Node 24 has no native strict decoder, and Buffer's is lenient: it skips
 * whitespace and garbage, accepts both alphabets, and keeps only the low byte
 * of chars above 0xff. So the input is vetted first (no char above 0xff, no
 * char of the other alphabet: both checks run at memchr speed) and the
 * output counted after: Buffer skips every other char (and stops at a '='),
 * which shortens the output below the length the raw text implies, so a full
 * count proves that every char before the padding was in the alphabet.
 * Returns false when the JS core must decide; `out[0, size)` may then hold
 * garbage, which is why decodeBase64Into passes a scratch buffer.
 */
function nodeDecode(
  text: string,
  out: Uint8Array,
  size: number,
  flags: number,
): boolean {
  const length = text.length;
  const url = (flags & 1) !== 0;
  if (length % 4 !== 0 && ((flags >>> 1) !== LOOSE || !url)) return false;
  // A length of 4n+1 is never valid, and would let one skipped char hide.
  if (length % 4 === 1) return false;
  // The count proof needs `size` to follow from the raw length: that rules
  // out trailing whitespace and stray padding, which the JS core handles.
  const rawPad = text.charCodeAt(length - 1) !== 0x3d
    ? 0
    : text.charCodeAt(length - 2) === 0x3d
    ? 2
    : 1;
  const expected = length % 4 === 0 ? (length / 4) * 3 - rawPad : Math.floor((length * 3) / 4);
  if (size !== expected || (length % 4 !== 0 && rawPad !== 0)) return false;
  if ((flags >>> 1) !== LOOSE && !canonicalTail(text, size, flags)) {
    return false;
  }
  if (NON_LATIN1.test(text)) return false;
  if (
    url
      ? text.indexOf("+") !== -1 || text.indexOf("/") !== -1
      : text.indexOf("-") !== -1 || text.indexOf("_") !== -1
  ) return false;
  return NODE_BUFFER!.base64Write.call(out, text, 0, size) === size;
}

/**
 * Strict and stop-before-partial differ from loose only in the last chunk:
 * take the fast path only when it ends in canonical padding (and, strict,
 * zero padding bits), checked on the raw text before anything is written.
 */
function canonicalTail(text: string, size: number, flags: number): boolean {
  const length = text.length;
  const rest = size % 3;
  const pad = rest === 0 ? 0 : 3 - rest;
  for (let k = 1; k <= 3; k++) {
    const isPad = text.charCodeAt(length - k) === 0x3d;
    if (isPad !== (k <= pad)) return false;
  }
  if ((flags >>> 1) !== STRICT_MODE || rest === 0) return true;
  const tables = (flags & 1) === 0 ? STANDARD_TABLES : URL_TABLES;
  const last = text.charCodeAt(length - pad - 1);
  const value = last < 256 ? tables.d3[last] : -1;
  return value >= 0 && (value & (rest === 1 ? 0xf : 0x3)) === 0;
}

const STRICT_MODE = 1;

/**
 * An array of exactly `size` bytes; on Node without the zero-fill for big
 * sizes, because the decoder overwrites every byte.
 */
function allocateForDecode(size: number): Uint8Array {
  if (size >= 4096 && NODE_ALLOC_UNSAFE_SLOW !== undefined) {
    const buffer = NODE_ALLOC_UNSAFE_SLOW(size).buffer;
    if (buffer.byteLength === size) return new Uint8Array(buffer, 0, size);
  }
  return new Uint8Array(size);
}

const NODE_ALLOC_UNSAFE_SLOW = NODE_BUFFER_STATICS?.allocUnsafeSlow;

/**
 * Decodes a base64 string into `dest`, exactly like
 * `Uint8Array.prototype.setFromBase64`: it stops when `dest` is full, never
 * writes a partial chunk, and on invalid input throws after writing the
 * complete chunks before the error.
 *
 * @param text The base64 string.
 * @param dest Where to write, from index 0.
 * @param options `alphabet` and `lastChunkHandling`.
 * @returns `{ read, written }`: chars consumed and bytes written.
 * @throws {TypeError} If `text` is not a string, `dest` not a Uint8Array, or an option is invalid.
 * @throws {SyntaxError} If `text` is invalid before `dest` fills.
 * @example
 * ```ts
 * import { decodeBase64Into } from "@catga/memory/encoding";
 *
 * const dest = new Uint8Array(4);
 * console.log(decodeBase64Into("aGVsbG8=", dest)); // { read: 4, written: 3 }
 * ```
 */
export function decodeBase64Into(
  text: string,
  dest: Uint8Array,
  options?: Base64DecodeOptions,
): Base64DecodeResult {
  const flags = options === undefined ? 0 : readDecodeOptions(options);
  if (nativeBase64Allowed && NATIVE_SET_FROM_BASE64 !== undefined) {
    // setFromBase64 itself throws a TypeError for a bad receiver or input.
    let result: Base64DecodeResult | undefined;
    try {
      result = NATIVE_SET_FROM_BASE64.call(dest, text, DECODE_OPTIONS[flags]);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // The JS core rewrites the same prefix and throws with an index.
    }
    if (result !== undefined) {
      const { read, written } = result;
      // V8 and JSC read trailing whitespace after a last full chunk that
      // fills `dest`; the spec stops right after that chunk.
      if (
        written === dest.length && written % 3 === 0 && written !== 0 &&
        read === text.length && isWhitespaceAt(text, read - 1)
      ) {
        let end = read - 1;
        while (isWhitespaceAt(text, end - 1)) end--;
        if (text.charCodeAt(end - 1) !== 0x3d) result.read = end;
      }
      return result;
    }
  }
  checkString(text, "decode base64");
  checkBytes(dest, "decode base64", "dest");
  if (
    nativeBase64Allowed && NODE_BUFFER !== undefined &&
    text.length >= NODE_DECODE_MIN
  ) {
    const result = nodeDecodeInto(text, dest, flags);
    if (result !== undefined) return result;
  }
  decodeBase64Js(
    text,
    dest,
    0,
    dest.length,
    (flags & 1) === 0 ? STANDARD_TABLES : URL_TABLES,
    flags >>> 1,
  );
  return { read: decodedRead, written: decodedWritten };
}

/**
 * Node fast path: decode into scratch, verify canonical, then copy, so that
 * `dest` never sees bytes the proposal would not write.
 */
function nodeDecodeInto(
  text: string,
  dest: Uint8Array,
  flags: number,
): Base64DecodeResult | undefined {
  const size = decodedLengthBound(text);
  // A full destination stops `read` before trailing whitespace: leave it to JS.
  if (size >= dest.length) {
    if (size > dest.length || isWhitespaceAt(text, text.length - 1)) {
      return undefined;
    }
  }
  const scratch = takeScratch(size);
  try {
    if (!nodeDecode(text, scratch, size, flags)) return undefined;
    dest.set(size === scratch.length ? scratch : scratch.subarray(0, size));
  } finally {
    releaseScratch(scratch);
  }
  return { read: text.length, written: size };
}

/**
 * Decodes a base64 string into memory rented from a pool.
 *
 * @param text The base64 string.
 * @param options `alphabet` and `lastChunkHandling`.
 * @param pool The pool to rent from (default {@link MemoryPool.shared}).
 * @returns The decoded bytes; dispose them to give the memory back.
 * @throws {TypeError} If `text` is not a string or an option is invalid.
 * @throws {SyntaxError} If `text` is not valid base64 (nothing stays rented).
 * @example
 * ```ts
 * import { decodeBase64Pooled } from "@catga/memory/encoding";
 *
 * using decoded = decodeBase64Pooled("AQID");
 * console.log(decoded.bytes); // Uint8Array(3) [ 1, 2, 3 ]
 * ```
 */
export function decodeBase64Pooled(
  text: string,
  options?: Base64DecodeOptions,
  pool: MemoryPool = MemoryPool.shared,
): PooledBytes {
  checkString(text, "decode base64");
  const flags = readDecodeOptions(options);
  const bound = decodedLengthBound(text);
  const buffer = pool.rent(bound);
  try {
    if (nativeBase64Allowed) {
      if (NATIVE_SET_FROM_BASE64 !== undefined) {
        // `bound` leaves room for everything, so a full read is fromBase64.
        let result: Base64DecodeResult | undefined;
        try {
          result = NATIVE_SET_FROM_BASE64.call(
            buffer,
            text,
            DECODE_OPTIONS[flags],
          );
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          result = undefined;
        }
        if (result !== undefined && result.read === text.length) {
          return new PooledBytes(pool, buffer.subarray(0, result.written));
        }
      } else if (
        NODE_BUFFER !== undefined && text.length >= NODE_DECODE_MIN &&
        nodeDecode(text, buffer, bound, flags)
      ) {
        return new PooledBytes(pool, buffer);
      }
    }
    decodeBase64Js(
      text,
      buffer,
      0,
      UNBOUNDED,
      (flags & 1) === 0 ? STANDARD_TABLES : URL_TABLES,
      flags >>> 1,
    );
    return new PooledBytes(pool, buffer.subarray(0, decodedWritten));
  } catch (error) {
    pool.return(buffer);
    throw error;
  }
}
