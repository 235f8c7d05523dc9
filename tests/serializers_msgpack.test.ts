import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decode as theirDecode, encode as theirEncode, ExtData } from "@msgpack/msgpack";
import { MAX_DEPTH_LIMIT, MsgPackExt, MsgPackSerializer } from "../serializers/mod.ts";
import { DEFAULT_SLAB_MAX_LENGTH, MemoryPool, SlabAllocator } from "../pool/mod.ts";
import { type Random, randomBytes, randomInt, rng } from "./_random.ts";

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (text: string): Uint8Array =>
  new Uint8Array((text.match(/../g) ?? []).map((pair) => parseInt(pair, 16)));

/** Edge lengths of the spec's length classes. */
const EDGE_LENGTHS = [0, 1, 15, 16, 31, 32, 255, 256, 65535, 65536];
const STRING_PIECES = ["a", "é", "漢", "😀", "\n", "\u0000", "xyz", "Zürich"];

function randomString(random: Random, length: number): string {
  let text = "";
  while (text.length < length) {
    text += STRING_PIECES[randomInt(random, 0, STRING_PIECES.length - 1)];
  }
  // Never cut a surrogate pair in half: lone surrogates don't round-trip (U+FFFD).
  text = text.slice(0, length);
  return /[\ud800-\udbff]$/.test(text) ? text.slice(0, -1) + "b" : text;
}

const INT_SAMPLES = [
  0,
  1,
  127,
  128,
  255,
  256,
  65535,
  65536,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53 - 1,
  -1,
  -32,
  -33,
  -128,
  -129,
  -32768,
  -32769,
  -(2 ** 31),
  -(2 ** 31) - 1,
  -(2 ** 53 - 1),
];

/** A random tree of every MessagePack type; `big` allows the 64 Ki edge lengths. */
function randomValue(random: Random, depth: number, big: boolean): unknown {
  const kind = randomInt(random, 0, depth >= 6 ? 9 : 12);
  const edge = () => {
    const lengths = big ? EDGE_LENGTHS : EDGE_LENGTHS.slice(0, 8);
    return random() < 0.3
      ? lengths[randomInt(random, 0, lengths.length - 1)]
      : randomInt(random, 0, 20);
  };
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return INT_SAMPLES[randomInt(random, 0, INT_SAMPLES.length - 1)];
    case 3:
      return randomInt(random, -1e6, 1e6);
    case 4:
      return random() < 0.5 ? (random() - 0.5) * 1e10 : [0.5, 1.5, -2.25, Infinity, 1e300][
        randomInt(random, 0, 4)
      ];
    case 5:
      return random() < 0.5
        ? BigInt(2 ** 53) + BigInt(randomInt(random, 1, 1e6))
        : -(BigInt(2 ** 60) + BigInt(randomInt(random, 1, 1e6)));
    case 6:
    case 7:
      return randomString(random, edge());
    case 8:
      return randomBytes(random, edge());
    case 9:
      return random() < 0.5 ? new Date(randomInt(random, -1e12, 4e12)) : new MsgPackExt(
        randomInt(random, 0, 127),
        randomBytes(random, [1, 2, 4, 8, 16, 3, 300][randomInt(random, 0, 6)]),
      );
    case 10:
    case 11: {
      const length = depth < 2 ? edge() : randomInt(random, 0, 17);
      return Array.from({ length }, () => randomValue(random, depth + 1, false));
    }
    default: {
      const object: Record<string, unknown> = {};
      const keys = depth < 2 ? edge() : randomInt(random, 0, 17);
      for (let i = 0; i < keys; i++) {
        object[`${randomString(random, randomInt(random, 0, 40))}#${i}`] = randomValue(
          random,
          depth + 1,
          false,
        );
      }
      return object;
    }
  }
}

/** @msgpack/msgpack's view of a value: ExtData for exts. */
function toTheirs(value: unknown): unknown {
  if (value instanceof MsgPackExt) return new ExtData(value.type, value.data);
  if (Array.isArray(value)) return value.map(toTheirs);
  if (value !== null && typeof value === "object" && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTheirs(v)]));
  }
  return value;
}

/** A shape both sides agree on: exts as plain records, safe bigints as numbers. */
function normalize(value: unknown): unknown {
  if (value instanceof MsgPackExt || value instanceof ExtData) {
    return { ext: value.type, data: Array.from(value.data as Uint8Array) };
  }
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value;
  }
  if (value instanceof Uint8Array) return { bin: hex(value) };
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object" && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

