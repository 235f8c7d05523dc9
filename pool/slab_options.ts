/**
 * {@linkcode SlabOptions}: where an owned result is carved from, the same
 * option for the writer, the encoders and the decoders. It sits in the same
 * options object as a format's own options, and is read after them.
 *
 * @module
 */
import { SlabAllocator } from "./slab.ts";

/** Where an owned result is carved from. */
export interface SlabOptions {
  /**
   * The slab short results are carved from (default
   * {@linkcode SlabAllocator.shared}): their `buffer` may be shared with
   * other results. `null`: every result gets its own, exactly sized
   * `ArrayBuffer`.
   */
  slab?: SlabAllocator | null;
}

/**
 * The `slab` option of `options` (the shared slab when absent).
 *
 * @throws {TypeError} When it is neither a SlabAllocator, null nor undefined.
 */
export function slabOf(options: SlabOptions | undefined, what: string): SlabAllocator | null {
  if (options === undefined || options === null) return SlabAllocator.shared;
  const slab = options.slab;
  if (slab === undefined) return SlabAllocator.shared;
  if (slab !== null && !(slab instanceof SlabAllocator)) {
    throw new TypeError(`Cannot ${what}: slab must be a SlabAllocator, null or undefined`);
  }
  return slab;
}
