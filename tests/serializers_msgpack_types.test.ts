import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Packr, Unpackr } from "msgpackr";
import { Decoder, Encoder, ExtData, ExtensionCodec } from "@msgpack/msgpack";
import { MsgPackExt, type MsgPackExtension, MsgPackSerializer } from "../serializers/mod.ts";

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (text: string): Uint8Array =>
  new Uint8Array((text.match(/../g) ?? []).map((pair) => parseInt(pair, 16)));

/** msgpackr as the moreTypes oracle: plain MessagePack apart from its extension types. */
const msgpackrMore = new Packr({ moreTypes: true, useRecords: false, variableMapSize: true });
const msgpackrUnpackMore = new Unpackr({ moreTypes: true, useRecords: false });

/** Asserts an error has the expected class, name, message and cause. */
function assertSameError(actual: unknown, expected: Error): void {
  assert.ok(actual instanceof Error, `${String(actual)} is an Error`);
  assert.equal(Object.getPrototypeOf(actual), Object.getPrototypeOf(expected));
  assert.equal(actual.name, expected.name);
  assert.equal(actual.message, expected.message);
  assert.deepStrictEqual((actual as { cause?: unknown }).cause, expected.cause);
}

describe("MsgPackSerializer: no silent loss", () => {
  const msgpack = new MsgPackSerializer();
  function* generator(): Generator<number> {
    yield 1;
  }
  class TaggedSet extends Set<number> {}
  const refused: [string, () => unknown, RegExp][] = [
    ["Set", () => new Set([1, 2]), /Set at/],
    ["Set subclass", () => new TaggedSet([1]), /Set at/],
    ["WeakMap", () => new WeakMap(), /WeakMap at/],
    ["WeakSet", () => new WeakSet(), /WeakSet at/],
    ["WeakRef", () => new WeakRef({}), /WeakRef at/],
    ["FinalizationRegistry", () => new FinalizationRegistry(() => {}), /FinalizationRegistry at/],
    ["RegExp", () => /a+/g, /RegExp at/],
    ["Error", () => new Error("boom"), /Error at/],
    ["TypeError", () => new TypeError("boom"), /Error at/],
    ["Promise", () => Promise.resolve(1), /Promise at/],
    ["boxed Number", () => new Number(1), /boxed Number at/],
    ["boxed String", () => new String("s"), /boxed String at/],
    ["boxed Boolean", () => new Boolean(false), /boxed Boolean at/],
    ["boxed BigInt", () => Object(1n), /boxed BigInt at/],
    ["boxed Symbol", () => Object(Symbol("s")), /boxed Symbol at/],
    ["function", () => () => 1, /function at/],
    ["symbol", () => Symbol("s"), /symbol at/],
    ["generator object", () => generator(), /Generator at/],
    ["Map iterator", () => new Map([[1, 2]]).entries(), /Map Iterator at/],
  ];
  for (const [name, make, what] of refused) {
    test(`${name} is a TypeError naming its path, on every serialize path`, () => {
      for (
        const [value, path] of [
          [{ v: make() }, "$.v"],
          [{ list: [1, 2, make()] }, "$.list[2]"],
          [make(), "$"],
          [new Map([["k", [make()]]]), '$.get("k")[0]'],
        ] as [unknown, string][]
      ) {
        const dest = new Uint8Array(64);
        for (
          const call of [
            () => msgpack.serialize(value),
            () => msgpack.serializePooled(value),
            () => msgpack.trySerialize(value, dest),
          ]
        ) {
          assert.throws(call, (error: Error) => {
            assert.ok(error instanceof TypeError, `${error}`);
            assert.match(error.message, what);
            assert.ok(
              error.message.includes(` at ${path} is not representable`),
              `${error.message} names ${path}`,
            );
            return true;
          });
        }
      }
    });
  }

  test("the message says what would help: moreTypes or an extension", () => {
    assert.throws(() => msgpack.serialize(new Set()), /use moreTypes or register an extension/);
    assert.throws(() => msgpack.serialize(new WeakMap()), /register an extension for it/);
    const more = new MsgPackSerializer({ moreTypes: true });
    assert.throws(() => more.serialize({ w: new WeakSet() }), /WeakSet at \$\.w/);
    assert.throws(() => more.serialize({ p: Promise.resolve() }), /Promise at \$\.p/);
  });

  test("plain class instances still encode their own enumerable properties, as both peers do", () => {
    class Point {
      x = 1;
      y = 2;
    }
    class Child extends Point {
      z = 3;
    }
    class Tagged {
      a = 1;
      get [Symbol.toStringTag](): string {
        return "Tagged";
      }
    }
    for (const value of [new Point(), new Child(), new Tagged()]) {
      const ours = msgpack.serialize(value);
      assert.equal(
        hex(ours),
        hex(new Encoder().encode(value)),
        "the same bytes as @msgpack/msgpack",
      );
      assert.deepStrictEqual(msgpack.deserialize(ours), { ...value });
    }
    // The second instance of a class takes the remembered-prototype path: same result.
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize([new Point(), new Point()])), [
      { x: 1, y: 2 },
      { x: 1, y: 2 },
    ]);
  });

  test("instances of many classes in turn all encode their properties (the prototype cache)", () => {
    const classes = Array.from({ length: 6 }, (_, i) =>
      class {
        n = i;
      });
    const value = Array.from({ length: 30 }, (_, i) => new classes[i % 6]());
    for (let round = 0; round < 3; round++) {
      assert.deepStrictEqual(
        msgpack.deserialize(msgpack.serialize(value)),
        value.map((item) => ({ ...item })),
      );
    }
    // A refused type after many plain classes is still refused.
    assert.throws(() => msgpack.serialize([...value, new Set()]), /Set at \$\[30\]/);
  });

  test("null-prototype objects and a key named constructor are plain objects", () => {
    const bare = Object.assign(Object.create(null), { a: 1 });
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize(bare)), { a: 1 });
    const tricky = { constructor: "not Object", b: 2 };
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize(tricky)), tricky);
    const nulled = { constructor: null, b: 2 };
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize(nulled)), nulled);
    const set = Object.assign(new Set([1]), { constructor: null });
    assert.throws(() => msgpack.serialize({ set }), /Set at \$\.set/);
  });

  test("Map still encodes as a map; bytes stay bin, SharedArrayBuffer included", () => {
    const map = new Map<unknown, unknown>([["a", 1], [2, "b"]]);
    assert.deepStrictEqual(
      new MsgPackSerializer({ mapType: "map" }).deserialize(msgpack.serialize(map)),
      map,
    );
    const shared = new SharedArrayBuffer(3);
    new Uint8Array(shared).set([1, 2, 3]);
    assert.equal(hex(msgpack.serialize(shared)), "c403010203");
  });

  test("a refused value leaves the writer as it was", async () => {
    const { MemoryPool } = await import("../pool/mod.ts");
    const pool = new MemoryPool();
    using writer = pool.rentWriter(16);
    msgpack.serializeTo("ok", writer);
    const before = hex(writer.written);
    assert.throws(() => msgpack.serializeTo({ a: 1, s: new Set([1]) }, writer), TypeError);
    assert.equal(hex(writer.written), before);
  });
});

