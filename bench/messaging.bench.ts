/**
 * The messaging examples against real servers (started here on free loopback
 * ports), per client the current runtime runs:
 *
 * - **batch publish**: 1,000 × ~220 B JSON messages, XADD in one pipeline
 *   (Redis clients) or 1,000 publishes + one flush (NATS);
 * - **outbox fetch**: MGET of 1,000 ~220 B values.
 *
 * Contenders: `naive` (what a user writes without the library: JSON.stringify
 * strings, fresh arrays) and `ours` (the examples' route: the transport's
 * choice per client, rented arrays, one pooled batch buffer). For ioredis and
 * node-redis a third row, `pooled-bytes`, forces pooled bytes to show why the
 * transport sends JSON to them as strings.
 *
 * Not mitata: one op is a network round trip of a whole batch, so the bench
 * runs its own interleaved rounds (rotating the order each round) and reports
 * medians. Allocation per message: on V8 (Node, Deno) the used heap plus
 * external memory before and after one batch (after two full GCs), plus what
 * every GC inside it freed (v8.GCProfiler). Not measurable on Bun (see
 * `measureAllocation`). GC events: V8 collections during the timed batches
 * (GCProfiler), per 1,000 messages; not available on Bun.
 *
 * Writes bench/results/messaging.<runtime id>.json (node24, node26, deno, bun).
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import v8 from "node:v8";
import { MemoryPool, rentArray } from "../pool/mod.ts";
import { JsonSerializer } from "../serializers/mod.ts";
import { runtimeInfo } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

const RUNTIME = runtimeInfo.name;
import {
  OutboxRelay,
  PayloadBatch,
  RedisOutbox,
  type RedisPort,
  RedisStreamConsumer,
  RedisStreamTransport,
} from "../messaging/mod.ts";
import { JetStreamConsumer, JetStreamPublisher, NatsTransport } from "../messaging/mod.ts";
import {
  CLUSTER_CLIENTS,
  connectNats,
  connectRedis,
  connectRedisCluster,
  REDIS_CLIENTS,
  type RedisClientName,
} from "../dev/redis_clients.ts";
import { startRedisCluster } from "../dev/redis_cluster.ts";
import { startAll, startNats, startRedis } from "../dev/services.ts";
import { median } from "../dev/stats.ts";
import { startNatsCluster } from "../dev/nats_cluster.ts";
import type {
  MessagingResults,
  MessagingRow,
  MessagingRuntimeId,
} from "../dev/schema_messaging.ts";

// ------------------------------------------------------------------ measuring

const BATCH = 1_000;
/** Many short paired rounds: the machine is shared, so the median of per-round ratios needs numbers. */
const ROUNDS = 15;
const BATCHES_PER_TIMING = 1;
/** Allocation per batch barely varies: measured in the first rounds only. */
const ALLOCATION_ROUNDS = 5;
const WARMUP_BATCHES = 15;

declare const Bun: { version: string; gc(full: boolean): void };
declare const Deno: { version: { deno: string } };

const gc = (globalThis as { gc?: () => void }).gc;

interface GcStat {
  beforeGC: { heapStatistics: { usedHeapSize: number; externalMemory: number } };
  afterGC: { heapStatistics: { usedHeapSize: number; externalMemory: number } };
}

function v8Used(): number {
  const stats = v8.getHeapStatistics() as { used_heap_size: number; external_memory: number };
  return stats.used_heap_size + stats.external_memory;
}

/**
 * Bytes allocated during one awaited op; null on Bun, where
 * JSC's heap figures (`heapStats()`, `heapSize()`) only change at a collection
 * and mimalloc's counters reuse freed pages, so an op's allocation cannot be
 * read (measured: 10,000 fresh strings show as 0 bytes).
 */
async function measureAllocation(op: () => Promise<unknown>): Promise<number | null> {
  if (RUNTIME === "bun") {
    Bun.gc(true);
    await op();
    return null;
  }
  // Two full collections with a macrotask in between, so that the concurrent
  // ArrayBuffer sweeper is done before the baseline is read.
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc?.();
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = v8Used();
  await op();
  const after = v8Used();
  const { statistics } = profiler.stop() as unknown as { statistics: GcStat[] };
  let freed = 0;
  for (const s of statistics) {
    freed += s.beforeGC.heapStatistics.usedHeapSize + s.beforeGC.heapStatistics.externalMemory -
      s.afterGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.externalMemory;
  }
  return Math.max(0, after - before + freed);
}

