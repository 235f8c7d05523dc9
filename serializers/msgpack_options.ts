/**
 * Options of {@linkcode MsgPackSerializer}.
 *
 * @module
 */
import type { SlabAllocator } from "../pool/mod.ts";
import type { SerializerOptions } from "./types.ts";
import type { MsgPackExtension } from "./msgpack_extension.ts";
// deno-lint-ignore no-unused-vars -- referenced by {@linkcode} in the docs
import type { MsgPackExt } from "./msgpack_ext.ts";

/**
 * The default nesting limit, on both encode and decode.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_DEPTH, MsgPackSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_MAX_DEPTH, 512);
 * const tooDeep = new Uint8Array(DEFAULT_MAX_DEPTH + 1).fill(0x91); // [[[…]]]
 * assert.throws(() => new MsgPackSerializer().deserialize(tooDeep), RangeError);
 * ```
 */
export const DEFAULT_MAX_DEPTH = 512;

/**
 * The largest `maxDepth` a {@linkcode MsgPackSerializer} accepts. Encoding
 * and decoding recurse once per level; 2048 levels leave room on every
 * supported runtime's default stack (the JS stack ran out between about 3,500
 * and 30,000 levels in measurements), so a deep message hits the depth limit,
 * never the engine's stack limit.
 *
 * @example
 * ```ts
 * import { MAX_DEPTH_LIMIT, MsgPackSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * assert.equal(MAX_DEPTH_LIMIT, 2048);
 * assert.throws(() => new MsgPackSerializer({ maxDepth: MAX_DEPTH_LIMIT + 1 }), RangeError);
 * ```
 */
export const MAX_DEPTH_LIMIT = 2048;

/**
 * Options of {@linkcode MsgPackSerializer}.
 *
 * @example
 * ```ts
 * import { MsgPackSerializer, type MsgPackSerializerOptions } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const options: MsgPackSerializerOptions = { int64: "number", slab: null, maxDepth: 64 };
 * const bytes = new MsgPackSerializer(options).serialize({ a: 1 });
 * assert.equal(bytes.buffer.byteLength, bytes.length); // slab: null, an exact buffer
 * ```
 */
