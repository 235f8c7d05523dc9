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
import { CODECS, type Codecs } from "./_codecs.ts";
import {
  atobDecode,
  atobDecodeInto,
  builtinDecode,
  builtinDecodeFull,
  builtinDecodeInto,
} from "./_backend_builtin.ts";
import { nodeDecodable, nodeDecodeInto, nodeDecodeOwned } from "./_backend_buffer.ts";
import { decodedLengthBound } from "./_base64_text.ts";
import { checkAttached, checkBytes, checkString, isUint8ArrayFast } from "./_checks.ts";
import {
  type Base64DecodeOptions,
  type Base64DecodeResult,
  DEFAULT_FLAGS,
  modeOf,
  readDecodeOptions,
  tablesOf,
} from "./base64_options.ts";

export type { Base64DecodeResult };

const WHAT = "decode base64";
/** The default-option `decodeBase64Into` route up to the row's `decodeIntoAtobMax` chars. */
const ATOB_INTO_MAX = CODECS.decodeIntoAtobMax;
const ATOB = CODECS.atob;
const LATIN1_WRITE = CODECS.natives.buffer?.latin1Write;
/** `setFromBase64` where {@linkcode CODECS} takes it first for default options, else `undefined`. */
const SET_FROM_BASE64_FIRST = CODECS.intoNativeFirst ? CODECS.natives.setFromBase64 : undefined;
/**
 * The JS core's bound for one-shot decoding: no bound. The FromBase64 of
 * `fromBase64` never stops early, and what it writes (complete chunks of
 * alphabet chars, all before trailing whitespace and padding) never exceeds
 * `decodedLengthBound`, the room callers make.
 */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

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
  if (flags === DEFAULT_FLAGS && text.length <= c.decodeAtobMax) {
    const bytes = atobDecode(c, text, slab);
    if (bytes !== undefined) return bytes;
  } else if (text.length > c.decodeJsMax) {
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
  // A declared `options`, not `arguments[2]`: reading `arguments` past its
  // length saved 3-10 ns on V8 but cost JavaScriptCore a materialized
  // arguments object, 2x the time of a 1 KiB decode on Bun
  // (bench/seam_direct.bench.ts base64, 2026-12-05).
  if (
    options === undefined && typeof text === "string" && text.length <= ATOB_INTO_MAX &&
    isUint8ArrayFast(dest)
  ) {
    // decodeBase64IntoWith's fast path, its natives from this module's constants (a length
    // within decodeIntoAtobMax, which is -1 without them, proves both exist).
    const result = atobDecodeInto(ATOB!, LATIN1_WRITE!, text, dest);
    if (result !== undefined) return result;
  }
  if (options === undefined && SET_FROM_BASE64_FIRST !== undefined) {
    // decodeIntoRoutes' built-in first, from this module's constant: one call layer less
    // and a call target V8 knows (bench/seam_direct.bench.ts base64, before/after).
    return builtinDecodeInto(SET_FROM_BASE64_FIRST, text, dest, DEFAULT_FLAGS) ??
      decodeIntoJs(CODECS, text, dest, DEFAULT_FLAGS);
  }
  return decodeIntoRoutes(CODECS, text, dest, options);
}

/** {@linkcode decodeBase64Into} through a given codec set (tests and benches build any). */
export function decodeBase64IntoWith(
  c: Codecs,
  text: string,
  dest: Uint8Array,
  options: Base64DecodeOptions | undefined,
): Base64DecodeResult {
  if (
    options === undefined && typeof text === "string" && text.length <= c.decodeIntoAtobMax &&
    isUint8ArrayFast(dest)
  ) {
    // Default options and arguments the fast accept proves, text short enough
    // for atob to win: no other check (a detached `dest` has no room, and
    // atobDecodeInto declines it). Otherwise another route decides.
    const result = atobDecodeInto(c.atob!, c.natives.buffer!.latin1Write, text, dest);
    if (result !== undefined) return result;
  }
  return decodeIntoRoutes(c, text, dest, options);
}

/** The routes of {@linkcode decodeBase64IntoWith} after its atob fast path. */
function decodeIntoRoutes(
  c: Codecs,
  text: string,
  dest: Uint8Array,
  options: Base64DecodeOptions | undefined,
): Base64DecodeResult {
  if (options === undefined && c.intoNativeFirst) {
    // The built-in checks the arguments; after a SyntaxError only the JS core runs.
    return builtinDecodeInto(c.natives.setFromBase64!, text, dest, DEFAULT_FLAGS) ??
      decodeIntoJs(c, text, dest, DEFAULT_FLAGS);
  }
  checkBytes(dest, WHAT, "dest");
  checkString(text, WHAT);
  const flags = options === undefined ? DEFAULT_FLAGS : readDecodeOptions(options);
  checkAttached(dest, WHAT, "dest");
  if (options !== undefined && flags === DEFAULT_FLAGS && text.length <= c.decodeIntoAtobMax) {
    const result = atobDecodeInto(c.atob!, c.natives.buffer!.latin1Write, text, dest);
    if (result !== undefined) return result;
  }
  if (text.length > c.decodeIntoJsMax) {
    const result = c.intoDecoder === "builtin"
      ? builtinDecodeInto(c.natives.setFromBase64!, text, dest, flags)
      : nodeDecodeInto(c, text, dest, flags);
    if (result !== undefined) return result;
  }
  return decodeIntoJs(c, text, dest, flags);
}

/** `decodeBase64Into` by the JS core alone, which names the index of an error. */
function decodeIntoJs(
  c: Codecs,
  text: string,
  dest: Uint8Array,
  flags: number,
): Base64DecodeResult {
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
      if (written >= 0) return new PooledBytes(pool, buffer, written);
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
    return new PooledBytes(pool, buffer, written);
  } catch (error) {
    pool.return(buffer);
    throw error;
  }
}
