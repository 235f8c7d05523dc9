/**
 * {@linkcode MsgPackExtension}: an application-defined MessagePack ext type,
 * registered per serializer instance.
 *
 * @module
 */

/**
 * One ext type of a {@linkcode MsgPackSerializer}, given in its `extensions`
 * option. The shape is that of @msgpack/msgpack's
 * `ExtensionCodec.register({ type, encode, decode })`, so one object can be
 * registered in both; the two then write the same bytes and read each
 * other's.
 *
 * - `encode(value, context)` is offered every value that is not a plain
 *   object, an array or a primitive other than a bigint or symbol (so class
 *   instances, `Date`, `Map`, `Set`, typed arrays, bigints, symbols and
 *   functions). It returns the ext payload, or `null` (or `undefined`) for
 *   "not mine". Negative types are asked first (-1, then -2, ...), then the
 *   others by ascending type, as @msgpack/msgpack does.
 * - `decode(data, type, context)` turns a payload of its type back into a
 *   value. `data` is a copy of the payload: keeping it is safe.
 * - Type -1 replaces the timestamp handling: its `encode` sees every `Date`
 *   first (one it returns `null` for is written as a timestamp), and its
 *   `decode` reads every timestamp.
 *
 * `context` is the serializer's `context` option, passed as it is.
 *
 * @typeParam Context The type of the serializer's `context` option.
 *
 * @example A class as ext type 0, with a context
 * ```ts
 * import { MsgPackSerializer, type MsgPackExtension } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * class Point {
 *   readonly x: number;
 *   readonly y: number;
 *   constructor(x: number, y: number) {
 *     this.x = x;
 *     this.y = y;
 *   }
 * }
 * const point: MsgPackExtension<{ scale: number }> = {
 *   type: 0,
 *   encode: (value, context) =>
 *     value instanceof Point
 *       ? new Uint8Array([value.x * context.scale, value.y * context.scale])
 *       : null,
 *   decode: (data, _type, context) => new Point(data[0] / context.scale, data[1] / context.scale),
 * };
 * const msgpack = new MsgPackSerializer({ extensions: [point], context: { scale: 2 } });
 * const bytes = msgpack.serialize({ at: new Point(3, 4) });
 * // After the key "at": fixext 2 (0xd5), type 0, payload [6, 8].
 * console.log([...bytes.subarray(4)]); // [ 213, 0, 6, 8 ]
 * assert.deepEqual(msgpack.deserialize(bytes), { at: new Point(3, 4) });
 * ```
 */
export interface MsgPackExtension<Context = unknown> {
  /** The ext type, an integer from -128 to 127 (negative types are reserved by the spec; -1 is the timestamp). */
  readonly type: number;
  /**
   * The payload for `value`, or `null`/`undefined` when this extension does
   * not handle it.
   *
   * @param value The value being encoded.
   * @param context The serializer's `context` option.
   * @returns The ext payload (at most 4 GiB - 1 bytes), or `null`.
   */
  encode(value: unknown, context: Context): Uint8Array | null;
  /**
   * The value for a payload of this type.
   *
   * @param data A copy of the payload.
   * @param type The ext type (this extension's `type`).
   * @param context The serializer's `context` option.
   * @returns The decoded value.
   */
  decode(data: Uint8Array, type: number, context: Context): unknown;
}