export interface MsgPackSerializerOptions extends SerializerOptions {
  /**
   * What values encoded as int64 or uint64 (tokens 0xd3 and 0xcf) decode to,
   * with msgpackr's `int64AsType` meanings:
   * - `"auto"` (the default): a `number` inside the safe integer range
   *   (|n| < 2^53), a `bigint` outside it;
   * - `"number"`: always a `number`, rounding values beyond 2^53;
   * - `"bigint"`: always a `bigint`, even for small values;
   * - `"string"`: always a decimal string, exact at any size.
   *
   * Smaller integer encodings always decode to numbers. Breaking change
   * (0.x): `"bigint"` used to be the name of today's `"auto"`; it now means
   * always-bigint, as in msgpackr.
   *
   * @example The four modes on one uint64 and one small int64
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const big = new Uint8Array([0xcf, 0, 0x20, 0, 0, 0, 0, 0, 1]); // 2^53 + 1
   * const small = new Uint8Array([0xd3, 0, 0, 0, 0, 0, 0, 0, 7]); // 7 as int64
   * const decode = (int64: "auto" | "number" | "bigint" | "string", bytes: Uint8Array) =>
   *   new MsgPackSerializer({ int64 }).deserialize(bytes);
   * assert.equal(decode("auto", big), 9007199254740993n);
   * assert.equal(decode("auto", small), 7);
   * assert.equal(decode("number", big), 9007199254740992); // rounded
   * assert.equal(decode("bigint", small), 7n);
   * assert.equal(decode("string", big), "9007199254740993");
   * ```
   */
  int64?: "auto" | "number" | "bigint" | "string";
  /**
   * Write a non-integer number as float32 when float32 holds it exactly
   * (e.g. 0.5, 1.25). Default `false`: float64.
   */
  preferFloat32?: boolean;
  /**
   * Write non-integer numbers from -2^31 to 2^32 as float32, as msgpackr's
   * `useFloat32` does (the others, NaN and ±Infinity stay float64):
   * - `"always"`: every one, rounding to float32 precision;
   * - `"decimalRound"`: every one, and decoding rounds each float32 to the
   *   decimal digits float32 holds (about 7), so 0.1 reads back as 0.1;
   * - `"decimalFit"`: only those that decimal rounding restores exactly (the
   *   rest stay float64), and decoding rounds as with `"decimalRound"`.
   *
   * Not together with {@linkcode MsgPackSerializerOptions.preferFloat32}
   * (the exact-only mode).
   *
   * @example Shorter numbers that still read back as written
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ useFloat32: "decimalFit" });
   * const bytes = msgpack.serialize([0.1, 1 / 3]);
   * console.log(bytes.length); // 15
   * assert.deepEqual(msgpack.deserialize(bytes), [0.1, 1 / 3]);
   * ```
   */
  useFloat32?: "always" | "decimalRound" | "decimalFit";
  /**
   * Write integers as floats too (float64, or float32 as the float options
   * choose), as @msgpack/msgpack's `forceIntegerToFloat`. Bigints are not
   * affected. Default `false`.
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   *
   * console.log([...new MsgPackSerializer({ forceIntegerToFloat: true }).serialize(1)]); // [ 203, 63, 240, 0, 0, 0, 0, 0, 0 ]
   * ```
   */
  forceIntegerToFloat?: boolean;
  /**
   * What a bigint outside the 64-bit range becomes: `"error"` (the default)
   * throws a `TypeError` naming its path, `"string"` writes its decimal
   * digits as a str, `"float"` writes the nearest float64. With `moreTypes`
   * and no `largeBigInt`, it is written as msgpackr's bigint ext (0x42).
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ largeBigInt: "string" });
   * assert.equal(msgpack.deserialize(msgpack.serialize(2n ** 64n)), "18446744073709551616");
   * assert.throws(() => new MsgPackSerializer().serialize({ n: 2n ** 64n }), /at \$\.n/);
   * ```
   */
  largeBigInt?: "error" | "string" | "float";
  /**
   * Leave out object properties whose value is `undefined`, as
   * `JSON.stringify` does (`Map` entries and array elements are kept).
   * Default `false`: they are written as nil.
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ ignoreUndefined: true });
   * assert.deepEqual(msgpack.deserialize(msgpack.serialize({ a: 1, b: undefined })), { a: 1 });
   * ```
   */
  ignoreUndefined?: boolean;
  /**
   * Call `toJSON()` (with no argument) on objects that have one, and write
   * its result instead; a `Date` stays a timestamp, and bytes (`Buffer`,
   * typed arrays) stay bin. Default `false`: objects write their own
   * enumerable properties.
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * class Money {
   *   readonly cents: number;
   *   constructor(cents: number) {
   *     this.cents = cents;
   *   }
   *   toJSON() {
   *     return `${this.cents / 100} EUR`;
   *   }
   * }
   * const msgpack = new MsgPackSerializer({ useToJSON: true });
   * const bytes = msgpack.serialize({ price: new Money(250), at: new Date(0) });
   * assert.deepEqual(msgpack.deserialize(bytes), { price: "2.5 EUR", at: new Date(0) });
   * ```
   */
  useToJSON?: boolean;
  /**
   * Write the keys of every object, at every depth, in sorted order
   * (`Array.prototype.sort` order, as @msgpack/msgpack's `sortKeys`), so
   * equal objects give equal bytes. `Map` entries keep their insertion
   * order. Default `false`: property order.
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ sortKeys: true });
   * assert.deepEqual(msgpack.serialize({ b: 1, a: { d: 1, c: 2 } }), msgpack.serialize({ a: { c: 2, d: 1 }, b: 1 }));
   * ```
   */
  sortKeys?: boolean;
  /**
   * Encode and decode the types msgpackr writes with `moreTypes: true`, in
   * the same bytes: `Set` (ext 0x73 + array), `Error` (ext 0x65 + `[name,
   * message, cause]`), `RegExp` (ext 0x78 + `[source, flags]`), `undefined`
   * (ext 0, not nil), typed arrays other than `Uint8Array` with their
   * element type, `ArrayBuffer` and `DataView` (ext 0x74), and bigints
   * beyond 64 bits (ext 0x42). `Uint8Array` stays bin, and so does a
   * `Float16Array` (msgpackr has no code for it). Default `false`:
   * those ext types decode as {@linkcode MsgPackExt}, and encoding a `Set`,
   * `Error` or `RegExp` is a `TypeError`.
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ moreTypes: true });
   * const value = { tags: new Set(["a"]), samples: new Float32Array([0.5]), missing: undefined };
   * assert.deepEqual(msgpack.deserialize(msgpack.serialize(value)), value);
   * ```
   */
  moreTypes?: boolean;
  /**
   * Ext types of this serializer's own (see {@linkcode MsgPackExtension});
   * serializers share none. They take precedence over the built-in types
   * and `moreTypes`. At most one per type.
   */
  extensions?: readonly MsgPackExtension[];
  /** The value passed to every extension's `encode` and `decode` as `context`. */
  context?: unknown;
  /**
   * What MessagePack maps decode to: `"object"` (the default) gives plain
   * objects with string keys (number keys become strings; other key types are
   * a SyntaxError), `"map"` gives `Map` instances with keys of any type.
   */
  mapType?: "object" | "map";
  /**
   * The deepest nesting of arrays and maps allowed, on encode and decode.
   * Default 512, at most {@linkcode MAX_DEPTH_LIMIT} (2048).
   */
  maxDepth?: number;
  /**
   * Ignore bytes after the first value in `deserialize` instead of throwing a
   * SyntaxError. Default `false`. To read every value of a concatenated
   * sequence use `deserializeSequence`.
   */
  allowTrailingBytes?: boolean;
  /**
   * The longest str (string) accepted on decode, in UTF-8 bytes, map keys
   * included. A longer one is a RangeError naming the offset of its header,
   * before anything is decoded. Default: no limit beyond the format's
   * (2^32 - 1). Must be a non-negative integer.
   *
   * The limits bound what one value may claim; the input's own length
   * already bounds what is allocated.
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ maxStrLength: 3 });
   * assert.equal(msgpack.deserialize(msgpack.serialize("abc")), "abc");
   * assert.throws(() => msgpack.deserialize(msgpack.serialize(["abcd"])), {
   *   name: "RangeError",
   *   message: "Cannot decode MessagePack: str of 4 bytes exceeds maxStrLength 3 at offset 1",
   * });
   * ```
   */
  maxStrLength?: number;
  /**
   * The longest bin (`Uint8Array`) accepted on decode, in bytes; a longer
   * one is a RangeError naming its offset. Default: no limit beyond the
   * format's.
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ maxBinLength: 2 });
   * assert.throws(() => msgpack.deserialize(msgpack.serialize(new Uint8Array(3))), RangeError);
   * assert.deepEqual(msgpack.deserialize(msgpack.serialize(new Uint8Array(2))), new Uint8Array(2));
   * ```
   */
  maxBinLength?: number;
  /**
   * The most elements of one array accepted on decode; more is a RangeError
   * naming the array's offset. Default: no limit beyond the format's (the
   * elements of all arrays of a message never exceed its byte count anyway).
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ maxArrayLength: 2 });
   * assert.deepEqual(msgpack.deserialize(msgpack.serialize([[1, 2], [3]])), [[1, 2], [3]]);
   * assert.throws(() => msgpack.deserialize(msgpack.serialize({ a: [1, 2, 3] })), {
   *   message: "Cannot decode MessagePack: array of 3 elements exceeds maxArrayLength 2 at offset 3",
   * });
   * ```
   */
  maxArrayLength?: number;
  /**
   * The most entries (key-value pairs) of one map accepted on decode; more
   * is a RangeError naming the map's offset. Default: no limit beyond the
   * format's.
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ maxMapLength: 1 });
   * assert.throws(() => msgpack.deserialize(msgpack.serialize({ a: 1, b: 2 })), RangeError);
   * ```
   */
  maxMapLength?: number;
  /**
   * The longest ext payload accepted on decode, in bytes (the type byte not
   * counted; timestamps included); a longer one is a RangeError naming its
   * offset. Default: no limit beyond the format's.
   *
   * @example
   * ```ts
   * import { MsgPackExt, MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const msgpack = new MsgPackSerializer({ maxExtLength: 4 });
   * const bytes = msgpack.serialize(new MsgPackExt(1, new Uint8Array(8)));
   * assert.throws(() => msgpack.deserialize(bytes), RangeError);
   * ```
   */
  maxExtLength?: number;
  /**
   * Make invalid UTF-8 inside a str (a value or a map key) a SyntaxError
   * naming the offset of the first invalid byte, like
   * `TextDecoder("utf-8", { fatal: true })`. Default `false`: each invalid
   * sequence decodes to U+FFFD, as `TextDecoder` does by default. Repeated
   * short strings and keys are checked once, when first decoded.
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const bytes = new Uint8Array([0xa2, 0x61, 0xff]); // "a" and the invalid byte 0xff
   * assert.equal(new MsgPackSerializer().deserialize(bytes), "a\ufffd");
   * assert.throws(() => new MsgPackSerializer({ fatal: true }).deserialize(bytes), {
   *   name: "SyntaxError",
   *   message: "Cannot decode MessagePack: invalid UTF-8 byte 0xff in a str at offset 2",
   * });
   * ```
   */
  fatal?: boolean;
  /**
   * Whether bin values decode to copies (`true`, the default) or to views of
   * the input (`false`). Views skip a copy per bin, but alias the input:
   * they see later writes to it, and they keep its whole buffer alive; do not
   * return pooled input to its pool while they are in use.
   *
   * @example
   * ```ts
   * import { MsgPackSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const input = new Uint8Array([0xc4, 2, 7, 8]); // bin [7, 8]
   * const view = new MsgPackSerializer({ copyBinary: false }).deserialize<Uint8Array>(input);
   * assert.equal(view.buffer, input.buffer);
   * input[2] = 9;
   * assert.deepEqual([...view], [9, 8]); // it aliases the input
   * ```
   */
  copyBinary?: boolean;
  /**
   * Where {@linkcode MsgPackSerializer.serialize} puts its results:
   * - omitted (the default): an allocator private to this serializer, so
   *   that messages are encoded in place, straight into a shared chunk, with
   *   no copy and no `ArrayBuffer` per result;
   * - a {@linkcode SlabAllocator}: results are copied into it (encoding can
   *   run getters, which could allocate from a slab shared with other code,
   *   so it never writes into a shared slab in place);
   * - `null`: every result gets its own exactly-sized `ArrayBuffer`.
   *
   * Slab results share their `buffer` with other results: pass the view
   * itself to other APIs, not `bytes.buffer` (see {@linkcode SlabAllocator}).
   */
  slab?: SlabAllocator | null;
}