describe("MsgPackSerializer: interop with @msgpack/msgpack", () => {
  const msgpack = new MsgPackSerializer();
  for (let seed = 1; seed <= 150; seed++) {
    // Some trees are over 1 MB: give loaded machines more than Bun's default 5 s.
    test(`random tree, seed ${seed}`, { timeout: 60_000 }, () => {
      const random = rng(seed);
      const value = randomValue(random, 0, seed % 10 === 0);
      const ours = msgpack.serialize(value);
      assert.deepStrictEqual(
        normalize(theirDecode(ours, { useBigInt64: true })),
        normalize(value),
        `seed ${seed}: @msgpack/msgpack decodes ours`,
      );
      const theirs = theirEncode(toTheirs(value), { useBigInt64: true });
      assert.deepStrictEqual(
        normalize(msgpack.deserialize(theirs)),
        normalize(value),
        `seed ${seed}: we decode theirs`,
      );
      assert.deepStrictEqual(
        normalize(msgpack.deserialize(ours)),
        normalize(value),
        `seed ${seed}: our round trip`,
      );
    });
  }

  test(
    "edge lengths of str, bin, array and map encode like @msgpack/msgpack",
    { timeout: 60_000 },
    () => {
      for (const length of EDGE_LENGTHS) {
        const values: unknown[] = [
          "a".repeat(length),
          new Uint8Array(length).fill(7),
          new Array(length).fill(1),
          Object.fromEntries(Array.from({ length }, (_, i) => [`k${i}`, i & 0x7f])),
        ];
        for (const value of values) {
          const ours = msgpack.serialize(value);
          assert.equal(hex(ours), hex(theirEncode(value)), `length ${length}`);
          assert.deepStrictEqual(msgpack.deserialize(ours), value);
        }
      }
    },
  );
});

