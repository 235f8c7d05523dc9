/**
 * {@linkcode NatsTransport}: NATS core publish and subscribe on pooled bytes.
 * A batch is serialized into one pooled `PayloadBatch`, which goes
 * back to the pool only after `await nc.flush()` settles (nats.js keeps
 * references to published bytes until it writes them out). The subscriber
 * deserializes straight from `msg.data`, without a copy.
 *
 * Core NATS delivers at most once: a subscriber that is down misses what is
 * published meanwhile, and a publish made while disconnected is silently
 * dropped at reconnect (a pending `flush()` then rejects, so only a resolved
 * flush confirms a batch). For delivery that survives both, use the JetStream
 * transport (`JetStreamPublisher` and `JetStreamConsumer`).
 *
 * @module
 */
import { MemoryPool } from "../pool/mod.ts";
import type { MessageSerializer } from "../serializers/mod.ts";
import { BatchFreeList } from "./_batch_free_list.ts";
import { toPlainBytes } from "./handoff.ts";

/**
 * The part of a nats.js connection (`@nats-io/transport-node`, `wsconnect`,
 * the Deno transport) that {@linkcode NatsTransport} uses.
 */
export interface NatsConnectionLike {
  /** Queues one message; nats.js keeps a reference to `payload` until it writes it out. */
  publish(subject: string, payload: Uint8Array | string, options?: { reply?: string }): void;
  /** Resolves once the server has processed everything published before it. */
  flush(): Promise<void>;
  /** Subscribes with a callback. */
  subscribe(
    subject: string,
    options: { callback: (error: Error | null, msg: { data: Uint8Array }) => void },
  ): { unsubscribe(): void };
}

/** Options for {@linkcode NatsTransport}. */
export interface NatsTransportOptions {
  /** The subject published to and subscribed on. */
  subject: string;
  /** Turns messages into bytes and back. */
  serializer: MessageSerializer;
  /** Where batch buffers are rented (default `MemoryPool.shared`). */
  pool?: MemoryPool;
}

/**
 * A NATS core transport: batch publish confirmed by a flush, and a
 * subscription that decodes in place. At most once: see the module doc.
 *
 * @example Round trip through a structural fake of a nats.js connection
 * ```ts
 * import { NatsTransport } from "@catga/memory/messaging";
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import { MemoryPool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const callbacks: ((error: Error | null, msg: { data: Uint8Array }) => void)[] = [];
 * const nc = {
 *   publish: (_subject: string, payload: Uint8Array | string) =>
 *     callbacks.forEach((cb) => cb(null, { data: payload.slice() as Uint8Array })),
 *   flush: () => Promise.resolve(),
 *   subscribe: (_subject: string, options: { callback: (typeof callbacks)[number] }) => {
 *     callbacks.push(options.callback);
 *     return { unsubscribe: () => void callbacks.pop() };
 *   },
 * };
 * const pool = new MemoryPool();
 * const transport = new NatsTransport(nc, { subject: "orders", serializer: new JsonSerializer(), pool });
 * const received: unknown[] = [];
 * const subscription = transport.subscribe((message) => void received.push(message));
 * await transport.publishBatch([{ id: 1 }, { id: 2 }]);
 * subscription.unsubscribe();
 * transport.dispose();
 * assert.deepEqual(received, [{ id: 1 }, { id: 2 }]);
 * assert.equal(pool.stats().outstanding, 0);
 * ```
 */
export class NatsTransport {
  #nc: NatsConnectionLike;
  #subject: string;
  #serializer: MessageSerializer;
  readonly #batches: BatchFreeList;
  /**
   * nats.js allocates `options || {}` per publish and only sets `reply` on it:
   * one reused object saves that allocation.
   */
  #publishOptions: { reply?: string } = {};

  /**
   * A transport on `subject` over the connection `nc`.
   *
   * @param nc A nats.js connection (or anything with its `publish`, `flush`, `subscribe`).
   * @param options Subject, serializer and pool.
   */
  constructor(nc: NatsConnectionLike, options: NatsTransportOptions) {
    this.#nc = nc;
    this.#subject = options.subject;
    this.#serializer = options.serializer;
    this.#batches = new BatchFreeList(options.pool ?? MemoryPool.shared);
  }

