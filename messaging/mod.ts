/**
 * `@catga/memory/messaging`: crash-safe messaging on pooled bytes for the
 * clients a service already has (ioredis, node-redis, Bun's `RedisClient`,
 * nats.js with JetStream), single node or cluster.
 *
 * - {@linkcode RedisStreamTransport}: batch publish to a Redis Stream on each
 *   client's measured fastest route, with `MAXLEN ~` / `MINID ~` trimming.
 * - {@linkcode RedisStreamConsumer}: consumer groups with blocking reads,
 *   recovery of entries a dead consumer left pending (`XAUTOCLAIM`), a
 *   dead-letter stream after N deliveries (and at once for undecodable
 *   payloads), reconnect with backoff, graceful shutdown.
 * - {@linkcode RedisOutbox} + {@linkcode OutboxRelay}: the message is saved in
 *   the same MULTI/EXEC as the state change and relayed at least once.
 * - {@linkcode RedisInbox}: a claim with an expiry, then a done marker written
 *   with (or after) the handler's effect: effectively once.
 * - NATS: {@linkcode NatsTransport} (core, at most once),
 *   {@linkcode JetStreamPublisher} (acks, `Nats-Msg-Id` de-duplication) and
 *   {@linkcode JetStreamConsumer} (durable pull consumer: ack, nak with
 *   backoff, dead letter); {@linkcode JetStreamPublisher} is a
 *   {@linkcode BytesPublisher}, so the outbox relay can feed JetStream.
 * - {@linkcode RedisPort}: the one interface the above use, with three thin
 *   adapters ({@linkcode IoRedisPort}, {@linkcode NodeRedisPort},
 *   {@linkcode BunRedisPort}). Clients are passed in and typed structurally:
 *   this module has no runtime dependencies.
 *
 * Cluster: every multi-key command stays in one slot because every key of an
 * outbox or inbox carries its hash tag (`{tag}`); give your state keys the
 * same tag with `outbox.key(...)` / `inbox.key(...)`. ioredis `Cluster` and
 * node-redis `createCluster` (via {@linkcode NodeRedisPort.cluster}) work;
 * Bun's `RedisClient` talks to one server only.
 *
 * Why a subpath of `@catga/memory` and not a second package: one version and
 * one JSR page for the library and its messaging layer; no cross-package
 * resolution (a workspace's second package would import `@catga/memory` from
 * JSR, which must then be reachable and in step); and this folder still
 * reaches the library only through its public entry points (`../pool`,
 * `../encoding`, `../serializers`), exactly as an outside package would.
 *
 * @example Outbox → relay → stream, with in-memory stand-ins for the server
 * ```ts
 * import {
 *   BunRedisPort,
 *   OutboxRelay,
 *   type RedisArg,
 *   RedisOutbox,
 *   RedisStreamTransport,
 * } from "@catga/memory/messaging";
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * // A tiny fake Redis: strings, one sorted set, one stream; MULTI/EXEC run in order.
 * const strings = new Map<string, string>();
 * const pending: string[] = [];
 * const stream: string[] = [];
 * const run = (command: string, a: string[]): unknown => {
 *   if (command === "SET") return strings.set(a[0], a[1]) && "OK";
 *   if (command === "ZADD") return pending.push(a[2]);
 *   if (command === "ZRANGE") return [...pending];
 *   if (command === "MGET") return a.map((key) => strings.get(key) ?? null);
 *   if (command === "ZREM") return pending.splice(0, a.length - 1).length;
 *   if (command === "DEL") return a.filter((key) => strings.delete(key)).length;
 *   // The relay's XADDs come as one script call: EVALSHA sha 1 stream field "0" ...payloads.
 *   if (command === "EVALSHA") return a.slice(5).map((payload) => `${stream.push(payload)}-0`);
 * };
 * let queued: [string, string[]][] | null = null;
 * const port = new BunRedisPort({
 *   send: (command: string, args: RedisArg[]) => {
 *     const a = args.map((arg) => typeof arg === "string" ? arg : new TextDecoder().decode(arg));
 *     if (command === "MULTI") queued = [];
 *     else if (command === "EXEC") {
 *       const replies = queued!.map(([c, q]) => run(c, q));
 *       queued = null;
 *       return Promise.resolve(replies);
 *     } else if (queued !== null) queued.push([command, a]);
 *     else return Promise.resolve(run(command, a));
 *     return Promise.resolve("OK");
 *   },
 *   getBuffer: () => Promise.resolve(null),
 *   close: () => {},
 * });
 * const serializer = new JsonSerializer();
 * const outbox = new RedisOutbox(port, { serializer, tag: "orders" });
 * await outbox.save("m1", { order: 1 }, [["SET", outbox.key("order:1"), "placed"]]);
 * const transport = new RedisStreamTransport(port, { stream: "{orders}:events", serializer });
 * assert.equal(await new OutboxRelay(port, outbox, transport).runOnce(100), 1);
 * assert.deepEqual(stream, ['{"order":1}']);
 * assert.equal(strings.get("{orders}:order:1"), "placed");
 * ```
 *
 * @module
 */
export * from "./handoff.ts";
export * from "./payload_batch.ts";
export * from "./publisher.ts";
export * from "./redis_port.ts";
export * from "./redis_bun.ts";
export * from "./redis_ioredis.ts";
export * from "./redis_node_redis.ts";
export * from "./redis_stream_transport.ts";
export * from "./redis_stream_consumer.ts";
export * from "./outbox.ts";
export * from "./outbox_relay.ts";
export * from "./inbox.ts";
export * from "./nats_core.ts";
export * from "./nats_jetstream.ts";
export * from "./nats_jetstream_consumer.ts";
