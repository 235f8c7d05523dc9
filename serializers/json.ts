/**
 * {@linkcode JsonSerializer}: `JSON.stringify` written straight into pooled memory.
 *
 * @module
 */
import { decodeUtf8, encodeUtf8, encodeUtf8Into, utf8ByteLength } from "../encoding/mod.ts";
import { type BufferWriter, MemoryPool, PooledBytes, SlabAllocator } from "../pool/mod.ts";
import { FAST_PATHS } from "../platform/fast_paths.ts";
import { findJsonSyntaxIssue } from "./_json_syntax.ts";
import { encodeUtf8Native, encodeUtf8NativeUnchecked } from "../encoding/utf8_primitives.ts";
import type {
  ByteStreamSource,
  DeserializeStreamOptions,
  MessageSerializer,
  SerializerOptions,
  SerializeStreamOptions,
  StreamDecoder,
} from "./types.ts";
import { JsonStreamDecoder } from "./_json_stream_decoder.ts";
import { decodedValues } from "./_decoded_values.ts";
import { framedStream } from "./_framed_stream.ts";
import { maxBufferedBytesOf } from "./_stream_chunk.ts";
import { bytesOf } from "./_buffer_source.ts";

/** Options for {@linkcode JsonSerializer}. */
export interface JsonSerializerOptions extends SerializerOptions {
  /** Passed to `JSON.stringify`. */
  replacer?: (this: unknown, key: string, value: unknown) => unknown;
  /** Passed to `JSON.parse`. */
  reviver?: (this: unknown, key: string, value: unknown) => unknown;
  /** Indentation passed to `JSON.stringify`. Default: none. */
  space?: string | number;
  /**
   * Where {@linkcode JsonSerializer.serialize} puts its results: a
   * {@linkcode SlabAllocator} (default `SlabAllocator.shared`), so that small
   * results share one chunk instead of costing an `ArrayBuffer` each, or
   * `null` for results with their own exactly-sized `ArrayBuffer`. Slab
   * results share their `buffer` with other results: pass the view itself to
   * other APIs, not `bytes.buffer`. Results longer than the slab's
   * `maxSlabLength` always get their own buffer, and so do all results where
   * that measured faster (JavaScriptCore).
   */
  slab?: SlabAllocator | null;
}

/** `encodeUtf8`'s options for a result with its own exact buffer (one object, no allocation per call). */
const OWN_BUFFER = { slab: null } as const;
/** `decodeUtf8`'s options for a strict decode (one object, no allocation per call). */
const STRICT = { fatal: true } as const;
/** Whether `serialize` encodes into the slab (else `TextEncoder.encode`'s own array). */
const OWNED_FROM_SLAB = FAST_PATHS.jsonOwnedFromSlab;

/**
 * Strings up to this length rent `3 × length` bytes (the UTF-8 worst case, still within the default
 * pool's largest class); longer ones measure first, which costs a full pass over the string.
 */
const WORST_CASE_LIMIT = (1024 * 1024) / 3;

/**
 * A JSON {@linkcode MessageSerializer} that encodes the output of
 * `JSON.stringify` directly into pooled memory or a {@linkcode BufferWriter},
 * with no intermediate `TextEncoder.encode` copy.
 *
 * Errors: a value JSON cannot represent (a BigInt, a circular structure, or
 * `undefined`, a function or a symbol at the top level) is a `TypeError`;
 * invalid JSON or invalid UTF-8 is a `SyntaxError` naming the position.
 *
 * @example Serialize into a pooled writer
 * ```ts
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import { MemoryPool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const json = new JsonSerializer();
 * using writer = MemoryPool.shared.rentWriter();
 * json.serializeTo({ id: 7, name: "order.created" }, writer);
 * assert.deepEqual(json.deserialize(writer.written), { id: 7, name: "order.created" });
 * ```
 */