describe("MsgPackSerializer: extensions, interop with @msgpack/msgpack's ExtensionCodec", () => {
  class Point {
    readonly x: number;
    readonly y: number;
    constructor(x: number, y: number) {
      this.x = x;
      this.y = y;
    }
  }
  class Tagged {
    readonly label: string;
    constructor(label: string) {
      this.label = label;
    }
  }
  const pointExtension: MsgPackExtension = {
    type: 0,
    encode: (value) => value instanceof Point ? new Uint8Array([value.x, value.y]) : null,
    decode: (data) => new Point(data[0], data[1]),
  };
  const taggedExtension: MsgPackExtension = {
    type: 5,
    encode: (value) => value instanceof Tagged ? new TextEncoder().encode(value.label) : null,
    decode: (data) => new Tagged(new TextDecoder().decode(data)),
  };
  /** The same objects registered in @msgpack/msgpack. */
  function theirCodec(...extensions: MsgPackExtension[]): ExtensionCodec {
    const codec = new ExtensionCodec();
    for (const extension of extensions) {
      codec.register({
        type: extension.type,
        encode: (value: unknown) => extension.encode(value, undefined) ?? null,
        decode: (data: Uint8Array, type: number) => extension.decode(data, type, undefined),
      });
    }
    return codec;
  }

  const value = {
    at: new Point(3, 4),
    list: [new Tagged("a"), new Tagged("x".repeat(300)), new Point(1, 2)],
    plain: { n: 1 },
  };

  test("the same pair in both gives byte-identical output, and each decodes the other's", () => {
    const msgpack = new MsgPackSerializer({ extensions: [pointExtension, taggedExtension] });
    const codec = theirCodec(pointExtension, taggedExtension);
    const ours = msgpack.serialize(value);
    const theirs = new Encoder({ extensionCodec: codec }).encode(value);
    assert.equal(hex(ours), hex(theirs));
    assert.deepStrictEqual(new Decoder({ extensionCodec: codec }).decode(ours), value);
    assert.deepStrictEqual(msgpack.deserialize(theirs), value);
  });

  test("several claimants: negative types first, then ascending types, as @msgpack/msgpack", () => {
    const claimAll = (type: number): MsgPackExtension => ({
      type,
      encode: (v) => v instanceof Point ? new Uint8Array([type & 0xff]) : null,
      decode: (data) => ({ by: data[0] }),
    });
    const extensions = [claimAll(9), claimAll(3), claimAll(-7)];
    const ours = new MsgPackSerializer({ extensions }).serialize(new Point(0, 0));
    assert.equal(
      hex(ours),
      hex(new Encoder({ extensionCodec: theirCodec(...extensions) }).encode(new Point(0, 0))),
    );
    assert.equal(hex(ours), "d4f9f9");
    const positive = [claimAll(9), claimAll(3)];
    assert.equal(
      hex(new MsgPackSerializer({ extensions: positive }).serialize(new Point(0, 0))),
      "d40303",
    );
  });

  test("context is passed as it is to encode and decode, in both libraries", () => {
    const context = { scale: 10, seen: [] as string[] };
    type Context = typeof context;
    const scaled: MsgPackExtension<Context> = {
      type: 1,
      encode: (v, ctx) => {
        if (!(v instanceof Point)) return null;
        ctx.seen.push("encode");
        return new Uint8Array([v.x * ctx.scale, v.y * ctx.scale]);
      },
      decode: (data, type, ctx) => {
        ctx.seen.push(`decode ${type}`);
        return new Point(data[0] / ctx.scale, data[1] / ctx.scale);
      },
    };
    const msgpack = new MsgPackSerializer({ extensions: [scaled], context });
    const codec = new ExtensionCodec<Context>();
    codec.register(scaled);
    const ours = msgpack.serialize([new Point(1, 2)]);
    const theirs = new Encoder({ extensionCodec: codec, context }).encode([new Point(1, 2)]);
    assert.equal(hex(ours), hex(theirs));
    assert.equal(hex(ours), "91d5010a14");
    assert.deepStrictEqual(msgpack.deserialize(theirs), [new Point(1, 2)]);
    assert.deepStrictEqual(new Decoder({ extensionCodec: codec, context }).decode(ours), [
      new Point(1, 2),
    ]);
    assert.deepStrictEqual(context.seen, ["encode", "encode", "decode 1", "decode 1"]);
  });

  test("type -1 replaces the timestamp handling, byte-identical with @msgpack/msgpack", () => {
    const isoDate: MsgPackExtension = {
      type: -1,
      encode: (v) => v instanceof Date ? new TextEncoder().encode(v.toISOString()) : null,
      decode: (data) => new Date(new TextDecoder().decode(data)),
    };
    const msgpack = new MsgPackSerializer({ extensions: [isoDate] });
    const codec = new ExtensionCodec();
    codec.register(isoDate);
    const value = { at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) };
    const ours = msgpack.serialize(value);
    assert.equal(hex(ours), hex(new Encoder({ extensionCodec: codec }).encode(value)));
    assert.match(hex(ours), /c718ff/); // ext 8, 24 bytes, type -1: the ISO string
    assert.deepStrictEqual(msgpack.deserialize(ours), value);
    assert.deepStrictEqual(new Decoder({ extensionCodec: codec }).decode(ours), value);
    // A standard timestamp now goes through the override's decode too.
    const decoded = msgpack.deserialize<Date>(fromHex("d6ff00000000"));
    assert.ok(Number.isNaN(decoded.getTime()), "the override read 4 bytes as an ISO string");
  });

  test("a type -1 encode that returns null leaves the Date to the built-in timestamp", () => {
    const onlyEpoch: MsgPackExtension = {
      type: -1,
      encode: (v) => v instanceof Date && v.getTime() === 0 ? new Uint8Array([0]) : null,
      decode: (data, type) => new MsgPackExt(type, data),
    };
    const msgpack = new MsgPackSerializer({ extensions: [onlyEpoch] });
    assert.equal(hex(msgpack.serialize(new Date(0))), "d4ff00");
    assert.equal(
      hex(msgpack.serialize(new Date(1000))),
      hex(new MsgPackSerializer().serialize(new Date(1000))),
    );
  });

  test("null or undefined from encode means not mine; the value is written as without it", () => {
    let offered = 0;
    const none: MsgPackExtension = {
      type: 2,
      encode: () => {
        offered++;
        // undefined is not in the type, but @msgpack/msgpack tolerates it: so do we.
        return (offered % 2 === 0 ? null : undefined) as Uint8Array | null;
      },
      decode: () => 0,
    };
    const msgpack = new MsgPackSerializer({ extensions: [none] });
    const plain = new MsgPackSerializer();
    const value = {
      p: new Point(1, 2),
      d: new Date(0),
      m: new Map([[1, 2]]),
      b: new Uint8Array([1]),
      n: 5n,
    };
    assert.equal(hex(msgpack.serialize(value)), hex(plain.serialize(value)));
    assert.equal(offered, 5, "Point, Date, Map, Uint8Array and the bigint were offered");
  });

  test("plain objects, arrays and primitives other than bigint and symbol are not offered", () => {
    const seen: unknown[] = [];
    const spy: MsgPackExtension = {
      type: 3,
      encode: (v) => {
        seen.push(v);
        return null;
      },
      decode: () => 0,
    };
    new MsgPackSerializer({ extensions: [spy] }).serialize({
      a: [1, "s", true, null, undefined, 1.5],
    });
    assert.deepStrictEqual(seen, []);
  });

  test("bigints, symbols and functions are offered, as @msgpack/msgpack offers them", () => {
    const bigints: MsgPackExtension = {
      type: 0,
      encode: (v) => typeof v === "bigint" ? new TextEncoder().encode(v.toString()) : null,
      decode: (data) => BigInt(new TextDecoder().decode(data)),
    };
    const symbols: MsgPackExtension = {
      type: 1,
      encode: (v) =>
        typeof v === "symbol"
          ? new TextEncoder().encode(v.description ?? "")
          : typeof v === "function"
          ? new Uint8Array(0)
          : null,
      decode: (data) => Symbol.for(new TextDecoder().decode(data)),
    };
    const msgpack = new MsgPackSerializer({ extensions: [bigints, symbols] });
    const value = [1n, 2n ** 100n, Symbol.for("s"), () => 1];
    const ours = msgpack.serialize(value);
    assert.equal(
      hex(ours),
      hex(new Encoder({ extensionCodec: theirCodec(bigints, symbols) }).encode(value)),
    );
    const decoded = msgpack.deserialize<unknown[]>(ours);
    assert.deepStrictEqual(decoded.slice(0, 3), [1n, 2n ** 100n, Symbol.for("s")]);
  });

  test("an extension may claim what is otherwise refused, ahead of moreTypes", () => {
    const sets: MsgPackExtension = {
      type: 0x73,
      encode: (v) => v instanceof Set ? new Uint8Array([v.size]) : null,
      decode: (data) => ({ setOfSize: data[0] }),
    };
    for (const moreTypes of [false, true]) {
      const msgpack = new MsgPackSerializer({ extensions: [sets], moreTypes });
      assert.equal(hex(msgpack.serialize(new Set([1, 2]))), "d47302");
      assert.deepStrictEqual(msgpack.deserialize(fromHex("d47302")), { setOfSize: 2 });
    }
  });

  test("an extension's encode may call serialize re-entrantly (nested MessagePack payloads)", () => {
    const msgpack: MsgPackSerializer = new MsgPackSerializer({
      extensions: [{
        type: 4,
        encode: (v) => v instanceof Point ? msgpack.serialize([v.x, v.y]) : null,
        decode: (data) => {
          const [x, y] = msgpack.deserialize<number[]>(data);
          return new Point(x, y);
        },
      }],
    });
    const codec = new ExtensionCodec();
    codec.register({
      type: 4,
      encode: (v: unknown) => v instanceof Point ? new Encoder().encode([v.x, v.y]) : null,
      decode: (data: Uint8Array) => new Point(data[1], data[2]),
    });
    const value = { points: [new Point(1, 2), new Point(3, 4)] };
    const ours = msgpack.serialize(value);
    assert.equal(hex(ours), hex(new Encoder({ extensionCodec: codec }).encode(value)));
    assert.deepStrictEqual(msgpack.deserialize(ours), value);
  });

  test("encode and toJSON run once per value, even when a first attempt runs out of room", async () => {
    const { DEFAULT_SLAB_MAX_LENGTH, MemoryPool } = await import("../pool/mod.ts");
    const calls = new Map<string, number>();
    const count = (what: string) => calls.set(what, (calls.get(what) ?? 0) + 1);
    class Named {
      readonly name: string;
      constructor(name: string) {
        this.name = name;
      }
      toJSON(): string {
        count(`toJSON ${this.name}`);
        return this.name;
      }
    }
    const points: MsgPackExtension = {
      type: 0,
      encode: (v) => {
        if (!(v instanceof Point)) return null;
        count(`encode ${v.x}`);
        return new Uint8Array([v.x]);
      },
      decode: (data) => new Point(data[0], 0),
    };
    // The callbacks run before the padding, which no first attempt has room for (the
    // in-place slab takes at most DEFAULT_SLAB_MAX_LENGTH bytes; the writer is 16 bytes).
    const value = {
      items: Array.from({ length: 20 }, (_, i) => i % 2 ? new Point(i, 0) : new Named(`n${i}`)),
      padding: "x".repeat(DEFAULT_SLAB_MAX_LENGTH + 1),
    };
    const expected = new MsgPackSerializer({ extensions: [points], useToJSON: true, slab: null })
      .serialize(value);
    const fresh = () => new MsgPackSerializer({ extensions: [points], useToJSON: true });
    const pool = new MemoryPool();
    for (
      const [name, call] of [
        ["serialize", () => fresh().serialize(value)],
        ["serializeTo", () => {
          using writer = pool.rentWriter(16);
          fresh().serializeTo(value, writer);
          return writer.written.slice();
        }],
        ["trySerialize", () => {
          const dest = new Uint8Array(expected.length);
          return dest.subarray(0, fresh().trySerialize(value, dest));
        }],
      ] as [string, () => Uint8Array][]
    ) {
      calls.clear();
      assert.equal(hex(call()), hex(expected), name);
      assert.equal(calls.size, 20, name);
      assert.ok(
        [...calls.values()].every((n) => n === 1),
        `${name}: ${JSON.stringify([...calls])}`,
      );
    }
  });

  test("a getter that returns a new object each time still encodes right after a repeat", async () => {
    const { DEFAULT_SLAB_MAX_LENGTH } = await import("../pool/mod.ts");
    let made = 0;
    const value = {
      a: new Point(1, 2),
      get fresh(): Point {
        made++;
        return new Point(made, made);
      },
      tail: [new Point(7, 8), new Date(0)],
      padding: "x".repeat(DEFAULT_SLAB_MAX_LENGTH + 1),
    };
    const msgpack = new MsgPackSerializer({ extensions: [pointExtension] });
    const decoded = msgpack.deserialize<Record<string, unknown>>(msgpack.serialize(value));
    assert.deepStrictEqual(decoded.a, new Point(1, 2));
    assert.deepStrictEqual(decoded.fresh, new Point(made, made), "the last encode's object");
    assert.deepStrictEqual(decoded.tail, [new Point(7, 8), new Date(0)]);
  });

  test("decode gets a copy of the payload: keeping it is safe", () => {
    let kept: Uint8Array | undefined;
    const keep: MsgPackExtension = {
      type: 6,
      encode: () => null,
      decode: (data) => (kept = data),
    };
    const bytes = fromHex("d506aabb");
    new MsgPackSerializer({ extensions: [keep] }).deserialize(bytes);
    bytes.fill(0);
    assert.equal(hex(kept!), "aabb");
  });

  test("serializers share no registries; later changes to the options' array do nothing", () => {
    const extensions = [pointExtension];
    const withPoint = new MsgPackSerializer({ extensions });
    const without = new MsgPackSerializer();
    extensions.push(taggedExtension);
    assert.equal(hex(withPoint.serialize(new Point(1, 2))), "d5000102");
    assert.equal(hex(without.serialize(new Point(1, 2))), "82a17801a17902");
    const ext = without.deserialize(fromHex("d5000102"));
    assert.ok(ext instanceof MsgPackExt);
    assert.equal(hex(withPoint.serialize(new Tagged("a"))), "81a56c6162656ca161");
  });

  test("unknown ext types still decode as MsgPackExt, like @msgpack/msgpack's ExtData", () => {
    const msgpack = new MsgPackSerializer({ extensions: [pointExtension] });
    const ext = msgpack.deserialize<MsgPackExt>(fromHex("d409ff"));
    assert.ok(ext instanceof MsgPackExt);
    assert.deepStrictEqual([ext.type, [...ext.data]], [9, [0xff]]);
    const theirs = new Decoder({ extensionCodec: theirCodec(pointExtension) }).decode(
      fromHex("d409ff"),
    );
    assert.ok(theirs instanceof ExtData);
  });

  test("a payload that is not a Uint8Array is a TypeError naming the path", () => {
    const bad = {
      type: 1,
      encode: (v: unknown) => v instanceof Point ? [1, 2] : null,
      decode: () => 0,
    } as unknown as MsgPackExtension;
    assert.throws(
      () => new MsgPackSerializer({ extensions: [bad] }).serialize({ a: [new Point(1, 2)] }),
      (error: Error) =>
        error instanceof TypeError && /extension 1 .* at \$\.a\[0\]/.test(error.message),
    );
  });

  test("malformed extension lists are rejected when the serializer is created", () => {
    const ok = pointExtension;
    const make = (extensions: unknown) => () =>
      new MsgPackSerializer({ extensions: extensions as MsgPackExtension[] });
    assert.throws(make([{ ...ok, type: 128 }]), RangeError);
    assert.throws(make([{ ...ok, type: -129 }]), RangeError);
    assert.throws(make([{ ...ok, type: 1.5 }]), RangeError);
    assert.throws(make([{ ...ok, type: "1" }]), RangeError);
    assert.throws(make([{ type: 1, encode: ok.encode }]), TypeError);
    assert.throws(make([{ type: 1, decode: ok.decode }]), TypeError);
    assert.throws(make([ok, { ...ok }]), /registered twice/);
    assert.throws(make([null]), TypeError);
    assert.throws(make(ok), TypeError);
    assert.doesNotThrow(make([]));
  });
});

