/**
 * The switch between the native base64 calls and the pure-JS core.
 *
 * @module
 */

/**
 * Which base64 paths to use: `"auto"` dispatches to a native call
 * (`Uint8Array.prototype.toBase64`/`setFromBase64`, `Uint8Array.fromBase64`,
 * Node's `Buffer`) where it is faster and gives identical results; `"js"`
 * forces the portable pure-JS core everywhere.
 */
export type Base64Implementation = "auto" | "js";

/** Whether native dispatch is allowed (live binding read by the encoders). */
export let nativeBase64Allowed = true;

/**
 * Chooses the base64 implementation for every base64 and hex function of this
 * module. Meant for tests and benchmarks that must exercise the pure-JS core
 * on runtimes that have native calls; results are identical either way.
 *
 * @param implementation `"auto"` (the default) or `"js"`.
 * @throws {TypeError} If `implementation` is neither.
 * @example Force the pure-JS core, then restore the default
 * ```ts
 * import { encodeBase64, setBase64Implementation } from "@catga/memory/encoding";
 *
 * setBase64Implementation("js");
 * console.log(encodeBase64(new Uint8Array([1, 2, 3]))); // "AQID"
 * setBase64Implementation("auto");
 * ```
 */
export function setBase64Implementation(
  implementation: Base64Implementation,
): void {
  if (implementation !== "auto" && implementation !== "js") {
    throw new TypeError(
      `Cannot set base64 implementation: expected "auto" or "js", got ${
        typeof implementation === "string" ? `"${implementation}"` : typeof implementation
      }`,
    );
  }
  nativeBase64Allowed = implementation === "auto";
}

/**
 * Tells which base64 implementation is in effect.
 *
 * @returns `"auto"` or `"js"`.
 * @example
 * ```ts
 * import { getBase64Implementation } from "@catga/memory/encoding";
 *
 * console.log(getBase64Implementation()); // "auto"
 * ```
 */
export function getBase64Implementation(): Base64Implementation {
  return nativeBase64Allowed ? "auto" : "js";
}
