/**
 * A resumable MessagePack length scanner: finds where a value ends without
 * decoding it. The stream decoder uses it for the one value that straddles a
 * chunk boundary, so that a large value arriving in small chunks is walked
 * once in total (linear), instead of being decoded again from its first byte
 * each time a chunk arrives (quadratic).
 *
 * @module
 */

/** {@linkcode MsgPackScanner.scan}'s answer when a container opens deeper than `maxDepth`. */
export const SCAN_TOO_DEEP = -2;
/** {@linkcode MsgPackScanner.scan}'s answer when the value needs more bytes. */
export const SCAN_INCOMPLETE = -1;

/**
 * Walks one value's headers, skipping payloads. Positions are relative to the
 * value's first byte; the state survives between calls, so each call only
 * looks at bytes it has not seen.
 */
export class MsgPackScanner {
  /** Where the next header starts; past the bytes seen while a payload is being skipped. */
  #pos = 0;
  /** The least length the value can have, as far as the scan has seen. */
  #needed = 1;
  /** Items still to read in each open container; the first entry is the value itself. */
  readonly #remaining: number[] = [1];
  /** The sum of `#remaining`: each item takes a byte at least, so the value needs this many more. */
  #owed = 1;
  readonly #maxDepth: number;
  /** Ext types (by type byte) that are tags followed by one more value, or null. */
  readonly #tags: Uint8Array | null;

  /**
   * @param maxDepth The decoder's nesting limit (containers deeper than it are reported).
   * @param tags Ext types, indexed by the type byte, that are followed by one more value (`moreTypes`' Set, Error, RegExp).
   */
  constructor(maxDepth: number, tags: Uint8Array | null = null) {
    this.#maxDepth = maxDepth;
    this.#tags = tags;
  }

  /** The least length of the value, as far as scanned: a value this long may be complete. */
  get needed(): number {
    return this.#needed;
  }

  /** Forgets the value, to scan the next one from its first byte. */
  reset(): void {
    this.#pos = 0;
    this.#needed = 1;
    this.#owed = 1;
    this.#remaining.length = 1;
    this.#remaining[0] = 1;
  }

  /**
   * Continues the scan over the value's first `length` bytes, which start at
   * `bytes[base]` (the bytes before the last call's end must be the same).
   *
   * @returns The value's length when it is complete, {@linkcode SCAN_INCOMPLETE}
   *   when it needs more bytes (see {@linkcode MsgPackScanner.needed}), or
   *   {@linkcode SCAN_TOO_DEEP}.
   */
  scan(bytes: Uint8Array, base: number, length: number): number {
    const remaining = this.#remaining;
    let pos = this.#pos;
    for (;;) {
      let top = remaining.length - 1;
      while (top >= 0 && remaining[top] === 0) {
        remaining.pop();
        top--;
      }
      if (top < 0) {
        // Every header is read; the last payload may still run past the bytes seen.
        this.#pos = pos;
        this.#needed = pos;
        return pos <= length ? pos : SCAN_INCOMPLETE;
      }
      if (pos >= length) {
        this.#pos = pos;
        this.#needed = pos + this.#owed;
        return SCAN_INCOMPLETE;
      }
      const token = bytes[base + pos];
      // A header is `head` bytes: the token, then a big-endian length of `size`
      // bytes; then `skip` bytes more (ext's type byte, fixed payloads), then the
      // length itself (str, bin, ext), or `items` values (array, map).
      let head = 1;
      let size = 0;
      let skip = 0;
      let items = -1;
      let itemsPerLength = 0;
      if (token < 0x80 || token >= 0xe0 || (token >= 0xc0 && token <= 0xc3)) {
        // positive/negative fixint, nil, (reserved), false, true
      } else if (token < 0x90) {
        items = (token & 0x0f) * 2;
      } else if (token < 0xa0) {
        items = token & 0x0f;
      } else if (token < 0xc0) {
        skip = token & 0x1f;
      } else if (token <= 0xc6) {
        size = 1 << (token - 0xc4); // bin 8/16/32
      } else if (token <= 0xc9) {
        size = 1 << (token - 0xc7); // ext 8/16/32
        skip = 1;
      } else if (token <= 0xd3) {
        skip = FIXED_SIZES[token - 0xca]; // float, uint, int
      } else if (token <= 0xd8) {
        skip = 1 + (1 << (token - 0xd4)); // fixext: type byte + 1..16
      } else if (token <= 0xdb) {
        size = token === 0xd9 ? 1 : token === 0xda ? 2 : 4; // str 8/16/32
      } else {
        size = (token & 1) === 0 ? 2 : 4; // array/map 16/32
        itemsPerLength = token <= 0xdd ? 1 : 2;
      }
      head += size;
      if (size !== 0) {
        if (pos + head > length) {
          this.#pos = pos;
          this.#needed = pos + head + this.#owed - 1;
          return SCAN_INCOMPLETE;
        }
        const at = base + pos + 1;
        const value = size === 1
          ? bytes[at]
          : size === 2
          ? (bytes[at] << 8) | bytes[at + 1]
          : bytes[at] * 0x1000000 + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
        if (itemsPerLength !== 0) items = value * itemsPerLength;
        else skip += value;
      }
      const tags = this.#tags;
      if (tags !== null && ((token >= 0xc7 && token <= 0xc9) || (token >= 0xd4 && token <= 0xd8))) {
        // The ext's type byte follows its header; a tag type takes the next value too.
        if (pos + head >= length) {
          this.#pos = pos;
          this.#needed = pos + head + this.#owed;
          return SCAN_INCOMPLETE;
        }
        if (tags[bytes[base + pos + head]] === 1) {
          remaining[top]++;
          this.#owed++;
        }
      }
      remaining[top]--;
      this.#owed--;
      pos += head + skip;
      if (items > 0) {
        if (remaining.length > this.#maxDepth) {
          this.#pos = pos;
          return SCAN_TOO_DEEP;
        }
        remaining.push(items);
        this.#owed += items;
      }
    }
  }
}

/** Payload sizes of 0xca..0xd3: float32, float64, uint8..64, int8..64. */
const FIXED_SIZES = [4, 8, 1, 2, 4, 8, 1, 2, 4, 8];
