import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { MemoryPool } from "../pool/mod.ts";

import { DEFAULT_API, type EncodingApi, JS_API } from "../encoding/_codec_api.ts";

/** Which functions a test runs: the package's routes ("auto") or the portable JS core ("js"). */
type Base64Implementation = "auto" | "js";
import { randomBytes, randomInt, rng } from "./_random.ts";

const nativeFromHex = (Uint8Array as unknown as {
  fromHex?: (text: string) => Uint8Array;
}).fromHex;
const nativeSetFromHex = (Uint8Array.prototype as unknown as {
  setFromHex?: (this: Uint8Array, text: string) => { read: number; written: number };
}).setFromHex;

/** setFromHex as the spec writes it: the oracle. */
function referenceSetFromHex(
  text: string,
  size: number,
): { read: number; bytes: number[]; error: boolean } {
  if (text.length % 2 !== 0) return { read: 0, bytes: [], error: true };
  const bytes: number[] = [];
  let read = 0;
  while (read < text.length && bytes.length < size) {
    const pair = text.slice(read, read + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) return { read, bytes, error: true };
    bytes.push(parseInt(pair, 16));
    read += 2;
  }
  return { read, bytes, error: false };
}

/** The functions of the implementation under test: the package's routes, or the portable JS core. */
let api: EncodingApi = DEFAULT_API;

function withImpl(impl: Base64Implementation, fn: () => void): void {
  api = impl === "js" ? JS_API : DEFAULT_API;
  try {
    fn();
  } finally {
    api = DEFAULT_API;
  }
}

