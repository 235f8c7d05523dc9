/**
 * The codec factory: from a row of the measured table
 * (platform/fast_paths.ts) and a set of captured natives, it builds the
 * {@linkcode Codecs} the base64 and hex functions route through: which
 * backend (the TC39 built-ins, Node's `Buffer`, or the JS core) runs each
 * direction, above which size, and the native functions themselves. A row
 * that names a native this set lacks resolves to the JS core.
 *
 * The library builds one set at load ({@linkcode CODECS}, this runtime's row
 * and natives); tests and benches build any runtime's row, or the portable
 * JS-only set ({@linkcode JS_CODECS}), in-process. Nothing here is mutable.
 * Internal.
 *
 * @module
 */
import { type Base64FastPaths, FAST_PATHS, type NativeCodec } from "../platform/fast_paths.ts";
import {
  NATIVE_ATOB,
  NATIVE_FROM_BASE64,
  NATIVE_FROM_HEX,
  NATIVE_SET_FROM_BASE64,
  NATIVE_SET_FROM_HEX,
  NATIVE_TO_BASE64,
  NATIVE_TO_HEX,
  type NativeAtob,
  type NativeFromBase64,
  type NativeFromHex,
  type NativeSetFromBase64,
  type NativeSetFromHex,
  type NativeToBase64,
  type NativeToHex,
} from "../platform/natives.ts";
import {
  BUN_BUFFER,
  type BunBufferMethods,
  DENO_BUFFER,
  type DenoBufferMethods,
  NODE_BUFFER,
  NODE_BUFFER_STATICS,
  type NodeBufferMethods,
  type NodeBufferStatics,
} from "../platform/runtime.ts";

/** The native calls a codec set may use; a missing one is `undefined`. */
export interface CodecNatives {
  /** `Uint8Array.prototype.toBase64`. */
  readonly toBase64: NativeToBase64 | undefined;
  /** `Uint8Array.prototype.setFromBase64`. */
  readonly setFromBase64: NativeSetFromBase64 | undefined;
  /** `Uint8Array.fromBase64`. */
  readonly fromBase64: NativeFromBase64 | undefined;
  /** `Uint8Array.prototype.toHex`. */
  readonly toHex: NativeToHex | undefined;
  /** `Uint8Array.fromHex`. */
  readonly fromHex: NativeFromHex | undefined;
  /** `Uint8Array.prototype.setFromHex`. */
  readonly setFromHex: NativeSetFromHex | undefined;
  /** The web's `atob`. */
  readonly atob: NativeAtob | undefined;
  /** Node's `Buffer` methods. */
  readonly buffer: NodeBufferMethods | undefined;
  /** Node's `Buffer` statics. */
  readonly bufferStatics: NodeBufferStatics | undefined;
  /** Bun's `Buffer` methods that the codecs use. */
  readonly bunBuffer: BunBufferMethods | undefined;
  /** Deno's `Buffer` methods that the codecs use. */
  readonly denoBuffer: DenoBufferMethods | undefined;
}

/** What this runtime has, captured at load (platform/natives.ts, platform/runtime.ts). */
export const RUNTIME_NATIVES: CodecNatives = {
  toBase64: NATIVE_TO_BASE64,
  setFromBase64: NATIVE_SET_FROM_BASE64,
  fromBase64: NATIVE_FROM_BASE64,
  toHex: NATIVE_TO_HEX,
  fromHex: NATIVE_FROM_HEX,
  setFromHex: NATIVE_SET_FROM_HEX,
  atob: NATIVE_ATOB,
  buffer: NODE_BUFFER,
  bufferStatics: NODE_BUFFER_STATICS,
  bunBuffer: BUN_BUFFER,
  denoBuffer: DENO_BUFFER,
};

/** No natives at all: what a browser without the built-ins runs (the portable JS core). */
export const NO_NATIVES: CodecNatives = {
  toBase64: undefined,
  setFromBase64: undefined,
  fromBase64: undefined,
  toHex: undefined,
  fromHex: undefined,
  setFromHex: undefined,
  atob: undefined,
  buffer: undefined,
  bufferStatics: undefined,
  bunBuffer: undefined,
  denoBuffer: undefined,
};

/**
 * A resolved codec set: every route decision of the base64/hex functions.
 * A `*JsMax` is in input units (chars to decode, bytes to encode); up to it
 * the JS core runs, above it the named backend. `Infinity`: always JS.
 */
