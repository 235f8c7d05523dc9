/**
 * The MessagePack encoder core: writes a value tree into one byte target,
 * either the instance's own growable scratch buffer or a caller's bounded
 * buffer. Internal to the serializers; {@linkcode MsgPackSerializer} is the
 * public face.
 *
 * @module
 */
import { LITTLE_ENDIAN } from "../platform/runtime.ts";
import type { SlabAllocator } from "../pool/mod.ts";
import { MsgPackExt } from "./msgpack_ext.ts";
import { JS_ENCODE_MAX } from "./_msgpack_utf8.ts";
import { encodeUtf8NativeUnchecked, encodeUtf8Unchecked } from "../encoding/utf8_primitives.ts";
import { findCyclePath, findPath } from "./_msgpack_paths.ts";
import type { MsgPackExtension } from "./msgpack_extension.ts";
import {
  LARGE_BIGINT_ERROR,
  LARGE_BIGINT_FLOAT,
  LARGE_BIGINT_STRING,
  type TypeSettings,
} from "./_msgpack_type_options.ts";
import {
  decimalMultiplier,
  FLOAT32_DECIMAL_FIT,
  FLOAT32_EXACT,
  FLOAT32_NEVER,
} from "./_msgpack_float32.ts";
import {
  AGGREGATE_ERROR,
  describeTag,
  isRefusedTag,
  MORE_TYPES_ERROR,
  MORE_TYPES_REGEXP,
  MORE_TYPES_SET,
  MORE_TYPES_TAGS,
  MORE_TYPES_TYPED_ARRAY,
  MORE_TYPES_UNDEFINED,
  TYPED_ARRAY_CODE_ARRAY_BUFFER,
  TYPED_ARRAY_CODE_DATA_VIEW,
  TYPED_ARRAY_CODES,
} from "./_msgpack_more_types.ts";

/** Thrown (by identity) when a bounded target runs out of room. */
export const OVERFLOW: object = Object.freeze({ overflow: true });

/** An empty slot of the plain-class cache: equal to no `constructor` value (not even null). */
const NO_CLASS: unique symbol = Symbol("no class");
/** No repeat pending (see `MsgPackEncoder.#memo`). */
const NO_REPEAT: unique symbol = Symbol("no repeat");
/** Room kept past `safeEnd` so any fixed-size item fits without a check. */
const SLACK = 16;
const INITIAL_SCRATCH = 8192;
/** Scratch buffers above this are dropped after use, so one huge message doesn't pin memory. */
const MAX_RETAINED_SCRATCH = 4 * 1024 * 1024;
const MAX_UINT32 = 0xffffffff;
const hasOwnProperty = Object.prototype.hasOwnProperty;
const objectToString = Object.prototype.toString;
const OBJECT_PROTOTYPE = Object.prototype;
/** Bits of the encoder's object mode; 0 is the plain fast path. */
const IGNORE_UNDEFINED = 1;
const SORT_KEYS = 2;
const USE_TO_JSON = 4;
const TYPED_ARRAY_TAG = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype),
  Symbol.toStringTag,
)!.get!;

/** Encoder settings: the depth limit and the resolved type options. */
export interface EncoderSettings extends TypeSettings {
  /** Maximum nesting depth. */
  readonly maxDepth: number;
}

/** Writes MessagePack; one instance per serializer, never shared. */
export class MsgPackEncoder {
  /** The current target: the scratch buffer or a caller's buffer. */
  target: Uint8Array;
  /** Next write position in `target`. */
  pos = 0;
  /** Past this position fixed-size writes need {@linkcode MsgPackEncoder.grow}. */
  safeEnd: number;
  /** Whether the target may be replaced by a larger one. */
  growable = true;
  /** Writes stay below this index of `target` (its length, or less for a slab chunk). */
  limit = 0;
  /** Nesting levels still allowed. */
  depthLeft: number;
  /** True while an encode runs (guards re-entrant calls from getters). */
  busy = false;
  readonly maxDepth: number;
  /** What this encoder was made with (a re-entrant call makes a fresh encoder from it). */
  readonly settings: EncoderSettings;
  // The options read on hot paths are plain fields, like `target` and `pos`.
  /** A FLOAT32_* mode. */
  readonly float32Mode: number;
  /** `forceIntegerToFloat`. */
  readonly forceFloat: boolean;
  /** IGNORE_UNDEFINED | SORT_KEYS | USE_TO_JSON, or 0 for the plain path. */
  readonly objectMode: number;
  readonly #moreTypes: boolean;
  /** A LARGE_BIGINT_* mode. */
  readonly #largeBigInt: number;
  readonly #extensions: readonly MsgPackExtension[];
  readonly #hasExtensions: boolean;
  /**
   * An encode into a bounded target that gives -1 is repeated into scratch;
   * the repeat must not call user code twice for one value. So a bounded
   * encode counts its callback calls ("offers": a value offered to the
   * extensions, or a `toJSON` call) and records the results that matter as
   * `[offer, value, type, result]`: payloads an extension returned and every
   * `toJSON` result. An offer the repeat finds unrecorded was declined by
   * every extension. Nothing is recorded for a value no extension claims.
   */
  readonly #memo: unknown[] = [];
  /** The next record of `#memo` a repeat replays. */
  #memoAt = 0;
  /** Offers made so far in this encode. */
  #offers = 0;
  /** Offers made by the bounded encode this one repeats (0 when not repeating). */
  #replayOffers = 0;
  /** The root of a bounded encode that gave -1 (its records await a repeat), else `NO_REPEAT`. */
  #repeatOf: unknown = NO_REPEAT;
  readonly #context: unknown;
  /**
   * Constructors of the last classes whose instances were found to keep
   * their state in their own properties (four slots, replaced in turn), so
   * that messages mixing a few classes skip the checks.
   */
  #plain0: unknown = NO_CLASS;
  #plain1: unknown = NO_CLASS;
  #plain2: unknown = NO_CLASS;
  #plain3: unknown = NO_CLASS;
  #nextPlain = 0;
  #scratch: Uint8Array;
  #root: unknown = undefined;
  readonly #float64 = new Float64Array(1);
  readonly #float32Array = new Float32Array(this.#float64.buffer, 0, 1);
  readonly #floatBytes = new Uint8Array(this.#float64.buffer);