describe("MsgPackSerializer: every format", () => {
  const msgpack = new MsgPackSerializer();
  // [value, canonical encoding]
  const cases: [string, unknown, string][] = [
    ["nil", null, "c0"],
    ["undefined as nil", undefined, "c0"],
    ["false", false, "c2"],
    ["true", true, "c3"],
    ["positive fixint", 127, "7f"],
    ["negative fixint", -32, "e0"],
    ["uint8", 200, "ccc8"],
    ["uint16", 0xfffe, "cdfffe"],
    ["uint32", 0xfffffffe, "cefffffffe"],
    ["uint64 (number)", 2 ** 40, "cf0000010000000000"],
    ["int8", -100, "d09c"],
    ["int16", -1000, "d1fc18"],
    ["int32", -100000, "d2fffe7960"],
    ["int64 (number)", -(2 ** 40), "d3ffffff0000000000"],
    ["int64 (bigint)", -(2n ** 62n), "d3c000000000000000"],
    ["uint64 (bigint)", 2n ** 64n - 1n, "cfffffffffffffffff"],
    ["float64", 1.1, "cb3ff199999999999a"],
    ["fixstr", "abc", "a3616263"],
    ["str8", "a".repeat(32), "d920" + "61".repeat(32)],
    ["str16", "a".repeat(256), "da0100" + "61".repeat(256)],
    ["fixstr UTF-8", "é😀", "a6c3a9f09f9880"],
    ["bin8", new Uint8Array([1, 2]), "c4020102"],
    ["bin16", new Uint8Array(256), "c50100" + "00".repeat(256)],
    ["fixarray", [1, [2]], "920191" + "02"],
    ["array16", new Array(16).fill(0), "dc0010" + "00".repeat(16)],
    ["fixmap", { a: 1 }, "81a16101"],
    ["fixext1", new MsgPackExt(5, new Uint8Array([9])), "d40509"],
    ["fixext2", new MsgPackExt(5, new Uint8Array(2)), "d5050000"],
    ["fixext4", new MsgPackExt(-5, new Uint8Array(4)), "d6fb00000000"],
    ["fixext8", new MsgPackExt(5, new Uint8Array(8)), "d705" + "00".repeat(8)],
    ["fixext16", new MsgPackExt(5, new Uint8Array(16)), "d805" + "00".repeat(16)],
    ["ext8", new MsgPackExt(5, new Uint8Array(3)), "c70305000000"],
    ["ext16", new MsgPackExt(5, new Uint8Array(256)), "c8010005" + "00".repeat(256)],
    ["timestamp32", new Date(1000), "d6ff00000001"],
    ["timestamp64", new Date(1500), "d7ff7735940000000001"],
    ["timestamp96", new Date(-1), "c70cff3b8b87c0ffffffffffffffff"],
  ];
  for (const [name, value, expected] of cases) {
    test(name, () => {
      assert.equal(hex(msgpack.serialize(value)), expected);
      const decoded = msgpack.deserialize(fromHex(expected));
      assert.deepStrictEqual(decoded, value === undefined ? null : value);
    });
  }

  test("str32, bin32, array32, map32 and ext32 decode", () => {
    assert.equal(msgpack.deserialize(fromHex("db00000002" + "6162")), "ab");
    assert.deepStrictEqual(msgpack.deserialize(fromHex("c600000001ff")), new Uint8Array([255]));
    assert.deepStrictEqual(msgpack.deserialize(fromHex("dd0000000101")), [1]);
    assert.deepStrictEqual(msgpack.deserialize(fromHex("df00000001a16101")), { a: 1 });
    assert.deepStrictEqual(msgpack.deserialize(fromHex("de0001a16101")), { a: 1 });
    assert.deepStrictEqual(
      msgpack.deserialize(fromHex("c9000000010708")),
      new MsgPackExt(7, new Uint8Array([8])),
    );
    assert.deepStrictEqual(
      msgpack.deserialize(fromHex("c80001" + "0708")),
      new MsgPackExt(7, new Uint8Array([8])),
    );
    assert.equal(msgpack.deserialize(fromHex("ca3fc00000")), 1.5);
    assert.equal(msgpack.deserialize(fromHex("cc05")), 5);
    assert.equal(msgpack.deserialize(fromHex("d0ff")), -1);
    assert.equal(msgpack.deserialize(fromHex("d180 00".replace(" ", ""))), -32768);
    assert.equal(msgpack.deserialize(fromHex("d9026162")), "ab");
  });

  test('64-bit ints (int64: "auto"): numbers in the safe range, bigints beyond; or numbers', () => {
    assert.equal(msgpack.deserialize(fromHex("cf001fffffffffffff")), 2 ** 53 - 1);
    assert.equal(msgpack.deserialize(fromHex("cf0020000000000000")), 2n ** 53n);
    assert.equal(msgpack.deserialize(fromHex("d3ffe0000000000001")), -(2 ** 53 - 1));
    assert.equal(msgpack.deserialize(fromHex("d3ffe0000000000000")), -(2n ** 53n));
    assert.equal(msgpack.deserialize(fromHex("d3ffdfffffffffffff")), -(2n ** 53n) - 1n);
    assert.equal(msgpack.deserialize(fromHex("d38000000000000000")), -(2n ** 63n));
    const auto = new MsgPackSerializer({ int64: "auto" });
    assert.equal(auto.deserialize(fromHex("cf0020000000000000")), 2n ** 53n);
    assert.equal(auto.deserialize(fromHex("cf001fffffffffffff")), 2 ** 53 - 1);
    const asNumber = new MsgPackSerializer({ int64: "number" });
    assert.equal(asNumber.deserialize(fromHex("cfffffffffffffffff")), 2 ** 64);
    assert.equal(asNumber.deserialize(fromHex("d38000000000000000")), -(2 ** 63));
  });

  test('mapType: "map" keeps the float key -2^53 apart from the int64 key -2^53', () => {
    const asMap = new MsgPackSerializer({ mapType: "map" });
    // {-2^53 (float64): "float", -2^53 (int64): "int"}
    const map = asMap.deserialize<Map<unknown, unknown>>(
      fromHex("82" + "cbc340000000000000" + "a166" + "d3ffe0000000000000" + "a169"),
    );
    assert.equal(map.size, 2);
    assert.equal(map.get(-(2 ** 53)), "f");
    assert.equal(map.get(-(2n ** 53n)), "i");
  });

  test("a leading BOM is string data on every path (short, cached and native)", () => {
    for (const length of [0, 5, 20, 40, 200]) {
      const text = "\ufeff" + "é".repeat(length);
      assert.equal(msgpack.deserialize(msgpack.serialize(text)), text);
      assert.equal(msgpack.deserialize(theirEncode(text)), text);
    }
  });

  test("preferFloat32 writes exact values as float32 only", () => {
    const f32 = new MsgPackSerializer({ preferFloat32: true });
    assert.equal(hex(f32.serialize(1.5)), "ca3fc00000");
    assert.equal(hex(f32.serialize(1.1)), "cb3ff199999999999a");
    assert.equal(f32.deserialize(f32.serialize(-0.25)), -0.25);
  });

  test("timestamps: all three formats round-trip, including negative and far dates", () => {
    for (
      const millis of [
        0,
        1,
        -1,
        999,
        -1001,
        2 ** 32 * 1000,
        2 ** 34 * 1000 - 1,
        2 ** 34 * 1000,
        8.64e15,
        -8.64e15,
      ]
    ) {
      const date = new Date(millis);
      const bytes = msgpack.serialize(date);
      assert.equal(msgpack.deserialize<Date>(bytes).getTime(), millis, `${millis}`);
      assert.equal(
        (theirDecode(bytes) as Date).getTime(),
        millis,
        `@msgpack/msgpack reads ${millis}`,
      );
    }
    // timestamp64 with nanoseconds below a millisecond: truncated to the millisecond.
    assert.equal(
      msgpack.deserialize<Date>(fromHex("d7ff" + "00000004" + "00000001")).getTime(),
      1000,
    );
  });

  test('Map encodes as a map; mapType: "map" decodes maps as Map with any key type', () => {
    const asMap = new MsgPackSerializer({ mapType: "map" });
    const map = new Map<unknown, unknown>([[1, "one"], ["k", [true]], [null, { x: 1 }]]);
    const decoded = asMap.deserialize<Map<unknown, unknown>>(asMap.serialize(map));
    assert.deepStrictEqual([...decoded.keys()], [1, "k", null]);
    assert.deepStrictEqual(decoded.get(null), new Map([["x", 1]]));
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize(new Map([[1, 2]]))), { "1": 2 });
    assert.throws(() => msgpack.deserialize(msgpack.serialize(new Map([[true, 1]]))), SyntaxError);
  });

  test("other typed arrays, DataView and ArrayBuffer encode as bin", () => {
    const words = new Uint16Array([0x0102]);
    const expected = new Uint8Array(words.buffer);
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize(words)), expected);
    assert.deepStrictEqual(
      msgpack.deserialize(msgpack.serialize(new DataView(words.buffer))),
      expected,
    );
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize(words.buffer)), expected);
  });

  test("class instances encode their own enumerable properties", () => {
    class Point {
      x = 1;
      y = 2;
      get sum(): number {
        return this.x + this.y;
      }
    }
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize(new Point())), { x: 1, y: 2 });
  });

  test("a __proto__ key is data, never a prototype", () => {
    const bytes = fromHex("81a95f5f70726f746f5f5f81a17801");
    const decoded = msgpack.deserialize<Record<string, unknown>>(bytes);
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.deepStrictEqual(Object.keys(decoded), ["__proto__"]);
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(decoded, "__proto__")?.value, { x: 1 });
  });

  test("lone surrogates encode as U+FFFD, like TextEncoder", () => {
    assert.equal(msgpack.deserialize(msgpack.serialize("a\ud800b")), "a\ufffdb");
    assert.equal(
      msgpack.deserialize(msgpack.serialize("x".repeat(100) + "\udc00")),
      "x".repeat(100) + "\ufffd",
    );
  });

  test("invalid UTF-8 decodes to U+FFFD as TextDecoder does", () => {
    const decoder = new TextDecoder();
    for (const bad of ["c3", "e282", "f09f98", "ff", "c0af", "eda080", "f4908080"]) {
      for (const pad of [0, 30]) {
        const body = fromHex("61".repeat(pad) + bad);
        const bytes = new Uint8Array([0xd9, body.length, ...body]);
        assert.equal(msgpack.deserialize(bytes), decoder.decode(body), bad);
      }
    }
  });
});

