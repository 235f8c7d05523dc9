/**
 * An outbox relay as its own process, for the test that kills it between
 * publishing a batch and marking it published. Run with one JSON argument:
 * `{ client, redisUrl, tag, stream, batchSize, pauseAfterPublishMs }`.
 * Prints `published <n>` to stdout once a batch is confirmed, then waits
 * `pauseAfterPublishMs` before marking it (the window the test kills it in),
 * and `drained <total>` when nothing is pending.
 *
 * @module
 */
import { JsonSerializer } from "../serializers/mod.ts";
import {
  type BytesPublisher,
  OutboxRelay,
  RedisOutbox,
  RedisStreamTransport,
} from "../messaging/mod.ts";
import { connectRedis, type RedisClientName } from "../dev/redis_clients.ts";

interface RelayConfig {
  client: RedisClientName;
  redisUrl: string;
  tag: string;
  stream: string;
  batchSize: number;
  pauseAfterPublishMs: number;
}

const config = JSON.parse(process.argv[process.argv.length - 1]) as RelayConfig;
const port = await connectRedis(config.client, config.redisUrl);
const serializer = new JsonSerializer();
const outbox = new RedisOutbox(port, { serializer, tag: config.tag });
const transport = new RedisStreamTransport(port, { stream: config.stream, serializer });
// Prints once a batch is confirmed, then waits before the relay marks it: the kill window.
const announcing: BytesPublisher = {
  publishBytes: async (payloads, count) => {
    await transport.publishBytes(payloads, count);
    console.log(`published ${count}`);
    await new Promise((resolve) => setTimeout(resolve, config.pauseAfterPublishMs));
  },
};
const relay = new OutboxRelay(port, outbox, announcing);
let total = 0;
for (;;) {
  const relayed = await relay.runOnce(config.batchSize);
  if (relayed === 0) break;
  total += relayed;
}
console.log(`drained ${total}`);
await port.close();
