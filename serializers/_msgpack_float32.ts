/**
 * Float32 decisions shared by the MessagePack encoder and decoder: the modes
 * of `preferFloat32`/`useFloat32`, and msgpackr's decimal rounding (its
 * `mult10` table: for each float32 exponent, the power of ten that keeps the
 * about 7 decimal digits a float32 holds). Internal to the serializers.
 *
 * @module
 */

/** Non-integers are written as float64. */
export const FLOAT32_NEVER = 0;
/** `preferFloat32`: float32 when it holds the value exactly. */
export const FLOAT32_EXACT = 1;
/** `useFloat32: "always"`. */
export const FLOAT32_ALWAYS = 2;
/** `useFloat32: "decimalRound"`: as always; decoding rounds. */
export const FLOAT32_DECIMAL_ROUND = 3;
/** `useFloat32: "decimalFit"`: float32 only when decimal rounding restores the value; decoding rounds. */
export const FLOAT32_DECIMAL_FIT = 4;

/** 10^k per float32 biased exponent (msgpackr's `mult10`: k = floor(45.15 - 0.30103 × exponent)). */
const MULTIPLIERS: Float64Array = (() => {
  const table = new Float64Array(256);
  for (let i = 0; i < 256; i++) table[i] = Number(`1e${Math.floor(45.15 - i * 0.30103)}`);
  return table;
})();

/** The decimal multiplier for a float32 whose big-endian first two bytes are `b0`, `b1`. */
export function decimalMultiplier(b0: number, b1: number): number {
  return MULTIPLIERS[((b0 & 0x7f) << 1) | (b1 >> 7)];
}

/**
 * A float32 rounded to the decimal digits float32 holds, as msgpackr's
 * decoder does under its decimal modes. NaN and ±Infinity (exponent 255)
 * stay as they are, where msgpackr gives 0.
 */
export function roundFloat32(value: number, b0: number, b1: number): number {
  if ((b0 & 0x7f) === 0x7f && b1 >= 0x80) return value;
  const multiplier = decimalMultiplier(b0, b1);
  return ((multiplier * value + (value > 0 ? 0.5 : -0.5)) >> 0) / multiplier;
}
