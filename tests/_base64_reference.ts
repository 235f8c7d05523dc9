/**
 * A literal, slow transcription of the TC39 proposal's FromBase64 abstract
 * operation, used as the oracle where engines disagree with the spec.
 *
 * @module
 */

/** The outcome of FromBase64: bytes decoded, chars read, and whether it failed. */
export interface ReferenceResult {
  /** Chars read (up to the end of the last complete chunk). */
  read: number;
  /** Bytes decoded before any error. */
  bytes: number[];
  /** True if the spec throws a SyntaxError. */
  error: boolean;
}

const STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function skipWhitespace(text: string, index: number): number {
  while (index < text.length && "\t\n\f\r ".includes(text[index])) index++;
  return index;
}

function decodeChunk(chunk: string, throwOnExtraBits: boolean): number[] | undefined {
  const length = chunk.length;
  const padded = length === 2 ? chunk + "AA" : length === 3 ? chunk + "A" : chunk;
  const v = (STANDARD.indexOf(padded[0]) << 18) | (STANDARD.indexOf(padded[1]) << 12) |
    (STANDARD.indexOf(padded[2]) << 6) | STANDARD.indexOf(padded[3]);
  const bytes = [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  if (length === 2) {
    if (throwOnExtraBits && bytes[1] !== 0) return undefined;
    return [bytes[0]];
  }
  if (length === 3) {
    if (throwOnExtraBits && bytes[2] !== 0) return undefined;
    return [bytes[0], bytes[1]];
  }
  return bytes;
}

/** FromBase64(string, alphabet, lastChunkHandling, maxLength), step by step. */
export function referenceFromBase64(
  text: string,
  alphabet: "base64" | "base64url",
  lastChunkHandling: "loose" | "strict" | "stop-before-partial",
  maxLength: number = Number.MAX_SAFE_INTEGER,
): ReferenceResult {
  if (maxLength === 0) return { read: 0, bytes: [], error: false };
  let read = 0;
  const bytes: number[] = [];
  let chunk = "";
  let index = 0;
  const length = text.length;
  const fail = (): ReferenceResult => ({ read, bytes, error: true });
  for (;;) {
    index = skipWhitespace(text, index);
    if (index === length) {
      if (chunk.length > 0) {
        if (lastChunkHandling === "stop-before-partial") return { read, bytes, error: false };
        if (lastChunkHandling === "loose") {
          if (chunk.length === 1) return fail();
          bytes.push(...decodeChunk(chunk, false)!);
        } else {
          return fail();
        }
      }
      return { read: length, bytes, error: false };
    }
    let char = text[index];
    index++;
    if (char === "=") {
      if (chunk.length < 2) return fail();
      index = skipWhitespace(text, index);
      if (chunk.length === 2) {
        if (index === length) {
          if (lastChunkHandling === "stop-before-partial") return { read, bytes, error: false };
          return fail();
        }
        if (text[index] === "=") index = skipWhitespace(text, index + 1);
      }
      if (index < length) return fail();
      const decoded = decodeChunk(chunk, lastChunkHandling === "strict");
      if (decoded === undefined) return fail();
      bytes.push(...decoded);
      return { read: length, bytes, error: false };
    }
    if (alphabet === "base64url") {
      if (char === "+" || char === "/") return fail();
      if (char === "-") char = "+";
      else if (char === "_") char = "/";
    }
    if (!STANDARD.includes(char)) return fail();
    const remaining = maxLength - bytes.length;
    if ((remaining === 1 && chunk.length === 2) || (remaining === 2 && chunk.length === 3)) {
      return { read, bytes, error: false };
    }
    chunk += char;
    if (chunk.length === 4) {
      bytes.push(...decodeChunk(chunk, false)!);
      chunk = "";
      read = index;
      if (bytes.length === maxLength) return { read, bytes, error: false };
    }
  }
}
