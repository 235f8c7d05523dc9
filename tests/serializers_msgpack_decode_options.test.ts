import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Unpackr } from "msgpackr";
import { encode as theirEncode } from "@msgpack/msgpack";
import {
  JsonSerializer,
  MsgPackExt,
  MsgPackSerializer,
  type MsgPackSerializerOptions,
} from "../serializers/mod.ts";
import { randomBytes, randomInt, rng } from "./_random.ts";

const fromHex = (text: string): Uint8Array =>
  new Uint8Array((text.replace(/\s/g, "").match(/../g) ?? []).map((pair) => parseInt(pair, 16)));
const concat = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const out: number[] = [];
  for (const part of parts) out.push(...part);
  return new Uint8Array(out);
};
const be = (value: number, size: number): number[] =>
  Array.from({ length: size }, (_, i) => Math.floor(value / 256 ** (size - 1 - i)) % 256);

type Kind = "str" | "bin" | "array" | "map" | "ext";
const OPTION: Record<Kind, keyof MsgPackSerializerOptions> = {
  str: "maxStrLength",
  bin: "maxBinLength",
  array: "maxArrayLength",
  map: "maxMapLength",
  ext: "maxExtLength",
};
const UNIT: Record<Kind, string> = {
  str: "bytes",
  bin: "bytes",
  array: "elements",
  map: "entries",
  ext: "bytes",
};

/** Every header form of a `kind` value of `length`, complete (header and body). */
function encodings(kind: Kind, length: number): [string, Uint8Array][] {
  const body = (n: number): number[] => {
    if (kind === "str") return new Array(n).fill(0x61);
    if (kind === "bin") return new Array(n).fill(7);
    if (kind === "array") return new Array(n).fill(1);
    if (kind === "map") {
      return Array.from({ length: n }, (_, i) => [0xa1, 0x30 + (i % 10), i & 0x7f]).flat();
    }
    return [5, ...new Array(n).fill(9)]; // ext: type 5
  };
  const forms: [string, number[]][] = [];
  if (kind === "str" && length <= 31) forms.push(["fixstr", [0xa0 + length]]);
  if ((kind === "array" || kind === "map") && length <= 15) {
    forms.push([`fix${kind}`, [(kind === "array" ? 0x90 : 0x80) + length]]);
  }
  if (kind === "ext" && [1, 2, 4, 8, 16].includes(length)) {
    forms.push(["fixext", [{ 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 }[length]!]]);
  }
  const tokens = {
    str: [0xd9, 0xda, 0xdb],
    bin: [0xc4, 0xc5, 0xc6],
    ext: [0xc7, 0xc8, 0xc9],
    array: [-1, 0xdc, 0xdd],
    map: [-1, 0xde, 0xdf],
  }[kind];
  if (tokens[0] >= 0 && length <= 255) forms.push([`${kind}8`, [tokens[0], length]]);
  if (length <= 65535) forms.push([`${kind}16`, [tokens[1], ...be(length, 2)]]);
  forms.push([`${kind}32`, [tokens[2], ...be(length, 4)]]);
  return forms.map(([name, header]) => [name, concat(header, body(length))]);
}

function limited(kind: Kind, limit: number): MsgPackSerializer {
  return new MsgPackSerializer({ [OPTION[kind]]: limit });
}