describe("MsgPackSerializer: hostile input", () => {
  const msgpack = new MsgPackSerializer();
  const sample = {
    id: 12345,
    name: "order.created — ✓",
    tags: ["a", "bb", "c".repeat(40)],
    nested: { x: 1.5, y: -70000, big: 2n ** 60n, when: new Date(1234567), bin: new Uint8Array(20) },
    ext: new MsgPackExt(3, new Uint8Array(5)),
    list: [null, true, false, 2 ** 40, -(2 ** 40)],
  };

  test("every truncated prefix throws a RangeError naming the offset", () => {
    const bytes = msgpack.serialize(sample);
    for (let length = 0; length < bytes.length; length++) {
      assert.throws(
        () => msgpack.deserialize(bytes.subarray(0, length)),
        (error: Error) => error instanceof RangeError && /at offset \d+/.test(error.message),
        `prefix of ${length} bytes`,
      );
    }
    assert.deepStrictEqual(normalize(msgpack.deserialize(bytes)), normalize(sample));
  });

  test("length prefixes beyond the input are rejected before allocating", () => {
    for (
      const [name, header] of [
        ["str32", "dbffffffff"],
        ["bin32", "c6ffffffff"],
        ["array32", "ddffffffff"],
        ["map32", "dfffffffff"],
        ["ext32", "c9ffffffff01"],
        ["str16", "daffff"],
        ["array16", "dcffff"],
      ]
    ) {
      assert.throws(
        () => msgpack.deserialize(fromHex(header + "00")),
        (error: Error) => error instanceof RangeError && /offset \d+/.test(error.message),
        name,
      );
    }
  });

  test("nested arrays can't claim more elements in total than the input has bytes", () => {
    // Each level claims nearly all that remains: fine one by one, not in sum.
    const levels = 400;
    const bytes = new Uint8Array(levels * 5 + 1);
    for (let i = 0; i < levels; i++) {
      const claim = bytes.length - i * 5 - 5;
      bytes.set([0xdd, claim >>> 24, (claim >> 16) & 255, (claim >> 8) & 255, claim & 255], i * 5);
    }
    // Level 0 (offset 0) leaves a budget of 5; level 1's header at offset 5 claims 1991.
    assert.throws(() => msgpack.deserialize(bytes), {
      name: "RangeError",
      message:
        "Cannot decode MessagePack: the array of 1991 elements at offset 5 takes the arrays of this message past 2001 elements in total, one per input byte (5 left)",
    });
  });

  test("maxDepth is capped where the stack is safe: a deep bomb meets the depth limit", () => {
    assert.equal(MAX_DEPTH_LIMIT, 2048);
    assert.throws(() => new MsgPackSerializer({ maxDepth: MAX_DEPTH_LIMIT + 1 }), {
      name: "RangeError",
      message: /maxDepth 2049 is not an integer from 0 to 2048/,
    });
    const deepest = new MsgPackSerializer({ maxDepth: MAX_DEPTH_LIMIT });
    const bomb = new Uint8Array(100_000).fill(0x91);
    assert.throws(() => deepest.deserialize(bomb), {
      name: "RangeError",
      message: /maxDepth 2048 at offset 2048/,
    });
    let nested: unknown = 1;
    for (let i = 0; i < MAX_DEPTH_LIMIT; i++) nested = i % 2 ? [nested] : { a: nested };
    // Compared by re-encoding: assert's deep equality itself recurses too deep here.
    const bytes = deepest.serialize(nested);
    assert.deepEqual(deepest.serialize(deepest.deserialize(bytes)), bytes);
    assert.deepEqual(bytes, theirEncode(nested, { maxDepth: 4096 }));
    assert.throws(() => deepest.serialize([nested]), { name: "RangeError", message: /maxDepth/ });
  });

  test("nesting deeper than maxDepth is a RangeError on decode and on encode", () => {
    const nest = (depth: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
      return value;
    };
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize(nest(512))), nest(512));
    const tooDeep = new Uint8Array(600).fill(0x91);
    assert.throws(
      () => msgpack.deserialize(tooDeep),
      (e: Error) => e instanceof RangeError && /maxDepth 512 at offset 512/.test(e.message),
    );
    assert.throws(
      () => msgpack.serialize(nest(513)),
      (e: Error) => e instanceof RangeError && /maxDepth/.test(e.message),
    );
    const shallow = new MsgPackSerializer({ maxDepth: 3 });
    assert.deepStrictEqual(shallow.deserialize(shallow.serialize(nest(3))), nest(3));
    assert.throws(() => shallow.serialize(nest(4)), RangeError);
    assert.throws(() => shallow.deserialize(msgpack.serialize(nest(4))), RangeError);
  });

  test("the reserved byte 0xc1 is a SyntaxError with its offset", () => {
    assert.throws(() => msgpack.deserialize(fromHex("92 01 c1".replaceAll(" ", ""))), {
      name: "SyntaxError",
      message: /0xc1 at offset 2/,
    });
  });

  test("trailing bytes are a SyntaxError unless allowed; sequences decode with deserializeSequence", () => {
    const bytes = fromHex("01a16192c3c2");
    assert.throws(() => msgpack.deserialize(bytes), { name: "SyntaxError", message: /offset 1/ });
    assert.equal(new MsgPackSerializer({ allowTrailingBytes: true }).deserialize(bytes), 1);
    assert.deepStrictEqual(msgpack.deserializeSequence(bytes), [1, "a", [true, false]]);
    assert.deepStrictEqual(msgpack.deserializeSequence(new Uint8Array(0)), []);
    assert.throws(() => msgpack.deserializeSequence(bytes.subarray(0, 5)), RangeError);
  });

  test("invalid timestamps are rejected", () => {
    assert.throws(() => msgpack.deserialize(fromHex("d5ff0000")), SyntaxError);
    assert.throws(
      () => msgpack.deserialize(fromHex("d7ff" + "fffffffc" + "00000000")),
      SyntaxError,
    );
    assert.throws(
      () => msgpack.deserialize(fromHex("c70cff00000000" + "7fffffffffffffff")),
      RangeError,
    );
  });

  test("a timestamp past the Date range by its nanoseconds is a RangeError; serialize agrees", () => {
    // The largest Date second, plus 1 ms of nanoseconds.
    assert.throws(() => msgpack.deserialize(fromHex("c70cff3b9ac9ff000007dba8218000")), {
      name: "RangeError",
      message: /outside the Date range/,
    });
    // One second before the smallest Date second, plus 1 ms: still out. The smallest second
    // plus nearly a second of nanoseconds: in.
    assert.throws(() => msgpack.deserialize(fromHex("c70cff000f4240fffff82457de7fff")), RangeError);
    assert.equal(
      msgpack.deserialize<Date>(fromHex("c70cff3b9ac9fffffff82457de8000")).getTime(),
      -8.64e15 + 999,
    );
    for (const millis of [8.64e15, -8.64e15]) {
      const bytes = msgpack.serialize(new Date(millis));
      assert.equal(msgpack.deserialize<Date>(bytes).getTime(), millis);
    }
    assert.throws(() => msgpack.serialize(new Date(8.64e15 + 1)), TypeError);
  });

  /** Hostile bytes may decode to something, or fail with a RangeError or SyntaxError; nothing else. */
  const assertValueOrDecodeError = (bytes: Uint8Array): void => {
    try {
      msgpack.deserialize(bytes);
    } catch (error) {
      assert.ok(
        error instanceof RangeError || error instanceof SyntaxError,
        `${hex(bytes)}: ${error}`,
      );
    }
  };

  test("random garbage only ever gives a value, a RangeError or a SyntaxError", () => {
    const random = rng(99);
    for (let i = 0; i < 3000; i++) {
      const bytes = randomBytes(random, randomInt(random, 0, 64));
      assertValueOrDecodeError(bytes);
    }
  });

  test("mutated valid messages only ever give a value, a RangeError or a SyntaxError", () => {
    const random = rng(7);
    const valid = msgpack.serialize(sample);
    for (let i = 0; i < 3000; i++) {
      const bytes = valid.slice();
      for (let flips = randomInt(random, 1, 3); flips > 0; flips--) {
        bytes[randomInt(random, 0, bytes.length - 1)] = randomInt(random, 0, 255);
      }
      assertValueOrDecodeError(bytes);
    }
  });

  test("a non-Uint8Array input is a TypeError", () => {
    assert.throws(() => msgpack.deserialize("x" as unknown as Uint8Array), TypeError);
  });
});

