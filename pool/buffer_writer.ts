/**
 * {@linkcode BufferWriter}: a growable byte writer backed by a {@linkcode MemoryPool}.
 *
 * @module
 */
import type { BytePool } from "./byte_pool.ts";
import { checkLength } from "./_length.ts";
import { leakTrackerOf } from "./_leak_tracker.ts";
import { PooledBytes } from "./pooled_bytes.ts";
import { SlabAllocator } from "./slab.ts";
import { slabOf, type SlabOptions } from "./slab_options.ts";

/** Options for {@linkcode BufferWriter}. */
export interface BufferWriterOptions {
  /** The most bytes the writer may hold. Default 1 GiB. */
  maxCapacity?: number;
}

/**
 * The default {@linkcode BufferWriterOptions.maxCapacity}: 1 GiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_WRITER_CAPACITY } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_MAX_WRITER_CAPACITY, 2 ** 30);
 * ```
 */
export const DEFAULT_MAX_WRITER_CAPACITY: number = 1024 * 1024 * 1024;

const EMPTY = new Uint8Array(0);

/**
 * A growable writer whose buffers come from a pool: the analogue of .NET's
 * `IBufferWriter<byte>`. Ask for room with {@linkcode BufferWriter.getSpan}
 * (or the allocation-free {@linkcode BufferWriter.reserve}), write, then
 * {@linkcode BufferWriter.advance}. Growth rents a larger buffer, copies only
 * the written bytes and returns the old one.
 *
 * @example Write, read, and give the buffer back
 * ```ts
 * import { MemoryPool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * using writer = MemoryPool.shared.rentWriter();
 * const span = writer.getSpan(3);
 * span.set([1, 2, 3]);
 * writer.advance(3);
 * assert.deepEqual([...writer.written], [1, 2, 3]);
 * ```
 */
export class BufferWriter implements Disposable {
  #pool: BytePool;
  /** The whole rented buffer (its class size), or EMPTY when none is held. */
  #buffer: Uint8Array = EMPTY;
  #count = 0;
  #initialCapacity: number;
  #maxCapacity: number;
  #disposed = false;

  /**
   * Creates a writer; {@linkcode MemoryPool.rentWriter} is the usual way.
   *
   * @param pool The pool to rent from.
   * @param initialCapacity Bytes to rent up front. Default 256.
   * @param options The maximum capacity.
   * @throws {RangeError} When a capacity is invalid or `initialCapacity > maxCapacity`.
   * @example
   * ```ts
   * import { BufferWriter, MemoryPool } from "@catga/memory/pool";
   * using writer = new BufferWriter(MemoryPool.shared, 1024, { maxCapacity: 1 << 20 });
   * ```
   */
  constructor(
    pool: BytePool,
    initialCapacity = 256,
    options: BufferWriterOptions = {},
  ) {
    checkLength(initialCapacity, "create buffer writer", "initialCapacity");
    const maxCapacity = options.maxCapacity ?? DEFAULT_MAX_WRITER_CAPACITY;
    checkLength(maxCapacity, "create buffer writer", "maxCapacity");
    if (initialCapacity > maxCapacity) {
      throw new RangeError(
        `Cannot create buffer writer: initialCapacity ${initialCapacity} exceeds maxCapacity ${maxCapacity}`,
      );
    }
    this.#pool = pool;
    this.#initialCapacity = initialCapacity;
    this.#maxCapacity = maxCapacity;
    if (initialCapacity > 0) {
      this.#buffer = wholeBuffer(pool.rent(initialCapacity), maxCapacity);
    }
    if (pool.debug) leakTrackerOf(pool)?.track(this, "BufferWriter");
  }

