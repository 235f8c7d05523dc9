import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decodeHex, encodeHex } from "../encoding/mod.ts";
import { type Base64Implementation, setBase64Implementation } from "../encoding/_implementation.ts";
import { randomBytes, randomInt, rng } from "./_random.ts";

const nativeFromHex = (Uint8Array as unknown as {
  fromHex?: (text: string) => Uint8Array;
}).fromHex;

function withImpl(impl: Base64Implementation, fn: () => void): void {
  setBase64Implementation(impl);
  try {
    fn();
  } finally {
    setBase64Implementation("auto");
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
          assert.equal(encodeHex(bytes), expected);
          const text = round % 2 ? expected.toUpperCase() : expected;
          assert.deepEqual(decodeHex(text), bytes);
          const own = decodeHex(text, null);
          assert.deepEqual(own, bytes);
          assert.equal(own.buffer.byteLength, length);
        }
        const big = randomBytes(random, 1 << 20);
        assert.equal(encodeHex(big), Buffer.from(big).toString("hex"));
        assert.deepEqual(decodeHex(Buffer.from(big).toString("hex")), big);
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
            () => decodeHex(text),
            (error: unknown) =>
              error instanceof SyntaxError &&
              error.message.startsWith("Cannot decode hex: ") &&
              error.message.includes(message),
            JSON.stringify(text),
          );
          if (nativeFromHex) assert.throws(() => nativeFromHex(text), SyntaxError);
        }
        // deno-lint-ignore no-explicit-any
        assert.throws(() => decodeHex(1 as any), TypeError);
        // deno-lint-ignore no-explicit-any
        assert.throws(() => encodeHex("00" as any), TypeError);
        assert.deepEqual(decodeHex(""), new Uint8Array(0));
        assert.equal(encodeHex(new Uint8Array(0)), "");
      });
    });
  });
}
