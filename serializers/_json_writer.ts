/**
 * A JSON encoder that writes UTF-8 straight into a {@linkcode BufferWriter},
 * byte-for-byte what `TextEncoder.encode(JSON.stringify(value))` gives, but
 * without building the intermediate string. Internal to serializers/.
 *
 * @module
 */
import { encodeUtf8Into } from "../encoding/mod.ts";
import { encodeUtf8Unchecked } from "../encoding/_utf8_core.ts";
import type { BufferWriter } from "../pool/mod.ts";

/** Nesting beyond this hands the whole value to `JSON.stringify`, which has no such limit. */
const MAX_DIRECT_DEPTH = 256;
/** Strings are escaped in chunks of this many UTF-16 units, so a huge string needs no huge reserve. */
const STRING_CHUNK = 4096;
/** Longer strings are first checked for characters that need escaping, then copied natively. */
const NATIVE_COPY_MIN = 64;
// deno-lint-ignore no-control-regex -- control characters are exactly what JSON must escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const HEX = "0123456789abcdef";
/** Escape byte after the backslash for the short escapes, or 0x75 ('u') for \u00XX. */
const SHORT_ESCAPE = new Uint8Array(0x60);
for (let c = 0; c < 0x20; c++) SHORT_ESCAPE[c] = 0x75;
SHORT_ESCAPE[0x08] = 0x62; // \b
SHORT_ESCAPE[0x09] = 0x74; // \t
SHORT_ESCAPE[0x0a] = 0x6e; // \n
SHORT_ESCAPE[0x0c] = 0x66; // \f
SHORT_ESCAPE[0x0d] = 0x72; // \r
SHORT_ESCAPE[0x22] = 0x22; // \"
SHORT_ESCAPE[0x5c] = 0x5c; // \\

const EMPTY = new Uint8Array(0);

function hasEnumerableProperty(object: object): boolean {
  for (const _ in object) return true;
  return false;
}

/** Writes a non-negative int32 in decimal at `pos`; returns the new position. */
function writeDigits(buffer: Uint8Array, pos: number, n: number): number {
  const digits = n < 10
    ? 1
    : n < 100
    ? 2
    : n < 1000
    ? 3
    : n < 10000
    ? 4
    : n < 100000
    ? 5
    : n < 1000000
    ? 6
    : n < 10000000
    ? 7
    : n < 100000000
    ? 8
    : n < 1000000000
    ? 9
    : 10;
  const end = pos + digits;
  let at = end;
  do {
    const q = (n / 10) | 0;
    buffer[--at] = 0x30 + n - q * 10;
    n = q;
  } while (n > 0);
  return end;
}

/** Thrown inside the writer when nesting is too deep for the direct path. */
class TooDeep extends Error {}

/**
 * Writes JSON into a writer. One instance per serializer; not re-entrant
 * (a `toJSON` that serializes with the same serializer gets its own fallback).
 */
export class JsonByteWriter {
  #writer: BufferWriter | null = null;
  #buffer: Uint8Array = EMPTY;
  #pos = 0;
  #ancestors: unknown[] = [];
  #forInIsOwn = true;

  /**
   * Appends the JSON of `value` to `writer`.
   *
   * @returns The bytes appended, or -1 when the value is too deeply nested for the direct path
   * (the writer is then unchanged and the caller should fall back to `JSON.stringify`).
   * @throws {TypeError} Like `JSON.stringify`: BigInt, circular structures, and a top-level value
   * with no JSON form. The writer is unchanged.
   */
  write(value: unknown, writer: BufferWriter): number {
    if (this.#writer !== null) return -1; // re-entered from a toJSON: let the caller fall back
    const start = writer.writtenCount;
    this.#writer = writer;
    this.#buffer = writer.reserve(1, 64);
    this.#pos = start;
    this.#forInIsOwn = !hasEnumerableProperty(Object.prototype);
    try {
      if (!this.#value(value, "", 0)) {
        throw new TypeError(
          `a top-level ${
            value === undefined ? "undefined" : typeof value
          } has no JSON representation`,
        );
      }
      this.#commit();
      return writer.writtenCount - start;
    } catch (error) {
      if (writer.writtenCount > start) writer.truncate(start);
      if (error instanceof TooDeep) return -1;
      throw error;
    } finally {
      this.#writer = null;
      this.#buffer = EMPTY;
      this.#ancestors.length = 0;
    }
  }

  #commit(): void {
    const writer = this.#writer!;
    writer.advance(this.#pos - writer.writtenCount);
  }

  /** Makes room for `n` more bytes at `#pos`. */
  #ensure(n: number): void {
    if (this.#pos + n > this.#buffer.length) {
      this.#commit();
      this.#buffer = this.#writer!.reserve(n);
    }
  }

