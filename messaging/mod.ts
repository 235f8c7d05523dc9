/**
 * Redis and NATS messaging on pooled bytes, with each client's hand-off rule
 * enforced. The clients are passed in and typed structurally: this module has
 * no runtime dependency.
 *
 * NATS: {@linkcode NatsTransport} (core, at most once),
 * {@linkcode JetStreamPublisher} (acks, `Nats-Msg-Id` de-duplication) and
 * {@linkcode JetStreamConsumer} (durable pull consumer: ack, nak with backoff,
 * dead letter).
 *
 * @module
 */
export * from "./handoff.ts";
export * from "./payload_batch.ts";
export * from "./nats_core.ts";
export * from "./nats_jetstream.ts";
export * from "./nats_jetstream_consumer.ts";