  constructor(settings: EncoderSettings) {
    this.settings = settings;
    this.maxDepth = settings.maxDepth;
    this.float32Mode = settings.float32;
    this.forceFloat = settings.forceIntegerToFloat;
    this.objectMode = (settings.ignoreUndefined ? IGNORE_UNDEFINED : 0) |
      (settings.sortKeys ? SORT_KEYS : 0) | (settings.useToJSON ? USE_TO_JSON : 0);
    this.#moreTypes = settings.moreTypes;
    this.#largeBigInt = settings.largeBigInt;
    this.#extensions = settings.extensions;
    this.#hasExtensions = settings.extensions.length > 0;
    this.#context = settings.context;
    this.depthLeft = settings.maxDepth;
    this.#scratch = new Uint8Array(0);
    this.target = this.#scratch;
    this.safeEnd = -SLACK;
  }

  /**
   * Encodes into the scratch buffer from offset 0.
   *
   * @returns The encoded length; the bytes are `scratchView(length)` until the next call.
   */
  encodeToScratch(value: unknown, repeat: boolean = false): number {
    if (this.#scratch.length === 0) this.#scratch = new Uint8Array(INITIAL_SCRATCH);
    // The repeat of a bounded encode that gave -1 replays its callbacks' results.
    if (!repeat || this.#repeatOf !== value) this.#forgetCallbacks();
    this.#repeatOf = NO_REPEAT;
    this.#begin(this.#scratch, 0, true, value, this.#scratch.length);
    try {
      this.write(value);
      return this.pos;
    } finally {
      this.#scratch = this.target;
      this.#end();
      this.#forgetCallbacks();
    }
  }

  /** A view of the first `length` scratch bytes (valid until the next encode). */
  scratchView(length: number): Uint8Array {
    return this.#scratch.subarray(0, length);
  }

  /** Copies the first `length` scratch bytes into a slab result (`length` ≤ its maxSlabLength). */
  copyScratch(slab: SlabAllocator, length: number): Uint8Array {
    return slab.copy(this.#scratch, 0, length);
  }

  /** Drops an oversized scratch buffer; call after copying out of it. */
  releaseScratch(): void {
    if (this.#scratch.length > MAX_RETAINED_SCRATCH) this.#scratch = new Uint8Array(0);
  }

  /**
   * Encodes into `dest` from `offset` without growing.
   *
   * @returns The end offset, or -1 when `dest` ran out of room or the encoding is longer than `maxLength` (some bytes past `offset` may have been written; repeat with `encodeToScratch(value, true)`).
   */
  encodeBounded(
    value: unknown,
    dest: Uint8Array,
    offset: number,
    limit: number = dest.length,
    maxLength: number = Infinity,
  ): number {
    this.#forgetCallbacks();
    this.#repeatOf = NO_REPEAT;
    this.#begin(dest, offset, false, value, limit);
    let overflow = false;
    try {
      this.write(value);
      if (this.pos - offset <= maxLength) return this.pos;
      overflow = true;
      return -1;
    } catch (error) {
      if (error !== OVERFLOW) throw error;
      overflow = true;
      return -1;
    } finally {
      this.target = this.#scratch;
      this.#end();
      // The caller repeats into scratch: keep what the callbacks returned for it.
      if (overflow) {
        this.#repeatOf = value;
        this.#replayOffers = this.#offers;
      } else {
        this.#forgetCallbacks();
      }
    }
  }

  #forgetCallbacks(): void {
    if (this.#memo.length !== 0) this.#memo.length = 0;
    this.#replayOffers = 0;
  }

  /**
   * Counts an offer. Returns the index of its record in `#memo` when this
   * encode repeats one that recorded it, -1 when that encode's extensions
   * all declined it, or -2 when the callbacks must run.
   */
  #offer(value: unknown): number {
    const offer = this.#offers++;
    if (offer >= this.#replayOffers) return -2;
    const memo = this.#memo;
    const at = this.#memoAt;
    if (at < memo.length && memo[at] === offer) {
      if (memo[at + 1] === value) {
        this.#memoAt = at + 4;
        return at;
      }
    } else if (at >= memo.length || (memo[at] as number) > offer) {
      return -1;
    }
    // The value tree changed under us (a getter returned a new object): call from here on.
    this.#replayOffers = 0;
    return -2;
  }

  /** Records a callback result, during a bounded encode only (only that one can be repeated). */
  #record(value: unknown, type: number, result: unknown): void {
    if (!this.growable) this.#memo.push(this.#offers - 1, value, type, result);
  }

  #begin(
    target: Uint8Array,
    offset: number,
    growable: boolean,
    root: unknown,
    limit: number,
  ): void {
    this.busy = true;
    this.target = target;
    this.pos = offset;
    this.limit = limit;
    this.safeEnd = limit - SLACK;
    this.growable = growable;
    this.depthLeft = this.maxDepth;
    this.#root = root;
    this.#offers = 0;
    this.#memoAt = 0;
  }

  #end(): void {
    this.busy = false;
    this.#root = undefined;
    this.pos = 0;
    this.limit = this.target.length;
    this.safeEnd = this.limit - SLACK;
  }

  /** Makes room for `size` more bytes past `pos` (plus the slack), or throws {@linkcode OVERFLOW}. */
  grow(size: number): void {
    const needed = this.pos + size + SLACK;
    if (needed <= this.limit) return;
    if (!this.growable) throw OVERFLOW;
    if (needed > 0x100000000) {
      throw new RangeError(
        `Cannot encode MessagePack: the message would exceed 4 GiB (${needed} bytes)`,
      );
    }
    const next = new Uint8Array(Math.min(Math.max(needed * 4, INITIAL_SCRATCH), 0x100000000));
    next.set(this.target.subarray(0, this.pos));
    this.target = next;
    this.limit = next.length;
    this.safeEnd = next.length - SLACK;
  }

  /** Writes any value; the hot entry point, kept monomorphic by type. */
  write(value: unknown): void {
    if (this.pos > this.safeEnd) this.grow(SLACK);
    if (typeof value === "string") {
      this.writeString(value);
    } else if (typeof value === "number") {
      this.writeNumber(value);
    } else if (typeof value === "object") {
      if (value === null) {
        this.target[this.pos++] = 0xc0;
      } else if (Array.isArray(value)) {
        this.writeArray(value);
      } else if (value.constructor === Object) {
        this.writeObject(value as Record<string, unknown>);
      } else {
        this.writeOtherObject(value);
      }
    } else if (typeof value === "boolean") {
      this.target[this.pos++] = value ? 0xc3 : 0xc2;
    } else if (value === undefined) {
      if (this.#moreTypes) this.#writeTag(MORE_TYPES_UNDEFINED);
      else this.target[this.pos++] = 0xc0;
    } else if (typeof value === "bigint") {
      this.writeBigInt(value);
    } else if (!this.#hasExtensions || !this.#tryExtensions(value)) {
      throw this.#unsupported(value);
    }
  }

  /**
   * Writes a string. Short ASCII (most keys and many values) takes a small,
   * inlinable fast path; everything else goes to {@linkcode MsgPackEncoder.writeAnyString}.
   */
  writeString(text: string): void {
    const length = text.length;
    if (length > 31 || this.pos + 32 > this.safeEnd) {
      this.writeAnyString(text);
      return;
    }
    const target = this.target;
    const start = this.pos;
    let end = start + 1;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        this.writeAnyString(text);
        return;
      }
      target[end++] = c;
    }
    target[start] = 0xa0 | length;
    this.pos = end;
  }

