/**
 * The MessagePack decoder core: reads a value tree from a byte view, with
 * bounds checked before every read and allocation, a depth limit, and a
 * per-instance cache of map keys. Internal to the serializers;
 * {@linkcode MsgPackSerializer} is the public face.
 *
 * @module
 */
import { LITTLE_ENDIAN } from "../platform/runtime.ts";
import { MsgPackExt, TIMESTAMP_EXT_TYPE } from "./msgpack_ext.ts";
import {
  type CharTables,
  checkUtf8,
  createCharTables,
  decodeShortUtf8,
  LONG_VALUE_JS_MAX,
  readUtf8Native,
  readUtf8Strict,
} from "./_msgpack_utf8.ts";
import { StringCache } from "./_msgpack_string_cache.ts";
import { type ExtDispatch, UNCLAIMED } from "./_msgpack_ext_decode.ts";
import { roundFloat32 } from "./_msgpack_float32.ts";

const EMPTY = new Uint8Array(0);
const TWO_32 = 0x100000000;
/** Map keys up to 31 bytes (any fixstr) go through a 512-slot cache. */
const KEY_CACHE_BITS = 9;
/** Values up to 16 bytes (enum-like strings repeat) go through a 256-slot cache. */
const VALUE_CACHE_BITS = 8;
const VALUE_CACHE_MAX = 16;
/**
 * The largest limit kept in the hot length checks: a small integer on V8, so
 * the checks load no boxed number. A real limit above it (the default is the
 * format's own, 2^32 - 1) is checked again on the cold path.
 */
const HOT_LIMIT_MAX = 0x3fffffff;
/** The largest |time value| a `Date` holds, in milliseconds. */
const MAX_DATE_MILLIS = 8.64e15;
const defineProperty = Object.defineProperty;

/** int64/uint64 decode to a number when safe, else a bigint. */
export const INT64_AUTO = 0;
/** int64/uint64 decode to a number (rounded beyond 2^53). */
export const INT64_NUMBER = 1;
/** int64/uint64 decode to a bigint. */
export const INT64_BIGINT = 2;
/** int64/uint64 decode to a decimal string. */
export const INT64_STRING = 3;
/** What int64/uint64 values decode to (see `MsgPackSerializerOptions.int64`). */
export type Int64Mode =
  | typeof INT64_AUTO
  | typeof INT64_NUMBER
  | typeof INT64_BIGINT
  | typeof INT64_STRING;

/** Decoder settings. */
export interface DecoderSettings {
  /** Maximum nesting depth. */
  maxDepth: number;
  /** What int64/uint64 values decode to. */
  int64: Int64Mode;
  /** Decode maps as `Map`. */
  mapAsMap: boolean;
  /** The longest str, in bytes. */
  maxStrLength: number;
  /** The longest bin, in bytes. */
  maxBinLength: number;
  /** The most array elements. */
  maxArrayLength: number;
  /** The most map entries. */
  maxMapLength: number;
  /** The longest ext payload, in bytes. */
  maxExtLength: number;
  /** Invalid UTF-8 in a str is a SyntaxError instead of U+FFFD. */
  fatal: boolean;
  /** bin values are copies (else views of the input). */
  copyBinary: boolean;
  /** Extensions and `moreTypes`, or null when the serializer has neither. */
  ext: ExtDispatch | null;
  /** Round float32 values to their decimal digits (`useFloat32` decimal modes). */
  roundFloat32: boolean;
}

/** Reads MessagePack; one instance per serializer, never shared. */
export class MsgPackDecoder {
  src: Uint8Array = EMPTY;
  pos = 0;
  end = 0;
  depthLeft: number;
  /** Elements still allowed across all arrays of this message, so nested length prefixes can't force huge allocations. */
  arrayBudget = 0;
  readonly maxDepth: number;
  readonly int64: Int64Mode;
  readonly mapAsMap: boolean;
  readonly maxStrLength: number;
  readonly maxBinLength: number;
  readonly maxArrayLength: number;
  readonly maxMapLength: number;
  readonly maxExtLength: number;
  readonly fatal: boolean;
  readonly copyBinary: boolean;
  // The limits the hot checks compare with (at most HOT_LIMIT_MAX).
  readonly #strLimit: number;
  readonly #arrayLimit: number;
  readonly #mapLimit: number;
  /** The longest fixstr map key read through the key cache: 31, or less under a smaller maxStrLength. */
  readonly #maxCachedKey: number;
  readonly #keys: StringCache;
  readonly #charTables: CharTables = createCharTables();
  readonly #values: StringCache;
  readonly ext: ExtDispatch | null;
  readonly roundFloat32: boolean;
  readonly #float64 = new Float64Array(1);
  readonly #float32 = new Float32Array(this.#float64.buffer, 0, 1);
  readonly #floatBytes = new Uint8Array(this.#float64.buffer);
  readonly #settings: DecoderSettings;

