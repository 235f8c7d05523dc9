/**
 * {@linkcode JetStreamPublisher}: publish to a NATS JetStream stream with
 * acks, on pooled bytes. Each publish waits for the stream's ack (the message
 * is stored, on every replica the stream has), and a message id
 * (`Nats-Msg-Id`, nats.js `msgID`) lets the stream drop a second copy within
 * its `duplicate_window`: publishing a failed batch again with the same ids is
 * safe.
 *
 * A batch is serialized into one pooled buffer; at most `maxInFlight` publishes
 * wait for their acks at once. The buffer goes back to the pool only once every
 * ack has arrived (an ack proves nats.js wrote the bytes out); after a failure
 * it is left to the garbage collector, since nats.js may still reference it.
 *
 * The nats.js JetStream API (`jetstream(nc)` from `@nats-io/jetstream`) is
 * passed in and typed structurally: this module has no runtime dependency.
 *
 * @module
 */
import { MemoryPool } from "../pool/mod.ts";
import type { MessageSerializer } from "../serializers/mod.ts";
import { BatchFreeList } from "./_batch_free_list.ts";
import { toPlainBytes } from "./handoff.ts";

/** The part of nats.js `MsgHdrs` the JetStream transport reads and writes. */
export interface NatsHeadersLike {
  /** The first value of `key`, or `""`. */
  get(key: string): string;
  /** Replaces the values of `key`. */
  set(key: string, value: string): void;
  /** Adds a value to `key`. */
  append(key: string, value: string): void;
  /** Every key. */
  keys(): string[];
  /** Every value of `key`. */
  values(key: string): string[];
}

/** What a JetStream publish resolves with (nats.js `PubAck`). */
export interface PubAckLike {
  /** The stream that stored the message. */
  readonly stream: string;
  /** Its sequence in the stream (the first copy's, for a duplicate). */
  readonly seq: number;
  /** True when the stream already had a message with this id. */
  readonly duplicate: boolean;
}

/** The options of a JetStream publish this transport sets (nats.js `JetStreamPublishOptions`). */
export interface JetStreamPublishOptionsLike {
  /** Sent as `Nats-Msg-Id`: the stream drops a second message with it within `duplicate_window`. */
  msgID?: string;
  /** Headers to send (nats.js adds `Nats-Msg-Id` to them). */
  headers?: NatsHeadersLike;
  /** Milliseconds to wait for the ack. */
  timeout?: number;
}

/** The part of nats.js `JetStreamClient` (`jetstream(nc)`) used to publish. */
export interface JetStreamClientLike {
  /** Publishes one message; resolves with the stream's ack. */
  publish(
    subject: string,
    payload?: Uint8Array | string,
    options?: JetStreamPublishOptionsLike,
  ): Promise<PubAckLike>;
}

/** What {@linkcode JetStreamPublisher.publishBatch} resolves with. */
export interface JetStreamBatchAck {
  /** Messages the stream stored now. */
  stored: number;
  /** Messages it already had (same message id within its duplicate window). */
  duplicates: number;
  /** The highest stream sequence among the acks (0 for an empty batch). */
  lastSequence: number;
}

/** Options for {@linkcode JetStreamPublisher}. */
export interface JetStreamPublisherOptions {
  /** The subject published to; a stream must capture it. */
  subject: string;
  /** Turns messages into bytes. */
  serializer: MessageSerializer;
  /** Where batch buffers are rented (default `MemoryPool.shared`). */
  pool?: MemoryPool;
  /**
   * The message id of a message, sent as `Nats-Msg-Id` (for example
   * `(m) => m.id`). Without it a batch published again after a failure may
   * be stored twice.
   */
  messageId?: (message: unknown, index: number) => string;
  /** Publishes waiting for their ack at once (default 1024: a batch of 1,000 is not throttled). */
  maxInFlight?: number;
  /** Milliseconds each publish waits for its ack (default: the client's, 5 s in nats.js). */
  timeout?: number;
}

const DEFAULT_MAX_IN_FLIGHT = 1024;

