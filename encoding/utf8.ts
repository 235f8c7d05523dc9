/**
 * UTF-8 encoding and decoding with WHATWG semantics (lone surrogates encode
 * as U+FFFD; invalid input decodes to one U+FFFD per maximal subpart), that
 * picks per input length between the JS core (encoding/_utf8_core.ts) and the
 * runtime's TextEncoder / TextDecoder, whichever measures faster there
 * (platform/fast_paths.ts).
 *
 * @module
 */
import { type BufferWriter, PooledBytes, SlabAllocator } from "../pool/mod.ts";
import { poolOf, type PoolOptions } from "../pool/pool_options.ts";
import { slabOf, type SlabOptions } from "../pool/slab_options.ts";
import { FAST_PATHS } from "../platform/fast_paths.ts";
import { NODE_BUFFER_STATICS } from "../platform/runtime.ts";
import {
  createCharTables,
  decodeShortUtf8,
  decodeUtf8Fatal,
  decodeUtf8Js,
  decodeUtf8Native,
  encodeAsciiPrefix,
  encodeUtf8Bounded,
  encodeUtf8Native,
  encodeUtf8NativeFresh,
  encodeUtf8NativeUnchecked,
  encodeUtf8Unchecked,
  findInvalidUtf8,
  invalidUtf8Error,
  SHORT_DECODE_MAX,
  utf8ByteLengthJs,
} from "./_utf8_core.ts";

/** What {@link encodeUtf8Into} consumed and produced. */
export interface Utf8EncodeResult {
  /** UTF-16 code units of the string consumed. */
  read: number;
  /** Bytes written. */
  written: number;
}

/** Options of {@link decodeUtf8}. */
export interface Utf8DecodeOptions {
  /** Throw a TypeError on invalid UTF-8 instead of inserting U+FFFD. */
  fatal?: boolean;
}

const ENCODE_INTO_JS_MAX = FAST_PATHS.utf8EncodeJsMax;
const ENCODE_JS_MAX = FAST_PATHS.utf8EncodeWithRoomJsMax;
const ENCODE_SLAB_JS_MAX = FAST_PATHS.utf8EncodeSlabJsMax;
const ENCODE_OWN_JS_MAX = FAST_PATHS.utf8EncodeOwnJsMax;
const DECODE_JS_MAX = FAST_PATHS.utf8DecodeJsMax;
const BYTE_LENGTH_NATIVE_MIN = FAST_PATHS.utf8ByteLengthNativeMin;
const NATIVE_NODE_BUFFER = FAST_PATHS.utf8DecodeNodeBuffer;
const NODE_BUFFER_DECODE_MAX = FAST_PATHS.utf8DecodeNodeBufferMax;
const ENCODE_FRESH_NATIVE = FAST_PATHS.utf8EncodeFreshNative;
const nativeByteLength = NODE_BUFFER_STATICS?.byteLength;
const [ENCODE_BUFFER_FROM_MIN, ENCODE_BUFFER_FROM_MAX] = NODE_BUFFER_STATICS === undefined
  ? [0, 0]
  : FAST_PATHS.utf8EncodeBufferFromBand;
const bufferFrom = NODE_BUFFER_STATICS?.from;
const ENCODE_BUFFER_FROM_LATIN1_MIN = NODE_BUFFER_STATICS === undefined
  ? Infinity
  : FAST_PATHS.utf8EncodeBufferFromLatin1Min;

/**
 * A char above U+00FF. On a string V8 stores one byte per char this class cannot match, and
 * its regexp answers at once instead of scanning (20-60 ns at 65,536 chars on Node 24/26, with
 * the slice of {@linkcode headIsLatin1}; a one-off probe, not in bench/).
 */
const ABOVE_LATIN1 = /[\u0100-\uffff]/;
/** How much of a two-byte string {@linkcode headIsLatin1} scans at most. */
const LATIN1_PROBE_CHARS = 1024;

