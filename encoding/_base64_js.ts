/**
 * The portable pure-JS base64 core: encode bytes to ASCII bytes, and decode a
 * string into bytes with the TC39 proposal's FromBase64 semantics (including
 * `read`, partial output on error, and the `maxLength` stop rules).
 *
 * @module
 */
import { FAST_PATHS } from "../platform/fast_paths.ts";
import { LITTLE_ENDIAN } from "../platform/runtime.ts";
import { NON_LATIN1 } from "./_latin1.ts";
import {
  type Base64Tables,
  decodePairTables,
  STANDARD_TABLES,
  URL_TABLES,
} from "./_base64_tables.ts";
import { STOP_BEFORE_PARTIAL, STRICT } from "./base64_options.ts";

/** Where {@link decodeBase64Js} stopped: chars consumed and bytes written. */
export interface DecodeProgress {
  /** Chars consumed (up to the end of the last chunk decoded). */
  read: number;
  /** Bytes written. */
  written: number;
}

/**
 * Encoder word tables for both alphabets (standard at 0, url at 4096).
 * ENCODE_FIRST: bytes x, y of a group, indexed `x | (y & 0xf0) << 4`, to the
 * first two chars in the low 16 bits; ENCODE_SECOND: bytes y, z, indexed
 * `(y & 0xf) | z << 4`, to the last two chars in the high 16 bits. Indexing
 * by raw byte bits saves a byte swap per group; being module constants here
 * (not imported, not passed in) lets V8 fold them into the loop (+20% on
 * Node 24).
 */
const ENCODE_FIRST = new Int32Array(8192);
const ENCODE_SECOND = new Int32Array(8192);
for (const { chars, encodeBase } of [STANDARD_TABLES, URL_TABLES]) {
  for (let i = 0; i < 4096; i++) {
    const pair = chars[i >>> 6] | (chars[i & 63] << 8);
    // i = x << 4 | y >> 4 for the first pair; i = (y & 0xf) << 8 | z for the second.
    ENCODE_FIRST[encodeBase + ((i >>> 4) | ((i & 0xf) << 8))] = pair;
    ENCODE_SECOND[encodeBase + ((i >>> 8) | ((i & 0xff) << 4))] = pair << 16;
  }
}

const EQUALS = 0x3d;

/**
 * Below this many input bytes, typed-array word views cost more than they
 * save (a view costs ~10 ns in V8 but ~40 ns in JSC).
 */
const WORD_PATH_MIN = FAST_PATHS.base64.jsWordPathMin;

/**
 * Encodes `src` as base64 ASCII bytes into `dest` at `offset`; the caller has
 * checked that `dest` has room. Returns the number of bytes written.
 */
