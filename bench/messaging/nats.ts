/**
 * The NATS and JetStream rows of the messaging bench.
 *
 * @module
 */
import { MemoryPool } from "../../pool/mod.ts";
import { JsonSerializer } from "../../serializers/mod.ts";
import { JetStreamConsumer, JetStreamPublisher, NatsTransport } from "../../messaging/mod.ts";
import { connectNats } from "../../dev/redis_clients.ts";
import type { MessagingRow } from "../../dev/schema_messaging.ts";
import {
  ALLOCATION_ROUNDS,
  BATCH,
  compare,
  messages,
  naive,
  ours,
  ROUNDS,
  WARMUP_BATCHES,
} from "./compare.ts";

export async function benchNats(url: string): Promise<MessagingRow[]> {
  const nc = await connectNats(url);
  const subject = "bench.nats";
  const pool = new MemoryPool();
  const transport = new NatsTransport(nc, { subject, serializer: new JsonSerializer(), pool });
  const rows = await compare("nats", "batch publish", [
    naive("publish(JSON.stringify) × 1,000, flush", async () => {
      for (const m of messages) nc.publish(subject, JSON.stringify(m));
      await nc.flush();
    }),
    ours(
      "one pooled PayloadBatch, views published, returned after flush",
      () => transport.publishBatch(messages),
      { pool },
    ),
  ]);
  transport.dispose();
  await nc.close();
  return rows;
}

/**
 * JetStream on `urls` (one node, or a cluster with streams of `replicas`), streams in memory
 * (the disk only adds noise). Consume: both contenders stop after 1,000 and take turns on ONE
 * durable consumer, so that on the cluster both talk to the same stream and consumer leaders.
 */
export async function benchJetStream(
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
      storage: StorageType.Memory,
    });
  }
  let batchNo = 0;
  const pool = new MemoryPool();
  let prefix = "";
  const publisher = new JetStreamPublisher(js, {
    subject: "bench-pub.x",
    serializer: json,
    pool,
    messageId: (_m, i) => prefix + i,
  });
  const reset = () => jsm.streams.purge("bench-pub");
  const rows = await compare(client, "batch publish", [
    naive("Promise.all of js.publish(JSON.stringify, { msgID })", () => {
      const p = `n${++batchNo}-`;
      return Promise.all(
        messages.map((m, i) => js.publish("bench-pub.x", JSON.stringify(m), { msgID: p + i })),
      );
    }, { reset }),
    ours("JetStreamPublisher: one pooled batch, <= 1,024 acks in flight", () => {
      prefix = `o${++batchNo}-`;
      return publisher.publishBatch(messages);
    }, { reset, pool }),
  ]);
  publisher.dispose();

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
  // One long-lived consumer, run once per batch and stopped from the handler at the 1,000th
  // message, as the naive loop closes its pull there.
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
      naive("for await of consume(), m.json(), m.ack()", async () => {
        const pulled = await pullConsumer.consume({ max_messages: 100 });
        let n = 0;
        for await (const m of pulled) {
          sink += (m.json() as { id: number }).id;
          m.ack();
          if (++n === BATCH) void pulled.close();
        }
      }),
      ours("JetStreamConsumer: decode from bytes, ack after the handler", () => {
        counted = 0;
        return worker.run();
      }),
    ]),
  );
  if (sink === 0) throw new Error("nothing consumed");
  for (const name of streams) await jsm.streams.delete(name);
  await nc.close();
  return rows;
}