describe("MsgPackSerializer decode limits", () => {
  for (const kind of ["str", "bin", "array", "map", "ext"] as const) {
    for (const limit of kind === "ext" ? [1, 2, 4, 8, 16, 20, 300] : [0, 1, 15, 16, 31, 32, 300]) {
      test(`${OPTION[kind]} ${limit}: exact passes, one more is a RangeError naming the offset`, () => {
        const msgpack = limited(kind, limit);
        for (const [form, bytes] of encodings(kind, limit)) {
          assert.doesNotThrow(() => msgpack.deserialize(bytes), `${form} of ${limit}`);
        }
        for (const [form, bytes] of encodings(kind, limit + 1)) {
          // Inside a map under the key "" (an array after nil for arrays): the header is at offset 2.
          const nested = concat(kind === "array" ? [0x81, 0xa0] : [0x92, 0xc0], bytes);
          assert.throws(() => msgpack.deserialize(nested), {
            name: "RangeError",
            message: `Cannot decode MessagePack: ${kind} of ${limit + 1} ${UNIT[kind]} exceeds ${
              OPTION[kind]
            } ${limit} at offset 2`,
          }, `${form} of ${limit + 1}`);
        }
      });
    }
  }

  test("limits are checked before the length is trusted: a huge claim in a short input", () => {
    const msgpack = new MsgPackSerializer({
      maxStrLength: 10,
      maxArrayLength: 10,
      maxBinLength: 10,
    });
    assert.throws(
      () => msgpack.deserialize(fromHex("dbffffffff61")),
      /str of 4294967295 bytes exceeds maxStrLength 10 at offset 0/,
    );
    assert.throws(
      () => msgpack.deserialize(fromHex("ddffffffff")),
      /array of 4294967295 elements exceeds maxArrayLength 10 at offset 0/,
    );
    assert.throws(
      () => msgpack.deserialize(fromHex("c6ffffffff")),
      /bin of 4294967295 bytes exceeds maxBinLength 10 at offset 0/,
    );
  });

  test("maxStrLength covers map keys, cached fixstr keys included", () => {
    const msgpack = new MsgPackSerializer({ maxStrLength: 3 });
    assert.deepEqual(msgpack.deserialize(msgpack.serialize({ abc: "xyz" })), { abc: "xyz" });
    // Decode the same key first within the limit elsewhere, so it sits in the key cache.
    const loose = new MsgPackSerializer();
    const bytes = loose.serialize([{ abcd: 1 }, { abcd: 2 }]);
    assert.deepEqual(loose.deserialize(bytes), [{ abcd: 1 }, { abcd: 2 }]);
    assert.throws(() => msgpack.deserialize(bytes), {
      name: "RangeError",
      message: "Cannot decode MessagePack: str of 4 bytes exceeds maxStrLength 3 at offset 2",
    });
    assert.throws(
      () => msgpack.deserialize(fromHex("81 d904 61626364 01")),
      /str of 4 bytes exceeds maxStrLength 3 at offset 1/,
    );
    // With mapType: "map" too.
    const asMap = new MsgPackSerializer({ maxStrLength: 3, mapType: "map" });
    assert.throws(() => asMap.deserialize(bytes), /str of 4 bytes .* at offset 2/);
  });

  test("nested values: the innermost over-long value is named, at its own offset", () => {
    const msgpack = new MsgPackSerializer({ maxArrayLength: 2, maxMapLength: 2, maxBinLength: 2 });
    const ok = { a: [1, 2], b: { c: new Uint8Array(2), d: [[3], []] } };
    assert.deepEqual(msgpack.deserialize(msgpack.serialize(ok)), ok);
    const deep = [[[[1, 2, 3]]]];
    assert.throws(
      () => msgpack.deserialize(msgpack.serialize(deep)),
      /array of 3 elements exceeds maxArrayLength 2 at offset 3/,
    );
    const bytes = msgpack.serialize({ a: 1, b: { c: new Uint8Array(3) } });
    // 82 a161 01 a162 81 a163 c4 03 ...: the bin header is at offset 9.
    assert.throws(
      () => msgpack.deserialize(bytes),
      /bin of 3 bytes exceeds maxBinLength 2 at offset 9/,
    );
    const wide = msgpack.serialize([{ a: 1, b: 2, c: 3 }]);
    assert.throws(
      () => msgpack.deserialize(wide),
      /map of 3 entries exceeds maxMapLength 2 at offset 1/,
    );
  });

  test("maxExtLength covers timestamps and MsgPackExt; limits never touch other kinds", () => {
    const msgpack = new MsgPackSerializer({ maxExtLength: 4 });
    const seconds = new Date(1000); // timestamp 32: 4 bytes
    const millis = new Date(1001); // timestamp 64: 8 bytes
    assert.deepEqual(msgpack.deserialize(msgpack.serialize(seconds)), seconds);
    assert.throws(
      () => msgpack.deserialize(msgpack.serialize(millis)),
      /ext of 8 bytes exceeds maxExtLength 4 at offset 0/,
    );
    const ext = new MsgPackExt(9, new Uint8Array(5));
    assert.throws(
      () => msgpack.deserialize(msgpack.serialize([ext])),
      /ext of 5 bytes exceeds maxExtLength 4 at offset 1/,
    );
    // A str, bin, array and map of 100 are untouched by an ext limit.
    const other = { s: "x".repeat(100), b: new Uint8Array(100), a: new Array(100).fill(0) };
    assert.deepEqual(msgpack.deserialize(msgpack.serialize(other)), other);
  });

  test("the defaults accept the longest lengths the format has (bounded by the input)", () => {
    const msgpack = new MsgPackSerializer();
    const big = { s: "x".repeat(70_000), b: new Uint8Array(70_000), a: new Array(70_000).fill(1) };
    assert.deepEqual(msgpack.deserialize(msgpack.serialize(big)), big);
    // A 2^32 - 1 claim is only ever a truncation, never a limit.
    assert.throws(() => msgpack.deserialize(fromHex("dbffffffff")), /unexpected end of input/);
  });

  test("limits above 2^30 hold exactly (the hot checks cap theirs; the cold one has the real one)", () => {
    const limit = 2 ** 31;
    const msgpack = new MsgPackSerializer({
      maxStrLength: limit,
      maxArrayLength: limit,
      maxMapLength: limit,
    });
    const cases = [
      ["str", 0xdb, "bytes"],
      ["array", 0xdd, "elements"],
      ["map", 0xdf, "entries"],
    ] as const;
    for (const [kind, token, unit] of cases) {
      assert.throws(() => msgpack.deserialize(concat([token], be(limit, 4), [0x61])), {
        name: "RangeError",
        message: /^Cannot decode MessagePack: unexpected end of input at offset 5/,
      }, `${kind} of exactly the limit`);
      assert.throws(() => msgpack.deserialize(concat([token], be(limit + 1, 4), [0x61])), {
        name: "RangeError",
        message: `Cannot decode MessagePack: ${kind} of ${limit + 1} ${unit} exceeds ${
          OPTION[kind]
        } ${limit} at offset 0`,
      }, `${kind} of one more`);
    }
  });

  test("limit options are validated by the constructor", () => {
    for (const option of Object.values(OPTION)) {
      for (const bad of [-1, 1.5, NaN, Infinity, -Infinity]) {
        assert.throws(() => new MsgPackSerializer({ [option]: bad }), {
          name: "RangeError",
          message:
            `Cannot create MsgPackSerializer: ${option} ${bad} is not a non-negative integer`,
        });
      }
      for (const bad of ["10", null, 10n, {}]) {
        assert.throws(
          () => new MsgPackSerializer({ [option]: bad } as MsgPackSerializerOptions),
          TypeError,
        );
      }
      for (const good of [0, 1, 2 ** 32 - 1, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
        assert.doesNotThrow(() => new MsgPackSerializer({ [option]: good }));
      }
      assert.equal(new MsgPackSerializer({ [option]: 7 }).options[option], 7);
    }
  });
});

/** Invalid (and a few valid) UTF-8 sequences, each preceded and followed by ASCII. */
const SEQUENCES: [string, number[]][] = [
  ["overlong 2-byte NUL", [0xc0, 0x80]],
  ["overlong 2-byte", [0xc1, 0xbf]],
  ["overlong 3-byte", [0xe0, 0x80, 0xaf]],
  ["overlong 4-byte", [0xf0, 0x8f, 0xbf, 0xbf]],
  ["high surrogate", [0xed, 0xa0, 0x80]],
  ["low surrogate", [0xed, 0xbf, 0xbf]],
  ["surrogate pair as CESU-8", [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]],
  ["above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
  ["lead byte 0xf5", [0xf5, 0x80, 0x80, 0x80]],
  ["byte 0xff", [0xff]],
  ["byte 0xfe", [0xfe]],
  ["lone continuation", [0x80]],
  ["truncated 2-byte", [0xc3]],
  ["truncated 3-byte", [0xe2, 0x82]],
  ["truncated 4-byte", [0xf0, 0x9f, 0x98]],
  ["valid 2-byte", [0xc3, 0xa9]],
  ["valid 3-byte", [0xe2, 0x82, 0xac]],
  ["valid 4-byte", [0xf0, 0x9f, 0x98, 0x80]],
  ["valid U+FFFD", [0xef, 0xbf, 0xbd]],
  ["valid BOM", [0xef, 0xbb, 0xbf]],
];

const strictOracle = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const looseOracle = new TextDecoder("utf-8", { ignoreBOM: true });

/** A str header for `length` bytes (the shortest form). */
const strHeader = (length: number): number[] =>
  length <= 31 ? [0xa0 + length] : length <= 255 ? [0xd9, length] : [0xda, ...be(length, 2)];

describe("MsgPackSerializer fatal: true", () => {
  const strict = new MsgPackSerializer({ fatal: true });
  const loose = new MsgPackSerializer();

  // Prefix lengths put the sequence in short cached values, longer native ones and keys.
  for (const prefixLength of [0, 1, 9, 20, 40, 300]) {
    test(`invalid sequences after ${prefixLength} ASCII bytes: SyntaxError at the first invalid byte, like TextDecoder`, () => {
      for (const [name, sequence] of SEQUENCES) {
        const payload = concat(new Array(prefixLength).fill(0x41), sequence, [0x42]);
        let valid = true;
        try {
          strictOracle.decode(payload);
        } catch {
          valid = false;
        }
        assert.equal(valid, name.startsWith("valid"), name);
        for (
          const [where, bytes, at] of [
            ["value", concat(strHeader(payload.length), payload), 0],
            ["nested value", concat([0x92, 0x01], strHeader(payload.length), payload), 2],
            ["key", concat([0x81], strHeader(payload.length), payload, [0x01]), 1],
          ] as [string, Uint8Array, number][]
        ) {
          const header = strHeader(payload.length).length;
          const expected = where === "key"
            ? { [looseOracle.decode(payload)]: 1 }
            : where === "nested value"
            ? [1, looseOracle.decode(payload)]
            : looseOracle.decode(payload);
          assert.deepEqual(loose.deserialize(bytes), expected, `${name} ${where} (U+FFFD)`);
          if (valid) {
            assert.deepEqual(strict.deserialize(bytes), expected, `${name} ${where}`);
          } else {
            const offset = at + header + prefixLength;
            const byte = sequence[0].toString(16).padStart(2, "0");
            assert.throws(() => strict.deserialize(bytes), {
              name: "SyntaxError",
              message:
                `Cannot decode MessagePack: invalid UTF-8 byte 0x${byte} in a str at offset ${offset}`,
            }, `${name} ${where}`);
          }
        }
      }
    });
  }

  test("random strings: throws exactly when TextDecoder({ fatal: true }) does, at the first U+FFFD", () => {
    const random = rng(16);
    let invalid = 0;
    for (let i = 0; i < 2000; i++) {
      const length = randomInt(random, 0, i % 10 === 0 ? 200 : 40);
      const payload = randomBytes(random, length);
      // Mostly ASCII with a few high bytes, so there are valid strings too.
      for (let k = 0; k < length; k++) if (random() < 0.8) payload[k] &= 0x7f;
      const bytes = concat(strHeader(length), payload);
      const text = looseOracle.decode(payload);
      let oracleThrew = false;
      try {
        strictOracle.decode(payload);
      } catch {
        oracleThrew = true;
      }
      if (!oracleThrew) {
        assert.equal(strict.deserialize(bytes), text);
        continue;
      }
      invalid++;
      // The first U+FFFD that is not a literal EF BF BD marks the first invalid byte.
      const index = new TextEncoder().encode(text.slice(0, text.indexOf("\ufffd"))).length;
      if (payload[index] === 0xef && payload[index + 1] === 0xbf && payload[index + 2] === 0xbd) {
        continue;
      }
      assert.throws(() => strict.deserialize(bytes), {
        name: "SyntaxError",
        message: new RegExp(`at offset ${strHeader(length).length + index}$`),
      });
    }
    assert.ok(invalid > 100, `${invalid} invalid samples`);
  });

  test("a cached string or key was checked when first decoded, so repeats are still strict", () => {
    const valid = loose.serialize({ key: "value" });
    assert.deepEqual(strict.deserialize(valid), { key: "value" });
    assert.deepEqual(strict.deserialize(valid), { key: "value" });
    // Same lengths as the cached ones, one invalid byte each.
    const badKey = fromHex("81 a3 6bff79 a5 76616c7565");
    const badValue = fromHex("81 a3 6b6579 a5 76616cff65");
    assert.throws(() => strict.deserialize(badKey), /byte 0xff in a str at offset 3/);
    assert.throws(() => strict.deserialize(badValue), /byte 0xff in a str at offset 9/);
    assert.deepEqual(strict.deserialize(valid), { key: "value" });
    // The loose serializer cached the replaced strings; it keeps replacing.
    assert.deepEqual(loose.deserialize(badKey), { "k\ufffdy": "value" });
  });

  test("fatal leaves bin and ext payloads alone", () => {
    const bytes = strict.serialize([
      new Uint8Array([0xff, 0xc0]),
      new MsgPackExt(3, new Uint8Array([0xff])),
    ]);
    assert.deepEqual(strict.deserialize(bytes), [
      new Uint8Array([0xff, 0xc0]),
      new MsgPackExt(3, new Uint8Array([0xff])),
    ]);
  });
});

describe("MsgPackSerializer copyBinary", () => {
  test("copyBinary: false gives views that alias the input; the default copies", () => {
    const value = { a: new Uint8Array([1, 2, 3]), b: [new Uint8Array(0), new Uint8Array([4])] };
    const bytes = new MsgPackSerializer().serialize(value);
    const input = concat([0xc1, 0xc1], bytes).subarray(2); // an offset view
    const views = new MsgPackSerializer({ copyBinary: false }).deserialize<typeof value>(input);
    const copies = new MsgPackSerializer().deserialize<typeof value>(input);
    assert.deepEqual(views, value);
    assert.deepEqual(copies, value);
    assert.equal(views.a.buffer, input.buffer);
    assert.equal(views.a.byteOffset, input.byteOffset + 5); // 82 a161 c4 03 [1 2 3]
    assert.notEqual(copies.a.buffer, input.buffer);
    assert.equal(copies.a.buffer.byteLength, 3);
    input[5] = 99;
    assert.equal(views.a[0], 99);
    assert.equal(copies.a[0], 1);
    assert.equal(views.b[1].buffer, input.buffer);
  });

  test("copyBinary: false over an ArrayBuffer views that ArrayBuffer; ext payloads stay copies", () => {
    const bytes = new MsgPackSerializer({ slab: null }).serialize([
      new Uint8Array([5, 6]),
      new MsgPackExt(1, new Uint8Array([7])),
    ]);
    const [bin, ext] = new MsgPackSerializer({ copyBinary: false }).deserialize<
      [Uint8Array, MsgPackExt]
    >(bytes.buffer);
    assert.equal(bin.buffer, bytes.buffer);
    assert.notEqual(ext.data.buffer, bytes.buffer);
  });

  test("copyBinary: false views survive the serializer's next call (it keeps no reference)", () => {
    const msgpack = new MsgPackSerializer({ copyBinary: false });
    const first = msgpack.deserialize<Uint8Array>(fromHex("c40201ff"));
    msgpack.deserialize(fromHex("c4020000"));
    assert.deepEqual([...first], [1, 255]);
  });
});

describe("MsgPackSerializer int64 modes (msgpackr's int64AsType as the oracle)", () => {
  const SAMPLES: bigint[] = [
    0n,
    1n,
    127n,
    2n ** 32n,
    2n ** 53n - 1n,
    2n ** 53n,
    2n ** 53n + 1n,
    2n ** 63n - 1n,
    -1n,
    -(2n ** 31n),
    -(2n ** 53n - 1n),
    -(2n ** 53n),
    -(2n ** 53n + 1n),
    -(2n ** 63n),
  ];
  const random = rng(64);
  for (let i = 0; i < 200; i++) {
    const high = BigInt(randomInt(random, 0, 2 ** 31 - 1)) << BigInt(randomInt(random, 0, 32));
    SAMPLES.push(random() < 0.5 ? high : -high);
  }
  const encodings = (value: bigint): Uint8Array[] => {
    const out: Uint8Array[] = [];
    const signed = new Uint8Array(9);
    signed[0] = 0xd3;
    new DataView(signed.buffer).setBigInt64(1, value);
    out.push(signed);
    if (value >= 0n) {
      const unsigned = new Uint8Array(9);
      unsigned[0] = 0xcf;
      new DataView(unsigned.buffer).setBigUint64(1, value);
      out.push(unsigned);
    }
    return out;
  };
  // uint64 beyond int64 too.
  const UINT64_ONLY = [2n ** 63n, 2n ** 64n - 1n, 2n ** 64n - 2n ** 11n];

  for (const mode of ["number", "bigint", "string"] as const) {
    test(`int64: "${mode}" decodes int64 and uint64 as msgpackr's int64AsType "${mode}"`, () => {
      const ours = new MsgPackSerializer({ int64: mode });
      const theirs = new Unpackr({ int64AsType: mode, useRecords: false });
      for (const value of [...SAMPLES, ...UINT64_ONLY]) {
        for (const bytes of value >= 2n ** 63n ? encodings(value).slice(1) : encodings(value)) {
          const expected = theirs.unpack(bytes);
          assert.equal(typeof expected, mode === "number" ? "number" : mode, `msgpackr ${value}`);
          assert.equal(
            ours.deserialize(bytes),
            expected,
            `${mode} ${value} ${bytes[0].toString(16)}`,
          );
        }
      }
      // Smaller encodings stay numbers in every mode, as in msgpackr.
      for (const small of ["ce ffffffff", "d2 80000000", "cc 05", "07"]) {
        const bytes = fromHex(small);
        assert.equal(ours.deserialize(bytes), theirs.unpack(bytes));
        assert.equal(typeof ours.deserialize(bytes), "number");
      }
    });
  }

  test('int64: "auto" (the default) is a number when safe, else a bigint; msgpackr agrees but at ±2^53', () => {
    const auto = new MsgPackSerializer({ int64: "auto" });
    const byDefault = new MsgPackSerializer();
    const theirs = new Unpackr(
      // Its types lack "auto", which its unpack.js implements.
      { int64AsType: "auto", useRecords: false } as unknown as ConstructorParameters<
        typeof Unpackr
      >[0],
    );
    for (const value of [...SAMPLES, ...UINT64_ONLY]) {
      const safe = value >= -(2n ** 53n - 1n) && value <= 2n ** 53n - 1n;
      for (const bytes of value >= 2n ** 63n ? encodings(value).slice(1) : encodings(value)) {
        const decoded = auto.deserialize(bytes);
        assert.equal(decoded, safe ? Number(value) : value);
        assert.equal(byDefault.deserialize(bytes), decoded);
        // msgpackr's auto also turns ±2^53 into a number; ours keeps those exact as bigints,
        // since 2^53 + 1 would round to the same number.
        if (value !== 2n ** 53n && value !== -(2n ** 53n)) {
          assert.equal(theirs.unpack(bytes), decoded, `${value}`);
        }
      }
    }
  });

  test('int64: "string" keys and "bigint" values in maps', () => {
    const bytes = fromHex("81 d3 0000000000000005 cf 0000000000000007");
    assert.deepEqual(new MsgPackSerializer({ int64: "string" }).deserialize(bytes), { 5: "7" });
    assert.deepEqual(
      new MsgPackSerializer({ int64: "bigint", mapType: "map" }).deserialize(bytes),
      new Map([[5n, 7n]]),
    );
  });

  test("an unknown int64 mode is a TypeError", () => {
    for (const bad of ["BigInt", "", "constructor", "__proto__", 1, true]) {
      assert.throws(() => new MsgPackSerializer({ int64: bad as "auto" }), TypeError);
    }
  });
});

/** Every kind of BufferSource holding exactly `message` (length a multiple of 8), inside junk. */
function bufferSources(message: Uint8Array, junk: number): [string, unknown][] {
  assert.equal(message.length % 8, 0);
  const length = message.length;
  const padded = new Uint8Array(8 + length + 8).fill(junk);
  padded.set(message, 8);
  const buffer = padded.buffer;
  const own = message.slice().buffer;
  const shared = new SharedArrayBuffer(8 + length + 8);
  new Uint8Array(shared).set(padded);
  const kinds: [string, unknown][] = [
    ["ArrayBuffer", own],
    [
      "SharedArrayBuffer",
      (() => {
        const exact = new SharedArrayBuffer(length);
        new Uint8Array(exact).set(message);
        return exact;
      })(),
    ],
    ["Uint8Array (offset view)", new Uint8Array(buffer, 8, length)],
    ["Uint8Array over a SharedArrayBuffer", new Uint8Array(shared, 8, length)],
    ["DataView (offset view)", new DataView(buffer, 8, length)],
    ["DataView over a SharedArrayBuffer", new DataView(shared, 8, length)],
  ];
  const constructors = [
    Int8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
  ] as unknown as (new (
    buffer: ArrayBufferLike,
    offset: number,
    length: number,
  ) => ArrayBufferView & { BYTES_PER_ELEMENT: number })[];
  const float16 = (globalThis as Record<string, unknown>).Float16Array;
  if (typeof float16 === "function") constructors.push(float16 as (typeof constructors)[number]);
  for (const TypedArray of constructors) {
    const size = (TypedArray as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    kinds.push([`${TypedArray.name} (offset view)`, new TypedArray(buffer, 8, length / size)]);
  }
  const NodeBuffer =
    (globalThis as { Buffer?: { from(b: ArrayBuffer, o: number, l: number): Uint8Array } }).Buffer;
  if (NodeBuffer !== undefined) {
    kinds.push(["Buffer (offset view)", NodeBuffer.from(buffer, 8, length)]);
  }
  return kinds;
}

function detachedSources(): [string, unknown][] {
  const detach = (buffer: ArrayBuffer): void => {
    structuredClone(buffer, { transfer: [buffer] });
  };
  const a = new ArrayBuffer(8);
  const b = new Uint8Array(8);
  const c = new DataView(new ArrayBuffer(8), 2);
  const d = new Float64Array(1);
  detach(a);
  detach(b.buffer);
  detach(c.buffer as ArrayBuffer);
  detach(d.buffer);
  return [["ArrayBuffer", a], ["Uint8Array", b], ["DataView", c], ["Float64Array", d]];
}

const WRONG_TYPES: [string, unknown][] = [
  ["string", "\x91\x01"],
  ["number", 1],
  ["null", null],
  ["undefined", undefined],
  ["Array", [0x91, 0x01]],
  ["array-like object", { length: 2, 0: 0x91, 1: 0x01 }],
  ["object with a buffer", { buffer: new ArrayBuffer(2), byteLength: 2, byteOffset: 0 }],
  ["Blob", new Blob([new Uint8Array([1])])],
];

describe("deserialize takes any BufferSource, reading exactly the bytes it views", () => {
  const msgpack = new MsgPackSerializer();
  const json = new JsonSerializer();
  const value = { id: 1, name: "order.created", tags: ["a", "é"] };
  // Pad to a multiple of 8 bytes so every typed array can view exactly the message.
  let message = msgpack.serialize({ ...value, pad: "" });
  message = msgpack.serialize({ ...value, pad: "x".repeat((8 - (message.length % 8)) % 8) });
  const padded = msgpack.deserialize(message);
  let jsonMessage = new TextEncoder().encode(JSON.stringify(value));
  jsonMessage = new TextEncoder().encode(
    JSON.stringify(value) + " ".repeat((8 - (jsonMessage.length % 8)) % 8),
  );

  test("MsgPackSerializer.deserialize and deserializeSequence", () => {
    const sequence = concat(message, message);
    for (const [kind, source] of bufferSources(message, 0xc1)) {
      assert.deepEqual(msgpack.deserialize(source as Uint8Array), padded, kind);
    }
    for (const [kind, source] of bufferSources(sequence, 0xc1)) {
      assert.deepEqual(msgpack.deserializeSequence(source as Uint8Array), [padded, padded], kind);
    }
  });

  test("JsonSerializer.deserialize", () => {
    for (const [kind, source] of bufferSources(jsonMessage, 0x7b /* { */)) {
      assert.deepEqual(json.deserialize(source as Uint8Array), value, kind);
    }
  });

  test("error offsets count from the first byte the input views", () => {
    const truncated = new Uint8Array(16).fill(0xc1);
    truncated.set([0x92, 0x01, 0xcd, 0x01], 8); // [1, uint16 cut short]
    for (
      const source of [
        new DataView(truncated.buffer, 8, 4),
        new Uint8Array(truncated.buffer, 8, 4),
        truncated.slice(8, 12).buffer,
      ]
    ) {
      assert.throws(
        () => msgpack.deserialize(source),
        /unexpected end of input at offset 3 \(needs 2 more bytes, 1 left\)$/,
      );
    }
    const strict = new MsgPackSerializer({ fatal: true });
    const bad = new Uint8Array([0xc1, 0xc1, 0xa2, 0x61, 0xff]);
    assert.throws(
      () => strict.deserialize(new DataView(bad.buffer, 2)),
      /byte 0xff in a str at offset 2/,
    );
  });

  test("empty input: RangeError (MessagePack) or SyntaxError (JSON), whatever its kind", () => {
    for (
      const empty of [
        new Uint8Array(0),
        new ArrayBuffer(0),
        new DataView(new ArrayBuffer(4), 4),
        new Float64Array(0),
      ]
    ) {
      assert.throws(() => msgpack.deserialize(empty), RangeError);
      assert.deepEqual(msgpack.deserializeSequence(empty), []);
      assert.throws(() => json.deserialize(empty), SyntaxError);
    }
  });

  test("a detached buffer is a TypeError for both serializers", () => {
    for (const [kind, source] of detachedSources()) {
      assert.throws(() => msgpack.deserialize(source as Uint8Array), {
        name: "TypeError",
        message: "Cannot decode MessagePack: the input's ArrayBuffer is detached",
      }, kind);
      assert.throws(() => msgpack.deserializeSequence(source as Uint8Array), TypeError, kind);
      assert.throws(() => json.deserialize(source as Uint8Array), {
        name: "TypeError",
        message: "Cannot deserialize JSON: the input's ArrayBuffer is detached",
      }, kind);
    }
  });

  test("anything else is a TypeError naming what it got, for both serializers", () => {
    for (const [kind, source] of WRONG_TYPES) {
      assert.throws(() => msgpack.deserialize(source as Uint8Array), {
        name: "TypeError",
        message:
          /^Cannot decode MessagePack: expected an ArrayBuffer, a SharedArrayBuffer, a typed array or a DataView, got /,
      }, kind);
      assert.throws(() => msgpack.deserializeSequence(source as Uint8Array), TypeError, kind);
      assert.throws(() => json.deserialize(source as Uint8Array), {
        name: "TypeError",
        message: /^Cannot deserialize JSON: expected an ArrayBuffer/,
      }, kind);
    }
    assert.throws(() => msgpack.deserialize(null as unknown as Uint8Array), /got null$/);
    assert.throws(() => msgpack.deserialize("x" as unknown as Uint8Array), /got string$/);
    assert.throws(() => msgpack.deserialize([1] as unknown as Uint8Array), /got Array$/);
  });

  test("long strings from a SharedArrayBuffer take the native decoders too", () => {
    const long = { text: "é".repeat(300) + "x".repeat(100), key: "k".repeat(40) };
    const strict = new MsgPackSerializer({ fatal: true });
    for (const bytes of [msgpack.serialize(long), new TextEncoder().encode(JSON.stringify(long))]) {
      const shared = new SharedArrayBuffer(bytes.length + 3);
      const view = new Uint8Array(shared, 3, bytes.length);
      view.set(bytes);
      if (bytes[0] === 0x7b) {
        assert.deepEqual(json.deserialize(view), long);
        assert.deepEqual(json.deserialize(new DataView(shared, 3)), long);
      } else {
        assert.deepEqual(msgpack.deserialize(view), long);
        assert.deepEqual(strict.deserialize(new DataView(shared, 3)), long);
      }
    }
  });

  test("peers' output decodes from every kind too", () => {
    const theirs = theirEncode({ n: 1 });
    assert.deepEqual(
      msgpack.deserialize(new DataView(theirs.buffer, theirs.byteOffset, theirs.byteLength)),
      { n: 1 },
    );
  });
});
