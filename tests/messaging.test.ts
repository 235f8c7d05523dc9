/**
 * The messaging examples against real `redis-server` and `nats-server`
 * processes (started here on free loopback ports, stopped on every exit path):
 * round trips per client × format × size, a batch of 10,000, a debug pool,
 * the early-return TypeError, the outbox relay killed and restarted, and a
 * Redis restart in the middle of a batch, with the inbox making handling
 * exactly once. Every client that runs on the current runtime is covered.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryPool } from "../pool/mod.ts";
import { JsonSerializer, type MessageSerializer, MsgPackSerializer } from "../serializers/mod.ts";
import { fixtures } from "../dev/fixtures.ts";
import {
  type BytesPublisher,
  OutboxRelay,
  RedisInbox,
  RedisOutbox,
  type RedisPort,
  RedisStreamConsumer,
  RedisStreamTransport,
} from "../messaging/mod.ts";
import { NatsTransport } from "../messaging/mod.ts";
import {
  connectNats,
  connectRedis,
  type NatsConnection,
  REDIS_CLIENTS,
  type RedisClientName,
} from "../dev/redis_clients.ts";
import {
  killChild,
  MISSING_SERVERS_REASON,
  type ServerHandle,
  SERVERS_INSTALLED,
  spawnScript,
  startAll,
  startNats,
  startRedis,
  waitForLine,
} from "./_services.ts";

const RELAY_SCRIPT = new URL("./_relay_process.ts", import.meta.url).pathname;

const skip: string | false = SERVERS_INSTALLED ? false : MISSING_SERVERS_REASON;
const TIMEOUT = 20_000;
const options = { skip, timeout: TIMEOUT };

const FORMATS: Record<string, () => MessageSerializer> = {
  json: () => new JsonSerializer(),
  msgpack: () => new MsgPackSerializer(),
};
const SIZES = ["small", "medium", "large"] as const;

let redisServer: ServerHandle | undefined;
let natsServer: ServerHandle | undefined;
const openPorts = new Set<RedisPort>();
const openNats = new Set<NatsConnection>();
let unique = 0;
const name = (label: string) => `${label}-${process.pid}-${++unique}`;

async function port(client: RedisClientName): Promise<RedisPort> {
  const opened = await connectRedis(client, redisServer!.url);
  openPorts.add(opened);
  return opened;
}

async function closePort(opened: RedisPort): Promise<void> {
  openPorts.delete(opened);
  await opened.close().catch(() => {});
}

async function nats(): Promise<NatsConnection> {
  const nc = await connectNats(natsServer!.url);
  openNats.add(nc);
  return nc;
}

/** A port that reads bytes exactly: Bun's `send` returns text, so Bun reads MessagePack via ioredis. */
function readerFor(client: RedisClientName, format: string): RedisClientName {
  return client === "bun" && format === "msgpack" ? "ioredis" : client;
}

/**
 * Reads a stream through a fresh group, one `poll()` at a time, until a read
 * comes back empty; `handler` sees every message (default: collect them).
 */
async function readAll(
  reader: RedisPort,
  stream: string,
  serializer: MessageSerializer,
  handler?: (message: unknown) => void | Promise<void>,
): Promise<unknown[]> {
  const messages: unknown[] = [];
  const consumer = new RedisStreamConsumer(reader, {
    stream,
    group: name("g"),
    consumer: "c1",
    serializer,
    batchSize: 1000,
    blockMs: 20,
    handler: handler ?? ((m) => void messages.push(m)),
  });
  await consumer.ensureGroup();
  while ((await consumer.poll()) > 0);
  return messages;
}

/**
 * A publisher that publishes, then "dies" before the relay can mark the batch
 * published: the test seam lives here, not in the module.
 */
function diesAfterPublishing(publisher: BytesPublisher): BytesPublisher {
  return {
    publishBytes: async (payloads, count, ids) => {
      await publisher.publishBytes(payloads, count, ids);
      throw new Error("killed");
    },
  };
}

function withId(value: unknown, id: string): Record<string, unknown> {
  return { id, body: value };
}

