/**
 * Lookup tables for the pure-JS base64 core, one set per alphabet.
 *
 * @module
 */

/** The two alphabets of the TC39 proposal. */
export type Base64Alphabet = "base64" | "base64url";

/** Precomputed tables for one alphabet. */
export interface Base64Tables {
  /** 6-bit value to ASCII code. */
  readonly chars: Uint8Array;
  /** Offset of this alphabet in the encoder's word tables (0 or 4096). */
  readonly encodeBase: number;
  /** ASCII code to value << 18, or -1 when not in the alphabet (256 entries). */
  readonly d0: Int32Array;
  /** ASCII code to value << 12, or -1. */
  readonly d1: Int32Array;
  /** ASCII code to value << 6, or -1. */
  readonly d2: Int32Array;
  /** ASCII code to value, or -1. */
  readonly d3: Int32Array;
  /** The alphabet itself. */
  readonly alphabet: string;
  /** Two-char tables for the word-at-a-time decoder, built on first use. */
  pairs?: DecodePairTables;
}

/**
 * Two ASCII chars (c0 | c1 << 8) to their 12 bits already placed as output
 * bytes in little-endian order, or -1. 256 KiB each: built only when a long
 * input is decoded, because they halve the lookups per chunk.
 */
export interface DecodePairTables {
  /** First two chars of a chunk: byte 0, and the high nibble of byte 1. */
  readonly first: Int32Array;
  /** Last two chars of a chunk: the low bits of byte 1, and byte 2. */
  readonly second: Int32Array;
}

/** The pair tables of `tables`, built once. */
export function decodePairTables(tables: Base64Tables): DecodePairTables {
  if (tables.pairs !== undefined) return tables.pairs;
  const first = new Int32Array(65536).fill(-1);
  const second = new Int32Array(65536).fill(-1);
  const chars = tables.chars;
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      const key = chars[i] | (chars[j] << 8);
      first[key] = ((i << 2) | (j >>> 4)) | ((j & 15) << 12);
      second[key] = ((i >>> 2) << 8) | ((((i & 3) << 6) | j) << 16);
    }
  }
  return tables.pairs = { first, second };
}

function buildTables(alphabet: string, encodeBase: number): Base64Tables {
  const chars = new Uint8Array(64);
  for (let i = 0; i < 64; i++) chars[i] = alphabet.charCodeAt(i);
  const d0 = new Int32Array(256).fill(-1);
  const d1 = new Int32Array(256).fill(-1);
  const d2 = new Int32Array(256).fill(-1);
  const d3 = new Int32Array(256).fill(-1);
  for (let i = 0; i < 64; i++) {
    const c = chars[i];
    d0[c] = i << 18;
    d1[c] = i << 12;
    d2[c] = i << 6;
    d3[c] = i;
  }
  return { chars, encodeBase, d0, d1, d2, d3, alphabet };
}

const UPPER_LOWER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Tables for the standard alphabet (RFC 4648 §4). */
export const STANDARD_TABLES: Base64Tables = buildTables(
  UPPER_LOWER_DIGITS + "+/",
  0,
);

/** Tables for the URL-safe alphabet (RFC 4648 §5). */
export const URL_TABLES: Base64Tables = buildTables(
  UPPER_LOWER_DIGITS + "-_",
  4096,
);
