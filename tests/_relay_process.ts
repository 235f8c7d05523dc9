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
import { OutboxRelay, RedisOutbox, RedisStreamTransport } from "../messaging/mod.ts";
import { connectRedis, type RedisClientName } from "./_redis_clients.ts";

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
const relay = new OutboxRelay(
  port,
  outbox,
  new RedisStreamTransport(port, { stream: config.stream, serializer }),
);
let total = 0;
for (;;) {
  const relayed = await relay.runOnce(config.batchSize, {
    afterPublish: async (ids) => {
      console.log(`published ${ids.length}`);
      await new Promise((resolve) => setTimeout(resolve, config.pauseAfterPublishMs));
    },
  });
  if (relayed === 0) break;
  total += relayed;
}
console.log(`drained ${total}`);
await port.close();
