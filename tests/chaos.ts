/**
 * `npm run test:chaos`: messages go outbox (Redis Cluster) → transport (NATS
 * JetStream cluster, a stream of 3 replicas) → inbox (Redis Cluster), while
 * consumer processes are SIGKILLed at random and one Redis master and one
 * NATS node are restarted mid-run. Its last line, printed once every server
 * is stopped, is exactly
 *
 *     chaos: P published, H handled, L lost, D duplicates
 *
 * where P counts messages whose outbox transaction committed, H those whose
 * effect was applied, L = P - H, and D those whose effect was applied twice
 * (the effect is an HINCRBY committed with the inbox's done marker, so a
 * count above 1 is a duplicate that got past the inbox). L and D must be 0.
 * Just before it comes
 * `chaos: 1 passed, 0 failed` (or `0 passed, 1 failed`), which tools/test.ts
 * counts; the exit code says the same.
 *
 * `--short` (the `chaos:short` step of `npm test`): 5,000 messages and one
 * chaos event of each kind. `--messages N` overrides the count.
 *
 * Every server and child is stopped on every exit path: `finally` here, and
 * the exit and signal hooks of tests/_services.ts (Ctrl-C, crashes).
 *
 * @module
 */
import process from "node:process";
import { existsSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { connect, nanos, type NatsConnection } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import {
  JetStreamPublisher,
  OutboxRelay,
  RedisOutbox,
  type RedisPort,
  replyText,
} from "../messaging/mod.ts";
import { JsonSerializer } from "../serializers/mod.ts";
import { connectRedisCluster } from "../dev/redis_clients.ts";
import {
  CLUSTER_INSTALLED,
  type RedisClusterHandle,
  startRedisCluster,
} from "../dev/redis_cluster.ts";
import { type NatsCluster, startNatsCluster } from "../dev/nats_cluster.ts";
import {
  killChild,
  MISSING_SERVERS_REASON,
  NATS_SERVER_PATH,
  spawnScript,
  waitForLine,
} from "./_services.ts";

const args = process.argv.slice(2);
const SHORT = args.includes("--short");
const messagesFlag = args.indexOf("--messages");
const TOTAL = messagesFlag >= 0 ? Number(args[messagesFlag + 1]) : SHORT ? 5_000 : 50_000;
const PARTITIONS = 6;
const CONSUMERS = 3;
const SAVE_BATCH = 250;
const RELAY_BATCH = 500;
const TIME_LIMIT_MS = SHORT ? 150_000 : 270_000;
const STREAM = "CHAOS";
const SUBJECT = "chaos.events";
const CONSUMER_SCRIPT = new URL("./_chaos_consumer.ts", import.meta.url).pathname;

const started = Date.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (line: string) => console.log(`[chaos ${elapsed()}] ${line}`);

let redisCluster: RedisClusterHandle | undefined;
let natsCluster: NatsCluster | undefined;
let redis: RedisPort | undefined;
let nc: NatsConnection | undefined;
const consumers = new Set<ChildProcess>();
let stopping = false;

async function spawnConsumer(config: string): Promise<void> {
  const child = spawnScript(CONSUMER_SCRIPT, [config]);
  consumers.add(child);
  child.once("exit", () => consumers.delete(child));
  child.stderr?.on("data", (chunk: Uint8Array) => {
    if (!stopping) process.stderr.write(`[consumer ${child.pid}] ${chunk}`);
  });
  await waitForLine(child, /ready/, 30_000);
}

async function withRetry<T>(what: string, op: () => Promise<T>): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (Date.now() - started > TIME_LIMIT_MS) {
        throw new Error(`Cannot ${what}: ${(error as Error).message}`);
      }
      await sleep(Math.min(50 * 2 ** attempt, 1000));
    }
  }
}

async function countApplied(port: RedisPort): Promise<{ handled: number; duplicates: number }> {
  let handled = 0;
  let duplicates = 0;
  for (let p = 0; p < PARTITIONS; p++) {
    const key = `{chaos-${p}}:applied`;
    const flat = (await withRetry("read the effects", () => port.command(key, ["HGETALL", key]))) as
      | unknown[]
      | Record<string, unknown>;
    const values = Array.isArray(flat) ? flat.filter((_, i) => i % 2 === 1) : Object.values(flat);
    for (const value of values) {
      handled++;
      if (Number(replyText(value)) > 1) duplicates++;
    }
  }
  return { handled, duplicates };
}

