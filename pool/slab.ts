/**
 * {@linkcode SlabAllocator}: exact-length owned results carved from shared
 * chunks, so that returning fresh bytes does not cost a fresh `ArrayBuffer`.
 *
 * @module
 */
import { checkLength } from "./_length.ts";
import { MARK_AS_UNTRANSFERABLE } from "../platform/runtime.ts";
import { FAST_PATHS } from "../platform/fast_paths.ts";

/** Options for {@linkcode SlabAllocator}. */
export interface SlabAllocatorOptions {
  /** Bytes per shared chunk. Default {@linkcode DEFAULT_SLAB_CHUNK_SIZE}. */
  chunkSize?: number;
  /**
   * The largest result carved from a chunk; longer results get an
   * `ArrayBuffer` of their own. From 0 (every result gets its own buffer) to
   * `chunkSize`. Default {@linkcode DEFAULT_SLAB_MAX_LENGTH}, or `chunkSize`
   * if that is smaller.
   */
  maxSlabLength?: number;
  /**
   * The shortest result carved from a chunk; shorter results of
   * {@linkcode SlabAllocator.allocate} and {@linkcode SlabAllocator.copy} get
   * a fresh array of their own. From 0 (carve every length up to
   * `maxSlabLength`). Default {@linkcode DEFAULT_SLAB_MIN_LENGTH}.
   */
  minSlabLength?: number;
}

/**
 * The default {@linkcode SlabAllocatorOptions.chunkSize} on this runtime:
 * 64 KiB on V8 runtimes (a new chunk costs the same from 8 to 64 KiB there),
 * 16 KiB on Bun, which carves nothing by default.
 *
 * @example
 * ```ts
 * import { DEFAULT_SLAB_CHUNK_SIZE, SlabAllocator } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new SlabAllocator().chunkSize, DEFAULT_SLAB_CHUNK_SIZE);
 * ```
 */
export const DEFAULT_SLAB_CHUNK_SIZE: number = FAST_PATHS.slabChunkSize;

/**
 * The default {@linkcode SlabAllocatorOptions.maxSlabLength} on this
 * runtime: 4 KiB on V8 (Node, Deno, browsers, workerd), 0 on Bun, where a
 * result with its own buffer measured faster (bench/slab.bench.ts).
 *
 * @example
 * ```ts
 * import { DEFAULT_SLAB_MAX_LENGTH, SlabAllocator } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new SlabAllocator().maxSlabLength, DEFAULT_SLAB_MAX_LENGTH);
 * ```
 */
export const DEFAULT_SLAB_MAX_LENGTH: number = FAST_PATHS.slabMaxLength;

/**
 * The default {@linkcode SlabAllocatorOptions.minSlabLength} on this
 * runtime: 65 on V8, where a typed array of up to 64 bytes is allocated in
 * the JS heap and costs less than a view of a chunk (bench/slab.bench.ts).
 *
 * @example
 * ```ts
 * import { DEFAULT_SLAB_MIN_LENGTH, SlabAllocator } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new SlabAllocator().minSlabLength, DEFAULT_SLAB_MIN_LENGTH);
 * ```
 */
export const DEFAULT_SLAB_MIN_LENGTH: number = FAST_PATHS.slabMinLength;

/** Results start on 8-byte boundaries, so a caller may lay any typed array over one. */
const ALIGN_MASK = 7;
const EMPTY_LENGTH = 0;

let sharedSlab: SlabAllocator | undefined;

