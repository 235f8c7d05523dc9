/**
 * {@linkcode PayloadBatch}: a whole batch of serialized messages in ONE pooled
 * writer, so that holding N payloads until a pipeline or a NATS flush settles
 * takes one buffer from the pool instead of N (N separate rents overflow the
 * small tier's 64-per-class cap and turn into drops; the messaging bench
 * measures them).
 *
 * @module
 */
import type { BufferWriter, MemoryPool } from "../pool/mod.ts";
import type { MessageSerializer } from "../serializers/mod.ts";

/**
 * Serialized messages laid end to end in one writer. Add every message first,
 * then take views: the writer may move its bytes while it grows, so views are
 * only handed out once the batch is sealed (the first {@linkcode view} seals
 * it; {@linkcode reset} unseals it for the next batch).
 *
 * @example Three messages in one pooled buffer
 * ```ts
 * import { PayloadBatch } from "@catga/memory/messaging";
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import { MemoryPool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const pool = new MemoryPool();
 * const json = new JsonSerializer();
 * {
 *   using batch = new PayloadBatch(pool);
 *   for (const id of [1, 2, 3]) batch.add({ id }, json);
 *   assert.equal(batch.count, 3);
 *   assert.equal(new TextDecoder().decode(batch.view(1)), '{"id":2}');
 *   assert.equal(pool.stats().outstanding, 1); // one buffer for the whole batch
 * }
 * assert.equal(pool.stats().outstanding, 0);
 * ```
 */
export class PayloadBatch implements Disposable {
  #writer: BufferWriter;
  #ends: Int32Array;
  #count = 0;
  #sealed = false;
  #all: Uint8Array | null = null;

  /**
   * An empty batch in one writer rented from `pool`.
   *
   * @param pool The pool the writer rents from.
   * @param initialCapacity Bytes to rent up front (grows as needed).
   */
  constructor(pool: MemoryPool, initialCapacity: number = 64 * 1024) {
    this.#writer = pool.rentWriter(initialCapacity);
    this.#ends = new Int32Array(1024);
  }

  /** Messages in the batch. */
  get count(): number {
    return this.#count;
  }

  /** Bytes in the batch. */
  get byteLength(): number {
    return this.#writer.writtenCount;
  }

  /**
   * Serializes one more message into the batch.
   *
   * @returns Its index.
   * @throws {TypeError} After the batch was sealed by {@linkcode view}.
   */
  add(value: unknown, serializer: MessageSerializer): number {
    if (this.#sealed) throw new TypeError("Cannot add to a sealed batch: reset it first");
    serializer.serializeTo(value, this.#writer);
    return this.#push();
  }

  /** Copies already serialized bytes into the batch; returns the index. */
  addBytes(bytes: Uint8Array): number {
    if (this.#sealed) throw new TypeError("Cannot add to a sealed batch: reset it first");
    this.#writer.write(bytes);
    return this.#push();
  }

  #push(): number {
    if (this.#count === this.#ends.length) {
      const grown = new Int32Array(this.#ends.length * 2);
      grown.set(this.#ends);
      this.#ends = grown;
    }
    this.#ends[this.#count] = this.#writer.writtenCount;
    return this.#count++;
  }

  /**
   * The bytes of message `index`, a view into the batch's pooled buffer: valid
   * until {@linkcode reset} or {@linkcode dispose}. Seals the batch.
   *
   * @throws {RangeError} When `index` is out of range.
   */
  view(index: number): Uint8Array {
    if (!(index >= 0 && index < this.#count)) {
      throw new RangeError(`Cannot view message ${index}: the batch holds ${this.#count}`);
    }
    if (!this.#sealed) {
      this.#sealed = true;
      this.#all = this.#writer.written;
    }
    const start = index === 0 ? 0 : this.#ends[index - 1];
    return (this.#all as Uint8Array).subarray(start, this.#ends[index]);
  }

  /** Empties the batch for reuse; earlier views must no longer be in use. */
  reset(): void {
    this.#writer.reset();
    this.#count = 0;
    this.#sealed = false;
    this.#all = null;
  }

  /** Returns the buffer to the pool; earlier views must no longer be in use. */
  dispose(): void {
    this.#all = null;
    this.#writer.dispose();
  }

  /**
   * Lets go of the buffer WITHOUT returning it to the pool, for a batch a
   * client may still reference after a failure (nats.js after a rejected
   * flush): the garbage collector takes it instead.
   */
  abandon(): void {
    this.#all = null;
    this.#count = 0;
  }

  /** Same as {@linkcode dispose}. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
