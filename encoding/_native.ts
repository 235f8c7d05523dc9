/**
 * The native base64/hex calls this runtime uses, resolved once at load from
 * the fast-path table (platform/fast_paths.ts) and what the runtime has, plus
 * the option objects passed to the TC39 built-ins, one per flag combination,
 * so that no call allocates one.
 *
 * @module
 */
import { FAST_PATHS, type NativeCodec } from "../platform/fast_paths.ts";
import {
  NATIVE_FROM_BASE64,
  NATIVE_FROM_HEX,
  NATIVE_SET_FROM_BASE64,
  NATIVE_SET_FROM_HEX,
  NATIVE_TO_BASE64,
  NATIVE_TO_HEX,
} from "../platform/natives.ts";
import { NODE_BUFFER } from "../platform/runtime.ts";

/** The table's choice, or `"none"` when this runtime lacks that call. */
function resolve(kind: NativeCodec, hasBuiltin: boolean): NativeCodec {
  if (kind === "builtin") return hasBuiltin ? "builtin" : "none";
  if (kind === "buffer") return NODE_BUFFER !== undefined ? "buffer" : "none";
  return "none";
}

/** A `*JsMax` of the table, or "always JS" when there is no native call. */
function jsMax(codec: NativeCodec, max: number): number {
  return codec === "none" ? Infinity : max;
}

const ROW = FAST_PATHS.base64;

/** The native base64 decoder in use above the JS thresholds. */
export const BASE64_DECODER: NativeCodec = resolve(
  ROW.decoder,
  NATIVE_FROM_BASE64 !== undefined && NATIVE_SET_FROM_BASE64 !== undefined,
);
/** Whether the built-in decodes what Buffer cannot prove valid (under the `"buffer"` decoder). */
export const BASE64_BUILTIN_FALLBACK: boolean = BASE64_DECODER === "buffer" &&
  NATIVE_FROM_BASE64 !== undefined && NATIVE_SET_FROM_BASE64 !== undefined;
/** `decodeBase64`: JS core up to this many chars. */
export const BASE64_DECODE_JS_MAX: number = jsMax(BASE64_DECODER, ROW.decodeJsMax);
/** The native decoder of `decodeBase64Into`. */
export const BASE64_INTO_DECODER: NativeCodec = resolve(
  ROW.intoDecoder,
  NATIVE_SET_FROM_BASE64 !== undefined,
);
/** `decodeBase64Into`: JS core up to this many chars. */
export const BASE64_DECODE_INTO_JS_MAX: number = jsMax(BASE64_INTO_DECODER, ROW.decodeIntoJsMax);
/** Whether native decoders write owned results into the slab (see the table). */
export const NATIVE_DECODE_TO_SLAB: boolean = ROW.nativeDecodeToSlab;
/** The native base64 encoder in use above {@link BASE64_ENCODE_JS_MAX}. */
export const BASE64_ENCODER: NativeCodec = resolve(ROW.encoder, NATIVE_TO_BASE64 !== undefined);
/** `encodeBase64`: JS core up to this many bytes. */
export const BASE64_ENCODE_JS_MAX: number = jsMax(BASE64_ENCODER, ROW.encodeJsMax);
const BAND = NATIVE_TO_BASE64 !== undefined && BASE64_ENCODER !== "none"
  ? ROW.encodeBuiltinBand
  : [0, 0] as const;
/** Above this many bytes (and up to {@link BASE64_ENCODE_BUILTIN_MAX}) `toBase64` encodes. */
export const BASE64_ENCODE_BUILTIN_MIN: number = BAND[0];
/** See {@link BASE64_ENCODE_BUILTIN_MIN}. */
export const BASE64_ENCODE_BUILTIN_MAX: number = BAND[1];
/** The native hex decoder in use above {@link HEX_DECODE_JS_MAX}. */
export const HEX_DECODER: NativeCodec = resolve(
  ROW.hexDecoder,
  NATIVE_FROM_HEX !== undefined && NATIVE_SET_FROM_HEX !== undefined,
);
/** `decodeHex`: JS loop up to this many chars. */
export const HEX_DECODE_JS_MAX: number = jsMax(HEX_DECODER, ROW.hexDecodeJsMax);
/** The native hex encoder in use above {@link HEX_ENCODE_JS_MAX}. */
export const HEX_ENCODER: NativeCodec = resolve(ROW.hexEncoder, NATIVE_TO_HEX !== undefined);
/** `encodeHex`: JS loop up to this many bytes. */
export const HEX_ENCODE_JS_MAX: number = jsMax(HEX_ENCODER, ROW.hexEncodeJsMax);

/**
 * Encode option objects indexed by flags (URL_ALPHABET | OMIT_PADDING); the
 * default is undefined, which skips the engine's option look-ups.
 */
export const ENCODE_OPTIONS: ReadonlyArray<
  { alphabet: string; omitPadding: boolean } | undefined
> = [
  undefined,
  { alphabet: "base64url", omitPadding: false },
  { alphabet: "base64", omitPadding: true },
  { alphabet: "base64url", omitPadding: true },
];

/** Decode option objects indexed by flags (URL_ALPHABET | mode << 1). */
export const DECODE_OPTIONS: ReadonlyArray<
  { alphabet: string; lastChunkHandling: string } | undefined
> = [
  undefined,
  { alphabet: "base64url", lastChunkHandling: "loose" },
  { alphabet: "base64", lastChunkHandling: "strict" },
  { alphabet: "base64url", lastChunkHandling: "strict" },
  { alphabet: "base64", lastChunkHandling: "stop-before-partial" },
  { alphabet: "base64url", lastChunkHandling: "stop-before-partial" },
];

/**
 * Whether a call without options goes straight to the built-in, which then
 * does the argument checks itself (the library's own checks run only to word
 * the error): where the built-in wins at every size, this saves the checks'
 * cost, which on JSC is a third of a small call.
 */
export const BASE64_ENCODE_NATIVE_FIRST: boolean = BASE64_ENCODER === "builtin" &&
  BASE64_ENCODE_JS_MAX <= 0;
/** See {@link BASE64_ENCODE_NATIVE_FIRST}; `decodeBase64Into`. */
export const BASE64_INTO_NATIVE_FIRST: boolean = BASE64_INTO_DECODER === "builtin" &&
  BASE64_DECODE_INTO_JS_MAX <= 0;
/** See {@link BASE64_ENCODE_NATIVE_FIRST}; `encodeHex`. */
export const HEX_ENCODE_NATIVE_FIRST: boolean = HEX_ENCODER === "builtin" && HEX_ENCODE_JS_MAX <= 0;
/** See {@link BASE64_ENCODE_NATIVE_FIRST}; `decodeHexInto`. */
export const HEX_INTO_NATIVE_FIRST: boolean = HEX_DECODER === "builtin" && HEX_DECODE_JS_MAX <= 0;
