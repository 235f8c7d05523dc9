/**
 * Options of the base64 functions, read and validated as the TC39 proposal
 * does (`alphabet` first, then `omitPadding` or `lastChunkHandling`, each
 * read once, no string coercion), and packed into a small integer so that
 * the hot paths compare numbers.
 *
 * @module
 */
import { STANDARD_TABLES, URL_TABLES } from "./_base64_tables.ts";
import type { Base64Alphabet, Base64Tables } from "./_base64_tables.ts";

export type { Base64Alphabet } from "./_base64_tables.ts";

/**
 * What to do with a final chunk of fewer than four characters, as in the
 * TC39 proposal: `"loose"` decodes it (padding optional, extra bits ignored),
 * `"strict"` requires canonical padding and zero padding bits, and
 * `"stop-before-partial"` stops before it and reports how far it read.
 */
export type LastChunkHandling = "loose" | "strict" | "stop-before-partial";

/** Options of the base64 encoders. */
export interface Base64EncodeOptions {
  /** `"base64"` (default, `+/`) or `"base64url"` (`-_`). */
  alphabet?: Base64Alphabet;
  /** Leave out the trailing `=` padding (default false). */
  omitPadding?: boolean;
}

/** Options of the base64 decoders. */
export interface Base64DecodeOptions {
  /** `"base64"` (default, `+/`) or `"base64url"` (`-_`). */
  alphabet?: Base64Alphabet;
  /** How to treat the final chunk (default `"loose"`). */
  lastChunkHandling?: LastChunkHandling;
}

/** Decode modes as small integers. */
export const LOOSE = 0;
/** See {@link LOOSE}. */
export const STRICT = 1;
/** See {@link LOOSE}. */
export const STOP_BEFORE_PARTIAL = 2;

/** Option flags (encode and decode): the base64url alphabet. */
export const URL_ALPHABET = 1;
/** Encode option flag: leave out the padding. */
export const OMIT_PADDING = 2;
/** Decode option flags: the mode ({@link LOOSE}, …) sits above the alphabet bit. */
const MODE_SHIFT = 1;
/** The flags of `undefined` options: standard alphabet, padded, loose. */
export const DEFAULT_FLAGS = 0;

/** The decode tables of the alphabet in `flags`. */
export function tablesOf(flags: number): Base64Tables {
  return (flags & URL_ALPHABET) === 0 ? STANDARD_TABLES : URL_TABLES;
}

/** Whether `flags` ask for padding (encode). */
export function padsOutput(flags: number): boolean {
  return (flags & OMIT_PADDING) === 0;
}

/** The decode mode in `flags`. */
export function modeOf(flags: number): number {
  return flags >>> MODE_SHIFT;
}

/** The spec's GetOptionsObject: undefined, or any object (functions too). */
function optionsObject(options: unknown, what: string): object | undefined {
  if (options === undefined) return undefined;
  if (options === null || (typeof options !== "object" && typeof options !== "function")) {
    throw new TypeError(
      `Cannot ${what}: options must be an object, got ${
        options === null ? "null" : typeof options
      }`,
    );
  }
  return options as object;
}

/** Reads `alphabet` once; returns the {@link URL_ALPHABET} flag or 0. */
function readAlphabet(options: object | undefined, what: string): number {
  const alphabet = options === undefined ? undefined : (options as Base64EncodeOptions).alphabet;
  if (alphabet === undefined || alphabet === "base64") return 0;
  if (alphabet === "base64url") return URL_ALPHABET;
  throw new TypeError(
    `Cannot ${what}: alphabet must be "base64" or "base64url", got ${
      typeof alphabet === "string" ? `"${alphabet}"` : typeof alphabet
    }`,
  );
}

/** Reads encode options (`alphabet`, then `omitPadding`); returns their flags. */
export function readEncodeOptions(options: unknown): number {
  const what = "encode base64";
  const object = optionsObject(options, what);
  const alphabet = readAlphabet(object, what);
  const omit = object !== undefined && Boolean((object as Base64EncodeOptions).omitPadding);
  return alphabet | (omit ? OMIT_PADDING : 0);
}

/** Reads decode options (`alphabet`, then `lastChunkHandling`); returns their flags. */
export function readDecodeOptions(options: unknown): number {
  const what = "decode base64";
  const object = optionsObject(options, what);
  const alphabet = readAlphabet(object, what);
  const handling = object === undefined
    ? undefined
    : (object as Base64DecodeOptions).lastChunkHandling;
  let mode: number;
  if (handling === undefined || handling === "loose") mode = LOOSE;
  else if (handling === "strict") mode = STRICT;
  else if (handling === "stop-before-partial") mode = STOP_BEFORE_PARTIAL;
  else {
    throw new TypeError(
      `Cannot ${what}: lastChunkHandling must be "loose", "strict" or "stop-before-partial", got ${
        typeof handling === "string" ? `"${handling}"` : typeof handling
      }`,
    );
  }
  return alphabet | (mode << MODE_SHIFT);
}

/** The alphabet name of `flags`, for building option objects. */
export function alphabetOf(flags: number): Base64Alphabet {
  return (flags & URL_ALPHABET) === 0 ? "base64" : "base64url";
}

/** The `lastChunkHandling` name of `flags`. */
export function lastChunkHandlingOf(flags: number): LastChunkHandling {
  const mode = modeOf(flags);
  return mode === LOOSE ? "loose" : mode === STRICT ? "strict" : "stop-before-partial";
}

/** What `decodeBase64Into` consumed and produced. */
export interface Base64DecodeResult {
  /** Characters of the input consumed (up to the end of the last chunk decoded). */
  read: number;
  /** Bytes written into the destination. */
  written: number;
}
