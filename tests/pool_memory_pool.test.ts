import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryPool, type PoolStats } from "../pool/mod.ts";
import { randomInt, rng } from "./_random.ts";

function classSizeOf(length: number): number {
  let size = 16;
  while (size < length) size *= 2;
  return size;
}

function assertBalanced(stats: PoolStats): void {
  assert.equal(stats.outstanding, stats.rented - stats.returned);
  assert.equal(stats.hits + stats.misses + stats.unpooled, stats.rented);
  assert.equal(stats.tiers.reduce((sum, tier) => sum + tier.retainedBytes, 0), stats.retainedBytes);
}

describe("MemoryPool.rent", () => {
  test("gives exactly the requested length, backed by the power-of-two class size", () => {
    const pool = new MemoryPool();
    for (
      const length of [
        1,
        15,
        16,
        17,
        31,
        32,
        33,
        100,
        255,
        256,
        257,
        4095,
        4096,
        4097,
        65536,
        65537,
        1 << 20,
      ]
    ) {
      const bytes = pool.rent(length);
      assert.equal(bytes.length, length);
      assert.equal(bytes.byteOffset, 0);
      assert.equal(bytes.buffer.byteLength, classSizeOf(length), `class of ${length}`);
      pool.return(bytes);
    }
    assertBalanced(pool.stats());
  });

  test("rentAtLeast gives the whole class-size buffer, the same view object on reuse", () => {
    const pool = new MemoryPool();
    for (const length of [1, 16, 17, 1000, 4096, 4097, 1 << 20]) {
      const buffer = pool.rentAtLeast(length);
      assert.equal(buffer.length, classSizeOf(length));
      assert.equal(buffer.byteLength, buffer.buffer.byteLength);
      pool.return(buffer);
      assert.equal(pool.rentAtLeast(length), buffer, `reuse of ${length}`);
      pool.return(buffer);
    }
    const big = pool.rentAtLeast((1 << 20) + 3); // unpooled: exactly sized
    assert.equal(big.length, (1 << 20) + 3);
    pool.return(big);
    assert.equal(pool.rentAtLeast(0).length, 0);
    assert.throws(() => pool.rentAtLeast(-1), RangeError);
    assert.throws(() => pool.rentAtLeast(0.5), RangeError);
    assertBalanced(pool.stats());
    assert.equal(pool.stats().outstanding, 0);
  });

  test("length 0 gives an empty array that may be returned", () => {
    const pool = new MemoryPool();
    const empty = pool.rent(0);
    assert.equal(empty.length, 0);
    pool.return(empty);
    assert.equal(pool.stats().outstanding, 0);
  });

  test("above the largest class allocates plainly, counts as unpooled, and the return drops it", () => {
    const pool = new MemoryPool();
    const big = pool.rent((1 << 20) + 1);
    assert.equal(big.length, (1 << 20) + 1);
    assert.equal(pool.stats().unpooled, 1);
    pool.return(big);
    const stats = pool.stats();
    assert.equal(stats.outstanding, 0);
    assert.equal(stats.retainedBytes, 0);
    assert.equal(stats.dropped, 0);
  });

  test("reuses the same ArrayBuffer after a return (a hit)", () => {
    const pool = new MemoryPool();
    const first = pool.rent(300);
    const buffer = first.buffer;
    pool.return(first);
    const second = pool.rent(400); // same 512-byte class
    assert.equal(second.buffer, buffer);
    assert.equal(pool.stats().hits, 1);
    assert.equal(pool.stats().misses, 1);
    pool.return(second);
  });

  test("never hands one buffer to two renters at once", () => {
    const pool = new MemoryPool();
    const random = rng(7);
    const live = new Set<ArrayBufferLike>();
    const held: Uint8Array[] = [];
    for (let i = 0; i < 5000; i++) {
      if (held.length > 0 && random() < 0.45) {
        const bytes = held.splice(randomInt(random, 0, held.length - 1), 1)[0];
        live.delete(bytes.buffer);
        pool.return(bytes);
      } else {
        const bytes = pool.rent(randomInt(random, 1, 9000));
        assert.ok(!live.has(bytes.buffer), "a buffer was lent twice");
        live.add(bytes.buffer);
        held.push(bytes);
      }
    }
    for (const bytes of held) pool.return(bytes);
    assertBalanced(pool.stats());
    assert.equal(pool.stats().outstanding, 0);
  });

  test("rejects bad lengths with a RangeError naming the value", () => {
    const pool = new MemoryPool();
    for (const bad of [-1, 1.5, NaN, 2 ** 31, Infinity, -0.5]) {
      assert.throws(() => pool.rent(bad), (error: Error) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, new RegExp(String(bad).replace(".", "\\.")));
        return true;
      });
    }
    assert.throws(() => pool.rent("8" as unknown as number), TypeError);
    assert.equal(pool.stats().rented, 0);
  });
});