  constructor(settings: DecoderSettings) {
    this.#settings = settings;
    this.maxDepth = settings.maxDepth;
    this.int64 = settings.int64;
    this.mapAsMap = settings.mapAsMap;
    this.maxStrLength = settings.maxStrLength;
    this.maxBinLength = settings.maxBinLength;
    this.maxArrayLength = settings.maxArrayLength;
    this.maxMapLength = settings.maxMapLength;
    this.maxExtLength = settings.maxExtLength;
    this.fatal = settings.fatal;
    this.copyBinary = settings.copyBinary;
    this.#strLimit = Math.min(settings.maxStrLength, HOT_LIMIT_MAX);
    this.#arrayLimit = Math.min(settings.maxArrayLength, HOT_LIMIT_MAX);
    this.#mapLimit = Math.min(settings.maxMapLength, HOT_LIMIT_MAX);
    this.#maxCachedKey = Math.min(31, settings.maxStrLength);
    // Strict caches check what they decode; a hit is bytes already checked.
    this.#keys = new StringCache(KEY_CACHE_BITS, 31, {
      fatal: settings.fatal,
      propertyKeys: !settings.mapAsMap,
    });
    this.#values = new StringCache(VALUE_CACHE_BITS, VALUE_CACHE_MAX, {
      fatal: settings.fatal,
      propertyKeys: false,
    });
    this.ext = settings.ext;
    this.roundFloat32 = settings.roundFloat32;
    this.depthLeft = settings.maxDepth;
  }

  /** A decoder with the same settings and its own state (a stream decoder's). */
  fork(): MsgPackDecoder {
    return new MsgPackDecoder(this.#settings);
  }

  /** Starts reading `bytes` from its first byte. */
  begin(bytes: Uint8Array): void {
    this.src = bytes;
    this.pos = 0;
    this.end = bytes.length;
    this.arrayBudget = bytes.length;
  }

  /** Forgets the input (so no reference outlives the call). */
  finish(): void {
    this.src = EMPTY;
    this.pos = 0;
    this.end = 0;
  }

  /** Reads one value starting at `pos`. */
  read(): unknown {
    this.depthLeft = this.maxDepth;
    return this.readValue();
  }

  readValue(): unknown {
    const pos = this.pos;
    if (pos >= this.end) throw this.#truncated(pos, 1);
    const token = this.src[pos];
    this.pos = pos + 1;
    if (token < 0x80) return token;
    if (token < 0x90) return this.readMap(token & 0x0f);
    if (token < 0xa0) return this.readArray(token & 0x0f, pos);
    if (token < 0xc0) return this.readString(token & 0x1f);
    if (token >= 0xe0) return token - 0x100;
    switch (token) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.readBinary(this.readLength(1));
      case 0xc5:
        return this.readBinary(this.readLength(2));
      case 0xc6:
        return this.readBinary(this.readLength(4));
      case 0xc7:
        return this.readExt(this.readLength(1));
      case 0xc8:
        return this.readExt(this.readLength(2));
      case 0xc9:
        return this.readExt(this.readLength(4));
      case 0xca:
        return this.readFloat32();
      case 0xcb:
        return this.readFloat64();
      case 0xcc:
        return this.readLength(1);
      case 0xcd:
        return this.readLength(2);
      case 0xce:
        return this.readLength(4);
      case 0xcf:
        return this.readInt64(false);
      case 0xd0:
        return (this.readLength(1) << 24) >> 24;
      case 0xd1:
        return (this.readLength(2) << 16) >> 16;
      case 0xd2:
        return this.readLength(4) | 0;
      case 0xd3:
        return this.readInt64(true);
      case 0xd4:
        return this.readExt(1);
      case 0xd5:
        return this.readExt(2);
      case 0xd6:
        return this.readExt(4);
      case 0xd7:
        return this.readExt(8);
      case 0xd8:
        return this.readExt(16);
      case 0xd9:
        return this.readString(this.readLength(1));
      case 0xda:
        return this.readString(this.readLength(2));
      case 0xdb:
        return this.readString(this.readLength(4));
      case 0xdc:
        return this.readArray(this.readLength(2), pos);
      case 0xdd:
        return this.readArray(this.readLength(4), pos);
      case 0xde:
        return this.readMap(this.readLength(2));
      case 0xdf:
        return this.readMap(this.readLength(4));
      default:
        throw new SyntaxError(
          `Cannot decode MessagePack: reserved byte 0x${token.toString(16)} at offset ${pos}`,
        );
    }
  }

  /** A big-endian unsigned integer of 1, 2 or 4 bytes. */
  readLength(size: number): number {
    const pos = this.pos;
    if (this.end - pos < size) throw this.#truncated(pos, size);
    const src = this.src;
    this.pos = pos + size;
    if (size === 1) return src[pos];
    if (size === 2) return (src[pos] << 8) | src[pos + 1];
    return src[pos] * 0x1000000 + ((src[pos + 1] << 16) | (src[pos + 2] << 8) | src[pos + 3]);
  }

  readString(length: number): string {
    const start = this.pos;
    // One test for both failures keeps this hot method small (the cold one tells them apart).
    if (length > this.#strLimit || this.end - start < length) {
      this.#checkLength("str", length, start, length);
    }
    const end = start + length;
    this.pos = end;
    if (length > VALUE_CACHE_MAX) {
      return this.fatal ? this.#strictLongString(start, end) : this.#longString(start, end);
    }
    return length === 0 ? "" : this.#values.get(this.src, start, end);
  }

  /** A str of more than VALUE_CACHE_MAX bytes, uncached: JS or native, per runtime. */
  #longString(start: number, end: number): string {
    return end - start <= LONG_VALUE_JS_MAX
      ? decodeShortUtf8(this.src, start, end, this.#charTables)
      : readUtf8Native(this.src, start, end);
  }

  /** {@linkcode MsgPackDecoder.#longString} under `fatal: true` (off the default path). */
  #strictLongString(start: number, end: number): string {
    const src = this.src;
    if (end - start > LONG_VALUE_JS_MAX) return readUtf8Strict(src, start, end);
    checkUtf8(src, start, end);
    return decodeShortUtf8(src, start, end, this.#charTables);
  }

  /** A map key; fixstr keys go through the key cache. */
  readKey(): string {
    const pos = this.pos;
    if (pos >= this.end) throw this.#truncated(pos, 1);
    const src = this.src;
    // Any other key (and a fixstr over maxStrLength) takes the general path.
    const length = src[pos] - 0xa0;
    if (length >>> 0 > this.#maxCachedKey) return this.#otherKey(pos);
    const start = pos + 1;
    if (this.end - start < length) throw this.#truncated(start, length);
    const end = start + length;
    this.pos = end;
    return length === 0 ? "" : this.#keys.get(src, start, end);
  }

  #otherKey(pos: number): string {
    const key = this.readValue();
    if (typeof key === "string") return key;
    if (typeof key === "number" || typeof key === "bigint") return String(key);
    throw new SyntaxError(
      `Cannot decode MessagePack: a map key of type ${
        key === null ? "nil" : typeof key
      } at offset ${pos} cannot be an object key (use mapType: "map")`,
    );
  }

  /** An array of `length` elements whose header starts at offset `at`. */
  readArray(length: number, at: number): unknown[] {
    const pos = this.pos;
    // Every element takes at least one byte: check before allocating.
    if (length > this.#arrayLimit || length > this.end - pos) {
      this.#checkLength("array", length, pos, length);
    }
    // Nor may nested arrays claim more elements in sum than the input has bytes.
    if (length > this.arrayBudget) throw this.#overBudget(at, length);
    this.arrayBudget -= length;
    if (--this.depthLeft < 0) throw this.#tooDeep(pos);
    const array = new Array(length);
    for (let i = 0; i < length; i++) array[i] = this.readValue();
    this.depthLeft++;
    return array;
  }

  readMap(length: number): unknown {
    const pos = this.pos;
    // Every entry takes at least two bytes.
    if (length > this.#mapLimit || length > (this.end - pos) / 2) {
      this.#checkLength("map", length, pos, length * 2);
    }
    if (--this.depthLeft < 0) throw this.#tooDeep(pos);
    if (this.mapAsMap) {
      const map = new Map<unknown, unknown>();
      for (let i = 0; i < length; i++) {
        const key = this.readValue();
        map.set(key, this.readValue());
      }
      this.depthLeft++;
      return map;
    }
    const object: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) {
      const key = this.readKey();
      const value = this.readValue();
      if (key !== "__proto__") {
        object[key] = value;
      } else {
        // A plain assignment would replace the prototype.
        defineProperty(object, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    this.depthLeft++;
    return object;
  }

  readBinary(length: number): Uint8Array {
    const start = this.pos;
    if (length > this.maxBinLength) throw this.#overLimit("bin", length, start);
    if (this.end - start < length) throw this.#truncated(start, length);
    this.pos = start + length;
    // A view shares the input's memory (copyBinary: false); a copy owns its own.
    return this.copyBinary
      ? this.src.slice(start, start + length)
      : this.src.subarray(start, start + length);
  }

  readExt(length: number): unknown {
    const at = this.pos;
    if (length > this.maxExtLength) throw this.#overLimit("ext", length, at);
    if (this.end - at < length + 1) throw this.#truncated(at, length + 1);
    const type = (this.src[at] << 24) >> 24;
    const start = at + 1;
    this.pos = start + length;
    if (this.ext !== null) {
      const value = this.ext.read(this, type, start, length);
      if (value !== UNCLAIMED) return value;
    }
    if (type === TIMESTAMP_EXT_TYPE) return this.#timestamp(start, length);
    return new MsgPackExt(type, this.src.slice(start, start + length));
  }

  #timestamp(start: number, length: number): Date {
    const src = this.src;
    let seconds: number;
    let nanos = 0;
    if (length === 4) {
      seconds = readUint32(src, start);
    } else if (length === 8) {
      const high = readUint32(src, start);
      nanos = high >>> 2;
      seconds = (high & 3) * TWO_32 + readUint32(src, start + 4);
    } else if (length === 12) {
      nanos = readUint32(src, start);
      seconds = (readUint32(src, start + 4) | 0) * TWO_32 + readUint32(src, start + 8);
    } else {
      throw new SyntaxError(
        `Cannot decode MessagePack: timestamp of ${length} bytes at offset ${
          start - 2
        } (expected 4, 8 or 12)`,
      );
    }
    if (nanos > 999_999_999) {
      throw new SyntaxError(
        `Cannot decode MessagePack: timestamp nanoseconds ${nanos} above 999999999 at offset ${
          start - 2
        }`,
      );
    }
    // The range is checked after the nanoseconds are added: the largest second plus 1 ms is out.
    const millis = seconds * 1000 + Math.floor(nanos / 1e6);
    if (millis > MAX_DATE_MILLIS || millis < -MAX_DATE_MILLIS) {
      throw new RangeError(
        `Cannot decode MessagePack: timestamp ${seconds} s + ${nanos} ns at offset ${
          start - 2
        } is outside the Date range`,
      );
    }
    return new Date(millis);
  }

  readFloat32(): number {
    const pos = this.pos;
    if (this.end - pos < 4) throw this.#truncated(pos, 4);
    const src = this.src;
    const bytes = this.#floatBytes;
    if (LITTLE_ENDIAN) {
      bytes[0] = src[pos + 3];
      bytes[1] = src[pos + 2];
      bytes[2] = src[pos + 1];
      bytes[3] = src[pos];
    } else {
      bytes.set(src.subarray(pos, pos + 4));
    }
    this.pos = pos + 4;
    if (this.roundFloat32) return roundFloat32(this.#float32[0], src[pos], src[pos + 1]);
    return this.#float32[0];
  }

  readFloat64(): number {
    const pos = this.pos;
    if (this.end - pos < 8) throw this.#truncated(pos, 8);
    const src = this.src;
    const bytes = this.#floatBytes;
    if (LITTLE_ENDIAN) {
      bytes[0] = src[pos + 7];
      bytes[1] = src[pos + 6];
      bytes[2] = src[pos + 5];
      bytes[3] = src[pos + 4];
      bytes[4] = src[pos + 3];
      bytes[5] = src[pos + 2];
      bytes[6] = src[pos + 1];
      bytes[7] = src[pos];
    } else {
      bytes.set(src.subarray(pos, pos + 8));
    }
    this.pos = pos + 8;
    return this.#float64[0];
  }

  readInt64(signed: boolean): number | bigint | string {
    const pos = this.pos;
    if (this.end - pos < 8) throw this.#truncated(pos, 8);
    this.pos = pos + 8;
    const src = this.src;
    const low = readUint32(src, pos + 4);
    const high = signed ? readUint32(src, pos) | 0 : readUint32(src, pos);
    // Exact while |high| ≤ 2^21; beyond, the (rounded) number is outside the safe range anyway.
    const value = high * TWO_32 + low;
    if (this.int64 === INT64_AUTO && Number.isSafeInteger(value)) return value;
    return this.#int64Other(high, low, value);
  }

  /** An int64 outside the safe range, or any int64 under `int64` other than "auto". */
  #int64Other(high: number, low: number, value: number): number | bigint | string {
    const mode = this.int64;
    if (mode === INT64_NUMBER) return value;
    if (mode === INT64_STRING && Number.isSafeInteger(value)) return String(value);
    const big = (BigInt(high) << 32n) | BigInt(low);
    return mode === INT64_STRING ? String(big) : big;
  }

  #truncated(at: number, needed: number): RangeError {
    return new RangeError(
      `Cannot decode MessagePack: unexpected end of input at offset ${at} (needs ${needed} more bytes, ${
        Math.max(this.end - at, 0)
      } left)`,
    );
  }

  /**
   * The cold half of a hot length check: throws when `length` is over its
   * real limit or needs more than the `needed` bytes left; returns when only
   * the hot check's capped limit was passed.
   */
  #checkLength(
    kind: "str" | "array" | "map",
    length: number,
    start: number,
    needed: number,
  ): void {
    const limit = kind === "str"
      ? this.maxStrLength
      : kind === "array"
      ? this.maxArrayLength
      : this.maxMapLength;
    if (length > limit) throw this.#overLimit(kind, length, start);
    if (needed > this.end - start) throw this.#truncated(start, needed);
  }

  /**
   * A length over its limit. `start` is where the value's header ended (the
   * payload, or for ext the type byte); the message names where it began.
   */
  #overLimit(
    kind: "str" | "bin" | "array" | "map" | "ext",
    length: number,
    start: number,
  ): RangeError {
    const [unit, limit] = kind === "str"
      ? ["bytes", this.maxStrLength]
      : kind === "bin"
      ? ["bytes", this.maxBinLength]
      : kind === "array"
      ? ["elements", this.maxArrayLength]
      : kind === "map"
      ? ["entries", this.maxMapLength]
      : ["bytes", this.maxExtLength];
    const option = `max${kind === "str" ? "Str" : kind[0].toUpperCase() + kind.slice(1)}Length`;
    return new RangeError(
      `Cannot decode MessagePack: ${kind} of ${length} ${unit} exceeds ${option} ${limit} at offset ${
        this.#headerStart(kind, length, start)
      }`,
    );
  }

  /** Where the header of a `kind` value of `length` whose header ends at `start` began. */
  #headerStart(
    kind: "str" | "bin" | "array" | "map" | "ext",
    length: number,
    start: number,
  ): number {
    const src = this.src;
    const [fix, fixMax, token8, token16] = HEADERS[kind];
    // fixext is a token and the type byte; ext 8/16/32 have a length between them.
    if (kind === "ext" && src[start - 1] === FIXEXT_TOKENS[length]) return start - 1;
    if (fix >= 0 && length <= fixMax && src[start - 1] === fix + length) return start - 1;
    if (token8 >= 0 && src[start - 2] === token8 && src[start - 1] === length) return start - 2;
    if (src[start - 3] === token16 && ((src[start - 2] << 8) | src[start - 1]) === length) {
      return start - 3;
    }
    return start - 5;
  }

  #overBudget(at: number, length: number): RangeError {
    return new RangeError(
      `Cannot decode MessagePack: the array of ${length} elements at offset ${at} takes the arrays of this message past ${this.end} elements in total, one per input byte (${this.arrayBudget} left)`,
    );
  }

  #tooDeep(at: number): RangeError {
    return new RangeError(
      `Cannot decode MessagePack: nesting deeper than maxDepth ${this.maxDepth} at offset ${
        at - 1
      }`,
    );
  }
}

/** Per kind: fix token base (or -1), the largest fix length, 8- and 16-bit length tokens (or -1). */
const HEADERS = {
  str: [0xa0, 31, 0xd9, 0xda],
  bin: [-1, 0, 0xc4, 0xc5],
  array: [0x90, 15, -1, 0xdc],
  map: [0x80, 15, -1, 0xde],
  ext: [-1, 0, 0xc7, 0xc8],
} as const;
/** The fixext token of each payload length. */
const FIXEXT_TOKENS: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };

function readUint32(src: Uint8Array, pos: number): number {
  return src[pos] * 0x1000000 + ((src[pos + 1] << 16) | (src[pos + 2] << 8) | src[pos + 3]);
}