interface Contender {
  contender: MessagingRow["contender"];
  route: string;
  /** One batch of BATCH messages. */
  run: () => Promise<unknown>;
  /** Untimed cleanup between timings (e.g. DEL the stream). */
  reset?: () => Promise<unknown>;
  /** Untimed set-up before every run (e.g. fill the outbox with a batch to relay). */
  prepare?: () => Promise<unknown>;
  pool?: MemoryPool;
}

async function compare(
  client: string,
  scenario: MessagingRow["scenario"],
  contenders: Contender[],
): Promise<MessagingRow[]> {
  for (const c of contenders) {
    for (let i = 0; i < WARMUP_BATCHES; i++) {
      await c.prepare?.();
      await c.run();
    }
    await c.reset?.();
  }
  const speeds = contenders.map(() => [] as number[]);
  const allocs = contenders.map(() => [] as number[]);
  const gcs = contenders.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length; // rotate who goes first
      const c = contenders[index];
      await c.prepare?.();
      const profiler = RUNTIME === "bun" ? undefined : new v8.GCProfiler();
      profiler?.start();
      const started = performance.now();
      for (let b = 0; b < BATCHES_PER_TIMING; b++) await c.run();
      const seconds = (performance.now() - started) / 1000;
      const collections = (profiler?.stop() as { statistics: unknown[] } | undefined)?.statistics;
      speeds[index].push((BATCH * BATCHES_PER_TIMING) / seconds);
      if (collections !== undefined) {
        gcs[index].push(collections.length / BATCHES_PER_TIMING * (1000 / BATCH));
      }
      await c.reset?.();
      if (round >= ALLOCATION_ROUNDS) continue;
      await c.prepare?.();
      const bytes = await measureAllocation(c.run);
      if (bytes !== null) allocs[index].push(bytes / BATCH);
      await c.reset?.();
    }
  }
  // Paired per-round ratios: both sides of a round ran back to back, so load
  // from other processes on this shared machine cancels out better than in a
  // ratio of medians.
  const naiveIndex = contenders.findIndex((c) => c.contender === "naive");
  return contenders.map((c, i) => ({
    client,
    scenario,
    contender: c.contender,
    route: c.route,
    msgsPerSec: Math.round(median(speeds[i])),
    speedVsNaive: Number(
      median(speeds[i].map((speed, round) => speed / speeds[naiveIndex][round])).toFixed(3),
    ),
    bytesPerMsg: allocs[i].length === 0 ? null : Math.round(median(allocs[i])),
    // A mean: most batches see no collection, a few see one.
    gcPer1000: gcs[i].length === 0
      ? null
      : Number((gcs[i].reduce((a, b) => a + b, 0) / gcs[i].length).toFixed(2)),
    dropped: c.pool === undefined ? null : c.pool.stats().dropped,
  }));
}

// ------------------------------------------------------------------ scenarios

/** 1,000 distinct ~220 B messages (same shape as the fixtures' small message). */
const messages: Record<string, unknown>[] = Array.from({ length: BATCH }, (_, i) => ({
  ...(fixtures.small as Record<string, unknown>),
  id: 100_000 + i,
  name: `order.created.${i % 7}`,
}));
const messageBytes = Math.round(
  messages.reduce((n: number, m) => n + JSON.stringify(m).length, 0) / BATCH,
);

/** What a user writes per client: strings and fresh arrays, one pipeline. */
// deno-lint-ignore no-explicit-any
type Raw = any;

async function rawRedis(client: RedisClientName, url: string): Promise<Raw> {
  if (client === "bun") {
    const specifier = "bun";
    const { RedisClient } = await import(specifier);
    const redis = new RedisClient(url);
    await redis.connect();
    return redis;
  }
  if (client === "ioredis") {
    const { Redis } = await import("ioredis");
    const redis = new Redis(url);
    await redis.ping();
    return redis;
  }
  const { createClient } = await import("redis");
  const redis = createClient({ url });
  await redis.connect();
  return redis;
}

