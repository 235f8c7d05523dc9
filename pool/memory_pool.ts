/**
 * {@linkcode MemoryPool}: a tiered pool of byte buffers.
 *
 * @module
 */
import { BufferWriter, type BufferWriterOptions } from "./buffer_writer.ts";
import { attachLeakTracker, createLeakTracker, warnLeak } from "./_leak_tracker.ts";
import {
  DEFAULT_MAX_RETAINED_BYTES,
  DEFAULT_TIERS,
  DEFAULT_TUNING_INTERVAL,
  type MemoryPoolOptions,
  MIN_CLASS_SIZE,
  type PoolTier,
  type Retention,
} from "./options.ts";
import { PooledBytes } from "./pooled_bytes.ts";
import { checkLength } from "./_length.ts";
import type { PoolStats, SizeClassStats, TierStats } from "./stats.ts";
import type { BytePool } from "./byte_pool.ts";
import { HAS_TRANSFER, setUnrefTimeout } from "../platform/runtime.ts";

/** log2(MIN_CLASS_SIZE): class index 0 holds MIN_CLASS_SIZE-byte buffers. */
const MIN_CLASS_SHIFT = 4;
/**
 * The class of a length `n ≥ 1` is `CLASS_BIAS - clz32((n - 1) | MIN_CLASS_MASK)`: the mask sends
 * every length up to MIN_CLASS_SIZE to class 0 without a branch. Local copies, not the imported
 * constant: a module import is read with a hole check, bytecode that counts against the inlining
 * budget of every pooled path that inlines `#take`.
 */
const MIN_CLASS_MASK = MIN_CLASS_SIZE - 1;
const CLASS_BIAS = 32 - MIN_CLASS_SHIFT;
const clz32 = Math.clz32;

let sharedPool: MemoryPool | undefined;

/**
 * The pool's record of one buffer, attached to the ArrayBuffer under a private
 * symbol: an O(1) ownership check with no hashing on the hot path.
 */
class BufferSlot {
  readonly pool: MemoryPool;
  /** The live buffer; in debug mode it changes on each return (detach). */
  buffer: ArrayBuffer;
  /** A view of the whole buffer, handed out as-is when a rent asks for exactly the class size. */
  full: Uint8Array;
  /**
   * Another view of the whole buffer, carrying its slot: what `rentAtLeast` hands out. An unpooled
   * buffer is never handed out by it, so there it is `full`: no second view per unpooled rent.
   */
  whole: Uint8Array;
  /** The buffer's size class, or `null` for an unpooled buffer. */
  readonly home: SizeClass | null;
  lent = true;

  constructor(pool: MemoryPool, buffer: ArrayBuffer, home: SizeClass | null) {
    this.pool = pool;
    this.buffer = buffer;
    this.full = new Uint8Array(buffer);
    this.whole = home === null ? this.full : slottedView(buffer, this);
    this.home = home;
    (buffer as SlottedBuffer)[SLOT] = this;
  }
}

/**
 * One size class: its free stack and counters in one object, so the hot path
 * reads one monomorphic record (reached from the slot on return) instead of
 * indexing several arrays.
 */
class SizeClass {
  /** Free buffers, used as a stack. */
  readonly free: BufferSlot[] = [];
  /** The buffer size in bytes. */
  readonly size: number;
  /** Index of the tier the class belongs to. */
  readonly tier: number;
  /** Free buffers the class may retain: fixed, or in auto mode the max of the last two windows' peaks. */
  cap: number;
  /** Buffers lent out now. */
  outstanding = 0;
  /** The most buffers lent out at once in the current tuning window. */
  peak = 0;
  hits = 0;
  misses = 0;

  constructor(size: number, tier: number, cap: number) {
    this.size = size;
    this.tier = tier;
    this.cap = cap;
  }
}

const SLOT: unique symbol = Symbol("@catga/memory pool slot");
type SlottedBuffer = ArrayBuffer & { [SLOT]?: BufferSlot };
type SlottedView = Uint8Array & { [SLOT]?: BufferSlot };

