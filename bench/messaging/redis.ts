/**
 * The Redis rows of the messaging bench: per client (single node or cluster), batch publish,
 * outbox fetch, consume and outbox relay, each against what a user writes with that client.
 *
 * @module
 */
import { MemoryPool, rentArray } from "../../pool/mod.ts";
import { JsonSerializer } from "../../serializers/mod.ts";
import {
  OutboxRelay,
  RedisOutbox,
  RedisStreamConsumer,
  RedisStreamTransport,
} from "../../messaging/mod.ts";
import {
  connectRedis,
  connectRedisCluster,
  type RedisClientName,
} from "../../dev/redis_clients.ts";
import type { MessagingRow } from "../../dev/schema_messaging.ts";
import {
  ALLOCATION_ROUNDS,
  BATCH,
  compare,
  type Contender,
  messages,
  naive,
  ours,
  pooledBytes,
  ROUNDS,
  WARMUP_BATCHES,
} from "./compare.ts";

// deno-lint-ignore no-explicit-any
type Raw = any;

/** A connection of `client` as a user holds it. */
async function connectRaw(client: RedisClientName, urls: readonly string[], cluster: boolean) {
  if (client === "bun") {
    const specifier = "bun";
    const { RedisClient } = await import(specifier);
    const redis = new RedisClient(urls[0]);
    await redis.connect();
    return redis;
  }
  if (client === "ioredis") {
    const { Cluster, Redis } = await import("ioredis");
    const nodes = urls.map((url) => ({ host: new URL(url).hostname, port: +new URL(url).port }));
    const redis = cluster ? new Cluster(nodes) : new Redis(urls[0]);
    await redis.ping();
    return redis;
  }
  const { createClient, createCluster } = await import("redis");
  const redis = cluster
    ? createCluster({ rootNodes: urls.map((url) => ({ url })) })
    : createClient({ url: urls[0] });
  await redis.connect();
  return redis;
}

/** XREADGROUP's entries (`[id, [field, value]]`) JSON.parsed into `sink`; their ids. */
function parseEntries(entries: [string, string[]][], sink: (m: unknown) => void): string[] {
  const ids: string[] = [];
  for (const [id, fields] of entries) {
    sink(JSON.parse(fields[1]));
    ids.push(id);
  }
  return ids;
}

/**
 * What a user writes with each client, one batch per call: publish (one XADD per message in one
 * pipeline, JSON.stringify each), outbox fetch (MGET as strings), consume (XREADGROUP of 1,000,
 * JSON.parse each, one XACK) and relay of an outbox laid out as the module's (`{tag}:pending`,
 * `{tag}:msg:<id>`: ZRANGE, MGET, XADD pipeline, MULTI ZREM + DEL).
 */
