/**
 * Streaming base64: Web TransformStreams that carry the 0-2 leftover bytes
 * (encoder) or the partial chunk (decoder) across chunk boundaries, so any
 * split of the input gives exactly the one-shot result.
 *
 * @module
 */
import { poolOf, type PoolOptions } from "../pool/pool_options.ts";
import { encodeBase64 } from "./base64_encode.ts";
import { decodeBase64, decodeBase64Into } from "./base64_decode.ts";
import { checkBytes, checkString } from "./_checks.ts";
import {
  alphabetOf,
  type Base64DecodeOptions,
  type Base64EncodeOptions,
  lastChunkHandlingOf,
  padsOutput,
  readDecodeOptions,
  readEncodeOptions,
} from "./base64_options.ts";

/**
 * A `TransformStream` from bytes to base64 text. Every chunk but the last is
 * a whole number of 4-char groups; the concatenation equals
 * `encodeBase64(allBytes, options)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Base64EncoderStream } from "@catga/memory/encoding";
 *
 * const text = await new Response(
 *   ReadableStream.from([new Uint8Array([104]), new Uint8Array([105])])
 *     .pipeThrough(new Base64EncoderStream())
 *     .pipeThrough(new TextEncoderStream()),
 * ).text();
 * assert.equal(text, "aGk=");
 * ```
 */
export class Base64EncoderStream extends TransformStream<Uint8Array, string> {
  /**
   * Creates an encoder stream.
   *
   * @param options `alphabet` and `omitPadding`, as for `encodeBase64`.
   * @throws {TypeError} If an option is invalid; a non-Uint8Array chunk
   *   errors the stream with a TypeError.
   */
  constructor(options?: Base64EncodeOptions) {
    const flags = readEncodeOptions(options);
    const groupOptions: Base64EncodeOptions = { alphabet: alphabetOf(flags) };
    const finalOptions: Base64EncodeOptions = {
      alphabet: groupOptions.alphabet,
      omitPadding: !padsOutput(flags),
    };
    const carry = new Uint8Array(3);
    let carried = 0;
    super({
      transform(chunk, controller) {
        checkBytes(chunk, "encode base64", "chunk");
        let start = 0;
        let head = "";
        if (carried !== 0) {
          while (carried < 3 && start < chunk.length) {
            carry[carried++] = chunk[start++];
          }
          if (carried < 3) return;
          head = encodeBase64(carry, groupOptions);
          carried = 0;
        }
        const whole = start + Math.floor((chunk.length - start) / 3) * 3;
        const body = whole > start ? encodeBase64(chunk.subarray(start, whole), groupOptions) : "";
        for (let i = whole; i < chunk.length; i++) carry[carried++] = chunk[i];
        const text = head + body;
        if (text.length !== 0) controller.enqueue(text);
      },
      flush(controller) {
        if (carried === 0) return;
        controller.enqueue(
          encodeBase64(carry.subarray(0, carried), finalOptions),
        );
      },
    });
  }
}

const EQUALS = 0x3d;

/**
 * A `TransformStream` from base64 text to bytes, with exactly the semantics
 * of `decodeBase64(allText, options)`: whitespace anywhere, padding and
 * `lastChunkHandling` as in the one-shot call. Invalid input errors the
 * stream with a SyntaxError that names the index in the whole input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Base64DecoderStream } from "@catga/memory/encoding";
 *
 * const bytes = await new Response(
 *   ReadableStream.from(["aG", "k="]).pipeThrough(new Base64DecoderStream()),
 * ).bytes();
 * assert.deepEqual([...bytes], [104, 105]);
 * ```
 */
export class Base64DecoderStream extends TransformStream<string, Uint8Array> {
  /**
   * Creates a decoder stream.
   *
   * @param options `alphabet` and `lastChunkHandling`, as for `decodeBase64`,
   *   then `pool`: the pool for scratch memory (default {@link MemoryPool.shared}).
   * @throws {TypeError} If an option is invalid; a non-string chunk errors the
   *   stream with a TypeError.
   */
  constructor(options?: Base64DecodeOptions & PoolOptions) {
    const flags = readDecodeOptions(options);
    const pool = poolOf(options, "decode base64");
    const finalOptions: Base64DecodeOptions = {
      alphabet: alphabetOf(flags),
      lastChunkHandling: lastChunkHandlingOf(flags),
    };
    const groupOptions: Base64DecodeOptions = {
      alphabet: finalOptions.alphabet,
      lastChunkHandling: "stop-before-partial",
    };
    // Chars not decoded yet, and how many chars came before them.
    let pending = "";
    let base = 0;
    // Once padding is seen, the rest is decoded at the end, all at once.
    let padded = false;
    super({
      transform(chunk, controller) {
        checkString(chunk, "decode base64");
        const text = pending + chunk;
        if (padded || hasPadding(chunk)) {
          padded = true;
          pending = text;
          return;
        }
        // Whitespace alone cannot complete a group: keep it without decoding,
        // so that many small whitespace chunks after a partial group cost
        // linear time, not a re-scan of everything pending per chunk. A chunk
        // with data either completes a group (dropping what precedes it) or
        // adds to a partial group of at most three chars, so each pending
        // char is scanned at most four times.
        if (isWhitespaceOnly(chunk)) {
          pending = text;
          return;
        }
        const scratch = pool.rent(Math.floor((text.length * 3) / 4));
        try {
          const { read, written } = withIndex(
            base,
            () => decodeBase64Into(text, scratch, groupOptions),
          );
          if (written !== 0) controller.enqueue(scratch.slice(0, written));
          pending = read === 0 ? text : text.slice(read);
          base += read;
        } finally {
          pool.return(scratch);
        }
      },
      flush(controller) {
        const bytes = withIndex(
          base,
          () => decodeBase64(pending, finalOptions),
        );
        pending = "";
        if (bytes.length !== 0) controller.enqueue(bytes);
      },
    });
  }
}

function isWhitespaceOnly(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) return false;
  }
  return true;
}

function hasPadding(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === EQUALS) return true;
  }
  return false;
}

/** Runs `decode`, shifting the index in a SyntaxError by `base`. */
function withIndex<T>(base: number, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (base === 0 || !(error instanceof SyntaxError)) throw error;
    throw new SyntaxError(
      error.message.replace(
        /at index (\d+)/,
        (_, index: string) => `at index ${Number(index) + base}`,
      ),
    );
  }
}
