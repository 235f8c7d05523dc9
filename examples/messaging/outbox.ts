/**
 * {@linkcode RedisOutbox} and {@linkcode OutboxRelay} (seed task 3.1).
 *
 * - `save` writes the message's serialized bytes and its pending-index entry
 *   in the SAME MULTI/EXEC as the caller's own state change.
 * - The relay reads pending ids in batches, fetches their bytes with one MGET
 *   over a pooled key array, publishes them through a transport, and marks
 *   them published only after the publish is confirmed (XADD replies, or a
 *   resolved NATS flush). A relay that dies in between publishes the batch
 *   again on restart: delivery is at least once, and the inbox makes handling
 *   exactly once.
 *
 * Keys: `<prefix>:msg:<id>` (the bytes) and `<prefix>:pending` (a sorted set,
 * score = save time in ms, so the relay keeps the save order).
 *
 * @module
 */
import { MemoryPool, rentArray } from "../../pool/mod.ts";
import type { MessageSerializer } from "../../serializers/mod.ts";
import type { RedisArg, RedisPort } from "./redis_port.ts";
import { replyText } from "./redis_port.ts";
import type { BytesPublisher } from "./redis_transport.ts";

/** Options for {@linkcode RedisOutbox}. */
export interface RedisOutboxOptions {
  serializer: MessageSerializer;
  /** Key prefix. Default "outbox". */
  prefix?: string;
  /** Default `MemoryPool.shared`. */
  pool?: MemoryPool;
}

/** The outbox's storage side. */
export class RedisOutbox {
  readonly prefix: string;
  readonly pendingKey: string;
  /**
   * Whether the relay fetches payloads as text: only for JSON on a port whose
   * replies are text anyway (Bun's `send`), where one MGET beats a GET per
   * key. Binary-safe ports fetch bytes and forward them without decoding.
   */
  readonly fetchAsText: boolean;
  #port: RedisPort;
  #serializer: MessageSerializer;
  #pool: MemoryPool;

  constructor(port: RedisPort, options: RedisOutboxOptions) {
    this.#port = port;
    this.#serializer = options.serializer;
    this.#pool = options.pool ?? MemoryPool.shared;
    this.prefix = options.prefix ?? "outbox";
    this.pendingKey = `${this.prefix}:pending`;
    this.fetchAsText = options.serializer.contentType === "application/json" &&
      !port.binaryReplies;
  }

  /** The key holding a message's bytes. */
  messageKey(id: string): string {
    return `${this.prefix}:msg:${id}`;
  }

  /**
   * Saves `message` under `id` together with `stateChange` (the caller's own
   * commands), atomically. The pooled payload goes back once EXEC settled:
   * the safe point of every Redis client.
   *
   * @returns EXEC's replies to `stateChange`.
   */
  async save(
    id: string,
    message: unknown,
    stateChange: readonly (readonly RedisArg[])[] = [],
  ): Promise<unknown[]> {
    using payload = this.#serializer.serializePooled(message);
    const commands: (readonly RedisArg[])[] = [
      ["SET", this.messageKey(id), payload.bytes],
      ["ZADD", this.pendingKey, String(Date.now()), id],
    ];
    for (const command of stateChange) commands.push(command);
    const replies = await this.#port.transaction(commands);
    return replies.slice(2);
  }

  /** How many messages wait for the relay. */
  async pendingCount(): Promise<number> {
    return Number(await this.#port.command(["ZCARD", this.pendingKey]));
  }

  /** The pool payloads rent from. */
  get pool(): MemoryPool {
    return this.#pool;
  }
}

/** Options for {@linkcode OutboxRelay.runOnce}. */
export interface RelayHooks {
  /**
   * Called after the publish was confirmed and before the batch is marked
   * published; a test throws here to play a relay killed at the worst moment.
   */
  afterPublish?: (ids: readonly string[]) => void | Promise<void>;
}

/** Moves pending outbox messages to a transport. */
export class OutboxRelay {
  #port: RedisPort;
  #outbox: RedisOutbox;
  #publisher: BytesPublisher;

  constructor(port: RedisPort, outbox: RedisOutbox, publisher: BytesPublisher) {
    this.#port = port;
    this.#outbox = outbox;
    this.#publisher = publisher;
  }

  /**
   * Relays one batch of up to `batchSize` pending messages.
   *
   * @returns How many were published and marked.
   */
  async runOnce(batchSize: number, hooks: RelayHooks = {}): Promise<number> {
    const outbox = this.#outbox;
    const pending = (await this.#port.command(
      ["ZRANGE", outbox.pendingKey, "0", String(batchSize - 1)],
    )) as unknown[];
    const count = pending.length;
    if (count === 0) return 0;
    using keys = rentArray<string>(count);
    using ids = rentArray<string>(count);
    for (let i = 0; i < count; i++) {
      ids.items[i] = replyText(pending[i]);
      keys.items[i] = outbox.messageKey(ids.items[i]);
    }
    const values = await this.#port.mget(keys.items, count, outbox.fetchAsText);
    // A pending id without bytes was marked by a relay that died after its
    // DEL; publish what exists, mark all.
    using payloads = rentArray<Uint8Array | string>(count);
    let present = 0;
    for (let i = 0; i < count; i++) {
      const value = values[i];
      if (value !== null && value !== undefined) payloads.items[present++] = value;
    }
    if (present > 0) await this.#publisher.publishBytes(payloads.items, present);
    await hooks.afterPublish?.(ids.items);
    await this.#port.transaction([
      ["ZREM", outbox.pendingKey, ...ids.items],
      ["DEL", ...keys.items],
    ]);
    return count;
  }

  /**
   * Relays until nothing is pending, retrying a failed batch (e.g. while the
   * server restarts) after `retryMs`, until `deadline` (ms since epoch).
   *
   * @returns How many were relayed.
   */
  async drain(batchSize: number, deadline: number, retryMs: number = 50): Promise<number> {
    let total = 0;
    for (;;) {
      try {
        const relayed = await this.runOnce(batchSize);
        if (relayed === 0) return total;
        total += relayed;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
    }
  }
}
