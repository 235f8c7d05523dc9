import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_SLAB_CHUNK_SIZE,
  DEFAULT_SLAB_MAX_LENGTH,
  DEFAULT_SLAB_MIN_LENGTH,
  MemoryPool,
  SlabAllocator,
} from "../pool/mod.ts";
import { randomBytes, randomInt, rng } from "./_random.ts";

const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process
      ?.versions?.node === "string" &&
  (globalThis as { Bun?: unknown }).Bun === undefined &&
  (globalThis as { Deno?: unknown }).Deno === undefined;

describe("SlabAllocator: handed-out ranges are never written again", () => {
  test("property: random allocate/copy/reserve+commit interleavings, debug pools feeding the copies", () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const random = rng(seed);
      const chunkSize = randomInt(random, 1, 4) * [64, 256, 1024, 8192][seed % 4];
      const maxSlabLength = randomInt(random, 1, chunkSize);
      const slab = new SlabAllocator({ chunkSize, maxSlabLength });
      const pool = new MemoryPool({ debug: true });
      const results: { bytes: Uint8Array; expected: Uint8Array }[] = [];
      const maxLength = Math.min(maxSlabLength * 2, 20_000);
      for (let i = 0; i < 600; i++) {
        const action = random();
        let bytes: Uint8Array;
        let expected: Uint8Array;
        if (action < 0.3) {
          const length = randomInt(random, 0, maxLength);
          bytes = slab.allocate(length);
          expected = new Uint8Array(length); // zero-filled, even after a reserve's scribbles
        } else if (action < 0.65) {
          // The source is pooled memory that goes back (and, in debug mode, is detached) at once.
          const length = randomInt(random, 0, maxLength);
          const source = pool.rent(length + 8);
          source.set(randomBytes(random, length + 8));
          const start = randomInt(random, 0, 8);
          expected = source.slice(start, start + length);
          bytes = slab.copy(source, start, start + length);
          pool.return(source);
        } else {
          // An encoder: reserve the worst case, scribble over all of it, commit part.
          const reserved = randomInt(random, 0, maxSlabLength);
          const chunk = slab.reserve(reserved);
          const at = slab.offset;
          chunk.set(randomBytes(random, reserved), at);
          const written = randomInt(random, 0, reserved);
          expected = chunk.slice(at, at + written);
          bytes = slab.commit(written);
        }
        assert.equal(bytes.length, expected.length);
        assert.deepEqual(bytes, expected, `seed ${seed}, step ${i}: result differs`);
        assert.equal(bytes.byteOffset % 8, 0, `seed ${seed}, step ${i}: misaligned`);
        if (bytes.length > maxSlabLength) {
          assert.equal(bytes.buffer.byteLength, bytes.length, "above the threshold: own buffer");
        }
        results.push({ bytes, expected });
        if (i % 50 === 49) {
          for (const [k, r] of results.entries()) {
            assert.deepEqual(r.bytes, r.expected, `seed ${seed}: result ${k} changed by step ${i}`);
          }
        }
      }
      for (const [k, r] of results.entries()) {
        assert.deepEqual(r.bytes, r.expected, `seed ${seed}: result ${k} changed`);
      }
      assert.equal(pool.stats().outstanding, 0);
    }
  });

  test("a result is distinct from its neighbours across a chunk boundary", () => {
    const slab = new SlabAllocator({ chunkSize: 64, maxSlabLength: 64, minSlabLength: 0 });
    const a = slab.copy(new Uint8Array(40).fill(1));
    const b = slab.copy(new Uint8Array(40).fill(2)); // does not fit: a new chunk
    const c = slab.allocate(16);
    assert.notEqual(a.buffer, b.buffer);
    assert.equal(b.buffer, c.buffer);
    c.fill(3);
    assert.ok(a.every((x) => x === 1));
    assert.ok(b.every((x) => x === 2));
  });
});

