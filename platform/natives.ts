/**
 * The runtime's TC39 `Uint8Array` base64/hex built-ins, captured once at
 * module load (Deno 2.9, Bun 1.4 and Node 26 have them; Node 24 does not).
 * Captured, not looked up per call: a user who later installs our functions
 * as a polyfill, or replaces a global, changes neither our results nor our
 * paths (and cannot make us call ourselves). Internal.
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
/** `Uint8Array.fromBase64`, called with `this` = `Uint8Array`. */
export type NativeFromBase64 = (
  this: unknown,
  text: string,
  options?: { alphabet?: string; lastChunkHandling?: string },
) => Uint8Array;
/** `Uint8Array.prototype.toHex`. */
export type NativeToHex = (this: Uint8Array) => string;
/** `Uint8Array.fromHex`, called with `this` = `Uint8Array`. */
export type NativeFromHex = (this: unknown, text: string) => Uint8Array;
/** `Uint8Array.prototype.setFromHex`. */
export type NativeSetFromHex = (
  this: Uint8Array,
  text: string,
) => { read: number; written: number };

const proto = Uint8Array.prototype as unknown as Record<string, unknown>;
const ctor = Uint8Array as unknown as Record<string, unknown>;

function captured<T>(holder: Record<string, unknown>, name: string): T | undefined {
  const value = holder[name];
  return typeof value === "function" ? value as T : undefined;
}

/** Native `toBase64`, if present. */
export const NATIVE_TO_BASE64: NativeToBase64 | undefined = captured(proto, "toBase64");
/** Native `setFromBase64`, if present. */
export const NATIVE_SET_FROM_BASE64: NativeSetFromBase64 | undefined = captured(
  proto,
  "setFromBase64",
);
/** Native `fromBase64`, if present; call it as `NATIVE_FROM_BASE64.call(Uint8Array, …)`. */
export const NATIVE_FROM_BASE64: NativeFromBase64 | undefined = captured(ctor, "fromBase64");
/** Native `toHex`, if present. */
export const NATIVE_TO_HEX: NativeToHex | undefined = captured(proto, "toHex");
/** Native `fromHex`, if present; call it as `NATIVE_FROM_HEX.call(Uint8Array, …)`. */
export const NATIVE_FROM_HEX: NativeFromHex | undefined = captured(ctor, "fromHex");
/** Native `setFromHex`, if present. */
export const NATIVE_SET_FROM_HEX: NativeSetFromHex | undefined = captured(proto, "setFromHex");
/** The web's `atob`: a Latin-1 string of the bytes; forgiving-base64, which is TC39's loose mode. */
export type NativeAtob = (text: string) => string;
/** Native `atob`, if present. */
export const NATIVE_ATOB: NativeAtob | undefined = captured(
  globalThis as unknown as Record<string, unknown>,
  "atob",
);

/**
 * `%TypedArray%.prototype[Symbol.toStringTag]`'s getter: the spec's brand
 * check, side-effect free. It answers `"Uint8Array"` only for a real
 * Uint8Array (a Node `Buffer` included), unlike `instanceof`, which an object
 * made with `Object.create(Uint8Array.prototype)` passes.
 */
export const TYPED_ARRAY_TAG: (this: unknown) => string | undefined = (() => {
  const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
  const getter = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag)?.get;
  return typeof getter === "function"
    ? getter as (this: unknown) => string | undefined
    : function (this: unknown): string | undefined {
      return this instanceof Uint8Array ? "Uint8Array" : undefined;
    };
})();

/**
 * Whether an `ArrayBuffer` is detached: the `ArrayBuffer.prototype.detached`
 * getter where the runtime has it (all supported ones do), else a probe
 * (creating a view of a detached buffer throws).
 */
export const IS_DETACHED: (buffer: ArrayBuffer) => boolean = (() => {
  const getter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "detached")?.get;
  if (typeof getter === "function") {
    return (buffer: ArrayBuffer) => getter.call(buffer) as boolean;
  }
  return (buffer: ArrayBuffer) => {
    try {
      new Uint8Array(buffer);
      return false;
    } catch {
      return true;
    }
  };
})();
