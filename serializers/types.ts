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
  /**
   * Decodes the values of a byte stream as they arrive: each value is yielded
   * as soon as its last byte has been read, whatever the chunk boundaries.
   * Leaving the loop early (`break`, `return`, a throw) cancels the source.
   *
   * @param source The chunks: a `ReadableStream` (a `fetch` body), an async
   *   iterable (a Node socket) or an iterable.
   * @param options The bound on a value held across chunks.
   * @returns An async iterator of the values, in order.
   * @throws {SyntaxError} (from the iterator) When the stream ends inside a value, or a value is malformed; the message names the stream offset.
   * @throws {RangeError} (from the iterator) When a value held across chunks grows past `maxBufferedBytes`.
   * @throws {TypeError} When `source` is not a stream or iterable of bytes, or a chunk is not bytes.
   *
   * @example Any serializer, any chunking
   * ```ts
   * import { JsonSerializer, type MessageSerializer, MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * for (const serializer of [new JsonSerializer(), new MsgPackSerializer()] as MessageSerializer[]) {
   *   const bytes = await new Response(
   *     ReadableStream.from([{ id: 1 }, { id: 2 }]).pipeThrough(serializer.serializeStream()),
   *   ).bytes();
   *   const oneByteChunks = Array.from(bytes, (byte) => new Uint8Array([byte]));
   *   const values = await Array.fromAsync(serializer.deserializeStream(oneByteChunks));
   *   assert.deepEqual(values, [{ id: 1 }, { id: 2 }]);
   * }
   * ```
   */
  deserializeStream<T = unknown>(
    source: ByteStreamSource,
    options?: DeserializeStreamOptions,
  ): AsyncIterableIterator<T>;
  /**
   * A `TransformStream` that frames the values written to it as bytes:
   * back-to-back MessagePack, or one JSON text and `"\n"` per value
   * (NDJSON). Small values are coalesced into chunks the reader owns; see
   * {@linkcode SerializeStreamOptions.chunkSize} for when a partial chunk is
   * emitted.
   *
   * @param options The chunk size.
   * @returns The stream: write values, read `Uint8Array` chunks.
   * @throws {RangeError} When `chunkSize` is not an integer from 1 to 2^30.
   *
   * @example Chunks of at least `chunkSize` bytes
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const stream = ReadableStream.from([1, 2, 3, 4, 5]).pipeThrough(
   *   new MsgPackSerializer().serializeStream({ chunkSize: 2 }),
   * );
   * const chunks = await Array.fromAsync(stream);
   * assert.deepEqual(chunks.map((chunk) => [...chunk]), [[1, 2], [3, 4], [5]]);
   * ```
   */
  serializeStream(options?: SerializeStreamOptions): TransformStream<unknown, Uint8Array>;
}

/**
 * What {@linkcode MessageSerializer.deserializeStream} reads: a
 * `ReadableStream`, an async iterable or an iterable of byte chunks. Chunks
 * may also be other `ArrayBufferView`s or `ArrayBuffer`s (WebSocket
 * messages); their bytes are read.
 */
export type ByteStreamSource =
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>;

/** Options for {@linkcode MessageSerializer.deserializeStream}. */
export interface DeserializeStreamOptions {
  /**
   * The most bytes an incomplete value may hold while it waits for the rest
   * of its bytes; a value that crosses chunk boundaries and needs more is a
   * `RangeError` (so a stray length prefix cannot make the decoder buffer
   * gigabytes). Values complete within one chunk are decoded in place and not
   * counted. Default {@linkcode DEFAULT_MAX_BUFFERED_BYTES} (16 MiB).
   */
  maxBufferedBytes?: number;
}

/**
 * The default {@linkcode DeserializeStreamOptions.maxBufferedBytes}: 16 MiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_BUFFERED_BYTES } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_MAX_BUFFERED_BYTES, 16 * 1024 * 1024);
 * ```
 */
export const DEFAULT_MAX_BUFFERED_BYTES: number = 16 * 1024 * 1024;