interface Naive {
  publish(raw: Raw, stream: string, cluster: boolean): Promise<unknown>;
  fetch(raw: Raw, keys: string[]): Promise<unknown>;
  consume(raw: Raw, stream: string, sink: (m: unknown) => void): Promise<void>;
  relay(raw: Raw, pending: string, keyOf: (id: string) => string, stream: string): Promise<void>;
}
const consumeArgs = (
  stream: string,
) => ["GROUP", "naive", "c", "COUNT", String(BATCH), "STREAMS", stream, ">"];
const NAIVE: Record<RedisClientName, Naive> = {
  bun: {
    publish: (raw, stream) =>
      Promise.all(messages.map((m) => raw.send("XADD", [stream, "*", "d", JSON.stringify(m)]))),
    fetch: (raw, keys) => raw.mget(...keys),
    async consume(raw, stream, sink) {
      const reply = await raw.send("XREADGROUP", consumeArgs(stream));
      const entries = Array.isArray(reply) ? reply[0][1] : Object.values(reply)[0];
      await raw.send("XACK", [stream, "naive", ...parseEntries(entries, sink)]);
    },
    async relay(raw, pending, keyOf, stream) {
      const ids = (await raw.send("ZRANGE", [pending, "0", String(BATCH - 1)])) as string[];
      const keys = ids.map(keyOf);
      const values = (await raw.send("MGET", keys)) as string[];
      await Promise.all(values.map((value) => raw.send("XADD", [stream, "*", "d", value])));
      raw.send("MULTI", []);
      raw.send("ZREM", [pending, ...ids]);
      raw.send("DEL", keys);
      await raw.send("EXEC", []);
    },
  },
  ioredis: {
    publish(raw, stream) {
      const pipeline = raw.pipeline();
      for (const m of messages) pipeline.xadd(stream, "*", "d", JSON.stringify(m));
      return pipeline.exec();
    },
    fetch: (raw, keys) => raw.mget(keys),
    async consume(raw, stream, sink) {
      const reply = await raw.xreadgroup(...consumeArgs(stream));
      await raw.xack(stream, "naive", ...parseEntries(reply[0][1], sink));
    },
    async relay(raw, pending, keyOf, stream) {
      const ids = (await raw.zrange(pending, 0, BATCH - 1)) as string[];
      const keys = ids.map(keyOf);
      const values = (await raw.mget(keys)) as string[];
      const pipeline = raw.pipeline();
      for (const value of values) pipeline.xadd(stream, "*", "d", value);
      await pipeline.exec();
      await raw.multi().zrem(pending, ...ids).del(...keys).exec();
    },
  },
  "node-redis": {
    publish(raw, stream, cluster) {
      const multi = raw.multi();
      for (const m of messages) {
        if (cluster) multi.xAdd(stream, "*", { d: JSON.stringify(m) });
        else multi.addCommand(["XADD", stream, "*", "d", JSON.stringify(m)]);
      }
      return multi.execAsPipeline();
    },
    fetch: (raw, keys) => raw.mGet(keys),
    async consume(raw, stream, sink) {
      const reply = await raw.xReadGroup("naive", "c", { key: stream, id: ">" }, { COUNT: BATCH });
      const ids: string[] = [];
      for (const entry of reply[0].messages as { id: string; message: { d: string } }[]) {
        sink(JSON.parse(entry.message.d));
        ids.push(entry.id);
      }
      await raw.xAck(stream, "naive", ids);
    },
    async relay(raw, pending, keyOf, stream) {
      const ids = (await raw.zRange(pending, 0, BATCH - 1)) as string[];
      const keys = ids.map(keyOf);
      const values = (await raw.mGet(keys)) as string[];
      const pipeline = raw.multi();
      for (const value of values) pipeline.xAdd(stream, "*", { d: value });
      await pipeline.execAsPipeline();
      await raw.multi().zRem(pending, ids).del(keys).exec();
    },
  },
};

/**
 * The rows of `client` on one server or a cluster, with three connections: `raw` as a user holds
 * it, the module's `port`, and a `consumerPort` (the consumer blocks).
 */