/**
 * A view of the whole of `buffer`, tagged with its slot as the buffer is: `return` of it finds the
 * slot without reading `.buffer`, which JSC runs as a call (6-7 ns a read on Bun 1.4, a third of a
 * rent and return). Only `rentAtLeast` hands it out, to encoders that fill it natively. Views that
 * JS loops write (`rent`, writers) stay untagged: a loop that also sees plain arrays would see two
 * maps, and a MessagePack `serializeTo` ran 15-20% slower so (Node 26).
 */
function slottedView(buffer: ArrayBuffer, slot: BufferSlot): Uint8Array {
  const view: SlottedView = new Uint8Array(buffer);
  view[SLOT] = slot;
  return view;
}

/**
 * A tiered pool of byte buffers: the analogue of .NET's `ArrayPool<byte>`.
 *
 * Buffers come in power-of-two size classes grouped in tiers (by default
 * small ≤ 4 KiB, medium ≤ 64 KiB, large ≤ 1 MiB). The whole pool retains at
 * most `maxRetainedBytes` of free buffers. How many each class keeps is tuned
 * from demand by default (`retention: "auto"`): a class keeps as many free
 * buffers as it recently had rented at once, and buffers idle for one to two
 * `tuningInterval`s are released by a timer that never keeps the process
 * alive. `retention: "fixed"` keeps each tier's `maxBuffersPerClass` instead.
 * The pool tracks every buffer it lends, so a double return or a foreign
 * buffer throws instead of handing one buffer to two owners.
 *
 * @example Rent and return
 * ```ts
 * import { MemoryPool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const pool = new MemoryPool();
 * const bytes = pool.rent(100); // 100 bytes, backed by a 128-byte buffer
 * bytes[0] = 42;
 * pool.return(bytes);
 * assert.equal(pool.stats().outstanding, 0);
 * ```
 */
export class MemoryPool implements BytePool {
  /** Whether debug checks are on (see {@linkcode MemoryPoolOptions.debug}). */
  readonly debug: boolean;
  /** Whether pooling is on (see {@linkcode MemoryPoolOptions.enabled}). */
  readonly enabled: boolean;
  /** Whether returned buffers are zero-filled. */
  readonly clearOnReturn: boolean;
  /** The most bytes retained while not rented: a hard ceiling in both retention modes. */
  readonly maxRetainedBytes: number;
  /** How per-class caps are set (see {@linkcode MemoryPoolOptions.retention}). */
  readonly retention: Retention;
  /** Milliseconds between auto-tuning steps (see {@linkcode MemoryPoolOptions.tuningInterval}). */
  readonly tuningInterval: number;

  #tiers: readonly PoolTier[];
  /** The largest pooled class size; larger rents are unpooled. 0 when pooling is off. */
  #maxPooledSize: number;
  /** Neither clearOnReturn nor debug: a return needs no extra work. */
  #plainReturns: boolean;
  /** The size classes, smallest first: class `c` holds `MIN_CLASS_SIZE << c` bytes. */
  #classes: SizeClass[] = [];
  #auto: boolean;
  /**
   * Auto mode with no tuning timer pending: the next miss starts one. (Nothing
   * is retained or lent then, so the next rent is a miss: returns need no check.)
   */
  #timerWanted: boolean;
  /** Tags the pending timer, so a late one that a watchdog replaced does nothing. */
  #timerGeneration = 0;
  /** When the last tuning step ran (Date.now). */
  #lastStep = 0;
  #released = 0;
  #empty: Uint8Array = new Uint8Array(0);
  #returned = 0;
  #unpooled = 0;
  #dropped = 0;
  #retainedBytes = 0;