describe("MemoryPool.return misuse", () => {
  test("a double return throws a TypeError and leaves the pool unchanged", () => {
    const pool = new MemoryPool();
    const bytes = pool.rent(64);
    pool.return(bytes);
    const before = pool.stats();
    assert.throws(() => pool.return(bytes), {
      name: "TypeError",
      message: "Cannot return buffer: it was already returned",
    });
    assert.deepEqual(pool.stats(), before);
    // The retained buffer is still handed out once, not twice.
    const a = pool.rent(64);
    const b = pool.rent(64);
    assert.notEqual(a.buffer, b.buffer);
  });

  test("a buffer from elsewhere throws a TypeError and leaves the pool unchanged", () => {
    const pool = new MemoryPool();
    const other = new MemoryPool();
    const before = pool.stats();
    for (
      const foreign of [
        new Uint8Array(64),
        other.rent(64),
        new Uint8Array(new ArrayBuffer(128), 16, 8),
      ]
    ) {
      assert.throws(() => pool.return(foreign), {
        name: "TypeError",
        message: "Cannot return buffer: it was not rented from this pool",
      });
    }
    assert.throws(() => pool.return([1, 2] as unknown as Uint8Array), TypeError);
    assert.deepEqual(pool.stats(), before);
  });

  test("a whole view made by the caller returns the buffer, as the pool's own view does", () => {
    const pool = new MemoryPool();
    const own = pool.rentAtLeast(100);
    pool.return(new Uint8Array(own.buffer));
    assert.equal(pool.stats().outstanding, 0);
    assert.throws(() => pool.return(own), /already returned/);
    assert.equal(pool.rentAtLeast(100), own); // the pool's view, reused
    pool.return(own);
    assert.throws(() => new MemoryPool().return(own), /not rented from this pool/);
  });

  test("a subarray of a rented buffer returns the whole buffer", () => {
    const pool = new MemoryPool();
    const bytes = pool.rent(100);
    pool.return(bytes.subarray(10, 20));
    assert.equal(pool.stats().outstanding, 0);
    assert.throws(() => pool.return(bytes), /already returned/);
  });
});

describe("MemoryPool caps and options", () => {
  test("per-class caps are never exceeded; extra returns are counted as dropped", () => {
    const pool = new MemoryPool({
      retention: "fixed",
      tiers: [{ name: "only", maxSize: 1024, maxBuffersPerClass: 3 }],
    });
    const held = Array.from({ length: 10 }, () => pool.rent(1024));
    for (const bytes of held) pool.return(bytes);
    const stats = pool.stats();
    assert.equal(stats.tiers[0].retainedBuffers, 3);
    assert.equal(stats.retainedBytes, 3 * 1024);
    assert.equal(stats.dropped, 7);
    assertBalanced(stats);
  });

  test("maxRetainedBytes is never exceeded", () => {
    const random = rng(11);
    const pool = new MemoryPool({ maxRetainedBytes: 20_000 });
    const held: Uint8Array[] = [];
    for (let i = 0; i < 3000; i++) {
      if (held.length > 0 && random() < 0.5) pool.return(held.pop()!);
      else held.push(pool.rent(randomInt(random, 1, 70_000)));
      assert.ok(pool.stats().retainedBytes <= 20_000);
    }
    for (const bytes of held) pool.return(bytes);
    assert.ok(pool.stats().retainedBytes <= 20_000);
    assertBalanced(pool.stats());
  });

  test("enabled: false allocates every time and retains nothing", () => {
    const pool = new MemoryPool({ enabled: false });
    const a = pool.rent(100);
    assert.equal(a.length, 100);
    pool.return(a);
    const b = pool.rent(100);
    assert.notEqual(b.buffer, a.buffer);
    pool.return(b);
    const stats = pool.stats();
    assert.equal(stats.retainedBytes, 0);
    assert.equal(stats.unpooled, 2);
    assert.equal(stats.outstanding, 0);
    assert.throws(() => pool.return(b), /already returned/);
  });

  test("clearOnReturn zero-fills the buffer", () => {
    const pool = new MemoryPool({ clearOnReturn: true });
    const a = pool.rent(32);
    a.fill(0xaa);
    pool.return(a);
    const b = pool.rent(32);
    assert.equal(b.buffer, a.buffer);
    assert.ok(b.every((byte) => byte === 0));
  });

  test("trim releases retained buffers and reports the bytes", () => {
    const pool = new MemoryPool();
    pool.return(pool.rent(1000));
    pool.return(pool.rent(5000));
    assert.equal(pool.trim(), 1024 + 8192);
    assert.equal(pool.stats().retainedBytes, 0);
    assert.equal(pool.trim(), 0);
  });

  test("stats split by tier", () => {
    const pool = new MemoryPool();
    pool.return(pool.rent(100)); // small miss
    pool.return(pool.rent(100)); // small hit
    pool.return(pool.rent(10_000)); // medium miss
    pool.return(pool.rent(200_000)); // large miss
    const [small, medium, large] = pool.stats().tiers;
    assert.deepEqual([small.name, small.hits, small.misses, small.retainedBytes], [
      "small",
      1,
      1,
      128,
    ]);
    assert.deepEqual([medium.name, medium.hits, medium.misses], ["medium", 0, 1]);
    assert.deepEqual([large.name, large.misses, large.retainedBytes], ["large", 1, 262144]);
  });

  test("invalid tiers are rejected", () => {
    assert.throws(
      () => new MemoryPool({ tiers: [{ name: "x", maxSize: 1000, maxBuffersPerClass: 1 }] }),
      RangeError,
    );
    assert.throws(
      () =>
        new MemoryPool({
          tiers: [{ name: "a", maxSize: 1024, maxBuffersPerClass: 1 }, {
            name: "b",
            maxSize: 512,
            maxBuffersPerClass: 1,
          }],
        }),
      RangeError,
    );
    assert.throws(() => new MemoryPool({ maxRetainedBytes: -1 }), RangeError);
  });

  test("a pool with no tiers allocates everything plainly", () => {
    const pool = new MemoryPool({ tiers: [] });
    const bytes = pool.rent(5);
    assert.equal(bytes.length, 5);
    pool.return(bytes);
    assert.equal(pool.stats().unpooled, 1);
  });

  test("MemoryPool.shared is one lazily created instance", () => {
    assert.equal(MemoryPool.shared, MemoryPool.shared);
    assert.ok(MemoryPool.shared instanceof MemoryPool);
  });
});

