/**
 * {@linkcode MsgPackSerializer}: the full MessagePack spec, written through
 * one reused buffer per instance and copied out once.
 *
 * @module
 */
import { type BufferWriter, MemoryPool, PooledBytes, SlabAllocator } from "../pool/mod.ts";
import type {
  ByteStreamSource,
  DeserializeStreamOptions,
  MessageSerializer,
  SerializeStreamOptions,
  StreamDecoder,
} from "./types.ts";
import { MsgPackEncoder } from "./_msgpack_encoder.ts";
import {
  type DecoderSettings,
  INT64_AUTO,
  INT64_BIGINT,
  INT64_NUMBER,
  INT64_STRING,
  type Int64Mode,
  MsgPackDecoder,
} from "./_msgpack_decoder.ts";
import { bytesOf } from "./_buffer_source.ts";
import { MsgPackStreamDecoder } from "./_msgpack_stream_decoder.ts";
import { decodedValues } from "./_decoded_values.ts";
import { framedStream } from "./_framed_stream.ts";
import { maxBufferedBytesOf } from "./_stream_chunk.ts";
import { ExtDispatch } from "./_msgpack_ext_decode.ts";
import { FLOAT32_DECIMAL_FIT, FLOAT32_DECIMAL_ROUND } from "./_msgpack_float32.ts";
import { resolveTypeOptions } from "./_msgpack_type_options.ts";
// deno-lint-ignore no-unused-vars -- referenced by {@linkcode} in the docs
import type { MsgPackExtension } from "./msgpack_extension.ts";
import {
  DEFAULT_MAX_DEPTH,
  MAX_DEPTH_LIMIT,
  type MsgPackSerializerOptions,
} from "./msgpack_options.ts";

/**
 * A MessagePack serializer covering the whole spec: nil, bool, every int
 * width (int64/uint64 outside the safe range as `bigint`), float32/64,
 * str, bin (`Uint8Array`), array, map (plain objects, or `Map` with
 * `mapType: "map"`), ext ({@linkcode MsgPackExt}) and the timestamp ext
 * (`Date`, all three formats).
 *
 * Encoding: `undefined` writes nil; other typed arrays, `DataView` and
 * `ArrayBuffer` write their bytes as bin; plain class instances write their
 * own enumerable string keys as a map. Nothing is dropped silently: an object
 * whose state lives in internal slots (`Set`, `WeakMap`, `WeakSet`,
 * `WeakRef`, `RegExp`, `Error`, `Promise`, boxed primitives, iterators), a
 * function or a symbol is a `TypeError` naming its path, unless `moreTypes`
 * (msgpackr's extra types, in its bytes) or one of the instance's own
 * `extensions` (see {@linkcode MsgPackExtension}) writes it. Options change
 * how values are written: `ignoreUndefined`, `useToJSON`, `sortKeys`, the
 * float modes, `forceIntegerToFloat`, `largeBigInt`. Decoding: bin and ext
 * payloads are copies, so nothing refers to the input afterwards (unless
 * `copyBinary: false` asks for bin values as views of it). Decode options
 * bound what a message may claim (`maxStrLength`, `maxBinLength`,
 * `maxArrayLength`, `maxMapLength`, `maxExtLength`) and reject invalid
 * UTF-8 (`fatal`); see {@linkcode MsgPackSerializerOptions}.
 *
 * Each instance owns one scratch buffer and a map-key cache; instances share
 * no mutable state. An instance is not meant for concurrent use from several
 * threads (it never is in JS), but re-entrant calls from getters, `toJSON`
 * and extensions are safe.
 *
 * @example Round-trip a message
 * ```ts
 * import { MsgPackSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const msgpack = new MsgPackSerializer();
 * const bytes = msgpack.serialize({ id: 1, at: new Date(0), tags: ["a"] });
 * assert.deepEqual(msgpack.deserialize(bytes), { id: 1, at: new Date(0), tags: ["a"] });
 * ```
 *
 * @example Nothing is lost silently
 * ```ts
 * import { MsgPackSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => new MsgPackSerializer().serialize({ v: new Set([1]) }), {
 *   name: "TypeError",
 *   message: /Set at \$\.v is not representable/,
 * });
 * const more = new MsgPackSerializer({ moreTypes: true });
 * assert.deepEqual(more.deserialize(more.serialize({ v: new Set([1]) })), { v: new Set([1]) });
 * ```
 */