export function encodeBase64Js(
  src: Uint8Array,
  dest: Uint8Array,
  offset: number,
  tables: Base64Tables,
  pad: boolean,
): number {
  const length = src.length;
  const groups = (length / 3) | 0;
  let i = 0;
  let j = offset;
  if (
    groups * 3 >= WORD_PATH_MIN && LITTLE_ENDIAN &&
    ((dest.byteOffset + offset) & 3) === 0
  ) {
    // Four output chars per 32-bit store: two 12-bit lookups per 3 bytes.
    const words = new Int32Array(dest.buffer, dest.byteOffset + offset, groups);
    const first = ENCODE_FIRST;
    const second = ENCODE_SECOND;
    const base = tables.encodeBase;
    let w = 0;
    if ((src.byteOffset & 3) === 0) {
      // 12 input bytes as three 32-bit loads: a0 a1 a2 | a3 b0 b1 | b2 b3 c0 | c1 c2 c3.
      const blocks = (length / 12) | 0;
      const input = new Int32Array(src.buffer, src.byteOffset, blocks * 3);
      const end = blocks * 3;
      for (let k = 0; k < end; k += 3) {
        const a = input[k];
        const b = input[k + 1];
        const c = input[k + 2];
        words[w] = first[base | (a & 0xff) | ((a >>> 4) & 0xf00)] |
          second[base | ((a >>> 8) & 0xf) | ((a >>> 12) & 0xff0)];
        words[w + 1] = first[base | (a >>> 24) | ((b << 4) & 0xf00)] |
          second[base | (b & 0xf) | ((b >>> 4) & 0xff0)];
        words[w + 2] = first[base | ((b >>> 16) & 0xff) | ((b >>> 20) & 0xf00)] |
          second[base | ((b >>> 24) & 0xf) | ((c << 4) & 0xff0)];
        words[w + 3] = first[base | ((c >>> 8) & 0xff) | ((c >>> 12) & 0xf00)] |
          second[base | ((c >>> 16) & 0xf) | ((c >>> 20) & 0xff0)];
        w += 4;
      }
      i = blocks * 12;
    }
    for (; w < groups; w++, i += 3) {
      const y = src[i + 1];
      words[w] = first[base | src[i] | ((y & 0xf0) << 4)] |
        second[base | (y & 0xf) | (src[i + 2] << 4)];
    }
    j += groups * 4;
  } else {
    const chars = tables.chars;
    const end = groups * 3;
    for (; i < end; i += 3) {
      const v = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
      dest[j] = chars[v >>> 18];
      dest[j + 1] = chars[(v >>> 12) & 63];
      dest[j + 2] = chars[(v >>> 6) & 63];
      dest[j + 3] = chars[v & 63];
      j += 4;
    }
  }
  const rest = length - i;
  if (rest !== 0) {
    const chars = tables.chars;
    const v = rest === 1 ? src[i] << 16 : (src[i] << 16) | (src[i + 1] << 8);
    dest[j++] = chars[v >>> 18];
    dest[j++] = chars[(v >>> 12) & 63];
    if (rest === 2) dest[j++] = chars[(v >>> 6) & 63];
    else if (pad) dest[j++] = EQUALS;
    if (pad) dest[j++] = EQUALS;
  }
  return j - offset;
}

/** Bytes of string copied per block for the word-at-a-time decoder. */
const BLOCK_CHARS = 16384;
/**
 * The block size after the word loop stopped early (at whitespace, as in
 * MIME's 76-char lines): it doubles back to {@link BLOCK_CHARS} while blocks
 * decode whole, so line-broken input copies a few hundred chars per line
 * instead of 16 KiB.
 */
const BLOCK_RESTART = 256;
/** Below this many remaining chars the charCodeAt loop is cheaper than a copy. */
const BLOCK_MIN = FAST_PATHS.base64.jsBlockMin;
let blockScratch: Uint8Array | undefined;
const asciiEncoder = new TextEncoder();

/**
 * Copies `text[start, start+count)` as bytes into the scratch block; every
 * char >= 0x80 becomes a byte >= 0x80 (invalid in the tables), so the
 * byte loop stops exactly where the char loop would.
 */
function copyBlock(
  scratch: Uint8Array,
  text: string,
  start: number,
  count: number,
  latin1Write: NodeLatin1Write | undefined,
): number {
  const part = start === 0 && count === text.length ? text : text.substring(start, start + count);
  if (latin1Write !== undefined) {
    // Node's encodeInto is slow; latin1Write is a plain copy, exact here
    // because the caller has ruled out chars above 0xff.
    return latin1Write.call(scratch, part, 0, count);
  }
  // Stale bytes past `written` must never be read: callers stop there.
  return asciiEncoder.encodeInto(part, scratch).written;
}

/** Node's `Buffer#latin1Write`, which the caller passes where its codec set may use Node. */
export type NodeLatin1Write = (
  this: Uint8Array,
  text: string,
  offset: number,
  length: number,
) => number;

/**
 * Decodes `text` into `out[offset, offset + maxLength)` exactly as the
 * proposal's FromBase64 does and returns the number of bytes written; when
 * `progress` is given, also fills in `read` and `written`. On invalid input
 * throws a SyntaxError after having written every complete chunk before the
 * error (the setFromBase64 contract). `latin1Write` (Node's, or undefined)
 * speeds up the block copies of long input.
 */
