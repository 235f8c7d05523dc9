/**
 * UTF-8 helpers tuned for MessagePack strings: a JS path for short strings,
 * the runtime's native codec for long ones. Internal to the serializers.
 *
 * @module
 */

interface NodeStyleBuffer {
  prototype: {
    utf8Write(this: Uint8Array, text: string, offset: number, length: number): number;
    utf8Slice(this: Uint8Array, start: number, end: number): string;
  };
}

// Node, Bun and Deno all have Buffer's utf8Slice/utf8Write, which take no
// subarray and beat TextDecoder/encodeInto on short and medium strings.
const nodeBuffer = (globalThis as { Buffer?: NodeStyleBuffer }).Buffer;
const nativeUtf8Write = nodeBuffer !== undefined &&
    typeof nodeBuffer.prototype.utf8Write === "function"
  ? nodeBuffer.prototype.utf8Write
  : undefined;
const nativeUtf8Slice = nodeBuffer !== undefined &&
    typeof nodeBuffer.prototype.utf8Slice === "function"
  ? nodeBuffer.prototype.utf8Slice
  : undefined;
/** JavaScriptCore builds short strings fastest by concatenation, V8 by `fromCharCode.apply`. */
const isJavaScriptCore = typeof (globalThis as { Bun?: unknown }).Bun === "object";

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno === "object";

/**
 * Strings up to this many UTF-16 units are encoded by a JS loop, longer ones
 * natively (measured crossover against the native call: ~32 units on Node,
 * ~48 on Deno, ~12-16 on Bun).
 */
export const JS_ENCODE_MAX: number = isJavaScriptCore ? 16 : isDeno ? 48 : 32;

/**
 * Up to this many bytes, ASCII strings are decoded in JS (measured crossover
 * against the native call: ~16 bytes on V8, ~12 on JavaScriptCore).
 */
export const SHORT_STRING_MAX: number = isJavaScriptCore ? 12 : 16;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
const fromCharCode = String.fromCharCode;

/**
 * Writes `text` as UTF-8 at `offset` with the runtime's native encoder.
 * The caller guarantees `text.length * 3` bytes of room.
 *
 * @returns The bytes written.
 */
export function writeUtf8Native(text: string, target: Uint8Array, offset: number): number {
  if (nativeUtf8Write !== undefined) {
    return nativeUtf8Write.call(target, text, offset, target.length - offset);
  }
  return textEncoder.encodeInto(text, target.subarray(offset)).written;
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
  if (isJavaScriptCore) {
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
