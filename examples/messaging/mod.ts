/**
 * Redis and NATS messaging on pooled bytes: the seed's transports (2.1, 2.2),
 * outbox (3.1) and inbox (3.2), with each client's hand-off rule enforced.
 * Not part of the published library: the clients are devDependencies.
 *
 * @module
 */
export * from "../../messaging/handoff.ts";
export * from "../../messaging/payload_batch.ts";
export * from "./redis_port.ts";
export * from "./redis_bun.ts";
export * from "./redis_ioredis.ts";
export * from "./redis_node_redis.ts";
export * from "./redis_transport.ts";
export * from "../../messaging/nats_core.ts";
export * from "./outbox.ts";
export * from "./inbox.ts";
export * from "./clients.ts";
