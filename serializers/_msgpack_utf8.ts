/**
 * UTF-8 glue tuned for MessagePack strings: short ASCII strings are built
 * here, everything else goes to the one UTF-8 core (encoding/_utf8_core.ts);
 * the crossovers are rows of platform/fast_paths.ts. Internal to the
 * serializers.
 *
 * @module
 */
import { FAST_PATHS } from "../platform/fast_paths.ts";
import { decodeUtf8Js, decodeUtf8Native } from "../encoding/_utf8_core.ts";

/** Whether the native codecs of the UTF-8 core may use Node's Buffer (measured faster on Node). */
export const NATIVE_NODE_BUFFER: boolean = FAST_PATHS.utf8NativeNodeBuffer;
const concatShortStrings = FAST_PATHS.msgpackShortDecodeByConcat;

/** Strings up to this many UTF-16 units are encoded by the JS loop, longer ones natively. */
export const JS_ENCODE_MAX: number = FAST_PATHS.utf8EncodeWithRoomJsMax;

/** Up to this many bytes, ASCII strings are decoded in JS, longer ones natively. */
export const SHORT_STRING_MAX: number = FAST_PATHS.msgpackDecodeJsMax;
const fromCharCode = String.fromCharCode;

/**
 * Decodes `src[start, end)` with the runtime's native decoder (invalid
 * sequences become U+FFFD, as `TextDecoder` does; a BOM is kept).
 *
 * @returns The decoded string.
 */
export function readUtf8Native(src: Uint8Array, start: number, end: number): string {
  return decodeUtf8Native(src, start, end, NATIVE_NODE_BUFFER);
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
 * native call's fixed cost dominates. ASCII is built here; anything else
 * goes to the UTF-8 core's JS decoder.
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
      if (byte >= 0x80) return decodeUtf8Js(src, start, end);
      result += fromCharCode(byte);
    }
    return result;
  }
  const units = tables[end - start];
  for (let i = start; i < end; i++) {
    const byte = src[i];
    if (byte >= 0x80) return decodeUtf8Js(src, start, end);
    units[i - start] = byte;
  }
  return fromCharCode.apply(null, units);
}
