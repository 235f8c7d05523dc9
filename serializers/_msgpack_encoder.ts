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

/** Thrown (by identity) when a bounded target runs out of room. */
export const OVERFLOW: object = Object.freeze({ overflow: true });

/** Room kept past `safeEnd` so any fixed-size item fits without a check. */
const SLACK = 16;
const INITIAL_SCRATCH = 8192;
/** Scratch buffers above this are dropped after use, so one huge message doesn't pin memory. */
const MAX_RETAINED_SCRATCH = 4 * 1024 * 1024;
const MAX_UINT32 = 0xffffffff;
const hasOwnProperty = Object.prototype.hasOwnProperty;

/** Encoder settings. */
export interface EncoderSettings {
  /** Maximum nesting depth. */
  maxDepth: number;
  /** Write exact float32 values as float32. */
  preferFloat32: boolean;
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
  readonly preferFloat32: boolean;
  #scratch: Uint8Array;
  #root: unknown = undefined;
  readonly #float64 = new Float64Array(1);
  readonly #float32 = new Float32Array(this.#float64.buffer, 0, 1);
  readonly #floatBytes = new Uint8Array(this.#float64.buffer);

  constructor(settings: EncoderSettings) {
    this.maxDepth = settings.maxDepth;
    this.preferFloat32 = settings.preferFloat32;
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
  encodeToScratch(value: unknown): number {
    if (this.#scratch.length === 0) this.#scratch = new Uint8Array(INITIAL_SCRATCH);
    this.#begin(this.#scratch, 0, true, value, this.#scratch.length);
    try {
      this.write(value);
      return this.pos;
    } finally {
      this.#scratch = this.target;
      this.#end();
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
   * @returns The end offset, or -1 when `dest` ran out of room (some bytes past `offset` may have been written).
   */
  encodeBounded(
    value: unknown,
    dest: Uint8Array,
    offset: number,
    limit: number = dest.length,
  ): number {
    this.#begin(dest, offset, false, value, limit);
    try {
      this.write(value);
      return this.pos;
    } catch (error) {
      if (error === OVERFLOW) return -1;
      throw error;
    } finally {
      this.target = this.#scratch;
      this.#end();
    }
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
      this.target[this.pos++] = 0xc0;
    } else if (typeof value === "bigint") {
      this.writeBigInt(value);
    } else {
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
    } else if (this.preferFloat32 && Math.fround(value) === value) {
      this.#float32[0] = value;
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
    } else {
      this.#float64[0] = value;
      const bytes = this.#floatBytes;
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
    }
    this.pos = pos;
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

  /** Everything that is an object but not null, an array or a plain object. */
  writeOtherObject(value: object): void {
    if (value instanceof Uint8Array) {
      this.writeBinary(value);
    } else if (value instanceof Date) {
      this.writeDate(value);
    } else if (value instanceof Map) {
      this.writeMap(value);
    } else if (value instanceof MsgPackExt) {
      this.writeExt(value.type, value.data);
    } else if (ArrayBuffer.isView(value)) {
      this.writeBinary(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    } else if (value instanceof ArrayBuffer) {
      this.writeBinary(new Uint8Array(value));
    } else {
      this.writeObject(value as Record<string, unknown>);
    }
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
    let marker: number;
    let unsigned: bigint;
    if (value >= -0x8000000000000000n && value <= 0x7fffffffffffffffn) {
      marker = 0xd3;
      unsigned = BigInt.asUintN(64, value);
    } else if (value > 0n && value <= 0xffffffffffffffffn) {
      marker = 0xcf;
      unsigned = value;
    } else {
      throw this.#unrepresentable(value, `bigint ${value} outside the 64-bit range`);
    }
    const target = this.target;
    let pos = this.pos;
    target[pos++] = marker;
    pos = writeUint32(target, pos, Number(unsigned >> 32n));
    pos = writeUint32(target, pos, Number(unsigned & 0xffffffffn));
    this.pos = pos;
  }

  #unsupported(value: unknown): TypeError {
    return this.#unrepresentable(value, typeof value);
  }

  #unrepresentable(value: unknown, what: string): TypeError {
    const path = findPath(this.#root, (item) => item === value, this.maxDepth) ?? "$";
    return new TypeError(`Cannot encode MessagePack: ${what} at ${path} is not representable`);
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

function writeUint32(target: Uint8Array, pos: number, value: number): number {
  target[pos] = value >>> 24;
  target[pos + 1] = value >>> 16;
  target[pos + 2] = value >>> 8;
  target[pos + 3] = value;
  return pos + 4;
}
