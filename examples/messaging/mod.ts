/**
 * A user of `@catga/memory/messaging` (the `messaging/` folder): an order
 * service wiring outbox → Redis Stream → consumer → inbox.
 *
 * @module
 */
export * from "./order_service.ts";
