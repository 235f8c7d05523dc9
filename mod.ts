/**
 * `@catga/memory`: pooled byte buffers, a growable buffer writer, UTF-8 and
 * base64 encoders that write into pooled memory, and JSON and MessagePack
 * message serializers, so that services serialize with far less garbage.
 *
 * @example Serialize a message into pooled memory and give it back
 * ```ts
 * import { encodeBase64, JsonSerializer, MemoryPool } from "@catga/memory";
 *
 * const json = new JsonSerializer();
 * using writer = MemoryPool.shared.rentWriter();
 * json.serializeTo({ id: 42, event: "order.created" }, writer);
 * console.log(writer.writtenCount); // 33
 * console.log(encodeBase64(writer.written)); // the payload as base64
 * ```
 *
 * @module
 */
export * from "./pool/mod.ts";
export * from "./encoding/mod.ts";
export * from "./serializers/mod.ts";
