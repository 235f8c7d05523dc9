/**
 * Options of {@linkcode MsgPackSerializer}.
 *
 * @module
 */
import type { SlabAllocator } from "../pool/mod.ts";
import type { SerializerOptions } from "./types.ts";

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
