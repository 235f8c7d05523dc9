import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  BufferWriter,
  MemoryPool,
  ObjectArrayPool,
  PooledBytes,
  rentArray,
  RentedArray,
} from "../pool/mod.ts";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { randomBytes, randomInt, rng } from "./_random.ts";

describe("PooledBytes", () => {
  test("dispose returns the buffer once; later access throws a TypeError", () => {
    const pool = new MemoryPool();
    const owned = pool.rentOwned(10);
    assert.equal(owned.length, 10);
    assert.equal(owned.bytes.length, 10);
    assert.equal(pool.stats().outstanding, 1);
    owned.dispose();
    owned.dispose();
    owned[Symbol.dispose]();
    assert.ok(owned.disposed);
    assert.equal(pool.stats().outstanding, 0);
    assert.equal(pool.stats().returned, 1);
    assert.throws(() => owned.bytes, { name: "TypeError", message: /already disposed/ });
    assert.throws(() => owned.length, TypeError);
  });

  test("using returns at the end of the block", () => {
    const pool = new MemoryPool();
    {
      using owned = pool.rentOwned(100);
      owned.bytes.fill(1);
      assert.equal(pool.stats().outstanding, 1);
    }
    assert.equal(pool.stats().outstanding, 0);
  });

  test("wrapping a prefix of a rented buffer returns the whole buffer", () => {
    const pool = new MemoryPool();
    const buffer = pool.rent(64);
    const owned = new PooledBytes(pool, buffer.subarray(0, 5));
    assert.equal(owned.length, 5);
    owned.dispose();
    assert.equal(pool.stats().outstanding, 0);
  });

  test("rejects non-Uint8Array input", () => {
    assert.throws(() => new PooledBytes(new MemoryPool(), [1] as unknown as Uint8Array), TypeError);
  });
});