  /** Any string: str8/16/32 headers, non-ASCII, and the native path for long strings. */
  writeAnyString(text: string): void {
    const length = text.length;
    // Worst case 3 bytes per UTF-16 unit, plus a 5-byte header.
    if (this.pos + length * 3 + 5 > this.safeEnd) this.grow(length * 3 + 5);
    const target = this.target;
    const start = this.pos;
    const headerSize = length < 32 ? 1 : length < 256 ? 2 : length < 65536 ? 3 : 5;
    let end: number;
    if (length <= JS_ENCODE_MAX) {
      end = start + headerSize;
      // ASCII runs in a tight loop; the first other unit hands over to the full encoder.
      let i = 0;
      for (; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        target[end++] = c;
      }
      if (i < length) end = encodeUtf8Unchecked(text, i, length, target, end);
    } else {
      end = encodeUtf8NativeUnchecked(text, target, start + headerSize);
    }
    const byteLength = end - start - headerSize;
    if (byteLength < 32) {
      target[start] = 0xa0 | byteLength;
    } else if (byteLength < 256) {
      if (headerSize < 2) {
        target.copyWithin(start + 2, start + 1, end);
        end += 1;
      }
      target[start] = 0xd9;
      target[start + 1] = byteLength;
    } else if (byteLength < 65536) {
      if (headerSize < 3) {
        target.copyWithin(start + 3, start + headerSize, end);
        end += 3 - headerSize;
      }
      target[start] = 0xda;
      target[start + 1] = byteLength >> 8;
      target[start + 2] = byteLength;
    } else {
      if (headerSize < 5) {
        target.copyWithin(start + 5, start + headerSize, end);
        end += 5 - headerSize;
      }
      target[start] = 0xdb;
      target[start + 1] = byteLength >>> 24;
      target[start + 2] = byteLength >> 16;
      target[start + 3] = byteLength >> 8;
      target[start + 4] = byteLength;
    }
    this.pos = end;
  }