/** Scratch arrays of the short decoder: filled and read within one call, never shared out. */
const charTables = createCharTables();

/** Above this many chars, worst-case room (3 bytes a char) is too wasteful: count exactly. */
const WORST_CASE_ROOM_MAX = 16384;

/** Whether TextEncoder.encode returns exactly sized buffers here (else results are copied). */
const ENCODE_EXACT: boolean = (() => {
  const bytes = encodeUtf8NativeFresh("x".repeat(100) + "\u00e9");
  return bytes.buffer.byteLength === bytes.length;
})();

/**
 * The exact number of bytes of the UTF-8 encoding of `text` (lone surrogates
 * count as the 3 bytes of U+FFFD), without encoding it.
 *
 * @param text The string to measure.
 * @returns Its UTF-8 length in bytes.
 * @throws {TypeError} If `text` is not a string.
 * @example
 * ```ts
 * import { utf8ByteLength } from "@catga/memory/encoding";
 * import assert from "node:assert/strict";
 *
 * assert.equal(utf8ByteLength("h€llo 👋"), 12);
 * assert.equal(utf8ByteLength("\ud800"), 3); // a lone surrogate becomes U+FFFD
 * ```
 */
export function utf8ByteLength(text: string): number {
  checkText(text);
  const length = text.length;
  if (length >= BYTE_LENGTH_NATIVE_MIN && nativeByteLength !== undefined) {
    return nativeByteLength(text, "utf8");
  }
  return utf8ByteLengthJs(text, 0, length);
}

/**
 * Encodes `text` into `dest` at `offset` with the `TextEncoder.encodeInto`
 * contract: as much as fits, never a partial code point, lone surrogates as
 * U+FFFD.
 *
 * @param text The string to encode.
 * @param dest Where to write.
 * @param offset Where in `dest` to start (default 0).
 * @returns `{ read, written }`: code units consumed and bytes written.
 * @throws {TypeError} If `text` is not a string or `dest` not a Uint8Array.
 * @throws {RangeError} If `offset` is not an integer in [0, dest.length].
 * @example
 * ```ts
 * import { encodeUtf8Into } from "@catga/memory/encoding";
 * import assert from "node:assert/strict";
 *
 * const dest = new Uint8Array(4);
 * // "€" takes 3 bytes: it fits, "b" does not fit after it.
 * assert.deepEqual(encodeUtf8Into("a€b", dest), { read: 2, written: 4 });
 * assert.deepEqual([...dest], [0x61, 0xe2, 0x82, 0xac]);
 * ```
 */
export function encodeUtf8Into(
  text: string,
  dest: Uint8Array,
  offset = 0,
): Utf8EncodeResult {
  if (typeof text !== "string") throw textTypeError(text);
  const length = text.length;
  if (length > ENCODE_INTO_JS_MAX && offset === 0) {
    // The built-in checks `dest` itself (a second check cost up to 20% of a
    // short call, bench/seam_direct.bench.ts utf8); only its error is reworded.
    try {
      return encodeUtf8Native(text, dest, 0);
    } catch (error) {
      throw dest instanceof Uint8Array ? error : destTypeError(error);
    }
  }
  return encodeUtf8IntoChecked(text, dest, offset);
}

/**
 * {@linkcode encodeUtf8Into} past its native fast path, apart so that the fast path stays small
 * enough to inline: as one function, a 512-char call on Bun took 30.6 ns against
 * `encodeInto`'s 23.1 (a probe with varied calls first, 2026-12-05).
 */