/** Options for {@linkcode MessageSerializer.serializeStream}. */
export interface SerializeStreamOptions {
  /**
   * The size a chunk is emitted at. Values are written into one pooled
   * buffer; the stream emits a copy the reader owns as soon as it holds
   * `chunkSize` bytes or more, and otherwise when the producer pauses: at
   * the end of the event-loop task in which the last value was written (a
   * zero-delay timer), so a value waits at most one task. Closing the
   * writable side emits the rest. A value larger than `chunkSize` is emitted
   * as one chunk. Default {@linkcode DEFAULT_STREAM_CHUNK_SIZE} (16 KiB).
   */
  chunkSize?: number;
}

/**
 * The default {@linkcode SerializeStreamOptions.chunkSize}: 16 KiB, a TLS
 * record.
 *
 * @example
 * ```ts
 * import { DEFAULT_STREAM_CHUNK_SIZE } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_STREAM_CHUNK_SIZE, 16384);
 * ```
 */
export const DEFAULT_STREAM_CHUNK_SIZE: number = 16 * 1024;

/**
 * A synchronous incremental decoder for socket code: push chunks as they
 * arrive and get the values they complete. Created by
 * `MsgPackSerializer.createStreamDecoder` and
 * `JsonSerializer.createStreamDecoder`;
 * {@linkcode MessageSerializer.deserializeStream} is built on it.
 *
 * @example Feed a message in two pieces
 * ```ts
 * import { MsgPackSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const decoder = new MsgPackSerializer().createStreamDecoder();
 * assert.deepEqual(decoder.push(new Uint8Array([0x92, 0x01])), []);
 * assert.deepEqual(decoder.push(new Uint8Array([0x02, 0xa1, 0x61])), [[1, 2], "a"]);
 * assert.deepEqual(decoder.end(), []);
 * ```
 */
export interface StreamDecoder<T = unknown> {
  /**
   * Decodes the values a chunk completes. On a throw, `into` holds the values
   * completed before the bad one, and the decoder cannot be used again.
   *
   * @param chunk The next bytes of the stream (any `ArrayBufferView` or an `ArrayBuffer`).
   * @param into Where the values are appended; a new array by default.
   * @returns `into`.
   * @throws {SyntaxError} When a value is malformed; the message names the stream offset.
   * @throws {RangeError} When an incomplete value grows past `maxBufferedBytes`, or a decode limit is exceeded.
   * @throws {TypeError} When the chunk is not bytes, or after an error.
   *
   * @example Collect values into one array across chunks
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const decoder = new MsgPackSerializer().createStreamDecoder<number>();
   * const values: number[] = [];
   * decoder.push(new Uint8Array([0x01, 0xcd, 0x01]), values); // 1, then a uint16 cut in half
   * decoder.push(new Uint8Array([0x00]).buffer, values); // an ArrayBuffer chunk completes it
   * assert.deepEqual(values, [1, 256]);
   * ```
   */
  push(chunk: ArrayBufferView | ArrayBuffer, into?: T[]): T[];
  /**
   * Ends the stream: checks that no value is cut off and makes the decoder
   * ready for a new stream (offset 0).
   *
   * @param into Where a value the end completes is appended (NDJSON's last line without `"\n"`).
   * @returns `into`.
   * @throws {SyntaxError} When the stream ends inside a value; the message names the offsets.
   *
   * @example A stream cut inside a value
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const decoder = new MsgPackSerializer().createStreamDecoder();
   * decoder.push(new Uint8Array([0xa3, 0x61])); // a 3-byte string with 1 byte
   * assert.throws(() => decoder.end(), /ends at offset 2 inside the value at offset 0/);
   * ```
   */
  end(into?: T[]): T[];
  /**
   * Bytes pushed so far (the stream offset of the next chunk).
   *
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const decoder = new JsonSerializer().createStreamDecoder();
   * decoder.push(new TextEncoder().encode("1\n2"));
   * assert.equal(decoder.offset, 3);
   * ```
   */
  readonly offset: number;
  /**
   * Bytes of an incomplete value held for the next chunk.
   *
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const decoder = new JsonSerializer().createStreamDecoder();
   * decoder.push(new TextEncoder().encode('1\n{"a"'));
   * assert.equal(decoder.bufferedBytes, 4);
   * ```
   */
  readonly bufferedBytes: number;
}

/** Options shared by the serializers. */
export interface SerializerOptions {
  /** The pool to rent from; defaults to `MemoryPool.shared`. */
  pool?: MemoryPool;
}
