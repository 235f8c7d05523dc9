/**
 * UTF-8 encoding and decoding with WHATWG semantics (lone surrogates encode
 * as U+FFFD; invalid input decodes to one U+FFFD per maximal subpart), that
 * picks per input length between a JS loop and the runtime's TextEncoder /
 * TextDecoder, whichever is faster there.
 *
 * @module
 */
import { type BufferWriter, MemoryPool, PooledBytes } from "../pool/mod.ts";
import { FAST_PATHS } from "../platform/fast_paths.ts";
import { NODE_BUFFER_STATICS, RUNTIME } from "../platform/runtime.ts";

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

// Measured crossovers (chars / bytes) up to which the JS loops win
// (bench/encoding.bench.ts); TextEncoder/TextDecoder beyond.
const ENCODE_JS_MAX = FAST_PATHS.utf8EncodeJsMax;
const DECODE_JS_MAX = FAST_PATHS.utf8DecodeJsMax;
const BYTE_LENGTH_JS_MAX = 64;

const encoder = new TextEncoder();
// A leading BOM is kept (a byte decoder must not drop data, like Buffer),
// so the decoders use ignoreBOM. On Bun that decoder is 2-3x slower than the
// default one, so there the default one serves every input that does not
// start with a BOM, where both give the same string.
const CHECK_BOM = RUNTIME === "bun";
const decoder = new TextDecoder();
const fatalDecoder = new TextDecoder("utf-8", { fatal: true });
const bomDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
const bomFatalDecoder = new TextDecoder("utf-8", {
  ignoreBOM: true,
  fatal: true,
});

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

const nativeByteLength = NODE_BUFFER_STATICS?.byteLength;

/** Exact allocation for copies, because TextEncoder may over-allocate. */
const ENCODE_EXACT: boolean = (() => {
  const bytes = encoder.encode("x".repeat(100) + "\u00e9");
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
 *
 * console.log(utf8ByteLength("h€llo 👋")); // 12
 * ```
 */
export function utf8ByteLength(text: string): number {
  checkText(text);
  const length = text.length;
  if (length > BYTE_LENGTH_JS_MAX && nativeByteLength !== undefined) {
    return nativeByteLength(text, "utf8");
  }
  let bytes = length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (
      (c & 0xfc00) === 0xd800 && i + 1 < length &&
      (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      bytes += 2; // 4 bytes for 2 code units
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
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
 *
 * const dest = new Uint8Array(4);
 * console.log(encodeUtf8Into("a€b", dest)); // { read: 2, written: 4 }
 * ```
 */
export function encodeUtf8Into(
  text: string,
  dest: Uint8Array,
  offset = 0,
): Utf8EncodeResult {
  if (typeof text !== "string") throw textTypeError(text);
  if (offset !== 0) checkOffset(dest, offset);
  const length = text.length;
  if (length > ENCODE_JS_MAX) {
    // encodeInto throws a TypeError itself when dest is no Uint8Array.
    return encoder.encodeInto(
      text,
      offset === 0 ? dest : dest.subarray(offset),
    );
  }
  if (!(dest instanceof Uint8Array)) {
    throw new TypeError("Cannot encode UTF-8: dest must be a Uint8Array");
  }
  // Short strings: an ASCII loop, falling into the general one if needed.
  const end = dest.length;
  let j = offset;
  let i = 0;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || j === end) break;
    dest[j++] = c;
  }
  if (i < length && j < end) {
    j = encodeJs(text, i, dest, j, end);
    i = encodedRead;
  }
  return { read: i, written: j - offset };
}

function checkOffset(dest: Uint8Array, offset: number): void {
  if (
    !Number.isInteger(offset) || offset < 0 ||
    offset > (dest as { length?: number }).length!
  ) {
    throw new RangeError(
      `Cannot encode UTF-8: offset ${offset} is outside [0, ${
        (dest as { length?: number }).length
      }]`,
    );
  }
}

