/**
 * The `TransformStream` `serializeStream` returns: values are written into
 * one pooled {@linkcode BufferWriter}, and the stream emits an exact-length
 * copy the reader owns, never the pooled memory itself. A chunk is emitted
 * when it reaches `chunkSize`, or at the end of the task in which the last
 * value was written (a zero-delay timer), or when the writable side closes.
 *
 * Backpressure is the stream's own: the readable side holds at most one
 * chunk before `transform` stops being called, so at most about two chunks,
 * the pooled buffer and one queued value are in memory, however slow the reader.
 *
 * @module
 */
import type { BufferWriter, MemoryPool } from "../pool/mod.ts";
import { DEFAULT_STREAM_CHUNK_SIZE, type SerializeStreamOptions } from "./types.ts";

const MAX_CHUNK_SIZE = 2 ** 30;
/** A writer grown past this many chunk sizes by one huge value is returned, not kept. */
const MAX_RETAINED_CHUNKS = 4;

/** Appends one framed value to the writer; on a throw, appends nothing. */
export type FrameWriter = (value: unknown, writer: BufferWriter) => void;

/**
 * A stream of values to framed byte chunks.
 *
 * @throws {RangeError} When `chunkSize` is not an integer from 1 to 2^30.
 */
export function framedStream(
  write: FrameWriter,
  pool: MemoryPool,
  options: SerializeStreamOptions | undefined,
  what: string,
): TransformStream<unknown, Uint8Array> {
  const chunkSize = options?.chunkSize ?? DEFAULT_STREAM_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new RangeError(
      `Cannot create ${what} stream: chunkSize ${chunkSize} is not an integer from 1 to ${MAX_CHUNK_SIZE}`,
    );
  }
  let writer: BufferWriter | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller!: TransformStreamDefaultController<Uint8Array>;

  const stopTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const release = (): void => {
    stopTimer();
    writer?.dispose();
    writer = null;
  };
  const emit = (): void => {
    if (writer === null || writer.writtenCount === 0) return;
    controller.enqueue(writer.toBytes({ slab: null }));
    if (writer.capacity > chunkSize * MAX_RETAINED_CHUNKS) {
      writer.dispose();
      writer = null;
    } else {
      writer.reset();
    }
  };
  const emitLater = (): void => {
    timer = undefined;
    try {
      emit();
    } catch {
      release(); // the readable side is closed or errored: nobody will read
    }
  };

  return new TransformStream<unknown, Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      transform(value) {
        writer ??= pool.rentWriter(chunkSize);
        try {
          write(value, writer);
        } catch (error) {
          release(); // the stream errors: flush is not called
          throw error;
        }
        if (writer.writtenCount >= chunkSize) {
          stopTimer();
          emit();
        } else if (timer === undefined) {
          timer = setTimeout(emitLater, 0);
        }
      },
      flush() {
        stopTimer();
        emit();
        release();
      },
      cancel() {
        release();
      },
    },
    undefined,
    { highWaterMark: 1 },
  );
}
