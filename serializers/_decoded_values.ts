/**
 * The async iterator `deserializeStream` returns: reads a chunk, decodes all
 * the values it completes synchronously into a queue, and answers `next()`
 * from the queue with already-resolved promises. A generator would cost a
 * suspension and a promise chain per value; this costs one resolved promise.
 *
 * @module
 */
import type { ByteStreamSource, StreamDecoder } from "./types.ts";

/** How the source is read: a `ReadableStream` reader, an async iterator, or an iterator. */
type Kind = "reader" | "async" | "sync";

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * The values of `source`, decoded by `decoder`.
 *
 * @throws {TypeError} When `source` is not a stream or iterable of chunks.
 */
export function decodedValues<T>(
  source: ByteStreamSource,
  decoder: StreamDecoder<T>,
  what: string,
): AsyncIterableIterator<T> {
  return new DecodedValues(source, decoder, what);
}

class DecodedValues<T> implements AsyncIterableIterator<T> {
  readonly #decoder: StreamDecoder<T>;
  readonly #kind: Kind;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  readonly #iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array> | null = null;
  /** Decoded values not yet returned: `queue[head..]`. */
  readonly #queue: T[] = [];
  #head = 0;
  /** The source is finished with (ended, failed or cancelled): no more reads. */
  #closed = false;
  /** An error to throw once the values decoded before it are taken. */
  #pending: { error: unknown } | null = null;
  /** The refill in progress: `next()` calls made meanwhile wait for it. */
  #refilling: Promise<IteratorResult<T>> | null = null;

  constructor(source: ByteStreamSource, decoder: StreamDecoder<T>, what: string) {
    this.#decoder = decoder;
    const s = source as unknown as Record<PropertyKey, unknown> | null;
    if (s !== null && typeof s === "object" && typeof s.getReader === "function") {
      this.#kind = "reader";
      this.#reader = (source as ReadableStream<Uint8Array>).getReader();
    } else if (
      s !== null && typeof s === "object" && typeof s[Symbol.asyncIterator] === "function"
    ) {
      this.#kind = "async";
      this.#iterator = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    } else if (
      s !== null && typeof s === "object" && !ArrayBuffer.isView(s) &&
      typeof s[Symbol.iterator] === "function"
    ) {
      this.#kind = "sync";
      this.#iterator = (source as Iterable<Uint8Array>)[Symbol.iterator]();
    } else {
      throw new TypeError(
        `Cannot decode ${what} stream: the source must be a ReadableStream, an async iterable or an iterable of byte chunks${
          ArrayBuffer.isView(s) ? " (for one buffer, pass [bytes] or use deserializeSequence)" : ""
        }, got ${s === null ? "null" : typeof s}`,
      );
    }
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const head = this.#head;
    if (head < this.#queue.length && this.#refilling === null) {
      this.#head = head + 1;
      return Promise.resolve({ value: this.#queue[head], done: false });
    }
    if (this.#refilling !== null) return this.#refilling.then(() => this.next(), () => this.next());
    return this.#refill();
  }

  async return(value?: unknown): Promise<IteratorResult<T>> {
    if (this.#refilling !== null) await this.#refilling.catch(() => {});
    this.#queue.length = 0;
    this.#head = 0;
    this.#pending = null;
    await this.#cancel(undefined);
    return { value: value as T, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw error;
  }

  /** The queue is empty: read chunks until one completes a value, the source ends, or an error. */
  #refill(): Promise<IteratorResult<T>> {
    this.#queue.length = 0;
    this.#head = 0;
    const pending = this.#pending;
    if (pending !== null) {
      this.#pending = null;
      return Promise.reject(pending.error);
    }
    if (this.#closed) return Promise.resolve(DONE);
    if (this.#kind === "sync") {
      try {
        this.#fillSync();
      } catch (error) {
        return this.#failed(error).then(() => this.#take());
      }
      return Promise.resolve(this.#take());
    }
    const refill = this.#fillAsync();
    this.#refilling = refill;
    return refill;
  }

  #fillSync(): void {
    const iterator = this.#iterator as Iterator<Uint8Array>;
    const queue = this.#queue;
    const decoder = this.#decoder;
    while (queue.length === 0) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = iterator.next();
      } catch (error) {
        this.#closed = true; // the source failed: nothing to cancel
        throw error;
      }
      if (step.done) {
        this.#closed = true;
        decoder.end(queue);
        return;
      }
      decoder.push(step.value, queue);
    }
  }

  async #fillAsync(): Promise<IteratorResult<T>> {
    const queue = this.#queue;
    const decoder = this.#decoder;
    try {
      while (queue.length === 0) {
        let step: IteratorResult<Uint8Array> | ReadableStreamReadResult<Uint8Array>;
        try {
          step = this.#kind === "reader"
            ? await this.#reader!.read()
            : await (this.#iterator as AsyncIterator<Uint8Array>).next();
        } catch (error) {
          this.#closed = true; // the source failed: nothing to cancel
          this.#reader?.releaseLock();
          throw error;
        }
        if (step.done) {
          this.#closed = true;
          this.#reader?.releaseLock();
          decoder.end(queue);
          break;
        }
        decoder.push(step.value, queue);
      }
    } catch (error) {
      await this.#failed(error);
    } finally {
      this.#refilling = null;
    }
    return this.#take();
  }

  /** A decode or read error: stop the source; throw it after the values decoded before it. */
  async #failed(error: unknown): Promise<void> {
    await this.#cancel(error);
    if (this.#head === this.#queue.length) throw error;
    this.#pending = { error };
  }

  #take(): IteratorResult<T> {
    const head = this.#head;
    if (head < this.#queue.length) {
      this.#head = head + 1;
      return { value: this.#queue[head], done: false };
    }
    return DONE;
  }

  /** Cancels the source, once, unless it is finished with; its own failure to cancel is not ours to report. */
  async #cancel(reason: unknown): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#kind === "reader") {
        const reader = this.#reader!;
        await reader.cancel(reason);
        reader.releaseLock();
      } else {
        await this.#iterator!.return?.();
      }
    } catch {
      // The consumer stopped reading; a source that cannot cancel cleanly changes nothing for it.
    }
  }
}
