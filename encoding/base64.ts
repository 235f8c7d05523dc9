/**
 * Base64 with the TC39 `Uint8Array` base64 proposal's semantics: one-shot
 * encode and decode, to owned, caller-provided or pooled memory.
 *
 * @module
 */
export {
  base64EncodedLength,
  encodeBase64,
  encodeBase64Into,
  encodeBase64Pooled,
  writeBase64,
} from "./base64_encode.ts";
export {
  type Base64DecodeResult,
  decodeBase64,
  decodeBase64Into,
  decodeBase64Pooled,
} from "./base64_decode.ts";
export type {
  Base64Alphabet,
  Base64DecodeOptions,
  Base64EncodeOptions,
  LastChunkHandling,
} from "./base64_options.ts";
