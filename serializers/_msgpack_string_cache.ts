/**
 * A small cache from UTF-8 bytes to decoded strings, so repeated map keys and
 * short values decode to one shared string without re-decoding. Internal to
 * the serializers; one cache per decoder, never shared.
 *
 * @module
 */
import { type CharTables, createCharTables, decodeShortUtf8 } from "../encoding/utf8_primitives.ts";
import { checkUtf8, readUtf8Native, SHORT_STRING_MAX } from "./_msgpack_utf8.ts";

/** Direct-mapped: a slot per hash; a collision simply replaces the entry. */
export class StringCache {
  readonly #slotBits: number;
  readonly #maxLength: number;
  readonly #bytes: Uint8Array;
  readonly #lengths: Int8Array;
  readonly #strings: string[];
  readonly #charTables: CharTables = createCharTables();
  /** Check what is decoded (a hit is bytes already checked, so hits cost nothing more). */
  readonly #fatal: boolean;
  /** Cache the engine's own copy of each string as a property key (map keys). */
  readonly #propertyKeys: boolean;

  /**
   * @param slotBits log2 of the number of slots.
   * @param maxLength The longest string cached, in bytes (at most 32).
   * @param options `fatal`: invalid UTF-8 is a SyntaxError instead of U+FFFD;
   *   `propertyKeys`: the strings will be object keys.
   */
  constructor(
    slotBits: number,
    maxLength: number,
    options: { fatal: boolean; propertyKeys: boolean },
  ) {
    this.#slotBits = 32 - slotBits;
    this.#maxLength = maxLength;
    this.#fatal = options.fatal;
    this.#propertyKeys = options.propertyKeys;
    this.#bytes = new Uint8Array((1 << slotBits) * 32);
    this.#lengths = new Int8Array(1 << slotBits).fill(-1);
    this.#strings = new Array<string>(1 << slotBits).fill("");
  }

  /**
   * The string for `src[start, end)` (1 to `maxLength` bytes), from the cache
   * or decoded and remembered.
   *
   * @returns The decoded string.
   * @throws {SyntaxError} When the cache is strict and the bytes are not valid UTF-8.
   */
  get(src: Uint8Array, start: number, end: number): string {
    const length = end - start;
    // Mix the length with the first, middle and last bytes (Fibonacci hashing).
    const hash = Math.imul(
      (length << 24) ^ (src[start] << 16) ^ (src[start + (length >> 1)] << 8) ^ src[end - 1],
      0x9e3779b1,
    ) >>> this.#slotBits;
    const bytes = this.#bytes;
    const base = hash << 5;
    if (this.#lengths[hash] === length) {
      let i = 0;
      while (i < length && bytes[base + i] === src[start + i]) i++;
      if (i === length) return this.#strings[hash];
    }
    if (this.#fatal) checkUtf8(src, start, end);
    let text = length > SHORT_STRING_MAX
      ? readUtf8Native(src, start, end)
      : decodeShortUtf8(src, start, end, this.#charTables);
    if (this.#propertyKeys) text = asPropertyKey(text);
    for (let i = 0; i < length; i++) bytes[base + i] = src[start + i];
    this.#lengths[hash] = length;
    this.#strings[hash] = text;
    return text;
  }

  /** The longest string this cache holds, in bytes. */
  get maxLength(): number {
    return this.#maxLength;
  }
}

/**
 * The engine's internalized copy of `text`, the one property lookups use.
 * Objects built with it as a key skip hashing and interning the key on every
 * store: 1.3-1.4x faster map decoding on Bun (JavaScriptCore), the same on V8
 * (bench/deserialize_options.bench.ts). Costs one small object per cache miss.
 */
function asPropertyKey(text: string): string {
  const holder: Record<string, number> = { [text]: 0 };
  for (const key in holder) return key;
  return text;
}
