/**
 * An order service on `@catga/memory/messaging`, as a user writes it: an
 * order is placed with its `order.placed` event in one transaction (outbox);
 * a relay moves events to a Redis Stream; billing consumes them through a
 * consumer group and charges each order once (inbox), whatever crashes.
 *
 * Pass any `RedisPort` (ioredis, node-redis, Bun; single node or cluster):
 * the keys carry hash tags, so a cluster keeps every transaction in one slot.
 *
 * @module
 */
import {
  OutboxRelay,
  RedisInbox,
  RedisOutbox,
  type RedisPort,
  RedisStreamConsumer,
  RedisStreamTransport,
} from "../../messaging/mod.ts";
import { MsgPackSerializer } from "../../serializers/mod.ts";

/** The event the service publishes. */
export interface OrderPlaced {
  readonly orderId: string;
  readonly cents: number;
}

/** The wired parts of the service. */
export interface OrderService {
  /** Places an order and saves its event in the same transaction. */
  placeOrder(order: OrderPlaced): Promise<void>;
  /** Relays pending events once; returns how many. */
  relayOnce(): Promise<number>;
  /** The billing consumer (start/stop it). */
  readonly billing: RedisStreamConsumer;
  /** The billing inbox (its `key("charged")` hash holds the charges). */
  readonly inbox: RedisInbox;
}

/**
 * Wires the service. `consumerPort` must be a connection of its own: the
 * consumer blocks on it.
 */
export function orderService(port: RedisPort, consumerPort: RedisPort): OrderService {
  const serializer = new MsgPackSerializer();
  const outbox = new RedisOutbox(port, { serializer, tag: "orders" });
  const stream = new RedisStreamTransport(port, {
    stream: "{orders}:events",
    serializer,
    trim: { maxAgeMs: 24 * 3600_000 },
  });
  const relay = new OutboxRelay(port, outbox, stream);
  const inbox = new RedisInbox(port, { tag: "billing" });
  const billing = new RedisStreamConsumer(consumerPort, {
    stream: "{orders}:events",
    group: "billing",
    consumer: `billing-${crypto.randomUUID()}`,
    serializer,
    handler: async (message) => {
      const event = message as OrderPlaced;
      // The charge commits together with the inbox's done marker: once per order.
      const outcome = await inbox.handle(event.orderId, () => [
        ["HSET", inbox.key("charged"), event.orderId, String(event.cents)],
      ]);
      // Another attempt holds the claim: no ack, the entry comes back later.
      if (outcome === "busy") throw new Error(`Cannot charge ${event.orderId} yet: busy`);
    },
  });
  return {
    placeOrder: async (order) => {
      await outbox.save(order.orderId, order, [
        ["HSET", outbox.key(`order:${order.orderId}`), "state", "placed"],
      ]);
    },
    relayOnce: () => relay.runOnce(500),
    billing,
    inbox,
  };
}
