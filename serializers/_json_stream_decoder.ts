/**
 * The incremental NDJSON decoder behind `JsonSerializer`'s
 * `createStreamDecoder`, `deserializeStream` and `deserializeSequence`: one
 * JSON text per line, `"\n"` or `"\r\n"` line ends, blank lines skipped, and a
 * byte order mark at the start of the stream ignored.
 *
 * The complete lines of a chunk are decoded from UTF-8 in one call and parsed
 * one by one; only the unfinished last line is copied, into a carry buffer.
 * The last line of a stream may go without its `"\n"`, unless it is a bare
 * number: a stream cut inside `1234` would end with a valid `12`, and nothing
 * may be lost silently.
 *
 * @module
 */
import { decodeUtf8, utf8ByteLength } from "../encoding/mod.ts";
import { findJsonSyntaxIssue } from "./_json_syntax.ts";
import { chunkBytes, failedBefore, overBuffered } from "./_stream_chunk.ts";
import type { StreamDecoder } from "./types.ts";

const WHAT = "NDJSON";
const NEWLINE = 0x0a;
const EMPTY = new Uint8Array(0);
/** A carry buffer grown past this by one long line is dropped afterwards, not kept. */
const MAX_RETAINED_CARRY = 64 * 1024;

/** A `JSON.parse` reviver. */
type Reviver = (this: unknown, key: string, value: unknown) => unknown;

/** See the module doc. One per stream. */
export class JsonStreamDecoder<T> implements StreamDecoder<T> {
  readonly #reviver: Reviver | undefined;
  readonly #maxBuffered: number;
  /** The stream offset of the next chunk's first byte. */
  #offset = 0;
  /** The number (from 1) of the line that starts next (or is carried). */
  #line = 1;
  /** The unfinished line's bytes. */
  #carry: Uint8Array = EMPTY;
  #carried = 0;
  /** The stream offset of the carried line's first byte. */
  #carryStart = 0;
  #failed = false;
  #busy = false;

  constructor(reviver: Reviver | undefined, maxBuffered: number) {
    this.#reviver = reviver;
    this.#maxBuffered = maxBuffered;
  }

  get offset(): number {
    return this.#offset;
  }

  get bufferedBytes(): number {
    return this.#carried;
  }

  push(chunk: ArrayBufferView | ArrayBuffer, into: T[] = []): T[] {
    if (this.#failed || this.#busy) throw failedBefore(WHAT);
    const bytes = chunkBytes(chunk, WHAT);
    this.#busy = true;
    try {
      this.#push(bytes, into);
      this.#offset += bytes.length;
    } catch (error) {
      this.#failed = true;
      throw error;
    } finally {
      this.#busy = false;
    }
    return into;
  }

  end(into: T[] = []): T[] {
    if (this.#failed || this.#busy) throw failedBefore(WHAT);
    if (this.#carried !== 0) {
      try {
        this.#endLastLine(into);
      } catch (error) {
        this.#failed = true;
        throw error;
      }
    }
    this.#offset = 0;
    this.#line = 1;
    return into;
  }

  #push(bytes: Uint8Array, into: T[]): void {
    const length = bytes.length;
    let from = 0;
    if (this.#carried !== 0) {
      const newline = bytes.indexOf(NEWLINE);
      if (newline < 0) {
        this.#append(bytes, 0, length);
        return;
      }
      this.#append(bytes, 0, newline);
      this.#parseCarried(into);
      from = newline + 1;
    }
    const last = bytes.lastIndexOf(NEWLINE);
    if (last >= from) {
      this.#parseLines(bytes, from, last, this.#offset + from, into);
      from = last + 1;
    }
    if (from < length) {
      this.#carryStart = this.#offset + from;
      this.#append(bytes, from, length - from);
    }
  }

  #append(bytes: Uint8Array, from: number, count: number): void {
    const carried = this.#carried;
    if (carried + count > this.#maxBuffered) {
      throw overBuffered(WHAT, this.#carryStart, carried + count, this.#maxBuffered);
    }
    let carry = this.#carry;
    if (carried + count > carry.length) {
      const grown = new Uint8Array(Math.max(carried + count, carry.length * 2, 256));
      grown.set(carry.subarray(0, carried));
      carry = this.#carry = grown;
    }
    carry.set(bytes.subarray(from, from + count), carried);
    this.#carried = carried + count;
  }

  #releaseCarry(): void {
    this.#carried = 0;
    if (this.#carry.length > MAX_RETAINED_CARRY) this.#carry = EMPTY;
  }

  /** Parses the carried bytes as one line. */
  #parseCarried(into: T[]): void {
    const start = this.#carryStart;
    const text = this.#decode(this.#carry.subarray(0, this.#carried), start);
    this.#releaseCarry();
    this.#parseLine(text, 0, text.length, start, into);
    this.#line++;
  }

