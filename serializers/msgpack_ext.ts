/**
 * MessagePack extension values: {@linkcode MsgPackExt} for ext types this
 * module does not interpret, and the timestamp extension (type -1).
 *
 * @module
 */

/** The ext type MessagePack reserves for timestamps. */
export const TIMESTAMP_EXT_TYPE = -1;

/**
 * An ext value whose type this serializer does not interpret. Decoding an
 * unknown ext type gives an instance; encoding one writes the same bytes back.
 *
 * @example Round-trip an application-defined ext type
 * ```ts
 * import { MsgPackExt, MsgPackSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const msgpack = new MsgPackSerializer();
 * const bytes = msgpack.serialize(new MsgPackExt(7, new Uint8Array([1, 2, 3])));
 * const ext = msgpack.deserialize<MsgPackExt>(bytes);
 * assert.ok(ext instanceof MsgPackExt);
 * assert.equal(ext.type, 7);
 * assert.deepEqual([...ext.data], [1, 2, 3]);
 * ```
 */
export class MsgPackExt {
  /** The ext type, an integer from -128 to 127 (negative types are reserved by the spec). */
  readonly type: number;
  /** The ext payload. */
  readonly data: Uint8Array;

  /**
   * Creates an ext value.
   *
   * @param type The ext type, an integer from -128 to 127.
   * @param data The payload (kept by reference, not copied).
   * @throws {RangeError} When `type` is not an integer from -128 to 127, or `data` is 4 GiB or longer.
   * @throws {TypeError} When `data` is not a `Uint8Array`.
   *
   * @example Make an ext value
   * ```ts
   * import { MsgPackExt } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const ext = new MsgPackExt(1, new Uint8Array([0xff]));
   * assert.equal(ext.type, 1);
   * assert.throws(() => new MsgPackExt(200, new Uint8Array(0)), RangeError);
   * ```
   */
  constructor(type: number, data: Uint8Array) {
    if (!Number.isInteger(type) || type < -128 || type > 127) {
      throw new RangeError(
        `Cannot create MessagePack ext: type ${type} is not an integer from -128 to 127`,
      );
    }
    if (!(data instanceof Uint8Array)) {
      throw new TypeError("Cannot create MessagePack ext: data must be a Uint8Array");
    }
    if (data.length > 0xffffffff) {
      throw new RangeError(
        `Cannot create MessagePack ext: ${data.length} bytes is longer than 4 GiB - 1`,
      );
    }
    this.type = type;
    this.data = data;
  }
}
