/**
 * The TC39 built-in backend for base64 decoding (`fromBase64`,
 * `setFromBase64`, through a codec set's natives): one primitive per
 * destination (an owned result, caller memory, a pooled buffer). Each
 * returns `undefined` (or -1) after a SyntaxError or an early stop, and the
 * JS core then decides alone, naming the index. Internal.
 *
 * @module
 */
import type { SlabAllocator } from "../pool/mod.ts";
import type { NativeAtob, NativeSetFromBase64 } from "../platform/natives.ts";
import type { NodeBufferMethods } from "../platform/runtime.ts";
import { type Codecs, DECODE_OPTIONS } from "./_codecs.ts";
import { decodedLengthBound, EQUALS, isWhitespaceAt, onlyWhitespaceFrom } from "./_base64_text.ts";
import { checkAttached, checkBytes, checkString } from "./_checks.ts";
import { allocateForDecode } from "./_backend_buffer.ts";
import type { Base64DecodeResult } from "./base64_options.ts";

const WHAT = "decode base64";

/**
 * The TC39 built-in. A SyntaxError gives `undefined`, and only the JS core
 * runs after it, to report the error with its index. Into the slab it runs
 * as `setFromBase64` with exactly the room the output can need; a `read`
 * short of the end (a partial last chunk under stop-before-partial, or text
 * past a full destination) also goes to the JS core, which decides alone.
 */
export function builtinDecode(
  c: Codecs,
  text: string,
  flags: number,
  slab: SlabAllocator | null,
): Uint8Array | undefined {
  try {
    if (slab !== null && c.nativeDecodeToSlab) {
      const bound = decodedLengthBound(text);
      if (bound <= slab.maxSlabLength) {
        const chunk = slab.reserve(bound);
        const start = slab.offset;
        const { read, written } = c.natives.setFromBase64!.call(
          chunk.subarray(start, start + bound),
          text,
          DECODE_OPTIONS[flags],
        );
        return read === text.length ? slab.commit(written) : undefined;
      }
    }
    // An own array. No options argument by default: JSC pays for an explicit `undefined`
    // (about 5%).
    const fromBase64 = c.natives.fromBase64!;
    return flags === 0
      ? fromBase64.call(Uint8Array, text)
      : fromBase64.call(Uint8Array, text, DECODE_OPTIONS[flags]);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * The TC39 built-in, with its `read` corrected to the spec's where V8 and
 * JSC differ; `undefined` after a SyntaxError (the JS core then rewrites the
 * same prefix and reports the index). `setFromBase64` is passed in, not read
 * from a codec set, so that a caller holding it in a module constant gives
 * V8 a known call target.
 */
export function builtinDecodeInto(
  setFromBase64: NativeSetFromBase64,
  text: string,
  dest: Uint8Array,
  flags: number,
): Base64DecodeResult | undefined {
  let result: Base64DecodeResult;
  try {
    // No options argument by default: JSC pays for an explicit `undefined` (about 5%).
    result = flags === 0
      ? setFromBase64.call(dest, text)
      : setFromBase64.call(dest, text, DECODE_OPTIONS[flags]);
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

/**
 * `setFromBase64` into room for the whole output: the bytes written when it
 * read everything (then it equals `fromBase64`), else -1 for the JS core.
 */
export function builtinDecodeFull(
  c: Codecs,
  text: string,
  buffer: Uint8Array,
  flags: number,
): number {
  try {
    const { read, written } = c.natives.setFromBase64!.call(buffer, text, DECODE_OPTIONS[flags]);
    return read === text.length ? written : -1;
  } catch (error) {
    if (error instanceof SyntaxError) return -1;
    throw error;
  }
}

/**
 * `atob` and one Latin-1 copy, for default options (loose, standard alphabet), which
 * forgiving-base64 matches exactly: the bytes into the slab (or an own array), or `undefined`
 * after any error (a DOMException here), and the JS core then reports the index.
 */
export function atobDecode(
  c: Codecs,
  text: string,
  slab: SlabAllocator | null,
): Uint8Array | undefined {
  const bytes = atobOrUndefined(c, text);
  if (bytes === undefined) return undefined;
  const length = bytes.length;
  const latin1Write = c.natives.buffer!.latin1Write;
  if (slab !== null && length <= slab.maxSlabLength) {
    const chunk = slab.reserve(length);
    latin1Write.call(chunk, bytes, slab.offset, length);
    return slab.commit(length);
  }
  const out = allocateForDecode(c, length);
  latin1Write.call(out, bytes, 0, length);
  return out;
}

/**
 * `atob` and one Latin-1 copy into caller memory, for default options: the result when the bytes
 * fit with room to spare (then the whole text is read, as `setFromBase64` reads it), else
 * `undefined` (also after any error), and another route decides. The natives are arguments, so
 * that `decodeBase64Into` can pass its module's constants: V8 then calls them directly (64 B,
 * our speed against "atob + write(latin1)": through the codec set 0.85x on Node 24 and 0.88x on
 * Node 26, 0.93x and 1.05x so; bench/seam_direct.bench.ts before/after, three processes).
 */
export function atobDecodeInto(
  atob: NativeAtob,
  latin1Write: NodeBufferMethods["latin1Write"],
  text: string,
  dest: Uint8Array,
): Base64DecodeResult | undefined {
  let bytes: string;
  try {
    bytes = atob(text);
  } catch {
    return undefined;
  }
  const length = bytes.length;
  if (length >= dest.length) return undefined;
  latin1Write.call(dest, bytes, 0, length);
  return { read: text.length, written: length };
}

/** `atob`'s Latin-1 string, or `undefined` after any error (a DOMException). */
function atobOrUndefined(c: Codecs, text: string): string | undefined {
  try {
    return c.atob!(text);
  } catch {
    return undefined;
  }
}