  writeNumber(value: number): void {
    if (this.forceFloat) {
      this.writeFloat(value);
      return;
    }
    const target = this.target;
    let pos = this.pos;
    if (value >>> 0 === value) {
      if (value < 0x80) {
        target[pos++] = value;
      } else if (value < 0x100) {
        target[pos++] = 0xcc;
        target[pos++] = value;
      } else if (value < 0x10000) {
        target[pos++] = 0xcd;
        target[pos++] = value >> 8;
        target[pos++] = value;
      } else {
        target[pos++] = 0xce;
        target[pos++] = value >>> 24;
        target[pos++] = value >> 16;
        target[pos++] = value >> 8;
        target[pos++] = value;
      }
    } else if ((value | 0) === value) {
      if (value >= -0x20) {
        target[pos++] = value;
      } else if (value >= -0x80) {
        target[pos++] = 0xd0;
        target[pos++] = value;
      } else if (value >= -0x8000) {
        target[pos++] = 0xd1;
        target[pos++] = value >> 8;
        target[pos++] = value;
      } else {
        target[pos++] = 0xd2;
        target[pos++] = value >> 24;
        target[pos++] = value >> 16;
        target[pos++] = value >> 8;
        target[pos++] = value;
      }
    } else if (Number.isSafeInteger(value)) {
      // Beyond 32 bits: uint64 or int64, split into two 32-bit halves.
      const high = Math.floor(value / 0x100000000);
      const low = value - high * 0x100000000;
      target[pos++] = value > 0 ? 0xcf : 0xd3;
      target[pos++] = high >> 24;
      target[pos++] = high >> 16;
      target[pos++] = high >> 8;
      target[pos++] = high;
      target[pos++] = low >>> 24;
      target[pos++] = low >> 16;
      target[pos++] = low >> 8;
      target[pos++] = low;
    } else if (this.float32Mode !== FLOAT32_NEVER) {
      this.writeFloat(value);
      return;
    } else {
      this.#writeFloat64(value);
      return;
    }
    this.pos = pos;
  }

  /** A number as float32 when the float mode allows it, else as float64 (never as an int). */
  writeFloat(value: number): void {
    if (this.float32Mode === FLOAT32_NEVER || !this.#fitsFloat32(value)) {
      this.#writeFloat64(value);
      return;
    }
    const target = this.target;
    let pos = this.pos;
    this.#float32Array[0] = value;
    const bytes = this.#floatBytes;
    target[pos++] = 0xca;
    if (LITTLE_ENDIAN) {
      target[pos++] = bytes[3];
      target[pos++] = bytes[2];
      target[pos++] = bytes[1];
      target[pos++] = bytes[0];
    } else {
      target.set(bytes.subarray(0, 4), pos);
      pos += 4;
    }
    this.pos = pos;
  }

