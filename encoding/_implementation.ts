/**
 * The internal switch that forces the portable pure-JS base64/hex core on
 * every runtime, for tests and benchmarks only: it is not exported from any
 * entry point. Tests and benches import it by path
 * (`encoding/_implementation.ts`) to exercise the code that browsers and edge
 * runtimes run. Results are identical either way; only the paths differ.
 *
 * @module
 */

/** `"auto"`: the measured fastest path (native where it wins); `"js"`: the portable core only. */
export type Base64Implementation = "auto" | "js";

/**
 * Whether native calls (TC39 built-ins, Node's `Buffer`) may be used. A
 * field of a constant object, read by the encoders on each call, so that the
 * switch needs no `export let`.
 */
export const NATIVE_PATHS: { allowed: boolean } = { allowed: true };

/**
 * Forces the portable pure-JS core (`"js"`) for every base64 and hex function,
 * or restores the default (`"auto"`). Process-wide: restore it in a `finally`.
 *
 * @param implementation `"auto"` or `"js"`.
 * @throws {TypeError} If `implementation` is neither.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeBase64 } from "./mod.ts";
 * import { setBase64Implementation } from "./_implementation.ts";
 *
 * setBase64Implementation("js");
 * try {
 *   assert.equal(encodeBase64(new Uint8Array([1, 2, 3])), "AQID");
 * } finally {
 *   setBase64Implementation("auto");
 * }
 * ```
 */
export function setBase64Implementation(implementation: Base64Implementation): void {
  if (implementation !== "auto" && implementation !== "js") {
    throw new TypeError(
      `Cannot set base64 implementation: expected "auto" or "js", got ${
        typeof implementation === "string" ? `"${implementation}"` : typeof implementation
      }`,
    );
  }
  NATIVE_PATHS.allowed = implementation === "auto";
}

/**
 * The implementation in effect.
 *
 * @returns `"auto"` or `"js"`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getBase64Implementation } from "./_implementation.ts";
 *
 * assert.equal(getBase64Implementation(), "auto");
 * ```
 */
export function getBase64Implementation(): Base64Implementation {
  return NATIVE_PATHS.allowed ? "auto" : "js";
}