export interface Codecs {
  /** The native decoder of `decodeBase64`/`decodeBase64Pooled`. */
  readonly decoder: NativeCodec;
  /** Under the `"buffer"` decoder: whether the built-in decodes what Buffer cannot prove valid. */
  readonly builtinFallback: boolean;
  /** `decodeBase64`: JS core up to this many chars. */
  readonly decodeJsMax: number;
  /** `decodeBase64` with default options: `atob` + `latin1Write` up to this many chars; -1: never. */
  readonly decodeAtobMax: number;
  /** `decodeBase64Into` with default options: `atob` + `latin1Write` up to this many chars. */
  readonly decodeIntoAtobMax: number;
  /** `atob`, for {@linkcode Codecs.decodeAtobMax}. */
  readonly atob: NativeAtob | undefined;
  /** The native decoder of `decodeBase64Into`. */
  readonly intoDecoder: NativeCodec;
  /** `decodeBase64Into`: JS core up to this many chars. */
  readonly decodeIntoJsMax: number;
  /** Whether native decoders write owned results into a slab range. */
  readonly nativeDecodeToSlab: boolean;
  /** The native base64 encoder. */
  readonly encoder: NativeCodec;
  /** `encodeBase64`: JS core up to this many bytes. */
  readonly encodeJsMax: number;
  /**
   * `encodeBase64Into` and the other into-memory encoders: JS core up to this
   * many bytes, above it {@linkcode Codecs.encoder}'s string, copied in.
   */
  readonly encodeIntoJsMax: number;
  /** Above this many bytes (and up to {@linkcode Codecs.encodeIntoJsBandMax}) the into-memory encoders go back to the JS core. */
  readonly encodeIntoJsBandMin: number;
  /** The top of the JS core's band above {@linkcode Codecs.encodeIntoJsBandMin}. */
  readonly encodeIntoJsBandMax: number;
  /** Whether the into-memory encoders take `toBase64` rather than {@linkcode Codecs.encoder}. */
  readonly encodeIntoBuiltin: boolean;
  /** Above this many bytes (and up to {@linkcode Codecs.encodeBuiltinMax}) `toBase64` encodes. */
  readonly encodeBuiltinMin: number;
  /** See {@linkcode Codecs.encodeBuiltinMin}. */
  readonly encodeBuiltinMax: number;
  /** The native hex decoder. */
  readonly hexDecoder: NativeCodec;
  /** `decodeHex`/`decodeHexInto`: JS loop up to this many chars. */
  readonly hexDecodeJsMax: number;
  /** The native hex encoder. */
  readonly hexEncoder: NativeCodec;
  /** `encodeHex`: JS loop up to this many bytes. */
  readonly hexEncodeJsMax: number;
  /** `encodeHex`: {@linkcode Codecs.shimHexSlice} above this many bytes; `Infinity`: never. */
  readonly hexEncodeShimSliceMin: number;
  /** The runtime's own `Buffer#hexSlice` (Bun's or Deno's), where the row takes it. */
  readonly shimHexSlice: NodeBufferMethods["hexSlice"] | undefined;
  /** `encodeBase64` with default options: {@linkcode Codecs.shimBase64Slice} above this many bytes. */
  readonly encodeShimSliceMin: number;
  /** Deno's own `Buffer#base64Slice`, where the row takes it. */
  readonly shimBase64Slice: NodeBufferMethods["base64Slice"] | undefined;
  /**
   * Whether a call without options goes straight to the built-in, which then
   * does the argument checks itself (the library's checks run only to word
   * the error): where the built-in wins at every size this saves their cost,
   * a third of a small call on JSC.
   */
  readonly encodeNativeFirst: boolean;
  /** See {@linkcode Codecs.encodeNativeFirst}; `decodeBase64Into`. */
  readonly intoNativeFirst: boolean;
  /** See {@linkcode Codecs.encodeNativeFirst}; `encodeHex`. */
  readonly hexEncodeNativeFirst: boolean;
  /** See {@linkcode Codecs.encodeNativeFirst}; `decodeHexInto`. */
  readonly hexIntoNativeFirst: boolean;
  /** The natives, for the backends. */
  readonly natives: CodecNatives;
  /**
   * Node's `latin1Write` for the JS core's block copies, or `undefined` (the
   * portable set copies with `TextEncoder.encodeInto`, as browsers do).
   */
  readonly latin1Write: NodeBufferMethods["latin1Write"] | undefined;
  /**
   * Copies a native encoder's string (ASCII) into memory with room for all of
   * it: Node's `latin1Write`, else Bun's, else `undefined` (`TextEncoder.encodeInto`).
   */
  readonly asciiWrite: NodeBufferMethods["latin1Write"] | undefined;
}

/** The row's choice, or `"none"` when the natives lack that call. */
function resolve(kind: NativeCodec, hasBuiltin: boolean, natives: CodecNatives): NativeCodec {
  if (kind === "builtin") return hasBuiltin ? "builtin" : "none";
  if (kind === "buffer") return natives.buffer !== undefined ? "buffer" : "none";
  return "none";
}

