/**
 * Hex encoding and decoding with the TC39 proposal's `toHex`/`fromHex`
 * semantics: lowercase output; input of even length in either case, nothing
 * else (no whitespace).
 *
 * @module
 */
import { quote } from "./_base64_js.ts";
import { NATIVE_FROM_HEX, NATIVE_TO_HEX } from "../platform/natives.ts";
import { NODE_BUFFER } from "../platform/runtime.ts";
import { NON_LATIN1 } from "./_latin1.ts";
import { nativeBase64Allowed } from "./base64_implementation.ts";
import { checkBytes, checkString } from "./base64_options.ts";

const NODE_HEX = NODE_BUFFER;

const DIGITS = "0123456789abcdef";
/** Byte to its two lowercase hex chars packed little-endian. */
const HEX_PAIRS = new Uint16Array(256);
/** Byte to its two-char string, for short outputs. */
const HEX_STRINGS: string[] = [];
for (let i = 0; i < 256; i++) {
  HEX_PAIRS[i] = DIGITS.charCodeAt(i >>> 4) |
    (DIGITS.charCodeAt(i & 15) << 8);
  HEX_STRINGS.push(DIGITS[i >>> 4] + DIGITS[i & 15]);
}
/** Char code to nibble, or -1 (only codes below 128 are looked up). */
const NIBBLES = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLES[DIGITS.charCodeAt(i)] = i;
  NIBBLES[DIGITS.toUpperCase().charCodeAt(i)] = i;
}
const asciiDecoder = new TextDecoder();

/**
 * Encodes bytes as lowercase hex, like `Uint8Array.prototype.toHex`.
 *
 * @param bytes The bytes to encode.
 * @returns Two lowercase hex digits per byte.
 * @throws {TypeError} If `bytes` is not a Uint8Array.
 * @example
 * ```ts
 * import { encodeHex } from "@catga/memory/encoding";
 *
 * console.log(encodeHex(new Uint8Array([0, 171, 255]))); // "00abff"
 * ```
 */
export function encodeHex(bytes: Uint8Array): string {
  checkBytes(bytes, "encode hex", "bytes");
  const length = bytes.length;
  if (nativeBase64Allowed) {
    if (NATIVE_TO_HEX !== undefined) return NATIVE_TO_HEX.call(bytes);
    if (NODE_HEX !== undefined) return NODE_HEX.hexSlice.call(bytes, 0, length);
  }
  if (length <= 64) {
    let text = "";
    for (let i = 0; i < length; i++) text += HEX_STRINGS[bytes[i]];
    return text;
  }
  const pairs = new Uint16Array(length);
  for (let i = 0; i < length; i++) pairs[i] = HEX_PAIRS[bytes[i]];
  // The pairs are little-endian ASCII; on big-endian hosts swap on read.
  const ascii = new Uint8Array(pairs.buffer);
  if (ascii[0] !== DIGITS.charCodeAt(bytes[0] >>> 4)) {
    for (let i = 0; i < ascii.length; i += 2) {
      const t = ascii[i];
      ascii[i] = ascii[i + 1];
      ascii[i + 1] = t;
    }
  }
  return asciiDecoder.decode(ascii);
}

/**
 * Decodes hex (either case) to bytes, like `Uint8Array.fromHex`.
 *
 * @param text An even number of hex digits.
 * @returns The bytes; their buffer is exactly their length.
 * @throws {TypeError} If `text` is not a string.
 * @throws {SyntaxError} On odd length or a non-hex character (the message names its index).
 * @example
 * ```ts
 * import { decodeHex } from "@catga/memory/encoding";
 *
 * console.log(decodeHex("00abFF")); // Uint8Array(3) [ 0, 171, 255 ]
 * ```
 */
export function decodeHex(text: string): Uint8Array {
  checkString(text, "decode hex");
  const length = text.length;
  if (length % 2 !== 0) {
    throw new SyntaxError(
      `Cannot decode hex: odd length ${length} (hex needs two digits per byte)`,
    );
  }
  const size = length >>> 1;
  if (nativeBase64Allowed) {
    if (NATIVE_FROM_HEX !== undefined) {
      try {
        return NATIVE_FROM_HEX.call(Uint8Array, text);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        // The JS loop below throws with the index.
      }
    } else if (
      NODE_HEX !== undefined && !NON_LATIN1.test(text)
    ) {
      // Buffer stops at the first invalid pair, so a full write proves
      // validity; but it truncates chars above 0xff, hence the Latin-1 check.
      const out = new Uint8Array(size);
      if (NODE_HEX.hexWrite.call(out, text, 0, size) === size) return out;
    }
  }
  const out = new Uint8Array(size);
  for (let i = 0, j = 0; j < size; i += 2, j++) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const high = a < 128 ? NIBBLES[a] : -1;
    const low = b < 128 ? NIBBLES[b] : -1;
    if ((high | low) < 0) {
      const at = high < 0 ? i : i + 1;
      throw new SyntaxError(
        `Cannot decode hex: invalid character ${quote(text, at)} at index ${at}`,
      );
    }
    out[j] = (high << 4) | low;
  }
  return out;
}
