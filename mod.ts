/**
 * `@catga/memory`: pooled byte buffers, a growable buffer writer, UTF-8 and
 * base64 encoders that write into pooled memory, and JSON and MessagePack
 * message serializers, so that services serialize with far less garbage.
 *
 * @example Serialize into pooled memory and give it back
 * ```ts
 * import { MemoryPool } from "@catga/memory";
 *
 * using writer = MemoryPool.shared.rentWriter();
 * writer.write(new Uint8Array([1, 2, 3]));
 * console.log(writer.written); // Uint8Array(3) [ 1, 2, 3 ]
 * ```
 *
 * @module
 */
export * from "./pool/mod.ts";
