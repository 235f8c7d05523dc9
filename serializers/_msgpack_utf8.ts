/**
 * UTF-8 glue for MessagePack strings: the crossovers between the UTF-8
 * core's JS and native paths (encoding/_utf8_core.ts), read from
 * platform/fast_paths.ts. Internal to the
 * serializers.
 *
 * @module
 */
import { FAST_PATHS } from "../platform/fast_paths.ts";
import {
  decodeUtf8Fatal,
  decodeUtf8Native,
  findInvalidUtf8,
  SHORT_DECODE_MAX,
} from "../encoding/utf8_primitives.ts";

// The core's short-string decoder, for the decoder's uncached strings: one
// door into encoding/ for the MessagePack code.
export { type CharTables, createCharTables, decodeShortUtf8 } from "../encoding/utf8_primitives.ts";

/** Whether native decoding may use Node's Buffer (measured faster on Node). */
const NATIVE_NODE_BUFFER: boolean = FAST_PATHS.utf8DecodeNodeBuffer;

/** Strings up to this many UTF-16 units are encoded by the JS loop, longer ones natively. */
export const JS_ENCODE_MAX: number = FAST_PATHS.utf8EncodeWithRoomJsMax;

/** Up to this many bytes, ASCII strings are decoded in JS, longer ones natively. */
export const SHORT_STRING_MAX: number = FAST_PATHS.msgpackDecodeJsMax;

/**
 * Uncached str values (longer than the value cache's) up to this many bytes
 * are decoded in JS, longer ones natively; never above what the core's
 * short decoder takes.
 */
export const LONG_VALUE_JS_MAX: number = Math.min(
  FAST_PATHS.msgpackLongValueJsMax,
  SHORT_DECODE_MAX,
);

/**
 * Decodes `src[start, end)` with the runtime's native decoder (invalid
 * sequences become U+FFFD, as `TextDecoder` does; a BOM is kept).
 *
 * @returns The decoded string.
 */
export function readUtf8Native(src: Uint8Array, start: number, end: number): string {
  return decodeUtf8Native(src, start, end, NATIVE_NODE_BUFFER);
}

/**
 * Decodes `src[start, end)` natively and strictly (`fatal: true`).
 *
 * @returns The decoded string.
 * @throws {SyntaxError} Naming the first invalid byte and its offset in `src`.
 */
export function readUtf8Strict(src: Uint8Array, start: number, end: number): string {
  try {
    return decodeUtf8Fatal(src, start, end);
  } catch (error) {
    // The core names the byte, but as a TypeError: find it again (error path only).
    if (!(error instanceof TypeError)) throw error;
    const index = findInvalidUtf8(src, start, end);
    throw invalidUtf8InStr(src, index >= 0 ? index : start);
  }
}

/**
 * Throws when `src[start, end)` is not valid UTF-8 (the short strings of
 * `fatal: true`, checked before they are decoded and cached).
 *
 * @throws {SyntaxError} Naming the first invalid byte and its offset in `src`.
 */
export function checkUtf8(src: Uint8Array, start: number, end: number): void {
  const index = findInvalidUtf8(src, start, end);
  if (index >= 0) throw invalidUtf8InStr(src, index);
}

function invalidUtf8InStr(src: Uint8Array, index: number): SyntaxError {
  const byte = src[index].toString(16).padStart(2, "0");
  return new SyntaxError(
    `Cannot decode MessagePack: invalid UTF-8 byte 0x${byte} in a str at offset ${index}`,
  );
}