/**
 * Hands out exact-length `Uint8Array`s that the caller owns, carved by bump
 * allocation from a shared chunk (the way Node's `Buffer.from` and msgpackr's
 * `pack` avoid one `ArrayBuffer` per result). A range, once handed out, is
 * never written by the allocator again, and nothing is ever returned: the
 * garbage collector reclaims a chunk when the last view of it dies.
 *
 * The trade-offs of a shared chunk:
 * - `result.buffer` is shared with other results and `result.byteOffset` is
 *   usually not 0. Pass `result` itself (or `result.slice()`) to APIs, never
 *   `result.buffer`: `new Response(result.buffer)` would send the neighbours
 *   too, and transferring it (`postMessage(x, [result.buffer])`) would detach
 *   them. On Node the chunks are marked untransferable, so such a transfer
 *   throws a `DataCloneError` and detaches nothing.
 * - A small result kept for a long time keeps its whole chunk alive.
 * - Results longer than `maxSlabLength` get their own `ArrayBuffer`.
 *
 * Where a result must have its own buffer, the APIs that use the slab accept
 * `null` in its place (see each API's docs).
 *
 * @example Owned results from one chunk
 * ```ts
 * import { SlabAllocator } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const slab = new SlabAllocator({ chunkSize: 16384, maxSlabLength: 4096, minSlabLength: 0 });
 * const a = slab.copy(new Uint8Array([1, 2, 3]));
 * const b = slab.allocate(5);
 * assert.deepEqual([...a], [1, 2, 3]);
 * assert.equal(b.length, 5);
 * assert.equal(a.buffer, b.buffer); // one shared chunk, no ArrayBuffer per result
 * ```
 */
export class SlabAllocator {
  /** Bytes per shared chunk. */
  readonly chunkSize: number;
  /** The largest result carved from a chunk. */
  readonly maxSlabLength: number;
  /** The shortest result `allocate` and `copy` carve from a chunk. */
  readonly minSlabLength: number;

  /** `maxSlabLength - minSlabLength`: `allocate`/`copy` carve `length` when `length - min` is in [0, this]. */
  #carveSpan: number;
  #chunk: ArrayBuffer | undefined;
  /** A view of the whole current chunk, for callers that write before committing. */
  #chunkView: Uint8Array = new Uint8Array(0);
  /** The first free byte of the current chunk. */
  #offset = 0;
  /**
   * End of the bytes a `reserve` caller may have written past its commit:
   * `allocate` zero-fills results that start below it (fresh chunks are zero).
   */
  #dirtyEnd = 0;
  /** End of the current reservation (the chunk's end); `commit` may hand out up to it. 0 when none. */
  #reservedEnd = 0;

  /**
   * Creates an allocator with its own chunks.
   *
   * @param options Chunk size and the largest slab-carved result.
   * @throws {RangeError} When a size is not a positive integer, or `maxSlabLength` exceeds `chunkSize`.
   * @example
   * ```ts
   * import { SlabAllocator } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const slab = new SlabAllocator({ chunkSize: 64 * 1024, maxSlabLength: 8 * 1024 });
   * assert.equal(slab.maxSlabLength, 8192);
   * ```
   */
  constructor(options: SlabAllocatorOptions = {}) {
    const chunkSize = options.chunkSize ?? DEFAULT_SLAB_CHUNK_SIZE;
    const maxSlabLength = options.maxSlabLength ??
      Math.min(DEFAULT_SLAB_MAX_LENGTH, chunkSize);
    checkSize(chunkSize, "chunkSize", 1);
    checkSize(maxSlabLength, "maxSlabLength", 0);
    const minSlabLength = options.minSlabLength ?? DEFAULT_SLAB_MIN_LENGTH;
    checkSize(minSlabLength, "minSlabLength", 0);
    if (maxSlabLength > chunkSize) {
      throw new RangeError(
        `Cannot create slab allocator: maxSlabLength ${maxSlabLength} exceeds chunkSize ${chunkSize}`,
      );
    }
    this.chunkSize = chunkSize;
    this.maxSlabLength = maxSlabLength;
    // One range check on the hot path: carve when `length - min` is within it.
    this.minSlabLength = minSlabLength;
    this.#carveSpan = maxSlabLength - minSlabLength;
  }

  /**
   * The process-wide allocator with default options, created on first use.
   * The library's owned-result APIs use it unless told otherwise.
   *
   * @returns The shared allocator.
   * @example
   * ```ts
   * import { SlabAllocator } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * assert.equal(SlabAllocator.shared, SlabAllocator.shared);
   * ```
   */
  static get shared(): SlabAllocator {
    return sharedSlab ??= new SlabAllocator();
  }