describe("MsgPackSerializer: encode errors leave no partial state", () => {
  const circular: Record<string, unknown> = { a: [1, { b: 2 }] };
  ((circular.a as unknown[])[1] as Record<string, unknown>).self = circular;
  const failures: [string, unknown, RegExp, ErrorConstructor][] = [
    ["circular", circular, /circular reference at \$\.a\[1\]\.self/, TypeError],
    ["function", { list: [1, { f: () => 1 }] }, /function at \$\.list\[1\]\.f/, TypeError],
    ["symbol", { s: Symbol("x") }, /symbol at \$\.s/, TypeError],
    ["bigint too big", { n: 2n ** 64n }, /bigint .* at \$\.n/, TypeError],
    ["invalid Date", [new Date(NaN)], /invalid Date at \$\[0\]/, TypeError],
    ["too deep", JSON.parse("[".repeat(600) + "]".repeat(600)), /maxDepth/, RangeError],
  ];
  for (const [name, value, message, type] of failures) {
    test(name, () => {
      const pool = new MemoryPool();
      const msgpack = new MsgPackSerializer({ pool });
      const writer = pool.rentWriter(16);
      msgpack.serializeTo("before", writer);
      const before = hex(writer.written);
      const dest = new Uint8Array(64);
      for (
        const call of [
          () => msgpack.serialize(value),
          () => msgpack.serializePooled(value),
          () => msgpack.serializeTo(value, writer),
          () => msgpack.trySerialize(value, dest),
        ]
      ) {
        assert.throws(call, (error: Error) => error instanceof type && message.test(error.message));
        assert.equal(hex(writer.written), before, "the writer is left as it was");
        assert.equal(hex(msgpack.serialize({ ok: 1 })), "81a26f6b01", "the next call works");
      }
      writer.dispose();
      assert.equal(pool.stats().outstanding, 0);
    });
  }
});