export async function benchRedis(
  client: RedisClientName,
  urls: readonly string[],
  cluster: boolean,
): Promise<MessagingRow[]> {
  const connectPort = () =>
    cluster ? connectRedisCluster(client, urls) : connectRedis(client, urls[0]);
  const [raw, port, consumerPort] = [
    await connectRaw(client, urls, cluster),
    await connectPort(),
    await connectPort(),
  ];
  const label = cluster ? `${client} cluster` : client;
  const user = NAIVE[client];
  const json = new JsonSerializer();
  const stream = `{bench}:${client}`;
  const del = (key = stream) => () => port.command(key, ["DEL", key]);
  const publisher = (pool: MemoryPool, route?: "pooled-bytes") =>
    new RedisStreamTransport(port, { stream, serializer: json, pool, route });
  const pool = new MemoryPool();
  const transport = publisher(pool);
  const publish = [
    naive("JSON.stringify strings, fresh arrays", () => user.publish(raw, stream, cluster), {
      reset: del(),
    }),
    ours(
      transport.route === "json-strings"
        ? "JSON.stringify strings (faster for this client), rented arrays"
        : "one pooled PayloadBatch, rented arrays" +
          (client === "bun" ? ", one reused args array" : ""),
      () => transport.publishBatch(messages),
      { reset: del(), pool },
    ),
  ];
  let forced: RedisStreamTransport | undefined;
  if (transport.route === "json-strings") {
    const forcedPool = new MemoryPool();
    const forcedTransport = forced = publisher(forcedPool, "pooled-bytes");
    publish.push(
      pooledBytes(
        "one pooled PayloadBatch as Buffer views",
        () => forcedTransport.publishBatch(messages),
        { reset: del(), pool: forcedPool },
      ),
    );
  }
  const rows: MessagingRow[] = [];
  const add = async (scenario: MessagingRow["scenario"], contenders: Contender[]) =>
    rows.push(...await compare(label, scenario, contenders));
  await add("batch publish", publish);

  // Outbox fetch: 1,000 values saved the outbox's way.
  const ids = messages.map((m) => String(m.id));
  const outbox = new RedisOutbox(port, { serializer: json, tag: "ob" });
  await del(outbox.pendingKey)();
  for (let i = 0; i < BATCH; i += 100) {
    await Promise.all(ids.slice(i, i + 100).map((id, j) => outbox.save(id, messages[i + j])));
  }
  const keyOf = (id: string) => `{ob}:msg:${id}`;
  await add("outbox fetch", [
    naive("fresh key array, MGET as strings", () => user.fetch(raw, ids.map(keyOf))),
    ours(
      outbox.fetchAsText
        ? "rented key array, one MGET as text"
        : "rented key array, MGET as bytes (forwarded without decoding)",
      async () => {
        using rented = rentArray<string>(BATCH);
        for (let i = 0; i < BATCH; i++) rented.items[i] = outbox.messageKey(ids[i]);
        return await port.mget(rented.items, BATCH, outbox.fetchAsText);
      },
    ),
  ]);
  await del()();
  transport.dispose();
  forced?.dispose();

  // Consume: each contender's own group reads 1,000 new entries of one prefilled stream per run.
  const consumeStream = `{bench}:${client}:consume`;
  const runs = WARMUP_BATCHES + ROUNDS + ALLOCATION_ROUNDS + 2;
  const filler = new RedisStreamTransport(port, { stream: consumeStream, serializer: json });
  for (let r = 0; r < runs * 1.2; r++) await filler.publishBatch(messages);
  filler.dispose();
  for (const group of ["naive", "ours"]) {
    await port.command(consumeStream, ["XGROUP", "CREATE", consumeStream, group, "0"]);
  }
  let sink = 0;
  const consumer = new RedisStreamConsumer(consumerPort, {
    stream: consumeStream,
    group: "ours",
    consumer: "c",
    serializer: json,
    batchSize: BATCH,
    blockMs: 1,
    handler: (m) => void (sink += (m as { id: number }).id),
  });
  await add("consume", [
    naive(
      "XREADGROUP COUNT 1000, JSON.parse each, one XACK",
      () => user.consume(raw, consumeStream, (m) => sink += (m as { id: number }).id),
    ),
    ours(
      "RedisStreamConsumer.poll: decode from the reply, ack after the handlers",
      () => consumer.poll(),
    ),
  ]);
  if (sink === 0) throw new Error("nothing consumed");
  await del(consumeStream)();

  // Outbox relay: every run relays the 1,000 messages its (untimed) prepare saved.
  let next = 0;
  const relayed = (tag: string) => {
    const tagged = new RedisOutbox(port, { serializer: json, tag });
    const prepare = () => Promise.all(messages.map((m) => tagged.save(`r${next++}`, m)));
    const stream = `{${tag}}:events`;
    return { outbox: tagged, stream, hooks: { prepare, reset: del(stream) } };
  };
  const [naiveSide, oursSide] = [relayed("relay-naive"), relayed("relay-ours")];
  const relayKeyOf = (id: string) => `{relay-naive}:msg:${id}`;
  const relay = new OutboxRelay(
    port,
    oursSide.outbox,
    new RedisStreamTransport(port, { stream: oursSide.stream, serializer: json }),
  );
  await add("outbox relay", [
    naive(
      "ZRANGE, MGET strings, XADD pipeline, MULTI ZREM + DEL; fresh arrays",
      () => user.relay(raw, "{relay-naive}:pending", relayKeyOf, naiveSide.stream),
      naiveSide.hooks,
    ),
    ours(
      "OutboxRelay.runOnce: rented arrays, payloads as fetched, XADDs in one script",
      () => relay.runOnce(BATCH),
      oursSide.hooks,
    ),
  ]);
  await (client === "ioredis" ? raw.quit() : raw.close());
  await port.close();
  await consumerPort.close();
  return rows;
}
