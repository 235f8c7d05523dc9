import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { MemoryPool, SlabAllocator } from "../pool/mod.ts";
import {
  decodeUtf8,
  encodeUtf8,
  encodeUtf8Into,
  encodeUtf8Pooled,
  utf8ByteLength,
  writeUtf8,
} from "../encoding/mod.ts";
import { type Random, randomBytes, randomInt, rng } from "./_random.ts";

const encoder = new TextEncoder();
const isBun = typeof (globalThis as { Bun?: unknown }).Bun === "object";
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const fatalDecoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });

/** Code units drawn from every class: ASCII, 2-byte, 3-byte, pairs, lone surrogates. */
function randomText(random: Random, length: number): string {
  let text = "";
  while (text.length < length) {
    const kind = randomInt(random, 0, 9);
    if (kind < 4) text += String.fromCharCode(randomInt(random, 0, 0x7f));
    else if (kind < 5) text += String.fromCharCode(randomInt(random, 0x80, 0x7ff));
    else if (kind < 7) text += String.fromCharCode(randomInt(random, 0x800, 0xd7ff));
    else if (kind < 8) text += String.fromCharCode(randomInt(random, 0xe000, 0xffff));
    else if (kind < 9) text += String.fromCodePoint(randomInt(random, 0x10000, 0x10ffff));
    else text += String.fromCharCode(randomInt(random, 0xd800, 0xdfff)); // lone
  }
  return text;
}

/** Byte strings that are mostly valid UTF-8 with injected faults. */
function randomUtf8ish(random: Random, length: number): Uint8Array {
  const valid = encoder.encode(randomText(random, length));
  const bytes = valid.slice(0, length);
  const faults = randomInt(random, 0, 3);
  for (let i = 0; i < faults && bytes.length > 0; i++) {
    bytes[randomInt(random, 0, bytes.length - 1)] = randomInt(random, 0x80, 0xff);
  }
  return bytes;
}

function lengths(max: number): number[] {
  const out: number[] = [];
  for (let n = 0; n <= 80; n++) out.push(n);
  for (let n = 96; n <= max; n *= 2) out.push(n - 1, n, n + 1);
  return out;
}

/**
 * An independent reference encoder (neither TextEncoder nor the library):
 * code point by code point, lone surrogates as U+FFFD.
 */
function referenceEncode(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    let cp = char.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) {
      out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else {
      out.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
    }
  }
  return new Uint8Array(out);
}

/** Lone surrogates replaced by U+FFFD: what a UTF-8 round trip gives back. */
function wellFormed(text: string): string {
  let out = "";
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    out += cp >= 0xd800 && cp <= 0xdfff ? "\ufffd" : char;
  }
  return out;
}

/**
 * The index a strict decoder must name: the start of the first invalid
 * sequence, found with TextDecoder alone. Feed bytes one at a time until the
 * streaming fatal decoder fails at byte k, then take the longest prefix up
 * to k that decodes completely.
 */
function oracleInvalidIndex(bytes: Uint8Array): number {
  const streaming = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let failedAt = bytes.length;
  try {
    for (let k = 0; k < bytes.length; k++) {
      failedAt = k;
      streaming.decode(bytes.subarray(k, k + 1), { stream: true });
    }
    failedAt = bytes.length;
    streaming.decode();
    return -1;
  } catch {
    for (let prefix = failedAt; prefix >= 0; prefix--) {
      try {
        fatalDecoder.decode(bytes.subarray(0, prefix));
        return prefix;
      } catch {
        // shorter
      }
    }
    return 0;
  }
}

