/**
 * Base64 with the TC39 `Uint8Array` base64 proposal's semantics: one-shot
 * encode and decode, into caller-provided or pooled memory, and the switch
 * between native calls and the pure-JS core.
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
export {
  type Base64Implementation,
  getBase64Implementation,
  setBase64Implementation,
} from "./base64_implementation.ts";
export type {
  Base64Alphabet,
  Base64DecodeOptions,
  Base64EncodeOptions,
  LastChunkHandling,
} from "./base64_options.ts";