/**
 * Publishes to a JetStream stream with acks and message-id de-duplication.
 *
 * @example With a structural fake of nats.js `jetstream(nc)`
 * ```ts
 * import { JetStreamPublisher } from "@catga/memory/messaging";
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import { MemoryPool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const stored = new Map<string, number>();
 * const js = {
 *   publish: (_subject: string, _payload?: Uint8Array | string, options?: { msgID?: string }) => {
 *     const id = options?.msgID ?? String(stored.size);
 *     const duplicate = stored.has(id);
 *     if (!duplicate) stored.set(id, stored.size + 1);
 *     return Promise.resolve({ stream: "ORDERS", seq: stored.get(id)!, duplicate });
 *   },
 * };
 * const pool = new MemoryPool();
 * const publisher = new JetStreamPublisher(js, {
 *   subject: "orders.created",
 *   serializer: new JsonSerializer(),
 *   messageId: (m) => (m as { id: string }).id,
 *   pool,
 * });
 * const orders = [{ id: "a" }, { id: "b" }];
 * assert.deepEqual(await publisher.publishBatch(orders), { stored: 2, duplicates: 0, lastSequence: 2 });
 * // Publishing again (say, after a timeout) stores nothing twice.
 * assert.deepEqual(await publisher.publishBatch(orders), { stored: 0, duplicates: 2, lastSequence: 2 });
 * publisher.dispose();
 * assert.equal(pool.stats().outstanding, 0);
 * ```
 */
export class JetStreamPublisher {
  #js: JetStreamClientLike;
  #subject: string;
  #serializer: MessageSerializer;
  #messageId: ((message: unknown, index: number) => string) | undefined;
  #maxInFlight: number;
  #timeout: number | undefined;
  readonly #batches: BatchFreeList;
  /** Shared by publishes without a message id (nats.js copies its options). */
  #plainOptions: JetStreamPublishOptionsLike;