describe("UTF-8 encode", () => {
  test("each code point class encodes like TextEncoder", () => {
    const samples = [
      "",
      "a",
      "\u007f",
      "\u0080",
      "\u07ff",
      "\u0800",
      "\ud7ff",
      "\ue000",
      "\uffff",
      "\u{10000}",
      "\u{10ffff}",
      "h€llo 👋",
      "\ud800",
      "\udc00",
      "\udc00\ud800",
      "a\ud800b",
      "\ud83d\ude00",
      "\ufeffBOM",
    ];
    for (const text of samples) {
      for (const padded of [text, text.repeat(20)]) {
        const expected = encoder.encode(padded);
        assert.deepEqual(encodeUtf8(padded), expected, JSON.stringify(padded));
        assert.equal(utf8ByteLength(padded), expected.length);
      }
    }
  });

  test("random strings of every class match TextEncoder, with exact-size buffers", () => {
    const random = rng(31);
    for (const length of lengths(70000)) {
      for (let k = 0; k < (length < 100 ? 4 : 1); k++) {
        const text = randomText(random, length);
        const expected = encoder.encode(text);
        const got = encodeUtf8(text);
        assert.deepEqual(got, expected);
        const own = encodeUtf8(text, { slab: null });
        assert.deepEqual(own, expected);
        assert.equal(own.buffer.byteLength, own.length);
        assert.equal(utf8ByteLength(text), expected.length);
      }
    }
  });

  test("long slab-permitted results are plain, independent arrays (Node 26: Buffer's pool)", () => {
    const lengths = [4095, 4096, 9000, 32767, 32768];
    const texts = lengths.flatMap((n) => ["a".repeat(n), "é€😀".repeat(n / 4)]);
    const results = texts.map((text) => encodeUtf8(text));
    results.forEach((got, i) => {
      assert.equal(Object.getPrototypeOf(got), Uint8Array.prototype); // no Buffer methods
      assert.deepEqual(got, encoder.encode(texts[i]));
    });
    // Each result's bytes are its own: a mark written into each stays whole.
    results.forEach((got, i) => got.fill(i));
    results.forEach((got, i) => assert.ok(got.every((byte) => byte === i), `result ${i}`));
    assert.equal(encodeUtf8("b".repeat(9000), { slab: null }).buffer.byteLength, 9000);
  });

  test("long Latin-1, mixed and late-mixed text own exact buffers, even with a raised poolSize", () => {
    const n = 40_000;
    const texts = [
      "a".repeat(n), // one byte per char in V8
      "aé".repeat(n / 2), // Latin-1 beyond ASCII: two bytes for é
      "a".repeat(n - 1) + "€", // stored two bytes per char, Latin-1 head
      "€a".repeat(n / 2), // stored two bytes per char from the start
    ];
    const { poolSize } = Buffer;
    try {
      for (const size of [poolSize, 1024 * 1024]) {
        Buffer.poolSize = size; // Node: above poolSize / 2 Buffer.from gives its own buffer
        const results = texts.map((text) => encodeUtf8(text, { slab: null }));
        results.forEach((got, i) => {
          assert.equal(Object.getPrototypeOf(got), Uint8Array.prototype);
          assert.deepEqual(got, encoder.encode(texts[i]));
          assert.equal(got.byteOffset, 0, `text ${i}, poolSize ${size}`);
          assert.equal(got.buffer.byteLength, got.length, `text ${i}, poolSize ${size}`);
        });
      }
    } finally {
      Buffer.poolSize = poolSize;
    }
  });

  test("encodeUtf8Into matches TextEncoder.encodeInto for every destination size, with offsets", () => {
    const random = rng(32);
    const texts = [
      "abc",
      "a€b",
      "👋👋",
      "a\ud83d\ude00",
      "\ud83d\ude00b",
      "x\ud800",
      "\udc00y",
      "é".repeat(10),
    ];
    for (let i = 0; i < 60; i++) texts.push(randomText(random, randomInt(random, 0, 70)));
    for (const text of texts) {
      const full = utf8ByteLength(text);
      for (let size = 0; size <= full + 3; size++) {
        for (const offset of [0, 1]) {
          const ours = new Uint8Array(size + offset + 1).fill(0xee);
          const theirs = new Uint8Array(size + offset + 1).fill(0xee);
          const result = encodeUtf8Into(text, ours.subarray(0, size + offset), offset);
          const expected = encoder.encodeInto(text, theirs.subarray(offset, size + offset));
          assert.deepEqual(result, { read: expected.read, written: expected.written });
          assert.deepEqual(ours, theirs, `${JSON.stringify(text)} size ${size}`);
        }
      }
    }
    // Destinations too small by 1-3 bytes at the end of a long string.
    for (const tail of ["a", "é", "€", "👋", "\ud800"]) {
      const text = "x".repeat(200) + tail;
      const full = utf8ByteLength(text);
      for (let short = 1; short <= 3; short++) {
        const dest = new Uint8Array(full - short);
        const expected = encoder.encodeInto(text, new Uint8Array(full - short));
        assert.deepEqual(encodeUtf8Into(text, dest), {
          read: expected.read,
          written: expected.written,
        });
      }
    }
    assert.throws(() => encodeUtf8Into("a", new Uint8Array(2), 3), RangeError);
    assert.throws(() => encodeUtf8Into("a", new Uint8Array(2), -1), RangeError);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => encodeUtf8Into(1 as any, new Uint8Array(2)), TypeError);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => encodeUtf8Into("a", [] as any), TypeError);
  });

  test("pooled and writer variants match and give memory back", () => {
    const pool = new MemoryPool();
    const random = rng(33);
    for (const length of [0, 1, 5, 17, 100, 5000, 20000, 100000]) {
      const text = randomText(random, length);
      const expected = encoder.encode(text);
      {
        using owned = encodeUtf8Pooled(text, { pool });
        assert.deepEqual(owned.bytes, expected);
      }
      using writer = pool.rentWriter(8);
      writer.write(new Uint8Array([1]));
      assert.equal(writeUtf8(text, writer), expected.length);
      assert.equal(writeUtf8(text, writer), expected.length);
      assert.equal(writer.writtenCount, 1 + 2 * expected.length);
      assert.deepEqual(writer.written.subarray(1, 1 + expected.length), expected);
      assert.deepEqual(writer.written.subarray(1 + expected.length), expected);
    }
    assert.equal(pool.stats().outstanding, 0);
    using shared = encodeUtf8Pooled("hé");
    assert.equal(shared.length, 3);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => encodeUtf8(null as any), TypeError);
  });

  test("encodeUtf8 carves short results from the slab; null gives an own exact buffer", () => {
    const slab = new SlabAllocator({ chunkSize: 1024, maxSlabLength: 256 });
    const random = rng(36);
    const kept: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < 400; i++) {
      const text = randomText(random, randomInt(random, 0, i % 10 === 0 ? 400 : 90));
      const expected = referenceEncode(text);
      const bytes = encodeUtf8(text, { slab });
      assert.deepEqual(bytes, expected);
      kept.push([bytes, expected]);
      if (expected.length > 256) assert.equal(bytes.buffer.byteLength, bytes.length);
      const own = encodeUtf8(text, { slab: null });
      assert.deepEqual(own, expected);
      assert.equal(own.byteOffset, 0);
      assert.equal(own.buffer.byteLength, own.length);
    }
    // No later result overwrote an earlier one.
    for (const [bytes, expected] of kept) assert.deepEqual(bytes, expected);
    const a = encodeUtf8("ab", { slab });
    const b = encodeUtf8("cd", { slab });
    if (isBun) {
      // Bun's TextEncoder.encode beats a slab view: every result owns its buffer.
      assert.equal(a.buffer.byteLength, 2);
    } else {
      // Short results share a chunk.
      assert.equal(a.buffer, b.buffer);
      assert.equal(a.buffer.byteLength, 1024);
    }
    assert.deepEqual([...encodeUtf8("é")], [0xc3, 0xa9]);
    assert.equal(encodeUtf8("").length, 0);
    // Text that might fit (<= maxSlabLength chars) but does not: its own buffer, exact.
    const wide = "€".repeat(120); // 360 bytes > 256
    const wideBytes = encodeUtf8(wide, { slab });
    assert.deepEqual(wideBytes, referenceEncode(wide));
    assert.equal(wideBytes.buffer.byteLength, 360);
    const narrow = "a".repeat(120) + "é"; // 122 bytes: fits
    assert.deepEqual(encodeUtf8(narrow, { slab }), referenceEncode(narrow));
  });

  test("writeUtf8 needs only the exact length; a failed write leaves the writer unchanged", () => {
    const pool = new MemoryPool();
    for (const [text, unit] of [["a", 1], ["é", 2], ["€", 3], ["👋", 4]] as const) {
      // 400 ASCII chars used to reserve 1200 bytes and throw under a 1000-byte cap.
      const count = Math.floor(400 / text.length);
      const long = text.repeat(count);
      const exact = count * unit;
      {
        using writer = pool.rentWriter(16, { maxCapacity: exact + 1 });
        writer.write(new Uint8Array([7]));
        assert.equal(writeUtf8(long, writer), exact);
        assert.deepEqual(writer.written.subarray(1), referenceEncode(long));
      }
      {
        using writer = pool.rentWriter(16, { maxCapacity: exact });
        writer.write(new Uint8Array([7]));
        const before = writer.written.slice();
        const capacity = writer.capacity;
        assert.throws(() => writeUtf8(long, writer), RangeError);
        assert.equal(writer.writtenCount, 1);
        assert.deepEqual(writer.written, before);
        assert.equal(writer.capacity, capacity);
        // Still usable after the failure.
        assert.equal(writeUtf8("ok", writer), 2);
        assert.deepEqual([...writer.written], [7, 0x6f, 0x6b]);
      }
    }
    {
      using writer = pool.rentWriter(16, { maxCapacity: 1000 });
      assert.equal(writeUtf8("x".repeat(400), writer), 400);
      assert.equal(writeUtf8("y".repeat(600), writer), 600);
      assert.equal(writer.writtenCount, 1000);
      assert.throws(() => writeUtf8("z", writer), RangeError);
      assert.equal(writer.writtenCount, 1000);
    }
    assert.equal(pool.stats().outstanding, 0);
  });
});