before(async () => {
  if (skip) return;
  [redisServer, natsServer] = await startAll([startRedis(), startNats()]);
});

after(async () => {
  for (const opened of [...openPorts]) await closePort(opened);
  for (const nc of openNats) await nc.close().catch(() => {});
  await redisServer?.close();
  await natsServer?.close();
});

for (const client of REDIS_CLIENTS) {
  describe(`redis stream transport: ${client}`, () => {
    for (const format of Object.keys(FORMATS)) {
      test(`round trips small, medium and large ${format}`, options, async () => {
        const writer = await port(client);
        const reader = await port(readerFor(client, format));
        const stream = name("rt");
        const out = new RedisStreamTransport(writer, { stream, serializer: FORMATS[format]() });
        const sent = SIZES.map((size) => withId(fixtures[size], size));
        const ids = await out.publishBatch(sent);
        assert.equal(ids.length, 3);
        assert.match(ids[0], /^\d+-\d+$/);
        assert.deepEqual(await readAll(reader, stream, FORMATS[format]()), sent);
        // The stored bytes are exactly the serializer's (an oracle independent of the route).
        const raw = (await reader.command(stream, ["XRANGE", stream, "-", "+"])) as [
          unknown,
          unknown[],
        ][];
        const expected = FORMATS[format]().serialize(sent[0]);
        const stored = raw[0][1][1];
        if (typeof stored === "string") {
          // Bun's `send` replies with text: exact for JSON.
          assert.equal(stored, new TextDecoder().decode(expected));
        } else {
          assert.deepEqual(new Uint8Array(stored as Uint8Array), expected);
        }
        out.dispose();
        await closePort(writer);
        await closePort(reader);
      });
    }

    test("a batch of 10,000 in MessagePack arrives whole and in order", options, async () => {
      const writer = await port(client);
      const reader = await port(readerFor(client, "msgpack"));
      const stream = name("batch");
      const pool = new MemoryPool();
      const out = new RedisStreamTransport(writer, {
        stream,
        serializer: new MsgPackSerializer(),
        pool,
      });
      const sent = Array.from({ length: 10_000 }, (_, i) => withId(fixtures.small, `m${i}`));
      const ids = await out.publishBatch(sent);
      assert.equal(ids.length, 10_000);
      assert.equal(Number(await writer.command(stream, ["XLEN", stream])), 10_000);
      const got = (await readAll(reader, stream, new MsgPackSerializer())) as { id: string }[];
      assert.equal(got.length, 10_000);
      assert.deepEqual(got.map((m) => m.id), sent.map((m) => m.id));
      assert.deepEqual(got[9_999], sent[9_999]);
      out.dispose();
      assert.equal(pool.stats().dropped, 0, "one pooled buffer per batch: no drops");
      assert.equal(pool.stats().outstanding, 0);
      await closePort(writer);
      await closePort(reader);
    });

    test("a debug pool: every buffer goes back after its safe point", options, async () => {
      const writer = await port(client);
      const stream = name("debug");
      const pool = new MemoryPool({ debug: true });
      for (const format of ["json", "msgpack"]) {
        const out = new RedisStreamTransport(writer, {
          stream: `${stream}-${format}`,
          serializer: FORMATS[format](),
          pool,
          route: "pooled-bytes",
          maxPipelineBytes: 4096, // several pipelines, each buffer reused after it settled
        });
        const sent = Array.from({ length: 200 }, (_, i) => withId(fixtures.small, `d${i}`));
        await out.publishBatch(sent);
        await out.publishBatch(sent);
        out.dispose();
        const reader = await port(readerFor(client, format));
        const got = await readAll(reader, `${stream}-${format}`, FORMATS[format]());
        assert.equal(got.length, 400);
        assert.deepEqual(got[399], sent[199]);
        await closePort(reader);
      }
      assert.equal(pool.stats().outstanding, 0);
      await closePort(writer);
    });

    test("bytes returned early to a debug pool: TypeError, nothing stored", options, async () => {
      const writer = await port(client);
      const pool = new MemoryPool({ debug: true });
      const stream = name("early");
      const bytes = pool.rent(16);
      bytes.fill(65);
      pool.return(bytes); // detaches the view in debug mode
      await assert.rejects(
        writer.xaddBatch(stream, [], "d", [bytes], 1),
        (error: Error) =>
          error instanceof TypeError && /^Cannot hand bytes to .*detached/.test(error.message),
      );
      await assert.rejects(
        writer.transaction("k", [["SET", name("k"), bytes]]),
        TypeError,
      );
      assert.equal(Number(await writer.command(stream, ["XLEN", stream])), 0);
      // The connection still works.
      assert.equal((await writer.xaddBatch(stream, [], "d", ["ok"], 1)).length, 1);
      await closePort(writer);
    });

    test(
      "outbox relay killed after publishing, then restarted: delivered at least once, handled once",
      options,
      async () => {
        const relayPort = await port(client);
        const reader = await port(readerFor(client, "msgpack"));
        const prefix = name("ob");
        const serializer = new MsgPackSerializer();
        const outbox = new RedisOutbox(relayPort, { serializer, tag: prefix });
        const stream = `{${prefix}}:stream`;
        const transport = new RedisStreamTransport(relayPort, { stream, serializer });
        const total = 60;
        for (let i = 0; i < total; i++) {
          const replies = await outbox.save(`o${i}`, withId({ n: i }, `o${i}`), [
            ["HSET", outbox.key("orders"), `o${i}`, "placed"],
          ]);
          assert.deepEqual(replies.map(Number), [1]);
        }
        assert.equal(await outbox.pendingCount(), total);
        // First relay: publishes 25, "dies" before marking them.
        const crashing = new OutboxRelay(relayPort, outbox, diesAfterPublishing(transport));
        await assert.rejects(crashing.runOnce(25), /killed/);
        assert.equal(await outbox.pendingCount(), total, "nothing marked published");
        await closePort(relayPort);
        // Restarted relay on a new connection.
        const restartedPort = await port(client);
        const restartedOutbox = new RedisOutbox(restartedPort, { serializer, tag: prefix });
        const restarted = new OutboxRelay(
          restartedPort,
          restartedOutbox,
          new RedisStreamTransport(restartedPort, { stream, serializer }),
        );
        assert.equal(await restarted.drain(20, Date.now() + 10_000), total);
        assert.equal(await restartedOutbox.pendingCount(), 0);
        // Every message at least once in the stream; 25 of them twice.
        assert.equal(Number(await reader.command(stream, ["XLEN", stream])), total + 25);
        const handled = new Map<string, number>();
        const inbox = new RedisInbox(reader, { tag: `${prefix}:inbox` });
        let duplicates = 0;
        await readAll(reader, stream, serializer, async (m) => {
          const id = (m as { id: string }).id;
          const outcome = await inbox.handle(id, () => {
            handled.set(id, (handled.get(id) ?? 0) + 1);
          });
          if (outcome !== "handled") duplicates++; // "busy" when both copies share a batch
        });
        assert.equal(handled.size, total);
        assert.ok([...handled.values()].every((n) => n === 1), "each handled exactly once");
        assert.equal(duplicates, 25);
        await closePort(restartedPort);
        await closePort(reader);
      },
    );

    // A real process kill, on one client per runtime: the relay is client-agnostic, and each child
    // process costs seconds to start; the in-process test above covers every client. (Not a skip:
    // under CI=true a skip fails the run.)
    if (client === REDIS_CLIENTS[0]) {
      test("outbox relay process SIGKILLed between publish and mark, then restarted", {
        skip,
        timeout: 30_000,
      }, async () => {
        const writer = await port(client);
        const prefix = name("kill");
        const stream = `{${prefix}}:stream`;
        const serializer = new JsonSerializer();
        const outbox = new RedisOutbox(writer, { serializer, tag: prefix });
        const total = 30;
        for (let i = 0; i < total; i++) await outbox.save(`k${i}`, withId({ n: i }, `k${i}`));
        const config = { client, redisUrl: redisServer!.url, tag: prefix, stream, batchSize: 10 };
        const first = spawnScript(RELAY_SCRIPT, [
          JSON.stringify({ ...config, pauseAfterPublishMs: 60_000 }),
        ]);
        try {
          await waitForLine(first, /published 10/, 15_000);
        } finally {
          await killChild(first);
        }
        assert.equal(await outbox.pendingCount(), total, "the killed relay marked nothing");
        assert.equal(Number(await writer.command(stream, ["XLEN", stream])), 10);
        const second = spawnScript(RELAY_SCRIPT, [
          JSON.stringify({ ...config, pauseAfterPublishMs: 0 }),
        ]);
        try {
          await waitForLine(second, /drained 30/, 15_000);
        } finally {
          await killChild(second);
        }
        assert.equal(await outbox.pendingCount(), 0);
        assert.equal(Number(await writer.command(stream, ["XLEN", stream])), total + 10);
        const handled = new Map<string, number>();
        const inbox = new RedisInbox(writer, { tag: `${prefix}:inbox` });
        let duplicates = 0;
        await readAll(writer, stream, serializer, async (m) => {
          const id = (m as { id: string }).id;
          const outcome = await inbox.handle(id, () => {
            handled.set(id, (handled.get(id) ?? 0) + 1);
          });
          if (outcome !== "handled") duplicates++; // "busy" when both copies share a batch
        });
        assert.equal(handled.size, total, "every message delivered");
        assert.ok([...handled.values()].every((n) => n === 1), "each handled exactly once");
        assert.equal(duplicates, 10, "the batch published before the kill came again");
        await closePort(writer);
      });
    }

    test("redis-server restarted mid-batch: nothing lost, nothing handled twice", {
      skip,
      timeout: 30_000,
    }, async () => {
      const relayPort = await port(client);
      const prefix = name("rs");
      const serializer = new JsonSerializer();
      const outbox = new RedisOutbox(relayPort, { serializer, tag: prefix });
      const stream = `{${prefix}}:stream`;
      const total = 600;
      for (let start = 0; start < total; start += 100) {
        const saves = [];
        for (let i = start; i < start + 100; i++) {
          saves.push(outbox.save(`r${i}`, withId(fixtures.small, `r${i}`)));
        }
        await Promise.all(saves);
      }
      const relay = new OutboxRelay(
        relayPort,
        outbox,
        new RedisStreamTransport(relayPort, { stream, serializer }),
      );
      const drained = relay.drain(50, Date.now() + 20_000);
      // Restart once the relay is part-way through.
      for (let i = 0; i < 400 && (await outbox.pendingCount()) > total - 150; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await redisServer!.restart();
      await drained;
      const reader = await port(client);
      const checkOutbox = new RedisOutbox(reader, { serializer, tag: prefix });
      assert.equal(await checkOutbox.pendingCount(), 0);
      const handled = new Map<string, number>();
      const inbox = new RedisInbox(reader, { tag: `${prefix}:inbox` });
      await readAll(reader, stream, serializer, async (m) => {
        const id = (m as { id: string }).id;
        await inbox.handle(id, () => void handled.set(id, (handled.get(id) ?? 0) + 1));
      });
      assert.equal(handled.size, total, "nothing lost");
      assert.ok([...handled.values()].every((n) => n === 1), "nothing handled twice");
      await closePort(relayPort);
      await closePort(reader);
    });
  });
}

describe("nats transport", () => {
  /** Collects `count` messages from a subscription, or fails after a timeout. */
  function collect(
    transport: NatsTransport,
    count: number,
  ): Promise<unknown[]> & { sub?: unknown } {
    const messages: unknown[] = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Cannot collect ${count}: got ${messages.length}`)),
        15_000,
      );
      const sub = transport.subscribe((message) => {
        messages.push(message);
        if (messages.length === count) {
          clearTimeout(timer);
          sub.unsubscribe();
          resolve(messages);
        }
      }, reject);
    });
  }

  for (const format of Object.keys(FORMATS)) {
    test(`round trips small, medium and large ${format}`, options, async () => {
      const pub = await nats();
      const sub = await nats();
      const subject = name("rt");
      const pool = new MemoryPool({ debug: true });
      const out = new NatsTransport(pub, { subject, serializer: FORMATS[format](), pool });
      const inp = new NatsTransport(sub, { subject, serializer: FORMATS[format]() });
      const received = collect(inp, 3);
      await sub.flush(); // the subscription is registered before publishing
      const sent = SIZES.map((size) => withId(fixtures[size], size));
      await out.publishBatch(sent);
      assert.deepEqual(await received, sent);
      out.dispose();
      assert.equal(pool.stats().outstanding, 0);
    });
  }

  test("a batch of 10,000 arrives whole and in order, with no pool drops", options, async () => {
    const pub = await nats();
    const sub = await nats();
    const subject = name("batch");
    const pool = new MemoryPool();
    const out = new NatsTransport(pub, { subject, serializer: new MsgPackSerializer(), pool });
    const inp = new NatsTransport(sub, { subject, serializer: new MsgPackSerializer() });
    const received = collect(inp, 10_000);
    await sub.flush();
    const sent = Array.from({ length: 10_000 }, (_, i) => withId(fixtures.small, `n${i}`));
    await out.publishBatch(sent);
    const got = (await received) as { id: string }[];
    assert.deepEqual(got.map((m) => m.id), sent.map((m) => m.id));
    assert.deepEqual(got[5_000], sent[5_000]);
    out.dispose();
    assert.equal(pool.stats().dropped, 0);
    assert.equal(pool.stats().outstanding, 0);
  });

  test("bytes returned early to a debug pool: TypeError, connection intact", options, async () => {
    const pub = await nats();
    const subject = name("early");
    const pool = new MemoryPool({ debug: true });
    const out = new NatsTransport(pub, { subject, serializer: new JsonSerializer(), pool });
    const bytes = pool.rent(8);
    pool.return(bytes);
    await assert.rejects(
      out.publishBytes([bytes], 1),
      (error: Error) => error instanceof TypeError && /detached/.test(error.message),
    );
    const inp = new NatsTransport(pub, { subject, serializer: new JsonSerializer() });
    const received = collect(inp, 1);
    await pub.flush();
    await out.publishBatch([{ still: "works" }]);
    assert.deepEqual(await received, [{ still: "works" }]);
  });

  test(
    "outbox relayed through NATS, relay killed once: handled exactly once",
    options,
    async () => {
      const relayPort = await port(REDIS_CLIENTS[0]);
      const inboxPort = await port(REDIS_CLIENTS[0]);
      const pub = await nats();
      const sub = await nats();
      const prefix = name("nob");
      const serializer = new JsonSerializer();
      const outbox = new RedisOutbox(relayPort, { serializer, tag: prefix });
      const subject = `${prefix}.events`;
      const transport = new NatsTransport(pub, { subject, serializer });
      const total = 40;
      for (let i = 0; i < total; i++) await outbox.save(`x${i}`, withId({ n: i }, `x${i}`));
      const inbox = new RedisInbox(inboxPort, { tag: `${prefix}:inbox` });
      const handled = new Map<string, number>();
      let seen = 0;
      const allSeen = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${seen} seen`)), 15_000);
        new NatsTransport(sub, { subject, serializer }).subscribe((m) => {
          const id = (m as { id: string }).id;
          inbox.handle(id, () => void handled.set(id, (handled.get(id) ?? 0) + 1)).then(() => {
            if (++seen === total + 10) {
              clearTimeout(timer);
              resolve();
            }
          }, reject);
        }, reject);
      });
      await sub.flush();
      const relay = new OutboxRelay(relayPort, outbox, diesAfterPublishing(transport));
      await assert.rejects(relay.runOnce(10), /killed/);
      assert.equal(await outbox.pendingCount(), total);
      assert.equal(
        await new OutboxRelay(relayPort, outbox, transport).drain(15, Date.now() + 10_000),
        total,
      );
      await allSeen;
      assert.equal(handled.size, total);
      assert.ok([...handled.values()].every((n) => n === 1));
      await closePort(relayPort);
      await closePort(inboxPort);
    },
  );
});
