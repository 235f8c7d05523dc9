/**
 * {@linkcode RedisStreamTransport} (seed task 2.1): batch publish to a Redis
 * Stream (every XADD of a batch in one pipeline) and consume through a
 * consumer group (XREADGROUP, then XACK for what was handled).
 *
 * Route per client (measured, see handoff.ts): Bun `RedisClient` and
 * MessagePack everywhere get the batch serialized into one pooled
 * {@linkcode PayloadBatch}; JSON for ioredis and node-redis goes as
 * `JSON.stringify` strings, because those clients copy and re-wrap every
 * argument themselves and pooled bytes only add work there.
 *
 * @module
 */
import { MemoryPool, rentArray } from "../../pool/mod.ts";
import type { MessageSerializer } from "../../serializers/mod.ts";
import { HAND_OFF_RULES } from "../../messaging/handoff.ts";
import { PayloadBatch } from "../../messaging/payload_batch.ts";
import type { RedisArg, RedisPort, StreamEntry } from "./redis_port.ts";

/** How payloads are handed to the client. */
export type PayloadRoute = "pooled-bytes" | "json-strings";

/** Options for {@linkcode RedisStreamTransport}. */
export interface RedisStreamTransportOptions {
  /** The stream key. */
  stream: string;
  /** The serializer (the library's `JsonSerializer` or `MsgPackSerializer`). */
  serializer: MessageSerializer;
  /** The pool batches rent from. Default `MemoryPool.shared`. */
  pool?: MemoryPool;
  /** The entry field holding the payload. Default "d". */
  field?: string;
  /** A batch larger than this is sent as several pipelines. Default 512 KiB. */
  maxPipelineBytes?: number;
  /** Force a route; default: the client's faster one. */
  route?: PayloadRoute;
}

/** Sends serialized payloads and resolves once the server has confirmed them. */
export interface BytesPublisher {
  /**
   * Publishes `payloads[0..count)` (serialized bytes, or UTF-8 text); resolves
   * only when every one is confirmed.
   */
  publishBytes(payloads: readonly (Uint8Array | string)[], count: number): Promise<void>;
}

/** A Redis Streams transport over any {@linkcode RedisPort}. */
export class RedisStreamTransport implements BytesPublisher {
  readonly route: PayloadRoute;
  #port: RedisPort;
  #stream: string;
  #field: string;
  #serializer: MessageSerializer;
  #pool: MemoryPool;
  #maxPipelineBytes: number;
  #freeBatches: PayloadBatch[] = [];
  #isJson: boolean;

  constructor(port: RedisPort, options: RedisStreamTransportOptions) {
    this.#port = port;
    this.#stream = options.stream;
    this.#field = options.field ?? "d";
    this.#serializer = options.serializer;
    this.#pool = options.pool ?? MemoryPool.shared;
    this.#maxPipelineBytes = options.maxPipelineBytes ?? 512 * 1024;
    this.#isJson = options.serializer.contentType === "application/json";
    this.route = options.route ??
      (this.#isJson && HAND_OFF_RULES[port.client].jsonAsString ? "json-strings" : "pooled-bytes");
  }

  /** The stream key. */
  get stream(): string {
    return this.#stream;
  }

  /**
   * Publishes the messages in order; resolves with their entry ids once every
   * XADD has been answered.
   */
  async publishBatch(messages: readonly unknown[]): Promise<string[]> {
    if (this.route === "json-strings") return await this.#publishStrings(messages);
    const ids: string[] = [];
    const batch = this.#freeBatches.pop() ?? new PayloadBatch(this.#pool);
    try {
      for (let i = 0; i < messages.length; i++) {
        batch.add(messages[i], this.#serializer);
        if (batch.byteLength >= this.#maxPipelineBytes || i === messages.length - 1) {
          for (const id of await this.#sendBatch(batch)) ids.push(id);
          batch.reset();
        }
      }
    } catch (error) {
      // A Redis client is done with the arguments once the promise settled,
      // even rejected; the buffer may go back.
      batch.dispose();
      throw error;
    }
    this.#freeBatches.push(batch);
    return ids;
  }

  async #publishStrings(messages: readonly unknown[]): Promise<string[]> {
    const count = messages.length;
    using texts = rentArray<string>(count);
    for (let i = 0; i < count; i++) texts.items[i] = JSON.stringify(messages[i]);
    return await this.#port.xaddBatch(this.#stream, this.#field, texts.items, count);
  }

  /** Sends the sealed batch; returns its views only at the client's safe point. */
  async #sendBatch(batch: PayloadBatch): Promise<string[]> {
    const count = batch.count;
    using views = rentArray<Uint8Array>(count);
    for (let i = 0; i < count; i++) views.items[i] = batch.view(i);
    const replies = this.#port.xaddBatch(this.#stream, this.#field, views.items, count);
    // Every client's safe point is at or before the promise settling; Bun's
    // (after the call) also lets the views go now, which this method's caller
    // does not need: it reuses the batch only after awaiting.
    return await replies;
  }

  /** Publishes already serialized payloads (the outbox relay's bytes). */
  async publishBytes(payloads: readonly (Uint8Array | string)[], count: number): Promise<void> {
    await this.#port.xaddBatch(this.#stream, this.#field, payloads, count);
  }

  /** Creates the consumer group (from the stream's start) unless it exists. */
  async ensureGroup(group: string): Promise<void> {
    try {
      await this.#port.command(["XGROUP", "CREATE", this.#stream, group, "0", "MKSTREAM"]);
    } catch (error) {
      if (!String((error as Error).message).includes("BUSYGROUP")) throw error;
    }
  }

  /**
   * Reads up to `count` new entries for `consumer`, deserializes each straight
   * from the reply's bytes, runs `handler`, and XACKs the ones it handled. An
   * entry whose handler throws stays pending (redelivered by XCLAIM/XAUTOCLAIM).
   *
   * @returns How many entries were read.
   */
  async consume(
    group: string,
    consumer: string,
    count: number,
    handler: (message: unknown, entryId: string) => void | Promise<void>,
  ): Promise<number> {
    const entries = await this.#port.readGroup(this.#stream, group, consumer, count, this.#field);
    if (entries.length === 0) return 0;
    const acked: RedisArg[] = ["XACK", this.#stream, group];
    let firstError: unknown;
    for (const entry of entries) {
      try {
        await handler(this.decode(entry), entry.id);
        acked.push(entry.id);
      } catch (error) {
        firstError ??= error;
      }
    }
    if (acked.length > 3) await this.#port.command(acked);
    if (firstError !== undefined) throw firstError;
    return entries.length;
  }

  /** The message in an entry: bytes go to the serializer without a copy. */
  decode(entry: StreamEntry): unknown {
    const payload = entry.payload;
    if (typeof payload !== "string") return this.#serializer.deserialize(payload);
    if (this.#isJson) return JSON.parse(payload);
    throw new TypeError(
      `Cannot decode entry ${entry.id}: ${this.#port.client} returned text, and ${this.#serializer.contentType} needs bytes (consume with a binary-safe client)`,
    );
  }

  /** Returns the pooled batch buffers. */
  dispose(): void {
    for (const batch of this.#freeBatches) batch.dispose();
    this.#freeBatches.length = 0;
  }
}