function encodeUtf8IntoChecked(text: string, dest: Uint8Array, offset: number): Utf8EncodeResult {
  if (!(dest instanceof Uint8Array)) throw destTypeError(undefined);
  if (offset !== 0) checkOffset(dest, offset);
  const length = text.length;
  if (length > ENCODE_INTO_JS_MAX) return encodeUtf8Native(text, dest, offset);
  const end = dest.length;
  const room = end - offset;
  const ascii = encodeAsciiPrefix(text, 0, length < room ? length : room, dest, offset);
  // Separate results: the all-ASCII one never escapes, so V8 can elide it.
  if (ascii === length || ascii === room) return { read: ascii, written: ascii };
  const result: Utf8EncodeResult = { read: 0, written: 0 };
  encodeUtf8Bounded(text, ascii, dest, offset + ascii, end, result);
  result.read += ascii;
  result.written += ascii;
  return result;
}

function destTypeError(cause: unknown): TypeError {
  return new TypeError("Cannot encode UTF-8: dest must be a Uint8Array", { cause });
}

function checkOffset(dest: Uint8Array, offset: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset > dest.length) {
    throw new RangeError(
      `Cannot encode UTF-8: offset ${offset} is outside [0, ${dest.length}]`,
    );
  }
}

/** Encodes all of `text` at `offset` of `dest`, which has room for it; returns the end offset. */
function encodeWithRoom(text: string, dest: Uint8Array, offset: number): number {
  const length = text.length;
  return length <= ENCODE_JS_MAX
    ? encodeUtf8Unchecked(text, 0, length, dest, offset)
    : encodeUtf8NativeUnchecked(text, dest, offset);
}

/**
 * Encodes `text` as UTF-8 into an exact-length array the caller owns. By
 * default a short result is carved from a shared {@linkcode SlabAllocator}
 * chunk (no fresh `ArrayBuffer` per call, so short strings encode faster than
 * with `TextEncoder.encode` on V8); its `buffer` may then be shared with other
 * results, so do not transfer it or hand `bytes.buffer` out. Pass `null` to
 * get an array with its own exactly sized buffer. On Bun, whose
 * `TextEncoder.encode` beats a slab view, every result has its own buffer.
 *
 * @param text The string to encode.
 * @param options `slab`: where short results are carved from (default
 *   {@linkcode SlabAllocator.shared}); `null` = an own, exact `ArrayBuffer`.
 *   With a slab, a result may instead share a chunk of Node's own `Buffer`
 *   pool (Node 26, 4 Ki to 32 Ki chars, where that is faster); it is still a
 *   plain `Uint8Array`, and its `buffer` must not be transferred.
 * @returns The UTF-8 bytes.
 * @throws {TypeError} If `text` is not a string or `slab` is not a SlabAllocator or null.
 * @example
 * ```ts
 * import { encodeUtf8 } from "@catga/memory/encoding";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...encodeUtf8("hé")], [104, 195, 169]);
 * const own = encodeUtf8("hé", { slab: null });
 * assert.equal(own.buffer.byteLength, 3); // its own exact buffer
 * ```
 */
export function encodeUtf8(text: string, options?: SlabOptions): Uint8Array {
  checkText(text);
  if (ENCODE_FRESH_NATIVE) {
    // No slab read at all where TextEncoder.encode's own array wins (Bun): a short call is
    // mostly overhead there. The option is still checked.
    if (options !== undefined) slabOf(options, "encode UTF-8");
    return encodeFreshNative(text);
  }
  const slab = options === undefined ? SlabAllocator.shared : slabOf(options, "encode UTF-8");
  if (slab !== null) {
    const length = text.length;
    const max = slab.maxSlabLength;
    if (length * 3 <= max) {
      const chunk = slab.reserve(length * 3);
      const offset = slab.offset;
      const end = length <= ENCODE_SLAB_JS_MAX
        ? encodeUtf8Unchecked(text, 0, length, chunk, offset)
        : encodeUtf8NativeUnchecked(text, chunk, offset);
      return slab.commit(end - offset);
    }
    if (length * 2 <= max) {
      // Likely to fit (mostly ASCII): try within the slab's limit and keep the
      // result only if all of it went in. Longer text rarely fits: a failed
      // try costs a second encode, so it goes straight to its own buffer.
      const chunk = slab.reserve(max);
      const offset = slab.offset;
      const { read, written } = encodeUtf8Native(text, chunk.subarray(0, offset + max), offset);
      if (read === length) return slab.commit(written);
    }
    if (length >= ENCODE_BUFFER_FROM_MIN && length < ENCODE_BUFFER_FROM_MAX) {
      return encodeByBufferFrom(text);
    }
  }
  return encodeOwn(text);
}

