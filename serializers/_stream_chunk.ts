/**
 * What the stream decoders share: reading a chunk's bytes, checking
 * `maxBufferedBytes`, and restating a decode error at its stream offset.
 *
 * @module
 */
import { DEFAULT_MAX_BUFFERED_BYTES, type DeserializeStreamOptions } from "./types.ts";

/**
 * The bytes of a chunk: a `Uint8Array` as is, any other `ArrayBufferView` or
 * an `ArrayBuffer` as a view of its bytes (WebSocket messages arrive as
 * `ArrayBuffer`s).
 */
export function chunkBytes(chunk: unknown, what: string): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) {
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(
    `Cannot decode ${what} stream: a chunk must be a Uint8Array, another ArrayBufferView or an ArrayBuffer, got ${
      chunk === null ? "null" : typeof chunk === "object" ? chunk.constructor?.name : typeof chunk
    }`,
  );
}

/** The validated `maxBufferedBytes` option. */
export function maxBufferedBytesOf(
  options: DeserializeStreamOptions | undefined,
  what: string,
): number {
  const max = options?.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  if (!Number.isSafeInteger(max) || max < 0) {
    throw new RangeError(
      `Cannot decode ${what} stream: maxBufferedBytes ${max} is not a non-negative integer`,
    );
  }
  return max;
}

/** The error for an incomplete value that needs more than `max` bytes. */
export function overBuffered(what: string, at: number, held: number, max: number): RangeError {
  return new RangeError(
    `Cannot decode ${what} stream: the value at offset ${at} needs ${held} bytes or more, past maxBufferedBytes ${max}`,
  );
}

/** The error for using a decoder after it threw. */
export function failedBefore(what: string): TypeError {
  return new TypeError(
    `Cannot decode ${what} stream: the decoder failed earlier; create a new one`,
  );
}

const OFFSET = /at offset (\d+)/g;

/**
 * The same error with the offsets its message names ("at offset N", relative
 * to the bytes the decoder was given) moved to stream offsets. Errors that
 * are not the decoder's own (an extension's) pass through unchanged.
 */
export function atStreamOffset(error: unknown, base: number, prefix: string): unknown {
  if (base === 0 || !(error instanceof Error) || !error.message.startsWith(prefix)) return error;
  if (!(error instanceof SyntaxError || error instanceof RangeError)) return error;
  const message = error.message.replace(
    OFFSET,
    (_, offset: string) => `at offset ${base + Number(offset)}`,
  );
  const Class = error instanceof SyntaxError ? SyntaxError : RangeError;
  return new Class(message, { cause: error });
}