  /**
   * A publisher to `subject` over nats.js `jetstream(nc)`.
   *
   * @param js nats.js `jetstream(nc)`, or anything with its `publish`.
   * @param options Subject, serializer, message ids and limits.
   * @throws {RangeError} When `maxInFlight` is not a positive integer.
   */
  constructor(js: JetStreamClientLike, options: JetStreamPublisherOptions) {
    const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`Cannot use maxInFlight ${maxInFlight}: it must be an integer >= 1`);
    }
    this.#js = js;
    this.#subject = options.subject;
    this.#serializer = options.serializer;
    this.#batches = new BatchFreeList(options.pool ?? MemoryPool.shared);
    this.#messageId = options.messageId;
    this.#maxInFlight = maxInFlight;
    this.#timeout = options.timeout;
    this.#plainOptions = options.timeout === undefined ? {} : { timeout: options.timeout };
  }

  /**
   * Publishes one message and resolves with the stream's ack.
   *
   * @param message The message.
   * @param msgID Its message id (default: the `messageId` option's, if any).
   *
   * @example
   * ```ts
   * import { JetStreamPublisher } from "@catga/memory/messaging";
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const js = {
   *   publish: (_s: string, _p?: Uint8Array | string, o?: { msgID?: string }) =>
   *     Promise.resolve({ stream: "S", seq: 1, duplicate: o?.msgID === "seen" }),
   * };
   * const publisher = new JetStreamPublisher(js, { subject: "s", serializer: new JsonSerializer() });
   * assert.equal((await publisher.publish({ a: 1 }, "seen")).duplicate, true);
   * ```
   */
  async publish(message: unknown, msgID?: string): Promise<PubAckLike> {
    const batch = this.#batches.take();
    let ack: PubAckLike;
    try {
      batch.add(message, this.#serializer);
      const id = msgID ?? this.#messageId?.(message, 0);
      ack = await this.#js.publish(
        this.#subject,
        toPlainBytes(batch.view(0), "nats"),
        this.#optionsFor(id),
      );
    } catch (error) {
      batch.abandon();
      throw error;
    }
    this.#batches.recycle(batch);
    return ack;
  }

  /**
   * Publishes the messages, at most `maxInFlight` awaiting their acks at once,
   * and resolves once every one is acked. On a rejection (the first error,
   * thrown after every publish has settled) some may be stored: publish the
   * whole batch again with the same message ids and the stream drops the
   * copies.
   *
   * @example
   * ```ts
   * import { JetStreamPublisher } from "@catga/memory/messaging";
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * let inFlight = 0;
   * let most = 0;
   * const js = {
   *   publish: async () => {
   *     most = Math.max(most, ++inFlight);
   *     await new Promise((resolve) => setTimeout(resolve, 1));
   *     inFlight--;
   *     return { stream: "S", seq: 1, duplicate: false };
   *   },
   * };
   * const publisher = new JetStreamPublisher(js, {
   *   subject: "s",
   *   serializer: new JsonSerializer(),
   *   maxInFlight: 4,
   * });
   * const ack = await publisher.publishBatch(Array.from({ length: 10 }, (_, i) => i));
   * assert.equal(ack.stored, 10);
   * assert.equal(most, 4);
   * ```
   */
  async publishBatch(messages: readonly unknown[]): Promise<JetStreamBatchAck> {
    const batch = this.#batches.take();
    let ack: JetStreamBatchAck;
    try {
      for (let i = 0; i < messages.length; i++) batch.add(messages[i], this.#serializer);
      const messageId = this.#messageId;
      ack = await this.#publishAll(
        messages.length,
        (i) => toPlainBytes(batch.view(i), "nats"),
        messageId === undefined ? undefined : (i) => messageId(messages[i], i),
      );
    } catch (error) {
      batch.abandon();
      throw error;
    }
    this.#batches.recycle(batch);
    return ack;
  }

  /**
   * Publishes already serialized payloads (`payloads[0..count)`, bytes or
   * UTF-8 text), with `msgIDs[i]` as the message id of `payloads[i]`: the
   * route of an outbox relay, whose ids make a relay that crashed after
   * publishing safe to run again. The caller's bytes may go back to their pool
   * only after this settles.
   *
   * @throws {TypeError} When a payload's buffer is detached (returned to a
   * debug pool too early); nothing is published then.
   *
   * @example
   * ```ts
   * import { JetStreamPublisher } from "@catga/memory/messaging";
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const ids: (string | undefined)[] = [];
   * const js = {
   *   publish: (_s: string, _p?: Uint8Array | string, o?: { msgID?: string }) => {
   *     ids.push(o?.msgID);
   *     return Promise.resolve({ stream: "S", seq: ids.length, duplicate: false });
   *   },
   * };
   * const publisher = new JetStreamPublisher(js, { subject: "s", serializer: new JsonSerializer() });
   * await publisher.publishBytes(['{"n":1}', '{"n":2}'], 2, ["o-1", "o-2"]);
   * assert.deepEqual(ids, ["o-1", "o-2"]);
   * ```
   */
  publishBytes(
    payloads: readonly (Uint8Array | string)[],
    count: number,
    msgIDs?: readonly string[],
  ): Promise<JetStreamBatchAck> {
    try {
      // Check every payload first: a detached buffer breaks a nats.js connection for good.
      for (let i = 0; i < count; i++) {
        const payload = payloads[i];
        if (typeof payload !== "string") toPlainBytes(payload, "nats");
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#publishAll(
      count,
      (i) => payloads[i],
      msgIDs === undefined ? undefined : (i) => msgIDs[i],
    );
  }

  #optionsFor(msgID: string | undefined): JetStreamPublishOptionsLike {
    if (msgID === undefined) return this.#plainOptions;
    return this.#timeout === undefined ? { msgID } : { msgID, timeout: this.#timeout };
  }

  /** Publishes `count` payloads with at most `maxInFlight` acks pending; settles once all have. */
  #publishAll(
    count: number,
    payloadAt: (index: number) => Uint8Array | string,
    idAt: ((index: number) => string) | undefined,
  ): Promise<JetStreamBatchAck> {
    const result: JetStreamBatchAck = { stored: 0, duplicates: 0, lastSequence: 0 };
    if (count === 0) return Promise.resolve(result);
    return new Promise((resolve, reject) => {
      let next = 0;
      let inFlight = 0;
      let failed = false;
      let firstError: unknown;
      const onSettled = () => {
        inFlight--;
        // After a failure nothing more is published: the caller publishes the
        // batch again, and the message ids drop what was stored.
        if (!failed && next < count) publishOne();
        else if (inFlight === 0) failed ? reject(firstError) : resolve(result);
      };
      const onAck = (ack: PubAckLike) => {
        if (ack.duplicate) result.duplicates++;
        else result.stored++;
        if (ack.seq > result.lastSequence) result.lastSequence = ack.seq;
        onSettled();
      };
      const onError = (error: unknown) => {
        if (!failed) {
          failed = true;
          firstError = error;
        }
        onSettled();
      };
      const publishOne = () => {
        const i = next++;
        inFlight++;
        let pending: Promise<PubAckLike>;
        try {
          pending = this.#js.publish(this.#subject, payloadAt(i), this.#optionsFor(idAt?.(i)));
        } catch (error) {
          onError(error);
          return;
        }
        pending.then(onAck, onError);
      };
      const first = Math.min(count, this.#maxInFlight);
      while (next < first && !failed) publishOne();
    });
  }

  /**
   * Returns the pooled batch buffers. Call it once no publish is pending.
   *
   * @example
   * ```ts
   * import { JetStreamPublisher } from "@catga/memory/messaging";
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const js = { publish: () => Promise.resolve({ stream: "S", seq: 1, duplicate: false }) };
   * const pool = new MemoryPool();
   * const publisher = new JetStreamPublisher(js, { subject: "s", serializer: new JsonSerializer(), pool });
   * await publisher.publish({ a: 1 });
   * publisher.dispose();
   * assert.equal(pool.stats().outstanding, 0);
   * ```
   */
  dispose(): void {
    this.#batches.dispose();
  }
}
