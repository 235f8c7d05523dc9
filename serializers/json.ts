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
import type { MessageSerializer, SerializerOptions } from "./types.ts";

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
    const text = this.#stringify(value);
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
    return writeText(writer, this.#stringify(value));
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
    const text = this.#stringify(value);
    const pool = this.#pool;
    const capacity = text.length <= WORST_CASE_LIMIT ? text.length * 3 : utf8ByteLength(text);
    const buffer = pool.rentAtLeast(capacity);
    const written = encodeUtf8NativeUnchecked(text, buffer, 0);
    return new PooledBytes(pool, buffer.subarray(0, written));
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
    const text = this.#stringify(value);
    if (text.length > dest.length) return -1; // every UTF-16 unit needs at least one byte
    const { read, written } = encodeUtf8Into(text, dest);
    return read === text.length ? written : -1;
  }

  /**
   * Parses UTF-8 JSON from any view (its offset and length are respected).
   *
   * @param bytes The JSON bytes.
   * @returns The parsed value.
   * @throws {SyntaxError} When the bytes are not valid UTF-8 or not valid JSON; the message names the position.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const bytes = new TextEncoder().encode('{"id":1}');
   * assert.deepEqual(new JsonSerializer().deserialize(bytes), { id: 1 });
   * ```
   */
  deserialize<T = unknown>(bytes: Uint8Array): T {
    let text: string;
    try {
      text = decodeUtf8(bytes, { fatal: true });
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

  #stringify(value: unknown): string {
    let text: string | undefined;
    try {
      text = JSON.stringify(value, this.#replacer, this.#space);
    } catch (error) {
      throw error instanceof TypeError ? serializeError(error) : error;
    }
    if (text === undefined) {
      throw new TypeError(
        `Cannot serialize JSON: a top-level ${describe(value)} has no JSON representation`,
      );
    }
    return text;
  }
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

function serializeError(error: TypeError): TypeError {
  return error.message.startsWith("Cannot serialize JSON")
    ? error
    : new TypeError(`Cannot serialize JSON: ${error.message}`, { cause: error });
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
