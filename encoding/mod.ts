/**
 * The encoding layer of `@catga/memory`: UTF-8 and base64/hex encoders that
 * write straight into caller-provided or pooled memory, with the TC39
 * `Uint8Array` base64 proposal's exact semantics, plus streaming base64.
 *
 * @example Encode into pooled memory and decode back
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBase64, encodeBase64Pooled, encodeUtf8 } from "@catga/memory/encoding";
 *
 * using encoded = encodeBase64Pooled(encodeUtf8("hello"));
 * const text = new TextDecoder().decode(encoded.bytes);
 * assert.equal(text, "aGVsbG8=");
 * assert.deepEqual(decodeBase64(text), encodeUtf8("hello"));
 * ```
 *
 * @module
 */
export {
  decodeUtf8,
  encodeUtf8,
  encodeUtf8Into,
  encodeUtf8Pooled,
  utf8ByteLength,
  type Utf8DecodeOptions,
  type Utf8EncodeResult,
  writeUtf8,
} from "./utf8.ts";
export {
  type Base64Alphabet,
  type Base64DecodeOptions,
  type Base64DecodeResult,
  base64EncodedLength,
  type Base64EncodeOptions,
  decodeBase64,
  decodeBase64Into,
  decodeBase64Pooled,
  encodeBase64,
  encodeBase64Into,
  encodeBase64Pooled,
  type LastChunkHandling,
  writeBase64,
} from "./base64.ts";
export { decodeHex, decodeHexInto, decodeHexPooled, encodeHex } from "./hex.ts";
export { Base64DecoderStream, Base64EncoderStream } from "./base64_stream.ts";
