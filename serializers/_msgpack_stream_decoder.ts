/**
 * The incremental MessagePack decoder behind `MsgPackSerializer`'s
 * `createStreamDecoder` and `deserializeStream`.
 *
 * Values are decoded in place from each chunk with the whole-buffer decoder.
 * Only the value that straddles a chunk boundary is copied, into a carry
 * buffer, and the resumable {@linkcode MsgPackScanner} tells when its last
 * byte has arrived, so it is decoded once, however small the chunks.
 *
 * @module
 */
import type { MsgPackDecoder } from "./_msgpack_decoder.ts";
import { MsgPackScanner, SCAN_INCOMPLETE, SCAN_TOO_DEEP } from "./_msgpack_scan.ts";
import { atStreamOffset, chunkBytes, failedBefore, overBuffered } from "./_stream_chunk.ts";
import type { StreamDecoder } from "./types.ts";

const WHAT = "MessagePack";
const PREFIX = "Cannot decode MessagePack";
const EMPTY = new Uint8Array(0);
/**
 * The least a carried value takes from a chunk per step: a value of many small
 * items needs one more byte at a time, and copying a few hundred bytes more
 * than needed (ignored afterwards) costs less than one step per item.
 */
const MIN_APPEND = 256;

/** See the module doc. One per stream; the decoder core it owns is a fork of the serializer's. */
export class MsgPackStreamDecoder<T> implements StreamDecoder<T> {
  readonly #decoder: MsgPackDecoder;
  readonly #scanner: MsgPackScanner;
  readonly #maxBuffered: number;
  /** The stream offset of the next chunk's first byte. */
  #offset = 0;
  /**
   * The straddling value's bytes so far. A new array per value, never reused:
   * decoded values may be views of their input (`copyBinary: false`).
   */
  #carry: Uint8Array = EMPTY;
  #carried = 0;
  /** The stream offset of the carried value's first byte. */
  #carryStart = 0;
  #failed = false;
  #busy = false;

  constructor(decoder: MsgPackDecoder, maxBuffered: number) {
    this.#decoder = decoder;
    this.#scanner = new MsgPackScanner(decoder.maxDepth, decoder.ext?.tagTypes() ?? null);
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
      const from = this.#carried === 0 ? 0 : this.#continue(bytes, into);
      if (from >= 0 && from < bytes.length) this.#decodeInPlace(bytes, from, into);
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
      this.#failed = true;
      throw new SyntaxError(
        `Cannot decode MessagePack stream: the stream ends at offset ${this.#offset} inside the value at offset ${this.#carryStart}, which needs at least ${
          this.#scanner.needed - this.#carried
        } more bytes`,
      );
    }
    this.#offset = 0;
    return into;
  }

  /** Decodes the values of `bytes` from `from` on; holds the last one if it is incomplete. */
  #decodeInPlace(bytes: Uint8Array, from: number, into: T[]): void {
    const decoder = this.#decoder;
    const view = from === 0 ? bytes : bytes.subarray(from);
    const base = this.#offset + from;
    const end = view.length;
    let start = 0;
    decoder.begin(view);
    try {
      while (start < end) {
        into.push(decoder.read() as T);
        start = decoder.pos;
      }
    } catch (error) {
      // Running out of bytes is a RangeError; only then may the value just need the next chunk.
      if (!(error instanceof RangeError)) throw atStreamOffset(error, base, PREFIX);
      const scanner = this.#scanner;
      scanner.reset();
      const scanned = scanner.scan(view, start, end - start);
      if (scanned === SCAN_TOO_DEEP) throw this.#tooDeep(base + start);
      if (scanned !== SCAN_INCOMPLETE) throw atStreamOffset(error, base, PREFIX);
      this.#hold(view, start, base + start);
    } finally {
      decoder.finish();
    }
  }

  /** Starts carrying the incomplete value at `view[start]`. */
  #hold(view: Uint8Array, start: number, at: number): void {
    const needed = this.#scanner.needed;
    if (needed > this.#maxBuffered) {
      throw overBuffered(WHAT, at, needed, this.#maxBuffered);
    }
    const tail = view.length - start;
    // The scan knows the least length (exact for one long string or bin): room for it at once.
    const carry = new Uint8Array(Math.max(needed, tail + MIN_APPEND));
    carry.set(view.subarray(start));
    this.#carry = carry;
    this.#carried = tail;
    this.#carryStart = at;
  }

  /**
   * Feeds `bytes` to the carried value. Returns where in `bytes` the values
   * after it start, or -1 when all of `bytes` went to the (still incomplete) value.
   */
  #continue(bytes: Uint8Array, into: T[]): number {
    const scanner = this.#scanner;
    const max = this.#maxBuffered;
    let used = 0;
    for (;;) {
      const needed = scanner.needed;
      if (needed > max) throw overBuffered(WHAT, this.#carryStart, needed, max);
      const count = Math.min(bytes.length - used, Math.max(needed - this.#carried, MIN_APPEND));
      if (count === 0) return -1;
      this.#append(bytes, used, count);
      used += count;
      if (this.#carried < needed) continue;
      const end = scanner.scan(this.#carry, 0, this.#carried);
      if (end === SCAN_INCOMPLETE) continue;
      if (end === SCAN_TOO_DEEP) throw this.#tooDeep(this.#carryStart);
      into.push(this.#decodeCarried(end));
      const resume = used - (this.#carried - end);
      this.#carry = EMPTY;
      this.#carried = 0;
      return resume;
    }
  }

  #append(bytes: Uint8Array, from: number, count: number): void {
    const carried = this.#carried;
    let carry = this.#carry;
    if (carried + count > carry.length) {
      const grown = new Uint8Array(Math.max(carried + count, carry.length * 2));
      grown.set(carry.subarray(0, carried));
      carry = this.#carry = grown;
    }
    carry.set(
      from === 0 && count === bytes.length ? bytes : bytes.subarray(from, from + count),
      carried,
    );
    this.#carried = carried + count;
  }

  /** Decodes the carried value, which the scan says ends at `end`. */
  #decodeCarried(end: number): T {
    const decoder = this.#decoder;
    const carry = this.#carry;
    decoder.begin(end === carry.length ? carry : carry.subarray(0, end));
    try {
      const value = decoder.read() as T;
      if (decoder.pos !== end) {
        throw new SyntaxError(
          `Cannot decode MessagePack stream: the value at offset ${this.#carryStart} ends after ${decoder.pos} bytes, but its headers say ${end}`,
        );
      }
      return value;
    } catch (error) {
      throw atStreamOffset(error, this.#carryStart, PREFIX);
    } finally {
      decoder.finish();
    }
  }

  #tooDeep(at: number): RangeError {
    return new RangeError(
      `Cannot decode MessagePack: the value at offset ${at} nests deeper than maxDepth ${this.#decoder.maxDepth}`,
    );
  }
}
