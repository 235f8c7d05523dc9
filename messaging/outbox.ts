/**
 * {@linkcode RedisOutbox}: the storage side of the transactional outbox.
 * `save` writes the message's serialized bytes and its pending-index entry in
 * the SAME MULTI/EXEC as the caller's own state change, so the message exists
 * if and only if the change committed. {@linkcode OutboxRelay} moves pending
 * messages to a transport.
 *
 * Keys, all with the hash tag `{tag}` so that the transaction (and the
 * relay's MGET and cleanup) touch one slot on a Redis Cluster:
 * `{tag}:msg:<id>` (the bytes) and `{tag}:pending` (a sorted set, score = save
 * time in ms, so the relay keeps the save order). The caller's state keys must
 * carry the tag too: {@linkcode RedisOutbox.key}. Spread load over masters
 * with several outboxes (several tags), e.g. one per aggregate partition.
 *
 * @module
 */
import { MemoryPool } from "../pool/mod.ts";
import type { MessageSerializer } from "../serializers/mod.ts";
import { HAND_OFF_RULES } from "./handoff.ts";
import type { RedisCommand, RedisPort } from "./redis_port.ts";

/** Options for {@linkcode RedisOutbox}. */
export interface RedisOutboxOptions {
  /** Serializes messages. */
  serializer: MessageSerializer;
  /** The hash tag of every key (without braces). Default "outbox". */
  tag?: string;
  /** Default `MemoryPool.shared`. */
  pool?: MemoryPool;
}

/**
 * The outbox's storage side (see the module doc).
 *
 * @example Save with a state change, through a stand-in for Bun's client
 * ```ts
 * import { BunRedisPort, type RedisArg, RedisOutbox } from "@catga/memory/messaging";
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const sent: string[] = [];
 * const port = new BunRedisPort({
 *   send: (command: string, args: RedisArg[]) => {
 *     const text = args.map((arg) => typeof arg === "string" ? arg : new TextDecoder().decode(arg));
 *     sent.push([command, ...text].join(" "));
 *     return Promise.resolve(command === "EXEC" ? ["OK", 1, 1] : "QUEUED");
 *   },
 *   getBuffer: () => Promise.resolve(null),
 *   close: () => {},
 * });
 * const outbox = new RedisOutbox(port, { serializer: new JsonSerializer(), tag: "orders" });
 * const replies = await outbox.save("m1", { placed: 7 }, [["HSET", outbox.key("order:7"), "state", "placed"]]);
 * assert.deepEqual(replies, [1]); // the state change's reply
 * assert.equal(sent[0], "MULTI");
 * assert.equal(sent[1], 'SET {orders}:msg:m1 {"placed":7}');
 * assert.match(sent[2], /^ZADD \{orders\}:pending \d+ m1$/);
 * assert.equal(sent[4], "EXEC");
 * ```
 */
export class RedisOutbox {
  /** The hash tag with its braces, e.g. "{orders}". */
  readonly tag: string;
  /** The sorted set of pending ids. */
  readonly pendingKey: string;
  /**
   * Whether the relay fetches payloads as text: for JSON on ioredis and
   * node-redis (their string route is faster than bytes, measured) and on Bun
   * (its `send` replies with text anyway; one MGET beats a GET per key).
   * Otherwise the relay fetches bytes and forwards them without decoding.
   */
  readonly fetchAsText: boolean;
  #port: RedisPort;
  #serializer: MessageSerializer;
  #pool: MemoryPool;

  /**
   * Creates it.
   *
   * @param port The connection.
   * @param options The serializer and hash tag.
   */
  constructor(port: RedisPort, options: RedisOutboxOptions) {
    this.#port = port;
    this.#serializer = options.serializer;
    this.#pool = options.pool ?? MemoryPool.shared;
    this.tag = `{${options.tag ?? "outbox"}}`;
    this.pendingKey = `${this.tag}:pending`;
    // JSON is valid UTF-8: fetched as text where that is the client's faster route
    // (ioredis, node-redis: measured), or where replies are text anyway (Bun).
    this.fetchAsText = options.serializer.contentType === "application/json" &&
      (!port.binaryReplies || HAND_OFF_RULES[port.client].jsonAsString);
  }

  /** A key with the outbox's hash tag, for the caller's state (same slot on a cluster). */
  key(name: string): string {
    return `${this.tag}:${name}`;
  }

  /** The key holding a message's bytes. */
  messageKey(id: string): string {
    return `${this.tag}:msg:${id}`;
  }

  /**
   * Saves `message` under `id` together with `stateChange` (the caller's own
   * commands, keys from {@linkcode key}), atomically. The pooled payload goes
   * back once EXEC settled: the safe point of every Redis client.
   *
   * @returns EXEC's replies to `stateChange`.
   */
  async save(
    id: string,
    message: unknown,
    stateChange: readonly RedisCommand[] = [],
  ): Promise<unknown[]> {
    using payload = this.#serializer.serializePooled(message);
    const commands: RedisCommand[] = [
      ["SET", this.messageKey(id), payload.bytes],
      ["ZADD", this.pendingKey, String(Date.now()), id],
    ];
    for (const command of stateChange) commands.push(command);
    const replies = await this.#port.transaction(this.pendingKey, commands);
    return replies.slice(2);
  }

  /** How many messages wait for the relay. */
  async pendingCount(): Promise<number> {
    return Number(await this.#port.command(this.pendingKey, ["ZCARD", this.pendingKey]));
  }

  /** The pool payloads rent from. */
  get pool(): MemoryPool {
    return this.#pool;
  }
}
