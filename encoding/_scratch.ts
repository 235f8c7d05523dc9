/**
 * A small module-level scratch buffer for one-shot conversions, with big
 * requests served by the shared pool so nothing large is retained here.
 *
 * @module
 */
import { MemoryPool } from "../pool/mod.ts";

const RETAINED = 64 * 1024;
let scratch: Uint8Array | undefined;

/** A scratch array of at least `length` bytes; pass it back to {@link releaseScratch}. */
export function takeScratch(length: number): Uint8Array {
  if (length <= RETAINED) {
    const s = scratch;
    if (s !== undefined) {
      scratch = undefined; // re-entrancy safe: a nested call allocates its own
      return s;
    }
    return new Uint8Array(RETAINED);
  }
  return MemoryPool.shared.rent(length);
}

/** Gives back a buffer from {@link takeScratch}. */
export function releaseScratch(buffer: Uint8Array): void {
  if (buffer.length === RETAINED && buffer.buffer.byteLength === RETAINED) {
    scratch = buffer;
  } else {
    MemoryPool.shared.return(buffer);
  }
}