export class MsgPackSerializer implements MessageSerializer {
  /** Always "application/msgpack". */
  readonly contentType: string = "application/msgpack";
  readonly #pool: MemoryPool;
  readonly #options: MsgPackSerializerOptions;
  readonly #encoder: MsgPackEncoder;
  readonly #decoder: MsgPackDecoder;
  /** For a fresh decoder when an extension's decode re-enters us. */
  readonly #decoderSettings: DecoderSettings;
  readonly #allowTrailingBytes: boolean;
  /** Where `serialize` results go: a slab shared with other code, or null for own buffers. */
  readonly #slab: SlabAllocator | null;
  /** Our own slab, written in place (only this instance allocates from it); null when not used. */
  readonly #ownSlab: SlabAllocator | null;
  /** The last message size, a hint for how much room to ask a writer or the slab for. */
  #lastLength = 0;

  /**
   * Creates a serializer.
   *
   * @param options The pool, the slab for `serialize` results, how values are written (extensions, `moreTypes`, float and bigint modes), int64 and map decoding, depth limit, trailing-byte policy and decode limits.
   * @throws {RangeError} When `maxDepth` is not an integer from 0 to {@linkcode MAX_DEPTH_LIMIT}, a decode limit (`maxStrLength`...) is not a non-negative integer, or an extension's type is not an integer from -128 to 127.
   * @throws {TypeError} When `int64`, `mapType`, `useFloat32` or `largeBigInt` has an unknown value, a flag is not a boolean, a decode limit is not a number, `preferFloat32` comes with `useFloat32`, an extension lacks `encode` or `decode` or repeats a type, or `slab` is not a `SlabAllocator` or `null`.
   *
   * @example Decode maps as `Map` and 64-bit ints always as numbers
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ mapType: "map", int64: "number" });
   * assert.deepEqual(msgpack.deserialize(msgpack.serialize({ a: 1 })), new Map([["a", 1]]));
   * const uint64Max = new Uint8Array([0xcf, 255, 255, 255, 255, 255, 255, 255, 255]);
   * assert.equal(msgpack.deserialize(uint64Max), 2 ** 64);
   * ```
   */
  constructor(options: MsgPackSerializerOptions = {}) {
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT) {
      throw new RangeError(
        `Cannot create MsgPackSerializer: maxDepth ${maxDepth} is not an integer from 0 to ${MAX_DEPTH_LIMIT}`,
      );
    }
    const slab = options.slab;
    if (slab !== undefined && slab !== null && !(slab instanceof SlabAllocator)) {
      throw new TypeError(
        "Cannot create MsgPackSerializer: slab must be a SlabAllocator, null or undefined",
      );
    }
    const int64Name = options.int64 ?? "auto";
    if (!Object.hasOwn(INT64_MODES, int64Name)) {
      throw new TypeError(
        `Cannot create MsgPackSerializer: int64 must be "auto", "number", "bigint" or "string", got ${
          String(int64Name)
        }`,
      );
    }
    const int64 = INT64_MODES[int64Name];
    const mapType = options.mapType ?? "object";
    if (mapType !== "object" && mapType !== "map") {
      throw new TypeError(
        `Cannot create MsgPackSerializer: mapType must be "object" or "map", got ${
          String(mapType)
        }`,
      );
    }
    const types = resolveTypeOptions(options);
    this.#options = { ...options };
    this.#pool = options.pool ?? MemoryPool.shared;
    this.#allowTrailingBytes = options.allowTrailingBytes ?? false;
    // Creating an allocator is cheap: its first chunk is allocated on first use.
    this.#ownSlab = slab === undefined ? new SlabAllocator() : null;
    this.#slab = slab === undefined ? this.#ownSlab : slab;
    this.#encoder = new MsgPackEncoder({ ...types, maxDepth });
    this.#decoderSettings = {
      maxDepth,
      int64,
      mapAsMap: mapType === "map",
      maxStrLength: decodeLimit(options, "maxStrLength"),
      maxBinLength: decodeLimit(options, "maxBinLength"),
      maxArrayLength: decodeLimit(options, "maxArrayLength"),
      maxMapLength: decodeLimit(options, "maxMapLength"),
      maxExtLength: decodeLimit(options, "maxExtLength"),
      fatal: options.fatal === true,
      copyBinary: options.copyBinary !== false,
      ext: types.extensions.length > 0 || types.moreTypes
        ? new ExtDispatch(types.extensions, types.context, types.moreTypes)
        : null,
      roundFloat32: types.float32 === FLOAT32_DECIMAL_ROUND ||
        types.float32 === FLOAT32_DECIMAL_FIT,
    };
    this.#decoder = new MsgPackDecoder(this.#decoderSettings);
  }

  /** A decoder free for this call: ours, or a fresh one when an extension's decode re-enters us. */
  #freeDecoder(): MsgPackDecoder {
    const decoder = this.#decoder;
    // Between calls the decoder holds no input (end 0); an empty input never reaches an extension.
    return decoder.end === 0 ? decoder : new MsgPackDecoder(this.#decoderSettings);
  }

  /** An encoder free for this call: ours, or a fresh one when a getter re-enters us. */
  #freeEncoder(): MsgPackEncoder {
    const encoder = this.#encoder;
    if (!encoder.busy) return encoder;
    return new MsgPackEncoder(encoder.settings);
  }

  /**
   * Serializes a value into a new exact-size array that the caller owns.
   * The array is carved from a slab (see {@linkcode MsgPackSerializerOptions.slab}):
   * its `buffer` is shared with other results unless `slab` is `null`.
   *
   * @param value The message.
   * @returns The encoded bytes (never a view of a buffer the serializer writes again).
   * @throws {TypeError} For a function, symbol, object whose state lives in internal slots (`Set`, `Error`, …; see the class docs), invalid Date, bigint outside 64 bits (unless `largeBigInt` or `moreTypes`), extension payload that is not a `Uint8Array`, or circular structure (the message names the path).
   * @throws {RangeError} When nesting exceeds `maxDepth` or the message exceeds 4 GiB.
   *
   * @example Encode a small object
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const bytes = new MsgPackSerializer().serialize({ a: 1 });
   * assert.deepEqual([...bytes], [0x81, 0xa1, 0x61, 0x01]);
   * ```
   *
   * @example A result with its own buffer
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const bytes = new MsgPackSerializer({ slab: null }).serialize([1, 2]);
   * assert.equal(bytes.buffer.byteLength, 3);
   * ```
   */
  serialize(value: unknown): Uint8Array {
    const encoder = this.#encoder;
    const ownSlab = this.#ownSlab;
    // A getter that re-enters us while our encoder writes into our slab must not allocate from it.
    const busy = encoder.busy;
    if (ownSlab !== null && !busy && this.#lastLength <= ownSlab.maxSlabLength) {
      return this.#serializeInPlace(encoder, ownSlab, value);
    }
    const free = busy ? this.#freeEncoder() : encoder;
    const length = free.encodeToScratch(value);
    const slab = busy ? null : this.#slab;
    const bytes = slab !== null && length <= slab.maxSlabLength
      ? free.copyScratch(slab, length)
      : free.scratchView(length).slice();
    free.releaseScratch();
    this.#lastLength = length;
    return bytes;
  }

  /** Encodes straight into our own slab's chunk; falls back to scratch when it runs out of room. */
  #serializeInPlace(encoder: MsgPackEncoder, slab: SlabAllocator, value: unknown): Uint8Array {
    const max = slab.maxSlabLength;
    const hint = this.#lastLength + IN_PLACE_SLACK;
    const chunk = slab.reserve(hint < max ? hint : max);
    const start = slab.offset;
    const limit = start + max + IN_PLACE_SLACK;
    const end = encoder.encodeBounded(
      value,
      chunk,
      start,
      limit < chunk.length ? limit : chunk.length,
      max,
    );
    if (end >= 0 && end - start <= max) {
      this.#lastLength = end - start;
      return slab.commit(end - start);
    }
    // Out of room (or too long for the slab): encode again into scratch, then copy once.
    const length = encoder.encodeToScratch(value, true);
    const bytes = length <= max
      ? encoder.copyScratch(slab, length)
      : encoder.scratchView(length).slice();
    encoder.releaseScratch();
    this.#lastLength = length;
    return bytes;
  }

  /**
   * Appends the encoding of a value to a writer. It writes straight into the
   * writer's buffer when there is room, otherwise it encodes into scratch
   * space first and copies once.
   *
   * @param value The message.
   * @param writer The writer to append to.
   * @returns The number of bytes appended.
   * @throws {TypeError} When the value cannot be represented; the writer is left as it was.
   * @throws {RangeError} When nesting exceeds `maxDepth`, or the writer cannot grow enough.
   *
   * @example Append two messages to one writer
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer();
   * using writer = MemoryPool.shared.rentWriter(1, { maxCapacity: 3 });
   * msgpack.serializeTo(1, writer);
   * msgpack.serializeTo("a", writer);
   * assert.deepEqual([...writer.written], [1, 161, 97]);
   * ```
   */
  serializeTo(value: unknown, writer: BufferWriter): number {
    const encoder = this.#freeEncoder();
    const start = writer.writtenCount;
    // Ask for about the last message's size, as a hint only: a capped writer gives what it can.
    const hint = Math.min(this.#lastLength, MAX_SIZE_HINT) + 16;
    const buffer = writer.reserve(1, hint);
    const end = encoder.encodeBounded(value, buffer, start);
    if (end >= 0) {
      const length = end - start;
      writer.advance(length);
      this.#lastLength = length;
      return length;
    }
    const length = encoder.encodeToScratch(value, true);
    this.#lastLength = length;
    try {
      const target = writer.reserve(length); // exactly what is needed: throws only if it can't fit
      target.set(encoder.scratchView(length), writer.writtenCount);
      writer.advance(length);
    } finally {
      encoder.releaseScratch();
    }
    return length;
  }

  /**
   * Serializes a value into pooled memory; dispose the result to return it.
   *
   * @param value The message.
   * @returns The pooled encoded bytes.
   * @throws {TypeError} When the value cannot be represented (nothing is rented then).
   * @throws {RangeError} When nesting exceeds `maxDepth`.
   *
   * @example Encode into pooled memory
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * using owned = new MsgPackSerializer().serializePooled([1, 2]);
   * assert.deepEqual([...owned.bytes], [146, 1, 2]);
   * ```
   */
  serializePooled(value: unknown): PooledBytes {
    const encoder = this.#freeEncoder();
    const length = encoder.encodeToScratch(value);
    const pool = this.#pool;
    const bytes = pool.rent(length);
    bytes.set(encoder.scratchView(length));
    encoder.releaseScratch();
    this.#lastLength = length;
    return new PooledBytes(pool, bytes);
  }

  /**
   * Serializes a value into `dest` if it fits. On -1 (and on a throw) the
   * contents of `dest` are unspecified.
   *
   * @param value The message.
   * @param dest The destination.
   * @returns The bytes written, or -1 when `dest` is too small (never throws for lack of room).
   * @throws {TypeError} When the value cannot be represented.
   * @throws {RangeError} When nesting exceeds `maxDepth`.
   *
   * @example Encode into a fixed buffer
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer();
   * const dest = new Uint8Array(8);
   * assert.equal(msgpack.trySerialize("hi", dest), 3);
   * assert.equal(msgpack.trySerialize("too long for eight bytes", dest), -1);
   * ```
   */
  trySerialize(value: unknown, dest: Uint8Array): number {
    const encoder = this.#freeEncoder();
    const end = encoder.encodeBounded(value, dest, 0);
    if (end >= 0) return end;
    // Out of room near the end may be the slack check, not a real overflow.
    const length = encoder.encodeToScratch(value, true);
    const fits = length <= dest.length;
    if (fits) dest.set(encoder.scratchView(length));
    encoder.releaseScratch();
    return fits ? length : -1;
  }

  /**
   * Decodes one message from any `BufferSource`: an `ArrayBuffer`, a
   * `SharedArrayBuffer`, or any typed array or `DataView`, of which exactly
   * the bytes it views are read. Offsets in errors count from its first byte.
   *
   * @param bytes The encoded message.
   * @returns The decoded value.
   * @throws {RangeError} When the input ends early, a length prefix runs past it, a length exceeds its `max...Length` option, or nesting exceeds `maxDepth` (the message names the byte offset).
   * @throws {SyntaxError} For the reserved byte 0xc1, bytes after the value (unless `allowTrailingBytes`), an invalid timestamp, an unusable map key, or invalid UTF-8 under `fatal: true`.
   * @throws {TypeError} When `bytes` is not a `BufferSource`, or its buffer is detached.
   *
   * @example Decode a message
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * assert.deepEqual(new MsgPackSerializer().deserialize(new Uint8Array([0x92, 0x01, 0xc3])), [1, true]);
   * ```
   *
   * @example Decode from an ArrayBuffer or a DataView
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer();
   * const buffer = new Uint8Array([0xff, 0x92, 0x01, 0xc3]).buffer;
   * assert.deepEqual(msgpack.deserialize(new DataView(buffer, 1)), [1, true]);
   * assert.equal(msgpack.deserialize(buffer.slice(0, 1)), -1);
   * ```
   */
  deserialize<T = unknown>(bytes: ArrayBufferLike | ArrayBufferView): T {
    const decoder = this.#freeDecoder();
    decoder.begin(bytesOf(bytes, WHAT));
    try {
      const value = decoder.read();
      if (decoder.pos !== decoder.end && !this.#allowTrailingBytes) {
        throw new SyntaxError(
          `Cannot decode MessagePack: ${
            decoder.end - decoder.pos
          } unexpected bytes after the value at offset ${decoder.pos}`,
        );
      }
      return value as T;
    } finally {
      decoder.finish();
    }
  }

  /**
   * Decodes a sequence of concatenated messages (a MessagePack stream).
   *
   * @param bytes Zero or more encoded messages back to back.
   * @returns The decoded values, in order.
   * @throws {RangeError} When the last message is cut short, or for any error `deserialize` reports.
   * @throws {SyntaxError} As `deserialize` does.
   * @throws {TypeError} When `bytes` is not a `BufferSource` (any typed array, `DataView`, `ArrayBuffer` or `SharedArrayBuffer`), or its buffer is detached.
   *
   * @example Decode two concatenated messages
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const bytes = new Uint8Array([0x01, 0xa1, 0x61]);
   * assert.deepEqual(new MsgPackSerializer().deserializeSequence(bytes), [1, "a"]);
   * ```
   */
  deserializeSequence<T = unknown>(bytes: ArrayBufferLike | ArrayBufferView): T[] {
    const decoder = this.#freeDecoder();
    decoder.begin(bytesOf(bytes, WHAT));
    try {
      const values: T[] = [];
      while (decoder.pos < decoder.end) values.push(decoder.read() as T);
      return values;
    } finally {
      decoder.finish();
    }
  }

  /**
   * Decodes the messages of a MessagePack stream (values back to back, as
   * {@linkcode MsgPackSerializer.serializeStream}, msgpackr's `pack` per value
   * or @msgpack/msgpack's `encode` per value write) as they arrive. Each
   * value is yielded as soon as its last byte is read, whatever the chunk
   * boundaries (1-byte chunks included). Values are decoded in place from
   * each chunk; only a value that straddles chunks is copied, and it is
   * decoded once, when its last byte arrives. Leaving the loop early cancels
   * the source (`reader.cancel()` or the iterator's `return()`).
   *
   * @param source The chunks: a `ReadableStream` (a `fetch` body), an async iterable (a Node socket) or an iterable.
   * @param options `maxBufferedBytes`, the bound on a value held across chunks (default 16 MiB).
   * @returns An async iterator of the values, in order.
   * @throws {TypeError} When `source` is not a stream or iterable; (from the iterator) when a chunk is not bytes.
   * @throws {RangeError} When `maxBufferedBytes` is not a non-negative integer; (from the iterator) when a value held across chunks needs more than `maxBufferedBytes`, or as `deserialize` does.
   * @throws {SyntaxError} (from the iterator) When the stream ends inside a value, or as `deserialize` does; the message names the stream offset.
   *
   * @example Decode a `fetch`-style body that splits a message
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer();
   * const body = ReadableStream.from([
   *   new Uint8Array([0x81, 0xa2, 0x69]), // {"id": ... split inside the key
   *   new Uint8Array([0x64, 0x01, 0xc3]), // ...1}, then true
   * ]);
   * const values: unknown[] = [];
   * for await (const value of msgpack.deserializeStream(body)) values.push(value);
   * assert.deepEqual(values, [{ id: 1 }, true]);
   * ```
   *
   * @example A stream cut inside a value
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const cut = [new Uint8Array([0x01, 0x92, 0x02])]; // 1, then an array of 2 with 1 item
   * await assert.rejects(async () => {
   *   for await (const _ of new MsgPackSerializer().deserializeStream(cut));
   * }, /SyntaxError: .*ends at offset 3 inside the value at offset 1/);
   * ```
   */
  deserializeStream<T = unknown>(
    source: ByteStreamSource,
    options?: DeserializeStreamOptions,
  ): AsyncIterableIterator<T> {
    return decodedValues(source, this.createStreamDecoder<T>(options), "MessagePack");
  }

  /**
   * A synchronous incremental decoder, for socket code that gets chunks in
   * callbacks: push each chunk, get the values it completes.
   * {@linkcode MsgPackSerializer.deserializeStream} is built on it. It has
   * its own decoding state (and this serializer's options), so several
   * streams can be decoded at once.
   *
   * @param options `maxBufferedBytes`, the bound on a value held across chunks (default 16 MiB).
   * @returns A new decoder at stream offset 0.
   * @throws {RangeError} When `maxBufferedBytes` is not a non-negative integer.
   *
   * @example Values that cross chunk boundaries
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer();
   * const decoder = msgpack.createStreamDecoder();
   * const bytes = new Uint8Array([...msgpack.serialize("hello"), ...msgpack.serialize([1, 2])]);
   * console.log(decoder.push(bytes.subarray(0, 4))); // []
   * console.log(decoder.bufferedBytes); // 4
   * console.log(decoder.push(bytes.subarray(4))); // [ "hello", [ 1, 2 ] ]
   * decoder.end(); // throws a SyntaxError if a value were cut off
   * ```
   */
  createStreamDecoder<T = unknown>(options?: DeserializeStreamOptions): StreamDecoder<T> {
    return new MsgPackStreamDecoder<T>(
      this.#decoder.fork(),
      maxBufferedBytesOf(options, "MessagePack"),
    );
  }

  /**
   * A `TransformStream` that writes each value as MessagePack, back to back
   * (the framing {@linkcode MsgPackSerializer.deserializeStream},
   * @msgpack/msgpack's `decodeMultiStream` and msgpackr's `unpackMultiple`
   * read). Values are encoded into one pooled buffer and emitted as chunks
   * the reader owns: when `chunkSize` bytes are reached, or at the end of the
   * task in which the last value was written, or on close. It respects
   * backpressure: a slow reader stops the writer, with about two chunks held.
   *
   * @param options `chunkSize`, the size chunks are emitted at (default 16 KiB).
   * @returns The stream: write values, read `Uint8Array` chunks.
   * @throws {RangeError} When `chunkSize` is not an integer from 1 to 2^30.
   *
   * @example Encode values into one chunk, and decode them back
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer();
   * const chunks = await Array.fromAsync(
   *   ReadableStream.from([1, "a", { ok: true }]).pipeThrough(msgpack.serializeStream()),
   * );
   * assert.equal(chunks.length, 1); // small values are coalesced
   * assert.deepEqual([...chunks[0]], [0x01, 0xa1, 0x61, 0x81, 0xa2, 0x6f, 0x6b, 0xc3]);
   * assert.deepEqual(msgpack.deserializeSequence(chunks[0]), [1, "a", { ok: true }]);
   * ```
   */
  serializeStream(options?: SerializeStreamOptions): TransformStream<unknown, Uint8Array> {
    return framedStream(
      (value, writer) => {
        this.serializeTo(value, writer);
      },
      this.#pool,
      options,
      "MessagePack",
    );
  }

  /**
   * The options this serializer was created with (a copy).
   *
   * @returns The options.
   *
   * @example Read the options back
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new MsgPackSerializer({ maxDepth: 64 }).options.maxDepth, 64);
   * ```
   */
  get options(): MsgPackSerializerOptions {
    return { ...this.#options };
  }
}

const MAX_SIZE_HINT = 1024 * 1024;
/** The encoder keeps this much room past its last fixed-size write (its SLACK), plus margin. */
const IN_PLACE_SLACK = 32;

const WHAT = "decode MessagePack";

const INT64_MODES: Record<string, Int64Mode> = {
  auto: INT64_AUTO,
  number: INT64_NUMBER,
  bigint: INT64_BIGINT,
  string: INT64_STRING,
};

/** The format's own limit: no length prefix exceeds it. */
const NO_LIMIT = 0xffffffff;

type DecodeLimit =
  | "maxStrLength"
  | "maxBinLength"
  | "maxArrayLength"
  | "maxMapLength"
  | "maxExtLength";

function decodeLimit(options: MsgPackSerializerOptions, name: DecodeLimit): number {
  const limit: unknown = options[name];
  if (limit === undefined) return NO_LIMIT;
  if (typeof limit !== "number") {
    throw new TypeError(
      `Cannot create MsgPackSerializer: ${name} must be a number, got ${
        limit === null ? "null" : typeof limit
      }`,
    );
  }
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(
      `Cannot create MsgPackSerializer: ${name} ${limit} is not a non-negative integer`,
    );
  }
  return Math.min(limit, NO_LIMIT);
}
