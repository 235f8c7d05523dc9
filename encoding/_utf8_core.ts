/**
 * The one UTF-8 core: every hand-written UTF-8 loop of the library, plus the
 * runtime's native codecs behind the same shapes. WHATWG semantics
 * throughout: lone surrogates encode as U+FFFD (EF BF BD); invalid input
 * decodes to one U+FFFD per maximal subpart; a leading BOM is data, never
 * dropped. Internal: callers validate their arguments first.
 *
 * The functions take `(text, start, end, dest, offset)` or
 * `(bytes, start, end)` and return a value, or fill a caller-supplied
 * {@linkcode Utf8Progress}; nothing is passed through module state.
 *
 * Who calls what:
 * - {@linkcode encodeUtf8Unchecked} (room guaranteed, returns the new
 *   offset): `encodeUtf8`, `encodeUtf8Pooled`, `writeUtf8` (encoding/utf8.ts);
 *   the MessagePack encoder's non-ASCII string tail
 *   (serializers/_msgpack_encoder.ts).
 * - {@linkcode encodeUtf8Bounded} (the `encodeInto` contract, fills a
 *   {@linkcode Utf8Progress}): `encodeUtf8Into`, after
 *   {@linkcode encodeAsciiPrefix} (inlinable ASCII copy; also the
 *   MessagePack encoder's short-ASCII `writeString`).
 * - {@linkcode encodeUtf8Native} and {@linkcode encodeUtf8NativeUnchecked}
 *   (`TextEncoder.encodeInto`): the long-string paths of all of the above.
 * - {@linkcode utf8ByteLengthJs}: `utf8ByteLength`, exact sizing.
 * - {@linkcode decodeUtf8Js} / {@linkcode decodeUtf8Native}: `decodeUtf8`;
 *   MessagePack string reads (serializers/_msgpack_utf8.ts,
 *   serializers/_msgpack_string_cache.ts), which also use
 *   {@linkcode decodeShortUtf8} with {@linkcode createCharTables} for keys.
 * - {@linkcode findInvalidUtf8} and {@linkcode decodeUtf8Fatal}: strict
 *   decoding in `decodeUtf8(bytes, { fatal: true })` and
 *   `JsonSerializer.deserialize`, which name the first invalid byte without
 *   decoding the input twice.
 *
 * @module
 */
import { FAST_PATHS } from "../platform/fast_paths.ts";
import { NODE_BUFFER } from "../platform/runtime.ts";

/** How far a bounded encode got: filled by {@linkcode encodeUtf8Bounded}. */
export interface Utf8Progress {
  /** UTF-16 code units consumed, counted from `start`. */
  read: number;
  /** Bytes written, counted from `offset`. */
  written: number;
}

/**
 * Encodes `text[start, end)` into `dest` at `offset`. The caller guarantees
 * `3 * (end - start)` bytes of room. A surrogate pair is combined only when
 * both halves lie in `[start, end)`, so chunked callers must not split one.
 *
 * @returns The offset after the last byte written.
 */
export function encodeUtf8Unchecked(
  text: string,
  start: number,
  end: number,
  dest: Uint8Array,
  offset: number,
): number {
  let j = offset;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      dest[j++] = c;
    } else if (c < 0x800) {
      dest[j++] = 0xc0 | (c >> 6);
      dest[j++] = 0x80 | (c & 0x3f);
    } else if ((c & 0xf800) !== 0xd800) {
      dest[j++] = 0xe0 | (c >> 12);
      dest[j++] = 0x80 | ((c >> 6) & 0x3f);
      dest[j++] = 0x80 | (c & 0x3f);
    } else {
      const next = i + 1 < end ? text.charCodeAt(i + 1) : 0;
      if (c < 0xdc00 && (next & 0xfc00) === 0xdc00) {
        i++;
        c = 0x10000 + ((c & 0x3ff) << 10) + (next & 0x3ff);
        dest[j++] = 0xf0 | (c >> 18);
        dest[j++] = 0x80 | ((c >> 12) & 0x3f);
        dest[j++] = 0x80 | ((c >> 6) & 0x3f);
        dest[j++] = 0x80 | (c & 0x3f);
      } else {
        // A lone surrogate: U+FFFD, as TextEncoder writes.
        dest[j++] = 0xef;
        dest[j++] = 0xbf;
        dest[j++] = 0xbd;
      }
    }
  }
  return j;
}