describe("MsgPackSerializer: moreTypes, byte-compatible with msgpackr's moreTypes", () => {
  const msgpack = new MsgPackSerializer({ moreTypes: true });

  /** Ours and msgpackr's bytes agree, and each side decodes the other's to `expected`. */
  function assertInterop(value: unknown, expected: unknown = value): void {
    const ours = msgpack.serialize(value);
    const theirs = msgpackrMore.pack(value);
    assert.equal(hex(ours), hex(theirs), "the same bytes as msgpackr");
    assert.deepStrictEqual(msgpack.deserialize(theirs), expected, "ours reads msgpackr's");
    assert.deepStrictEqual(msgpackrUnpackMore.unpack(ours), expected, "msgpackr reads ours");
  }

  const typedArrays: [string, (length: number) => ArrayBufferView][] = [
    ["Int8Array", (n) => Int8Array.from({ length: n }, (_, i) => (i % 256) - 128)],
    ["Uint8ClampedArray", (n) => Uint8ClampedArray.from({ length: n }, (_, i) => i)],
    ["Int16Array", (n) => Int16Array.from({ length: n }, (_, i) => -i * 7)],
    ["Uint16Array", (n) => Uint16Array.from({ length: n }, (_, i) => i * 3)],
    ["Int32Array", (n) => Int32Array.from({ length: n }, (_, i) => -i * 100_003)],
    ["Uint32Array", (n) => Uint32Array.from({ length: n }, (_, i) => i * 100_003)],
    ["Float32Array", (n) => Float32Array.from({ length: n }, (_, i) => i / 4)],
    ["Float64Array", (n) => Float64Array.from({ length: n }, (_, i) => i / 3)],
    ["BigInt64Array", (n) => BigInt64Array.from({ length: n }, (_, i) => BigInt(-i) * 2n ** 40n)],
    ["BigUint64Array", (n) => BigUint64Array.from({ length: n }, (_, i) => BigInt(i) * 2n ** 60n)],
  ];
  for (const [name, make] of typedArrays) {
    test(`${name} keeps its element type, both ways, at every ext size`, () => {
      // Byte lengths around the ext 8/16/32 edges (the element code counts as one byte).
      for (const length of [0, 1, 31, 32, 254 / 2, 40_000]) {
        const view = make(Math.floor(length));
        assertInterop(view);
        assertInterop({ data: [view] });
      }
    });
  }

  test("a typed array that views part of a larger buffer writes only its own bytes", () => {
    const whole = Float64Array.from([1, 2, 3, 4]);
    const part = new Float64Array(whole.buffer, 8, 2);
    assertInterop(part, Float64Array.from([2, 3]));
  });

  test("ArrayBuffer and DataView, as msgpackr's codes 16 and 17", () => {
    const buffer = Uint8Array.from([1, 2, 3]).buffer;
    assertInterop(buffer);
    const view = new DataView(Uint8Array.from([9, 8, 7, 6]).buffer, 1, 2);
    const ours = msgpack.serialize(view);
    assert.equal(hex(ours), hex(msgpackrMore.pack(view)));
    const decoded = msgpack.deserialize<DataView>(ours);
    assert.ok(decoded instanceof DataView);
    assert.deepStrictEqual([...new Uint8Array(decoded.buffer)], [8, 7]);
  });

  test("Uint8Array stays bin; msgpackr's typed-array form of it decodes as a Uint8Array", () => {
    assert.equal(hex(msgpack.serialize(Uint8Array.from([1, 2]))), "c4020102");
    const theirs = msgpackrMore.pack(Uint8Array.from([1, 2])); // an ext where Buffer exists, else bin
    const decoded = msgpack.deserialize(theirs);
    assert.ok(decoded instanceof Uint8Array);
    assert.deepStrictEqual([...decoded], [1, 2]);
    assert.deepStrictEqual(msgpack.deserialize(fromHex("c70374010102")), Uint8Array.from([1, 2]));
  });

  test("Set, both ways, nested and inside objects", () => {
    assertInterop(new Set([1, "a", null]));
    assertInterop({ tags: new Set(["x", "y"]), nested: new Set([new Set([1])]) });
    assertInterop(new Set());
    assertInterop(new Set(Array.from({ length: 20 }, (_, i) => i)));
  });

  test("RegExp, both ways", () => {
    assertInterop(/ab+c/gi);
    assertInterop({ r: new RegExp("^\\d{3}$", "u") });
  });

  test("undefined is ext 0 (not nil), both ways", () => {
    assertInterop(undefined);
    assertInterop([undefined, 1]);
    assertInterop({ a: undefined });
    assert.equal(hex(msgpack.serialize(undefined)), "d40000");
  });

  test("Error: name, message and cause, both ways", () => {
    const cases: Error[] = [
      new Error("boom"),
      new RangeError("too far"),
      new TypeError("bad", { cause: "why" }),
      new Error("outer", { cause: new SyntaxError("inner") }),
    ];
    const custom = new Error("custom");
    custom.name = "ValidationError";
    cases.push(custom);
    for (const error of cases) {
      const ours = msgpack.serialize({ error });
      assert.equal(hex(ours), hex(msgpackrMore.pack({ error })), error.name);
      assertSameError(msgpack.deserialize<{ error: Error }>(ours).error, error);
      assertSameError(
        msgpack.deserialize<{ error: Error }>(msgpackrMore.pack({ error })).error,
        error,
      );
      const theirs = msgpackrUnpackMore.unpack(ours).error as Error;
      assert.equal(theirs.name, error.name);
      assert.equal(theirs.message, error.message);
    }
  });

  test("AggregateError keeps its errors, both ways", () => {
    const error = new AggregateError([new Error("a"), new RangeError("b")], "several");
    const ours = msgpack.serialize(error);
    assert.equal(hex(ours), hex(msgpackrMore.pack(error)));
    const decoded = msgpack.deserialize<AggregateError>(ours);
    assert.ok(decoded instanceof AggregateError);
    assert.equal(decoded.message, "several");
    assertSameError(decoded.errors[1], new RangeError("b"));
    assert.equal((msgpackrUnpackMore.unpack(ours) as AggregateError).errors.length, 2);
  });

  test("bigints beyond 64 bits are msgpackr's bigint ext (0x42), both ways", () => {
    for (
      const value of [
        2n ** 64n,
        -(2n ** 63n) - 1n,
        2n ** 127n,
        -(2n ** 200n) + 12345n,
        3n ** 400n,
        2n ** 70000n + 5n,
        -(2n ** 70001n),
      ]
    ) {
      assertInterop(value);
    }
    // Within 64 bits nothing changes.
    assert.equal(hex(msgpack.serialize(-1n)), "d3ffffffffffffffff");
  });

  test("largeBigInt given explicitly wins over moreTypes", () => {
    const strings = new MsgPackSerializer({ moreTypes: true, largeBigInt: "string" });
    assert.equal(strings.deserialize(strings.serialize(2n ** 64n)), "18446744073709551616");
    assert.throws(
      () => new MsgPackSerializer({ moreTypes: true, largeBigInt: "error" }).serialize(2n ** 64n),
      TypeError,
    );
  });

  test("an unencodable value inside a Set or an Error cause is named by its path", () => {
    assert.throws(
      () => msgpack.serialize({ s: new Set([1, Symbol("x")]) }),
      /symbol at \$\.s<entry 1>/,
    );
    const error = new Error("e", { cause: { f: () => 1 } });
    assert.throws(() => msgpack.serialize([error]), /function at \$\[0\]\.cause\.f/);
  });

  test("without moreTypes these ext types decode as MsgPackExt, and undefined writes nil", () => {
    const plain = new MsgPackSerializer();
    const ext = plain.deserialize<MsgPackExt>(msgpackrMore.pack(new Int16Array([1])));
    assert.ok(ext instanceof MsgPackExt);
    assert.equal(ext.type, 0x74);
    assert.equal(hex(plain.serialize(undefined)), "c0");
    assert.equal(hex(plain.serialize(new Int16Array([1]))), "c4020100");
  });

  test("malformed moreTypes input is a SyntaxError (or a RangeError when cut short) with its offset", () => {
    const cases: [string, ErrorConstructor, RegExp][] = [
      [
        "d4730001",
        SyntaxError,
        /Set ext with its type byte at offset 1 is not followed by an array/,
      ],
      ["d47300", RangeError, /offset 3/],
      ["d4650092a141a142", SyntaxError, /Error ext/], // a valid one, checked below
      [
        "d465009201a142",
        SyntaxError,
        /Error ext with its type byte at offset 1 does not hold a name/,
      ],
      [
        "d4780092a128a0",
        SyntaxError,
        /RegExp ext with its type byte at offset 1 is not a valid regular expression/,
      ],
      [
        "d4780092a161a17a",
        SyntaxError,
        /RegExp ext with its type byte at offset 1 is not a valid regular expression/,
      ],
      [
        "c7007400",
        SyntaxError,
        /typed-array ext with its type byte at offset 2 has no element code/,
      ],
      ["c702740300", SyntaxError, /not a whole number of 2-byte elements/],
      ["c701740c", SyntaxError, /unknown element code 12/],
      ["c70042", SyntaxError, /bigint ext with its type byte at offset 2 is empty/],
    ];
    for (const [bytes, type, message] of cases.slice(0, 2).concat(cases.slice(3))) {
      assert.throws(() => msgpack.deserialize(fromHex(bytes)), (error: Error) => {
        assert.ok(error instanceof type, `${bytes}: ${error}`);
        assert.match(error.message, message);
        return true;
      });
    }
    // A valid Error payload decodes.
    assertSameError(
      msgpack.deserialize(fromHex(cases[2][0])),
      Object.assign(new Error("B"), { name: "A" }),
    );
  });

  test("a chain of Set tags costs a depth level each: no unbounded recursion", () => {
    const chain = new Uint8Array(3 * 100_000 + 1);
    for (let i = 0; i < 100_000; i++) chain.set([0xd4, 0x73, 0x00], i * 3);
    chain[chain.length - 1] = 0x90;
    assert.throws(() => msgpack.deserialize(chain), SyntaxError);
    const nested = new Uint8Array(4 * 600 + 1);
    for (let i = 0; i < 600; i++) nested.set([0xd4, 0x73, 0x00, 0x91], i * 4);
    nested[nested.length - 1] = 0x90;
    assert.throws(() => msgpack.deserialize(nested), /maxDepth/);
  });
});

