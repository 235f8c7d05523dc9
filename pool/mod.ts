/**
 * The pool layer of `@catga/memory`: a tiered byte pool, pooled owners, a
 * growable buffer writer, and a pool of object arrays for batches.
 *
 * @example Write a message into pooled memory
 * ```ts
 * import { MemoryPool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * using writer = MemoryPool.shared.rentWriter();
 * writer.write(new TextEncoder().encode("hello"));
 * assert.equal(writer.writtenCount, 5);
 * ```
 *
 * @module
 */
export { MemoryPool } from "./memory_pool.ts";
export { type BytePool, UnpooledBytePool } from "./byte_pool.ts";
export type { PoolOptions } from "./pool_options.ts";
export type { SlabOptions } from "./slab_options.ts";
export { PooledBytes } from "./pooled_bytes.ts";
export {
  DEFAULT_SLAB_CHUNK_SIZE,
  DEFAULT_SLAB_MAX_LENGTH,
  DEFAULT_SLAB_MIN_LENGTH,
  SlabAllocator,
  type SlabAllocatorOptions,
} from "./slab.ts";
export {
  BufferWriter,
  type BufferWriterOptions,
  DEFAULT_MAX_WRITER_CAPACITY,
} from "./buffer_writer.ts";
export {
  ObjectArrayPool,
  type ObjectArrayPoolOptions,
  rentArray,
  RentedArray,
} from "./object_array_pool.ts";
export {
  DEFAULT_MAX_RETAINED_BYTES,
  DEFAULT_TIERS,
  DEFAULT_TUNING_INTERVAL,
  type LeakHandler,
  type LeakReport,
  type MemoryPoolOptions,
  MIN_CLASS_SIZE,
  type PoolTier,
  type Retention,
} from "./options.ts";
export type { PoolStats, SizeClassStats, TierStats } from "./stats.ts";
