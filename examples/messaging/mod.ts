/**
 * A user of `@catga/memory/messaging` (the `messaging/` folder): a NATS core
 * transport built on its hand-off rules and {@linkcode PayloadBatch}, and an
 * order service wiring outbox → Redis Stream → consumer → inbox.
 *
 * @module
 */
export * from "./nats_transport.ts";
export * from "./order_service.ts";
