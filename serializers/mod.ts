/**
 * The serializers of `@catga/memory`: the {@linkcode MessageSerializer}
 * contract, a pooled {@linkcode JsonSerializer} and a full-spec
 * {@linkcode MsgPackSerializer}.
 *
 * @example Serialize into pooled memory
 * ```ts
 * import { MsgPackSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const msgpack = new MsgPackSerializer();
 * using owned = msgpack.serializePooled({ id: 1, name: "order.created" });
 * assert.deepEqual(msgpack.deserialize(owned.bytes), { id: 1, name: "order.created" });
 * ```
 *
 * @module
 */
export type {
  ByteStreamSource,
  DeserializeStreamOptions,
  MessageSerializer,
  SerializerOptions,
  SerializeStreamOptions,
  StreamDecoder,
} from "./types.ts";
export { DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_STREAM_CHUNK_SIZE } from "./types.ts";
export { JsonSerializer, type JsonSerializerOptions } from "./json.ts";
export { MsgPackSerializer } from "./msgpack.ts";
export { MsgPackExt } from "./msgpack_ext.ts";
export type { MsgPackExtension } from "./msgpack_extension.ts";
export { serializedResponse } from "./response.ts";
export {
  DEFAULT_MAX_DEPTH,
  MAX_DEPTH_LIMIT,
  type MsgPackSerializerOptions,
} from "./msgpack_options.ts";
