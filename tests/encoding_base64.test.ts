import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { MemoryPool, SlabAllocator } from "../pool/mod.ts";
import {
  type Base64DecodeOptions,
  base64EncodedLength,
  encodeBase64Into,
  encodeBase64Pooled,
  type LastChunkHandling,
  writeBase64,
} from "../encoding/mod.ts";
import { DEFAULT_API, type EncodingApi, JS_API } from "../encoding/_codec_api.ts";

/** Which functions a test runs: the package's routes ("auto") or the portable JS core ("js"). */
type Base64Implementation = "auto" | "js";
import { type Random, randomBytes, randomInt, rng } from "./_random.ts";
import { referenceFromBase64 } from "./_base64_reference.ts";

type NativeOptions = object;
const nativeProto = Uint8Array.prototype as unknown as {
  toBase64?: (this: Uint8Array, o?: NativeOptions) => string;
  setFromBase64?: (
    this: Uint8Array,
    s: string,
    o?: NativeOptions,
  ) => { read: number; written: number };
};
const nativeFrom = (Uint8Array as unknown as {
  fromBase64?: (s: string, o?: NativeOptions) => Uint8Array;
}).fromBase64;
const hasNative = typeof nativeProto.toBase64 === "function" &&
  typeof nativeFrom === "function";

const IMPLEMENTATIONS: Base64Implementation[] = ["js", "auto"];
const MODES: LastChunkHandling[] = ["loose", "strict", "stop-before-partial"];
const ALPHABETS = ["base64", "base64url"] as const;
const WHITESPACE = [" ", "\t", "\n", "\f", "\r"];

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

function bufferEncode(
  bytes: Uint8Array,
  url: boolean,
  omitPadding: boolean,
): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
    .toString(url ? "base64url" : "base64");
  if (url) {
    return omitPadding ? text : text + "=".repeat((4 - text.length % 4) % 4);
  }
  return omitPadding ? text.replace(/=+$/, "") : text;
}

/** Outcome of a decode: bytes, or the error class. */
function outcome(fn: () => Uint8Array): string {
  try {
    return "ok:" + Buffer.from(fn()).toString("hex");
  } catch (error) {
    return "error:" + (error as Error).name;
  }
}

function insertWhitespace(random: Random, text: string): string {
  let out = "";
  for (let i = 0; i <= text.length; i++) {
    while (random() < 0.08) out += WHITESPACE[randomInt(random, 0, 4)];
    if (i < text.length) out += text[i];
  }
  return out;
}

const RFC4648 = [
  ["", ""],
  ["f", "Zg=="],
  ["fo", "Zm8="],
  ["foo", "Zm9v"],
  ["foob", "Zm9vYg=="],
  ["fooba", "Zm9vYmE="],
  ["foobar", "Zm9vYmFy"],
];

