/**
 * UTF-8 helpers tuned for MessagePack strings: a JS path for short strings,
 * the runtime's native codec for long ones (the crossovers are rows of
 * platform/fast_paths.ts). Internal to the serializers.
 *
 * @module
 */
import { NODE_BUFFER } from "../platform/runtime.ts";
import { FAST_PATHS } from "../platform/fast_paths.ts";

// Node's Buffer#utf8Write/utf8Slice take no subarray and measured faster
// than encodeInto/TextDecoder there; NODE_BUFFER exists only on Node itself.
// Elsewhere (Deno, Bun, workerd, browsers) the standard codecs are used.
const nativeUtf8Write = NODE_BUFFER?.utf8Write;
const nativeUtf8Slice = NODE_BUFFER?.utf8Slice;
const concatShortStrings = FAST_PATHS.msgpackShortDecodeByConcat;

/** Strings up to this many UTF-16 units are encoded by a JS loop, longer ones natively. */
export const JS_ENCODE_MAX: number = FAST_PATHS.msgpackEncodeJsMax;

/** Up to this many bytes, ASCII strings are decoded in JS, longer ones natively. */
export const SHORT_STRING_MAX: number = FAST_PATHS.msgpackDecodeJsMax;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
const fromCharCode = String.fromCharCode;

/**
 * Writes `text` as UTF-8 into `target[offset, end)` with the runtime's native
 * encoder: as much as fits, never a partial character. With `text.length * 3`
 * bytes of room it always writes all of `text`.
 *
 * @returns The bytes written.
 */
export function writeUtf8Native(
  text: string,
  target: Uint8Array,
  offset: number,
  end: number = target.length,
): number {
  if (nativeUtf8Write !== undefined) {
    return nativeUtf8Write.call(target, text, offset, end - offset);
  }
  return textEncoder.encodeInto(
    text,
    offset === 0 && end === target.length ? target : target.subarray(offset, end),
  ).written;
}

/**
 * Decodes `src[start, end)` with the runtime's native decoder (invalid
 * sequences become U+FFFD, as `TextDecoder` does).
 *
 * @returns The decoded string.
 */
export function readUtf8Native(src: Uint8Array, start: number, end: number): string {
  if (nativeUtf8Slice !== undefined) return nativeUtf8Slice.call(src, start, end);
  return textDecoder.decode(src.subarray(start, end));
}

/** Per-length arrays for `fromCharCode.apply`: one per decoder, never shared. */
export type CharTables = number[][];

/** Creates the arrays {@linkcode readShortString} fills. */
export function createCharTables(): CharTables {
  const tables: number[][] = [];
  for (let length = 0; length <= 32; length++) {
    tables.push(new Array<number>(length).fill(0));
  }
  return tables;
}

/**
 * Decodes a short string (at most 32 bytes) in JS: short enough that the
 * native call's fixed cost dominates, even for non-ASCII.
 *
 * @returns The decoded string.
 */
export function readShortString(
  src: Uint8Array,
  start: number,
  end: number,
  tables: CharTables,
): string {
  if (concatShortStrings) {
    let result = "";
    for (let i = start; i < end; i++) {
      const byte = src[i];
      if (byte >= 0x80) return readUtf8Js(src, start, end);
      result += fromCharCode(byte);
    }
    return result;
  }
  const units = tables[end - start];
  for (let i = start; i < end; i++) {
    const byte = src[i];
    if (byte >= 0x80) return readUtf8Js(src, start, end);
    units[i - start] = byte;
  }
  return fromCharCode.apply(null, units);
}

/**
 * Decodes `src[start, end)` in JS; invalid sequences become one U+FFFD per
 * maximal subpart, exactly as `TextDecoder` does. Meant for short input.
 *
 * @returns The decoded string.
 */
export function readUtf8Js(src: Uint8Array, start: number, end: number): string {
  let result = "";
  let pos = start;
  while (pos < end) {
    const b1 = src[pos++];
    let unit = 0xfffd;
    if (b1 < 0x80) {
      unit = b1;
    } else if (b1 >= 0xc2 && b1 < 0xe0) {
      if (pos < end && (src[pos] & 0xc0) === 0x80) {
        unit = ((b1 & 0x1f) << 6) | (src[pos++] & 0x3f);
      }
    } else if (b1 >= 0xe0 && b1 < 0xf0) {
      const lo = b1 === 0xe0 ? 0xa0 : 0x80;
      const hi = b1 === 0xed ? 0x9f : 0xbf;
      if (pos < end && src[pos] >= lo && src[pos] <= hi) {
        const b2 = src[pos++];
        if (pos < end && (src[pos] & 0xc0) === 0x80) {
          unit = ((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (src[pos++] & 0x3f);
        }
      }
    } else if (b1 >= 0xf0 && b1 < 0xf5) {
      const lo = b1 === 0xf0 ? 0x90 : 0x80;
      const hi = b1 === 0xf4 ? 0x8f : 0xbf;
      if (pos < end && src[pos] >= lo && src[pos] <= hi) {
        const b2 = src[pos++];
        if (pos < end && (src[pos] & 0xc0) === 0x80) {
          const b3 = src[pos++];
          if (pos < end && (src[pos] & 0xc0) === 0x80) {
            const cp = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) |
              (src[pos++] & 0x3f);
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