async function countHandled(port: RedisPort): Promise<number> {
  let handled = 0;
  for (let p = 0; p < PARTITIONS; p++) {
    const key = `{chaos-${p}}:applied`;
    handled += Number(await port.command(key, ["HLEN", key]));
  }
  return handled;
}

async function main(): Promise<boolean> {
  log(`starting a Redis Cluster of 3 masters and a NATS cluster of 3 nodes`);
  [redisCluster, natsCluster] = await Promise.all([startRedisCluster(3), startNatsCluster()]);
  await natsCluster.waitForMetaLeader();
  console.log(
    `chaos topology: Redis Cluster of 3 masters (${
      redisCluster.ports.join(", ")
    }), NATS cluster of 3 nodes with JetStream (stream ${STREAM}, 3 replicas); ${CONSUMERS} consumer processes; ${PARTITIONS} outbox/inbox partitions`,
  );
  nc = await connect({
    servers: [...natsCluster.urls],
    maxReconnectAttempts: -1,
    reconnectTimeWait: 100,
  });
  const jsm = await jetstreamManager(nc);
  await withRetry("create the streams", async () => {
    await jsm.streams.add({
      name: STREAM,
      subjects: [SUBJECT],
      num_replicas: 3,
      duplicate_window: nanos(600_000),
    });
    await jsm.streams.add({
      name: `${STREAM}-dead`,
      subjects: [`${STREAM}-dead`],
      num_replicas: 3,
    });
    await jsm.consumers.add(STREAM, {
      durable_name: "inbox",
      ack_policy: AckPolicy.Explicit,
      max_deliver: -1,
      ack_wait: nanos(5_000),
      max_ack_pending: 20_000,
    });
  });
  const js = jetstream(nc);
  redis = await connectRedisCluster("ioredis", redisCluster.urls);
  const port = redis;
  const serializer = new JsonSerializer();
  const outboxes = Array.from(
    { length: PARTITIONS },
    (_, p) => new RedisOutbox(port, { serializer, tag: `chaos-${p}` }),
  );
  const publisher = new JetStreamPublisher(js, { subject: SUBJECT, serializer, timeout: 5_000 });

  const config = JSON.stringify({
    redisUrls: redisCluster.urls,
    natsUrls: natsCluster.urls,
    stream: STREAM,
    durable: "inbox",
  });
  await Promise.all(Array.from({ length: CONSUMERS }, () => spawnConsumer(config)));
  log(`${CONSUMERS} consumers ready; publishing ${TOTAL} messages`);

  // Producer: each message saved with a state change in one transaction, retried until it commits.
  let published = 0;
  let producing = true;
  const producer = (async () => {
    for (let start = 0; start < TOTAL; start += SAVE_BATCH) {
      const saves: Promise<unknown>[] = [];
      for (let i = start; i < Math.min(start + SAVE_BATCH, TOTAL); i++) {
        const partition = i % PARTITIONS;
        const outbox = outboxes[partition];
        const id = `m${i}`;
        saves.push(
          withRetry(
            `save ${id}`,
            () =>
              outbox.save(id, { id, partition }, [["HSET", outbox.key("orders"), id, "placed"]]),
          ).then(
            () => published++,
          ),
        );
      }
      await Promise.all(saves);
    }
    producing = false;
  })();

  // Relays: one per partition, retrying through restarts.
  let relayErrors = 0;
  const relays = outboxes.map(async (outbox) => {
    const relay = new OutboxRelay(port, outbox, publisher);
    while (!stopping) {
      try {
        const relayed = await relay.runOnce(RELAY_BATCH);
        if (relayed === 0) {
          if (!producing && (await outbox.pendingCount()) === 0) return;
          await sleep(20);
        }
      } catch {
        relayErrors++;
        await sleep(100);
      }
    }
  });

  // Chaos: SIGKILL a random consumer every 1.5-3 s (once in --short), restart one
  // Redis master at 25 % handled and one NATS node at 55 %.
  let kills = 0;
  let redisRestarted = false;
  let natsRestarted = false;
  let handled = 0;
  const chaos = (async () => {
    let nextKill = Date.now() + 1500;
    while (!stopping) {
      await sleep(250);
      handled = await countHandled(port).catch(() => handled);
      if (Date.now() >= nextKill && (!SHORT || kills === 0) && !stopping) {
        const victims = [...consumers];
        const victim = victims[Math.floor(Math.random() * victims.length)];
        if (victim !== undefined) {
          await killChild(victim);
          kills++;
          log(`SIGKILLed consumer ${victim.pid} (${kills}); handled ${handled}`);
          // Not awaited: the chaos goes on while the new consumer starts.
          spawnConsumer(config).catch(() => log("a consumer was SIGKILLed while starting"));
        }
        nextKill = Date.now() + 1500 + Math.random() * 1500;
      }
      if (!redisRestarted && handled >= TOTAL * 0.25) {
        redisRestarted = true;
        log(`restarting Redis master 2 of 3 (port ${redisCluster!.ports[1]}); handled ${handled}`);
        await redisCluster!.restartNode(1);
        log("Redis master back, cluster ok");
      }
      if (!natsRestarted && handled >= TOTAL * 0.55) {
        natsRestarted = true;
        log(`restarting NATS node 3 of 3; handled ${handled}`);
        await natsCluster!.restartNode(2);
        log("NATS node back");
      }
    }
  })();

  // Done when every saved message's effect is applied, or at the time limit.
  let lastReport = 0;
  while (Date.now() - started < TIME_LIMIT_MS) {
    await sleep(250);
    if (!producing && handled >= published && redisRestarted && natsRestarted) break;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      log(`published ${published}, handled ${handled}, consumers killed ${kills}`);
    }
  }
  stopping = true;
  await chaos;
  await producer.catch(() => {});
  await Promise.all(relays);
  // Let in-flight handlers settle before counting: graceful stop of the consumers.
  await Promise.all([...consumers].map(async (child) => {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(5_000)]);
    await killChild(child);
  }));

  const counted = await countApplied(port);
  const lost = published - counted.handled;
  const info = await jsm.streams.info(STREAM).catch(() => undefined);
  const dead = await jsm.streams.info(`${STREAM}-dead`).catch(() => undefined);
  log(
    `consumers SIGKILLed ${kills}; Redis master restarted ${redisRestarted}; NATS node restarted ${natsRestarted}; relay retries ${relayErrors}; stream holds ${
      info?.state.messages ?? "?"
    } (replicas ${info?.config.num_replicas ?? "?"}); dead letters ${dead?.state.messages ?? "?"}`,
  );
  summary =
    `chaos: ${published} published, ${counted.handled} handled, ${lost} lost, ${counted.duplicates} duplicates`;
  return published === TOTAL && lost === 0 && counted.duplicates === 0 && redisRestarted &&
    natsRestarted && kills > 0;
}

if (!CLUSTER_INSTALLED || !existsSync(NATS_SERVER_PATH)) {
  // One line naming the apt command; tools/test.ts counts it as a skip (a failure under CI=true).
  console.log(`SKIPPED: ${MISSING_SERVERS_REASON}`);
  console.log("chaos: 0 passed, 0 failed, 1 skipped");
  process.exit(0);
}

let ok = false;
/** The run's last line, printed after every server is stopped. */
let summary = "";
try {
  ok = await main();
} catch (error) {
  console.error(`chaos failed: ${(error as Error).stack ?? error}`);
} finally {
  stopping = true;
  for (const child of [...consumers]) await killChild(child);
  await redis?.close().catch(() => {});
  await nc?.close().catch(() => {});
  await natsCluster?.close();
  await redisCluster?.close();
}
// The count tools/test.ts reads, then the summary: the run ends with exactly that line.
console.log(`chaos: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
if (summary !== "") console.log(summary);
process.exit(ok ? 0 : 1);
