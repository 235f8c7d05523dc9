/**
 * The one validation of a requested buffer length, shared by the pool, the
 * writer and the object-array pool (its own module so that none of them
 * imports another for it).
 *
 * @module
 */

/** Lengths above this are not valid buffer lengths for the pool (2^31 - 1). */
export const MAX_LENGTH = 0x7fffffff;

/**
 * Checks a requested buffer length. The message names the operation, e.g.
 * "Cannot rent buffer: length must be …" or "Cannot allocate bytes: …".
 *
 * @param length The value to check.
 * @param action What was being done, after "Cannot ". Default "rent buffer".
 * @param name What the value is called in the message. Default "length".
 * @throws {TypeError} When `length` is not a number.
 * @throws {RangeError} When `length` is not an integer in [0, 2^31).
 */
export function checkLength(length: number, action = "rent buffer", name = "length"): void {
  if (typeof length !== "number") {
    throw new TypeError(`Cannot ${action}: ${name} must be a number, got ${typeof length}`);
  }
  if (!Number.isInteger(length) || length < 0 || length > MAX_LENGTH) {
    throw new RangeError(
      `Cannot ${action}: ${name} must be an integer from 0 to ${MAX_LENGTH}, got ${String(length)}`,
    );
  }
}
