/**
 * The shape of {@linkcode MemoryPool.stats}.
 *
 * @module
 */

/** Counters for one tier of a pool. */
export interface TierStats {
  /** The tier's name. */
  readonly name: string;
  /** The tier's largest size class in bytes. */
  readonly maxSize: number;
  /** Rents served from a retained buffer. */
  readonly hits: number;
  /** Rents that had to allocate a new buffer. */
  readonly misses: number;
  /** Free buffers the tier holds now. */
  readonly retainedBuffers: number;
  /** Bytes of the free buffers the tier holds now. */
  readonly retainedBytes: number;
}

/** A snapshot of a pool's counters. */
export interface PoolStats {
  /** Buffers handed out by `rent` (empty rents excluded). */
  readonly rented: number;
  /** Buffers taken back by `return`. */
  readonly returned: number;
  /** Buffers handed out and not yet returned. */
  readonly outstanding: number;
  /** Rents served from a retained buffer. */
  readonly hits: number;
  /** Pooled rents that had to allocate. */
  readonly misses: number;
  /** Rents larger than the largest class (or with pooling off), allocated plainly. */
  readonly unpooled: number;
  /** Returns not retained because a per-class cap or `maxRetainedBytes` was hit. */
  readonly dropped: number;
  /** Bytes held by free buffers. */
  readonly retainedBytes: number;
  /** Per-tier figures, smallest tier first. */
  readonly tiers: readonly TierStats[];
}