  /**
   * Creates a pool.
   *
   * @param options Tiers, caps and switches; see {@linkcode MemoryPoolOptions}.
   * @throws {RangeError} When the tiers are not ascending powers of two ≤ 1 GiB, or a cap is negative.
   * @example A pool for sensitive data
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * const pool = new MemoryPool({ clearOnReturn: true, maxRetainedBytes: 4 << 20 });
   * ```
   */
  constructor(options: MemoryPoolOptions = {}) {
    this.enabled = options.enabled ?? true;
    this.clearOnReturn = options.clearOnReturn ?? false;
    this.debug = options.debug ?? false;
    this.maxRetainedBytes = checkCount(
      options.maxRetainedBytes ?? DEFAULT_MAX_RETAINED_BYTES,
      "maxRetainedBytes",
    );
    this.#tiers = checkTiers(options.tiers ?? DEFAULT_TIERS);
    this.retention = checkRetention(options.retention ?? "auto");
    this.tuningInterval = checkInterval(options.tuningInterval ?? DEFAULT_TUNING_INTERVAL);
    this.#auto = this.retention === "auto";
    let size = MIN_CLASS_SIZE;
    for (let t = 0; t < this.#tiers.length; t++) {
      for (; size <= this.#tiers[t].maxSize; size *= 2) {
        // Auto mode starts at 0 and learns: the first rent of a class raises its cap to 1.
        this.#classes.push(
          new SizeClass(size, t, this.#auto ? 0 : this.#tiers[t].maxBuffersPerClass),
        );
      }
    }
    this.#maxPooledSize = this.#classes.length === 0 || !this.enabled ? 0 : size / 2;
    this.#plainReturns = !this.clearOnReturn && !this.debug;
    this.#timerWanted = this.#auto && this.#maxPooledSize > 0;
    this.#lastStep = Date.now();
    if (this.debug) {
      const tracker = createLeakTracker(options.onLeak ?? warnLeak);
      if (tracker !== undefined) attachLeakTracker(this, tracker);
    }
  }

  /**
   * The process-wide pool with default options, created on first use.
   *
   * @returns The shared pool.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * const bytes = MemoryPool.shared.rent(16);
   * MemoryPool.shared.return(bytes);
   * ```
   */
  static get shared(): MemoryPool {
    return sharedPool ??= new MemoryPool();
  }

  /**
   * Rents a buffer of exactly `length` bytes. Its `.buffer` belongs to the
   * pool and is a whole size class long; contents are unspecified.
   * Requests above the largest class are allocated plainly (counted as unpooled).
   *
   * @param length The number of bytes; 0 gives an empty array.
   * @returns A view of `length` bytes at offset 0 of a pooled buffer.
   * @throws {RangeError} When `length` is negative, fractional, NaN or ≥ 2^31.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * const pool = new MemoryPool();
   * const bytes = pool.rent(1000);
   * assert.deepEqual([bytes.length, bytes.buffer.byteLength], [1000, 1024]);
   * pool.return(bytes);
   * ```
   */
  rent(length: number): Uint8Array {
    // #maxPooledSize is 0 when pooling is off, so one range check covers that too.
    if ((length | 0) !== length || length <= 0 || length > this.#maxPooledSize) {
      return this.#rentUnpooled(length);
    }
    const slot = this.#take(length);
    const full = slot.full;
    return length === full.length ? full : new Uint8Array(slot.buffer, 0, length);
  }

  /**
   * Rents a whole pooled buffer of at least `minimumLength` bytes: the
   * semantics of .NET's `ArrayPool.Rent`. A reused buffer comes back as the
   * same view object, so this allocates nothing; encoders that fill an
   * unknown part of a worst-case buffer use it and hand out a `subarray`.
   * Requests above the largest class are allocated plainly, exactly sized.
   *
   * @param minimumLength The fewest bytes needed; 0 gives an empty array.
   * @returns A view of the whole buffer (its length is the class size).
   * @throws {RangeError} When `minimumLength` is negative, fractional, NaN or ≥ 2^31.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * const pool = new MemoryPool();
   * const buffer = pool.rentAtLeast(1000);
   * assert.equal(buffer.length, 1024);
   * pool.return(buffer);
   * ```
   */
  rentAtLeast(minimumLength: number): Uint8Array {
    if (
      (minimumLength | 0) !== minimumLength || minimumLength <= 0 ||
      minimumLength > this.#maxPooledSize
    ) {
      return this.#rentUnpooled(minimumLength);
    }
    return this.#take(minimumLength).whole;
  }

