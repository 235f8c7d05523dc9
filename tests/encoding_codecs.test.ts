/**
 * The codec factory: every runtime's row of the measured table, built
 * in-process with this runtime's natives (and with none), gives the same
 * results as the portable JS core on random inputs, valid and invalid.
 *
 * @module
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FAST_PATH_TABLE, type PlatformKey } from "../platform/fast_paths.ts";
import {
  CODECS,
  createCodecs,
  JS_CODECS,
  NO_NATIVES,
  RUNTIME_NATIVES,
} from "../encoding/_codecs.ts";
import { createEncodingApi, type EncodingApi, JS_API } from "../encoding/_codec_api.ts";
import { MemoryPool, SlabAllocator } from "../pool/mod.ts";
import { type Random, randomBytes, randomInt, rng } from "./_random.ts";

const KEYS = Object.keys(FAST_PATH_TABLE) as PlatformKey[];
const SIZES = [0, 1, 2, 3, 5, 63, 64, 65, 200, 300, 1024, 5000, 20_000];
const ALPHABETS = ["base64", "base64url"] as const;
const MODES = ["loose", "strict", "stop-before-partial"] as const;

/** Bytes as a string, for quick comparison (the portable hex encoder). */
function asHex(bytes: Uint8Array): string {
  return JS_API.encodeHex(bytes);
}

/** The outcome of a call: its value, or the class of its error. */
function outcome(fn: () => unknown): unknown {
  try {
    const value = fn();
    return value instanceof Uint8Array ? ["bytes", asHex(value)] : ["value", value];
  } catch (error) {
    return ["error", (error as Error).name];
  }
}

/** Base64 text with random damage: whitespace, a bad char, a cut, stray padding. */
function damaged(random: Random, text: string): string {
  switch (randomInt(random, 0, 5)) {
    case 0:
      return text.replace(/(.{7})/g, "$1 ");
    case 1: {
      const at = randomInt(random, 0, text.length);
      return text.slice(0, at) + "!" + text.slice(at);
    }
    case 2:
      return text.slice(0, Math.max(0, text.length - randomInt(random, 1, 3)));
    case 3:
      return text + "=";
    case 4:
      return text.replace(/=+$/, "");
    default:
      return text + "\u0100";
  }
}

/** `[options]`, and `undefined` first where they are the defaults (standard alphabet). */
function orNone<T>(options: T, alphabet: string, defaults: boolean): (T | undefined)[] {
  return alphabet === "base64" && defaults ? [undefined, options] : [options];
}

function compare(api: EncodingApi, label: string): void {
  const random = rng(0x18);
  const pool = new MemoryPool();
  const slab = new SlabAllocator();
  for (const size of SIZES) {
    const bytes = randomBytes(random, size);
    for (const alphabet of ALPHABETS) {
      for (const omitPadding of [false, true]) {
        // No options at all: the routes for default options (their own fast paths).
        for (const options of orNone({ alphabet, omitPadding }, alphabet, !omitPadding)) {
          assert.deepEqual(
            outcome(() => api.encodeBase64(bytes, options)),
            outcome(() => JS_API.encodeBase64(bytes, options)),
            `${label} encodeBase64 ${size} ${alphabet} ${omitPadding}`,
          );
          const a = new Uint8Array(size * 2 + 8);
          const b = new Uint8Array(size * 2 + 8);
          assert.deepEqual(
            [outcome(() => api.encodeBase64Into(bytes, a, options)), asHex(a)],
            [outcome(() => JS_API.encodeBase64Into(bytes, b, options)), asHex(b)],
            `${label} encodeBase64Into ${size} ${alphabet} ${omitPadding}`,
          );
        }
      }
      const text = JS_API.encodeBase64(bytes, { alphabet });
      for (const input of [text, damaged(random, text), damaged(random, text)]) {
        for (const lastChunkHandling of MODES) {
          const options = { alphabet, lastChunkHandling };
          const where = `${label} ${size} ${alphabet} ${lastChunkHandling} ${
            JSON.stringify(input.slice(-6))
          }`;
          for (const target of [slab, null]) {
            assert.deepEqual(
              outcome(() => api.decodeBase64(input, { ...options, slab: target })),
              outcome(() => JS_API.decodeBase64(input, { ...options, slab: target })),
              `decodeBase64 ${where}`,
            );
          }
          assert.deepEqual(
            outcome(() => {
              using pooled = api.decodeBase64Pooled(input, { ...options, pool });
              return pooled.bytes.slice();
            }),
            outcome(() => {
              using pooled = JS_API.decodeBase64Pooled(input, { ...options, pool });
              return pooled.bytes.slice();
            }),
            `decodeBase64Pooled ${where}`,
          );
          const loose = lastChunkHandling === "loose";
          for (const room of [size, Math.floor(size / 2), size + 3]) {
            for (const given of orNone(options, alphabet, loose)) {
              const a = new Uint8Array(room);
              const b = new Uint8Array(room);
              assert.deepEqual(
                [outcome(() => api.decodeBase64Into(input, a, given)), asHex(a)],
                [outcome(() => JS_API.decodeBase64Into(input, b, given)), asHex(b)],
                `decodeBase64Into ${room} ${where} ${given === undefined ? "no options" : ""}`,
              );
            }
          }
        }
      }
    }
    assert.equal(api.encodeHex(bytes), JS_API.encodeHex(bytes), `${label} encodeHex ${size}`);
    const hex = JS_API.encodeHex(bytes);
    const upper = hex.toUpperCase();
    const bad = hex.length === 0 ? "0" : hex.slice(0, -1) + "g";
    for (const input of [hex, upper, bad, hex + "0", hex + "\u0130\u0130"]) {
      for (const target of [slab, null]) {
        assert.deepEqual(
          outcome(() => api.decodeHex(input, { slab: target })),
          outcome(() => JS_API.decodeHex(input, { slab: target })),
          `${label} decodeHex ${size}`,
        );
      }
      assert.deepEqual(
        outcome(() => {
          using pooled = api.decodeHexPooled(input, { pool });
          return pooled.bytes.slice();
        }),
        outcome(() => {
          using pooled = JS_API.decodeHexPooled(input, { pool });
          return pooled.bytes.slice();
        }),
        `${label} decodeHexPooled ${size}`,
      );
      for (const room of [size, Math.floor(size / 2)]) {
        const a = new Uint8Array(room);
        const b = new Uint8Array(room);
        assert.deepEqual(
          [outcome(() => api.decodeHexInto(input, a)), asHex(a)],
          [outcome(() => JS_API.decodeHexInto(input, b)), asHex(b)],
          `${label} decodeHexInto ${size} ${room}`,
        );
      }
    }
  }
  assert.equal(pool.stats().outstanding, 0);
}