function naivePublish(target: RedisTarget, stream: string): () => Promise<unknown> {
  const { client, raw } = target;
  if (client === "bun") {
    return () =>
      Promise.all(messages.map((m) => raw.send("XADD", [stream, "*", "d", JSON.stringify(m)])));
  }
  if (client === "ioredis") {
    return () => {
      const pipeline = raw.pipeline();
      for (const m of messages) pipeline.xadd(stream, "*", "d", JSON.stringify(m));
      return pipeline.exec();
    };
  }
  if (target.cluster) {
    return () => {
      const multi = raw.multi();
      for (const m of messages) multi.xAdd(stream, "*", { d: JSON.stringify(m) });
      return multi.execAsPipeline();
    };
  }
  return () => {
    const multi = raw.multi();
    for (const m of messages) multi.addCommand(["XADD", stream, "*", "d", JSON.stringify(m)]);
    return multi.execAsPipeline();
  };
}

function naiveFetch(client: RedisClientName, raw: Raw, ids: string[]): () => Promise<unknown> {
  if (client === "bun") return () => raw.mget(...ids.map((id) => `{ob}:msg:${id}`));
  if (client === "ioredis") return () => raw.mget(ids.map((id) => `{ob}:msg:${id}`));
  return () => raw.mGet(ids.map((id) => `{ob}:msg:${id}`));
}

async function closeRaw(client: RedisClientName, raw: Raw): Promise<void> {
  if (client === "bun") raw.close();
  else if (client === "ioredis") await raw.quit();
  else await raw.close();
}

/** Where a Redis bench runs: one server, or a Redis Cluster (ioredis `Cluster`, node-redis `createCluster`). */
interface RedisTarget {
  /** The row's client label, e.g. "ioredis" or "ioredis cluster". */
  readonly label: string;
  readonly client: RedisClientName;
  readonly cluster: boolean;
  /** What a user holds: the client itself. */
  readonly raw: Raw;
  /** The module's port over another connection of the same client. */
  readonly port: RedisPort;
  /** A connection of its own for the module's consumer (it blocks). */
  readonly consumerPort: RedisPort;
}

async function redisTarget(
  client: RedisClientName,
  urls: readonly string[],
  cluster: boolean,
): Promise<RedisTarget> {
  const connectPort = () =>
    cluster ? connectRedisCluster(client, urls) : connectRedis(client, urls[0]);
  return {
    label: cluster ? `${client} cluster` : client,
    client,
    cluster,
    raw: cluster ? await rawRedisCluster(client, urls) : await rawRedis(client, urls[0]),
    port: await connectPort(),
    consumerPort: await connectPort(),
  };
}

async function rawRedisCluster(client: RedisClientName, urls: readonly string[]): Promise<Raw> {
  if (client === "ioredis") {
    const { Cluster } = await import("ioredis");
    const cluster = new Cluster(urls.map((url) => {
      const parsed = new URL(url);
      return { host: parsed.hostname, port: Number(parsed.port) };
    }));
    await cluster.ping();
    return cluster;
  }
  const { createCluster } = await import("redis");
  const cluster = createCluster({ rootNodes: urls.map((url) => ({ url })) });
  await cluster.connect();
  return cluster;
}

/** What a user writes to consume: XREADGROUP of 1,000, JSON.parse each, one XACK. */
function naiveConsume(target: RedisTarget, stream: string, sink: (m: unknown) => void) {
  const raw = target.raw;
  if (target.client === "bun") {
    return async () => {
      const reply = await raw.send("XREADGROUP", [
        "GROUP",
        "naive",
        "c",
        "COUNT",
        String(BATCH),
        "STREAMS",
        stream,
        ">",
      ]);
      const entries = (Array.isArray(reply) ? reply[0][1] : Object.values(reply)[0]) as [
        string,
        string[],
      ][];
      const ids: string[] = [];
      for (const [id, fields] of entries) {
        sink(JSON.parse(fields[1]));
        ids.push(id);
      }
      await raw.send("XACK", [stream, "naive", ...ids]);
    };
  }
  if (target.client === "ioredis") {
    return async () => {
      const reply = await raw.xreadgroup(
        "GROUP",
        "naive",
        "c",
        "COUNT",
        BATCH,
        "STREAMS",
        stream,
        ">",
      );
      const ids: string[] = [];
      for (const [id, fields] of reply[0][1] as [string, string[]][]) {
        sink(JSON.parse(fields[1]));
        ids.push(id);
      }
      await raw.xack(stream, "naive", ...ids);
    };
  }
  return async () => {
    const reply = await raw.xReadGroup("naive", "c", { key: stream, id: ">" }, { COUNT: BATCH });
    const ids: string[] = [];
    for (const entry of reply[0].messages as { id: string; message: { d: string } }[]) {
      sink(JSON.parse(entry.message.d));
      ids.push(entry.id);
    }
    await raw.xAck(stream, "naive", ids);
  };
}