  /** Parses the lines of `bytes[from, last)`, which ends at a newline; `base` is `from`'s stream offset. */
  #parseLines(bytes: Uint8Array, from: number, last: number, base: number, into: T[]): void {
    const text = this.#decode(bytes.subarray(from, last), base);
    const length = text.length;
    let start = 0;
    for (;;) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = length;
      this.#parseLine(text, start, end, base, into);
      this.#line++;
      if (end === length) return;
      start = end + 1;
    }
  }

  /** Parses `text[start, end)` (one line, `"\r"` and blank lines allowed); `base` is `text[0]`'s stream offset. */
  #parseLine(text: string, start: number, end: number, base: number, into: T[]): void {
    // A byte order mark may start the stream (RFC 8259 lets parsers ignore it); JSON.parse would not.
    if (this.#line === 1 && text.charCodeAt(start) === 0xfeff) start++;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    if (end === start) return;
    let value: T;
    try {
      value = JSON.parse(
        start === 0 && end === text.length ? text : text.slice(start, end),
        this.#reviver,
      );
    } catch (error) {
      if (isBlank(text, start, end)) return;
      throw this.#syntaxError(text.slice(start, end), base + prefixBytes(text, start), error);
    }
    into.push(value);
  }

  /** The carried last line, at the end of the stream. */
  #endLastLine(into: T[]): void {
    const start = this.#carryStart;
    const text = this.#decode(this.#carry.subarray(0, this.#carried), start);
    this.#releaseCarry();
    let first = this.#line === 1 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (first < text.length && isSpace(text.charCodeAt(first))) first++;
    if (first === text.length) return;
    const c = text.charCodeAt(first);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      throw new SyntaxError(
        `Cannot decode NDJSON stream: the stream ends at offset ${this.#offset} inside the number at offset ${
          start + prefixBytes(text, first)
        } (line ${this.#line}): a number needs its "\\n" to show it is whole`,
      );
    }
    this.#parseLine(text, 0, text.length, start, into);
  }

  #decode(bytes: Uint8Array, base: number): string {
    try {
      return decodeUtf8(bytes, { fatal: true });
    } catch (error) {
      // Name the line: decode line by line until one fails.
      let line = this.#line;
      let start = 0;
      for (;;) {
        let end = bytes.indexOf(NEWLINE, start);
        if (end < 0) end = bytes.length;
        try {
          decodeUtf8(bytes.subarray(start, end), { fatal: true });
        } catch {
          break;
        }
        if (end === bytes.length) break;
        start = end + 1;
        line++;
      }
      throw new SyntaxError(
        `Cannot decode NDJSON: invalid UTF-8 in the line at offset ${base + start} (line ${line})`,
        { cause: error },
      );
    }
  }

  /** `lineOffset` is the stream offset of `line`'s first byte. */
  #syntaxError(line: string, lineOffset: number, cause: unknown): unknown {
    if (!(cause instanceof SyntaxError)) return cause; // a reviver's own error
    const issue = findJsonSyntaxIssue(line);
    const index = issue?.index ?? 0;
    const found = index < line.length ? `'${line[index]}'` : "the end of the line";
    return new SyntaxError(
      `Cannot decode NDJSON: expected ${
        issue?.expected ?? "valid JSON"
      } but found ${found} at offset ${
        lineOffset + prefixBytes(line, index)
      } (line ${this.#line}, column ${index + 1})`,
      { cause },
    );
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** The UTF-8 length of `text` before `index` (cold paths: error offsets). */
function prefixBytes(text: string, index: number): number {
  return utf8ByteLength(text.slice(0, index));
}