  /** The hot path shared by the rents: a free or new slot of `length`'s class, marked lent. */
  #take(length: number): BufferSlot {
    const home = this.#classes[CLASS_BIAS - clz32((length - 1) | MIN_CLASS_MASK)];
    let slot = home.free.pop();
    if (slot === undefined) {
      slot = this.#newSlot(home);
    } else {
      slot.lent = true;
      this.#retainedBytes -= home.size;
      home.hits++;
    }
    // Rare in steady state: only a new peak of concurrent use takes this branch.
    if (++home.outstanding > home.peak) this.#raisePeak(home);
    return slot;
  }

  /**
   * Takes back a buffer that {@linkcode MemoryPool.rent} handed out. Any view
   * of it is accepted. Do not touch the buffer afterwards.
   *
   * @param bytes A view of a rented buffer.
   * @throws {TypeError} When it was already returned or was never rented from this pool; the pool is unchanged.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * const pool = new MemoryPool();
   * const bytes = pool.rent(10);
   * pool.return(bytes);
   * ```
   */
  return(bytes: Uint8Array): void {
    let slot = (bytes as SlottedView | undefined)?.[SLOT];
    if (slot === undefined || slot.whole !== bytes) slot = slotOfPart(bytes);
    if (slot === undefined || slot.pool !== this || !slot.lent) {
      this.#rejectReturn(bytes);
      return;
    }
    slot.lent = false;
    this.#returned++;
    const home = slot.home;
    if (home !== null) {
      home.outstanding--;
      if (this.#plainReturns) {
        const free = home.free;
        const size = home.size;
        if (free.length < home.cap && this.#retainedBytes + size <= this.maxRetainedBytes) {
          free.push(slot);
          this.#retainedBytes += size;
          return;
        }
      }
    }
    this.#returnSlow(slot);
  }

  /**
   * Rents `length` bytes with an owner that returns them on dispose.
   *
   * @param length The number of bytes.
   * @returns The owner of the rented bytes.
   * @throws {RangeError} When `length` is negative, fractional, NaN or ≥ 2^31.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * using owned = MemoryPool.shared.rentOwned(32);
   * owned.bytes.fill(1);
   * ```
   */
  rentOwned(length: number): PooledBytes {
    return new PooledBytes(this, this.rent(length));
  }

  /**
   * Creates a growable writer that rents its buffers from this pool.
   *
   * @param initialCapacity Bytes to rent up front. Default 256.
   * @param options The writer's maximum capacity.
   * @returns A new writer; dispose it to return its buffer.
   * @throws {RangeError} When `initialCapacity` is not a valid length or exceeds `maxCapacity`.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * using writer = MemoryPool.shared.rentWriter();
   * writer.write(new Uint8Array([1, 2, 3]));
   * assert.equal(writer.writtenCount, 3);
   * ```
   */
  rentWriter(
    initialCapacity = 256,
    options?: BufferWriterOptions,
  ): BufferWriter {
    return new BufferWriter(this, initialCapacity, options);
  }

  /**
   * A snapshot of the pool's counters.
   *
   * @returns Totals and per-tier figures.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * const pool = new MemoryPool();
   * pool.return(pool.rent(8));
   * assert.equal(pool.stats().returned, 1);
   * ```
   */
  stats(): PoolStats {
    const tiers: TierStats[] = this.#tiers.map((tier) => ({
      name: tier.name,
      maxSize: tier.maxSize,
      hits: 0,
      misses: 0,
      retainedBuffers: 0,
      retainedBytes: 0,
    }));
    const classes: SizeClassStats[] = [];
    let hits = 0;
    let misses = 0;
    for (const home of this.#classes) {
      const tier = tiers[home.tier] as {
        hits: number;
        misses: number;
        retainedBuffers: number;
        retainedBytes: number;
      };
      const retainedBuffers = home.free.length;
      tier.hits += home.hits;
      tier.misses += home.misses;
      tier.retainedBuffers += retainedBuffers;
      tier.retainedBytes += retainedBuffers * home.size;
      hits += home.hits;
      misses += home.misses;
      classes.push({
        size: home.size,
        tier: this.#tiers[home.tier].name,
        hits: home.hits,
        misses: home.misses,
        outstanding: home.outstanding,
        peak: home.peak,
        cap: home.cap,
        retainedBuffers,
      });
    }
    // Every rent is a hit, a miss or unpooled: the rent path keeps no total of its own.
    const rented = hits + misses + this.#unpooled;
    return {
      rented,
      returned: this.#returned,
      outstanding: rented - this.#returned,
      hits,
      misses,
      unpooled: this.#unpooled,
      dropped: this.#dropped,
      released: this.#released,
      retainedBytes: this.#retainedBytes,
      retention: this.retention,
      tiers,
      classes,
    };
  }

  /**
   * Runs one auto-tuning step now; the pool's own timer does this every
   * {@linkcode MemoryPool.tuningInterval} ms while it retains or lends buffers.
   * Each class's cap becomes the peak of concurrent use in the window that
   * just ended (the window that starts now raises it again on demand), and
   * free buffers beyond it are released. So a buffer nobody needed for one to
   * two windows is let go, while a steady load keeps its buffers. Lent
   * buffers are never touched. With `retention: "fixed"` it does nothing.
   *
   * @returns The number of bytes released.
   * @example Two idle windows release what a burst left behind
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const pool = new MemoryPool();
   * const burst = Array.from({ length: 8 }, () => pool.rent(1024));
   * for (const bytes of burst) pool.return(bytes);
   * assert.equal(pool.stats().retainedBytes, 8 * 1024);
   * assert.equal(pool.tune(), 0); // the burst was in this window: keep
   * assert.equal(pool.tune(), 8 * 1024); // a whole idle window: release
   * ```
   */
  tune(): number {
    this.#lastStep = Date.now();
    if (!this.#auto) return 0;
    let released = 0;
    for (const home of this.#classes) {
      const cap = home.peak;
      home.cap = cap;
      home.peak = home.outstanding;
      const free = home.free;
      if (free.length > cap) {
        const excess = free.length - cap;
        this.#released += excess;
        released += excess * home.size;
        free.length = cap; // free buffers of a class are interchangeable
      }
    }
    this.#retainedBytes -= released;
    return released;
  }

  /**
   * Releases every retained buffer to the garbage collector.
   *
   * @returns The number of bytes released.
   * @example
   * ```ts
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   * const pool = new MemoryPool();
   * pool.return(pool.rent(1000));
   * assert.equal(pool.trim(), 1024);
   * ```
   */
  trim(): number {
    const released = this.#retainedBytes;
    for (const home of this.#classes) home.free.length = 0;
    this.#retainedBytes = 0;
    return released;
  }

  /** The cold path of `rent`: empty, invalid, oversized, or pooling off. */
  #rentUnpooled(length: number): Uint8Array {
    checkLength(length);
    if (length === 0) return this.#empty;
    const slot = new BufferSlot(this, new ArrayBuffer(length), null);
    this.#unpooled++;
    return slot.full;
  }

  /** The miss path of `#take`, out of line so that the hot path stays small enough to inline. */
  #newSlot(home: SizeClass): BufferSlot {
    home.misses++;
    if (this.#auto) this.#tuneFromColdPath();
    return new BufferSlot(this, new ArrayBuffer(home.size), home);
  }

  /** The rest of `return`: clearing, detaching, unpooled buffers and full classes. */
  #returnSlow(slot: BufferSlot): void {
    if (this.clearOnReturn) slot.full.fill(0);
    const home = slot.home;
    // Unpooled buffers (too large, or pooling off) are simply let go.
    if (home === null) {
      if (this.debug) detach(slot.buffer);
      return;
    }
    const free = home.free;
    if (free.length >= home.cap || this.#retainedBytes + home.size > this.maxRetainedBytes) {
      this.#dropped++;
      if (this.debug) detach(slot.buffer);
      if (this.#auto) this.#tuneFromColdPath();
      return;
    }
    if (this.debug) this.#detachStaleViews(slot);
    free.push(slot);
    this.#retainedBytes += home.size;
  }

  /** A new peak of concurrent use of a class: auto mode retains up to it from now on. */
  #raisePeak(home: SizeClass): void {
    const outstanding = home.outstanding;
    home.peak = outstanding;
    if (this.#auto && outstanding > home.cap) home.cap = outstanding;
  }

  /** Schedules the next tuning step on a timer that never keeps the process alive. */
  #startTimer(): void {
    this.#timerWanted = false;
    const generation = ++this.#timerGeneration;
    const started = setUnrefTimeout(() => {
      if (generation !== this.#timerGeneration) return;
      this.tune();
      // Once nothing is retained or lent the timer stops; the next miss restarts it.
      if (this.#retainedBytes > 0 || this.#pooledOutstanding() > 0) this.#startTimer();
      else this.#timerWanted = true;
    }, this.tuningInterval);
    // Refused (workerd outside a request): tuning then runs from the watchdog.
    if (!started) this.#timerGeneration++;
  }

  /**
   * Auto mode, cold paths only (misses and drops): starts the tuning timer if
   * it is stopped, or steps the tuning when the timer is late by a whole
   * interval, as when a host refused or cancelled it.
   */
  #tuneFromColdPath(): void {
    const now = Date.now();
    if (this.#timerWanted) {
      this.#lastStep = now; // a window starts with the timer
      this.#startTimer();
      return;
    }
    if (now - this.#lastStep < 2 * this.tuningInterval) return;
    this.#timerGeneration++; // a pending timer, if it ever fires, now does nothing
    this.tune();
    this.#startTimer();
  }

  /** Buffers of the size classes lent out now (unpooled ones excluded). */
  #pooledOutstanding(): number {
    let outstanding = 0;
    for (const home of this.#classes) outstanding += home.outstanding;
    return outstanding;
  }

  /** Debug mode: move the bytes to a new ArrayBuffer so every stale view reads as empty. */
  #detachStaleViews(slot: BufferSlot): void {
    if (!HAS_TRANSFER) return; // warned once at construction: stale views stay attached
    const buffer = slot.buffer.transfer() as SlottedBuffer;
    buffer[SLOT] = slot;
    slot.buffer = buffer;
    slot.full = new Uint8Array(buffer);
    slot.whole = slottedView(buffer, slot);
  }

  #rejectReturn(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError("Cannot return buffer: expected a Uint8Array");
    }
    if (bytes.buffer === this.#empty.buffer) return; // rent(0) hands out a shared empty view
    // A stale view (a debug pool detached it) still names its slot: it was returned.
    const slot = (bytes.buffer as SlottedBuffer)[SLOT];
    if (slot !== undefined && slot.pool === this) {
      throw new TypeError("Cannot return buffer: it was already returned");
    }
    throw new TypeError("Cannot return buffer: it was not rented from this pool");
  }
}