/**
 * What a user writes to relay an outbox laid out as the module's
 * (`{tag}:pending`, `{tag}:msg:<id>`): ZRANGE, MGET, XADD pipeline, MULTI ZREM + DEL.
 */
function naiveRelay(target: RedisTarget, tag: string, stream: string) {
  const raw = target.raw;
  const pending = `{${tag}}:pending`;
  const keyOf = (id: string) => `{${tag}}:msg:${id}`;
  if (target.client === "bun") {
    return async () => {
      const ids = (await raw.send("ZRANGE", [pending, "0", String(BATCH - 1)])) as string[];
      const keys = ids.map(keyOf);
      const values = (await raw.send("MGET", keys)) as string[];
      await Promise.all(values.map((value) => raw.send("XADD", [stream, "*", "d", value])));
      raw.send("MULTI", []);
      raw.send("ZREM", [pending, ...ids]);
      raw.send("DEL", keys);
      await raw.send("EXEC", []);
    };
  }
  if (target.client === "ioredis") {
    return async () => {
      const ids = (await raw.zrange(pending, 0, BATCH - 1)) as string[];
      const keys = ids.map(keyOf);
      const values = (await raw.mget(keys)) as string[];
      const pipeline = raw.pipeline();
      for (const value of values) pipeline.xadd(stream, "*", "d", value);
      await pipeline.exec();
      await raw.multi().zrem(pending, ...ids).del(...keys).exec();
    };
  }
  return async () => {
    const ids = (await raw.zRange(pending, 0, BATCH - 1)) as string[];
    const keys = ids.map(keyOf);
    const values = (await raw.mGet(keys)) as string[];
    const pipeline = raw.multi();
    for (const value of values) pipeline.xAdd(stream, "*", { d: value });
    await pipeline.execAsPipeline();
    await raw.multi().zRem(pending, ids).del(keys).exec();
  };
}