/** A `*JsMax` of the row, or "always JS" when there is no native call. */
function jsMax(codec: NativeCodec, max: number): number {
  return codec === "none" ? Infinity : max;
}

/**
 * Builds the codec set for a table row and a set of natives.
 *
 * @param row A base64/hex row of the table (any runtime's).
 * @param natives What may be called (default: what this runtime has).
 * @returns The resolved set; results are the same for every set, only the routes differ.
 */
export function createCodecs(
  row: Base64FastPaths,
  natives: CodecNatives = RUNTIME_NATIVES,
): Codecs {
  const hasBase64Decode = natives.fromBase64 !== undefined && natives.setFromBase64 !== undefined;
  const decoder = resolve(row.decoder, hasBase64Decode, natives);
  const intoDecoder = resolve(row.intoDecoder, natives.setFromBase64 !== undefined, natives);
  const encoder = resolve(row.encoder, natives.toBase64 !== undefined, natives);
  const hexDecoder = resolve(
    row.hexDecoder,
    natives.fromHex !== undefined && natives.setFromHex !== undefined,
    natives,
  );
  const hexEncoder = resolve(row.hexEncoder, natives.toHex !== undefined, natives);
  const band = natives.toBase64 !== undefined && encoder !== "none"
    ? row.encodeBuiltinBand
    : [0, 0] as const;
  const decodeIntoJsMax = jsMax(intoDecoder, row.decodeIntoJsMax);
  const encodeJsMax = jsMax(encoder, row.encodeJsMax);
  const hexDecodeJsMax = jsMax(hexDecoder, row.hexDecodeJsMax);
  const hexEncodeJsMax = jsMax(hexEncoder, row.hexEncodeJsMax);
  const shimHexSlice = row.hexEncodeShimSliceMin < Infinity
    ? (natives.bunBuffer ?? natives.denoBuffer)?.hexSlice
    : undefined;
  const shimBase64Slice = row.encodeShimSliceMin < Infinity
    ? natives.denoBuffer?.base64Slice
    : undefined;
  return {
    decoder,
    builtinFallback: decoder === "buffer" && hasBase64Decode,
    decodeJsMax: jsMax(decoder, row.decodeJsMax),
    // -1, not 0, when off: the empty string must not take this route.
    decodeAtobMax: natives.atob !== undefined && natives.buffer !== undefined &&
        row.decodeAtobMax > 0
      ? row.decodeAtobMax
      : -1,
    decodeIntoAtobMax: natives.atob !== undefined && natives.buffer !== undefined &&
        row.decodeIntoAtobMax > 0
      ? row.decodeIntoAtobMax
      : -1,
    atob: natives.atob,
    intoDecoder,
    decodeIntoJsMax,
    nativeDecodeToSlab: row.nativeDecodeToSlab,
    encoder,
    encodeJsMax,
    encodeIntoJsMax: jsMax(encoder, row.encodeIntoJsMax),
    encodeIntoJsBandMin: row.encodeIntoJsBand[0],
    encodeIntoJsBandMax: row.encodeIntoJsBand[1],
    encodeIntoBuiltin: row.encodeIntoBuiltin && encoder !== "none" &&
      natives.toBase64 !== undefined,
    encodeBuiltinMin: band[0],
    encodeBuiltinMax: band[1],
    hexDecoder,
    hexDecodeJsMax,
    hexEncoder,
    hexEncodeJsMax,
    hexEncodeShimSliceMin: shimHexSlice !== undefined ? row.hexEncodeShimSliceMin : Infinity,
    shimHexSlice,
    encodeShimSliceMin: shimBase64Slice !== undefined ? row.encodeShimSliceMin : Infinity,
    shimBase64Slice,
    encodeNativeFirst: encoder === "builtin" && encodeJsMax <= 0,
    intoNativeFirst: intoDecoder === "builtin" && decodeIntoJsMax <= 0,
    hexEncodeNativeFirst: hexEncoder === "builtin" && hexEncodeJsMax <= 0,
    hexIntoNativeFirst: hexDecoder === "builtin" && hexDecodeJsMax <= 0,
    natives,
    latin1Write: natives.buffer?.latin1Write,
    asciiWrite: natives.buffer?.latin1Write ?? natives.bunBuffer?.latin1Write,
  };
}

/** This runtime's codec set: its row of the table, its natives. */
export const CODECS: Codecs = createCodecs(FAST_PATHS.base64, RUNTIME_NATIVES);

/** The portable set: the JS core at every size, no native call (what browsers without the built-ins run). */
export const JS_CODECS: Codecs = createCodecs(FAST_PATHS.base64, NO_NATIVES);

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