  /** Writes one value; returns false (writing nothing) when it has no JSON form. */
  #value(value: unknown, key: string | number, depth: number): boolean {
    switch (typeof value) {
      case "string":
        this.#string(value);
        return true;
      case "number":
        this.#number(value);
        return true;
      case "boolean":
        this.#ascii(value ? "true" : "false");
        return true;
      case "object":
        if (value === null) {
          this.#ascii("null");
          return true;
        }
        return this.#object(value, key, depth);
      case "bigint":
      case "function": {
        const toJSON = (value as { toJSON?: unknown }).toJSON;
        if (typeof toJSON === "function") {
          return this.#value(toJSON.call(value, String(key)), key, depth);
        }
        if (typeof value === "bigint") throw new TypeError("Do not know how to serialize a BigInt");
        return false;
      }
      default: // undefined, symbol
        return false;
    }
  }

  #object(value: object, key: string | number, depth: number): boolean {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      return this.#value(toJSON.call(value, String(key)), key, depth);
    }
    if (depth >= MAX_DIRECT_DEPTH) throw new TooDeep();
    const ancestors = this.#ancestors;
    if (ancestors.includes(value)) throw new TypeError("Converting circular structure to JSON");
    if (Array.isArray(value)) {
      ancestors.push(value);
      this.#ensure(1);
      this.#buffer[this.#pos++] = 0x5b; // [
      for (let i = 0; i < value.length; i++) {
        if (i > 0) {
          this.#ensure(1);
          this.#buffer[this.#pos++] = 0x2c; // ,
        }
        if (!this.#value(value[i], i, depth + 1)) this.#ascii("null");
      }
      this.#ensure(1);
      this.#buffer[this.#pos++] = 0x5d; // ]
      ancestors.pop();
      return true;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      // Boxed primitives serialize as their primitive value.
      if (value instanceof Number) return this.#value(Number(value), key, depth);
      if (value instanceof String) return this.#value(String(value), key, depth);
      if (value instanceof Boolean) return this.#value(value.valueOf(), key, depth);
      if (typeof BigInt === "function" && value instanceof BigInt) {
        return this.#value(value.valueOf(), key, depth);
      }
    }
    ancestors.push(value);
    this.#ensure(1);
    this.#buffer[this.#pos++] = 0x7b; // {
    let first = true;
    if ((proto === Object.prototype || proto === null) && this.#forInIsOwn) {
      // for-in walks V8's enum cache without allocating; it equals Object.keys here because
      // the only prototype in play has no enumerable properties (checked per write).
      for (const name in value) {
        if (this.#member(name, (value as Record<string, unknown>)[name], first, depth)) {
          first = false;
        }
      }
    } else {
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        const name = keys[i];
        if (this.#member(name, (value as Record<string, unknown>)[name], first, depth)) {
          first = false;
        }
      }
    }
    this.#ensure(1);
    this.#buffer[this.#pos++] = 0x7d; // }
    ancestors.pop();
    return true;
  }

  /** Writes `,"name":value` (no comma when first); returns whether anything was written. */
  #member(name: string, property: unknown, first: boolean, depth: number): boolean {
    // Skip what JSON omits without writing the key first.
    const kind = typeof property;
    if (kind === "undefined" || kind === "symbol") return false;
    if (kind === "function" && typeof (property as { toJSON?: unknown }).toJSON !== "function") {
      return false;
    }
    const mark = this.#pos;
    if (!first) {
      this.#ensure(1);
      this.#buffer[this.#pos++] = 0x2c; // ,
    }
    this.#string(name);
    this.#ensure(1);
    this.#buffer[this.#pos++] = 0x3a; // :
    if (this.#value(property, name, depth + 1)) return true;
    this.#rewind(mark); // a toJSON returned undefined
    return false;
  }

  /** Moves back to `mark`; it may lie before bytes already committed to the writer. */
  #rewind(mark: number): void {
    const writer = this.#writer!;
    if (mark < writer.writtenCount) writer.truncate(mark);
    this.#pos = mark;
  }

  #ascii(text: string): void {
    this.#ensure(text.length);
    const buffer = this.#buffer;
    let pos = this.#pos;
    for (let i = 0; i < text.length; i++) buffer[pos++] = text.charCodeAt(i);
    this.#pos = pos;
  }

  #number(n: number): void {
    if (!Number.isSafeInteger(n)) {
      // -0 counts as a safe integer and prints as "0", like JSON.stringify.
      this.#ascii(Number.isFinite(n) ? String(n) : "null");
      return;
    }
    this.#ensure(17);
    const buffer = this.#buffer;
    let pos = this.#pos;
    if (n < 0) {
      buffer[pos++] = 0x2d; // -
      n = -n;
    }
    if (n < 0x80000000) {
      this.#pos = writeDigits(buffer, pos, n);
      return;
    }
    // Above 2^31: split into two int32-sized halves, the low one zero-padded to 8 digits.
    const high = Math.floor(n / 1e8);
    let low = n - high * 1e8;
    pos = writeDigits(buffer, pos, high);
    for (let end = pos + 8; end > pos;) {
      const q = (low / 10) | 0;
      buffer[--end] = 0x30 + low - q * 10;
      low = q;
    }
    this.#pos = pos + 8;
  }

  #string(text: string): void {
    const length = text.length;
    if (length < NATIVE_COPY_MIN) {
      // Short strings (keys, most values): plain ASCII is copied in one tight loop.
      this.#ensure(length + 2);
      const buffer = this.#buffer;
      let pos = this.#pos;
      buffer[pos++] = 0x22;
      let i = 0;
      for (; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) break;
        buffer[pos++] = c;
      }
      this.#pos = pos;
      if (i < length) this.#escapeFrom(text, i);
      this.#ensure(1);
      this.#buffer[this.#pos++] = 0x22;
      return;
    }
    if (!NEEDS_ESCAPE.test(text)) {
      // Nothing to escape: a quote, the native UTF-8 copy, a quote.
      this.#ensure(length * 3 + 2);
      this.#buffer[this.#pos++] = 0x22;
      this.#pos += encodeUtf8Into(text, this.#buffer, this.#pos).written;
      this.#buffer[this.#pos++] = 0x22;
      return;
    }
    this.#ensure(1);
    this.#buffer[this.#pos++] = 0x22;
    this.#escapeFrom(text, 0);
    this.#ensure(1);
    this.#buffer[this.#pos++] = 0x22;
  }

  /** Writes `text` from index `i` on, escaping as JSON.stringify does (no quotes). */
  #escapeFrom(text: string, i: number): void {
    const length = text.length;
    while (i < length) {
      const end = Math.min(length, i + STRING_CHUNK);
      // 6 bytes covers the longest escape; a pair (4 bytes) may run one unit past `end`.
      this.#ensure((end - i) * 6 + 6);
      const buffer = this.#buffer;
      let pos = this.#pos;
      while (i < end) {
        const c = text.charCodeAt(i);
        if (c < 0x80) {
          i++;
          if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
            buffer[pos++] = c;
            continue;
          }
          const escape = SHORT_ESCAPE[c];
          buffer[pos++] = 0x5c;
          buffer[pos++] = escape;
          if (escape === 0x75) {
            buffer[pos++] = 0x30;
            buffer[pos++] = 0x30;
            buffer[pos++] = HEX.charCodeAt(c >> 4);
            buffer[pos++] = HEX.charCodeAt(c & 15);
          }
        } else if ((c & 0xf800) !== 0xd800) {
          // A run of other non-ASCII, non-surrogate units: the UTF-8 core encodes it.
          const runStart = i;
          let next = c;
          do next = text.charCodeAt(++i); while (
            i < end && next >= 0x80 && (next & 0xf800) !== 0xd800
          );
          pos = encodeUtf8Unchecked(text, runStart, i, buffer, pos);
        } else {
          const next = text.charCodeAt(i + 1);
          if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            pos = encodeUtf8Unchecked(text, i, i + 2, buffer, pos); // may run one unit past `end`
            i += 2;
          } else {
            // A lone surrogate: well-formed JSON.stringify escapes it as \udXXX.
            buffer[pos++] = 0x5c;
            buffer[pos++] = 0x75;
            buffer[pos++] = HEX.charCodeAt(c >> 12);
            buffer[pos++] = HEX.charCodeAt((c >> 8) & 15);
            buffer[pos++] = HEX.charCodeAt((c >> 4) & 15);
            buffer[pos++] = HEX.charCodeAt(c & 15);
            i++;
          }
        }
      }
      this.#pos = pos;
    }
  }
}
