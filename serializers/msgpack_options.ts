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
// deno-lint-ignore no-unused-vars -- referenced by {@linkcode} in the docs
import type { MsgPackSerializer } from "./msgpack.ts";

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
   * How int64 and uint64 values decode. `"bigint"` (the default) gives a
   * `number` inside the safe integer range and a `bigint` outside it;
   * `"number"` always gives a `number`, rounding values beyond 2^53.
   */
  int64?: "number" | "bigint";
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