describe("SlabAllocator: .buffer and .byteOffset", () => {
  test("small results share a chunk at 8-byte-aligned offsets", () => {
    const slab = new SlabAllocator({ chunkSize: 16384, maxSlabLength: 4096, minSlabLength: 0 });
    const a = slab.allocate(3);
    const b = slab.copy(new Uint8Array([1, 2, 3, 4, 5]));
    const c = slab.allocate(9);
    assert.equal(a.buffer, b.buffer);
    assert.equal(b.buffer, c.buffer);
    assert.equal(a.buffer.byteLength, slab.chunkSize);
    assert.deepEqual([a.byteOffset, b.byteOffset, c.byteOffset], [0, 8, 16]);
    // Any typed array may be laid over a result's bytes.
    assert.equal(new Float64Array(c.buffer, c.byteOffset, 1).length, 1);
  });

  test("results above maxSlabLength get their own exact ArrayBuffer", () => {
    const slab = new SlabAllocator({ chunkSize: 1024, maxSlabLength: 256 });
    for (const bytes of [slab.allocate(257), slab.copy(new Uint8Array(300).fill(7))]) {
      assert.equal(bytes.byteOffset, 0);
      assert.equal(bytes.buffer.byteLength, bytes.length);
    }
    const atThreshold = slab.allocate(256);
    assert.equal(atThreshold.buffer.byteLength, 1024);
  });

  test("the defaults", () => {
    const slab = new SlabAllocator();
    assert.equal(slab.chunkSize, DEFAULT_SLAB_CHUNK_SIZE);
    assert.equal(slab.maxSlabLength, DEFAULT_SLAB_MAX_LENGTH);
    assert.equal(slab.minSlabLength, DEFAULT_SLAB_MIN_LENGTH);
    assert.ok(DEFAULT_SLAB_MAX_LENGTH <= DEFAULT_SLAB_CHUNK_SIZE);
    assert.equal(SlabAllocator.shared, SlabAllocator.shared);
  });

  test("below minSlabLength, allocate and copy give a fresh array of their own", () => {
    const slab = new SlabAllocator({ chunkSize: 1024, maxSlabLength: 256, minSlabLength: 8 });
    const source = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const fresh of [slab.allocate(7), slab.copy(source, 1, 8)]) {
      assert.equal(fresh.length, 7);
      assert.equal(fresh.buffer.byteLength, 7);
    }
    assert.deepEqual([...slab.copy(source, 1, 8)], [2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual([...slab.allocate(7)], [0, 0, 0, 0, 0, 0, 0]);
    const carved = [slab.allocate(8), slab.copy(source, 0, 8)];
    assert.equal(carved[0].buffer, carved[1].buffer);
    assert.equal(carved[0].buffer.byteLength, 1024);
    // A Buffer's own slice is a view: a copy from one is still a copy.
    const view = new (class extends Uint8Array {})([5, 6, 7]);
    const copy = slab.copy(view);
    view[0] = 0;
    assert.deepEqual([...copy], [5, 6, 7]);
  });

  test("maxSlabLength 0: every result gets its own buffer; reserve takes only 0", () => {
    const slab = new SlabAllocator({ maxSlabLength: 0 });
    const a = slab.allocate(5);
    const b = slab.copy(new Uint8Array([1, 2]));
    assert.deepEqual([a.buffer.byteLength, b.buffer.byteLength], [5, 2]);
    assert.throws(() => slab.reserve(1), RangeError);
  });

  test("empty results", () => {
    const slab = new SlabAllocator();
    assert.equal(slab.allocate(0).length, 0);
    assert.equal(slab.copy(new Uint8Array(4), 2, 2).length, 0);
    slab.reserve(0);
    assert.equal(slab.commit(0).length, 0);
  });

  test("bad input: the error classes and messages name the operation", () => {
    const slab = new SlabAllocator({ chunkSize: 16384, maxSlabLength: 4096 });
    for (const bad of [-1, 1.5, NaN, 2 ** 31]) {
      assert.throws(() => slab.allocate(bad), {
        name: "RangeError",
        message: new RegExp(`^Cannot allocate bytes: length must be .* got ${bad}$`),
      });
    }
    assert.throws(() => slab.allocate("3" as unknown as number), {
      name: "TypeError",
      message: /^Cannot allocate bytes: length must be a number/,
    });
    assert.throws(() => slab.copy([1] as unknown as Uint8Array), TypeError);
    assert.throws(() => slab.copy(new Uint8Array(4), 3, 2), RangeError);
    assert.throws(() => slab.reserve(slab.maxSlabLength + 1), RangeError);
    assert.throws(() => slab.commit(1), RangeError); // nothing reserved yet
    slab.reserve(4);
    // The whole free tail of the chunk may be used, but not past its end.
    assert.throws(() => slab.commit(slab.chunkSize + 1), {
      name: "RangeError",
      message:
        /^Cannot commit slab bytes: 16385 bytes at offset \d+ exceed the \d+ bytes reserved$/,
    });
    slab.commit(4);
    assert.throws(() => slab.commit(1), RangeError); // a reservation is committed once
    assert.throws(() => new SlabAllocator({ chunkSize: 0 }), RangeError);
    assert.throws(() => new SlabAllocator({ chunkSize: 64, maxSlabLength: 65 }), RangeError);
    assert.throws(() => new SlabAllocator({ maxSlabLength: -1 }), RangeError);
    assert.throws(() => new SlabAllocator({ minSlabLength: 1.5 }), {
      name: "RangeError",
      message: /^Cannot create slab allocator: minSlabLength must be an integer from 0 to 2\^30/,
    });
  });

  // Registered only on Node, where chunks are marked untransferable.
  if (isNode) {
    test("Node: a chunk cannot be transferred, so a result's neighbours never detach", () => {
      const slab = new SlabAllocator({ minSlabLength: 0 });
      const a = slab.copy(new Uint8Array([1, 2, 3]));
      const b = slab.copy(new Uint8Array([4, 5, 6]));
      assert.throws(
        () => structuredClone(b, { transfer: [b.buffer as ArrayBuffer] }),
        (error: Error) => error.name === "DataCloneError",
      );
      assert.deepEqual([...a], [1, 2, 3]);
      assert.deepEqual([...b], [4, 5, 6]);
    });
  }
});

describe("BufferWriter.toBytes", () => {
  test("defaults to a slab copy; a slab may be given", () => {
    const pool = new MemoryPool();
    using writer = pool.rentWriter();
    writer.write(new Uint8Array([1, 2, 3]));
    const shared = writer.toBytes();
    assert.deepEqual([...shared], [1, 2, 3]);
    // Carved from the shared slab, unless 3 bytes are outside its carved range on this runtime.
    const { maxSlabLength, minSlabLength } = SlabAllocator.shared;
    assert.equal(
      shared.buffer.byteLength,
      minSlabLength <= 3 && maxSlabLength >= 3 ? SlabAllocator.shared.chunkSize : 3,
    );
    const slab = new SlabAllocator({ chunkSize: 64, maxSlabLength: 64, minSlabLength: 0 });
    const mine = writer.toBytes({ slab });
    assert.equal(mine.buffer, slab.allocate(1).buffer);
    writer.reset();
    writer.write(new Uint8Array([9, 9, 9]));
    assert.deepEqual([...shared], [1, 2, 3]);
    assert.deepEqual([...mine], [1, 2, 3]);
  });

  test("null gives a copy with its own exact ArrayBuffer (the old behaviour)", () => {
    const pool = new MemoryPool();
    using writer = pool.rentWriter();
    writer.write(new Uint8Array([1, 2, 3]));
    const own = writer.toBytes({ slab: null });
    assert.equal(own.byteOffset, 0);
    assert.equal(own.buffer.byteLength, 3);
    assert.notEqual(own.buffer, writer.written.buffer);
    assert.deepEqual([...own], [1, 2, 3]);
    writer.dispose();
    assert.throws(() => writer.toBytes({ slab: null }), TypeError);
    assert.throws(() => writer.toBytes(), TypeError);
  });
});