/** A result with its own exactly sized buffer. */
function encodeOwn(text: string): Uint8Array {
  const length = text.length;
  // Node's byteLength + utf8Write into an exact array (Buffer.from's route) measured
  // slower than TextEncoder.encode here: 0.80-0.89x of the direct call where
  // encode gave 0.89-1.00x (bench/seam_direct.bench.ts utf8 and json, Node 24/26).
  if (length >= ENCODE_BUFFER_FROM_LATIN1_MIN && headIsLatin1(text)) {
    return encodeOwnByBufferFrom(text);
  }
  if (length > ENCODE_OWN_JS_MAX) return encodeFreshNative(text);
  const out = new Uint8Array(utf8ByteLengthJs(text, 0, length));
  encodeUtf8Unchecked(text, 0, length, out, 0);
  return out;
}

/** `TextEncoder.encode`, copied when its buffer is larger than the result. */
function encodeFreshNative(text: string): Uint8Array {
  const bytes = encodeUtf8NativeFresh(text);
  return ENCODE_EXACT || bytes.buffer.byteLength === bytes.length ? bytes : bytes.slice();
}

/**
 * Node's `Buffer.from(text)` as a plain `Uint8Array` over the same memory (never a `Buffer`,
 * whose `slice` shares memory and whose methods differ). Below `Buffer.poolSize / 2` it is a share
 * of Node's pool, a view into a shared chunk as a slab result is, so only slab-permitted calls
 * come here.
 */
