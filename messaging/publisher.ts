/**
 * {@linkcode BytesPublisher}: what the outbox relay needs from a transport.
 *
 * @module
 */

/**
 * Sends already serialized payloads and resolves once the broker has
 * confirmed every one (XADD replies from Redis; a JetStream ack, or a
 * resolved flush for core NATS). The outbox relay marks messages published
 * only after this resolves.
 *
 * @example A publisher that collects the payloads
 * ```ts
 * import type { BytesPublisher } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * const seen: string[] = [];
 * const publisher: BytesPublisher = {
 *   publishBytes(payloads, count) {
 *     for (let i = 0; i < count; i++) seen.push(String(payloads[i]));
 *     return Promise.resolve();
 *   },
 * };
 * await publisher.publishBytes(["a", "b", "unused"], 2);
 * assert.deepEqual(seen, ["a", "b"]);
 * ```
 */
export interface BytesPublisher {
  /**
   * Publishes `payloads[0..count)` (serialized bytes, or UTF-8 text); resolves
   * only when every one is confirmed. `ids[i]` is payload i's message id (the
   * outbox id), for brokers that de-duplicate by it (JetStream's
   * `Nats-Msg-Id`); others ignore it.
   */
  publishBytes(
    payloads: readonly (Uint8Array | string)[],
    count: number,
    ids?: readonly string[],
  ): Promise<unknown>;
}
