/**
 * {@linkcode NatsTransport} (seed task 2.2): batch publish with the payloads
 * serialized into one pooled {@linkcode PayloadBatch}, which goes back to the
 * pool only after `await nc.flush()` settles (nats.js keeps references to
 * published bytes until it writes them out). The subscriber deserializes
 * straight from `msg.data`, without a copy.
 *
 * A publish made while disconnected is silently dropped at reconnect, and a
 * pending `flush()` then rejects: only a resolved flush confirms a batch.
 *
 * @module
 */
import { MemoryPool } from "../../pool/mod.ts";
import type { MessageSerializer } from "../../serializers/mod.ts";
import { toPlainBytes } from "./handoff.ts";
import { PayloadBatch } from "./payload_batch.ts";
import type { BytesPublisher } from "./redis_transport.ts";

/** The part of a nats.js connection this transport uses. */
export interface NatsConnectionLike {
  publish(subject: string, payload: Uint8Array | string, options?: { reply?: string }): void;
  flush(): Promise<void>;
  subscribe(
    subject: string,
    options: { callback: (error: Error | null, msg: { data: Uint8Array }) => void },
  ): { unsubscribe(): void };
}

/** Options for {@linkcode NatsTransport}. */
export interface NatsTransportOptions {
  subject: string;
  serializer: MessageSerializer;
  /** Default `MemoryPool.shared`. */
  pool?: MemoryPool;
}

/** A NATS core transport. */
export class NatsTransport implements BytesPublisher {
  #nc: NatsConnectionLike;
  #subject: string;
  #serializer: MessageSerializer;
  #pool: MemoryPool;
  #freeBatches: PayloadBatch[] = [];
  /**
   * nats.js allocates `options || {}` per publish and only sets `reply` on it:
   * one reused object saves that allocation.
   */
  #publishOptions: { reply?: string } = {};

  constructor(nc: NatsConnectionLike, options: NatsTransportOptions) {
    this.#nc = nc;
    this.#subject = options.subject;
    this.#serializer = options.serializer;
    this.#pool = options.pool ?? MemoryPool.shared;
  }

  /** Publishes the messages; resolves once the server has them (flush resolved). */
  async publishBatch(messages: readonly unknown[]): Promise<void> {
    const batch = this.#freeBatches.pop() ?? new PayloadBatch(this.#pool);
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
    batch.reset();
    this.#freeBatches.push(batch);
  }

  /** Publishes already serialized payloads; resolves once a flush confirms them. */
  async publishBytes(payloads: readonly (Uint8Array | string)[], count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const payload = payloads[i];
      this.#nc.publish(
        this.#subject,
        typeof payload === "string" ? payload : toPlainBytes(payload, "nats"),
      );
    }
    await this.#nc.flush();
  }

  /**
   * Subscribes; each message is deserialized from `msg.data` in place (the
   * handler must not keep the bytes, only the decoded value).
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

  /** Returns the pooled batch buffers. */
  dispose(): void {
    for (const batch of this.#freeBatches) batch.dispose();
    this.#freeBatches.length = 0;
  }
}
