/**
 * {@linkcode RedisStreamTransport}: batch publish to a Redis Stream (every
 * XADD of a batch in one pipeline), with optional trimming (`MAXLEN ~` or
 * `MINID ~`). Consuming is {@linkcode RedisStreamConsumer}'s job.
 *
 * Route per client (measured, see handoff.ts): Bun `RedisClient` and
 * MessagePack everywhere get the batch serialized into one pooled
 * {@linkcode PayloadBatch}; JSON for ioredis and node-redis goes as
 * `JSON.stringify` strings, because those clients copy and re-wrap every
 * argument themselves and pooled bytes only add work there.
 *
 * @module
 */
import { MemoryPool, rentArray } from "../pool/mod.ts";
import type { MessageSerializer } from "../serializers/mod.ts";
import { BatchFreeList } from "./_batch_free_list.ts";
import { xaddScripted } from "./_xadd_script.ts";
import { HAND_OFF_RULES } from "./handoff.ts";
import type { PayloadBatch } from "./payload_batch.ts";
import type { BytesPublisher } from "./publisher.ts";
import type { RedisPort } from "./redis_port.ts";

/** How payloads are handed to the client. */
export type PayloadRoute = "pooled-bytes" | "json-strings";

/** How the stream is trimmed on every XADD (approximately, `~`, which is cheap). */
export type StreamTrim =
  /** Keep about the newest `maxLen` entries. */
  | { readonly maxLen: number }
  /** Drop entries older than `maxAgeMs` (by their id's time). */
  | { readonly maxAgeMs: number };

/** Options for {@linkcode RedisStreamTransport}. */
export interface RedisStreamTransportOptions {
  /** The stream key. On a cluster, give it a hash tag to choose its slot. */
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
  /**
   * Trimming. Default none. Trim by length only when the consumers keep up:
   * an entry trimmed before it was read is gone, even if a group never saw it.
   */
  trim?: StreamTrim;
}

/**
 * A Redis Streams publisher over any {@linkcode RedisPort}.
 *
 * @example Publish through a stand-in for Bun's client
 * ```ts
 * import { BunRedisPort, type RedisArg, RedisStreamTransport } from "@catga/memory/messaging";
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const stream: string[][] = [];
 * const port = new BunRedisPort({
 *   send: (_command: string, args: RedisArg[]) => {
 *     stream.push(args.map((arg) => typeof arg === "string" ? arg : new TextDecoder().decode(arg)));
 *     return Promise.resolve(`${stream.length}-0`);
 *   },
 *   getBuffer: () => Promise.resolve(null),
 *   close: () => {},
 * });
 * const orders = new RedisStreamTransport(port, {
 *   stream: "{orders}:events",
 *   serializer: new JsonSerializer(),
 *   trim: { maxLen: 100_000 },
 * });
 * assert.deepEqual(await orders.publishBatch([{ id: 1 }, { id: 2 }]), ["1-0", "2-0"]);
 * assert.deepEqual(stream[1], ["{orders}:events", "MAXLEN", "~", "100000", "*", "d", '{"id":2}']);
 * orders.dispose();
 * ```
 */
export class RedisStreamTransport implements BytesPublisher {
  /** The route payloads take to the client. */
  readonly route: PayloadRoute;
  #port: RedisPort;
  #stream: string;
  #field: string;
  #serializer: MessageSerializer;
  #maxPipelineBytes: number;
  readonly #batches: BatchFreeList;
  #trim: StreamTrim | undefined;
  #fixedTrim: readonly string[];

  /**
   * Creates it.
   *
   * @param port The connection to publish on.
   * @param options The stream and serializer.
   */
  constructor(port: RedisPort, options: RedisStreamTransportOptions) {
    this.#port = port;
    this.#stream = options.stream;
    this.#field = options.field ?? "d";
    this.#serializer = options.serializer;
    this.#batches = new BatchFreeList(options.pool ?? MemoryPool.shared);
    this.#maxPipelineBytes = options.maxPipelineBytes ?? 512 * 1024;
    const isJson = options.serializer.contentType === "application/json";
    this.route = options.route ??
      (isJson && HAND_OFF_RULES[port.client].jsonAsString ? "json-strings" : "pooled-bytes");
    this.#trim = options.trim;
    const trim = options.trim;
    if (trim !== undefined && "maxLen" in trim) {
      if (!(Number.isSafeInteger(trim.maxLen) && trim.maxLen > 0)) {
        throw new RangeError(`Cannot trim to maxLen ${trim.maxLen}: expected a positive integer`);
      }
      this.#fixedTrim = ["MAXLEN", "~", String(trim.maxLen)];
    } else if (trim !== undefined) {
      if (!(trim.maxAgeMs > 0)) {
        throw new RangeError(`Cannot trim to maxAgeMs ${trim.maxAgeMs}: expected > 0`);
      }
      this.#fixedTrim = [];
    } else this.#fixedTrim = [];
  }

  /** The stream key. */
  get stream(): string {
    return this.#stream;
  }

  /** The XADD trim arguments for now: MINID moves with the clock. */
  #trimArgs(): readonly string[] {
    const trim = this.#trim;
    if (trim === undefined || "maxLen" in trim) return this.#fixedTrim;
    return ["MINID", "~", String(Math.max(0, Date.now() - trim.maxAgeMs))];
  }

  /**
   * Publishes the messages in order; resolves with their entry ids once every
   * XADD has been answered.
   */
  async publishBatch(messages: readonly unknown[]): Promise<string[]> {
    if (this.route === "json-strings") return await this.#publishStrings(messages);
    const ids: string[] = [];
    const batch = this.#batches.take();
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
    this.#batches.recycle(batch);
    return ids;
  }

  async #publishStrings(messages: readonly unknown[]): Promise<string[]> {
    const count = messages.length;
    using texts = rentArray<string>(count);
    for (let i = 0; i < count; i++) texts.items[i] = JSON.stringify(messages[i]);
    return await this.#port.xaddBatch(
      this.#stream,
      this.#trimArgs(),
      this.#field,
      texts.items,
      count,
    );
  }

  /** Sends the sealed batch; the caller reuses it only after the promise settled. */
  async #sendBatch(batch: PayloadBatch): Promise<string[]> {
    const count = batch.count;
    using views = rentArray<Uint8Array>(count);
    for (let i = 0; i < count; i++) views.items[i] = batch.view(i);
    return await this.#port.xaddBatch(
      this.#stream,
      this.#trimArgs(),
      this.#field,
      views.items,
      count,
    );
  }

  /**
   * Publishes already serialized payloads (the outbox relay's bytes): all
   * XADDs in one server-side script call per 1,024 (see _xadd_script.ts),
   * not a client pipeline, which costs the client a command, a promise and a
   * reply per message (measured: the relay fell to 0.6-0.9× a naive
   * pipeline on a Redis Cluster).
   */
  async publishBytes(payloads: readonly (Uint8Array | string)[], count: number): Promise<void> {
    await xaddScripted(this.#port, this.#stream, this.#trimArgs(), this.#field, payloads, count);
  }

  /** Returns the pooled batch buffers. */
  dispose(): void {
    this.#batches.dispose();
  }
}
