/**
 * Base64 decoding with the TC39 proposal's semantics (`Uint8Array.fromBase64`
 * and `Uint8Array.prototype.setFromBase64`), to owned (slab-carved),
 * caller-provided or pooled memory.
 *
 * @module
 */
import { PooledBytes, SlabAllocator } from "../pool/mod.ts";
import { poolOf, type PoolOptions } from "../pool/pool_options.ts";
import { slabOf, type SlabOptions } from "../pool/slab_options.ts";
import { decodeBase64Js } from "./_base64_js.ts";
import { CODECS, type Codecs, DECODE_OPTIONS } from "./_codecs.ts";
import { NON_LATIN1 } from "./_latin1.ts";
import { releaseScratch, takeScratch } from "./_scratch.ts";
import { checkAttached, checkBytes, checkString } from "./_checks.ts";
import {
  type Base64DecodeOptions,
  DEFAULT_FLAGS,
  LOOSE,
  modeOf,
  readDecodeOptions,
  STRICT,
  tablesOf,
  URL_ALPHABET,
} from "./base64_options.ts";

/** What {@link decodeBase64Into} consumed and produced. */
export interface Base64DecodeResult {
  /** Characters of the input consumed (up to the end of the last chunk decoded). */
  read: number;
  /** Bytes written into the destination. */
  written: number;
}

const WHAT = "decode base64";
/**
 * The JS core's bound for one-shot decoding: no bound. The FromBase64 of
 * `fromBase64` never stops early, and what it writes (complete chunks of
 * alphabet chars, all before trailing whitespace and padding) never exceeds
 * `decodedLengthBound`, the room callers make.
 */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;
const EQUALS = 0x3d;

/**
 * Decodes a base64 string, exactly like `Uint8Array.fromBase64`: ASCII
 * whitespace is skipped, anything else outside the alphabet is an error.
 *
 * The result is carved from `slab` (see {@link SlabAllocator} for what a
 * shared chunk means for `result.buffer`), except where the runtime's own
 * decoder measured faster with a buffer of its own (Bun); pass `null` for a
 * result that always has an `ArrayBuffer` of its own, exactly its length.
 *
 * @param text The base64 string.
 * @param options `alphabet` and `lastChunkHandling` (`"loose"` default,
 *   `"strict"`, or `"stop-before-partial"`), read in that order as the
 *   built-in does; then `slab`: where the result is carved from (default
 *   {@link SlabAllocator.shared}), `null` for an own `ArrayBuffer`.
 * @returns The decoded bytes, which the caller owns.
 * @throws {TypeError} If `text` is not a string or an option is invalid
 *   (checked in that order, as the built-in does).
 * @throws {SyntaxError} If `text` is not valid base64 for the options; the
 *   message names the problem and its index.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBase64 } from "@catga/memory/encoding";
 *
 * assert.deepEqual(decodeBase64("aGVs bG8="), new Uint8Array([104, 101, 108, 108, 111]));
 * const own = decodeBase64("AQID", { slab: null });
 * assert.equal(own.buffer.byteLength, 3);
 * ```
 */
export function decodeBase64(
  text: string,
  options?: Base64DecodeOptions & SlabOptions,
): Uint8Array {
  return decodeBase64With(CODECS, text, options, undefined);
}

/**
 * {@linkcode decodeBase64} through a given codec set (tests and benches build
 * any). A defined `slabOverride` is used instead of reading `options.slab`
 * (test262 shims: the built-in reads no such option).
 */
export function decodeBase64With(
  c: Codecs,
  text: string,
  options: (Base64DecodeOptions & SlabOptions) | undefined,
  slabOverride: SlabAllocator | null | undefined,
): Uint8Array {
  checkString(text, WHAT);
  let flags = DEFAULT_FLAGS;
  let slab = slabOverride === undefined ? SlabAllocator.shared : slabOverride;
  if (options !== undefined) {
    flags = readDecodeOptions(options);
    if (slabOverride === undefined) slab = slabOf(options, WHAT);
  }
  if (text.length > c.decodeJsMax) {
    // undefined: invalid, or not provably valid; the JS core decides alone.
    let bytes: Uint8Array | undefined;
    if (c.decoder === "buffer") {
      const size = decodedLengthBound(text);
      if (nodeDecodable(text, size, flags)) bytes = nodeDecodeOwned(c, text, size, slab);
      else if (c.builtinFallback) bytes = builtinDecode(c, text, flags, slab);
    } else bytes = builtinDecode(c, text, flags, slab);
    if (bytes !== undefined) return bytes;
  }
  return decodeJs(c, text, flags, slab);
}

