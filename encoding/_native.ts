/**
 * Typed handles on the native base64/hex methods of the TC39 proposal, when
 * the runtime has them (Deno 2.9, Bun 1.4, Node 26).
 *
 * @module
 */

/** `Uint8Array.prototype.toBase64`. */
export type NativeToBase64 = (
  this: Uint8Array,
  options?: { alphabet?: string; omitPadding?: boolean },
) => string;
/** `Uint8Array.prototype.setFromBase64`. */
export type NativeSetFromBase64 = (
  this: Uint8Array,
  text: string,
  options?: { alphabet?: string; lastChunkHandling?: string },
) => { read: number; written: number };
/** `Uint8Array.fromBase64`. */
export type NativeFromBase64 = (
  text: string,
  options?: { alphabet?: string; lastChunkHandling?: string },
) => Uint8Array;
/** `Uint8Array.prototype.toHex`. */
export type NativeToHex = (this: Uint8Array) => string;

const proto = Uint8Array.prototype as unknown as Record<string, unknown>;
const ctor = Uint8Array as unknown as Record<string, unknown>;

/** Native `toBase64`, if present. */
export const NATIVE_TO_BASE64: NativeToBase64 | undefined = typeof proto.toBase64 === "function"
  ? proto.toBase64 as NativeToBase64
  : undefined;
/** Native `setFromBase64`, if present. */
export const NATIVE_SET_FROM_BASE64: NativeSetFromBase64 | undefined =
  typeof proto.setFromBase64 === "function"
    ? proto.setFromBase64 as NativeSetFromBase64
    : undefined;
/** Native `fromBase64`, if present. */
export const NATIVE_FROM_BASE64: NativeFromBase64 | undefined =
  typeof ctor.fromBase64 === "function" ? ctor.fromBase64 as NativeFromBase64 : undefined;
/** `Uint8Array`, typed with the proposal's static methods, to call them unbound. */
export const NATIVE_UINT8ARRAY: { fromBase64: NativeFromBase64 } = Uint8Array as unknown as {
  fromBase64: NativeFromBase64;
};
/** Native `toHex`, if present. */
export const NATIVE_TO_HEX: NativeToHex | undefined = typeof proto.toHex === "function"
  ? proto.toHex as NativeToHex
  : undefined;

/**
 * Encode option objects for each flag combination (bit 0 url, bit 1 omit);
 * the default is undefined, which skips the engine's option lookups.
 */
export const ENCODE_OPTIONS: ReadonlyArray<
  { alphabet: string; omitPadding: boolean } | undefined
> = [
  undefined,
  { alphabet: "base64url", omitPadding: false },
  { alphabet: "base64", omitPadding: true },
  { alphabet: "base64url", omitPadding: true },
];

/** Decode option objects per flag combination (bit 0 url, bits 1-2 mode). */
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