  /**
   * Returns `length` zero-filled bytes the caller owns: a range of the
   * current chunk, or its own `ArrayBuffer` above `maxSlabLength`.
   *
   * @param length The number of bytes.
   * @returns An exact-length view.
   * @throws {TypeError} When `length` is not a number.
   * @throws {RangeError} When `length` is not an integer in [0, 2^31).
   * @example
   * ```ts
   * import { SlabAllocator } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const bytes = SlabAllocator.shared.allocate(3);
   * assert.deepEqual([...bytes], [0, 0, 0]);
   * ```
   */
  allocate(length: number): Uint8Array {
    if ((length | 0) !== length || length <= EMPTY_LENGTH || !this.#carves(length)) {
      // A valid int32 length is a valid array length: only the rest needs checking.
      return length >= EMPTY_LENGTH && (length | 0) === length
        ? new Uint8Array(length)
        : allocateOwn(length);
    }
    const out = this.#carve(length);
    if (out.byteOffset < this.#dirtyEnd) out.fill(0);
    return out;
  }

  /**
   * Returns an owned copy of `source` (or of `source[start, end)`).
   *
   * @param source The bytes to copy.
   * @param start The first index to copy. Default 0.
   * @param end One past the last index to copy. Default `source.length`.
   * @returns An exact-length copy the caller owns.
   * @throws {TypeError} When `source` is not a Uint8Array.
   * @throws {RangeError} When `start`/`end` are not `0 ≤ start ≤ end ≤ source.length`.
   * @example
   * ```ts
   * import { SlabAllocator } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const source = new Uint8Array([1, 2, 3, 4]);
   * const copy = SlabAllocator.shared.copy(source, 1, 3);
   * source[1] = 9;
   * assert.deepEqual([...copy], [2, 3]);
   * ```
   */
  copy(source: Uint8Array, start = 0, end: number = source?.length): Uint8Array {
    if (!(source instanceof Uint8Array)) {
      throw new TypeError("Cannot copy bytes: expected a Uint8Array");
    }
    if (
      (start | 0) !== start || (end | 0) !== end || start < 0 || end < start ||
      end > source.length
    ) {
      throw new RangeError(
        `Cannot copy bytes: range [${start}, ${end}) is outside 0..${source.length}`,
      );
    }
    const length = end - start;
    // Every byte is overwritten, so a carved range needs no zero-fill.
    if (length <= EMPTY_LENGTH || !this.#carves(length)) {
      // The built-in copy: a plain Uint8Array's `slice` (a Buffer's would be a view).
      return source.constructor === Uint8Array
        ? source.slice(start, end)
        : new Uint8Array(source.subarray(start, end));
    }
    const out = this.#carve(length);
    if (length <= 32) {
      // A loop beats subarray+set for short copies: no view allocation.
      for (let i = 0; i < length; i++) out[i] = source[start + i];
    } else {
      out.set(start === 0 && end === source.length ? source : source.subarray(start, end));
    }
    return out;
  }

  /**
   * For encoders that write first and learn the length after: makes room for
   * up to `maxLength` bytes and returns a view of the whole current chunk;
   * write at {@linkcode SlabAllocator.offset}, then call
   * {@linkcode SlabAllocator.commit} with the length written. Nothing is
   * handed out until `commit`, so an abandoned write costs nothing.
   *
   * @param maxLength The most bytes the caller will write; at most `maxSlabLength`.
   * @returns The current chunk, whole.
   * @throws {RangeError} When `maxLength` is not an integer in [0, maxSlabLength].
   * @example
   * ```ts
   * import { SlabAllocator } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const slab = new SlabAllocator({ chunkSize: 16384, maxSlabLength: 4096 });
   * const chunk = slab.reserve(16);
   * const { written } = new TextEncoder().encodeInto("hi", chunk.subarray(slab.offset));
   * const bytes = slab.commit(written);
   * assert.deepEqual([...bytes], [104, 105]);
   * ```
   */
  reserve(maxLength: number): Uint8Array {
    if ((maxLength | 0) !== maxLength || maxLength < 0 || maxLength > this.maxSlabLength) {
      throw new RangeError(
        `Cannot reserve slab space: length must be an integer from 0 to ${this.maxSlabLength}, got ${
          String(maxLength)
        }`,
      );
    }
    this.#reserve(maxLength);
    // The caller gets the whole chunk and may use all of its free tail (an
    // encoder that guessed short keeps going), so all of it may be written.
    const end = this.chunkSize;
    this.#dirtyEnd = end;
    this.#reservedEnd = end;
    return this.#chunkView;
  }

  /**
   * Where in the chunk from {@linkcode SlabAllocator.reserve} the next result starts.
   *
   * @returns The offset, in bytes, into the chunk.
   * @example
   * ```ts
   * import { SlabAllocator } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const slab = new SlabAllocator({ chunkSize: 1024, maxSlabLength: 256, minSlabLength: 0 });
   * slab.copy(new Uint8Array(3));
   * slab.reserve(8);
   * assert.equal(slab.offset, 8); // results start on 8-byte boundaries
   * ```
   */
  get offset(): number {
    return this.#offset;
  }

  /**
   * Hands out the `length` bytes written at {@linkcode SlabAllocator.offset}
   * after a {@linkcode SlabAllocator.reserve}.
   *
   * @param length The number of bytes written: at least what was reserved is
   *   guaranteed to fit, and anything up to the end of the chunk is accepted.
   * @returns An exact-length view the caller owns.
   * @throws {RangeError} When no `reserve` is pending (each reservation commits once, and any other result handed out cancels it) or `length` passes the end of the chunk.
   * @example
   * ```ts
   * import { SlabAllocator } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const slab = new SlabAllocator({ chunkSize: 16384, maxSlabLength: 4096 });
   * const chunk = slab.reserve(2);
   * chunk[slab.offset] = 7;
   * chunk[slab.offset + 1] = 8;
   * assert.deepEqual([...slab.commit(2)], [7, 8]);
   * ```
   */
  commit(length: number): Uint8Array {
    const offset = this.#offset;
    if ((length | 0) !== length || length < 0 || offset + length > this.#reservedEnd) {
      throw new RangeError(
        `Cannot commit slab bytes: ${String(length)} bytes at offset ${offset} exceed the ${
          Math.max(0, this.#reservedEnd - offset)
        } bytes reserved`,
      );
    }
    this.#reservedEnd = 0;
    if (length === EMPTY_LENGTH) return new Uint8Array(0);
    this.#offset = (offset + length + ALIGN_MASK) & ~ALIGN_MASK;
    return new Uint8Array(this.#chunk!, offset, length);
  }

  /** Whether `allocate`/`copy` carve a result of `length` (≥ 1) bytes from a chunk. */
  #carves(length: number): boolean {
    return (length - this.minSlabLength) >>> 0 <= this.#carveSpan;
  }

  /** Hands out the next `length` bytes (1 ≤ length ≤ maxSlabLength) of a chunk, unfilled. */
  #carve(length: number): Uint8Array {
    const offset = this.#reserve(length);
    this.#offset = (offset + length + ALIGN_MASK) & ~ALIGN_MASK;
    this.#reservedEnd = 0; // a pending reservation's start was just handed out
    return new Uint8Array(this.#chunk!, offset, length);
  }

  /** Ensures `length` free bytes at the current offset; returns that offset. */
  #reserve(length: number): number {
    const offset = this.#offset;
    if (this.#chunk !== undefined && offset + length <= this.chunkSize) return offset;
    const chunk = new ArrayBuffer(this.chunkSize);
    MARK_AS_UNTRANSFERABLE?.(chunk);
    this.#chunk = chunk;
    this.#chunkView = new Uint8Array(chunk);
    this.#offset = 0;
    this.#dirtyEnd = 0;
    return 0;
  }
}

/** A result with its own exactly-sized `ArrayBuffer` (also the cold path of `allocate`). */
function allocateOwn(length: number): Uint8Array {
  checkLength(length, "allocate bytes");
  return new Uint8Array(length);
}

function checkSize(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min || value > 2 ** 30) {
    throw new RangeError(
      `Cannot create slab allocator: ${name} must be an integer from ${min} to 2^30, got ${value}`,
    );
  }
}
