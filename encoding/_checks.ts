/**
 * Argument checks shared by the base64 and hex functions, in the TC39
 * proposal's terms: a brand check for Uint8Array arguments, a type check for
 * strings, and a detached-buffer check that runs after the options are read
 * (a getter may detach the buffer).
 *
 * @module
 */
import { IS_DETACHED, TYPED_ARRAY_TAG } from "../platform/natives.ts";

/** TypeError unless `value` is a real Uint8Array (the spec's ValidateUint8Array). */
export function checkBytes(value: unknown, what: string, name: string): void {
  if (isUint8ArrayFast(value)) return;
  if (TYPED_ARRAY_TAG.call(value) !== "Uint8Array") {
    throw new TypeError(`Cannot ${what}: ${name} must be a Uint8Array, got ${describe(value)}`);
  }
}

/**
 * The fast accept of {@linkcode checkBytes} (the exact getter call costs ~20%
 * of a 64-byte encode on V8): a view that inherits from Uint8Array.prototype,
 * one byte per element. That rules out `Object.create(Uint8Array.prototype)`
 * and a DataView, and a non-empty view of another type given Uint8Array's
 * prototype. `false` proves nothing: {@linkcode checkBytes} then decides.
 */
export function isUint8ArrayFast(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && ArrayBuffer.isView(value) &&
    value.byteLength === value.length;
}

/** TypeError unless `value` is a string (no coercion: the spec calls no toString). */
export function checkString(value: unknown, what: string): void {
  if (typeof value !== "string") {
    throw new TypeError(`Cannot ${what}: input must be a string, got ${describe(value)}`);
  }
}

/**
 * TypeError if the buffer under `bytes` is detached. A detached view has
 * length 0, so only empty views pay for the look-up.
 */
export function checkAttached(bytes: Uint8Array, what: string, name: string): void {
  if (bytes.length === 0 && isDetachedView(bytes)) {
    throw new TypeError(`Cannot ${what}: the buffer of ${name} is detached`);
  }
}

function isDetachedView(bytes: Uint8Array): boolean {
  const buffer = bytes.buffer;
  // A SharedArrayBuffer cannot be detached (and the getter rejects it).
  return buffer instanceof ArrayBuffer && IS_DETACHED(buffer);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object" || typeof value === "function") {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" ? name : typeof value;
  }
  return typeof value;
}
