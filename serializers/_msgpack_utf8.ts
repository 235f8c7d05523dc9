/**
 * UTF-8 glue for MessagePack strings: the crossovers between the UTF-8
 * core's JS and native paths (encoding/_utf8_core.ts), read from
 * platform/fast_paths.ts. Internal to the
 * serializers.
 *
 * @module
 */
import { FAST_PATHS } from "../platform/fast_paths.ts";
import { decodeUtf8Native } from "../encoding/utf8_primitives.ts";

/** Whether native decoding may use Node's Buffer (measured faster on Node). */
const NATIVE_NODE_BUFFER: boolean = FAST_PATHS.utf8DecodeNodeBuffer;

/** Strings up to this many UTF-16 units are encoded by the JS loop, longer ones natively. */
export const JS_ENCODE_MAX: number = FAST_PATHS.utf8EncodeWithRoomJsMax;

/** Up to this many bytes, ASCII strings are decoded in JS, longer ones natively. */
export const SHORT_STRING_MAX: number = FAST_PATHS.msgpackDecodeJsMax;

/**
 * Decodes `src[start, end)` with the runtime's native decoder (invalid
 * sequences become U+FFFD, as `TextDecoder` does; a BOM is kept).
 *
 * @returns The decoded string.
 */
export function readUtf8Native(src: Uint8Array, start: number, end: number): string {
  return decodeUtf8Native(src, start, end, NATIVE_NODE_BUFFER);
}
