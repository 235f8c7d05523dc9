/**
 * {@linkcode PooledBytes}: pooled memory with one owner, returned on dispose.
 *
 * @module
 */
import type { BytePool } from "./byte_pool.ts";
import { leakTrackerOf } from "./_leak_tracker.ts";

const EMPTY = new Uint8Array(0);
const isInteger = Number.isInteger;

/**
 * Bytes rented from a {@linkcode MemoryPool} with exactly one owner: the
 * analogue of .NET's `IMemoryOwner<byte>`. Dispose it (ideally with `using`)
 * to give the buffer back; afterwards every access throws.
 *
 * @example Rent, fill and give back
 * ```ts
 * import { MemoryPool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const pool = new MemoryPool();
 * {
 *   using owned = pool.rentOwned(4);
 *   owned.bytes.set([1, 2, 3, 4]);
 *   assert.equal(owned.length, 4);
 * } // returned here
 * assert.equal(pool.stats().outstanding, 0);
 * ```
 */
export class PooledBytes implements Disposable {
  #pool: BytePool | null;
  /** What goes back to the pool: the rented buffer, or the view the caller gave. */
  #rented: Uint8Array;
  #length: number;
  /** The view handed out, made on first read: most owners only read `length` and dispose. */
  #view: Uint8Array | undefined;

  /**
   * Wraps a view of a buffer rented from `pool`, so that disposing the owner returns it.
   * Encoders use this to hand out the part of a rented buffer they filled.
   *
   * @param pool The pool the buffer was rented from.
   * @param bytes A view (any offset and length) of that rented buffer.
   * @param length When given, only `bytes[0, length)` is owned content; the view of it
   * is made on the first read of {@linkcode PooledBytes.bytes}, not here.
   * @throws {TypeError} When `bytes` is not a `Uint8Array`.
   * @throws {RangeError} When `length` is not an integer in `[0, bytes.length]`.
   * @example Own a filled prefix of a rented buffer
   * ```ts
   * import { MemoryPool, PooledBytes } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const pool = new MemoryPool();
   * const buffer = pool.rent(64);
   * buffer.set([104, 105]);
   * using owned = new PooledBytes(pool, buffer.subarray(0, 2));
   * assert.equal(owned.length, 2);
   * ```
   */
  constructor(pool: BytePool, bytes: Uint8Array, length?: number) {
    // Errors and debug tracking are out of line: this constructor is inlined into the pooled
    // paths, and V8 shares one inlining budget across a whole path. Each byte here is one less
    // for the calls after it (Deno's JS `encodeInto` wrapper, in `serializePooled`).
    if (!(bytes instanceof Uint8Array)) throw notBytesError();
    const whole = bytes.length;
    if (length === undefined) length = whole;
    else if (!isInteger(length) || length < 0 || length > whole) throw lengthError(length, whole);
    this.#pool = pool;
    this.#rented = bytes;
    this.#length = length;
    this.#view = length === whole ? bytes : undefined;
    if (pool.debug) trackOwner(pool, this);
  }

  /**
   * The owned bytes.
   *
   * @returns A view of the owned bytes; do not keep it after dispose.
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * using owned = new MemoryPool().rentOwned(3);
   * owned.bytes.fill(7);
   * ```
   */
  get bytes(): Uint8Array {
    if (this.#pool === null) throw disposedError();
    const rented = this.#rented;
    return this.#view ??= new Uint8Array(rented.buffer, rented.byteOffset, this.#length);
  }

  /**
   * The number of owned bytes.
   *
   * @returns The length of {@linkcode PooledBytes.bytes}.
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * using owned = new MemoryPool().rentOwned(3);
   * assert.equal(owned.length, 3);
   * ```
   */
  get length(): number {
    if (this.#pool === null) throw disposedError();
    return this.#length;
  }

  /**
   * Whether the bytes were given back.
   *
   * @returns `true` after {@linkcode PooledBytes.dispose}.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * const owned = new MemoryPool().rentOwned(3);
   * owned.dispose();
   * assert.equal(owned.disposed, true);
   * ```
   */
  get disposed(): boolean {
    return this.#pool === null;
  }

  /**
   * Returns the buffer to its pool. Calling it again does nothing.
   *
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * const owned = new MemoryPool().rentOwned(3);
   * owned.dispose();
   * owned.dispose(); // no-op
   * ```
   */
  dispose(): void {
    const pool = this.#pool;
    if (pool === null) return;
    this.#pool = null;
    const rented = this.#rented;
    this.#rented = EMPTY;
    this.#view = EMPTY;
    this.#length = 0;
    if (--disposalsUntilKeep === 0) keepAlive(this);
    if (pool.debug) leakTrackerOf(pool)?.untrack(this);
    pool.return(rented);
  }

  /**
   * Same as {@linkcode PooledBytes.dispose}, for `using`.
   *
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * using owned = new MemoryPool().rentOwned(3);
   * ```
   */
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * A disposed instance, kept alive. Every `PooledBytes` is short-lived, and V8
 * drops an object shape that no live object has at a full GC, throwing away
 * the optimized code of every pooled path built on it (`--trace-deopt`:
 * "embedded weak objects cleared"): `serializePooled` ran at 0.52-0.6x of its
 * ceiling after each major GC (bench/seam_direct.bench.ts json). Kept from
 * the first dispose, then every {@linkcode KEEP_EVERY}th, so that a shape V8
 * replaces (a field whose representation changes) soon has a live instance
 * again. Not on every dispose: that store of a young object into an old one
 * (the slow path of the write barrier) cost `serializePooled` of a small
 * message 0.02-0.08x of its ceiling (same bench, Node 26).
 */
// deno-lint-ignore no-unused-vars
let keptAlive: PooledBytes | undefined;
/** How often {@linkcode keptAlive} is renewed, in disposals. */
const KEEP_EVERY = 4096;
let disposalsUntilKeep = 1;

function keepAlive(owner: PooledBytes): void {
  disposalsUntilKeep = KEEP_EVERY;
  keptAlive = owner;
}

function trackOwner(pool: BytePool, owner: PooledBytes): void {
  leakTrackerOf(pool)?.track(owner, "PooledBytes");
}

function notBytesError(): TypeError {
  return new TypeError("Cannot own pooled bytes: expected a Uint8Array");
}

function lengthError(length: number, whole: number): RangeError {
  return new RangeError(`Cannot own pooled bytes: length ${length} is outside [0, ${whole}]`);
}

function disposedError(): TypeError {
  return new TypeError("Cannot use pooled bytes: they were already disposed");
}