describe("BufferWriter", () => {
  test("matches a plain-array reference over random write sequences", () => {
    const random = rng(99);
    for (let round = 0; round < 200; round++) {
      const pool = new MemoryPool();
      const writer = pool.rentWriter(randomInt(random, 0, 64));
      const reference: number[] = [];
      const steps = randomInt(random, 1, 40);
      for (let step = 0; step < steps; step++) {
        const kind = random();
        if (kind < 0.4) {
          const bytes = randomBytes(random, randomInt(random, 0, 3000));
          writer.write(bytes);
          reference.push(...bytes);
        } else if (kind < 0.7) {
          const hint = randomInt(random, 0, 2000);
          const span = writer.getSpan(hint);
          assert.ok(span.length >= Math.max(hint, 1));
          const count = randomInt(random, 0, Math.min(span.length, hint + 5));
          for (let i = 0; i < count; i++) span[i] = (reference.length + i) & 0xff;
          writer.advance(count);
          for (let i = 0; i < count; i++) reference.push((reference.length) & 0xff);
        } else if (kind < 0.95) {
          const hint = randomInt(random, 0, 500);
          const buffer = writer.reserve(hint);
          assert.ok(buffer.length - writer.writtenCount >= Math.max(hint, 1));
          const count = randomInt(random, 0, hint);
          const start = writer.writtenCount;
          for (let i = 0; i < count; i++) buffer[start + i] = 7;
          writer.advance(count);
          for (let i = 0; i < count; i++) reference.push(7);
        } else {
          writer.reset();
          reference.length = 0;
        }
        assert.equal(writer.writtenCount, reference.length);
        assert.ok(writer.capacity >= writer.writtenCount);
      }
      assert.deepEqual(writer.toBytes(), Uint8Array.from(reference));
      assert.deepEqual(writer.written, Uint8Array.from(reference));
      writer.dispose();
      assert.equal(pool.stats().outstanding, 0, `round ${round}`);
    }
  });

  test("growth copies only written bytes and returns the old buffer", () => {
    const pool = new MemoryPool();
    const writer = pool.rentWriter(16);
    writer.write(new Uint8Array([1, 2, 3]));
    const firstBuffer = writer.written.buffer;
    writer.getSpan(100);
    assert.notEqual(writer.written.buffer, firstBuffer);
    assert.deepEqual(writer.written, new Uint8Array([1, 2, 3]));
    assert.equal(pool.stats().outstanding, 1);
    assert.equal(pool.stats().tiers[0].retainedBuffers, 1);
    writer.dispose();
  });

  test("advance past the span is a RangeError", () => {
    using writer = new MemoryPool().rentWriter(16);
    const span = writer.getSpan(4);
    assert.throws(() => writer.advance(span.length + 1), RangeError);
    assert.throws(() => writer.advance(-1), RangeError);
    assert.throws(() => writer.advance(1.5), RangeError);
    assert.equal(writer.writtenCount, 0);
  });

  test("exceeding maxCapacity is a RangeError and nothing written is lost", () => {
    const pool = new MemoryPool();
    const writer = pool.rentWriter(16, { maxCapacity: 100 });
    writer.write(new Uint8Array(90).fill(5));
    assert.throws(() => writer.write(new Uint8Array(11)), {
      name: "RangeError",
      message: /maxCapacity 100/,
    });
    assert.equal(writer.writtenCount, 90);
    assert.ok(writer.written.every((byte) => byte === 5));
    writer.write(new Uint8Array(10).fill(6));
    assert.equal(writer.writtenCount, 100);
    assert.ok(writer.capacity <= 100);
    writer.dispose();
    assert.equal(pool.stats().outstanding, 0);
    assert.throws(() => pool.rentWriter(200, { maxCapacity: 100 }), RangeError);
  });

  test("detach hands over the bytes without copying; the writer stays usable", () => {
    const pool = new MemoryPool();
    const writer = pool.rentWriter();
    writer.write(new Uint8Array([9, 8, 7]));
    const writtenBuffer = writer.written.buffer;
    const owned = writer.detach();
    assert.equal(owned.bytes.buffer, writtenBuffer);
    assert.deepEqual(owned.bytes, new Uint8Array([9, 8, 7]));
    assert.equal(writer.writtenCount, 0);
    writer.write(new Uint8Array([1]));
    assert.notEqual(writer.written.buffer, writtenBuffer);
    assert.deepEqual(owned.bytes, new Uint8Array([9, 8, 7]));
    const empty = writer.detach();
    empty.dispose();
    const emptier = writer.detach(); // nothing held at all
    assert.equal(emptier.length, 0);
    emptier.dispose();
    owned.dispose();
    writer.dispose();
    assert.equal(pool.stats().outstanding, 0);
  });

  test("dispose is idempotent and any later use is a TypeError", () => {
    const pool = new MemoryPool();
    const writer = pool.rentWriter();
    writer.dispose();
    writer[Symbol.dispose]();
    assert.equal(pool.stats().outstanding, 0);
    for (
      const use of [
        () => writer.getSpan(1),
        () => writer.reserve(1),
        () => writer.write(new Uint8Array(1)),
        () => writer.written,
        () => writer.toBytes(),
        () => writer.detach(),
        () => writer.reset(),
        () => writer.advance(1),
      ]
    ) {
      assert.throws(use, TypeError);
    }
  });

  test("truncate keeps a prefix and rejects lengths beyond what was written", () => {
    using writer = new MemoryPool().rentWriter();
    writer.write(new Uint8Array([1, 2, 3, 4]));
    writer.truncate(2);
    assert.deepEqual(writer.written, new Uint8Array([1, 2]));
    assert.throws(() => writer.truncate(3), RangeError);
    assert.throws(() => writer.truncate(-1), RangeError);
    writer.truncate(0);
    assert.equal(writer.writtenCount, 0);
  });

  test("toBytes({ slab: null }) is an exact-size copy with its own buffer the caller owns", () => {
    using writer = new MemoryPool().rentWriter();
    writer.write(new Uint8Array([1, 2]));
    const copy = writer.toBytes({ slab: null });
    assert.equal(copy.buffer.byteLength, 2);
    writer.reset();
    writer.write(new Uint8Array([3]));
    assert.deepEqual(copy, new Uint8Array([1, 2]));
  });

  test("the constructor validates capacities", () => {
    const pool = new MemoryPool();
    assert.throws(() => new BufferWriter(pool, -1), RangeError);
    assert.throws(() => new BufferWriter(pool, 10, { maxCapacity: NaN }), RangeError);
    using zero = new BufferWriter(pool, 0);
    zero.write(new Uint8Array([1]));
    assert.equal(zero.writtenCount, 1);
  });
});