export function decodeBase64Js(
  text: string,
  out: Uint8Array,
  offset: number,
  maxLength: number,
  tables: Base64Tables,
  mode: number,
  progress: DecodeProgress | undefined,
  latin1Write: NodeLatin1Write | undefined,
): number {
  if (maxLength === 0) return finish(progress, 0, 0);
  const length = text.length;
  const end = offset + maxLength;
  // Word views must fit the array even when maxLength is only a bound.
  const capacity = Math.min(end, out.length);
  const d0 = tables.d0;
  const d1 = tables.d1;
  const d2 = tables.d2;
  const d3 = tables.d3;
  // Node's latin1Write (when the codec set passes it: the portable set runs
  // what browsers run) copies faster than encodeInto, but it needs proof
  // that no char exceeds 0xff.
  let latin1 = latin1Write === undefined || length < BLOCK_MIN;
  let latin1Checked = latin1;
  let blockChars = BLOCK_CHARS;
  let i = 0;
  let j = offset;
  let read = 0;
  for (;;) {
    // Fast phase, word at a time: 16 chars to 12 bytes per step.
    while (length - i >= BLOCK_MIN && capacity - j >= 12 && LITTLE_ENDIAN) {
      if (!latin1Checked) {
        latin1 = !NON_LATIN1.test(text);
        latin1Checked = true;
      }
      if (!latin1) break;
      const count = Math.min(blockChars, length - i) & ~15;
      const block = blockScratch ??= new Uint8Array(BLOCK_CHARS);
      const copied = copyBlock(block, text, i, count, latin1Write);
      const input = new Uint32Array(block.buffer, 0, count >>> 2);
      const steps = Math.min(copied >>> 4, ((capacity - j) / 12) | 0);
      let k = 0;
      const { first, second } = decodePairTables(tables);
      if (((out.byteOffset + j) & 3) === 0) {
        const words = new Uint32Array(out.buffer, out.byteOffset + j, steps * 3);
        for (let s = 0, w = 0; s < steps; s++, k += 4, w += 3) {
          const x = input[k];
          const y = input[k + 1];
          const z = input[k + 2];
          const q = input[k + 3];
          const a = first[x & 0xffff] | second[x >>> 16];
          const b = first[y & 0xffff] | second[y >>> 16];
          const c = first[z & 0xffff] | second[z >>> 16];
          const d = first[q & 0xffff] | second[q >>> 16];
          if ((a | b | c | d) < 0) break;
          words[w] = a | (b << 24);
          words[w + 1] = (b >>> 8) | (c << 16);
          words[w + 2] = (c >>> 16) | (d << 8);
        }
      } else {
        for (let s = 0, o = j; s < steps; s++, k += 4, o += 12) {
          const x = input[k];
          const y = input[k + 1];
          const z = input[k + 2];
          const q = input[k + 3];
          const a = first[x & 0xffff] | second[x >>> 16];
          const b = first[y & 0xffff] | second[y >>> 16];
          const c = first[z & 0xffff] | second[z >>> 16];
          const d = first[q & 0xffff] | second[q >>> 16];
          if ((a | b | c | d) < 0) break;
          out[o] = a;
          out[o + 1] = a >>> 8;
          out[o + 2] = a >>> 16;
          out[o + 3] = b;
          out[o + 4] = b >>> 8;
          out[o + 5] = b >>> 16;
          out[o + 6] = c;
          out[o + 7] = c >>> 8;
          out[o + 8] = c >>> 16;
          out[o + 9] = d;
          out[o + 10] = d >>> 8;
          out[o + 11] = d >>> 16;
        }
      }
      const done = k >>> 2; // complete 16-char steps
      i += done * 16;
      j += done * 12;
      if (done !== 0) read = i;
      if (done < steps || steps * 16 < count) {
        blockChars = BLOCK_RESTART;
        break;
      }
      blockChars = Math.min(blockChars * 2, BLOCK_CHARS);
    }
    // Fast phase, a quad at a time.
    while (length - i >= 4 && end - j >= 3) {
      const c0 = text.charCodeAt(i);
      const c1 = text.charCodeAt(i + 1);
      const c2 = text.charCodeAt(i + 2);
      const c3 = text.charCodeAt(i + 3);
      if ((c0 | c1 | c2 | c3) > 255) break;
      const v = d0[c0] | d1[c1] | d2[c2] | d3[c3];
      if (v < 0) break;
      out[j] = v >>> 16;
      out[j + 1] = v >>> 8;
      out[j + 2] = v;
      j += 3;
      i += 4;
      read = i;
    }
    if (j === end) break;
    // Slow phase: one chunk, char by char, per the spec's state machine.
    let chunk = 0;
    let chunkLength = 0;
    for (;;) {
      let c = 0;
      while (i < length && isAsciiWhitespace(c = text.charCodeAt(i))) i++;
      if (i === length) {
        if (chunkLength !== 0) {
          if (mode === STOP_BEFORE_PARTIAL) {
            return finish(progress, read, j - offset);
          }
          if (mode === STRICT) {
            throw decodeError(
              `missing padding: the last chunk has ${chunkLength} character${
                chunkLength === 1 ? "" : "s"
              } at index ${length}`,
            );
          }
          if (chunkLength === 1) {
            throw decodeError(
              `incomplete last chunk: a single character at index ${length - 1}`,
            );
          }
          j = writeFinalChunk(out, j, chunk, chunkLength);
        }
        return finish(progress, length, j - offset);
      }
      i++;
      if (c === EQUALS) {
        if (chunkLength < 2) {
          throw decodeError(`unexpected padding '=' at index ${i - 1}`);
        }
        while (i < length && isAsciiWhitespace(text.charCodeAt(i))) i++;
        if (chunkLength === 2) {
          if (i === length) {
            if (mode === STOP_BEFORE_PARTIAL) {
              return finish(progress, read, j - offset);
            }
            throw decodeError(`incomplete padding: expected '=' at index ${i}`);
          }
          if (text.charCodeAt(i) === EQUALS) {
            i++;
            while (i < length && isAsciiWhitespace(text.charCodeAt(i))) i++;
          }
        }
        if (i < length) {
          throw decodeError(
            `unexpected character ${quote(text, i)} after padding at index ${i}`,
          );
        }
        if (
          mode === STRICT &&
          (chunkLength === 2 ? chunk & 0xf : chunk & 0x3) !== 0
        ) {
          throw decodeError(
            `non-zero padding bits in the last chunk at index ${lastDataIndex(text, i)}`,
          );
        }
        j = writeFinalChunk(out, j, chunk, chunkLength);
        return finish(progress, length, j - offset);
      }
      const value = c < 256 ? d3[c] : -1;
      if (value < 0) {
        throw decodeError(
          `invalid character ${quote(text, i - 1)} at index ${i - 1}`,
        );
      }
      const remaining = end - j;
      if (
        (remaining === 1 && chunkLength === 2) ||
        (remaining === 2 && chunkLength === 3)
      ) {
        return finish(progress, read, j - offset);
      }
      chunk = (chunk << 6) | value;
      if (++chunkLength === 4) {
        out[j] = chunk >>> 16;
        out[j + 1] = chunk >>> 8;
        out[j + 2] = chunk;
        j += 3;
        read = i;
        break;
      }
    }
    if (j === end) break;
  }
  return finish(progress, read, j - offset);
}

