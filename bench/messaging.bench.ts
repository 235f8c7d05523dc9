/**
 * The messaging examples against real servers on free loopback ports, per client the runtime
 * runs: batch publish, outbox fetch, consume and outbox relay of 1,000 ~220 B JSON messages.
 * `naive` is what a user writes without the library (JSON.stringify strings, fresh arrays),
 * `ours` the examples' route, and for ioredis and node-redis `pooled-bytes` forces pooled bytes
 * to show why the transport sends them JSON strings. Timing: messaging/compare.ts.
 * `--only <prefix>` runs only the clients whose names start with it, and writes no results.
 *
 * @module
 */
import { PayloadBatch } from "../messaging/mod.ts";
import { MemoryPool } from "../pool/mod.ts";
import { JsonSerializer } from "../serializers/mod.ts";
import { CLUSTER_CLIENTS, REDIS_CLIENTS } from "../dev/redis_clients.ts";
import { startRedisCluster } from "../dev/redis_cluster.ts";
import { startAll, startNats, startRedis } from "../dev/services.ts";
import { startNatsCluster } from "../dev/nats_cluster.ts";
import type { MessagingResults, MessagingRow } from "../dev/schema_messaging.ts";
import { runtimeInfo, writeJson } from "./_harness.ts";
import { BATCH, messages, ROUNDS } from "./messaging/compare.ts";
import { benchRedis } from "./messaging/redis.ts";
import { benchJetStream, benchNats } from "./messaging/nats.ts";

/**
 * 1,000 payloads held until the batch settles: rented one by one from a default pool, the
 * small tier's 64-per-class cap drops most returns; one PayloadBatch rents one buffer.
 */
function dropDemo(): MessagingResults["dropDemo"] {
  const perMessage = new MemoryPool();
  const serializer = new JsonSerializer({ pool: perMessage });
  for (const owned of messages.map((m) => serializer.serializePooled(m))) owned.dispose();
  const batched = new MemoryPool();
  const batch = new PayloadBatch(batched);
  for (const m of messages) batch.add(m, serializer);
  batch.dispose();
  return {
    perMessageRentDropped: perMessage.stats().dropped,
    payloadBatchDropped: batched.stats().dropped,
  };
}

const onlyAt = process.argv.indexOf("--only");
const only = onlyAt === -1 ? "" : process.argv[onlyAt + 1] ?? "";
const rows: MessagingRow[] = [];
/** Adds `client`'s rows, if `--only` lets it run. */
async function bench(client: string, run: () => Promise<MessagingRow[]>): Promise<void> {
  if (!client.startsWith(only)) return;
  console.log(`${client}…`);
  rows.push(...await run());
}

/** Runs `body` on a fresh cluster, stopped on every exit path, if `--only` lets a row run. */
async function withCluster<T extends { close(): Promise<unknown> }>(
  rowsOf: string[],
  start: () => Promise<T>,
  body: (cluster: T) => Promise<void>,
): Promise<void> {
  if (!rowsOf.some((client) => client.startsWith(only))) return;
  const cluster = await start();
  try {
    await body(cluster);
  } finally {
    await cluster.close();
  }
}

const [redisServer, natsServer, jetStreamServer] = await startAll([
  startRedis({ durable: false }),
  startNats(),
  startNats({ jetstream: true }),
]);
try {
  for (const client of REDIS_CLIENTS) {
    await bench(
      client,
      () => benchRedis(client, [redisServer.url], false),
    );
  }
  // Bun's RedisClient has no cluster mode: no "bun cluster" rows.
  await withCluster(
    CLUSTER_CLIENTS.map((c) => `${c} cluster`),
    () => startRedisCluster(3),
    async (cluster) => {
      for (const client of CLUSTER_CLIENTS) {
        await bench(
          `${client} cluster`,
          () => benchRedis(client, cluster.urls, true),
        );
      }
    },
  );
  await bench("nats", () => benchNats(natsServer.url));
  await bench("jetstream", () => benchJetStream("jetstream", [jetStreamServer.url], 1));
  await withCluster(
    ["jetstream cluster"],
    startNatsCluster,
    (cluster) =>
      bench("jetstream cluster", () => benchJetStream("jetstream cluster", cluster.urls, 3)),
  );
} finally {
  await redisServer.close();
  await natsServer.close();
  await jetStreamServer.close();
}

if (only !== "") {
  console.log(`--only ${only}: results not written (a partial run)`);
  process.exit(0);
}
const { id, name, version, cpu } = runtimeInfo;
const results: MessagingResults = {
  runtime: { id, name, version, cpu },
  date: new Date().toISOString(),
  batchSize: BATCH,
  messageBytes: Math.round(
    messages.reduce((n: number, m) => n + JSON.stringify(m).length, 0) / BATCH,
  ),
  rounds: ROUNDS,
  rows,
  dropDemo: dropDemo(),
};
writeJson(`messaging.${id}.json`, results);