  /**
   * Publishes the messages; resolves once the server has them (a flush
   * resolved). On a rejection none of them may have arrived: publish again.
   * The batch buffer goes back to the pool only after the flush resolved; after
   * a failed flush it is left to the garbage collector, since nats.js may still
   * reference it.
   *
   * @example
   * ```ts
   * import { NatsTransport } from "@catga/memory/messaging";
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const sent: string[] = [];
   * const nc = {
   *   publish: (subject: string, payload: Uint8Array | string) =>
   *     void sent.push(`${subject} ${new TextDecoder().decode(payload as Uint8Array)}`),
   *   flush: () => Promise.resolve(),
   *   subscribe: () => ({ unsubscribe() {} }),
   * };
   * const transport = new NatsTransport(nc, { subject: "orders", serializer: new JsonSerializer() });
   * await transport.publishBatch([{ id: 1 }]);
   * assert.deepEqual(sent, ['orders {"id":1}']);
   * ```
   */
  async publishBatch(messages: readonly unknown[]): Promise<void> {
    const batch = this.#batches.take();
    try {
      for (let i = 0; i < messages.length; i++) batch.add(messages[i], this.#serializer);
      for (let i = 0; i < batch.count; i++) {
        this.#nc.publish(this.#subject, toPlainBytes(batch.view(i), "nats"), this.#publishOptions);
      }
      await this.#nc.flush();
    } catch (error) {
      // nats.js may still hold the views of a batch whose flush failed: never
      // give that buffer back to the pool.
      batch.abandon();
      throw error;
    }
    this.#batches.recycle(batch);
  }

  /**
   * Publishes already serialized payloads (`payloads[0..count)`, bytes or
   * UTF-8 text); resolves once a flush confirms them. The caller's bytes may go
   * back to their pool only after this settles.
   *
   * @throws {TypeError} When a payload's buffer is detached (returned to a
   * debug pool too early); nothing is published then.
   *
   * @example
   * ```ts
   * import { NatsTransport } from "@catga/memory/messaging";
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * let published = 0;
   * const nc = {
   *   publish: () => void published++,
   *   flush: () => Promise.resolve(),
   *   subscribe: () => ({ unsubscribe() {} }),
   * };
   * const transport = new NatsTransport(nc, { subject: "s", serializer: new JsonSerializer() });
   * await transport.publishBytes(['{"a":1}', new Uint8Array([123, 125])], 2);
   * assert.equal(published, 2);
   * ```
   */
  async publishBytes(payloads: readonly (Uint8Array | string)[], count: number): Promise<void> {
    // Check every payload before publishing any: a detached buffer breaks a
    // nats.js connection for good.
    for (let i = 0; i < count; i++) {
      const payload = payloads[i];
      if (typeof payload !== "string") toPlainBytes(payload, "nats");
    }
    for (let i = 0; i < count; i++) this.#nc.publish(this.#subject, payloads[i]);
    await this.#nc.flush();
  }

  /**
   * Subscribes; each message is deserialized from `msg.data` in place (the
   * handler must not keep the bytes, only the decoded value). A message that
   * fails to decode, or a handler that throws, goes to `onError`; core NATS
   * has no redelivery, so that message is gone.
   *
   * @example
   * ```ts
   * import { NatsTransport } from "@catga/memory/messaging";
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * let deliver = (_error: Error | null, _msg: { data: Uint8Array }) => {};
   * const nc = {
   *   publish() {},
   *   flush: () => Promise.resolve(),
   *   subscribe: (_s: string, o: { callback: typeof deliver }) => {
   *     deliver = o.callback;
   *     return { unsubscribe() {} };
   *   },
   * };
   * const transport = new NatsTransport(nc, { subject: "s", serializer: new JsonSerializer() });
   * const errors: unknown[] = [];
   * transport.subscribe(() => {}, (error) => void errors.push(error));
   * deliver(null, { data: new TextEncoder().encode("{oops") });
   * assert.ok(errors[0] instanceof SyntaxError);
   * ```
   */
  subscribe(
    handler: (message: unknown) => void,
    onError: (error: unknown) => void = () => {},
  ): { unsubscribe(): void } {
    const serializer = this.#serializer;
    return this.#nc.subscribe(this.#subject, {
      callback: (error, msg) => {
        if (error !== null) return onError(error);
        try {
          handler(serializer.deserialize(msg.data));
        } catch (cause) {
          onError(cause);
        }
      },
    });
  }

  /**
   * Returns the pooled batch buffers. Call it once no publish is pending.
   *
   * @example
   * ```ts
   * import { NatsTransport } from "@catga/memory/messaging";
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import { MemoryPool } from "@catga/memory/pool";
   * import assert from "node:assert/strict";
   *
   * const nc = { publish() {}, flush: () => Promise.resolve(), subscribe: () => ({ unsubscribe() {} }) };
   * const pool = new MemoryPool();
   * const transport = new NatsTransport(nc, { subject: "s", serializer: new JsonSerializer(), pool });
   * await transport.publishBatch([1, 2, 3]);
   * transport.dispose();
   * assert.equal(pool.stats().outstanding, 0);
   * ```
   */
  dispose(): void {
    this.#batches.dispose();
  }
}