describe("UTF-8 decode", () => {
  test("random valid and damaged input matches TextDecoder at every length", () => {
    const random = rng(34);
    for (const length of lengths(70000)) {
      for (let k = 0; k < (length < 100 ? 6 : 1); k++) {
        const bytes = k % 2 === 0 ? randomUtf8ish(random, length) : randomBytes(random, length);
        const expected = decoder.decode(bytes);
        assert.equal(decodeUtf8(bytes), expected);
        let valid = true;
        try {
          fatalDecoder.decode(bytes);
        } catch {
          valid = false;
        }
        if (valid) assert.equal(decodeUtf8(bytes, { fatal: true }), expected);
        else assert.throws(() => decodeUtf8(bytes, { fatal: true }), TypeError);
      }
    }
  });

  test("overlong, surrogate, out-of-range and truncated sequences: one U+FFFD per maximal subpart", () => {
    const cases = [
      [0xc0, 0x80],
      [0xc1, 0xbf],
      [0xe0, 0x80, 0x80],
      [0xe0, 0x9f, 0xbf],
      [0xf0, 0x80, 0x80, 0x80],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0xed, 0xa0, 0x80],
      [0xed, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0xff],
      [0xfe],
      [0x80],
      [0xbf, 0x80],
      [0xe2, 0x82],
      [0xe2, 0x82, 0x41],
      [0xf0, 0x9f, 0x98],
      [0xf0, 0x9f, 0x98, 0x41],
      [0xf0, 0x9f],
      [0xc3],
      [0xc3, 0xc3, 0xa9],
      [0xef, 0xbb, 0xbf, 0x41], // BOM is kept
    ];
    for (const sequence of cases) {
      for (
        const [before, after] of [[[], []], [[0x61], [0x62]], [
          Array(40).fill(0x61),
          Array(40).fill(0x62),
        ]]
      ) {
        const bytes = new Uint8Array([...before, ...sequence, ...after]);
        assert.equal(decodeUtf8(bytes), decoder.decode(bytes), `${sequence}`);
      }
    }
    assert.equal(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf])), "\ufeff");
    // A leading BOM is kept at every length, fatal or not; a later one too.
    for (const length of [0, 1, 5, 20, 100, 5000]) {
      const body = encoder.encode("a".repeat(length));
      const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...body, 0xef, 0xbb, 0xbf]);
      const expected = "\ufeff" + "a".repeat(length) + "\ufeff";
      assert.equal(decodeUtf8(withBom), expected);
      assert.equal(decodeUtf8(withBom, { fatal: true }), expected);
      const broken = new Uint8Array([0xef, 0xbb, 0xbf, ...body, 0xff]);
      assert.throws(() => decodeUtf8(broken, { fatal: true }), {
        message: `Cannot decode UTF-8: invalid byte 0xff at index ${length + 3}`,
      });
    }
  });

  test("fatal errors are TypeErrors that name the first invalid byte and its index", () => {
    assert.throws(
      () => decodeUtf8(new Uint8Array([0x61, 0x62, 0xff]), { fatal: true }),
      { name: "TypeError", message: "Cannot decode UTF-8: invalid byte 0xff at index 2" },
    );
    const long = new Uint8Array(1000).fill(0x61);
    long[700] = 0xe2;
    long[701] = 0x82;
    assert.throws(
      () => decodeUtf8(long, { fatal: true }),
      { name: "TypeError", message: "Cannot decode UTF-8: invalid byte 0xe2 at index 700" },
    );
    const truncated = new Uint8Array([0x61, 0xf0, 0x9f, 0x98]);
    assert.throws(() => decodeUtf8(truncated, { fatal: true }), /invalid byte 0xf0 at index 1$/);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => decodeUtf8("abc" as any), TypeError);
  });

  test("fatal errors name the start of the first invalid sequence, like TextDecoder", () => {
    const random = rng(37);
    for (let round = 0; round < 600; round++) {
      const length = randomInt(random, 0, round < 500 ? 40 : 300);
      const bytes = round % 3 === 0 ? randomBytes(random, length) : randomUtf8ish(random, length);
      const index = oracleInvalidIndex(bytes);
      if (index < 0) {
        assert.equal(decodeUtf8(bytes, { fatal: true }), decoder.decode(bytes));
        continue;
      }
      const byte = bytes[index].toString(16).padStart(2, "0");
      assert.throws(() => decodeUtf8(bytes, { fatal: true }), {
        name: "TypeError",
        message: `Cannot decode UTF-8: invalid byte 0x${byte} at index ${index}`,
      });
    }
    // Long ASCII runs before the error, at every alignment of the view.
    const backing = new Uint8Array(5000).fill(0x61);
    for (let start = 0; start < 4; start++) {
      for (const at of [0, 63, 64, 65, 1000, 3999]) {
        const view = backing.subarray(start, start + 4000);
        view[at] = 0xc0;
        assert.throws(() => decodeUtf8(view, { fatal: true }), {
          message: `Cannot decode UTF-8: invalid byte 0xc0 at index ${at}`,
        });
        view[at] = 0x61;
      }
    }
  });

  test("1 MiB round trip against independent oracles", () => {
    const text = randomText(rng(35), 1 << 20);
    // Neither side may be checked by the same codec that produced it: the
    // reference encoder and Buffer (where present) check encoding, the
    // well-formed source text checks decoding.
    const reference = referenceEncode(text);
    const bytes = encodeUtf8(text);
    assert.deepEqual(bytes, reference);
    assert.equal(Buffer.compare(Buffer.from(text, "utf8"), reference), 0);
    assert.equal(utf8ByteLength(text), reference.length);
    const expected = wellFormed(text);
    assert.equal(decodeUtf8(bytes), expected);
    assert.equal(decodeUtf8(bytes, { fatal: true }), expected);
    // The JS loops too: encodeUtf8Into in 8-unit pieces that never split a pair.
    const pieces = new Uint8Array(reference.length);
    let written = 0;
    for (let i = 0; i < text.length;) {
      let end = Math.min(text.length, i + 8);
      if (end < text.length && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
      const result = encodeUtf8Into(text.slice(i, end), pieces, written);
      assert.equal(result.read, end - i);
      written += result.written;
      i = end;
    }
    assert.equal(written, reference.length);
    assert.deepEqual(pieces, reference);
  });
});
