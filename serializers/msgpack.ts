/**
 * {@linkcode MsgPackSerializer}: the full MessagePack spec, written through
 * one reused buffer per instance and copied out once.
 *
 * @module
 */
import { type BufferWriter, MemoryPool, PooledBytes, SlabAllocator } from "../pool/mod.ts";
import type { MessageSerializer } from "./types.ts";
import { MsgPackEncoder } from "./_msgpack_encoder.ts";
import { type DecoderSettings, MsgPackDecoder } from "./_msgpack_decoder.ts";
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
 * payloads are copies, so nothing refers to the input afterwards.
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
   * @param options The pool, the slab for `serialize` results, int64 and map decoding, float32 preference, depth limit and trailing-byte policy.
   * @throws {RangeError} When `maxDepth` is not an integer from 0 to {@linkcode MAX_DEPTH_LIMIT}, or an extension's type is not an integer from -128 to 127.
   * @throws {TypeError} When `int64`, `mapType`, `useFloat32` or `largeBigInt` has an unknown value, a flag is not a boolean, `preferFloat32` comes with `useFloat32`, an extension lacks `encode` or `decode` or repeats a type, or `slab` is not a `SlabAllocator` or `null`.
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
    const int64 = options.int64 ?? "bigint";
    if (int64 !== "bigint" && int64 !== "number") {
      throw new TypeError(
        `Cannot create MsgPackSerializer: int64 must be "bigint" or "number", got ${String(int64)}`,
      );
    }
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
      int64AsNumber: int64 === "number",
      mapAsMap: mapType === "map",
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
   * Decodes one message from any view (its offset and length are respected).
   *
   * @param bytes The encoded message.
   * @returns The decoded value.
   * @throws {RangeError} When the input ends early, a length prefix runs past it, or nesting exceeds `maxDepth` (the message names the byte offset).
   * @throws {SyntaxError} For the reserved byte 0xc1, bytes after the value (unless `allowTrailingBytes`), an invalid timestamp or an unusable map key.
   * @throws {TypeError} When `bytes` is not a `Uint8Array`.
   *
   * @example Decode a message
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * assert.deepEqual(new MsgPackSerializer().deserialize(new Uint8Array([0x92, 0x01, 0xc3])), [1, true]);
   * ```
   */
  deserialize<T = unknown>(bytes: Uint8Array): T {
    const decoder = this.#freeDecoder();
    if (!(bytes instanceof Uint8Array)) throw notBytes(bytes);
    decoder.begin(bytes);
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
   * @throws {TypeError} When `bytes` is not a `Uint8Array`.
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
  deserializeSequence<T = unknown>(bytes: Uint8Array): T[] {
    const decoder = this.#freeDecoder();
    if (!(bytes instanceof Uint8Array)) throw notBytes(bytes);
    decoder.begin(bytes);
    try {
      const values: T[] = [];
      while (decoder.pos < decoder.end) values.push(decoder.read() as T);
      return values;
    } finally {
      decoder.finish();
    }
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

function notBytes(value: unknown): TypeError {
  return new TypeError(
    `Cannot decode MessagePack: expected a Uint8Array, got ${
      value === null ? "null" : typeof value
    }`,
  );
}