/** Reports where decoding stopped; returns `written`. */
function finish(progress: DecodeProgress | undefined, read: number, written: number): number {
  if (progress !== undefined) {
    progress.read = read;
    progress.written = written;
  }
  return written;
}

function writeFinalChunk(
  out: Uint8Array,
  j: number,
  chunk: number,
  chunkLength: number,
): number {
  if (chunkLength === 2) {
    out[j] = chunk >>> 4;
    return j + 1;
  }
  out[j] = chunk >>> 10;
  out[j + 1] = chunk >>> 2;
  return j + 2;
}

/** The proposal's ASCII whitespace: tab, LF, FF, CR, space. */
function isAsciiWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/** Index of the last data (non-padding, non-whitespace) char before `end`. */
function lastDataIndex(text: string, end: number): number {
  let k = end - 1;
  while (k > 0) {
    const c = text.charCodeAt(k);
    if (c !== EQUALS && !isAsciiWhitespace(c)) break;
    k--;
  }
  return k;
}

/** A char for an error message: printable ASCII quoted, anything else as U+XXXX. */
export function quote(text: string, index: number): string {
  const c = text.charCodeAt(index);
  if (c > 0x20 && c < 0x7f) return `'${text[index]}'`;
  return `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
}

function decodeError(detail: string): SyntaxError {
  return new SyntaxError(`Cannot decode base64: ${detail}`);
}
