/**
 * {@linkcode ObjectArrayPool}: reusable JS arrays for batch operations.
 *
 * @module
 */
import { checkLength } from "./_length.ts";

/** Options for {@linkcode ObjectArrayPool}. */
export interface ObjectArrayPoolOptions {
  /** Free arrays kept per length. Default 16. */
  maxArraysPerLength?: number;
  /** Arrays longer than this are never kept. Default 65,536. */
  maxArrayLength?: number;
}

/**
 * A pool of plain JS arrays, bucketed by exact length so that a rented array
 * never changes shape.
 * Like `MemoryPool`, it tracks what it lends: a double return or
 * an array it never lent throws a TypeError and leaves the pool unchanged,
 * so two renters never receive the same array.
 *
 * @example Collect a batch without allocating a new array each time
 * ```ts
 * import { ObjectArrayPool } from "@catga/memory/pool";
 *
 * const pool = new ObjectArrayPool<Promise<void>>();
 * {
 *   using batch = pool.rent(3);
 *   for (let i = 0; i < 3; i++) batch.items[i] = Promise.resolve();
 *   await Promise.all(batch.items);
 * } // references cleared, array returned
 * ```
 */
export class ObjectArrayPool<T> {
  #free: Map<number, T[][]> = new Map();
  /** Every array this pool created: `true` while lent, `false` while free or dropped. */
  #lent: WeakMap<T[], boolean> = new WeakMap();
  #maxArraysPerLength: number;
  #maxArrayLength: number;

  /**
   * Creates a pool.
   *
   * @param options Caps on what is kept.
   * @throws {RangeError} When a cap is not a non-negative integer.
   * @example
   * ```ts
   * import { ObjectArrayPool } from "@catga/memory/pool";
   * const pool = new ObjectArrayPool<string>({ maxArraysPerLength: 4 });
   * ```
   */
  constructor(options: ObjectArrayPoolOptions = {}) {
    this.#maxArraysPerLength = options.maxArraysPerLength ?? 16;
    this.#maxArrayLength = options.maxArrayLength ?? 65_536;
    checkLength(this.#maxArraysPerLength, "create object pool", "maxArraysPerLength");
    checkLength(this.#maxArrayLength, "create object pool", "maxArrayLength");
  }

  /**
   * Rents an array of exactly `count` slots, all `undefined`.
   *
   * @param count The array length.
   * @returns The owner of the array; dispose it to clear and return it.
   * @throws {RangeError} When `count` is negative, fractional, NaN or ≥ 2^31.
   * @example
   * ```ts
   * import { ObjectArrayPool } from "@catga/memory/pool";
   * using rented = new ObjectArrayPool<number>().rent(2);
   * rented.items[0] = 1;
   * ```
   */
  rent(count: number): RentedArray<T> {
    let array = this.#free.get(count)?.pop();
    if (array === undefined) {
      checkLength(count, "rent from object pool", "count");
      array = new Array<T>(count).fill(undefined as T);
    }
    this.#lent.set(array, true);
    return new RentedArray(this, array);
  }

  /**
   * Takes back an array: clears its references, then keeps it if caps allow.
   * {@linkcode RentedArray.dispose} calls this.
   *
   * @param array An array from {@linkcode ObjectArrayPool.rent}.
   * @throws {TypeError} When it was already returned or was never rented from this pool; the pool is unchanged.
   * @example
   * ```ts
   * import { ObjectArrayPool } from "@catga/memory/pool";
   * const pool = new ObjectArrayPool<object>();
   * pool.rent(4).dispose(); // calls pool.return(items)
   * ```
   */
  return(array: T[]): void {
    const lent = this.#lent.get(array);
    if (lent !== true) {
      throw new TypeError(
        lent === false
          ? "Cannot return array to object pool: it was already returned"
          : "Cannot return array to object pool: it was not rented from this pool",
      );
    }
    this.#lent.set(array, false);
    // Clear first, so a dropped array keeps nothing alive either.
    array.fill(undefined as T);
    if (array.length > this.#maxArrayLength) return;
    let free = this.#free.get(array.length);
    if (free === undefined) this.#free.set(array.length, free = []);
    if (free.length < this.#maxArraysPerLength) free.push(array);
  }
}

/**
 * An array rented from an {@linkcode ObjectArrayPool}. Dispose it to clear
 * every reference and return the array.
 *
 * @example
 * ```ts
 * import { rentArray } from "@catga/memory/pool";
 * using rented = rentArray<string>(2);
 * rented.items[0] = "a";
 * ```
 */
export class RentedArray<T> implements Disposable {
  #pool: ObjectArrayPool<T> | null;
  #items: T[];

  /**
   * Wraps an array rented from `pool`; {@linkcode ObjectArrayPool.rent} does
   * this for you. Disposing a wrapper of any other array throws a TypeError.
   *
   * @param pool The pool the array returns to.
   * @param items The array, rented from `pool`.
   * @example
   * ```ts
   * import { ObjectArrayPool, RentedArray } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const pool = new ObjectArrayPool<number>();
   * const foreign = new RentedArray(pool, [0, 0]); // not lent by the pool
   * assert.throws(() => foreign.dispose(), TypeError);
   * ```
   */
  constructor(pool: ObjectArrayPool<T>, items: T[]) {
    this.#pool = pool;
    this.#items = items;
  }

  /**
   * The rented array; its length is exactly what was asked for.
   *
   * @returns The array.
   * @throws {TypeError} After dispose.
   * @example
   * ```ts
   * import { rentArray } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * using rented = rentArray<number>(3);
   * assert.equal(rented.items.length, 3);
   * ```
   */
  get items(): T[] {
    if (this.#pool === null) {
      throw new TypeError("Cannot use rented array: it was already disposed");
    }
    return this.#items;
  }

  /**
   * Clears the references and returns the array. Calling it again does nothing.
   *
   * @throws {TypeError} When the array was not lent by the pool, or was already returned through another wrapper.
   * @example
   * ```ts
   * import { rentArray } from "@catga/memory/pool";
   * const rented = rentArray<number>(3);
   * rented.dispose();
   * ```
   */
  dispose(): void {
    const pool = this.#pool;
    if (pool === null) return;
    this.#pool = null;
    pool.return(this.#items);
    this.#items = [];
  }

  /**
   * Same as {@linkcode RentedArray.dispose}, for `using`.
   *
   * @example
   * ```ts
   * import { rentArray } from "@catga/memory/pool";
   * using rented = rentArray<number>(3);
   * ```
   */
  [Symbol.dispose](): void {
    this.dispose();
  }
}

let sharedArrayPool: ObjectArrayPool<unknown> | undefined;

/**
 * Rents an array of `count` slots from a shared {@linkcode ObjectArrayPool}.
 *
 * @param count The array length.
 * @returns The owner of the array.
 * @throws {RangeError} When `count` is negative, fractional, NaN or ≥ 2^31.
 * @example
 * ```ts
 * import { rentArray } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 * using tasks = rentArray<Promise<number>>(2);
 * tasks.items[0] = Promise.resolve(1);
 * tasks.items[1] = Promise.resolve(2);
 * assert.deepEqual(await Promise.all(tasks.items), [1, 2]);
 * ```
 */
export function rentArray<T>(count: number): RentedArray<T> {
  sharedArrayPool ??= new ObjectArrayPool<unknown>();
  return (sharedArrayPool as ObjectArrayPool<T>).rent(count);
}
