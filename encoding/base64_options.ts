/**
 * Options of the base64 functions, validated as the TC39 proposal does.
 *
 * @module
 */
import type { Base64Alphabet } from "./_base64_tables.ts";

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

/** Decode modes as small integers, so the hot loops compare numbers. */
export const LOOSE = 0;
/** See {@link LOOSE}. */
export const STRICT = 1;
/** See {@link LOOSE}. */
export const STOP_BEFORE_PARTIAL = 2;

function optionsObject(options: unknown, what: string): object | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `Cannot ${what}: options must be an object, got ${
        options === null ? "null" : typeof options
      }`,
    );
  }
  return options;
}

/** Reads `alphabet`; true means base64url. */
export function readAlphabet(options: object | undefined, what: string): boolean {
  const alphabet = options === undefined ? undefined : (options as Base64EncodeOptions).alphabet;
  if (alphabet === undefined || alphabet === "base64") return false;
  if (alphabet === "base64url") return true;
  throw new TypeError(
    `Cannot ${what}: alphabet must be "base64" or "base64url", got ${
      typeof alphabet === "string" ? `"${alphabet}"` : typeof alphabet
    }`,
  );
}

/** Validates encode options; returns flags: bit 0 = url, bit 1 = omit padding. */
export function readEncodeOptions(options: unknown): number {
  const what = "encode base64";
  const object = optionsObject(options, what);
  const url = readAlphabet(object, what);
  const omit = object !== undefined &&
    Boolean((object as Base64EncodeOptions).omitPadding);
  return (url ? 1 : 0) | (omit ? 2 : 0);
}

/** Validates decode options; returns flags: bit 0 = url, bits 1-2 = mode. */
export function readDecodeOptions(options: unknown): number {
  const what = "decode base64";
  const object = optionsObject(options, what);
  const url = readAlphabet(object, what);
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
  return (url ? 1 : 0) | (mode << 1);
}

/** TypeError unless `value` is a Uint8Array. */
export function checkBytes(value: unknown, what: string, name: string): void {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(
      `Cannot ${what}: ${name} must be a Uint8Array, got ${describe(value)}`,
    );
  }
}

/** TypeError unless `value` is a string. */
export function checkString(value: unknown, what: string): void {
  if (typeof value !== "string") {
    throw new TypeError(
      `Cannot ${what}: input must be a string, got ${describe(value)}`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object" || typeof value === "function") {
    return (value as object).constructor?.name ?? typeof value;
  }
  return typeof value;
}
