/**
 * {@linkcode OutboxRelay}: moves pending outbox messages to a transport, at
 * least once. It reads pending ids in batches, fetches their bytes with one
 * MGET over a pooled key array, publishes them through a
 * {@linkcode BytesPublisher} (with the outbox ids as message ids, so that
 * JetStream drops a batch published twice), and marks them published (ZREM + DEL in one
 * MULTI/EXEC) only after the publish is confirmed. A relay that dies in
 * between publishes the batch again on restart; the inbox makes handling
 * effectively once.
 *
 * Several relays on one outbox are safe (a batch may go out twice, never
 * zero times); one relay per outbox avoids the extra copies.
 *
 * @module
 */
import { rentArray } from "../pool/mod.ts";
import type { RedisOutbox } from "./outbox.ts";
import type { BytesPublisher } from "./publisher.ts";
import type { RedisPort } from "./redis_port.ts";
import { replyText } from "./redis_port.ts";

/**
 * Moves pending outbox messages to a transport (see the module doc).
 *
 * @example Relay to an in-memory publisher, through a stand-in for Bun's client
 * ```ts
 * import {
 *   BunRedisPort,
 *   type BytesPublisher,
 *   OutboxRelay,
 *   type RedisArg,
 *   RedisOutbox,
 * } from "@catga/memory/messaging";
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const store = new Map<string, string>([["{o}:msg:m1", '{"n":1}']]);
 * let pending = ["m1"];
 * const port = new BunRedisPort({
 *   send: (command: string, args: RedisArg[]) => {
 *     if (command === "ZRANGE") return Promise.resolve(pending);
 *     if (command === "MGET") return Promise.resolve(args.map((key) => store.get(String(key)) ?? null));
 *     if (command === "ZREM") pending = [];
 *     return Promise.resolve(command === "EXEC" ? [1, 1] : "QUEUED");
 *   },
 *   getBuffer: () => Promise.resolve(null),
 *   close: () => {},
 * });
 * const published: string[] = [];
 * const publisher: BytesPublisher = {
 *   publishBytes: (payloads, count) => {
 *     for (let i = 0; i < count; i++) published.push(String(payloads[i]));
 *     return Promise.resolve();
 *   },
 * };
 * const outbox = new RedisOutbox(port, { serializer: new JsonSerializer(), tag: "o" });
 * const relay = new OutboxRelay(port, outbox, publisher);
 * assert.equal(await relay.runOnce(100), 1);
 * assert.deepEqual(published, ['{"n":1}']);
 * assert.equal(await relay.runOnce(100), 0);
 * ```
 */
export class OutboxRelay {
  #port: RedisPort;
  #outbox: RedisOutbox;
  #publisher: BytesPublisher;

  /**
   * Creates it.
   *
   * @param port The connection (the outbox's, or another to the same server).
   * @param outbox The outbox to drain.
   * @param publisher The transport.
   */
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
  async runOnce(batchSize: number): Promise<number> {
    const outbox = this.#outbox;
    const pendingKey = outbox.pendingKey;
    // Ids are text: read as strings, not as bytes decoded one by one.
    const pending = (await this.#port.commandText(
      pendingKey,
      ["ZRANGE", pendingKey, "0", String(batchSize - 1)],
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
    using presentIds = rentArray<string>(count);
    let present = 0;
    for (let i = 0; i < count; i++) {
      const value = values[i];
      if (value !== null && value !== undefined) {
        presentIds.items[present] = ids.items[i];
        payloads.items[present++] = value;
      }
    }
    if (present > 0) await this.#publisher.publishBytes(payloads.items, present, presentIds.items);
    await this.#port.transaction(pendingKey, [
      ["ZREM", pendingKey, ...ids.items],
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
