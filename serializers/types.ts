/**
 * The contract every message serializer of `@catga/memory` fulfils.
 *
 * @module
 */
import type { BufferWriter, MemoryPool, PooledBytes } from "../pool/mod.ts";

/**
 * Turns messages into bytes and back, with a pooled path for hot loops.
 *
 * Ownership rules: {@linkcode MessageSerializer.serialize} returns an
 * exact-length array the caller owns (never a view of memory the serializer
 * writes again; it may share its `buffer` with other results, see
 * `SlabAllocator`);
 * {@linkcode MessageSerializer.serializePooled} returns pooled bytes the
 * caller must dispose; {@linkcode MessageSerializer.deserialize} never keeps
 * a reference to its input after it returns, and its result shares no memory
 * with the input unless an option asks for views (`MsgPackSerializer`'s
 * `copyBinary: false`).
 *
 * @example Round-trip a message
 * ```ts
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const json = new JsonSerializer();
 * const bytes = json.serialize({ id: 1 });
 * assert.deepEqual(json.deserialize(bytes), { id: 1 });
 * ```
 */
export interface MessageSerializer {
  /** The MIME type of the bytes this serializer writes, e.g. "application/json". */
  readonly contentType: string;
  /**
   * Serializes a value into an exact-length array that the caller owns.
   *
   * @param value The message.
   * @returns The encoded bytes.
   * @throws {TypeError} When the value cannot be represented.
   */
  serialize(value: unknown): Uint8Array;
  /**
   * Appends the encoding of a value to a writer.
   *
   * @param value The message.
   * @param writer The writer to append to.
   * @returns The number of bytes appended.
   * @throws {TypeError} When the value cannot be represented; the writer is left as it was.
   */
  serializeTo(value: unknown, writer: BufferWriter): number;
  /**
   * Serializes a value into pooled memory; dispose the result to return it.
   *
   * @param value The message.
   * @returns The pooled encoded bytes.
   * @throws {TypeError} When the value cannot be represented.
   */
  serializePooled(value: unknown): PooledBytes;
  /**
   * Serializes a value into `dest` if it fits.
   *
   * @param value The message.
   * @param dest The destination.
   * @returns The bytes written, or -1 when `dest` is too small (never throws for lack of room).
   * @throws {TypeError} When the value cannot be represented.
   */
  trySerialize(value: unknown, dest: Uint8Array): number;
  /**
   * Decodes a message from any `BufferSource`: an `ArrayBuffer`, a
   * `SharedArrayBuffer`, or any typed array or `DataView`, of which exactly
   * the bytes it views are read (its offset and length are respected).
   *
   * @param bytes The encoded message.
   * @returns The decoded value.
   * @throws {SyntaxError | RangeError} When the bytes are not a valid message.
   * @throws {TypeError} When `bytes` is not a `BufferSource`, or its buffer is detached.
   */
  deserialize<T = unknown>(bytes: ArrayBufferLike | ArrayBufferView): T;
}

/** Options shared by the serializers. */
export interface SerializerOptions {
  /** The pool to rent from; defaults to `MemoryPool.shared`. */
  pool?: MemoryPool;
}