describe("debug-mode leak reports", () => {
  test("an owner collected without dispose is reported once with the rent stack", async (t) => {
    const gc = findGc();
    if (gc === undefined) {
      t.skip("this runtime exposes no way to force a GC here");
      return;
    }
    const reports: { kind: string; stack: string }[] = [];
    const pool = new MemoryPool({ debug: true, onLeak: (report) => reports.push(report) });
    (function leak() {
      pool.rentOwned(32);
      pool.rentWriter(64);
      pool.rentOwned(16).dispose(); // disposed: never reported
    })();
    for (let i = 0; i < 20 && reports.length < 2; i++) {
      await gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.deepEqual(reports.map((report) => report.kind).sort(), ["BufferWriter", "PooledBytes"]);
    assert.ok(reports.every((report) => /leak/.test(report.stack)), reports[0]?.stack);
  });
});

function findGc(): (() => Promise<void>) | undefined {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (g.Bun) return () => Promise.resolve(g.Bun!.gc(true));
  if (g.gc) return () => Promise.resolve(g.gc!());
  try {
    // V8 (Node, Deno): switch the flag on at run time and fetch gc from a fresh context.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as (() => void) | undefined;
    if (typeof gc === "function") return () => Promise.resolve(gc());
  } catch {
    // not available: the caller skips
  }
  return undefined;
}

describe("ObjectArrayPool", () => {
  test("rent gives exactly count slots; dispose clears references and reuses the array", () => {
    const pool = new ObjectArrayPool<object>();
    const first = pool.rent(3);
    assert.equal(first.items.length, 3);
    const array = first.items;
    array[0] = { big: true };
    first.dispose();
    assert.deepEqual(array, [undefined, undefined, undefined]);
    const second = pool.rent(3);
    assert.equal(second.items, array);
    assert.throws(() => first.items, TypeError);
    first.dispose(); // idempotent: must not return the array twice
    const third = pool.rent(3);
    assert.notEqual(third.items, second.items);
  });

  test("rentArray uses a shared pool and validates count", () => {
    {
      using batch = rentArray<number>(5);
      assert.equal(batch.items.length, 5);
      batch.items.fill(1);
    }
    using again = rentArray<number>(5);
    assert.deepEqual(again.items, [undefined, undefined, undefined, undefined, undefined]);
    assert.throws(() => rentArray(-1), RangeError);
    assert.throws(() => rentArray(2.5), RangeError);
  });

  test("caps are respected", () => {
    const pool = new ObjectArrayPool<number>({ maxArraysPerLength: 1, maxArrayLength: 4 });
    const a = pool.rent(2);
    const b = pool.rent(2);
    const arrayA = a.items;
    a.dispose();
    b.dispose();
    assert.equal(pool.rent(2).items, arrayA);
    assert.notEqual(pool.rent(2).items, arrayA);
    const long = pool.rent(5);
    const longArray = long.items;
    long.dispose();
    assert.notEqual(pool.rent(5).items, longArray);
  });
});

describe("ObjectArrayPool guards", () => {
  test("a double return throws a TypeError naming the object pool, and the pool is unchanged", () => {
    const pool = new ObjectArrayPool<number>();
    const rented = pool.rent(4);
    const items = rented.items;
    rented.dispose();
    assert.throws(() => pool.return(items), {
      name: "TypeError",
      message: "Cannot return array to object pool: it was already returned",
    });
    // The array is retained once, so two renters never receive it.
    const a = pool.rent(4);
    const b = pool.rent(4);
    assert.equal(a.items, items);
    assert.notEqual(b.items, items);
    a.items[0] = 1;
    assert.equal(b.items[0], undefined);
  });

  test("a foreign array throws a TypeError and leaves the pool unchanged", () => {
    const pool = new ObjectArrayPool<number>();
    const other = new ObjectArrayPool<number>();
    const mine = pool.rent(3);
    const kept = mine.items;
    mine.dispose();
    for (const foreign of [[1, 2, 3], other.rent(3).items]) {
      assert.throws(() => pool.return(foreign), {
        name: "TypeError",
        message: "Cannot return array to object pool: it was not rented from this pool",
      });
    }
    assert.throws(() => new RentedArray(pool, [0, 0, 0]).dispose(), TypeError);
    // Only the array that was really returned comes back, once.
    const first = pool.rent(3);
    const second = pool.rent(3);
    assert.equal(first.items, kept);
    assert.notEqual(second.items, kept);
  });

  test("a failed return leaves the foreign array's contents alone", () => {
    const pool = new ObjectArrayPool<string>();
    const foreign = ["a", "b"];
    assert.throws(() => pool.return(foreign), TypeError);
    assert.deepEqual(foreign, ["a", "b"]);
  });

  test("messages name the object pool, not a buffer", () => {
    const pool = new ObjectArrayPool<number>();
    assert.throws(() => pool.rent(-1), {
      name: "RangeError",
      message: /^Cannot rent from object pool: count must be an integer .* got -1$/,
    });
    assert.throws(() => new ObjectArrayPool({ maxArraysPerLength: 1.5 }), {
      name: "RangeError",
      message: /^Cannot create object pool: maxArraysPerLength must be .* got 1\.5$/,
    });
  });
});
