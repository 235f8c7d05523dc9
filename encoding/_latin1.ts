/**
 * A cheap proof that a string is Latin-1.
 *
 * @module
 */

/**
 * Matches any char above 0xff. On a one-byte (Latin-1) string V8 answers
 * without scanning, so this proves cheaply that `latin1Write` (which keeps
 * only the low byte of each char) copies a string exactly.
 */
export const NON_LATIN1: RegExp = /[\u0100-\uffff]/;
