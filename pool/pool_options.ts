/**
 * {@linkcode PoolOptions}: which pool a pooled result is rented from, the
 * same option for every pooled encoder and decoder. It sits in the same
 * options object as a format's own options, and is read after them.
 *
 * @module
 */
import { MemoryPool } from "./memory_pool.ts";

/** Which pool a pooled result is rented from. */
export interface PoolOptions {
  /** The pool to rent from (default {@linkcode MemoryPool.shared}). */
  pool?: MemoryPool;
}

/**
 * The `pool` option of `options` (the shared pool when absent).
 *
 * @throws {TypeError} When it is neither a MemoryPool nor undefined.
 */
export function poolOf(options: PoolOptions | undefined, what: string): MemoryPool {
  if (options === undefined || options === null) return MemoryPool.shared;
  const pool = options.pool;
  if (pool === undefined) return MemoryPool.shared;
  if (!(pool instanceof MemoryPool)) {
    throw new TypeError(`Cannot ${what}: pool must be a MemoryPool or undefined`);
  }
  return pool;
}