export class JsonSerializer implements MessageSerializer {
  /** Always "application/json". */
  readonly contentType: string = "application/json";
  #pool: MemoryPool;
  #slab: SlabAllocator | null;
  #replacer: JsonSerializerOptions["replacer"];
  #reviver: JsonSerializerOptions["reviver"];
  #space: string | number | undefined;

  /**
   * Creates a serializer.
   *
   * @param options The pool (default `MemoryPool.shared`), the slab for `serialize` results, and `JSON` replacer, reviver and space.
   * @throws {TypeError} When `slab` is not a `SlabAllocator` or `null`.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const pool = new MemoryPool();
   * const json = new JsonSerializer({ pool, slab: null });
   * json.serializePooled({ a: 1 }).dispose();
   * assert.equal(pool.stats().rented, 1);
   * assert.equal(json.serialize([1]).buffer.byteLength, 3); // slab: null, an exact buffer
   * ```
   */
  constructor(options: JsonSerializerOptions = {}) {
    this.#pool = options.pool ?? MemoryPool.shared;
    const slab = options.slab === undefined ? SlabAllocator.shared : options.slab;
    if (slab !== null && !(slab instanceof SlabAllocator)) {
      throw new TypeError(
        "Cannot create JsonSerializer: slab must be a SlabAllocator, null or undefined",
      );
    }
    this.#slab = slab;
    this.#replacer = options.replacer;
    this.#reviver = options.reviver;
    this.#space = options.space;
  }