/**
 * The slot of a view of part of a pooled buffer (or of a whole view made by the caller), or
 * `undefined` when `bytes` is not a view of a buffer that a slot holds now.
 */
function slotOfPart(bytes: Uint8Array): BufferSlot | undefined {
  const buffer = bytes?.buffer as SlottedBuffer | undefined;
  const slot = buffer?.[SLOT];
  return slot !== undefined && slot.buffer === buffer ? slot : undefined;
}

/** Lets a dropped buffer go; debug mode detaches it first, where the runtime can. */
function detach(buffer: ArrayBuffer): void {
  if (HAS_TRANSFER) buffer.transfer(0);
}

function checkRetention(retention: Retention): Retention {
  if (retention !== "auto" && retention !== "fixed") {
    throw new RangeError(
      `Cannot create pool: retention must be "auto" or "fixed", got ${String(retention)}`,
    );
  }
  return retention;
}

function checkInterval(milliseconds: number): number {
  if (!Number.isInteger(milliseconds) || milliseconds < 1 || milliseconds > 2 ** 31 - 1) {
    throw new RangeError(
      `Cannot create pool: tuningInterval must be an integer from 1 to 2^31 - 1 ms, got ${milliseconds}`,
    );
  }
  return milliseconds;
}

function checkCount(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `Cannot create pool: ${name} must be a non-negative integer, got ${value}`,
    );
  }
  return value;
}

function checkTiers(tiers: readonly PoolTier[]): readonly PoolTier[] {
  let previous = MIN_CLASS_SIZE / 2;
  for (const tier of tiers) {
    const { maxSize } = tier;
    if (
      !Number.isInteger(maxSize) || maxSize <= previous || maxSize > 2 ** 30 ||
      (maxSize & (maxSize - 1)) !== 0
    ) {
      throw new RangeError(
        `Cannot create pool: tier "${tier.name}" maxSize must be a power of two above ${previous} and at most 2^30, got ${maxSize}`,
      );
    }
    checkCount(
      tier.maxBuffersPerClass,
      `tier "${tier.name}" maxBuffersPerClass`,
    );
    previous = maxSize;
  }
  return tiers.map((tier) => Object.freeze({ ...tier }));
}