async function benchRedis(target: RedisTarget): Promise<MessagingRow[]> {
  const { client, raw, port } = target;
  const label = target.label;
  const json = new JsonSerializer();
  const stream = `{bench}:${client}`;
  const del = () => port.command(stream, ["DEL", stream]);
  const pool = new MemoryPool();
  const ours = new RedisStreamTransport(port, { stream, serializer: json, pool });
  const contenders: Contender[] = [
    {
      contender: "naive",
      route: "JSON.stringify strings, fresh arrays",
      run: naivePublish(target, stream),
      reset: del,
    },
    {
      contender: "ours",
      route: ours.route === "json-strings"
        ? "JSON.stringify strings (faster for this client), rented arrays"
        : "one pooled PayloadBatch, rented arrays" +
          (client === "bun" ? ", one reused args array" : ""),
      run: () => ours.publishBatch(messages),
      reset: del,
      pool,
    },
  ];
  let forced: RedisStreamTransport | undefined;
  if (ours.route === "json-strings") {
    const forcedPool = new MemoryPool();
    forced = new RedisStreamTransport(port, {
      stream,
      serializer: json,
      pool: forcedPool,
      route: "pooled-bytes",
    });
    contenders.push({
      contender: "pooled-bytes",
      route: "one pooled PayloadBatch as Buffer views",
      run: () => forced!.publishBatch(messages),
      reset: del,
      pool: forcedPool,
    });
  }
  const rows = await compare(label, "batch publish", contenders);

  // Outbox fetch: 1,000 values saved the outbox's way.
  const ids = messages.map((m) => String(m.id));
  const outbox = new RedisOutbox(port, { serializer: json, tag: "ob" });
  await port.command(outbox.pendingKey, ["DEL", outbox.pendingKey]);
  for (let i = 0; i < BATCH; i += 100) {
    await Promise.all(ids.slice(i, i + 100).map((id, j) => outbox.save(id, messages[i + j])));
  }
  const fetchOurs = async () => {
    using keys = rentArray<string>(BATCH);
    for (let i = 0; i < BATCH; i++) keys.items[i] = outbox.messageKey(ids[i]);
    return await port.mget(keys.items, BATCH, outbox.fetchAsText);
  };
  rows.push(
    ...await compare(label, "outbox fetch", [
      {
        contender: "naive",
        route: "fresh key array, MGET as strings",
        run: naiveFetch(client, raw, ids),
      },
      {
        contender: "ours",
        route: outbox.fetchAsText
          ? "rented key array, one MGET as text"
          : "rented key array, MGET as bytes (forwarded without decoding)",
        run: fetchOurs,
      },
    ]),
  );
  await del();
  ours.dispose();
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
  const consumer = new RedisStreamConsumer(target.consumerPort, {
    stream: consumeStream,
    group: "ours",
    consumer: "c",
    serializer: json,
    batchSize: BATCH,
    blockMs: 1,
    handler: (m) => void (sink += (m as { id: number }).id),
  });
  rows.push(
    ...await compare(label, "consume", [
      {
        contender: "naive",
        route: "XREADGROUP COUNT 1000, JSON.parse each, one XACK",
        run: naiveConsume(target, consumeStream, (m) => sink += (m as { id: number }).id),
      },
      {
        contender: "ours",
        route: "RedisStreamConsumer.poll: decode from the reply, ack after the handlers",
        run: () => consumer.poll(),
      },
    ]),
  );
  if (sink === 0) throw new Error("nothing consumed");
  await port.command(consumeStream, ["DEL", consumeStream]);

  // Outbox relay: every run relays the 1,000 messages its (untimed) prepare saved.
  let next = 0;
  const fill = (outbox: RedisOutbox) => () =>
    Promise.all(messages.map((m) => outbox.save(`r${next++}`, m)));
  const naiveOutbox = new RedisOutbox(port, { serializer: json, tag: "relay-naive" });
  const oursOutbox = new RedisOutbox(port, { serializer: json, tag: "relay-ours" });
  const naiveRelayStream = "{relay-naive}:events";
  const oursRelayStream = "{relay-ours}:events";
  const relay = new OutboxRelay(
    port,
    oursOutbox,
    new RedisStreamTransport(port, { stream: oursRelayStream, serializer: json }),
  );
  rows.push(
    ...await compare(label, "outbox relay", [
      {
        contender: "naive",
        route: "ZRANGE, MGET strings, XADD pipeline, MULTI ZREM + DEL; fresh arrays",
        run: naiveRelay(target, "relay-naive", naiveRelayStream),
        prepare: fill(naiveOutbox),
        reset: () => port.command(naiveRelayStream, ["DEL", naiveRelayStream]),
      },
      {
        contender: "ours",
        route: "OutboxRelay.runOnce: rented arrays, payloads as fetched, XADDs in one script",
        run: () => relay.runOnce(BATCH),
        prepare: fill(oursOutbox),
        reset: () => port.command(oursRelayStream, ["DEL", oursRelayStream]),
      },
    ]),
  );
  await closeRaw(client, raw);
  await port.close();
  await target.consumerPort.close();
  return rows;
}

async function benchNats(url: string): Promise<MessagingRow[]> {
  const nc = await connectNats(url);
  const subject = "bench.nats";
  const pool = new MemoryPool();
  const ours = new NatsTransport(nc, { subject, serializer: new JsonSerializer(), pool });

  const rows = await compare("nats", "batch publish", [
    {
      contender: "naive",
      route: "publish(JSON.stringify) × 1,000, flush",
      run: async () => {
        for (const m of messages) nc.publish(subject, JSON.stringify(m));
        await nc.flush();
      },
    },
    {
      contender: "ours",
      route: "one pooled PayloadBatch, views published, returned after flush",
      run: () => ours.publishBatch(messages),
      pool,
    },
  ]);
  ours.dispose();
  await nc.close();
  return rows;
}