/** `read` of the last {@link encodeJs} call. */
let encodedRead = 0;

/**
 * The JS encoder: writes text[start..] into dest[offset, end); returns the
 * new offset and leaves the chars read in {@link encodedRead}.
 */
function encodeJs(
  text: string,
  start: number,
  dest: Uint8Array,
  offset: number,
  end: number,
): number {
  const length = text.length;
  let j = offset;
  let i = start;
  for (; i < length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      if (j >= end) break;
      dest[j++] = c;
    } else if (c < 0x800) {
      if (j + 2 > end) break;
      dest[j++] = 0xc0 | (c >>> 6);
      dest[j++] = 0x80 | (c & 0x3f);
    } else {
      if ((c & 0xf800) === 0xd800) {
        const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
        if (c < 0xdc00 && (next & 0xfc00) === 0xdc00) {
          if (j + 4 > end) break;
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          dest[j++] = 0xf0 | (c >>> 18);
          dest[j++] = 0x80 | ((c >>> 12) & 0x3f);
          dest[j++] = 0x80 | ((c >>> 6) & 0x3f);
          dest[j++] = 0x80 | (c & 0x3f);
          i++;
          continue;
        }
        c = 0xfffd; // lone surrogate
      }
      if (j + 3 > end) break;
      dest[j++] = 0xe0 | (c >>> 12);
      dest[j++] = 0x80 | ((c >>> 6) & 0x3f);
      dest[j++] = 0x80 | (c & 0x3f);
    }
  }
  encodedRead = i;
  return j;
}

/**
 * Encodes `text` as UTF-8 into a new array of exactly the right size (its
 * buffer is exactly its length; the caller owns it).
 *
 * @param text The string to encode.
 * @returns The UTF-8 bytes.
 * @throws {TypeError} If `text` is not a string.
 * @example
 * ```ts
 * import { encodeUtf8 } from "@catga/memory/encoding";
 *
 * console.log(encodeUtf8("hé")); // Uint8Array(3) [ 104, 195, 169 ]
 * ```
 */
export function encodeUtf8(text: string): Uint8Array {
  checkText(text);
  if (text.length > ENCODE_JS_MAX) {
    const bytes = encoder.encode(text);
    return ENCODE_EXACT || bytes.buffer.byteLength === bytes.length ? bytes : bytes.slice();
  }
  const out = new Uint8Array(utf8ByteLength(text));
  encodeJs(text, 0, out, 0, out.length);
  return out;
}

/** Room for `text`: 3 bytes per code unit, or the exact length when big. */
function roomFor(text: string): number {
  return text.length <= 16384 ? text.length * 3 : utf8ByteLength(text);
}

/**
 * Encodes `text` as UTF-8 into memory rented from a pool.
 *
 * @param text The string to encode.
 * @param pool The pool to rent from (default {@link MemoryPool.shared}).
 * @returns The bytes; dispose them to give the memory back.
 * @throws {TypeError} If `text` is not a string.
 * @example
 * ```ts
 * import { encodeUtf8Pooled } from "@catga/memory/encoding";
 *
 * using encoded = encodeUtf8Pooled("héllo");
 * console.log(encoded.length); // 6
 * ```
 */
export function encodeUtf8Pooled(
  text: string,
  pool: MemoryPool = MemoryPool.shared,
): PooledBytes {
  checkText(text);
  const buffer = pool.rentAtLeast(roomFor(text));
  const written = text.length > ENCODE_JS_MAX
    ? encoder.encodeInto(text, buffer).written
    : encodeJs(text, 0, buffer, 0, buffer.length);
  return new PooledBytes(pool, buffer.subarray(0, written));
}