function encodeByBufferFrom(text: string): Uint8Array {
  const bytes = bufferFrom!(text);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Whether `text` starts with {@linkcode LATIN1_PROBE_CHARS} chars of Latin-1: always true
 * of text V8 stores one byte per char, and then in constant time (the slice is a view).
 */
function headIsLatin1(text: string): boolean {
  return !ABOVE_LATIN1.test(text.slice(0, LATIN1_PROBE_CHARS));
}

/**
 * {@linkcode encodeByBufferFrom} for a result of its own: above `Buffer.poolSize / 2` Node
 * gives the string a buffer of its own, exactly sized; copied if a raised `poolSize` made it a
 * share of the pool after all.
 */
function encodeOwnByBufferFrom(text: string): Uint8Array {
  const bytes = encodeByBufferFrom(text);
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? bytes : bytes.slice();
}

/** Room for `text`: 3 bytes per code unit, or the exact length when big. */
function roomFor(text: string): number {
  return text.length <= WORST_CASE_ROOM_MAX ? text.length * 3 : utf8ByteLength(text);
}

/**
 * Encodes `text` as UTF-8 into memory rented from a pool.
 *
 * @param text The string to encode.
 * @param options `pool`: the pool to rent from (default {@link MemoryPool.shared}).
 * @returns The bytes; dispose them to give the memory back.
 * @throws {TypeError} If `text` is not a string or `pool` is not a MemoryPool.
 * @example
 * ```ts
 * import { encodeUtf8Pooled } from "@catga/memory/encoding";
 * import assert from "node:assert/strict";
 *
 * using encoded = encodeUtf8Pooled("héllo");
 * assert.equal(encoded.length, 6);
 * ```
 */
export function encodeUtf8Pooled(text: string, options?: PoolOptions): PooledBytes {
  checkText(text);
  const pool = poolOf(options, "encode UTF-8");
  const buffer = pool.rentAtLeast(roomFor(text));
  const written = encodeWithRoom(text, buffer, 0);
  // The view of the written part is made only if the owner reads `bytes`.
  return new PooledBytes(pool, buffer, written);
}

/**
 * Appends the UTF-8 encoding of `text` to a {@link BufferWriter}. The writer
 * must hold only the exact encoded length: a writer capped by `maxCapacity`
 * that has room for the real output never throws; one that has not throws
 * and is left unchanged.
 *
 * @param text The string to encode.
 * @param writer The writer to append to.
 * @returns The number of bytes appended.
 * @throws {TypeError} If `text` is not a string or the writer is disposed.
 * @throws {RangeError} If the writer cannot grow to hold the encoded bytes.
 * @example
 * ```ts
 * import { MemoryPool } from "@catga/memory/pool";
 * import { writeUtf8 } from "@catga/memory/encoding";
 * import assert from "node:assert/strict";
 *
 * using writer = MemoryPool.shared.rentWriter();
 * assert.equal(writeUtf8("hé", writer), 3);
 * assert.deepEqual([...writer.written], [104, 195, 169]);
 * ```
 */
export function writeUtf8(text: string, writer: BufferWriter): number {
  checkText(text);
  const length = text.length;
  if (length === 0) return 0;
  const worstCase = length * 3;
  const buffer = writer.capacity - writer.writtenCount >= worstCase
    ? writer.reserve(worstCase)
    // Too little room for the worst case: require only the exact length.
    : writer.reserve(utf8ByteLength(text), worstCase);
  const start = writer.writtenCount;
  const written = encodeWithRoom(text, buffer, start) - start;
  writer.advance(written);
  return written;
}

/**
 * Decodes UTF-8 exactly as `TextDecoder` does (one U+FFFD per maximal
 * subpart of an invalid sequence), except that a leading BOM is kept.
 *
 * @param bytes The UTF-8 bytes.
 * @param options `fatal: true` throws on invalid input instead.
 * @returns The decoded string.
 * @throws {TypeError} If `bytes` is not a Uint8Array, or with `fatal` on
 *   invalid UTF-8 (the message names the first invalid byte and its index).
 * @example
 * ```ts
 * import { decodeUtf8 } from "@catga/memory/encoding";
 * import assert from "node:assert/strict";
 *
 * assert.equal(decodeUtf8(new Uint8Array([104, 0xff, 105])), "h\uFFFDi");
 * assert.throws(
 *   () => decodeUtf8(new Uint8Array([104, 0xff, 105]), { fatal: true }),
 *   { name: "TypeError", message: "Cannot decode UTF-8: invalid byte 0xff at index 1" },
 * );
 * ```
 */
export function decodeUtf8(
  bytes: Uint8Array,
  options?: Utf8DecodeOptions,
): string {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError("Cannot decode UTF-8: bytes must be a Uint8Array");
  }
  const length = bytes.length;
  const fatal = options !== undefined && options !== null && Boolean(options.fatal);
  if (length > DECODE_JS_MAX) {
    return fatal
      ? decodeUtf8Fatal(bytes, 0, length)
      : decodeUtf8Native(bytes, 0, length, NATIVE_NODE_BUFFER && length <= NODE_BUFFER_DECODE_MAX);
  }
  if (fatal) {
    const invalid = findInvalidUtf8(bytes, 0, length);
    if (invalid >= 0) throw invalidUtf8Error(bytes, invalid);
  }
  return length <= SHORT_DECODE_MAX
    ? decodeShortUtf8(bytes, 0, length, charTables)
    : decodeUtf8Js(bytes, 0, length);
}

function checkText(text: unknown): void {
  if (typeof text !== "string") throw textTypeError(text);
}

function textTypeError(text: unknown): TypeError {
  return new TypeError(
    `Cannot encode UTF-8: text must be a string, got ${text === null ? "null" : typeof text}`,
  );
}