/**
 * JetStream on `urls` (one node, or a cluster with streams of `replicas`):
 *
 * - **batch publish**: 1,000 publishes with unique message ids, all awaiting
 *   their acks (naive: `Promise.all` of `js.publish(JSON.stringify)`; ours:
 *   `JetStreamPublisher.publishBatch`, one pooled batch, bounded in-flight);
 * - **consume**: 1,000 messages pulled, decoded and acked from a durable pull
 *   consumer (naive: `for await` over `consume()`, `m.json()`, `m.ack()`;
 *   ours: `JetStreamConsumer`). Both stop after 1,000 and then settle what
 *   was already pulled, so both do the same work. They take turns on one
 *   durable consumer, filled up front with enough messages for every run.
 *
 * Streams are in memory (replicated on the cluster): the disk is the same for
 * both routes and only adds noise on a shared machine.
 */
async function benchJetStream(
  client: string,
  urls: readonly string[],
  replicas: number,
): Promise<MessagingRow[]> {
  const { connect, headers, nanos } = await import("@nats-io/transport-node");
  const { AckPolicy, jetstream, jetstreamManager, StorageType } = await import(
    "@nats-io/jetstream"
  );
  const nc = await connect({ servers: [...urls] });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const json = new JsonSerializer();
  const streams = ["bench-pub", "bench-consume"];
  for (const name of streams) {
    await jsm.streams.add({
      name,
      subjects: [`${name}.>`],
      num_replicas: replicas,
      duplicate_window: nanos(120_000),
      // Both contenders meet the same server: memory storage keeps the shared
      // machine's disk out of a comparison of client routes.
      storage: StorageType.Memory,
    });
  }
  let batchNo = 0;
  const pool = new MemoryPool();
  let prefix = "";
  const ours = new JetStreamPublisher(js, {
    subject: "bench-pub.x",
    serializer: json,
    pool,
    messageId: (_m, i) => prefix + i,
  });
  const rows = await compare(client, "batch publish", [
    {
      contender: "naive",
      route: "Promise.all of js.publish(JSON.stringify, { msgID })",
      reset: () => jsm.streams.purge("bench-pub"),
      run: () => {
        const p = `n${++batchNo}-`;
        return Promise.all(
          messages.map((m, i) => js.publish("bench-pub.x", JSON.stringify(m), { msgID: p + i })),
        );
      },
    },
    {
      contender: "ours",
      route: "JetStreamPublisher: one pooled batch, <= 1,024 acks in flight",
      run: () => {
        prefix = `o${++batchNo}-`;
        return ours.publishBatch(messages);
      },
      reset: () => jsm.streams.purge("bench-pub"),
      pool,
    },
  ]);
  ours.dispose();

  // Consume: both contenders take turns on ONE durable consumer, so that on
  // the cluster both talk to the same stream and consumer leaders.
  const runs = 2 * (WARMUP_BATCHES + ROUNDS + ALLOCATION_ROUNDS + 2);
  const fill = new JetStreamPublisher(js, { subject: "bench-consume.x", serializer: json });
  for (let r = 0; r < runs * 1.1; r++) await fill.publishBatch(messages);
  fill.dispose();
  await jsm.consumers.add("bench-consume", {
    durable_name: "bench",
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: 20_000,
    max_deliver: -1,
  });
  const pullConsumer = await js.consumers.get("bench-consume", "bench");
  let sink = 0;
  let counted = 0;
  // One long-lived consumer, run once per batch and stopped from the handler
  // at the 1,000th message, as the naive loop closes its pull there.
  const worker: JetStreamConsumer = new JetStreamConsumer(pullConsumer, {
    serializer: json,
    handler: (m) => {
      sink += (m as { id: number }).id;
      if (++counted === BATCH) void worker.stop();
    },
    deadLetter: { publisher: js, subject: "bench-dead", headers },
  });
  rows.push(
    ...await compare(client, "consume", [
      {
        contender: "naive",
        route: "for await of consume(), m.json(), m.ack()",
        run: async () => {
          const pulled = await pullConsumer.consume({ max_messages: 100 });
          let n = 0;
          for await (const m of pulled) {
            sink += (m.json() as { id: number }).id;
            m.ack();
            if (++n === BATCH) void pulled.close();
          }
        },
      },
      {
        contender: "ours",
        route: "JetStreamConsumer: decode from bytes, ack after the handler",
        run: () => {
          counted = 0;
          return worker.run();
        },
      },
    ]),
  );
  if (sink === 0) throw new Error("nothing consumed");
  for (const name of streams) await jsm.streams.delete(name);
  await nc.close();
  return rows;
}