describe("MsgPackSerializer: encoding options", () => {
  test("ignoreUndefined leaves out undefined properties, byte-identical with @msgpack/msgpack", () => {
    const msgpack = new MsgPackSerializer({ ignoreUndefined: true });
    const value = {
      a: 1,
      b: undefined,
      list: [undefined, 2],
      nested: { c: undefined, d: { e: undefined } },
      wide: Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [`k${i}`, i % 4 ? i : undefined]),
      ),
    };
    const ours = msgpack.serialize(value);
    assert.equal(hex(ours), hex(new Encoder({ ignoreUndefined: true }).encode(value)));
    assert.deepStrictEqual(msgpack.deserialize(ours), {
      a: 1,
      list: [null, 2],
      nested: { d: {} },
      wide: Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [`k${i}`, i]).filter(([, i]) => i as number % 4),
      ),
    });
    const map = new Map([["u", undefined]]);
    assert.equal(hex(msgpack.serialize(map)), "81a175c0", "Map entries are kept");
  });

  test("useToJSON calls toJSON, except on Date and bytes; byte-identical with msgpackr", () => {
    class Money {
      readonly cents: number;
      constructor(cents: number) {
        this.cents = cents;
      }
      toJSON(): string {
        return `${this.cents / 100} EUR`;
      }
    }
    class Self {
      a = 1;
      toJSON(): unknown {
        return this;
      }
    }
    const msgpack = new MsgPackSerializer({ useToJSON: true });
    const value = {
      price: new Money(250),
      at: new Date(0),
      plain: { toJSON: () => [1, 2] },
      self: new Self(),
      bytes: Uint8Array.from([1]),
    };
    const ours = msgpack.serialize(value);
    const decoded = msgpack.deserialize<Record<string, unknown>>(ours);
    assert.equal(decoded.price, "2.5 EUR");
    assert.deepStrictEqual(decoded.at, new Date(0));
    assert.deepStrictEqual(decoded.plain, [1, 2]);
    assert.deepStrictEqual(decoded.self, { a: 1 });
    assert.deepStrictEqual([...(decoded.bytes as Uint8Array)], [1]);
    const withoutPlain = { price: new Money(250), at: new Date(0), self: new Self() };
    assert.equal(
      hex(msgpack.serialize(withoutPlain)),
      hex(new Packr({ useRecords: false, variableMapSize: true }).pack(withoutPlain)),
    );
    // Off (the default): own properties.
    assert.deepStrictEqual(
      new MsgPackSerializer().deserialize(new MsgPackSerializer().serialize(new Money(1))),
      {
        cents: 1,
      },
    );
  });

  test("useToJSON: a toJSON that never settles hits maxDepth; a Set with a toJSON uses it", () => {
    class Endless {
      toJSON(): Endless {
        return new Endless();
      }
    }
    const msgpack = new MsgPackSerializer({ useToJSON: true, maxDepth: 32 });
    assert.throws(() => msgpack.serialize(new Endless()), RangeError);
    class Tags extends Set<string> {
      toJSON(): string[] {
        return [...this];
      }
    }
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize(new Tags(["a"]))), ["a"]);
  });

  test("sortKeys: equal objects give equal bytes at every depth, as @msgpack/msgpack's sortKeys", () => {
    const msgpack = new MsgPackSerializer({ sortKeys: true });
    const a = { b: 1, a: { z: [{ y: 1, x: 2 }], c: 2 }, "é": 0, A: 1 };
    const b = { A: 1, "é": 0, a: { c: 2, z: [{ x: 2, y: 1 }] }, b: 1 };
    assert.equal(hex(msgpack.serialize(a)), hex(msgpack.serialize(b)));
    assert.equal(hex(msgpack.serialize(a)), hex(new Encoder({ sortKeys: true }).encode(a)));
    assert.deepStrictEqual(Object.keys(msgpack.deserialize<object>(msgpack.serialize(a))), [
      "A",
      "a",
      "b",
      "é",
    ]);
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${39 - i}`, i]));
    assert.equal(hex(msgpack.serialize(wide)), hex(new Encoder({ sortKeys: true }).encode(wide)));
  });

  test("sortKeys with ignoreUndefined, and Map entries keep their order", () => {
    const msgpack = new MsgPackSerializer({ sortKeys: true, ignoreUndefined: true });
    const value = { c: 1, b: undefined, a: 2 };
    assert.equal(
      hex(msgpack.serialize(value)),
      hex(new Encoder({ sortKeys: true, ignoreUndefined: true }).encode(value)),
    );
    assert.equal(hex(msgpack.serialize(new Map([["b", 1], ["a", 2]]))), "82a16201a16102");
  });

  /** Non-integers in and out of msgpackr's float32 range, NaN and infinities. */
  const FLOATS = [
    0.1,
    0.5,
    -2.25,
    1 / 3,
    3.14159,
    123.456,
    1e-7,
    2 ** 31 + 0.5,
    -(2 ** 31) - 0.5,
    1e20 + 0.5,
    NaN,
    Infinity,
    -Infinity,
    5e-324,
    4294967295.5,
  ];

  const float32Modes: [string, "always" | "decimalRound" | "decimalFit", number][] = [
    ["always", "always", 1],
    ["decimalRound", "decimalRound", 3],
    ["decimalFit", "decimalFit", 4],
  ];
  for (const [name, mode, theirMode] of float32Modes) {
    test(`useFloat32 "${name}": msgpackr's bytes, and msgpackr's decoded values`, () => {
      const msgpack = new MsgPackSerializer({ useFloat32: mode });
      const packr = new Packr({ useRecords: false, variableMapSize: true, useFloat32: theirMode });
      const unpackr = new Unpackr({ useRecords: false, useFloat32: theirMode });
      const value = [...FLOATS, 1, -1, 70000];
      const ours = msgpack.serialize(value);
      assert.equal(hex(ours), hex(packr.pack(value)));
      assert.deepStrictEqual(msgpack.deserialize(ours), unpackr.unpack(ours));
    });
  }

  test("decimal modes read decimals back as written; decimalFit only where that is exact", () => {
    const fit = new MsgPackSerializer({ useFloat32: "decimalFit" });
    const round = new MsgPackSerializer({ useFloat32: "decimalRound" });
    for (const value of [0.1, 0.25, 123.456, -7.5, 1e-7]) {
      assert.equal(fit.deserialize(fit.serialize(value)), value);
      assert.equal(fit.serialize(value).length, 5, `${value} as float32`);
      assert.equal(round.deserialize(round.serialize(value)), value);
    }
    assert.equal(fit.serialize(1 / 3).length, 9, "1/3 stays float64");
    assert.equal(fit.deserialize(fit.serialize(1 / 3)), 1 / 3);
    assert.equal(round.deserialize(round.serialize(1 / 3)), 0.3333333);
    // Float32 NaN and infinities from elsewhere stay as they are (msgpackr's rounding gives 0).
    assert.ok(Number.isNaN(fit.deserialize(fromHex("ca7fc00000"))));
    assert.equal(fit.deserialize(fromHex("ca7f800000")), Infinity);
  });

  test("preferFloat32 stays exact-only; not together with useFloat32", () => {
    const exact = new MsgPackSerializer({ preferFloat32: true });
    assert.equal(exact.serialize(0.5).length, 5);
    assert.equal(exact.serialize(0.1).length, 9);
    assert.throws(
      () => new MsgPackSerializer({ preferFloat32: true, useFloat32: "always" }),
      TypeError,
    );
    assert.throws(
      () => new MsgPackSerializer({ useFloat32: "sometimes" as "always" }),
      /useFloat32 must be "always", "decimalRound", "decimalFit" or undefined, got "sometimes"/,
    );
  });

  test("forceIntegerToFloat: byte-identical with @msgpack/msgpack; float32 modes apply", () => {
    const msgpack = new MsgPackSerializer({ forceIntegerToFloat: true });
    const value = [0, 1, -1, 255, 2 ** 40, -(2 ** 53), 0.5, -10n];
    assert.equal(
      hex(msgpack.serialize(value)),
      hex(new Encoder({ forceIntegerToFloat: true, useBigInt64: true }).encode(value)),
    );
    assert.deepStrictEqual(msgpack.deserialize(msgpack.serialize([1, 2])), [1, 2]);
    const float32 = new MsgPackSerializer({ forceIntegerToFloat: true, useFloat32: "always" });
    assert.equal(hex(float32.serialize(1)), "ca3f800000");
    assert.equal(
      hex(new MsgPackSerializer({ forceIntegerToFloat: true, preferFloat32: true }).serialize(3)),
      "ca40400000",
    );
  });

  test('largeBigInt: "string" and "float" as msgpackr\'s largeBigIntToString/ToFloat; "error" names the path', () => {
    const big = [2n ** 64n, -(2n ** 65n) - 1n, 1n];
    const strings = new MsgPackSerializer({ largeBigInt: "string" });
    assert.equal(
      hex(strings.serialize(big)),
      hex(
        new Packr({ useRecords: false, variableMapSize: true, largeBigIntToString: true }).pack(
          big,
        ),
      ),
    );
    assert.deepStrictEqual(strings.deserialize(strings.serialize(big)), [
      "18446744073709551616",
      "-36893488147419103233",
      1,
    ]);
    const floats = new MsgPackSerializer({ largeBigInt: "float", useFloat32: "always" });
    assert.equal(
      hex(floats.serialize(big)),
      hex(
        new Packr({ useRecords: false, variableMapSize: true, largeBigIntToFloat: true }).pack(big),
      ),
    );
    assert.deepStrictEqual(floats.deserialize(floats.serialize(big)), [2 ** 64, -(2 ** 65), 1]);
    for (
      const msgpack of [new MsgPackSerializer(), new MsgPackSerializer({ largeBigInt: "error" })]
    ) {
      assert.throws(
        () => msgpack.serialize({ list: [1n, 2n ** 64n] }),
        (error: Error) =>
          error instanceof TypeError &&
          /bigint 18446744073709551616 .*at \$\.list\[1\]/.test(error.message) &&
          /largeBigInt/.test(error.message),
      );
    }
    assert.throws(
      () => new MsgPackSerializer({ largeBigInt: "number" as "float" }),
      /largeBigInt must be/,
    );
  });

  test("boolean options must be booleans; the options read back", () => {
    for (
      const name of [
        "moreTypes",
        "ignoreUndefined",
        "useToJSON",
        "sortKeys",
        "forceIntegerToFloat",
        "preferFloat32",
      ]
    ) {
      assert.throws(
        () => new MsgPackSerializer({ [name]: "yes" }),
        (error: Error) =>
          error instanceof TypeError && error.message.includes(`${name} must be a boolean`),
      );
    }
    const context = { id: 1 };
    const options =
      new MsgPackSerializer({ sortKeys: true, useFloat32: "decimalFit", context }).options;
    assert.equal(options.sortKeys, true);
    assert.equal(options.useFloat32, "decimalFit");
    assert.equal(options.context, context);
  });

  test("the options apply on every serialize path and in re-entrant calls", () => {
    const msgpack = new MsgPackSerializer({ sortKeys: true, ignoreUndefined: true });
    const value = {
      b: 1,
      a: undefined,
      get c(): string {
        return hex(msgpack.serialize({ y: 1, x: undefined }));
      },
    };
    const expected = "82a16201a163a8" + hex(new TextEncoder().encode("81a17901"));
    assert.equal(hex(msgpack.serialize(value)), expected);
    using pooled = msgpack.serializePooled(value);
    assert.equal(hex(pooled.bytes), expected);
    const dest = new Uint8Array(64);
    assert.equal(hex(dest.subarray(0, msgpack.trySerialize(value, dest))), expected);
  });
});