/** The JS core into an owned result. */
function decodeJs(
  c: Codecs,
  text: string,
  flags: number,
  slab: SlabAllocator | null,
): Uint8Array {
  const bound = decodedLengthBound(text);
  const tables = tablesOf(flags);
  const mode = modeOf(flags);
  if (slab !== null && bound <= slab.maxSlabLength) {
    const chunk = slab.reserve(bound);
    return slab.commit(
      decodeBase64Js(text, chunk, slab.offset, UNBOUNDED, tables, mode, undefined, c.latin1Write),
    );
  }
  const out = new Uint8Array(bound);
  const written = decodeBase64Js(text, out, 0, UNBOUNDED, tables, mode, undefined, c.latin1Write);
  return written === bound ? out : out.slice(0, written);
}

/**
 * The TC39 built-in. A SyntaxError gives `undefined`, and only the JS core
 * runs after it, to report the error with its index. Into the slab it runs
 * as `setFromBase64` with exactly the room the output can need; a `read`
 * short of the end (a partial last chunk under stop-before-partial, or text
 * past a full destination) also goes to the JS core, which decides alone.
 */
function builtinDecode(
  c: Codecs,
  text: string,
  flags: number,
  slab: SlabAllocator | null,
): Uint8Array | undefined {
  const options = DECODE_OPTIONS[flags];
  try {
    if (slab === null || !c.nativeDecodeToSlab) {
      return c.natives.fromBase64!.call(Uint8Array, text, options);
    }
    const bound = decodedLengthBound(text);
    if (bound > slab.maxSlabLength) {
      return c.natives.fromBase64!.call(Uint8Array, text, options);
    }
    const chunk = slab.reserve(bound);
    const start = slab.offset;
    const { read, written } = c.natives.setFromBase64!.call(
      chunk.subarray(start, start + bound),
      text,
      options,
    );
    return read === text.length ? slab.commit(written) : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * Node's Buffer decoder into an owned result, for text that passed
 * {@link nodeDecodable}; undefined when the count disproves it.
 */
function nodeDecodeOwned(
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

/** The proposal's ASCII whitespace: tab, LF, FF, CR, space. */
function isWhitespaceAt(text: string, index: number): boolean {
  const c = text.charCodeAt(index);
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/**
 * An upper bound on the decoded length that is exact for canonical input:
 * data chars all lie before trailing whitespace and padding.
 */
function decodedLengthBound(text: string): number {
  let k = text.length;
  let padding = 0;
  while (k > 0) {
    if (text.charCodeAt(k - 1) === EQUALS && padding < 2) padding++;
    else if (!isWhitespaceAt(text, k - 1)) break;
    k--;
  }
  return Math.floor((k * 3) / 4);
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
function nodeDecodable(text: string, size: number, flags: number): boolean {
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
function canonicalTail(text: string, size: number, flags: number): boolean {
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
function allocateForDecode(c: Codecs, size: number): Uint8Array {
  const statics = c.natives.bufferStatics;
  if (size >= 4096 && statics !== undefined) {
    const buffer = statics.allocUnsafeSlow(size).buffer;
    if (buffer.byteLength === size) return new Uint8Array(buffer, 0, size);
  }
  return new Uint8Array(size);
}

/**
 * Decodes a base64 string into `dest`, exactly like
 * `Uint8Array.prototype.setFromBase64`: it stops when `dest` is full, never
 * writes a partial chunk, and on invalid input throws after writing the
 * complete chunks before the error.
 *
 * @param text The base64 string.
 * @param dest Where to write, from index 0.
 * @param options `alphabet` and `lastChunkHandling`.
 * @returns `{ read, written }`: chars consumed and bytes written.
 * @throws {TypeError} If `dest` is not a Uint8Array, `text` not a string, an
 *   option is invalid (checked in that order, as the built-in does), or
 *   `dest`'s buffer is detached (also by an option getter).
 * @throws {SyntaxError} If `text` is invalid before `dest` fills.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBase64Into } from "@catga/memory/encoding";
 *
 * const dest = new Uint8Array(4);
 * assert.deepEqual(decodeBase64Into("aGVsbG8=", dest), { read: 4, written: 3 });
 * assert.deepEqual([...dest], [104, 101, 108, 0]);
 * ```
 */
export function decodeBase64Into(
  text: string,
  dest: Uint8Array,
  options?: Base64DecodeOptions,
): Base64DecodeResult {
  return decodeBase64IntoWith(CODECS, text, dest, options);
}

/** {@linkcode decodeBase64Into} through a given codec set (tests and benches build any). */
export function decodeBase64IntoWith(
  c: Codecs,
  text: string,
  dest: Uint8Array,
  options: Base64DecodeOptions | undefined,
): Base64DecodeResult {
  let flags = DEFAULT_FLAGS;
  if (options === undefined && c.intoNativeFirst) {
    // The built-in checks the arguments; after a SyntaxError only the JS core runs.
    const result = builtinDecodeInto(c, text, dest, flags);
    if (result !== undefined) return result;
  } else {
    checkBytes(dest, WHAT, "dest");
    checkString(text, WHAT);
    if (options !== undefined) flags = readDecodeOptions(options);
    checkAttached(dest, WHAT, "dest");
    if (text.length > c.decodeIntoJsMax) {
      const result = c.intoDecoder === "builtin"
        ? builtinDecodeInto(c, text, dest, flags)
        : nodeDecodeInto(c, text, dest, flags);
      if (result !== undefined) return result;
    }
  }
  const result: Base64DecodeResult = { read: 0, written: 0 };
  decodeBase64Js(
    text,
    dest,
    0,
    dest.length,
    tablesOf(flags),
    modeOf(flags),
    result,
    c.latin1Write,
  );
  return result;
}

/**
 * The TC39 built-in, with its `read` corrected to the spec's where V8 and
 * JSC differ; `undefined` after a SyntaxError (the JS core then rewrites the
 * same prefix and reports the index).
 */
function builtinDecodeInto(
  c: Codecs,
  text: string,
  dest: Uint8Array,
  flags: number,
): Base64DecodeResult | undefined {
  let result: Base64DecodeResult;
  try {
    result = c.natives.setFromBase64!.call(dest, text, DECODE_OPTIONS[flags]);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    // The built-in rejected an argument; say so in the library's words.
    checkBytes(dest, WHAT, "dest");
    checkString(text, WHAT);
    checkAttached(dest, WHAT, "dest");
    throw error;
  }
  const { read, written } = result;
  const length = text.length;
  if (written === dest.length) {
    // A last full chunk filled `dest`: the spec stops right after it, but V8
    // and JSC also consume the whitespace that follows.
    if (
      written % 3 === 0 && written !== 0 && read === length && isWhitespaceAt(text, read - 1)
    ) {
      let end = read - 1;
      while (isWhitespaceAt(text, end - 1)) end--;
      if (text.charCodeAt(end - 1) !== EQUALS) result.read = end;
    }
  } else if (read < length && onlyWhitespaceFrom(text, read)) {
    // Room left and nothing but whitespace after the last chunk: the spec
    // reads to the end; Deno's and Bun's built-ins stop after the chunk.
    result.read = length;
  }
  return result;
}

function onlyWhitespaceFrom(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) if (!isWhitespaceAt(text, i)) return false;
  return true;
}

/**
 * Node fast path: decode into scratch, verify, then copy, so that `dest`
 * never sees bytes the proposal would not write.
 */
function nodeDecodeInto(
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

/**
 * Decodes a base64 string into memory rented from a pool.
 *
 * @param text The base64 string.
 * @param options `alphabet` and `lastChunkHandling`, then `pool`: the pool
 *   to rent from (default {@link MemoryPool.shared}).
 * @returns The decoded bytes; dispose them to give the memory back.
 * @throws {TypeError} If `text` is not a string or an option is invalid.
 * @throws {SyntaxError} If `text` is not valid base64 (nothing stays rented).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBase64Pooled } from "@catga/memory/encoding";
 *
 * using decoded = decodeBase64Pooled("AQID");
 * assert.deepEqual(decoded.bytes, new Uint8Array([1, 2, 3]));
 * ```
 */
export function decodeBase64Pooled(
  text: string,
  options?: Base64DecodeOptions & PoolOptions,
): PooledBytes {
  return decodeBase64PooledWith(CODECS, text, options);
}

/** {@linkcode decodeBase64Pooled} through a given codec set (tests and benches build any). */
export function decodeBase64PooledWith(
  c: Codecs,
  text: string,
  options: (Base64DecodeOptions & PoolOptions) | undefined,
): PooledBytes {
  checkString(text, WHAT);
  const flags = options === undefined ? DEFAULT_FLAGS : readDecodeOptions(options);
  const pool = poolOf(options, WHAT);
  const bound = decodedLengthBound(text);
  const buffer = pool.rent(bound);
  try {
    if (text.length > c.decodeJsMax) {
      const written = c.decoder === "builtin"
        ? builtinDecodeFull(c, text, buffer, flags)
        : nodeDecodable(text, bound, flags)
        ? (c.natives.buffer!.base64Write.call(buffer, text, 0, bound) === bound ? bound : -1)
        : c.builtinFallback
        ? builtinDecodeFull(c, text, buffer, flags)
        : -1;
      if (written >= 0) return new PooledBytes(pool, buffer.subarray(0, written));
    }
    const written = decodeBase64Js(
      text,
      buffer,
      0,
      UNBOUNDED,
      tablesOf(flags),
      modeOf(flags),
      undefined,
      c.latin1Write,
    );
    return new PooledBytes(pool, buffer.subarray(0, written));
  } catch (error) {
    pool.return(buffer);
    throw error;
  }
}

/**
 * `setFromBase64` into room for the whole output: the bytes written when it
 * read everything (then it equals `fromBase64`), else -1 for the JS core.
 */
function builtinDecodeFull(c: Codecs, text: string, buffer: Uint8Array, flags: number): number {
  try {
    const { read, written } = c.natives.setFromBase64!.call(buffer, text, DECODE_OPTIONS[flags]);
    return read === text.length ? written : -1;
  } catch (error) {
    if (error instanceof SyntaxError) return -1;
    throw error;
  }
}
