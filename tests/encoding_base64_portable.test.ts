/**
 * The portable codec set is portable everywhere: through `JS_API` (the
 * functions bound to the JS-only codec set), no base64 or hex function calls a Node
 * `Buffer` method (the path browsers and edge runtimes take is then what runs
 * on Node too). `Buffer.prototype` is wrapped with counters before the library
 * loads (it captures those methods at load), hence the dynamic imports. Through
 * the package's own functions on Node the counters must move, which proves the wrapping works.
 *
 * @module
 */
import { test } from "node:test";
import assert from "node:assert/strict";

const METHODS = [
  "base64Slice",
  "base64urlSlice",
  "base64Write",
  "latin1Write",
  "hexSlice",
  "hexWrite",
] as const;
const calls: Record<string, number> = {};
const proto = (globalThis as { Buffer?: { prototype: Record<string, unknown> } }).Buffer
  ?.prototype;
const originals = new Map<string, unknown>();
if (proto !== undefined) {
  for (const name of METHODS) {
    const original = proto[name];
    if (typeof original !== "function") continue;
    originals.set(name, original);
    calls[name] = 0;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      calls[name]++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
}
const { DEFAULT_API, JS_API } = await import("../encoding/_codec_api.ts");
const { RUNTIME } = await import("../platform/runtime.ts");
// The library has captured what it wanted; put Buffer back as it was.
for (const [name, original] of originals) proto![name] = original;

function exercise(encoding: typeof DEFAULT_API): void {
  for (const length of [0, 5, 64, 1000, 70_000]) {
    const bytes = new Uint8Array(length).map((_, i) => i * 31);
    for (const alphabet of ["base64", "base64url"] as const) {
      for (const omitPadding of [false, true]) {
        const text = encoding.encodeBase64(bytes, { alphabet, omitPadding });
        // Whitespace sends long input through the JS core's block copy.
        const spaced = text.replace(/(.{76})/g, "$1\n");
        for (const source of [text, spaced]) {
          assert.deepEqual(encoding.decodeBase64(source, { alphabet }), bytes);
          const dest = new Uint8Array(length);
          encoding.decodeBase64Into(source, dest, { alphabet });
          assert.deepEqual(dest, bytes);
          using pooled = encoding.decodeBase64Pooled(source, { alphabet });
          assert.deepEqual(pooled.bytes, bytes);
        }
      }
    }
    // Invalid input: after any native decoder, the JS core names the index.
    const bad = encoding.encodeBase64(bytes) + "!";
    assert.throws(() => encoding.decodeBase64(bad), SyntaxError);
    const hex = encoding.encodeHex(bytes);
    assert.deepEqual(encoding.decodeHex(hex), bytes);
    encoding.decodeHexInto(hex, new Uint8Array(length));
  }
}

const total = () => Object.values(calls).reduce((a, b) => a + b, 0);

test("the forced portable core calls no Buffer method", () => {
  exercise(JS_API);
  assert.deepEqual(calls, Object.fromEntries(Object.keys(calls).map((name) => [name, 0])));
});

// Only Node's paths use Buffer; elsewhere there is nothing to count (registered
// only where it applies: a skip would fail CI).
if (RUNTIME === "node") {
  test("on Node, the default paths do call Buffer (the counters work)", (t) => {
    exercise(DEFAULT_API);
    assert.ok(total() > 0, JSON.stringify(calls));
    assert.ok(calls.latin1Write > 0, "latin1Write copies blocks for the JS core on Node");
    t.diagnostic(JSON.stringify(calls));
  });
}