describe("MsgPackSerializer: the MessageSerializer contract", () => {
  const value = {
    id: 7,
    name: "naïve",
    list: [1, 2.5, "x".repeat(300)],
    bin: new Uint8Array([1, 2]),
  };

  test("contentType", () => {
    assert.equal(new MsgPackSerializer().contentType, "application/msgpack");
  });

  test("serialize returns exact-length owned bytes that later calls never overwrite", () => {
    const random = rng(77);
    for (
      const msgpack of [
        new MsgPackSerializer(),
        new MsgPackSerializer({ slab: SlabAllocator.shared }),
        new MsgPackSerializer({ slab: new SlabAllocator({ chunkSize: 1024, maxSlabLength: 256 }) }),
        new MsgPackSerializer({ slab: null }),
      ]
    ) {
      const kept: [Uint8Array, Uint8Array][] = [];
      for (let i = 0; i < 300; i++) {
        const size = randomInt(random, 0, i % 50 === 0 ? 9000 : 300);
        const message = { i, text: "é".repeat(size >> 1), list: [size, "x".repeat(size & 7)] };
        const bytes = msgpack.serialize(message);
        const expected = theirEncode(message);
        assert.deepEqual(bytes, expected, `message ${i}`);
        kept.push([bytes, expected]);
        // Other slab users in between must neither disturb nor be disturbed.
        SlabAllocator.shared.allocate(randomInt(random, 1, 64)).fill(0xee);
      }
      for (const [bytes, expected] of kept) assert.deepEqual(bytes, expected);
    }
  });

  test("slab: null gives results with their own exact ArrayBuffer; the default shares chunks", () => {
    const own = new MsgPackSerializer({ slab: null });
    const first = own.serialize(value);
    assert.equal(first.byteOffset, 0);
    assert.equal(first.buffer.byteLength, first.length);
    const shared = new MsgPackSerializer();
    const a = shared.serialize({ a: 1 });
    const b = shared.serialize({ b: 2 });
    assert.equal(a.length, 4);
    if (DEFAULT_SLAB_MAX_LENGTH > 0) {
      assert.equal(a.buffer, b.buffer, "small results share one chunk");
    } else {
      // Where the slab measured slower (Bun), every result has its own exact buffer.
      assert.equal(a.buffer.byteLength, a.length);
    }
    const big = shared.serialize({ blob: new Uint8Array(10_000) });
    assert.equal(
      big.buffer.byteLength,
      big.length,
      "results above maxSlabLength get their own buffer",
    );
    const slab = new SlabAllocator({ chunkSize: 16384, maxSlabLength: 4096, minSlabLength: 0 });
    const viaSlab = new MsgPackSerializer({ slab }).serialize([1, 2, 3]);
    assert.equal(viaSlab.buffer, slab.allocate(1).buffer, "results come from the given slab");
    assert.throws(() => new MsgPackSerializer({ slab: {} as SlabAllocator }), TypeError);
  });

  test("a getter that allocates from the slab while we encode gets bytes nobody overwrites", () => {
    const slab = SlabAllocator.shared;
    for (const msgpack of [new MsgPackSerializer(), new MsgPackSerializer({ slab })]) {
      const grabbed: Uint8Array[] = [];
      const message = {
        head: "x".repeat(40),
        get middle(): number {
          grabbed.push(slab.allocate(32).fill(7), msgpack.serialize({ inner: "y".repeat(30) }));
          return 1;
        },
        tail: "z".repeat(40),
      };
      const bytes = msgpack.serialize(message);
      assert.deepEqual(msgpack.deserialize(bytes), {
        head: message.head,
        middle: 1,
        tail: message.tail,
      });
      assert.deepEqual([...grabbed[0]], new Array(32).fill(7));
      assert.deepEqual(msgpack.deserialize(grabbed[1]), { inner: "y".repeat(30) });
    }
  });

  test("writer targets: a capped writer that holds the output never throws, even after a huge message", () => {
    const msgpack = new MsgPackSerializer();
    const pool = new MemoryPool();
    {
      using big = pool.rentWriter(16);
      msgpack.serializeTo({ blob: new Uint8Array(1 << 20) }, big);
    }
    const small = { id: 1 };
    const length = theirEncode(small).length;
    {
      using capped = pool.rentWriter(16, { maxCapacity: 1024 });
      assert.equal(msgpack.serializeTo(small, capped), length);
      assert.deepEqual(capped.written, theirEncode(small));
    }
    {
      using uncapped = pool.rentWriter(16);
      msgpack.serializeTo({ blob: new Uint8Array(1 << 20) }, uncapped);
      uncapped.reset();
      using fresh = pool.rentWriter(16);
      msgpack.serializeTo(small, fresh);
      assert.ok(fresh.capacity < 1024, `a 10-byte message grew a writer to ${fresh.capacity}`);
    }
    for (const message of [small, { text: "é".repeat(300) }, ["a".repeat(100), 1.5, null]]) {
      const expected = theirEncode(message);
      for (const prefix of [0, 3]) {
        using exact = pool.rentWriter(1, { maxCapacity: prefix + expected.length });
        exact.write(new Uint8Array(prefix));
        assert.equal(msgpack.serializeTo(message, exact), expected.length);
        assert.deepEqual(exact.written.subarray(prefix), expected);
        using tight = pool.rentWriter(1, { maxCapacity: prefix + expected.length - 1 });
        tight.write(new Uint8Array(prefix).fill(9));
        assert.throws(() => msgpack.serializeTo(message, tight), RangeError);
        assert.deepEqual(
          [...tight.written],
          new Array(prefix).fill(9),
          "a failed write changes nothing",
        );
      }
      assert.equal(msgpack.trySerialize(message, new Uint8Array(expected.length)), expected.length);
      assert.equal(msgpack.trySerialize(message, new Uint8Array(expected.length - 1)), -1);
    }
  });

  test("serializePooled returns pooled bytes; dispose returns them", () => {
    const pool = new MemoryPool();
    const msgpack = new MsgPackSerializer({ pool });
    for (let i = 0; i < 20; i++) {
      using owned = msgpack.serializePooled(value);
      assert.deepStrictEqual(normalize(msgpack.deserialize(owned.bytes)), normalize(value));
      assert.equal(pool.stats().outstanding, 1);
    }
    assert.equal(pool.stats().outstanding, 0);
  });

  test("serializeTo appends, growing a small writer, and returns the bytes written", () => {
    const pool = new MemoryPool();
    const msgpack = new MsgPackSerializer({ pool });
    using writer = pool.rentWriter(8);
    const expected = msgpack.serialize(value);
    let total = 0;
    for (let i = 0; i < 5; i++) {
      const written = msgpack.serializeTo(value, writer);
      assert.equal(written, expected.length);
      total += written;
    }
    assert.equal(writer.writtenCount, total);
    assert.deepStrictEqual(
      msgpack.deserializeSequence(writer.written).map(normalize),
      Array(5).fill(normalize(value)),
    );
    writer.reset();
    assert.equal(msgpack.serializeTo(1, writer), 1);
    assert.equal(hex(writer.written), "01");
  });

  test("trySerialize writes when it fits and returns -1 otherwise, at every size", () => {
    const msgpack = new MsgPackSerializer();
    const expected = msgpack.serialize(value);
    for (let size = 0; size <= expected.length + 20; size++) {
      const dest = new Uint8Array(size);
      const written = msgpack.trySerialize(value, dest);
      if (size < expected.length) {
        assert.equal(written, -1, `size ${size}`);
      } else {
        assert.equal(written, expected.length, `size ${size}`);
        assert.equal(hex(dest.subarray(0, written)), hex(expected));
      }
    }
    assert.equal(msgpack.trySerialize(null, new Uint8Array(1)), 1);
    assert.equal(msgpack.trySerialize(null, new Uint8Array(0)), -1);
  });

  test("deserialize respects the view's offset and length and keeps no reference", () => {
    const msgpack = new MsgPackSerializer();
    const bytes = msgpack.serialize(value);
    const backing = new Uint8Array(bytes.length + 10).fill(0xc1);
    backing.set(bytes, 5);
    const view = backing.subarray(5, 5 + bytes.length);
    const decoded = msgpack.deserialize<typeof value>(view);
    assert.deepStrictEqual(normalize(decoded), normalize(value));
    backing.fill(0);
    assert.deepStrictEqual(decoded.bin, new Uint8Array([1, 2]), "bin values are copies");
    const ext = msgpack.deserialize<MsgPackExt>(
      msgpack.serialize(new MsgPackExt(1, new Uint8Array([5]))),
    );
    assert.equal(ext.data.buffer.byteLength, 1, "ext payloads are copies");
  });

  test("decodes the same key bytes to the same value across messages (key cache)", () => {
    const msgpack = new MsgPackSerializer();
    const random = rng(5);
    for (let i = 0; i < 2000; i++) {
      const key = randomString(random, randomInt(random, 0, 31));
      const decoded = msgpack.deserialize<Record<string, number>>(msgpack.serialize({ [key]: i }));
      assert.deepStrictEqual(Object.entries(decoded), [[key, i]]);
    }
  });

  test("a getter that re-enters the serializer gets its own encoder", () => {
    const msgpack = new MsgPackSerializer();
    const inner = {
      get nested(): Uint8Array {
        return msgpack.serialize({ deep: [1, 2, 3] });
      },
    };
    const decoded = msgpack.deserialize<{ nested: Uint8Array }>(msgpack.serialize(inner));
    assert.deepStrictEqual(msgpack.deserialize(decoded.nested), { deep: [1, 2, 3] });
  });

  test("instances share no state", () => {
    const a = new MsgPackSerializer();
    const b = new MsgPackSerializer({ mapType: "map" });
    const bytesA = a.serialize({ k: 1 });
    const bytesB = b.serialize({ k: 2 });
    assert.deepStrictEqual(a.deserialize(bytesA), { k: 1 });
    assert.deepStrictEqual(b.deserialize(bytesB), new Map([["k", 2]]));
    assert.deepStrictEqual(a.deserialize(bytesB), { k: 2 });
  });

  test("bad options are rejected", () => {
    assert.throws(() => new MsgPackSerializer({ maxDepth: -1 }), RangeError);
    assert.throws(() => new MsgPackSerializer({ int64: "text" as "number" }), TypeError);
    assert.throws(() => new MsgPackSerializer({ int64: "toString" as "number" }), TypeError);
    assert.throws(() => new MsgPackSerializer({ mapType: "dict" as "map" }), TypeError);
    assert.throws(() => new MsgPackExt(128, new Uint8Array(0)), RangeError);
  });
});