for (const impl of ["js", "auto"] as const) {
  describe(`hex (${impl} implementation)`, () => {
    test("encode and decode match Buffer on random input, both cases", () => {
      withImpl(impl, () => {
        const random = rng(11);
        for (let round = 0; round < 300; round++) {
          const length = round < 80 ? round : randomInt(random, 0, 4096);
          const bytes = randomBytes(random, length);
          const expected = Buffer.from(bytes).toString("hex");
          assert.equal(api.encodeHex(bytes), expected);
          const text = round % 2 ? expected.toUpperCase() : expected;
          assert.deepEqual(api.decodeHex(text), bytes);
          const own = api.decodeHex(text, { slab: null });
          assert.deepEqual(own, bytes);
          assert.equal(own.buffer.byteLength, length);
        }
        const big = randomBytes(random, 1 << 20);
        assert.equal(api.encodeHex(big), Buffer.from(big).toString("hex"));
        assert.deepEqual(api.decodeHex(Buffer.from(big).toString("hex")), big);
      });
    });

    test("errors: odd length, non-hex characters (with index), non-strings", () => {
      withImpl(impl, () => {
        const cases: [string, string][] = [
          ["abc", "odd length 3"],
          ["0g", "invalid character 'g' at index 1"],
          ["zz", "invalid character 'z' at index 0"],
          ["0 1", "odd length 3"],
          ["00 11", "odd length"],
          ["0 11", "invalid character U+0020 at index 1"],
          ["\u0660\u0661", "invalid character U+0660 at index 0"],
          ["ab\uFF10\uFF11", "invalid character U+FF10 at index 2"],
          ["ab\u0130\u0131", "invalid character U+0130 at index 2"],
          ["+1", "invalid character '+' at index 0"],
          ["0x12", "invalid character 'x' at index 1"],
          ["00".repeat(100) + "0Z", `invalid character 'Z' at index 201`],
        ];
        for (const [text, message] of cases) {
          assert.throws(
            () => api.decodeHex(text),
            (error: unknown) =>
              error instanceof SyntaxError &&
              error.message.startsWith("Cannot decode hex: ") &&
              error.message.includes(message),
            JSON.stringify(text),
          );
          if (nativeFromHex) assert.throws(() => nativeFromHex(text), SyntaxError);
        }
        // deno-lint-ignore no-explicit-any
        assert.throws(() => api.decodeHex(1 as any), TypeError);
        // deno-lint-ignore no-explicit-any
        assert.throws(() => api.encodeHex("00" as any), TypeError);
        assert.deepEqual(api.decodeHex(""), new Uint8Array(0));
        assert.equal(api.encodeHex(new Uint8Array(0)), "");
      });
    });

    test("decodeHexInto follows setFromHex for every destination size", () => {
      withImpl(impl, () => {
        const random = rng(12);
        const texts = ["", "aa", "aabbcc", "AaBbCc", "aaa", "aaa ", "aaag", "0g11", "00\u0661"];
        for (let i = 0; i < 30; i++) {
          const hex = Buffer.from(randomBytes(random, randomInt(random, 0, 150))).toString("hex");
          const at = randomInt(random, 0, hex.length);
          texts.push(
            i % 3 === 0 && hex.length > 0 ? hex.slice(0, at) + "z" + hex.slice(at + 1) : hex,
          );
        }
        for (const text of texts) {
          for (let size = 0; size <= text.length / 2 + 2; size++) {
            const label = `${JSON.stringify(text.slice(0, 20))}… size ${size}`;
            const reference = referenceSetFromHex(text, size);
            const ours = new Uint8Array(size + 2).fill(0xee);
            let result = "";
            try {
              const { read, written } = api.decodeHexInto(text, ours.subarray(1, size + 1));
              result = `ok:${read}/${written}`;
            } catch (error) {
              result = `error:${(error as Error).name}`;
            }
            assert.equal(
              result,
              reference.error
                ? "error:SyntaxError"
                : `ok:${reference.read}/${reference.bytes.length}`,
              label,
            );
            const expected = new Uint8Array(size + 2).fill(0xee);
            expected.set(reference.bytes, 1);
            assert.deepEqual(ours, expected, label);
            if (nativeSetFromHex !== undefined) {
              const theirs = new Uint8Array(size + 2).fill(0xee);
              let threw = false;
              try {
                nativeSetFromHex.call(theirs.subarray(1, size + 1), text);
              } catch {
                threw = true;
              }
              // V8 validates the whole input before writing: on bad input it
              // throws without writing the pairs before the bad one (and even
              // where the spec stops early without error). Otherwise it agrees.
              if (!threw) assert.deepEqual(theirs, expected, `native ${label}`);
            }
          }
        }
        const dest = new Uint8Array(4);
        assert.deepEqual(api.decodeHexInto("0102030405", dest), { read: 8, written: 4 });
        assert.deepEqual([...dest], [1, 2, 3, 4]);
      });
    });

    test("hex: pooled decode, argument order, detached buffers", () => {
      withImpl(impl, () => {
        const pool = new MemoryPool();
        {
          using decoded = api.decodeHexPooled("00ff10", { pool });
          assert.deepEqual(decoded.bytes, new Uint8Array([0, 255, 16]));
        }
        assert.throws(() => api.decodeHexPooled("00fg", { pool }), SyntaxError);
        assert.equal(pool.stats().outstanding, 0);
        // deno-lint-ignore no-explicit-any
        const any = (value: unknown) => value as any;
        // dest first, then text, as setFromHex checks them.
        assert.throws(() => api.decodeHexInto(any(1), any([])), /dest must be a Uint8Array/);
        assert.throws(() => api.decodeHexInto(any(1), new Uint8Array(1)), TypeError);
        assert.throws(() => api.encodeHex(any(new Uint16Array(2))), TypeError);
        assert.throws(() => api.encodeHex(any(Object.create(Uint8Array.prototype))), TypeError);
        const detached = new Uint8Array(4);
        structuredClone(detached.buffer, { transfer: [detached.buffer as ArrayBuffer] });
        assert.throws(() => api.encodeHex(detached), TypeError);
        // Above the size where a runtime may switch encoders (Bun: 2 KiB), the same checks.
        assert.throws(() => api.encodeHex(any(new Uint16Array(4096))), /must be a Uint8Array/);
        const bigDetached = new Uint8Array(8192);
        structuredClone(bigDetached.buffer, { transfer: [bigDetached.buffer as ArrayBuffer] });
        assert.throws(() => api.encodeHex(bigDetached), /detached/);
        assert.throws(() => api.encodeHex(any(null)), TypeError);
        assert.throws(() => api.decodeHexInto("aa", detached), TypeError);
        assert.equal(api.encodeHex(new Uint8Array(0)), "");
        assert.deepEqual(api.decodeHexInto("aa", new Uint8Array(0)), { read: 0, written: 0 });
      });
    });
  });
}