describe("MemoryPool debug mode", () => {
  test("a returned buffer is detached, so a stale view cannot corrupt the next owner", () => {
    const pool = new MemoryPool({ debug: true });
    const stale = pool.rent(64);
    pool.return(stale);
    assert.equal(stale.length, 0);
    const next = pool.rent(64);
    next.fill(1);
    stale[0] = 99; // writes to a detached view go nowhere
    assert.equal(next[0], 1);
    assert.throws(() => stale.set([1]), TypeError);
    assert.throws(() => pool.return(stale), /already returned/);
    pool.return(next);
  });

  test("dropped buffers are detached too", () => {
    const pool = new MemoryPool({
      debug: true,
      tiers: [{ name: "t", maxSize: 64, maxBuffersPerClass: 0 }],
    });
    const stale = pool.rent(64);
    pool.return(stale);
    assert.equal(stale.length, 0);
  });
});

/** What the soak needs from a pool. */
interface SoakPool {
  rentOwned(length: number): { readonly bytes: Uint8Array; [Symbol.dispose](): void };
}

/** Every renter stamps the same positions (from the buffer's start), so any overlap shows. */
const STAMP_STRIDE = 64;

/**
 * 10,000 interleaved async renters. Each stamps its whole id (3 bytes, so no
 * two renters share a tag) plus a marker byte every STAMP_STRIDE bytes and
 * checks them after each await. Returns how many checks found another
 * renter's bytes.
 */
async function soak(pool: SoakPool): Promise<number> {
  const random = rng(2024);
  let corrupt = 0;
  const renter = async (id: number, length: number, waits: number[]) => {
    await new Promise((resolve) => setTimeout(resolve, id % 7)); // stagger, so returns feed later rents
    using owned = pool.rentOwned(length);
    const bytes = owned.bytes;
    const stamp = () => {
      for (let i = 0; i + 4 <= bytes.length; i += STAMP_STRIDE) {
        bytes[i] = id & 0xff;
        bytes[i + 1] = (id >>> 8) & 0xff;
        bytes[i + 2] = (id >>> 16) & 0xff;
        bytes[i + 3] = 0x5a;
      }
    };
    const intact = () => {
      for (let i = 0; i + 4 <= bytes.length; i += STAMP_STRIDE) {
        const seen = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16);
        if (seen !== id || bytes[i + 3] !== 0x5a) return false;
      }
      return true;
    };
    stamp();
    for (const wait of waits) {
      await (wait === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait)));
      if (!intact()) corrupt++;
      stamp();
    }
    if (!intact()) corrupt++;
  };
  const tasks: Promise<void>[] = [];
  for (let id = 0; id < 10_000; id++) {
    const waits = Array.from(
      { length: randomInt(random, 1, 3) },
      () => (random() < 0.9 ? 0 : randomInt(random, 0, 2)),
    );
    tasks.push(renter(id, randomInt(random, 4, 6000), waits));
  }
  await Promise.all(tasks);
  return corrupt;
}

describe("MemoryPool concurrency soak", () => {
  test("10,000 interleaved async renters never see each other's bytes", async () => {
    const pool = new MemoryPool();
    assert.equal(await soak(pool), 0);
    const stats = pool.stats();
    assert.equal(stats.outstanding, 0);
    assert.equal(stats.rented, stats.returned);
    assert.equal(stats.rented, 10_000);
    assert.ok(stats.hits > 0);
  });

  test("the soak catches a pool that hands one buffer to two renters", async () => {
    // Every 256th rent shares a buffer: the collision that one-byte tags (id & 0xff) hid.
    const buffers = Array.from({ length: 256 }, () => new Uint8Array(6000));
    let rents = 0;
    const broken: SoakPool = {
      rentOwned: (length) => ({
        bytes: buffers[rents++ % 256].subarray(0, length),
        [Symbol.dispose]() {},
      }),
    };
    assert.ok(await soak(broken) > 0);
  });
});
