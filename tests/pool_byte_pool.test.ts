import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  BufferWriter,
  type BytePool,
  MemoryPool,
  PooledBytes,
  UnpooledBytePool,
} from "../pool/mod.ts";
import { randomBytes, randomInt, rng } from "./_random.ts";

/** A BytePool that records what it lends, to check writers and owners give everything back. */
class CountingPool implements BytePool {
  readonly debug = false;
  readonly lent = new Set<ArrayBufferLike>();
  rents = 0;
  rent(length: number): Uint8Array {
    const bytes = UnpooledBytePool.shared.rent(length);
    this.lent.add(bytes.buffer);
    this.rents++;
    return bytes;
  }
  return(bytes: Uint8Array): void {
    assert.ok(this.lent.delete(bytes.buffer), "returned once, and only what was rented");
  }
}

describe("BytePool", () => {
  test("UnpooledBytePool rents fresh exact buffers and checks its argument", () => {
    const pool = UnpooledBytePool.shared;
    const a = pool.rent(10);
    const b = pool.rent(10);
    assert.equal(a.length, 10);
    assert.equal(a.buffer.byteLength, 10);
    assert.notEqual(a.buffer, b.buffer);
    assert.deepEqual([...pool.rent(0)], []);
    assert.equal(pool.debug, false);
    assert.throws(() => pool.rent(-1), RangeError);
    assert.throws(() => pool.rent(1.5), RangeError);
    assert.throws(() => pool.rent("3" as unknown as number), TypeError);
    assert.throws(() => pool.return({} as Uint8Array), TypeError);
    pool.return(a); // nothing happens: the buffer stays usable for whoever still holds it
    assert.equal(a.length, 10);
  });

  test("a BufferWriter over any BytePool writes the same bytes and returns every buffer", () => {
    const random = rng(18);
    for (const pool of [new CountingPool(), UnpooledBytePool.shared, new MemoryPool()]) {
      const expected: number[] = [];
      const writer = new BufferWriter(pool, 4);
      for (let i = 0; i < 50; i++) {
        const chunk = randomBytes(random, randomInt(random, 0, 300));
        writer.write(chunk);
        expected.push(...chunk);
      }
      assert.deepEqual([...writer.written], expected);
      const owned = writer.detach();
      assert.deepEqual([...owned.bytes], expected);
      owned.dispose();
      writer.dispose();
      if (pool instanceof CountingPool) {
        assert.ok(pool.rents > 1, "the writer grew");
        assert.equal(pool.lent.size, 0);
      }
    }
  });

  test("PooledBytes over any BytePool gives its buffer back exactly once", () => {
    const pool = new CountingPool();
    const owned = new PooledBytes(pool, pool.rent(8).subarray(0, 3));
    assert.equal(owned.length, 3);
    owned.dispose();
    owned.dispose();
    assert.equal(pool.lent.size, 0);
    assert.throws(() => owned.bytes, TypeError);
  });

  test("PooledBytes with a length owns that prefix and returns the whole buffer", () => {
    const pool = new CountingPool();
    const rented = pool.rent(8);
    rented.set([1, 2, 3, 4]);
    const owned = new PooledBytes(pool, rented, 3);
    assert.equal(owned.length, 3);
    assert.deepEqual([...owned.bytes], [1, 2, 3]);
    assert.equal(owned.bytes.buffer, rented.buffer);
    assert.equal(owned.bytes, owned.bytes, "one view, made once");
    owned.dispose();
    assert.equal(pool.lent.size, 0);
    assert.throws(() => owned.length, TypeError);
    for (const bad of [-1, 9, 1.5, NaN]) {
      assert.throws(() => new PooledBytes(pool, pool.rent(8), bad), RangeError, `length ${bad}`);
    }
  });
});