  /**
   * Serializes a value into an exact-length array that the caller owns. Small
   * results are carved from the slab (see {@linkcode JsonSerializerOptions.slab}),
   * so their `buffer` is shared with other results unless `slab` is `null`.
   *
   * @param value The message.
   * @returns The UTF-8 JSON bytes.
   * @throws {TypeError} When the value has no JSON representation.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const bytes = new JsonSerializer().serialize({ a: 1 });
   * assert.equal(new TextDecoder().decode(bytes), '{"a":1}');
   * assert.equal(bytes.length, 7);
   * ```
   */
  serialize(value: unknown): Uint8Array {
    const text = stringify(value, this.#replacer, this.#space);
    const slab = this.#slab;
    if (OWNED_FROM_SLAB && slab !== null && text.length <= slab.maxSlabLength) {
      // No user code runs between reserve and commit, so writing in place is safe. Bytes past
      // maxSlabLength may land in the chunk's free tail; they are simply not committed.
      const max = slab.maxSlabLength;
      const worstCase = text.length * 3;
      const chunk = slab.reserve(worstCase < max ? worstCase : max);
      const start = slab.offset;
      let written: number;
      if (worstCase <= chunk.length - start) {
        written = encodeUtf8NativeUnchecked(text, chunk, start) - start;
      } else {
        const progress = encodeUtf8Native(text, chunk, start);
        written = progress.read === text.length ? progress.written : max + 1;
      }
      if (written <= max) return slab.commit(written);
    }
    return encodeUtf8(text, OWN_BUFFER);
  }

  /**
   * Appends the JSON of a value to a writer.
   *
   * @param value The message.
   * @param writer The writer to append to.
   * @returns The number of bytes appended.
   * @throws {TypeError} When the value has no JSON representation; nothing is written then.
   * @throws {RangeError} When the writer cannot hold the output; nothing is written then.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * using writer = MemoryPool.shared.rentWriter(1, { maxCapacity: 5 });
   * assert.equal(new JsonSerializer().serializeTo([1, 2], writer), 5); // exactly fits the cap
   * assert.equal(new TextDecoder().decode(writer.written), "[1,2]");
   * ```
   */
  serializeTo(value: unknown, writer: BufferWriter): number {
    return writeText(writer, stringify(value, this.#replacer, this.#space));
  }

  /**
   * Serializes a value into pooled memory.
   *
   * @param value The message.
   * @returns The pooled bytes; dispose them to return the buffer.
   * @throws {TypeError} When the value has no JSON representation.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * using owned = new JsonSerializer().serializePooled({ ok: true });
   * assert.equal(owned.length, 11);
   * ```
   */
  serializePooled(value: unknown): PooledBytes {
    const text = stringify(value, this.#replacer, this.#space);
    const pool = this.#pool;
    const capacity = text.length <= WORST_CASE_LIMIT ? text.length * 3 : utf8ByteLength(text);
    const buffer = pool.rentAtLeast(capacity);
    const written = encodeUtf8NativeUnchecked(text, buffer, 0);
    // The view of the written part is made only if the owner reads `bytes`.
    return new PooledBytes(pool, buffer, written);
  }

  /**
   * Serializes a value into `dest` if it fits.
   *
   * @param value The message.
   * @param dest The destination.
   * @returns The bytes written, or -1 when `dest` is too small.
   * @throws {TypeError} When the value has no JSON representation.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const json = new JsonSerializer();
   * assert.equal(json.trySerialize([1], new Uint8Array(16)), 3);
   * assert.equal(json.trySerialize([1], new Uint8Array(2)), -1);
   * ```
   */
  trySerialize(value: unknown, dest: Uint8Array): number {
    const text = stringify(value, this.#replacer, this.#space);
    if (text.length > dest.length) return -1; // every UTF-16 unit needs at least one byte
    const { read, written } = encodeUtf8Into(text, dest);
    return read === text.length ? written : -1;
  }

  /**
   * Parses UTF-8 JSON from any `BufferSource`: an `ArrayBuffer`, a
   * `SharedArrayBuffer`, or any typed array or `DataView`, of which exactly
   * the bytes it views are read.
   *
   * @param bytes The JSON bytes.
   * @returns The parsed value.
   * @throws {SyntaxError} When the bytes are not valid UTF-8 or not valid JSON; the message names the position.
   * @throws {TypeError} When `bytes` is not a `BufferSource`, or its buffer is detached.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const bytes = new TextEncoder().encode('{"id":1}');
   * assert.deepEqual(new JsonSerializer().deserialize(bytes), { id: 1 });
   * assert.deepEqual(new JsonSerializer().deserialize(bytes.buffer), { id: 1 });
   * ```
   */
  deserialize<T = unknown>(bytes: ArrayBufferLike | ArrayBufferView): T {
    const view = bytesOf(bytes, "deserialize JSON");
    let text: string;
    try {
      text = decodeUtf8(view, STRICT);
    } catch (error) {
      throw new SyntaxError(`Cannot deserialize JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      return JSON.parse(text, this.#reviver) as T;
    } catch (error) {
      throw jsonSyntaxError(text, error);
    }
  }

  /**
   * Decodes a sequence of JSON texts, one per line (NDJSON, JSON Lines):
   * `"\n"` or `"\r\n"` line ends, blank lines skipped. The last line may go
   * without its `"\n"` unless it is a bare number (see
   * {@linkcode JsonSerializer.deserializeStream}).
   *
   * @param bytes Zero or more lines of UTF-8 JSON.
   * @returns The parsed values, in order.
   * @throws {SyntaxError} When a line is not valid JSON or not valid UTF-8; the message names the byte offset and line.
   * @throws {TypeError} When `bytes` is not an `ArrayBuffer` or a view of one, or its buffer is detached.
   *
   * @example Parse NDJSON with a CRLF and a blank line
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const bytes = new TextEncoder().encode('{"id":1}\r\n\n[2]\n"three"');
   * assert.deepEqual(new JsonSerializer().deserializeSequence(bytes), [{ id: 1 }, [2], "three"]);
   * ```
   */
  deserializeSequence<T = unknown>(bytes: ArrayBufferLike | ArrayBufferView): T[] {
    const view = bytesOf(bytes, "decode NDJSON");
    // One buffer: nothing waits for a next chunk, so no bound on the last line.
    const decoder = new JsonStreamDecoder<T>(this.#reviver, Number.MAX_SAFE_INTEGER);
    return decoder.end(decoder.push(view));
  }

  /**
   * Decodes an NDJSON stream (one JSON text per line, as
   * {@linkcode JsonSerializer.serializeStream} writes) as it arrives: each
   * value is yielded as soon as its line ends, whatever the chunk
   * boundaries. `"\r\n"` line ends and blank lines are accepted. The last
   * line may go without its `"\n"`, unless it is a bare number: a stream cut
   * inside `1234` would end in a valid `12`, so that is a `SyntaxError`.
   * Leaving the loop early cancels the source. The reviver applies.
   *
   * @param source The chunks: a `ReadableStream` (a `fetch` body), an async iterable (a Node socket) or an iterable.
   * @param options `maxBufferedBytes`, the longest unfinished line held across chunks (default 16 MiB).
   * @returns An async iterator of the values, in order.
   * @throws {TypeError} When `source` is not a stream or iterable; (from the iterator) when a chunk is not bytes.
   * @throws {RangeError} When `maxBufferedBytes` is not a non-negative integer; (from the iterator) when an unfinished line grows past it.
   * @throws {SyntaxError} (from the iterator) When a line is not valid JSON or UTF-8, or the stream ends inside a value; the message names the stream offset and line.
   *
   * @example Read an NDJSON body
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const body = new Response('{"id":1}\n{"id"').body!; // a fetch body, cut short
   * const values: unknown[] = [];
   * await assert.rejects(async () => {
   *   for await (const value of new JsonSerializer().deserializeStream(body)) values.push(value);
   * }, /SyntaxError: Cannot decode NDJSON: expected ':' but found the end of the line at offset 14/);
   * assert.deepEqual(values, [{ id: 1 }]);
   * ```
   */
  deserializeStream<T = unknown>(
    source: ByteStreamSource,
    options?: DeserializeStreamOptions,
  ): AsyncIterableIterator<T> {
    return decodedValues(source, this.createStreamDecoder<T>(options), "NDJSON");
  }

  /**
   * A synchronous incremental NDJSON decoder, for socket code that gets
   * chunks in callbacks: push each chunk, get the values whose lines it
   * completes. {@linkcode JsonSerializer.deserializeStream} is built on it.
   *
   * @param options `maxBufferedBytes`, the longest unfinished line held across chunks (default 16 MiB).
   * @returns A new decoder at stream offset 0.
   * @throws {RangeError} When `maxBufferedBytes` is not a non-negative integer.
   *
   * @example Lines split across chunks
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   *
   * const decoder = new JsonSerializer().createStreamDecoder();
   * const encoder = new TextEncoder();
   * console.log(decoder.push(encoder.encode('{"a":1}\n{"b"'))); // [ { a: 1 } ]
   * console.log(decoder.push(encoder.encode(':2}\r\n'))); // [ { b: 2 } ]
   * console.log(decoder.end()); // []
   * ```
   */
  createStreamDecoder<T = unknown>(options?: DeserializeStreamOptions): StreamDecoder<T> {
    return new JsonStreamDecoder<T>(this.#reviver, maxBufferedBytesOf(options, "NDJSON"));
  }

  /**
   * A `TransformStream` that writes each value as NDJSON: one JSON text and
   * `"\n"` per value (serve it as `application/x-ndjson`). Values are
   * written on one line each even when `space` is set. They are encoded
   * into one pooled buffer and emitted as chunks the reader owns: when
   * `chunkSize` bytes are reached, or at the end of the task in which the
   * last value was written, or on close. It respects backpressure: a slow
   * reader stops the writer, with about two chunks held.
   *
   * @param options `chunkSize`, the size chunks are emitted at (default 16 KiB).
   * @returns The stream: write values, read `Uint8Array` chunks.
   * @throws {RangeError} When `chunkSize` is not an integer from 1 to 2^30.
   *
   * @example Stream values as NDJSON
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const json = new JsonSerializer({ space: 2 });
   * const body = ReadableStream.from([{ id: 1 }, [2, 3]]).pipeThrough(json.serializeStream());
   * assert.equal(await new Response(body).text(), '{"id":1}\n[2,3]\n');
   * ```
   */
  serializeStream(options?: SerializeStreamOptions): TransformStream<unknown, Uint8Array> {
    return framedStream(
      (value, writer) => {
        const start = writer.writtenCount;
        this.#serializeLine(value, writer);
        try {
          writer.reserve(1)[writer.writtenCount] = 0x0a;
        } catch (error) {
          writer.truncate(start); // the value without its newline would run into the next
          throw error;
        }
        writer.advance(1);
      },
      this.#pool,
      options,
      "NDJSON",
    );
  }

  /** Appends the value's JSON on one line: without `space`, which would add newlines. */
  #serializeLine(value: unknown, writer: BufferWriter): void {
    if (this.#space === undefined) {
      this.serializeTo(value, writer);
    } else {
      writeText(writer, stringify(value, this.#replacer, ""));
    }
  }
}

/**
 * `JSON.stringify` with the serializer's errors. Kept small, with its errors built out of line:
 * it is inlined into every serialize path, and V8 shares one inlining budget across a whole path
 * (on Deno, `serializePooled` had none left for the JS `encodeInto` wrapper it calls).
 */
function stringify(
  value: unknown,
  replacer: JsonSerializerOptions["replacer"],
  space: string | number | undefined,
): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, replacer, space);
  } catch (error) {
    throw serializeError(error);
  }
  if (text === undefined) throw noRepresentationError(value);
  return text;
}

/**
 * Appends `text` as UTF-8, asking the writer for the worst case only as a hint:
 * when the writer cannot give that much, it asks for the exact size, so a capped
 * writer that can hold the output never throws. On a throw nothing is appended.
 */
function writeText(writer: BufferWriter, text: string): number {
  const length = text.length;
  if (length === 0) return 0;
  const start = writer.writtenCount;
  const worstCase = length <= WORST_CASE_LIMIT ? length * 3 : utf8ByteLength(text);
  // Every UTF-16 unit takes at least one byte: `length` is a true minimum.
  let buffer = writer.reserve(length, worstCase);
  let written: number;
  if (buffer.length - start >= worstCase) {
    written = encodeUtf8NativeUnchecked(text, buffer, start) - start;
  } else {
    const progress = encodeUtf8Native(text, buffer, start);
    written = progress.written;
    if (progress.read < length) {
      buffer = writer.reserve(utf8ByteLength(text)); // the exact need
      written = encodeUtf8NativeUnchecked(text, buffer, start) - start;
    }
  }
  writer.advance(written);
  return written;
}

function noRepresentationError(value: unknown): TypeError {
  return new TypeError(
    `Cannot serialize JSON: a top-level ${describe(value)} has no JSON representation`,
  );
}

/** A `TypeError` from `JSON.stringify` (a cycle, a BigInt) in the serializer's wording; others as thrown. */
function serializeError(error: unknown): unknown {
  if (!(error instanceof TypeError) || error.message.startsWith("Cannot serialize JSON")) {
    return error;
  }
  return new TypeError(`Cannot serialize JSON: ${error.message}`, { cause: error });
}

function describe(value: unknown): string {
  return value === undefined ? "undefined" : typeof value;
}

function jsonSyntaxError(text: string, cause: unknown): Error {
  if (!(cause instanceof SyntaxError)) return cause as Error; // e.g. a reviver's own error
  const issue = findJsonSyntaxIssue(text);
  if (issue === undefined) return cause;
  const before = text.slice(0, issue.index);
  const line = before.split("\n").length;
  const column = issue.index - before.lastIndexOf("\n");
  const found = issue.index < text.length ? `'${text[issue.index]}'` : "the end of the input";
  return new SyntaxError(
    `Cannot deserialize JSON: expected ${issue.expected} but found ${found} at position ${issue.index} (line ${line}, column ${column})`,
    { cause },
  );
}
