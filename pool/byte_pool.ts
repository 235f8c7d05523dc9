/**
 * {@linkcode BytePool}: the small contract that {@linkcode BufferWriter} and
 * {@linkcode PooledBytes} depend on (`rent`, `return`, `debug`), and
 * {@linkcode UnpooledBytePool}, the implementation that pools nothing.
 * {@linkcode MemoryPool} is the pooling implementation.
 *
 * @module
 */
import { checkLength } from "./_length.ts";

/**
 * Where {@linkcode BufferWriter} and {@linkcode PooledBytes} get their memory
 * and give it back. {@linkcode MemoryPool} pools it; {@linkcode UnpooledBytePool}
 * allocates each time and lets the garbage collector take it back.
 *
 * @example A writer over an unpooled source
 * ```ts
 * import { BufferWriter, type BytePool, UnpooledBytePool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const pool: BytePool = UnpooledBytePool.shared;
 * using writer = new BufferWriter(pool, 4);
 * writer.write(new Uint8Array([1, 2, 3, 4, 5]));
 * assert.deepEqual([...writer.written], [1, 2, 3, 4, 5]);
 * ```
 */
export interface BytePool {
  /**
   * A buffer of exactly `length` bytes, whose `.buffer` may be larger (the
   * pool's whole slot): writers use that extra room.
   *
   * @throws {RangeError} When `length` is not a valid length.
   */
  rent(length: number): Uint8Array;
  /**
   * Takes back a buffer that {@linkcode BytePool.rent} handed out (any view of
   * it). Do not touch it afterwards.
   */
  return(bytes: Uint8Array): void;
  /**
   * Whether debug checks are on: owners register with the pool's leak
   * tracker, and returned buffers may be detached.
   */
  readonly debug: boolean;
}

/**
 * A {@linkcode BytePool} that pools nothing: `rent` allocates a fresh,
 * exactly sized buffer, `return` does nothing (the garbage collector takes
 * the buffer back). For writers and owners whose memory must not be shared
 * with a pool, and for code that wants pooling off.
 *
 * @example
 * ```ts
 * import { UnpooledBytePool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const bytes = UnpooledBytePool.shared.rent(3);
 * assert.equal(bytes.buffer.byteLength, 3);
 * UnpooledBytePool.shared.return(bytes); // nothing to do
 * ```
 */
export class UnpooledBytePool implements BytePool {
  /** Always false: there is nothing to track. */
  readonly debug: boolean = false;

  /**
   * The one instance; it holds no state, so sharing it is safe.
   *
   * @returns The shared unpooled source.
   * @example
   * ```ts
   * import { UnpooledBytePool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * assert.equal(UnpooledBytePool.shared, UnpooledBytePool.shared);
   * ```
   */
  static get shared(): UnpooledBytePool {
    return SHARED;
  }

  /**
   * A fresh zero-filled array of exactly `length` bytes.
   *
   * @param length The number of bytes.
   * @returns A new array with its own `ArrayBuffer`.
   * @throws {TypeError} When `length` is not a number.
   * @throws {RangeError} When `length` is negative, fractional or too large.
   * @example
   * ```ts
   * import { UnpooledBytePool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new UnpooledBytePool().rent(5).length, 5);
   * assert.throws(() => new UnpooledBytePool().rent(-1), RangeError);
   * ```
   */
  rent(length: number): Uint8Array {
    checkLength(length);
    return new Uint8Array(length);
  }

  /**
   * Does nothing: the garbage collector reclaims the buffer.
   *
   * @param bytes The buffer, which the caller no longer uses.
   * @throws {TypeError} When `bytes` is not a Uint8Array.
   * @example
   * ```ts
   * import { UnpooledBytePool } from "@catga/memory/pool";
   *
   * const pool = new UnpooledBytePool();
   * pool.return(pool.rent(8));
   * ```
   */
  return(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError("Cannot return bytes: expected a Uint8Array");
    }
  }
}

const SHARED = new UnpooledBytePool();