/**
 * Copies the ASCII prefix of `text[start, start + limit)` to `dest` at
 * `offset` (the caller guarantees `limit` bytes of room), stopping at the
 * first unit >= 0x80. Small enough to inline: short strings, mostly ASCII,
 * never pay for a call into the general loops.
 *
 * @returns The units copied (= bytes written).
 */
export function encodeAsciiPrefix(
  text: string,
  start: number,
  limit: number,
  dest: Uint8Array,
  offset: number,
): number {
  let i = 0;
  for (; i < limit; i++) {
    const c = text.charCodeAt(start + i);
    if (c >= 0x80) break;
    dest[offset + i] = c;
  }
  return i;
}

/**
 * Encodes `text[start..]` into `dest[offset, destEnd)` with the
 * `TextEncoder.encodeInto` contract: as much as fits, never a partial code
 * point. Fills `progress` with the units read and bytes written.
 */
export function encodeUtf8Bounded(
  text: string,
  start: number,
  dest: Uint8Array,
  offset: number,
  destEnd: number,
  progress: Utf8Progress,
): void {
  const length = text.length;
  let j = offset;
  let i = start;
  for (; i < length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      if (j >= destEnd) break;
      dest[j++] = c;
    } else if (c < 0x800) {
      if (j + 2 > destEnd) break;
      dest[j++] = 0xc0 | (c >> 6);
      dest[j++] = 0x80 | (c & 0x3f);
    } else {
      if ((c & 0xf800) === 0xd800) {
        const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
        if (c < 0xdc00 && (next & 0xfc00) === 0xdc00) {
          if (j + 4 > destEnd) break;
          c = 0x10000 + ((c & 0x3ff) << 10) + (next & 0x3ff);
          dest[j++] = 0xf0 | (c >> 18);
          dest[j++] = 0x80 | ((c >> 12) & 0x3f);
          dest[j++] = 0x80 | ((c >> 6) & 0x3f);
          dest[j++] = 0x80 | (c & 0x3f);
          i++;
          continue;
        }
        c = 0xfffd; // lone surrogate
      }
      if (j + 3 > destEnd) break;
      dest[j++] = 0xe0 | (c >> 12);
      dest[j++] = 0x80 | ((c >> 6) & 0x3f);
      dest[j++] = 0x80 | (c & 0x3f);
    }
  }
  progress.read = i - start;
  progress.written = j - offset;
}

/**
 * The exact UTF-8 length of `text[start, end)` (a lone surrogate counts as
 * the 3 bytes of U+FFFD).
 */
