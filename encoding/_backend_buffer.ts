/**
 * The Node `Buffer` backend for base64 (`base64Slice`, `base64Write`,
 * through a codec set's natives), with the checks that make Buffer's lenient
 * decoder strict: one primitive per direction and destination. A decoder
 * returns `undefined` when it cannot prove the input valid, and the caller
 * goes to another backend. Internal.
 *
 * @module
 */
import type { SlabAllocator } from "../pool/mod.ts";
import type { Codecs } from "./_codecs.ts";
import type { NodeBufferMethods } from "../platform/runtime.ts";
import { decodedLengthBound, EQUALS, isWhitespaceAt } from "./_base64_text.ts";
import { NON_LATIN1 } from "./_latin1.ts";
import { releaseScratch, takeScratch } from "./_scratch.ts";
import {
  type Base64DecodeResult,
  LOOSE,
  modeOf,
  padsOutput,
  STRICT,
  tablesOf,
  URL_ALPHABET,
} from "./base64_options.ts";

/**
 * Node's Buffer decoder into an owned result, for text that passed
 * {@link nodeDecodable}; undefined when the count disproves it.
 */
export function nodeDecodeOwned(
  c: Codecs,
  text: string,
  size: number,
  slab: SlabAllocator | null,
): Uint8Array | undefined {
  const buffer = c.natives.buffer!;
  if (slab !== null && size <= slab.maxSlabLength) {
    const chunk = slab.reserve(size);
    const start = slab.offset;
    if (buffer.base64Write.call(chunk, text, start, size) !== size) return undefined;
    return slab.commit(size);
  }
  const out = allocateForDecode(c, size);
  return buffer.base64Write.call(out, text, 0, size) === size ? out : undefined;
}

/**
 * Node 24 has no native strict decoder, and Buffer's is lenient: it skips
 * whitespace and garbage, accepts both alphabets, and keeps only the low byte
 * of chars above 0xff. So the input is vetted first (no char above 0xff, no
 * char of the other alphabet: both checks run at memchr speed) and the
 * output counted after: Buffer skips every other char (and stops at a '='),
 * which shortens the output below the length the raw text implies, so a
 * full count (`base64Write(...) === size`) proves that every char before
 * the padding was in the alphabet. Returns false when the JS core must
 * decide.
 */
export function nodeDecodable(text: string, size: number, flags: number): boolean {
  const length = text.length;
  const url = (flags & URL_ALPHABET) !== 0;
  const mode = modeOf(flags);
  if (length % 4 !== 0 && (mode !== LOOSE || !url)) return false;
  // A length of 4n+1 is never valid, and would let one skipped char hide.
  if (length % 4 === 1) return false;
  // The count proof needs `size` to follow from the raw length: that rules
  // out trailing whitespace and stray padding, which the JS core handles.
  const rawPad = text.charCodeAt(length - 1) !== EQUALS
    ? 0
    : text.charCodeAt(length - 2) === EQUALS
    ? 2
    : 1;
  const expected = length % 4 === 0 ? (length / 4) * 3 - rawPad : Math.floor((length * 3) / 4);
  if (size !== expected || (length % 4 !== 0 && rawPad !== 0)) return false;
  if (mode !== LOOSE && !canonicalTail(text, size, flags)) return false;
  if (NON_LATIN1.test(text)) return false;
  return url
    ? text.indexOf("+") === -1 && text.indexOf("/") === -1
    : text.indexOf("-") === -1 && text.indexOf("_") === -1;
}

/**
 * Strict and stop-before-partial differ from loose only in the last chunk:
 * take the fast path only when it ends in canonical padding (and, strict,
 * zero padding bits), checked on the raw text before anything is written.
 */
export function canonicalTail(text: string, size: number, flags: number): boolean {
  const length = text.length;
  const rest = size % 3;
  const pad = rest === 0 ? 0 : 3 - rest;
  for (let k = 1; k <= 3; k++) {
    const isPad = text.charCodeAt(length - k) === EQUALS;
    if (isPad !== (k <= pad)) return false;
  }
  if (modeOf(flags) !== STRICT || rest === 0) return true;
  const last = text.charCodeAt(length - pad - 1);
  const value = last < 256 ? tablesOf(flags).d3[last] : -1;
  return value >= 0 && (value & (rest === 1 ? 0xf : 0x3)) === 0;
}

/**
 * An array of exactly `size` bytes; on Node without the zero-fill for big
 * sizes, because the decoder overwrites every byte.
 */
export function allocateForDecode(c: Codecs, size: number): Uint8Array {
  const statics = c.natives.bufferStatics;
  if (size >= 4096 && statics !== undefined) {
    const buffer = statics.allocUnsafeSlow(size).buffer;
    if (buffer.byteLength === size) return new Uint8Array(buffer, 0, size);
  }
  return new Uint8Array(size);
}

/**
 * Node fast path: decode into scratch, verify, then copy, so that `dest`
 * never sees bytes the proposal would not write.
 */
export function nodeDecodeInto(
  c: Codecs,
  text: string,
  dest: Uint8Array,
  flags: number,
): Base64DecodeResult | undefined {
  const size = decodedLengthBound(text);
  // A full destination stops `read` before trailing whitespace: leave it to JS.
  if (size >= dest.length) {
    if (size > dest.length || isWhitespaceAt(text, text.length - 1)) return undefined;
  }
  if (!nodeDecodable(text, size, flags)) return undefined;
  const scratch = takeScratch(size);
  try {
    if (c.natives.buffer!.base64Write.call(scratch, text, 0, size) !== size) return undefined;
    dest.set(size === scratch.length ? scratch : scratch.subarray(0, size));
  } finally {
    releaseScratch(scratch);
  }
  return { read: text.length, written: size };
}

/** Node's Buffer encoders, with padding fixed up to the proposal's rules. */
export function nodeEncode(buffer: NodeBufferMethods, bytes: Uint8Array, flags: number): string {
  const length = bytes.length;
  const pad = padsOutput(flags);
  if ((flags & URL_ALPHABET) === 0) {
    const text = buffer.base64Slice.call(bytes, 0, length);
    if (pad || length % 3 === 0) return text;
    return text.slice(0, text.length - (length % 3 === 1 ? 2 : 1));
  }
  // Buffer's base64url never pads.
  const text = buffer.base64urlSlice.call(bytes, 0, length);
  const rest = length % 3;
  if (!pad || rest === 0) return text;
  return text + (rest === 1 ? "==" : "=");
}
