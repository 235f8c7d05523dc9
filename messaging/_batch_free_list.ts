/**
 * Settled {@linkcode PayloadBatch}es kept for the next publish, so a steady
 * publisher reuses one pooled buffer instead of renting per batch. Internal to
 * `messaging/`.
 *
 * @module
 */
import type { MemoryPool } from "../pool/mod.ts";
import { PayloadBatch } from "./payload_batch.ts";

/** More than this many idle batches means publishes ran at once; the extras go back to the pool. */
const MAX_FREE_BATCHES = 4;

/** A transport's idle batches: take one per publish, recycle it once the publish settled. */
export class BatchFreeList {
  readonly #pool: MemoryPool;
  readonly #free: PayloadBatch[] = [];

  constructor(pool: MemoryPool) {
    this.#pool = pool;
  }

  /** An idle batch, or a new one on the pool. */
  take(): PayloadBatch {
    return this.#free.pop() ?? new PayloadBatch(this.#pool);
  }

  /**
   * Keeps a settled batch for the next publish; beyond a few (publishes that
   * ran at once) its buffer goes back to the pool instead of being held.
   */
  recycle(batch: PayloadBatch): void {
    if (this.#free.length < MAX_FREE_BATCHES) {
      batch.reset();
      this.#free.push(batch);
    } else {
      batch.dispose();
    }
  }

  /** Returns every idle batch's buffer to the pool. */
  dispose(): void {
    for (const batch of this.#free) batch.dispose();
    this.#free.length = 0;
  }
}