/**
 * Appends the UTF-8 encoding of `text` to a {@link BufferWriter}.
 *
 * @param writer The writer to append to.
 * @param text The string to encode.
 * @returns The number of bytes appended.
 * @throws {TypeError} If `text` is not a string or the writer is disposed.
 * @throws {RangeError} If the writer cannot grow that far.
 * @example
 * ```ts
 * import { MemoryPool } from "@catga/memory/pool";
 * import { writeUtf8 } from "@catga/memory/encoding";
 *
 * using writer = MemoryPool.shared.rentWriter();
 * writeUtf8(writer, "hé");
 * console.log(writer.writtenCount); // 3
 * ```
 */
export function writeUtf8(writer: BufferWriter, text: string): number {
  checkText(text);
  if (text.length === 0) return 0;
  const buffer = writer.reserve(roomFor(text));
  const start = writer.writtenCount;
  let written: number;
  if (text.length > ENCODE_JS_MAX) {
    written = encoder.encodeInto(text, buffer.subarray(start)).written;
  } else {
    written = encodeJs(text, 0, buffer, start, buffer.length) - start;
  }
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
 *   invalid UTF-8 (the message names the byte offset).
 * @example
 * ```ts
 * import { decodeUtf8 } from "@catga/memory/encoding";
 *
 * console.log(decodeUtf8(new Uint8Array([104, 0xff, 105]))); // "h\uFFFDi"
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
  if (length > DECODE_JS_MAX) {
    const bom = !CHECK_BOM || startsWithBom(bytes);
    if (options === undefined || options === null || !options.fatal) {
      return (bom ? bomDecoder : decoder).decode(bytes);
    }
    try {
      return (bom ? bomFatalDecoder : fatalDecoder).decode(bytes);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      // The JS decoder finds the offset for the message.
    }
    return decodeJs(bytes, 0, "", true);
  }
  // Short input: an ASCII loop, falling into the general one if needed.
  let text = "";
  let i = 0;
  for (; i < length; i++) {
    const b = bytes[i];
    if (b >= 0x80) break;
    text += String.fromCharCode(b);
  }
  if (i === length) return text;
  const fatal = options !== undefined && options !== null &&
    Boolean(options.fatal);
  return decodeJs(bytes, i, text, fatal);
}

/** The WHATWG UTF-8 decoder, written out; fatal errors name the offset. */
function decodeJs(
  bytes: Uint8Array,
  start: number,
  prefix: string,
  fatal: boolean,
): string {
  const length = bytes.length;
  let text = prefix;
  let i = start;
  while (i < length) {
    const b = bytes[i];
    if (b < 0x80) {
      text += String.fromCharCode(b);
      i++;
      continue;
    }
    let needed: number;
    let cp: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      needed = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      if (b === 0xe0) lower = 0xa0;
      else if (b === 0xed) upper = 0x9f;
      needed = 2;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      if (b === 0xf0) lower = 0x90;
      else if (b === 0xf4) upper = 0x8f;
      needed = 3;
      cp = b & 0x07;
    } else {
      if (fatal) throw invalid(i);
      text += "\ufffd";
      i++;
      continue;
    }
    let k = i + 1;
    let ok = true;
    for (let n = 0; n < needed; n++, k++) {
      const c = k < length ? bytes[k] : -1;
      if (c < lower || c > upper) {
        ok = false;
        break;
      }
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok) {
      // One U+FFFD for the maximal subpart [i, k); byte k starts afresh.
      if (fatal) throw invalid(i);
      text += "\ufffd";
      i = k;
      continue;
    }
    text += String.fromCodePoint(cp);
    i = k;
  }
  return text;
}

function invalid(offset: number): TypeError {
  return new TypeError(
    `Cannot decode UTF-8: invalid byte sequence at offset ${offset}`,
  );
}

function checkText(text: unknown): void {
  if (typeof text !== "string") throw textTypeError(text);
}

function textTypeError(text: unknown): TypeError {
  return new TypeError(
    `Cannot encode UTF-8: text must be a string, got ${text === null ? "null" : typeof text}`,
  );
}