  /** A float64: the one writer of 0xcb (numbers, forced floats, large bigints as floats). */
  #writeFloat64(value: number): void {
    this.#float64[0] = value;
    const bytes = this.#floatBytes;
    const target = this.target;
    let pos = this.pos;
    target[pos++] = 0xcb;
    if (LITTLE_ENDIAN) {
      target[pos++] = bytes[7];
      target[pos++] = bytes[6];
      target[pos++] = bytes[5];
      target[pos++] = bytes[4];
      target[pos++] = bytes[3];
      target[pos++] = bytes[2];
      target[pos++] = bytes[1];
      target[pos++] = bytes[0];
    } else {
      target.set(bytes, pos);
      pos += 8;
    }
    this.pos = pos;
  }

  /** Whether the float mode writes `value` as float32 (msgpackr's rules for the `useFloat32` modes). */
  #fitsFloat32(value: number): boolean {
    const mode = this.float32Mode;
    if (mode === FLOAT32_EXACT) return Math.fround(value) === value;
    // msgpackr's range; NaN fails it.
    if (!(value < 0x100000000 && value >= -0x80000000)) return false;
    if (mode !== FLOAT32_DECIMAL_FIT) return true;
    this.#float32Array[0] = value;
    const bytes = this.#floatBytes;
    const shifted = value *
      decimalMultiplier(bytes[LITTLE_ENDIAN ? 3 : 0], bytes[LITTLE_ENDIAN ? 2 : 1]);
    return (shifted >> 0) === shifted;
  }

  writeArray(array: unknown[]): void {
    if (--this.depthLeft < 0) throw this.#tooDeep();
    const length = array.length;
    this.#writeContainerHeader(length, 0x90, 0xdc);
    for (let i = 0; i < length; i++) this.write(array[i]);
    this.depthLeft++;
  }

  /** Plain objects (and other objects' own enumerable string keys) as a map. */
  writeObject(object: Record<string, unknown>): void {
    if (this.objectMode !== 0) {
      this.#writeObjectWithOptions(object);
      return;
    }
    if (--this.depthLeft < 0) throw this.#tooDeep();
    // The key count is unknown until the loop ends: reserve a fixmap byte and
    // widen the header afterwards in the rare case of 16 keys or more.
    const headerAt = this.pos++;
    let count = 0;
    for (const key in object) {
      if (hasOwnProperty.call(object, key)) {
        this.writeString(key);
        this.write(object[key]);
        count++;
      }
    }
    if (count < 16) {
      this.target[headerAt] = 0x80 | count;
    } else {
      this.#widenHeader(headerAt, count, 0xde);
    }
    this.depthLeft++;
  }

  #widenHeader(headerAt: number, count: number, marker16: number): void {
    const extra = count < 65536 ? 2 : 4;
    this.grow(extra);
    const target = this.target;
    target.copyWithin(headerAt + 1 + extra, headerAt + 1, this.pos);
    this.pos += extra;
    if (extra === 2) {
      target[headerAt] = marker16;
      target[headerAt + 1] = count >> 8;
      target[headerAt + 2] = count;
    } else {
      target[headerAt] = marker16 + 1;
      target[headerAt + 1] = count >>> 24;
      target[headerAt + 2] = count >> 16;
      target[headerAt + 3] = count >> 8;
      target[headerAt + 4] = count;
    }
  }

  #writeContainerHeader(length: number, fixMarker: number, marker16: number): void {
    const target = this.target;
    let pos = this.pos;
    if (length < 16) {
      target[pos++] = fixMarker | length;
    } else if (length < 65536) {
      target[pos++] = marker16;
      target[pos++] = length >> 8;
      target[pos++] = length;
    } else {
      target[pos++] = marker16 + 1;
      target[pos++] = length >>> 24;
      target[pos++] = length >> 16;
      target[pos++] = length >> 8;
      target[pos++] = length;
    }
    this.pos = pos;
  }

  /**
   * `writeObject` with `ignoreUndefined`, `sortKeys` or `useToJSON`: the keys
   * are collected first (the count is known before the header), then written.
   */
  #writeObjectWithOptions(object: Record<string, unknown>): void {
    const mode = this.objectMode;
    if (--this.depthLeft < 0) throw this.#tooDeep();
    if ((mode & USE_TO_JSON) !== 0 && typeof object.toJSON === "function") {
      const at = this.#offer(object);
      let json: unknown;
      if (at >= 0) {
        json = this.#memo[at + 3];
      } else {
        // Every toJSON result is recorded, so -1 (declined) cannot happen here.
        json = (object.toJSON as () => unknown)();
        this.#record(object, 0, json);
      }
      if (json !== object) {
        // Each toJSON call counts as a level, so a toJSON that returns a new such object each time ends.
        this.write(json);
        this.depthLeft++;
        return;
      }
    }
    const keys: string[] = [];
    for (const key in object) {
      if (
        hasOwnProperty.call(object, key) &&
        ((mode & IGNORE_UNDEFINED) === 0 || object[key] !== undefined)
      ) keys.push(key);
    }
    if ((mode & SORT_KEYS) !== 0) keys.sort();
    const count = keys.length;
    if (this.pos > this.safeEnd) this.grow(SLACK);
    this.#writeContainerHeader(count, 0x80, 0xde);
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      this.writeString(key);
      this.write(object[key]);
    }
    this.depthLeft++;
  }

  /** Everything that is an object but not null, an array or a plain object. */
  writeOtherObject(value: object): void {
    if (this.#hasExtensions && this.#tryExtensions(value)) return;
    // Instances of the last few plain classes first, by their constructor: they skip every
    // check below. (`Object.getPrototypeOf` or `instanceof` here cost 6-12% on class-heavy
    // messages on V8. Only an object that lies about its constructor, with an own
    // `constructor` property naming such a class, could slip through as a plain instance.)
    const constructor = (value as { constructor?: unknown }).constructor;
    if (
      constructor === this.#plain0 || constructor === this.#plain1 ||
      constructor === this.#plain2 || constructor === this.#plain3
    ) {
      this.writeObject(value as Record<string, unknown>);
    } else if (value instanceof Uint8Array) {
      this.writeBinary(value);
    } else if (value instanceof Date) {
      this.writeDate(value);
    } else if (value instanceof Map) {
      this.writeMap(value);
    } else if (value instanceof MsgPackExt) {
      this.writeExt(value.type, value.data);
    } else if (ArrayBuffer.isView(value)) {
      if (this.#moreTypes) this.#writeTypedArray(value);
      else this.writeBinary(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    } else if (value instanceof ArrayBuffer) {
      if (this.#moreTypes) {
        this.#writeTypedArrayExt(TYPED_ARRAY_CODE_ARRAY_BUFFER, new Uint8Array(value));
      } else this.writeBinary(new Uint8Array(value));
    } else if (
      Object.getPrototypeOf(value) === OBJECT_PROTOTYPE || Object.getPrototypeOf(value) === null
    ) {
      // A plain object of another realm, or with an own `constructor` key; a null-prototype object.
      this.writeObject(value as Record<string, unknown>);
    } else {
      this.#writeInstance(value, Object.getPrototypeOf(value));
    }
  }

  /**
   * A class instance or a built-in object: its own enumerable properties,
   * unless its state lives in internal slots (Set, Error, boxed primitives,
   * …), which `moreTypes` writes or which is refused. The rare path: a
   * constructor found to be a plain class's is remembered, so its next
   * instances skip the checks.
   */
  #writeInstance(value: object, prototype: object): void {
    if (
      (this.objectMode & USE_TO_JSON) !== 0 &&
      typeof (value as { toJSON?: unknown }).toJSON === "function"
    ) {
      this.writeObject(value as Record<string, unknown>);
      return;
    }
    const tag: string = objectToString.call(value);
    if (tag === "[object Object]") {
      const constructor = (value as { constructor?: unknown }).constructor;
      if (typeof constructor === "function" && constructor.prototype === prototype) {
        this.#rememberPlain(constructor);
      }
      this.writeObject(value as Record<string, unknown>);
    } else if (tag === "[object Set]" && this.#moreTypes) {
      this.#writeSet(value as Set<unknown>);
    } else if (tag === "[object Error]" && this.#moreTypes) {
      this.#writeError(value as Error);
    } else if (tag === "[object RegExp]" && this.#moreTypes) {
      this.#writeRegExp(value as RegExp);
    } else if (tag === "[object SharedArrayBuffer]") {
      this.writeBinary(new Uint8Array(value as SharedArrayBuffer));
    } else if (isRefusedTag(tag)) {
      throw this.#unrepresentable(
        value,
        describeTag(tag),
        MORE_TYPES_TAGS.has(tag)
          ? " (its state is not in its properties: use moreTypes or register an extension)"
          : " (its state is not in its properties: register an extension for it)",
      );
    } else {
      // A class with a Symbol.toStringTag of its own.
      this.writeObject(value as Record<string, unknown>);
    }
  }

  #rememberPlain(constructor: object): void {
    const slot = this.#nextPlain;
    if (slot === 0) this.#plain0 = constructor;
    else if (slot === 1) this.#plain1 = constructor;
    else if (slot === 2) this.#plain2 = constructor;
    else this.#plain3 = constructor;
    this.#nextPlain = (slot + 1) & 3;
  }

  /** Offers a value to the extensions; writes the first payload returned. */
  #tryExtensions(value: unknown): boolean {
    const at = this.#offer(value);
    if (at === -1) return false;
    if (at >= 0) {
      this.writeExt(this.#memo[at + 2] as number, this.#memo[at + 3] as Uint8Array);
      return true;
    }
    const extensions = this.#extensions;
    const context = this.#context;
    for (let i = 0; i < extensions.length; i++) {
      const extension = extensions[i];
      const data = extension.encode(value, context);
      if (data === null || data === undefined) continue;
      if (!(data instanceof Uint8Array)) {
        throw this.#unrepresentable(
          value,
          `the payload of extension ${extension.type} (${
            typeof data === "object" ? objectToString.call(data) : typeof data
          }, not a Uint8Array) for the value`,
        );
      }
      if (data.length > MAX_UINT32) {
        throw new RangeError(
          `Cannot encode MessagePack: extension ${extension.type} returned ${data.length} bytes, more than 4 GiB - 1`,
        );
      }
      this.#record(value, extension.type, data);
      this.writeExt(extension.type, data);
      return true;
    }
    return false;
  }

  /** A one-byte "tag" ext (fixext 1, payload 0), as msgpackr writes before a Set, Error or RegExp. */
  #writeTag(type: number): void {
    const target = this.target;
    target[this.pos] = 0xd4;
    target[this.pos + 1] = type;
    target[this.pos + 2] = 0;
    this.pos += 3;
  }

  #writeSet(set: Set<unknown>): void {
    this.#writeTag(MORE_TYPES_SET);
    if (--this.depthLeft < 0) throw this.#tooDeep();
    this.#writeContainerHeader(set.size, 0x90, 0xdc);
    for (const item of set) this.write(item);
    this.depthLeft++;
  }

  /** `[name, message, cause]`, plus `errors` for an AggregateError, as msgpackr writes them. */
  #writeError(error: Error): void {
    this.#writeTag(MORE_TYPES_ERROR);
    if (--this.depthLeft < 0) throw this.#tooDeep();
    const aggregate = AGGREGATE_ERROR !== undefined && error instanceof AGGREGATE_ERROR;
    this.target[this.pos++] = aggregate ? 0x94 : 0x93;
    this.write(String(error.name));
    this.write(String(error.message));
    this.write((error as { cause?: unknown }).cause);
    if (aggregate) this.write((error as AggregateError).errors);
    this.depthLeft++;
  }

  #writeRegExp(regexp: RegExp): void {
    this.#writeTag(MORE_TYPES_REGEXP);
    this.target[this.pos++] = 0x92;
    this.write(regexp.source);
    this.write(regexp.flags);
  }

  /** A typed array or DataView under `moreTypes`: ext 0x74 with its element type (a Uint8Array stays bin). */
  #writeTypedArray(view: ArrayBufferView): void {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    if (view instanceof DataView) {
      this.#writeTypedArrayExt(TYPED_ARRAY_CODE_DATA_VIEW, bytes);
      return;
    }
    const code = TYPED_ARRAY_CODES[TYPED_ARRAY_TAG.call(view) as string];
    // Uint8Array (and Buffer) stay bin; a type msgpackr has no code for (Float16Array) too.
    if (code === undefined || code === 1) this.writeBinary(bytes);
    else this.#writeTypedArrayExt(code, bytes);
  }

  /** msgpackr's typed-array ext: always ext 8/16/32 (never fixext), type 0x74, the element code, the bytes. */
  #writeTypedArrayExt(code: number, bytes: Uint8Array): void {
    const length = bytes.length + 1;
    if (length > MAX_UINT32) {
      throw this.#unrepresentable(bytes, "typed array longer than 4 GiB - 2");
    }
    if (this.pos + length + 6 > this.safeEnd) this.grow(length + 6);
    const target = this.target;
    let pos = this.pos;
    if (length < 0x100) {
      target[pos++] = 0xc7;
      target[pos++] = length;
    } else if (length < 0x10000) {
      target[pos++] = 0xc8;
      target[pos++] = length >> 8;
      target[pos++] = length;
    } else {
      target[pos++] = 0xc9;
      pos = writeUint32(target, pos, length);
    }
    target[pos++] = MORE_TYPES_TYPED_ARRAY;
    target[pos++] = code;
    target.set(bytes, pos);
    this.pos = pos + bytes.length;
  }

  writeBinary(bytes: Uint8Array): void {
    const length = bytes.length;
    if (length > MAX_UINT32) throw this.#unrepresentable(bytes, "binary longer than 4 GiB - 1");
    if (this.pos + length + 5 > this.safeEnd) this.grow(length + 5);
    const target = this.target;
    let pos = this.pos;
    if (length < 256) {
      target[pos++] = 0xc4;
      target[pos++] = length;
    } else if (length < 65536) {
      target[pos++] = 0xc5;
      target[pos++] = length >> 8;
      target[pos++] = length;
    } else {
      target[pos++] = 0xc6;
      target[pos++] = length >>> 24;
      target[pos++] = length >> 16;
      target[pos++] = length >> 8;
      target[pos++] = length;
    }
    target.set(bytes, pos);
    this.pos = pos + length;
  }

  writeMap(map: Map<unknown, unknown>): void {
    if (--this.depthLeft < 0) throw this.#tooDeep();
    this.#writeContainerHeader(map.size, 0x80, 0xde);
    for (const [key, entry] of map) {
      this.write(key);
      this.write(entry);
    }
    this.depthLeft++;
  }

  writeExt(type: number, data: Uint8Array): void {
    const length = data.length;
    if (this.pos + length + 6 > this.safeEnd) this.grow(length + 6);
    const target = this.target;
    let pos = this.pos;
    if (length === 1) target[pos++] = 0xd4;
    else if (length === 2) target[pos++] = 0xd5;
    else if (length === 4) target[pos++] = 0xd6;
    else if (length === 8) target[pos++] = 0xd7;
    else if (length === 16) target[pos++] = 0xd8;
    else if (length < 256) {
      target[pos++] = 0xc7;
      target[pos++] = length;
    } else if (length < 65536) {
      target[pos++] = 0xc8;
      target[pos++] = length >> 8;
      target[pos++] = length;
    } else {
      target[pos++] = 0xc9;
      target[pos++] = length >>> 24;
      target[pos++] = length >> 16;
      target[pos++] = length >> 8;
      target[pos++] = length;
    }
    target[pos++] = type;
    target.set(data, pos);
    this.pos = pos + length;
  }

  /** The timestamp extension (-1), in the smallest of its three formats. */
  writeDate(date: Date): void {
    const millis = date.getTime();
    if (millis !== millis) throw this.#unrepresentable(date, "invalid Date");
    const seconds = Math.floor(millis / 1000);
    const nanos = (millis - seconds * 1000) * 1e6;
    const target = this.target;
    let pos = this.pos;
    if (seconds >= 0 && seconds < 0x400000000) {
      if (nanos === 0 && seconds <= MAX_UINT32) {
        target[pos++] = 0xd6;
        target[pos++] = 0xff;
        pos = writeUint32(target, pos, seconds);
      } else {
        // timestamp 64: 30 bits of nanoseconds, 34 bits of seconds.
        target[pos++] = 0xd7;
        target[pos++] = 0xff;
        pos = writeUint32(target, pos, nanos * 4 + Math.floor(seconds / 0x100000000));
        pos = writeUint32(target, pos, seconds >>> 0);
      }
    } else {
      // timestamp 96: uint32 nanoseconds, int64 seconds.
      const high = Math.floor(seconds / 0x100000000);
      target[pos++] = 0xc7;
      target[pos++] = 12;
      target[pos++] = 0xff;
      pos = writeUint32(target, pos, nanos);
      pos = writeUint32(target, pos, high >>> 0);
      pos = writeUint32(target, pos, (seconds - high * 0x100000000) >>> 0);
    }
    this.pos = pos;
  }

  writeBigInt(value: bigint): void {
    if (this.#hasExtensions && this.#tryExtensions(value)) return;
    let marker: number;
    let unsigned: bigint;
    if (value >= -0x8000000000000000n && value <= 0x7fffffffffffffffn) {
      marker = 0xd3;
      unsigned = BigInt.asUintN(64, value);
    } else if (value > 0n && value <= 0xffffffffffffffffn) {
      marker = 0xcf;
      unsigned = value;
    } else {
      this.#writeLargeBigInt(value);
      return;
    }
    const target = this.target;
    let pos = this.pos;
    target[pos++] = marker;
    pos = writeUint32(target, pos, Number(unsigned >> 32n));
    pos = writeUint32(target, pos, Number(unsigned & 0xffffffffn));
    this.pos = pos;
  }

  /** A bigint outside 64 bits, as `largeBigInt` says. */
  #writeLargeBigInt(value: bigint): void {
    const mode = this.#largeBigInt;
    if (mode === LARGE_BIGINT_ERROR) {
      throw this.#unrepresentable(
        value,
        `bigint ${value} outside the 64-bit range (see the largeBigInt option)`,
      );
    }
    if (mode === LARGE_BIGINT_STRING) {
      this.writeAnyString(value.toString());
    } else if (mode === LARGE_BIGINT_FLOAT) {
      // Always float64, as msgpackr's largeBigIntToFloat.
      this.#writeFloat64(Number(value));
    } else {
      const data = bigIntExtPayload(value);
      this.writeExt(0x42, data);
    }
  }

  #unsupported(value: unknown): TypeError {
    return this.#unrepresentable(value, typeof value);
  }

  #unrepresentable(value: unknown, what: string, hint: string = ""): TypeError {
    const path = findPath(this.#root, (item) => item === value, this.maxDepth) ?? "$";
    return new TypeError(
      `Cannot encode MessagePack: ${what} at ${path} is not representable${hint}`,
    );
  }

  #tooDeep(): Error {
    const cycle = findCyclePath(this.#root, this.maxDepth);
    if (cycle !== undefined) {
      return new TypeError(`Cannot encode MessagePack: circular reference at ${cycle}`);
    }
    return new RangeError(
      `Cannot encode MessagePack: nesting deeper than maxDepth ${this.maxDepth}`,
    );
  }
}

/**
 * msgpackr's bigint ext (0x42) payload: big-endian two's complement, in
 * whole 64-bit words below 2^65536 in magnitude, in the fewest bytes above.
 */
function bigIntExtPayload(value: bigint): Uint8Array {
  const negative = value < 0n;
  if ((value >> 0x10000n) === (negative ? -1n : 0n)) {
    let words = 1;
    while (BigInt.asIntN(words * 64, value) !== value) words++;
    return hexBytes(BigInt.asUintN(words * 64, value).toString(16).padStart(words * 16, "0"));
  }
  let hex = (negative ? ~value : value).toString(16);
  if (hex.length % 2 !== 0) hex = "0" + hex;
  else if (parseInt(hex[0], 16) >= 8) hex = "00" + hex;
  const bytes = hexBytes(hex);
  if (negative) { for (let i = 0; i < bytes.length; i++) bytes[i] = ~bytes[i]; }
  return bytes;
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function writeUint32(target: Uint8Array, pos: number, value: number): number {
  target[pos] = value >>> 24;
  target[pos + 1] = value >>> 16;
  target[pos + 2] = value >>> 8;
  target[pos + 3] = value;
  return pos + 4;
}