export function utf8ByteLengthJs(text: string, start: number, end: number): number {
  let bytes = end - start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (
      (c & 0xfc00) === 0xd800 && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      bytes += 2; // 4 bytes for 2 code units
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

const fromCharCode = String.fromCharCode;

/**
 * Decodes `bytes[start, end)` in JS, one U+FFFD per maximal subpart of an
 * invalid sequence, exactly as `TextDecoder` does (a BOM is kept). Meant for
 * short input: it builds the string by concatenation.
 */
export function decodeUtf8Js(bytes: Uint8Array, start: number, end: number): string {
  let result = "";
  let pos = start;
  while (pos < end) {
    const b1 = bytes[pos++];
    if (b1 < 0x80) {
      result += fromCharCode(b1);
      continue;
    }
    let unit = 0xfffd;
    if (b1 >= 0xc2 && b1 < 0xe0) {
      if (pos < end && (bytes[pos] & 0xc0) === 0x80) {
        unit = ((b1 & 0x1f) << 6) | (bytes[pos++] & 0x3f);
      }
    } else if (b1 >= 0xe0 && b1 < 0xf0) {
      const lo = b1 === 0xe0 ? 0xa0 : 0x80;
      const hi = b1 === 0xed ? 0x9f : 0xbf;
      if (pos < end && bytes[pos] >= lo && bytes[pos] <= hi) {
        const b2 = bytes[pos++];
        if (pos < end && (bytes[pos] & 0xc0) === 0x80) {
          unit = ((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (bytes[pos++] & 0x3f);
        }
      }
    } else if (b1 >= 0xf0 && b1 < 0xf5) {
      const lo = b1 === 0xf0 ? 0x90 : 0x80;
      const hi = b1 === 0xf4 ? 0x8f : 0xbf;
      if (pos < end && bytes[pos] >= lo && bytes[pos] <= hi) {
        const b2 = bytes[pos++];
        if (pos < end && (bytes[pos] & 0xc0) === 0x80) {
          const b3 = bytes[pos++];
          if (pos < end && (bytes[pos] & 0xc0) === 0x80) {
            const cp = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) |
              (bytes[pos++] & 0x3f);
            result += fromCharCode(0xd800 | ((cp - 0x10000) >> 10), 0xdc00 | (cp & 0x3ff));
            continue;
          }
        }
      }
    }
    result += fromCharCode(unit);
  }
  return result;
}

/** Per-length arrays for `fromCharCode.apply` in {@linkcode decodeShortUtf8}: one set per caller. */
export type CharTables = number[][];

/** The most bytes {@linkcode decodeShortUtf8} takes. */
export const SHORT_DECODE_MAX = 32;

/** Creates the arrays {@linkcode decodeShortUtf8} fills (lengths 0 to {@linkcode SHORT_DECODE_MAX}). */
export function createCharTables(): CharTables {
  const tables: number[][] = [];
  for (let length = 0; length <= SHORT_DECODE_MAX; length++) {
    tables.push(new Array<number>(length).fill(0));
  }
  return tables;
}

/** JavaScriptCore builds short strings fastest by concatenation, V8 by `fromCharCode.apply`. */
const CONCAT_SHORT = FAST_PATHS.utf8ShortDecodeByConcat;

/**
 * Decodes a short range (at most {@linkcode SHORT_DECODE_MAX} bytes) like
 * {@linkcode decodeUtf8Js}; ASCII goes through a caller-owned per-length
 * array and one `fromCharCode.apply` on V8 (MessagePack keys and values).
 */
export function decodeShortUtf8(
  bytes: Uint8Array,
  start: number,
  end: number,
  tables: CharTables,
): string {
  if (CONCAT_SHORT) {
    let result = "";
    for (let i = start; i < end; i++) {
      const byte = bytes[i];
      if (byte >= 0x80) return decodeUtf8Js(bytes, start, end);
      result += fromCharCode(byte);
    }
    return result;
  }
  const units = tables[end - start];
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte >= 0x80) return decodeUtf8Js(bytes, start, end);
    units[i - start] = byte;
  }
  return fromCharCode.apply(null, units);
}

/**
 * The index of the first byte of the first invalid sequence in
 * `bytes[start, end)` (the start of the maximal subpart a decoder would
 * replace), or -1 when the range is valid UTF-8. `start` must be a sequence
 * boundary. Builds no string (the native strict decoders build the whole
 * string before they can fail, and report no index); long ASCII runs are
 * skipped 16 bytes per step.
 */
export function findInvalidUtf8(bytes: Uint8Array, start: number, end: number): number {
  let pos = start;
  while (pos < end) {
    if (bytes[pos] < 0x80) {
      pos = skipAscii(bytes, pos, end);
      if (pos >= end) break;
    }
    const lead = pos;
    const b1 = bytes[pos++];
    if (b1 >= 0xc2 && b1 < 0xe0) {
      if (pos < end && (bytes[pos] & 0xc0) === 0x80) {
        pos++;
        continue;
      }
    } else if (b1 >= 0xe0 && b1 < 0xf0) {
      const lo = b1 === 0xe0 ? 0xa0 : 0x80;
      const hi = b1 === 0xed ? 0x9f : 0xbf;
      if (
        pos + 1 < end && bytes[pos] >= lo && bytes[pos] <= hi &&
        (bytes[pos + 1] & 0xc0) === 0x80
      ) {
        pos += 2;
        continue;
      }
    } else if (b1 >= 0xf0 && b1 < 0xf5) {
      const lo = b1 === 0xf0 ? 0x90 : 0x80;
      const hi = b1 === 0xf4 ? 0x8f : 0xbf;
      if (
        pos + 2 < end && bytes[pos] >= lo && bytes[pos] <= hi &&
        (bytes[pos + 1] & 0xc0) === 0x80 && (bytes[pos + 2] & 0xc0) === 0x80
      ) {
        pos += 3;
        continue;
      }
    }
    return lead;
  }
  return -1;
}

/** Long ASCII runs are tested a 32-bit word at a time from this many bytes. */
const WORD_SKIP_MIN = 64;

/** The index of the first byte >= 0x80 in `bytes[pos, end)`, or `end`. */
function skipAscii(bytes: Uint8Array, pos: number, end: number): number {
  if (end - pos >= WORD_SKIP_MIN) {
    // Align to a word of the underlying buffer, then test 4 bytes per load.
    while (((bytes.byteOffset + pos) & 3) !== 0 && bytes[pos] < 0x80) pos++;
    if (((bytes.byteOffset + pos) & 3) === 0) {
      const words = new Uint32Array(bytes.buffer, bytes.byteOffset + pos, (end - pos) >> 2);
      const count = words.length;
      let w = 0;
      while (
        w + 4 <= count &&
        ((words[w] | words[w + 1] | words[w + 2] | words[w + 3]) & 0x80808080) === 0
      ) {
        w += 4;
      }
      while (w < count && (words[w] & 0x80808080) === 0) w++;
      pos += w << 2;
    }
  }
  while (pos < end && bytes[pos] < 0x80) pos++;
  return pos;
}

/** The strict decoders' error: names the first invalid byte and its index. */
export function invalidUtf8Error(bytes: Uint8Array, index: number): TypeError {
  const byte = bytes[index].toString(16).padStart(2, "0");
  return new TypeError(`Cannot decode UTF-8: invalid byte 0x${byte} at index ${index}`);
}

const encoder = new TextEncoder();
// A leading BOM is data (a byte decoder must not drop it, like Buffer), so
// the decoders use ignoreBOM. Where the table's `utf8DecodeProbeBom` says so
// (Bun, where that decoder is 2-3x slower, and Node 26), the default one serves
// every input that does not start with a BOM, where both give the same string.
const CHECK_BOM = FAST_PATHS.utf8DecodeProbeBom;
const decoder = new TextDecoder();
const fatalDecoder = new TextDecoder("utf-8", { fatal: true });
const bomDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
const bomFatalDecoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
const nodeUtf8Slice = NODE_BUFFER?.utf8Slice;
/** Node's `utf8Write`, where the table says it beats `encodeInto` for writes with room. */
const nodeUtf8Write = FAST_PATHS.utf8EncodeNodeBuffer ? NODE_BUFFER?.utf8Write : undefined;

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * `TextEncoder.encodeInto(text, dest[offset..])`: the `encodeInto` contract,
 * natively. Returns the built-in's own fresh `{ read, written }`.
 */
export function encodeUtf8Native(text: string, dest: Uint8Array, offset: number): Utf8Progress {
  return encoder.encodeInto(text, offset === 0 ? dest : dest.subarray(offset));
}

/**
 * Encodes the whole of `text` natively into `dest` at `offset`; the caller
 * guarantees room for all of it (3 bytes per unit, or the exact length).
 * Node's `utf8Write` where the row sets `utf8EncodeNodeBuffer` (it takes an
 * offset, so no subarray view per call), `TextEncoder.encodeInto` elsewhere.
 * Picked once at load: a test for `utf8Write` on each call is bytecode that the
 * pooled paths inline, and V8 shares one inlining budget across a whole path
 * (with it, Deno's JS `encodeInto` wrapper did not fit in `serializePooled`'s).
 *
 * @returns The offset after the last byte written.
 */
export const encodeUtf8NativeUnchecked: (text: string, dest: Uint8Array, offset: number) => number =
  nodeUtf8Write !== undefined
    ? (text, dest, offset) => offset + nodeUtf8Write.call(dest, text, offset, dest.length - offset)
    : (text, dest, offset) =>
      offset + encoder.encodeInto(text, offset === 0 ? dest : dest.subarray(offset)).written;

/** `TextEncoder.encode(text)`: a fresh array (its buffer may be larger than it). */
export function encodeUtf8NativeFresh(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Decodes `bytes[start, end)` natively, replacing invalid sequences (a BOM is
 * kept). Uses Node's `utf8Slice` when `nodeBuffer` is set and Node's Buffer
 * exists.
 */
export function decodeUtf8Native(
  bytes: Uint8Array,
  start: number,
  end: number,
  nodeBuffer: boolean,
): string {
  if (nodeBuffer && nodeUtf8Slice !== undefined) return nodeUtf8Slice.call(bytes, start, end);
  const view = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
  return (!CHECK_BOM || startsWithBom(view) ? bomDecoder : decoder).decode(view);
}

/**
 * Decodes `bytes[start, end)` natively and strictly (a BOM is kept).
 *
 * @throws {TypeError} "Cannot decode UTF-8: invalid byte 0x.. at index N",
 *   found by {@linkcode findInvalidUtf8} after the native check fails, so
 *   invalid input is scanned once more, never decoded twice.
 */
export function decodeUtf8Fatal(bytes: Uint8Array, start: number, end: number): string {
  const view = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
  try {
    return (!CHECK_BOM || startsWithBom(view) ? bomFatalDecoder : fatalDecoder).decode(view);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  const index = findInvalidUtf8(bytes, start, end);
  // The native check and ours agree; the fallback keeps the error honest if not.
  throw invalidUtf8Error(bytes, index >= 0 ? index : start);
}