  /**
   * A writable view of at least `max(sizeHint, 1)` free bytes, starting at
   * {@linkcode BufferWriter.writtenCount}. Commit what you wrote with `advance`.
   *
   * @param sizeHint The free bytes needed. Default 0 (meaning 1).
   * @returns A view of the free part of the buffer.
   * @throws {RangeError} When growing would exceed `maxCapacity`.
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * using writer = MemoryPool.shared.rentWriter();
   * writer.getSpan(2).set([7, 8]);
   * writer.advance(2);
   * ```
   */
  getSpan(sizeHint = 0): Uint8Array {
    return this.reserve(sizeHint).subarray(this.#count);
  }

  /**
   * The allocation-free form of `getSpan`: the writer's whole current buffer,
   * with at least `max(minimum, 1)` free bytes after `writtenCount`. Write at
   * `[writtenCount, …)` and then `advance`. The view is stale after the next
   * growth, `detach` or `dispose`.
   *
   * `sizeHint` is best effort: when the writer must grow anyway, it grows to
   * hold `sizeHint` free bytes if `maxCapacity` allows, and otherwise to what
   * `maxCapacity` allows, never below `minimum`. Encoders pass the exact need
   * as `minimum` and a worst case (or a previous message's size) as the hint,
   * so a capped writer that holds the real output never throws.
   *
   * @param minimum The free bytes required.
   * @param sizeHint The free bytes wanted if growing. Default `minimum`.
   * @returns The whole backing view.
   * @throws {RangeError} When `minimum` free bytes would exceed `maxCapacity`; nothing changes.
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * using writer = MemoryPool.shared.rentWriter(16, { maxCapacity: 64 });
   * const buffer = writer.reserve(1, 1000); // wants 1000, gets what the cap allows
   * buffer[writer.writtenCount] = 0xff;
   * writer.advance(1);
   * assert.equal(writer.written[0], 0xff);
   * ```
   */
  reserve(minimum: number, sizeHint: number = minimum): Uint8Array {
    const free = this.#buffer.length - this.#count;
    if (free < minimum || free === 0) this.#grow(minimum > 1 ? minimum : 1, sizeHint);
    return this.#buffer;
  }

  /**
   * Commits `count` bytes written into the last span.
   *
   * @param count The bytes written.
   * @throws {RangeError} When `count` is negative, fractional, or past the end of the span.
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * using writer = MemoryPool.shared.rentWriter();
   * writer.getSpan(1)[0] = 1;
   * writer.advance(1);
   * ```
   */
  advance(count: number): void {
    const end = this.#count + count;
    if ((count | 0) !== count || count < 0 || end > this.#buffer.length) {
      if (this.#disposed) throw disposedError();
      throw new RangeError(
        `Cannot advance buffer writer by ${count}: only ${
          this.#buffer.length - this.#count
        } bytes of span remain`,
      );
    }
    this.#count = end;
  }

  /**
   * Appends bytes, growing as needed.
   *
   * @param bytes The bytes to append.
   * @throws {RangeError} When growing would exceed `maxCapacity`; nothing is written then.
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * using writer = MemoryPool.shared.rentWriter();
   * writer.write(new Uint8Array([1, 2]));
   * ```
   */
  write(bytes: Uint8Array): void {
    const buffer = this.reserve(bytes.length);
    buffer.set(bytes, this.#count);
    this.#count += bytes.length;
  }

  /**
   * A view of the bytes written so far (not a copy).
   *
   * @returns The written bytes; stale after the next write that grows, or reset/detach/dispose.
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * using writer = MemoryPool.shared.rentWriter();
   * writer.write(new Uint8Array([5]));
   * assert.equal(writer.written[0], 5);
   * ```
   */
  get written(): Uint8Array {
    if (this.#disposed) throw disposedError();
    return this.#buffer.subarray(0, this.#count);
  }

  /**
   * How many bytes have been written.
   *
   * @returns The written length.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * using writer = MemoryPool.shared.rentWriter();
   * assert.equal(writer.writtenCount, 0);
   * ```
   */
  get writtenCount(): number {
    return this.#count;
  }

  /**
   * The size of the current buffer.
   *
   * @returns Bytes the writer holds, written or free.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * using writer = MemoryPool.shared.rentWriter(100);
   * assert.equal(writer.capacity, 128);
   * ```
   */
  get capacity(): number {
    return this.#buffer.length;
  }

  /**
   * Forgets what was written and keeps the buffer for reuse.
   *
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * using writer = MemoryPool.shared.rentWriter();
   * writer.write(new Uint8Array([1]));
   * writer.reset();
   * assert.equal(writer.writtenCount, 0);
   * ```
   */
  reset(): void {
    if (this.#disposed) throw disposedError();
    this.#count = 0;
  }

  /**
   * Discards what was written after the first `length` bytes; encoders use
   * it to roll back a failed write.
   *
   * @param length The number of written bytes to keep.
   * @throws {RangeError} When `length` is negative, fractional, or more than `writtenCount`.
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * using writer = MemoryPool.shared.rentWriter();
   * writer.write(new Uint8Array([1, 2, 3]));
   * writer.truncate(1);
   * assert.deepEqual([...writer.written], [1]);
   * ```
   */
  truncate(length: number): void {
    if (this.#disposed) throw disposedError();
    if ((length | 0) !== length || length < 0 || length > this.#count) {
      throw new RangeError(
        `Cannot truncate buffer writer to ${length}: only ${this.#count} bytes are written`,
      );
    }
    this.#count = length;
  }

  /**
   * An exact-size copy of the written bytes that the caller owns. By default
   * the copy is carved from a shared slab chunk (see {@linkcode SlabAllocator}:
   * its `.buffer` is shared and its `byteOffset` is usually not 0); pass
   * `{ slab: null }` for a copy with its own exactly-sized `ArrayBuffer`.
   *
   * @param options `slab`: where the copy is carved from, or `null` for its own buffer. Default {@linkcode SlabAllocator.shared}.
   * @returns The copy.
   * @throws {TypeError} After dispose, or when `slab` is not a SlabAllocator or null.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * using writer = MemoryPool.shared.rentWriter();
   * writer.write(new Uint8Array([1, 2]));
   * const copy = writer.toBytes();
   * const own = writer.toBytes({ slab: null });
   * writer.reset();
   * assert.deepEqual([...copy], [1, 2]);
   * assert.equal(own.buffer.byteLength, 2); // its own exact ArrayBuffer
   * ```
   */
  toBytes(options?: SlabOptions): Uint8Array {
    if (this.#disposed) throw disposedError();
    const slab = options === undefined
      ? SlabAllocator.shared
      : slabOf(options, "copy written bytes");
    if (slab === null) return this.#buffer.slice(0, this.#count);
    return slab.copy(this.#buffer, 0, this.#count);
  }

  /**
   * Hands the written bytes over without copying. The writer is left empty
   * and rents a new buffer on its next write.
   *
   * @returns The owner of the written bytes; dispose it to return the buffer.
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * using writer = MemoryPool.shared.rentWriter();
   * writer.write(new Uint8Array([1, 2]));
   * using owned = writer.detach();
   * assert.deepEqual([owned.length, writer.writtenCount], [2, 0]);
   * ```
   */
  detach(): PooledBytes {
    if (this.#disposed) throw disposedError();
    const buffer = this.#buffer;
    const count = this.#count;
    this.#buffer = EMPTY;
    this.#count = 0;
    if (buffer === EMPTY) {
      return new PooledBytes(this.#pool, this.#pool.rent(0));
    }
    return new PooledBytes(this.#pool, buffer, count);
  }

  /**
   * Returns the buffer to the pool. Calling it again does nothing; any other
   * use afterwards throws.
   *
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * const writer = MemoryPool.shared.rentWriter();
   * writer.dispose();
   * ```
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const buffer = this.#buffer;
    this.#buffer = EMPTY;
    this.#count = 0;
    if (this.#pool.debug) leakTrackerOf(this.#pool)?.untrack(this);
    if (buffer !== EMPTY) this.#pool.return(buffer);
  }

  /**
   * Same as {@linkcode BufferWriter.dispose}, for `using`.
   *
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * using writer = MemoryPool.shared.rentWriter();
   * ```
   */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Cold path: rent a larger buffer, copy the written bytes, return the old one. */
  #grow(minimum: number, sizeHint: number): void {
    if (this.#disposed) throw disposedError();
    const needed = this.#count + minimum;
    if (needed > this.#maxCapacity) {
      throw new RangeError(
        `Cannot grow buffer writer to ${needed} bytes: it exceeds maxCapacity ${this.#maxCapacity}`,
      );
    }
    const doubled = Math.max(this.#buffer.length * 2, this.#initialCapacity);
    const wanted = this.#count + (sizeHint > minimum ? sizeHint : minimum);
    const capacity = Math.min(Math.max(wanted, doubled), this.#maxCapacity);
    const next = wholeBuffer(this.#pool.rent(capacity), this.#maxCapacity);
    const old = this.#buffer;
    if (this.#count > 0) next.set(old.subarray(0, this.#count));
    this.#buffer = next;
    if (old !== EMPTY) this.#pool.return(old);
  }
}

/** The whole class-size buffer behind a rented view, capped at `maxCapacity`. */
function wholeBuffer(view: Uint8Array, maxCapacity: number): Uint8Array {
  const length = Math.min(view.buffer.byteLength, maxCapacity);
  return length === view.length ? view : new Uint8Array(view.buffer, 0, length);
}

function disposedError(): TypeError {
  return new TypeError("Cannot use buffer writer: it was already disposed");
}