for (const impl of IMPLEMENTATIONS) {
  describe(`base64 (${impl} implementation)`, () => {
    test("RFC 4648 §10 vectors, both alphabets, with and without padding", () => {
      withImpl(impl, () => {
        assert.equal(api, impl === "js" ? JS_API : DEFAULT_API);
        for (const [plain, encoded] of RFC4648) {
          const bytes = new TextEncoder().encode(plain);
          assert.equal(api.encodeBase64(bytes), encoded);
          assert.equal(api.encodeBase64(bytes, { alphabet: "base64url" }), encoded);
          assert.equal(
            api.encodeBase64(bytes, { omitPadding: true }),
            encoded.replace(/=+$/, ""),
          );
          for (const mode of MODES) {
            assert.deepEqual(
              api.decodeBase64(encoded, { lastChunkHandling: mode }),
              bytes,
            );
          }
          assert.deepEqual(api.decodeBase64(encoded.replace(/=+$/, "")), bytes);
        }
      });
    });

    test("encode matches Buffer and native toBase64 on random input 0..2048", () => {
      withImpl(impl, () => {
        const random = rng(1);
        const dest = new Uint8Array(4096);
        for (let round = 0; round < 400; round++) {
          const length = round < 100 ? round : randomInt(random, 0, 2048);
          // Odd offsets exercise the unaligned paths.
          const backing = randomBytes(random, length + 3);
          const offset = randomInt(random, 0, 3);
          const bytes = backing.subarray(offset, offset + length);
          for (const url of [false, true]) {
            for (const omitPadding of [false, true]) {
              const options = {
                alphabet: url ? "base64url" as const : "base64" as const,
                omitPadding,
              };
              const expected = bufferEncode(bytes, url, omitPadding);
              assert.equal(api.encodeBase64(bytes, options), expected);
              if (hasNative) {
                assert.equal(nativeProto.toBase64!.call(bytes, options), expected);
              }
              assert.equal(base64EncodedLength(length, options), expected.length);
              const at = randomInt(random, 0, 3);
              const n = encodeBase64Into(bytes, dest.subarray(at), options);
              assert.equal(n, expected.length);
              assert.equal(
                Buffer.from(dest.buffer, at, n).toString("latin1"),
                expected,
              );
            }
          }
        }
      });
    });

    test("decode matches Buffer and native fromBase64 on random input, every mode", () => {
      withImpl(impl, () => {
        const random = rng(2);
        for (let round = 0; round < 300; round++) {
          const length = round < 60 ? round : randomInt(random, 0, 2048);
          const bytes = randomBytes(random, length);
          for (const url of [false, true]) {
            const alphabet = url ? "base64url" as const : "base64" as const;
            for (const omit of [false, true]) {
              let text = bufferEncode(bytes, url, omit);
              if (round % 3 === 0) text = insertWhitespace(random, text);
              for (const mode of MODES) {
                const options = { alphabet, lastChunkHandling: mode };
                const partial = omit && length % 3 !== 0;
                const got = outcome(() => api.decodeBase64(text, options));
                if (!partial || mode === "loose") {
                  assert.equal(got, "ok:" + Buffer.from(bytes).toString("hex"));
                } else if (mode === "strict") {
                  assert.equal(got, "error:SyntaxError");
                } else {
                  const whole = Math.floor(length / 3) * 3;
                  assert.equal(
                    got,
                    "ok:" + Buffer.from(bytes.subarray(0, whole)).toString("hex"),
                  );
                }
                if (hasNative) {
                  assert.equal(got, outcome(() => nativeFrom!(text, options)));
                }
              }
            }
          }
        }
      });
    });

    test("decode results with slab null own an exact-size buffer", () => {
      withImpl(impl, () => {
        for (const text of ["", "QQ==", "QUJD", " Q U J D \n", "QUJDRA", "QUJDRA=="]) {
          const bytes = api.decodeBase64(text, { slab: null });
          assert.equal(bytes.byteOffset, 0);
          assert.equal(bytes.buffer.byteLength, bytes.length);
          assert.deepEqual(bytes, api.decodeBase64(text));
        }
        const big = api.decodeBase64("QUJD".repeat(5000) + "QQ==", { slab: null });
        assert.equal(big.buffer.byteLength, 15001);
        const longText = api.encodeBase64(randomBytes(rng(9), 3000));
        for (const mode of MODES) {
          const own = api.decodeBase64(longText, { lastChunkHandling: mode, slab: null });
          assert.equal(own.buffer.byteLength, 3000);
        }
      });
    });

    test("decode results come from the slab by default, and are never overwritten", () => {
      withImpl(impl, () => {
        const slab = new SlabAllocator({ chunkSize: 4096, maxSlabLength: 1024 });
        const random = rng(10);
        const kept: [Uint8Array, Uint8Array][] = [];
        for (let i = 0; i < 400; i++) {
          const bytes = randomBytes(random, randomInt(random, 0, 1500));
          const text = api.encodeBase64(bytes, { alphabet: i % 2 ? "base64url" : "base64" });
          const options = { alphabet: i % 2 ? "base64url" : "base64" } as const;
          const decoded = api.decodeBase64(text, { ...options, slab });
          assert.deepEqual(decoded, bytes);
          if (bytes.length > 1024) assert.equal(decoded.buffer.byteLength, bytes.length);
          else if (bytes.length > 0) {
            // From the slab, or (where a native decoder's own buffer measured
            // faster, as on Bun) exactly its own buffer.
            assert.ok(
              decoded.buffer.byteLength === 4096 ||
                (impl === "auto" && decoded.buffer.byteLength === bytes.length),
            );
          }
          // A failed decode into the slab hands out nothing and spoils nothing.
          assert.throws(() => api.decodeBase64(text + "!", { ...options, slab }), SyntaxError);
          kept.push([decoded, bytes]);
        }
        for (const [decoded, bytes] of kept) assert.deepEqual(decoded, bytes);
        if (impl === "js" && SlabAllocator.shared.maxSlabLength > 0) {
          // The shared slab carves results where that measured faster (not on Bun, where
          // its maxSlabLength is 0 and every result has its own buffer).
          const a = api.decodeBase64("QUJD");
          const b = api.decodeBase64("REVG");
          assert.equal(a.buffer, b.buffer);
        }
      });
    });

    test("decodeBase64Into follows setFromBase64 for every destination size", () => {
      withImpl(impl, () => {
        const random = rng(3);
        const cases: string[] = [
          "QUJDREVG",
          "QUJDREU=",
          "QUJDRA==",
          "QUJDRA",
          "QUJDREU",
          "QUJD REVG",
          "QUJD\nRA==\n",
          "QUJD!EVG",
          "QUJDRE!G",
          "QUJDRA=",
          "QUJDRA=A",
          "QUJDRR==",
          "QUJD====",
          "QUJDR",
        ];
        for (let i = 0; i < 40; i++) {
          const text = bufferEncode(
            randomBytes(random, randomInt(random, 0, 200)),
            false,
            i % 2 === 0,
          );
          cases.push(i % 4 === 0 ? insertWhitespace(random, text) : text);
        }
        for (
          const [text, alphabet] of cases.flatMap((text) => [
            [text, "base64"] as const,
            [text.replace(/\+/g, "-").replace(/\//g, "_"), "base64url"] as const,
          ])
        ) {
          // Every small size, and sizes around the decoded length.
          const decodedLength = referenceFromBase64(text, alphabet, "loose").bytes.length;
          const sizes = new Set<number>();
          for (let size = 0; size <= Math.min(text.length, 40) + 2; size++) sizes.add(size);
          for (let d = -3; d <= 3; d++) sizes.add(Math.max(0, decodedLength + d));
          for (const size of sizes) {
            for (const mode of MODES) {
              const options = { alphabet, lastChunkHandling: mode };
              const ours = new Uint8Array(size + 2).fill(0xaa);
              const result = intoOutcome(() =>
                api.decodeBase64Into(text, ours.subarray(1, size + 1), options)
              );
              assert.equal(ours[0], 0xaa);
              assert.equal(ours[size + 1], 0xaa);
              // The spec itself is the oracle: read, written, the bytes
              // written before an error, and bytes past them untouched.
              const reference = referenceFromBase64(text, alphabet, mode, size);
              const label = `${JSON.stringify(text)} size ${size} ${alphabet} ${mode}`;
              assert.equal(
                result,
                reference.error
                  ? "error:SyntaxError"
                  : `ok:${reference.read}/${reference.bytes.length}`,
                label,
              );
              const expectedBytes = new Uint8Array(size + 2).fill(0xaa);
              expectedBytes.set(reference.bytes, 1);
              assert.deepEqual(ours, expectedBytes, label);
              if (hasNative) {
                const theirs = new Uint8Array(size + 2).fill(0xaa);
                const native = intoOutcome(() =>
                  nativeProto.setFromBase64!.call(
                    theirs.subarray(1, size + 1),
                    text,
                    options,
                  )
                );
                if (native !== result) {
                  // Known engine deviations, and only these: V8 and JSC
                  // validate the whole input first, so where the spec stops
                  // without error because the destination has no room for
                  // the next chunk, they throw on what follows; and Deno's
                  // and Bun's built-ins stop `read` before trailing
                  // whitespace that the spec consumes.
                  assert.match(result, /^ok:/, label);
                  if (native === "error:SyntaxError") {
                    assert.ok(size - reference.bytes.length < 3, label);
                  } else {
                    const [nativeRead, nativeWritten] = native.slice(3).split("/").map(Number);
                    assert.equal(nativeWritten, reference.bytes.length, label);
                    assert.ok(nativeRead < reference.read, label);
                    assert.match(text.slice(nativeRead, reference.read), /^[\t\n\f\r ]+$/, label);
                  }
                } else assert.deepEqual(ours, theirs, label);
              }
            }
          }
        }
      });
    });

    test("decodeBase64Into: spec cases for read and written", () => {
      withImpl(impl, () => {
        const dest = new Uint8Array(4);
        assert.deepEqual(api.decodeBase64Into("aGVsbG8=", dest), { read: 4, written: 3 });
        assert.deepEqual(api.decodeBase64Into("aGVsbG8=", new Uint8Array(0)), {
          read: 0,
          written: 0,
        });
        // Invalid input after the destination fills is never looked at.
        assert.deepEqual(api.decodeBase64Into("QUJD!!!", new Uint8Array(3)), {
          read: 4,
          written: 3,
        });
        // With 1 byte left, a 3-char final chunk does not fit.
        assert.deepEqual(api.decodeBase64Into("QUJDREU", new Uint8Array(4)), {
          read: 4,
          written: 3,
        });
        // ... but a 2-char chunk with padding does.
        assert.deepEqual(api.decodeBase64Into("QUJDRA==", new Uint8Array(4)), {
          read: 8,
          written: 4,
        });
        assert.deepEqual(
          api.decodeBase64Into("QUJDRA", new Uint8Array(8), {
            lastChunkHandling: "stop-before-partial",
          }),
          { read: 4, written: 3 },
        );
        // On error, the complete chunks before it are written.
        const partial = new Uint8Array(6);
        assert.throws(() => api.decodeBase64Into("QUJD%EFG", partial), SyntaxError);
        assert.deepEqual([...partial], [65, 66, 67, 0, 0, 0]);
        // Large input, large destination, and native-size paths.
        const big = randomBytes(rng(4), 70000);
        const bigText = bufferEncode(big, false, false);
        const out = new Uint8Array(70001);
        assert.deepEqual(api.decodeBase64Into(bigText, out.subarray(1)), {
          read: bigText.length,
          written: 70000,
        });
        assert.deepEqual(out.subarray(1), big);
        const small = new Uint8Array(30001);
        assert.deepEqual(api.decodeBase64Into(bigText, small), { read: 40000, written: 30000 });
        assert.deepEqual(small.subarray(0, 30000), big.subarray(0, 30000));
        assert.equal(small[30000], 0);
      });
    });

    test("random inputs with whitespace and garbage match the spec reference", () => {
      withImpl(impl, () => {
        const random = rng(7);
        const alphabetChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
        const noise = ["=", " ", "\n", "%", "\u2212", "\u00a0", "\v"];
        for (let round = 0; round < 1500; round++) {
          let text = "";
          const length = randomInt(random, 0, round < 1400 ? 24 : 400);
          for (let i = 0; i < length; i++) {
            text += random() < 0.85
              ? alphabetChars[randomInt(random, 0, 63)]
              : noise[randomInt(random, 0, noise.length - 1)];
          }
          if (round % 2 === 0) text = text.replace(/[^A-Za-z0-9+/=\s]/g, "A");
          for (const alphabet of ALPHABETS) {
            for (const mode of MODES) {
              const reference = referenceFromBase64(text, alphabet, mode);
              const got = outcome(() =>
                api.decodeBase64(text, { alphabet, lastChunkHandling: mode })
              );
              assert.equal(
                got,
                reference.error
                  ? "error:SyntaxError"
                  : "ok:" + Buffer.from(reference.bytes).toString("hex"),
                `${JSON.stringify(text)} ${alphabet} ${mode}`,
              );
            }
          }
        }
      });
    });

    test("long inputs with injected stray characters match the spec reference (fast paths)", () => {
      withImpl(impl, () => {
        const random = rng(8);
        const stray = [
          "-",
          "_",
          "+",
          "/",
          "=",
          "%",
          " ",
          "\n",
          ".",
          "\u0000",
          "\u00e9",
          "\u00ff",
          "\u0130",
          "\u0141",
          "\u2212",
        ];
        for (let round = 0; round < 400; round++) {
          const bytes = randomBytes(random, randomInt(random, 48, round < 380 ? 1500 : 40000));
          const alphabet = round % 2 === 0 ? "base64" as const : "base64url" as const;
          let text = bufferEncode(bytes, alphabet === "base64url", round % 5 === 0);
          const injections = round % 7 === 0 ? 0 : randomInt(random, 1, 2);
          for (let k = 0; k < injections; k++) {
            const at = randomInt(random, 0, text.length - 1);
            const char = stray[randomInt(random, 0, stray.length - 1)];
            text = random() < 0.5
              ? text.slice(0, at) + char + text.slice(at + 1)
              : text.slice(0, at) + char + text.slice(at);
          }
          if (round % 11 === 0) text += " \n";
          const mode = MODES[round % 3];
          const options = { alphabet, lastChunkHandling: mode };
          const reference = referenceFromBase64(text, alphabet, mode);
          const label = `round ${round} ${alphabet} ${mode}`;
          assert.equal(
            outcome(() => api.decodeBase64(text, options)),
            reference.error
              ? "error:SyntaxError"
              : "ok:" + Buffer.from(reference.bytes).toString("hex"),
            label,
          );
          for (const size of [reference.bytes.length, reference.bytes.length + 5]) {
            const dest = new Uint8Array(size + 1).fill(0xaa);
            const into = referenceFromBase64(text, alphabet, mode, size);
            assert.equal(
              intoOutcome(() => api.decodeBase64Into(text, dest.subarray(0, size), options)),
              into.error ? "error:SyntaxError" : `ok:${into.read}/${into.bytes.length}`,
              `${label} into ${size}`,
            );
            const expected = new Uint8Array(size + 1).fill(0xaa);
            expected.set(into.bytes);
            assert.deepEqual(dest, expected, `${label} into ${size} bytes`);
          }
        }
      });
    });

    test("error table: bad characters, padding, strict bits, with index in the message", () => {
      withImpl(impl, () => {
        const errors: [string, Base64DecodeOptions, string][] = [
          ["QUJD%EFG", {}, "invalid character '%' at index 4"],
          ["QUJ\u2212", {}, "invalid character U+2212 at index 3"],
          ["QUJ\uFF0B", {}, "invalid character U+FF0B at index 3"],
          ["QU\u00A0JD", {}, "invalid character U+00A0 at index 2"],
          ["QUJD\u2028", {}, "invalid character U+2028 at index 4"],
          ["QUJD\v", {}, "invalid character U+000B at index 4"],
          ["QU\u0000JD", {}, "invalid character U+0000 at index 2"],
          ["Q\uD800UJD", {}, "invalid character U+D800 at index 1"],
          ["QUJ\u0141", {}, "invalid character U+0141 at index 3"],
          ["QU-D", {}, "invalid character '-' at index 2"],
          ["QU_D", {}, "invalid character '_' at index 2"],
          ["QU+D", { alphabet: "base64url" }, "invalid character '+' at index 2"],
          ["QU/D", { alphabet: "base64url" }, "invalid character '/' at index 2"],
          ["=", {}, "unexpected padding '=' at index 0"],
          ["Q===", {}, "unexpected padding '=' at index 1"],
          ["QUJD=", {}, "unexpected padding '=' at index 4"],
          ["QQ=", {}, "incomplete padding: expected '=' at index 3"],
          ["QQ= ", { lastChunkHandling: "strict" }, "incomplete padding"],
          ["QQ=A", {}, "unexpected character 'A' after padding at index 3"],
          ["QUI==", {}, "unexpected character '=' after padding at index 4"],
          ["QQ===", {}, "unexpected character '=' after padding at index 4"],
          ["QQ==QQ==", {}, "after padding at index 4"],
          ["QUJDR", {}, "incomplete last chunk"],
          ["QUJDR", { lastChunkHandling: "strict" }, "missing padding"],
          ["QQ", { lastChunkHandling: "strict" }, "missing padding"],
          ["QR==", { lastChunkHandling: "strict" }, "non-zero padding bits"],
          ["QUJ=", { lastChunkHandling: "strict" }, "non-zero padding bits"],
        ];
        const long = "QUJD".repeat(100);
        errors.push([long + "Q%==", {}, `invalid character '%' at index ${long.length + 1}`]);
        errors.push([long + " \n" + long + "\u2212", {}, `U+2212 at index ${2 * long.length + 2}`]);
        // Each case again behind a long valid prefix, so the word-at-a-time
        // and native fast paths meet it too; the index shifts by the prefix.
        const prefix = "QUJD".repeat(64);
        for (const [text, options, message] of errors.slice()) {
          errors.push([
            prefix + text,
            options,
            message.replace(/at index (\d+)/, (_, i) => `at index ${Number(i) + prefix.length}`),
          ]);
        }
        for (const [text, options, message] of errors) {
          assert.throws(
            () => api.decodeBase64(text, options),
            (error: unknown) =>
              error instanceof SyntaxError &&
              error.message.startsWith("Cannot decode base64: ") &&
              error.message.includes(message),
            `${JSON.stringify(text)} should fail with ${message}`,
          );
          if (hasNative) {
            assert.throws(() => nativeFrom!(text, options), SyntaxError);
          }
        }
        // The same inputs in other modes: loose accepts non-zero bits, stop-before-partial stops.
        assert.deepEqual(api.decodeBase64("QR=="), new Uint8Array([65]));
        assert.deepEqual(
          api.decodeBase64("QR", { lastChunkHandling: "stop-before-partial" }),
          new Uint8Array(0),
        );
        assert.deepEqual(
          api.decodeBase64("QUI=", { lastChunkHandling: "strict" }),
          new Uint8Array([65, 66]),
        );
        assert.deepEqual(
          api.decodeBase64("QQ=", { lastChunkHandling: "stop-before-partial" }),
          new Uint8Array(0),
        );
        assert.deepEqual(api.decodeBase64(" Q Q = = \n"), new Uint8Array([65]));
        assert.deepEqual(
          api.decodeBase64("-_8", { alphabet: "base64url" }),
          new Uint8Array([251, 255]),
        );
      });
    });

    test("option and argument validation", () => {
      withImpl(impl, () => {
        const bytes = new Uint8Array([1]);
        // deno-lint-ignore no-explicit-any
        const anyOptions = (value: unknown) => value as any;
        assert.throws(() => api.encodeBase64(bytes, anyOptions({ alphabet: "hex" })), TypeError);
        assert.throws(() => api.encodeBase64(bytes, anyOptions(null)), TypeError);
        assert.throws(() => api.encodeBase64(bytes, anyOptions(1)), TypeError);
        assert.throws(() => api.encodeBase64(anyOptions([1, 2])), TypeError);
        assert.throws(
          () => api.decodeBase64("", anyOptions({ lastChunkHandling: "lax" })),
          TypeError,
        );
        assert.throws(() => api.decodeBase64(anyOptions(12)), TypeError);
        assert.throws(() => api.decodeBase64Into("", anyOptions([])), TypeError);
        assert.throws(() => base64EncodedLength(-1), RangeError);
        assert.throws(() => base64EncodedLength(1.5), RangeError);
        assert.throws(() => encodeBase64Into(new Uint8Array(3), new Uint8Array(3)), RangeError);
        assert.equal(base64EncodedLength(4, { omitPadding: true }), 6);
        assert.equal(base64EncodedLength(4), 8);
      });
    });

    test("pooled variants and writeBase64 match, and give memory back", () => {
      withImpl(impl, () => {
        const pool = new MemoryPool();
        const random = rng(5);
        for (const length of [0, 1, 2, 3, 64, 1000, 5000, 70000]) {
          const bytes = randomBytes(random, length);
          for (const alphabet of ALPHABETS) {
            const expected = api.encodeBase64(bytes, { alphabet });
            using encoded = encodeBase64Pooled(bytes, { alphabet, pool });
            assert.equal(Buffer.from(encoded.bytes).toString("latin1"), expected);
            using decoded = api.decodeBase64Pooled(expected, { alphabet, pool });
            assert.deepEqual(decoded.bytes, bytes);
            using writer = pool.rentWriter(16);
            writer.write(new Uint8Array([35]));
            assert.equal(writeBase64(bytes, writer, { alphabet }), expected.length);
            assert.equal(Buffer.from(writer.written).toString("latin1"), "#" + expected);
          }
        }
        using shared = api.decodeBase64Pooled("QUJD");
        assert.deepEqual([...shared.bytes], [65, 66, 67]);
        const before = pool.stats().outstanding;
        assert.throws(() => api.decodeBase64Pooled("QUJD!", { pool }), SyntaxError);
        assert.equal(pool.stats().outstanding, before);
      });
    });

    test("decodeBase64Into: read covers trailing whitespace when room is left", () => {
      withImpl(impl, () => {
        const random = rng(12);
        for (const chars of [4, 64, 68, 128, 1024]) {
          const data = api.encodeBase64(randomBytes(random, (chars / 4) * 3));
          for (const tail of [" ", "\n", " \r\n\t ", "  \n\n"]) {
            const text = data + tail;
            const decoded = (chars / 4) * 3;
            for (let size = decoded - 3; size <= decoded + 20; size++) {
              if (size < 0) continue;
              for (const mode of MODES) {
                const reference = referenceFromBase64(text, "base64", mode, size);
                const dest = new Uint8Array(size);
                const result = api.decodeBase64Into(text, dest, { lastChunkHandling: mode });
                const label = `${chars} chars + ${JSON.stringify(tail)}, size ${size}, ${mode}`;
                assert.deepEqual(
                  result,
                  { read: reference.read, written: reference.bytes.length },
                  label,
                );
              }
            }
          }
        }
        // The case: 64 chars and whitespace, dest of 51 or more bytes.
        const text = "QUJD".repeat(16) + " ";
        assert.deepEqual(api.decodeBase64Into(text, new Uint8Array(51)), { read: 65, written: 48 });
        assert.deepEqual(api.decodeBase64Into(text, new Uint8Array(48)), { read: 64, written: 48 });
      });
    });

    test("order of checks: the input first, then each option once, in spec order, then ours", () => {
      withImpl(impl, () => {
        const log: string[] = [];
        const touchy = (names: string[], values: Record<string, unknown> = {}) =>
          new Proxy({}, {
            get(_, key) {
              log.push(String(key));
              if (!names.includes(String(key))) throw new Error(`read ${String(key)}`);
              return values[String(key)];
            },
          });
        const throwing = {
          get alphabet(): never {
            throw new RangeError("getter ran");
          },
        };
        // deno-lint-ignore no-explicit-any
        const any = (value: unknown) => value as any;
        assert.throws(() => api.decodeBase64(any({}), any(throwing)), TypeError);
        assert.throws(() => api.decodeBase64(any(null), any(throwing)), TypeError);
        assert.throws(() => api.decodeBase64Into("Zg==", any([]), any(throwing)), TypeError);
        assert.throws(
          () => api.decodeBase64Into(any(1), new Uint8Array(3), any(throwing)),
          TypeError,
        );
        assert.throws(() => api.decodeBase64Pooled(any({}), any(throwing)), TypeError);
        assert.throws(() => api.encodeBase64(any(new Float64Array(2)), any(throwing)), TypeError);
        assert.throws(() => api.encodeBase64(any([]), any(throwing)), TypeError);
        assert.throws(
          () => api.encodeBase64(any(Object.create(Uint8Array.prototype)), any(throwing)),
          TypeError,
        );
        assert.throws(() => encodeBase64Into(any([]), new Uint8Array(4), any(throwing)), TypeError);
        assert.throws(() => encodeBase64Into(new Uint8Array(1), any([]), any(throwing)), TypeError);
        assert.throws(() => encodeBase64Pooled(any("x"), any(throwing)), TypeError);
        // A Node Buffer is a Uint8Array.
        assert.equal(api.encodeBase64(Buffer.from([1, 2, 3])), "AQID");

        const decodeOptions = ["alphabet", "lastChunkHandling"];
        const encodeOptions = ["alphabet", "omitPadding"];
        const calls: [string, () => unknown, string[]][] = [
          [
            "decodeBase64",
            () => api.decodeBase64("Zg==", any(touchy([...decodeOptions, "slab"]))),
            [...decodeOptions, "slab"],
          ],
          [
            "decodeBase64Into",
            () => api.decodeBase64Into("Zg==", new Uint8Array(3), any(touchy(decodeOptions))),
            decodeOptions,
          ],
          [
            "decodeBase64Pooled",
            () => api.decodeBase64Pooled("Zg==", any(touchy([...decodeOptions, "pool"]))).dispose(),
            [...decodeOptions, "pool"],
          ],
          [
            "encodeBase64",
            () => api.encodeBase64(new Uint8Array(3), any(touchy(encodeOptions))),
            encodeOptions,
          ],
          [
            "encodeBase64Into",
            () =>
              encodeBase64Into(new Uint8Array(3), new Uint8Array(4), any(touchy(encodeOptions))),
            encodeOptions,
          ],
          [
            "encodeBase64Pooled",
            () =>
              encodeBase64Pooled(new Uint8Array(3), any(touchy([...encodeOptions, "pool"])))
                .dispose(),
            [...encodeOptions, "pool"],
          ],
          [
            "base64EncodedLength",
            () => base64EncodedLength(3, any(touchy(encodeOptions))),
            encodeOptions,
          ],
        ];
        for (const [name, call, expected] of calls) {
          log.length = 0;
          call();
          assert.deepEqual(log, expected, name);
        }
        // Functions are objects too (GetOptionsObject accepts them).
        const fnOptions = Object.assign(() => {}, { alphabet: "base64url" });
        assert.equal(api.encodeBase64(new Uint8Array([251, 255]), any(fnOptions)), "-_8=");
      });
    });

    test("detached buffers throw a TypeError, also when a getter detaches them", () => {
      withImpl(impl, () => {
        const detached = () => {
          const bytes = new Uint8Array(8);
          detach(bytes.buffer as ArrayBuffer);
          return bytes;
        };
        const detaching = (bytes: Uint8Array) => ({
          get alphabet() {
            detach(bytes.buffer as ArrayBuffer);
            return "base64" as const;
          },
        });
        const pool = new MemoryPool();
        using writer = pool.rentWriter(16);
        const calls: [string, (bytes: Uint8Array) => unknown][] = [
          ["encodeBase64", (b) => api.encodeBase64(b)],
          ["encodeBase64 with getter", (b) => api.encodeBase64(b, detaching(b))],
          ["encodeBase64Into", (b) => encodeBase64Into(b, new Uint8Array(16))],
          ["encodeBase64Into dest", (b) => encodeBase64Into(new Uint8Array(0), b)],
          [
            "encodeBase64Into with getter",
            (b) => encodeBase64Into(b, new Uint8Array(16), detaching(b)),
          ],
          ["encodeBase64Pooled", (b) => encodeBase64Pooled(b, { pool })],
          ["encodeBase64Pooled with getter", (b) => encodeBase64Pooled(b, detaching(b))],
          ["writeBase64", (b) => writeBase64(b, writer)],
          ["writeBase64 with getter", (b) => writeBase64(b, writer, detaching(b))],
          ["decodeBase64Into", (b) => api.decodeBase64Into("Zg==", b)],
          ["decodeBase64Into with getter", (b) => api.decodeBase64Into("Zg==", b, detaching(b))],
          ["decodeBase64Into, long text", (b) => api.decodeBase64Into("QUJD".repeat(100), b)],
        ];
        for (const [name, call] of calls) {
          const bytes = name.includes("getter") ? new Uint8Array(8) : detached();
          assert.throws(() => call(bytes), TypeError, name);
        }
        assert.equal(writer.writtenCount, 0);
        assert.equal(pool.stats().outstanding, 1); // the writer only
        // An empty, attached view is fine.
        assert.equal(api.encodeBase64(new Uint8Array(0)), "");
        assert.deepEqual(api.decodeBase64Into("Zg==", new Uint8Array(0)), { read: 0, written: 0 });
      });
    });

    test("1 MiB inputs round-trip and match Buffer", () => {
      withImpl(impl, () => {
        const random = rng(6);
        for (const length of [1 << 20, (1 << 20) + 1]) {
          const bytes = randomBytes(random, length);
          for (const url of [false, true]) {
            const expected = bufferEncode(bytes, url, false);
            const alphabet = url ? "base64url" as const : "base64" as const;
            assert.equal(api.encodeBase64(bytes, { alphabet }), expected);
            assert.deepEqual(api.decodeBase64(expected, { alphabet }), bytes);
          }
        }
        const broken = bufferEncode(randomBytes(random, 1 << 20), false, false);
        const at = 777777;
        assert.throws(
          () => api.decodeBase64(broken.slice(0, at) + "*" + broken.slice(at + 1)),
          {
            name: "SyntaxError",
            message: `Cannot decode base64: invalid character '*' at index ${at}`,
          },
        );
      });
    });
  });
}

function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

function intoOutcome(fn: () => { read: number; written: number }): string {
  try {
    const { read, written } = fn();
    return `ok:${read}/${written}`;
  } catch (error) {
    return "error:" + (error as Error).name;
  }
}
