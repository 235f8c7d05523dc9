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

/** Counters for one size class of a pool. */
export interface SizeClassStats {
  /** The class's buffer size in bytes (a power of two). */
  readonly size: number;
  /** The name of the tier the class belongs to. */
  readonly tier: string;
  /** Rents served from a retained buffer. */
  readonly hits: number;
  /** Rents that had to allocate a new buffer. */
  readonly misses: number;
  /** Buffers of this class lent out now. */
  readonly outstanding: number;
  /** The most buffers of this class lent out at once in the current tuning window. */
  readonly peak: number;
  /**
   * How many free buffers the class may retain now: with auto retention the
   * tuned cap (the higher of the last window's and this window's peak);
   * with fixed retention the tier's `maxBuffersPerClass`.
   */
  readonly cap: number;
  /** Free buffers the class holds now. */
  readonly retainedBuffers: number;
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
  /** Free buffers released by auto-tuning because they sat idle (not counting `trim()`). */
  readonly released: number;
  /** Bytes held by free buffers. */
  readonly retainedBytes: number;
  /** `"auto"` or `"fixed"`: how per-class caps are set. */
  readonly retention: "auto" | "fixed";
  /** Per-tier figures, smallest tier first. */
  readonly tiers: readonly TierStats[];
  /** Per-size-class figures, smallest class first, with each class's current cap. */
  readonly classes: readonly SizeClassStats[];
}
