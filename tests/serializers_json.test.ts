import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { JsonSerializer } from "../serializers/mod.ts";
import { MemoryPool, SlabAllocator } from "../pool/mod.ts";
import { type Random, randomInt, rng } from "./_random.ts";

const STRING_PIECES = ["a", "é", "漢", "😀", "\n", '"', "\\", "\u2028", "\u0000", "x".repeat(40)];

function randomJsonValue(random: Random, depth: number): unknown {
  const kind = randomInt(random, 0, depth > 4 ? 4 : 6);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return random() < 0.5 ? randomInt(random, -1e9, 1e9) : (random() - 0.5) * 1e6;
    case 3:
    case 4: {
      let text = "";
      const pieces = randomInt(random, 0, 12);
      for (let i = 0; i < pieces; i++) {
        text += STRING_PIECES[randomInt(random, 0, STRING_PIECES.length - 1)];
      }
      return text;
    }
    case 5:
      return Array.from(
        { length: randomInt(random, 0, 6) },
        () => randomJsonValue(random, depth + 1),
      );
    default: {
      const object: Record<string, unknown> = {};
      const keys = randomInt(random, 0, 6);
      for (let i = 0; i < keys; i++) {
        object[`k${i}${STRING_PIECES[i]}`] = randomJsonValue(random, depth + 1);
      }
      return object;
    }
  }
}

function tricky(): unknown[] {
  // deno-lint-ignore no-sparse-arrays
  const sparse = [1, , 3];
  class Point {
    x = 1;
    get y(): number {
      return 2; // on the prototype: not serialized
    }
  }
  const withGetter = Object.defineProperty({ a: 1 }, "b", { get: () => 2, enumerable: true });
  const hidden = Object.defineProperty({ a: 1 }, "b", { value: 2, enumerable: false });
  const noProto = Object.assign(Object.create(null), { z: 1, a: [null] });
  let deep: unknown = "bottom";
  for (let i = 0; i < 600; i++) deep = i % 2 ? [deep] : { d: deep };
  return [
    0,
    -0,
    1.5,
    -1.5e-7,
    1e21,
    2 ** 31,
    -(2 ** 31),
    2 ** 31 - 1,
    -(2 ** 31) - 1,
    2 ** 53,
    NaN,
    Infinity,
    -Infinity,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
    123456789,
    -987654321,
    "",
    "plain",
    "\u0000\u001f\u007f",
    '\b\f\n\r\t"\\/',
    "\ud800",
    "x\udfffy",
    "\ud83d\ude00",
    "\udbff\udfff",
    "\u2028\u2029",
    "é".repeat(100),
    "a".repeat(5000) + "\n",
    "z".repeat(70),
    "漢".repeat(4097) + "\ud800",
    "😀".repeat(3000),
    "a".repeat(4095) + "😀" + "b",
    [undefined, () => 1, Symbol("s"), null],
    sparse,
    { u: undefined, f: () => 1, s: Symbol("s"), k: 1 },
    { [Symbol("key")]: 1, visible: true },
    { 2: "b", 1: "a", x: "c" },
    new Date(0),
    { when: new Date(86400000) },
    new Map([[1, 2]]),
    new Set([1]),
    new Uint8Array([1, 2]),
    new Point(),
    withGetter,
    hidden,
    noProto,
    Object(5),
    Object("str"),
    Object(false),
    { toJSON: () => undefined },
    { a: { toJSON: () => undefined }, b: 2 },
    [{ toJSON: () => undefined }],
    { toJSON: (key: string) => `key:${key}` },
    [{ toJSON: (key: string) => `key:${key}` }],
    { nested: { toJSON: (key: string) => ({ k: key }) } },
    Object.assign(() => 1, { toJSON: () => "fn" }),
    { f: Object.assign(() => 1, { toJSON: () => "fn" }) },
    deep,
  ];
}

describe("JsonSerializer matches JSON.stringify byte for byte", () => {
  {
    test("tricky values", () => {
      const pool = new MemoryPool();
      const json = new JsonSerializer({ pool });
      const encoder = new TextEncoder();
      using writer = pool.rentWriter(8);
      for (const value of tricky()) {
        const text = JSON.stringify(value);
        if (text === undefined) {
          assert.throws(() => json.serialize(value), TypeError);
          continue;
        }
        const expected = encoder.encode(text);
        assert.deepEqual(json.serialize(value), expected, text.slice(0, 60));
        using owned = json.serializePooled(value);
        assert.deepEqual(owned.bytes, expected);
        writer.reset();
        assert.equal(json.serializeTo(value, writer), expected.length);
        assert.deepEqual(writer.written, expected);
      }
    });

    test("random values, failures leave nothing behind", () => {
      const pool = new MemoryPool();
      const json = new JsonSerializer({ pool });
      const random = rng(77);
      const encoder = new TextEncoder();
      for (let i = 0; i < 300; i++) {
        const value = randomJsonValue(random, 0);
        assert.deepEqual(json.serialize(value), encoder.encode(JSON.stringify(value)));
        if (i % 50 === 0) {
          const circular: unknown[] = [value];
          circular.push({ back: circular });
          assert.throws(() => json.serializePooled(circular), {
            name: "TypeError",
            message: /^Cannot serialize JSON/,
          });
          assert.throws(
            () => json.serialize({ ok: value, bad: 1n }),
            /^TypeError: Cannot serialize JSON/,
          );
        }
      }
      assert.equal(pool.stats().outstanding, 0);
    });
  }

  test("a toJSON that serializes with the same serializer gets correct bytes", () => {
    const json = new JsonSerializer();
    const inner = { toJSON: () => new TextDecoder().decode(json.serialize({ inner: [1, 2] })) };
    const value = { outer: inner, after: "x" };
    assert.deepEqual(json.serialize(value), new TextEncoder().encode(JSON.stringify(value)));
  });
});

