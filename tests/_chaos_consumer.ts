/**
 * One consumer process of the chaos run (tests/chaos.ts), SIGKILLed at
 * random by it: a JetStream durable pull consumer whose handler goes through
 * the Redis Cluster inbox of the message's partition. The effect (HINCRBY of
 * the message id in `{chaos-N}:applied`) commits with the inbox's done marker,
 * so a value above 1 there is an effect applied twice.
 *
 * Argument: JSON `{ redisUrls, natsUrls, stream, durable }`. Prints `ready`.
 *
 * @module
 */
import { connect, headers } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { JetStreamConsumer, RedisInbox } from "../messaging/mod.ts";
import { JsonSerializer } from "../serializers/mod.ts";
import { connectRedisCluster } from "../dev/redis_clients.ts";

interface Config {
  redisUrls: string[];
  natsUrls: string[];
  stream: string;
  durable: string;
}

/** The message the chaos run publishes. */
interface ChaosMessage {
  id: string;
  partition: number;
}

const config = JSON.parse(process.argv[process.argv.length - 1]) as Config;
const redis = await connectRedisCluster("ioredis", config.redisUrls);
const nc = await connect({
  servers: config.natsUrls,
  maxReconnectAttempts: -1,
  reconnectTimeWait: 100,
});
const js = jetstream(nc);
const inboxes = new Map<number, RedisInbox>();
const inboxOf = (partition: number) => {
  let inbox = inboxes.get(partition);
  if (inbox === undefined) {
    // Claims expire soon after a SIGKILL, so that the redelivery is not "busy" for long.
    inbox = new RedisInbox(redis, { tag: `chaos-${partition}`, claimTtlMs: 4_000 });
    inboxes.set(partition, inbox);
  }
  return inbox;
};
const worker = new JetStreamConsumer(await js.consumers.get(config.stream, config.durable), {
  serializer: new JsonSerializer(),
  concurrency: 64,
  maxMessages: 256,
  maxDeliveries: 1_000, // a busy claim is retried, never dead-lettered
  redeliveryBackoff: [200, 500, 1000],
  reconnectBackoff: [50, 100, 250, 500],
  expires: 2_000,
  flush: () => nc.flush(),
  deadLetter: { publisher: js, subject: `${config.stream}-dead`, headers },
  handler: async (message) => {
    const { id, partition } = message as ChaosMessage;
    const inbox = inboxOf(partition);
    const outcome = await inbox.handle(id, () => [["HINCRBY", inbox.key("applied"), id, "1"]]);
    if (outcome === "busy") throw new Error(`Cannot handle ${id} yet: another attempt holds it`);
  },
});
const running = worker.run();
console.log("ready");
process.once("SIGTERM", async () => {
  await worker.stop();
  await running;
  await nc.close();
  await redis.close();
  process.exit(0);
});
await running;
