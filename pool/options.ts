/**
 * Options and defaults for {@linkcode MemoryPool}.
 *
 * @module
 */

/** One tier of a {@linkcode MemoryPool}: a run of power-of-two size classes. */
export interface PoolTier {
  /** A label for stats, e.g. "small". */
  readonly name: string;
  /** The largest size class of the tier, in bytes (a power of two). */
  readonly maxSize: number;
  /**
   * How many free buffers each size class of this tier retains with
   * `retention: "fixed"`. Auto retention ignores it and tunes each class from
   * demand, within `maxRetainedBytes`.
   */
  readonly maxBuffersPerClass: number;
}

/**
 * How a {@linkcode MemoryPool} caps the free buffers of each size class:
 * `"auto"` follows recent peak concurrent use and releases idle buffers;
 * `"fixed"` keeps each tier's `maxBuffersPerClass`, for determinism.
 */
export type Retention = "auto" | "fixed";

/** Called when a debug-mode owner or writer is garbage-collected without being disposed. */
export type LeakHandler = (report: LeakReport) => void;

/** What a debug-mode pool knows about an owner that was never disposed. */
export interface LeakReport {
  /** "PooledBytes" or "BufferWriter". */
  readonly kind: string;
  /** The stack where the owner was rented. */
  readonly stack: string;
}

/** Options for {@linkcode MemoryPool}. */
export interface MemoryPoolOptions {
  /** Size tiers, smallest first. Default: small ≤ 4 KiB (64 per class), medium ≤ 64 KiB (16), large ≤ 1 MiB (4). */
  tiers?: readonly PoolTier[];
  /** The most bytes the pool keeps while they are not rented, in either retention mode. Default 32 MiB. */
  maxRetainedBytes?: number;
  /**
   * `"auto"` (default): each size class retains as many free buffers as it
   * had rented at once at its recent peak, and buffers left idle for one to
   * two `tuningInterval`s are released. `"fixed"`: each class retains up to
   * its tier's `maxBuffersPerClass`, forever.
   */
  retention?: Retention;
  /**
   * Milliseconds per auto-tuning window. The timer runs only while the pool
   * retains or lends buffers, and never keeps the process alive. Default
   * {@linkcode DEFAULT_TUNING_INTERVAL}.
   */
  tuningInterval?: number;
  /** `false` turns pooling off: every rent allocates and nothing is retained. Default `true`. */
  enabled?: boolean;
  /** Zero-fill buffers when they come back, for sensitive data. Default `false`. */
  clearOnReturn?: boolean;
  /**
   * Debug checks: returned buffers are detached so stale views read as empty, and owners or
   * writers collected without being disposed are reported. Where the runtime lacks
   * `ArrayBuffer.prototype.transfer` or `FinalizationRegistry`, that check is off and
   * one `console.warn` says so. Default `false`.
   */
  debug?: boolean;
  /** Where debug mode reports leaks. Default: `console.warn`. */
  onLeak?: LeakHandler;
}

/**
 * The smallest size class, in bytes. Smaller requests share it.
 *
 * @example
 * ```ts
 * import { MemoryPool, MIN_CLASS_SIZE } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const pool = new MemoryPool();
 * const bytes = pool.rent(3);
 * assert.equal(bytes.buffer.byteLength, MIN_CLASS_SIZE); // 16
 * pool.return(bytes);
 * ```
 */
export const MIN_CLASS_SIZE: number = 16;

/**
 * The default tiers: small ≤ 4 KiB, medium ≤ 64 KiB, large ≤ 1 MiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_TIERS } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(DEFAULT_TIERS.map((tier) => tier.maxSize), [4096, 65536, 1048576]);
 * ```
 */
export const DEFAULT_TIERS: readonly PoolTier[] = Object.freeze([
  Object.freeze({ name: "small", maxSize: 4 * 1024, maxBuffersPerClass: 64 }),
  Object.freeze({ name: "medium", maxSize: 64 * 1024, maxBuffersPerClass: 16 }),
  Object.freeze({ name: "large", maxSize: 1024 * 1024, maxBuffersPerClass: 4 }),
]);

/**
 * The default {@linkcode MemoryPoolOptions.maxRetainedBytes}: 32 MiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_RETAINED_BYTES, MemoryPool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new MemoryPool().maxRetainedBytes, DEFAULT_MAX_RETAINED_BYTES);
 * ```
 */
export const DEFAULT_MAX_RETAINED_BYTES: number = 32 * 1024 * 1024;

/**
 * The default {@linkcode MemoryPoolOptions.tuningInterval}: 5 s, so buffers
 * idle for 5 to 10 s are released, while pauses shorter than a window never
 * cost a steady load its buffers.
 *
 * @example
 * ```ts
 * import { DEFAULT_TUNING_INTERVAL } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_TUNING_INTERVAL, 5000);
 * ```
 */
export const DEFAULT_TUNING_INTERVAL: number = 5000;