describe("codec factory", () => {
  test("the portable set uses no native call", () => {
    assert.equal(JS_CODECS.decoder, "none");
    assert.equal(JS_CODECS.encoder, "none");
    assert.equal(JS_CODECS.hexDecoder, "none");
    assert.equal(JS_CODECS.hexEncoder, "none");
    assert.equal(JS_CODECS.encodeJsMax, Infinity);
    assert.equal(JS_CODECS.latin1Write, undefined);
    assert.equal(JS_CODECS.asciiWrite, undefined);
    assert.equal(createCodecs(FAST_PATH_TABLE.node24.base64, NO_NATIVES).decodeJsMax, Infinity);
  });

  test("a row naming a native this runtime lacks resolves to the JS core", () => {
    for (const key of KEYS) {
      const codecs = createCodecs(FAST_PATH_TABLE[key].base64, RUNTIME_NATIVES);
      if (RUNTIME_NATIVES.buffer === undefined) {
        assert.notEqual(codecs.decoder, "buffer", key);
        assert.notEqual(codecs.encoder, "buffer", key);
      }
      if (RUNTIME_NATIVES.toBase64 === undefined) assert.notEqual(codecs.encoder, "builtin", key);
      if (codecs.decoder === "none") assert.equal(codecs.decodeJsMax, Infinity, key);
    }
  });

  test("this runtime's set is built from its own row", () => {
    assert.ok(CODECS.natives === RUNTIME_NATIVES);
  });

  test("the runtime's own Buffer slices, where a row takes them, give the JS core's text", () => {
    const random = rng(18);
    for (const key of KEYS) {
      const row = {
        ...FAST_PATH_TABLE[key].base64,
        encodeShimSliceMin: 0,
        hexEncodeShimSliceMin: 0,
      };
      const api = createEncodingApi(createCodecs(row));
      for (const size of [1, 2, 3, 64, 1000, 140_000]) {
        const bytes = randomBytes(random, size);
        assert.equal(api.encodeBase64(bytes), JS_API.encodeBase64(bytes), `${key} base64 ${size}`);
        assert.equal(
          api.encodeBase64(bytes, { alphabet: "base64url", omitPadding: true }),
          JS_API.encodeBase64(bytes, { alphabet: "base64url", omitPadding: true }),
          `${key} base64url ${size}`,
        );
        assert.equal(api.encodeHex(bytes), JS_API.encodeHex(bytes), `${key} hex ${size}`);
        const view = bytes.subarray(1);
        assert.equal(api.encodeBase64(view), JS_API.encodeBase64(view), `${key} view ${size}`);
        assert.equal(api.encodeHex(view), JS_API.encodeHex(view), `${key} hex view ${size}`);
      }
    }
  });

  for (const key of KEYS) {
    test(`the ${key} row, built here, gives the JS core's results`, () => {
      compare(createEncodingApi(createCodecs(FAST_PATH_TABLE[key].base64)), key);
    });
  }
});