/**
 * Issue 10 item 6: 1,000 payloads held until the batch settles. Rented one by
 * one from a default pool, the small tier's 64-per-class cap drops most
 * returns; one PayloadBatch rents one buffer.
 */
function dropDemo(): MessagingResults["dropDemo"] {
  const perMessage = new MemoryPool();
  const serializer = new JsonSerializer({ pool: perMessage });
  const held = messages.map((m) => serializer.serializePooled(m));
  for (const owned of held) owned.dispose();
  const batched = new MemoryPool();
  const batch = new PayloadBatch(batched);
  for (const m of messages) batch.add(m, serializer);
  batch.dispose();
  return {
    perMessageRentDropped: perMessage.stats().dropped,
    payloadBatchDropped: batched.stats().dropped,
  };
}

// ------------------------------------------------------------------ main

/** `--only <prefix>` runs only the clients whose names start with it (for a quick look). */
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt === -1 ? "" : process.argv[onlyAt + 1] ?? "";
const wanted = (client: string) => client.startsWith(only);

const [redisServer, natsServer, jetStreamServer] = await startAll([
  startRedis({ durable: false }),
  startNats(),
  startNats({ jetstream: true }),
]);
const rows: MessagingRow[] = [];
try {
  for (const client of REDIS_CLIENTS) {
    if (!wanted(client)) continue;
    console.log(`redis ${client}…`);
    rows.push(...await benchRedis(await redisTarget(client, [redisServer.url], false)));
  }
  // Bun's RedisClient has no cluster mode: no "bun cluster" rows.
  const clusterClients = CLUSTER_CLIENTS.filter((client) => wanted(`${client} cluster`));
  if (clusterClients.length > 0) {
    const cluster = await startRedisCluster(3);
    try {
      for (const client of clusterClients) {
        console.log(`redis ${client} cluster…`);
        rows.push(...await benchRedis(await redisTarget(client, cluster.urls, true)));
      }
    } finally {
      await cluster.close();
    }
  }
  if (wanted("nats")) {
    console.log("nats…");
    rows.push(...await benchNats(natsServer.url));
  }
  if (wanted("jetstream")) {
    console.log("jetstream…");
    rows.push(...await benchJetStream("jetstream", [jetStreamServer.url], 1));
  }
  if (wanted("jetstream cluster")) {
    console.log("jetstream cluster…");
    const cluster = await startNatsCluster();
    try {
      rows.push(...await benchJetStream("jetstream cluster", cluster.urls, 3));
    } finally {
      await cluster.close();
    }
  }
} finally {
  await redisServer.close();
  await natsServer.close();
  await jetStreamServer.close();
}

const id: MessagingRuntimeId = runtimeInfo.id;
const results: MessagingResults = {
  runtime: {
    id,
    name: RUNTIME,
    version: RUNTIME === "bun"
      ? Bun.version
      : RUNTIME === "deno"
      ? Deno.version.deno
      : process.versions.node,
    cpu: cpus()[0]?.model ?? "unknown",
  },
  date: new Date().toISOString(),
  batchSize: BATCH,
  messageBytes,
  rounds: ROUNDS,
  rows,
  dropDemo: dropDemo(),
};
for (const row of rows) {
  console.log(
    `${row.client.padEnd(10)} ${row.scenario.padEnd(13)} ${row.contender.padEnd(12)} ${
      String(row.msgsPerSec).padStart(8)
    } msg/s ${
      String(row.bytesPerMsg).padStart(6)
    } B/msg x${row.speedVsNaive} gc/1k=${row.gcPer1000} dropped=${row.dropped}`,
  );
}
console.log("drops:", JSON.stringify(results.dropDemo));
if (only !== "") {
  console.log(`--only ${only}: results not written (a partial run)`);
  process.exit(0);
}
const dir = new URL("./results/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL(`messaging.${id}.json`, dir), JSON.stringify(results, null, 2) + "\n");