describe("JsonSerializer", () => {
  test("every path produces exactly TextEncoder(JSON.stringify(x)) and round-trips", () => {
    const pool = new MemoryPool();
    const json = new JsonSerializer({ pool });
    const encoder = new TextEncoder();
    const random = rng(5);
    using writer = pool.rentWriter(16);
    for (let i = 0; i < 400; i++) {
      const value = randomJsonValue(random, 0);
      const expected = encoder.encode(JSON.stringify(value));
      const bytes = json.serialize(value);
      assert.deepEqual(bytes, expected);
      {
        using owned = json.serializePooled(value);
        assert.deepEqual(owned.bytes, expected);
      }
      writer.reset();
      writer.write(new Uint8Array([1, 2])); // serializeTo appends
      assert.equal(json.serializeTo(value, writer), expected.length);
      assert.deepEqual(writer.written.subarray(2), expected);
      const dest = new Uint8Array(expected.length + 3);
      assert.equal(json.trySerialize(value, dest), expected.length);
      assert.deepEqual(dest.subarray(0, expected.length), expected);
      assert.deepEqual(json.deserialize(expected), JSON.parse(JSON.stringify(value)));
    }
    assert.equal(pool.stats().outstanding, 1); // only the writer
  });

  test("serialize returns exact-length owned bytes that later calls never overwrite", () => {
    const random = rng(31);
    const encoder = new TextEncoder();
    {
      for (const slab of [undefined, new SlabAllocator({ chunkSize: 1024, maxSlabLength: 512 })]) {
        const json = new JsonSerializer({ slab });
        const kept: [Uint8Array, Uint8Array][] = [];
        for (let i = 0; i < 300; i++) {
          // Past the slab's worst-case room but within maxSlabLength, then past it.
          const edge = ["a".repeat(2000), "é".repeat(1500), "ü".repeat(3000)][(i / 40) % 3];
          const value = i % 40 === 0 ? edge : randomJsonValue(random, 0);
          const bytes = json.serialize(value);
          const expected = encoder.encode(JSON.stringify(value));
          assert.deepEqual(bytes, expected);
          kept.push([bytes, expected]);
          (slab ?? SlabAllocator.shared).allocate(randomInt(random, 1, 40)).fill(0xee);
        }
        for (const [bytes, expected] of kept) assert.deepEqual(bytes, expected);
      }
    }
  });

  test("slab: null gives results with their own exact ArrayBuffer", () => {
    {
      const json = new JsonSerializer({ slab: null });
      for (const value of [{ a: 1 }, "é".repeat(5000)]) {
        const bytes = json.serialize(value);
        assert.equal(bytes.byteOffset, 0);
        assert.equal(bytes.buffer.byteLength, bytes.length);
      }
    }
    assert.throws(() => new JsonSerializer({ slab: {} as SlabAllocator }), TypeError);
  });

  test("writer targets: a capped writer that holds the output never throws, even after a huge message", () => {
    {
      const pool = new MemoryPool();
      const json = new JsonSerializer({ pool });
      {
        using huge = pool.rentWriter();
        json.serializeTo({ text: "x".repeat(1 << 20) }, huge);
        assert.equal(json.trySerialize({ text: "y".repeat(1 << 20) }, new Uint8Array(10)), -1);
      }
      const ascii = "a".repeat(398); // 400 bytes of JSON: 3x its length would not fit
      for (const value of [ascii, { id: 1 }, ["é".repeat(100), "😀".repeat(50), "\n\u0001"]]) {
        const expected = new TextEncoder().encode(JSON.stringify(value));
        for (const prefix of [0, 5]) {
          using exact = pool.rentWriter(1, { maxCapacity: prefix + expected.length });
          exact.write(new Uint8Array(prefix));
          assert.equal(json.serializeTo(value, exact), expected.length);
          assert.deepEqual(exact.written.subarray(prefix), expected);
          using tight = pool.rentWriter(1, { maxCapacity: prefix + expected.length - 1 });
          tight.write(new Uint8Array(prefix).fill(9));
          assert.throws(() => json.serializeTo(value, tight), RangeError);
          assert.deepEqual(
            [...tight.written],
            new Array(prefix).fill(9),
            "a failed write changes nothing",
          );
        }
        assert.equal(json.trySerialize(value, new Uint8Array(expected.length)), expected.length);
        assert.equal(json.trySerialize(value, new Uint8Array(expected.length - 1)), -1);
      }
      {
        using capped = pool.rentWriter(16, { maxCapacity: 1000 });
        assert.equal(json.serializeTo(ascii, capped), 400);
      }
    }
  });

  test("a large message (>16 KiB of JSON, mixed scripts) goes through the pooled path exactly", () => {
    const pool = new MemoryPool();
    const json = new JsonSerializer({ pool });
    const value = Array.from({ length: 3000 }, (_, i) => ({ i, text: `ü€😀${i}` }));
    using owned = json.serializePooled(value);
    assert.deepEqual(owned.bytes, new TextEncoder().encode(JSON.stringify(value)));
  });

  test("trySerialize returns -1 when dest is too small by any amount, and never throws for room", () => {
    const json = new JsonSerializer();
    const value = { name: "ü漢😀", list: [1, 2, 3] };
    const size = new TextEncoder().encode(JSON.stringify(value)).length;
    for (let short = 1; short <= size; short++) {
      assert.equal(json.trySerialize(value, new Uint8Array(size - short)), -1);
    }
    assert.equal(json.trySerialize(value, new Uint8Array(size)), size);
  });

  test("deserialize respects the view's offset and length and keeps no reference", () => {
    const json = new JsonSerializer();
    const backing = new TextEncoder().encode('xx{"a":[1,2]}yy');
    const view = backing.subarray(2, 13);
    const value = json.deserialize<{ a: number[] }>(view);
    assert.deepEqual(value, { a: [1, 2] });
    backing.fill(0);
    assert.deepEqual(value, { a: [1, 2] });
  });

  test("values without a JSON representation are TypeErrors, and nothing is written", () => {
    const pool = new MemoryPool();
    const json = new JsonSerializer({ pool });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    using writer = pool.rentWriter();
    writer.write(new Uint8Array([9]));
    for (const bad of [undefined, () => 1, Symbol("s"), 10n, { big: 1n }, circular]) {
      assert.throws(() => json.serialize(bad), {
        name: "TypeError",
        message: /^Cannot serialize JSON/,
      });
      assert.throws(() => json.serializePooled(bad), TypeError);
      assert.throws(() => json.serializeTo(bad, writer), TypeError);
      assert.throws(() => json.trySerialize(bad, new Uint8Array(100)), TypeError);
    }
    assert.deepEqual(writer.written, new Uint8Array([9]));
    assert.equal(pool.stats().outstanding, 1);
    assert.match(
      (() => {
        try {
          json.serialize(undefined);
        } catch (error) {
          return (error as Error).message;
        }
        return "";
      })(),
      /undefined/,
    );
  });

  test("invalid JSON is a SyntaxError naming the position, in every runtime", () => {
    const json = new JsonSerializer();
    const cases: [string, number][] = [
      ['{"a":1,}', 7],
      ['{"a" 1}', 5],
      ["[1,2", 4],
      ["", 0],
      ["   ", 3],
      ['{"a":tru}', 5],
      ["[1] x", 4],
      ['"abc', 4],
      ['"\\x"', 2],
      ['{"a":01}', 6],
      ["[-]", 1],
      ["{'a':1}", 1],
      ['{\n"a":\n}', 7],
    ];
    for (const [text, position] of cases) {
      assert.throws(() => json.deserialize(new TextEncoder().encode(text)), (error: Error) => {
        assert.ok(error instanceof SyntaxError, text);
        assert.match(
          error.message,
          new RegExp(`^Cannot deserialize JSON: .* at position ${position} `),
          text,
        );
        return true;
      });
    }
  });

  test("invalid UTF-8 is a SyntaxError, not silent replacement", () => {
    const json = new JsonSerializer();
    assert.throws(() => json.deserialize(new Uint8Array([0x22, 0xff, 0x22])), SyntaxError);
  });

  test("replacer, reviver and space are passed through", () => {
    const json = new JsonSerializer({
      replacer: (key, value) => (key === "secret" ? undefined : value),
      reviver: (key, value) => (key === "when" ? new Date(value as string) : value),
      space: 1,
    });
    const bytes = json.serialize({ secret: 1, when: "2020-01-01T00:00:00.000Z" });
    assert.equal(new TextDecoder().decode(bytes), '{\n "when": "2020-01-01T00:00:00.000Z"\n}');
    assert.ok((json.deserialize<{ when: Date }>(bytes)).when instanceof Date);
  });

  test("contentType is application/json and the default pool is MemoryPool.shared", () => {
    const json = new JsonSerializer();
    assert.equal(json.contentType, "application/json");
    const before = MemoryPool.shared.stats().rented;
    json.serializePooled({ a: 1 }).dispose();
    assert.equal(MemoryPool.shared.stats().rented, before + 1);
  });
});
