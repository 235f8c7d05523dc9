/**
 * The Redis side of `@catga/memory/messaging` against real servers: the
 * consumer group's blocking reads, XAUTOCLAIM recovery, dead letters
 * (handler failures up to the maximum, undecodable payloads at once),
 * trimming, graceful shutdown and a server restart under a running consumer;
 * the inbox's claim expiry; and outbox → stream → consumer → inbox on a Redis
 * Cluster of 3 masters with ioredis `Cluster` and node-redis `createCluster`
 * (Bun's `RedisClient` has no cluster mode). Servers start on free loopback
 * ports and stop on every exit path.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { JsonSerializer, MsgPackSerializer } from "../serializers/mod.ts";
import {
  OutboxRelay,
  RedisInbox,
  RedisOutbox,
  type RedisPort,
  RedisStreamConsumer,
  type RedisStreamConsumerOptions,
  RedisStreamTransport,
  replyText,
} from "../messaging/mod.ts";
import {
  CLUSTER_CLIENTS,
  connectRedis,
  connectRedisCluster,
  REDIS_CLIENTS,
  type RedisClientName,
} from "../dev/redis_clients.ts";
import {
  MISSING_SERVERS_REASON,
  type ServerHandle,
  SERVERS_INSTALLED,
  startRedis,
} from "./_services.ts";
import {
  CLUSTER_INSTALLED,
  MISSING_CLUSTER_REASON,
  type RedisClusterHandle,
  startRedisCluster,
} from "../dev/redis_cluster.ts";
import {
  MAX_XADDS_PER_SCRIPT,
  XADD_BATCH_SCRIPT,
  XADD_BATCH_SCRIPT_SHA,
} from "../messaging/_xadd_script.ts";

const skip: string | false = SERVERS_INSTALLED ? false : MISSING_SERVERS_REASON;
const clusterSkip: string | false = CLUSTER_INSTALLED ? false : MISSING_CLUSTER_REASON;
const options = { skip, timeout: 30_000 };

let server: ServerHandle | undefined;
let cluster: RedisClusterHandle | undefined;
const open = new Set<RedisPort>();
let unique = 0;
const name = (label: string) => `${label}-${process.pid}-${++unique}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function port(client: RedisClientName): Promise<RedisPort> {
  const opened = await connectRedis(client, server!.url);
  open.add(opened);
  return opened;
}

async function clusterPort(client: RedisClientName): Promise<RedisPort> {
  const opened = await connectRedisCluster(client, cluster!.urls);
  open.add(opened);
  return opened;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Cannot see ${what} within ${ms} ms`);
    await sleep(20);
  }
}

function consumerOf(
  reader: RedisPort,
  stream: string,
  rest: Partial<RedisStreamConsumerOptions> & Pick<RedisStreamConsumerOptions, "handler">,
): RedisStreamConsumer {
  return new RedisStreamConsumer(reader, {
    stream,
    group: "g",
    consumer: name("c"),
    serializer: new JsonSerializer(),
    blockMs: 100,
    ...rest,
  });
}

async function pendingCount(p: RedisPort, stream: string): Promise<number> {
  const summary = (await p.command(stream, ["XPENDING", stream, "g"])) as unknown[];
  return Number(replyText(summary[0]));
}

async function deadLetters(p: RedisPort, stream: string): Promise<Map<string, string>[]> {
  const raw = (await p.command(stream, ["XRANGE", stream, "-", "+"])) as [unknown, unknown[]][];
  return raw.map(([, fields]) => {
    const map = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) {
      map.set(replyText(fields[i]), replyText(fields[i + 1]));
    }
    return map;
  });
}

before(async () => {
  if (!skip) server = await startRedis();
  if (!clusterSkip) cluster = await startRedisCluster(3);
});

after(async () => {
  for (const opened of open) await opened.close().catch(() => {});
  await server?.close();
  await cluster?.close();
});

for (const client of REDIS_CLIENTS) {
  describe(`redis stream consumer: ${client}`, () => {
    test(
      "a blocking read waits for the publish, then stop() acks what is in flight",
      options,
      async () => {
        const writer = await port(client);
        const reader = await port(client);
        const stream = name("block");
        const seen: unknown[] = [];
        let release!: () => void;
        const gate = new Promise<void>((resolve) => release = resolve);
        const consumer = consumerOf(reader, stream, {
          blockMs: 5_000, // a read blocked on the server, not a poll loop
          handler: async (message) => {
            seen.push(message);
            await gate; // still in flight when stop() is called
          },
        });
        await consumer.ensureGroup();
        const running = consumer.start();
        await sleep(200);
        await new RedisStreamTransport(writer, { stream, serializer: new JsonSerializer() })
          .publishBatch([{ n: 1 }]);
        await until("the handler running", () => seen.length === 1);
        const stopped = consumer.stop();
        await sleep(50);
        assert.equal(
          await pendingCount(writer, stream),
          1,
          "not acked before the handler finishes",
        );
        release();
        await stopped;
        await running;
        assert.deepEqual(seen, [{ n: 1 }]);
        assert.equal(await pendingCount(writer, stream), 0, "acked on the way out");
        assert.equal(consumer.stats.handled, 1);
      },
    );

    test(
      "a handler that throws is redelivered up to maxDeliveries, then dead-lettered",
      options,
      async () => {
        const writer = await port(client);
        const reader = await port(client);
        const stream = name("retry");
        const attempts: number[] = [];
        const consumer = consumerOf(reader, stream, {
          maxDeliveries: 3,
          claimIdleMs: 50,
          handler: (_message, delivery) => {
            attempts.push(delivery.deliveries);
            throw new RangeError("Cannot charge: card declined");
          },
        });
        await consumer.ensureGroup();
        await new RedisStreamTransport(writer, { stream, serializer: new JsonSerializer() })
          .publishBatch([{ order: 7 }]);
        const running = consumer.start();
        await until("the dead letter", () => consumer.stats.deadLettered === 1);
        await consumer.stop();
        await running;
        assert.deepEqual(attempts, [1, 2, 3]);
        assert.equal(await pendingCount(writer, stream), 0, "acked once dead-lettered");
        const [dead] = await deadLetters(writer, consumer.deadLetterStream);
        assert.equal(dead.get("d"), '{"order":7}');
        assert.equal(dead.get("error"), "RangeError: Cannot charge: card declined");
        assert.equal(dead.get("deliveries"), "3");
        assert.match(dead.get("source")!, new RegExp(`^${stream} \\d+-\\d+$`));
      },
    );

    test(
      "an undecodable payload goes to the dead letter at once, with its error",
      options,
      async () => {
        const writer = await port(client);
        const reader = await port(client);
        const stream = name("bad");
        const seen: unknown[] = [];
        const consumer = consumerOf(reader, stream, { handler: (m) => void seen.push(m) });
        await consumer.ensureGroup();
        await writer.xaddBatch(stream, [], "d", ['{"ok":1}', "{not json", '{"ok":2}'], 3);
        while ((await consumer.poll()) > 0);
        assert.deepEqual(seen, [{ ok: 1 }, { ok: 2 }]);
        assert.equal(await pendingCount(writer, stream), 0);
        const dead = await deadLetters(writer, consumer.deadLetterStream);
        assert.equal(dead.length, 1);
        assert.equal(dead[0].get("d"), "{not json");
        assert.match(dead[0].get("error")!, /^SyntaxError: /);
        assert.equal(dead[0].get("deliveries"), "1");
      },
    );

    test(
      "entries a dead consumer left pending are claimed (XAUTOCLAIM) and handled",
      options,
      async () => {
        const writer = await port(client);
        const reader = await port(client);
        const stream = name("claim");
        // The "dead" consumer reads and never acks (its handler never finishes).
        const dead = consumerOf(reader, stream, { handler: () => new Promise<void>(() => {}) });
        await dead.ensureGroup();
        await new RedisStreamTransport(writer, { stream, serializer: new JsonSerializer() })
          .publishBatch([{ n: 1 }, { n: 2 }, { n: 3 }]);
        void dead.poll();
        await until("3 pending", async () => (await pendingCount(writer, stream)) === 3);
        const survivorPort = await port(client);
        const deliveries: number[] = [];
        const survivor = consumerOf(survivorPort, stream, {
          claimIdleMs: 200,
          handler: (_m, delivery) => void deliveries.push(delivery.deliveries),
        });
        await sleep(250);
        while ((await survivor.poll()) > 0);
        assert.deepEqual(deliveries, [2, 2, 2]);
        assert.equal(survivor.stats.claimed, 3);
        assert.equal(await pendingCount(writer, stream), 0);
      },
    );

    test("trimming: MAXLEN ~ bounds the stream, MINID ~ drops old entries", options, async () => {
      const writer = await port(client);
      const byLength = name("maxlen");
      const bounded = new RedisStreamTransport(writer, {
        stream: byLength,
        serializer: new MsgPackSerializer(),
        trim: { maxLen: 100 },
      });
      for (let i = 0; i < 10; i++) {
        await bounded.publishBatch(Array.from({ length: 200 }, (_, j) => ({ i, j })));
      }
      const length = Number(await writer.command(byLength, ["XLEN", byLength]));
      assert.ok(length >= 100 && length < 400, `XLEN ${length}`);
      bounded.dispose();
      const byAge = name("minid");
      const old = new RedisStreamTransport(writer, {
        stream: byAge,
        serializer: new JsonSerializer(),
      });
      await old.publishBatch(Array.from({ length: 300 }, (_, i) => ({ i })));
      await sleep(30);
      const aged = new RedisStreamTransport(writer, {
        stream: byAge,
        serializer: new JsonSerializer(),
        trim: { maxAgeMs: 10 },
      });
      await aged.publishBatch([{ fresh: true }]);
      const left = Number(await writer.command(byAge, ["XLEN", byAge]));
      assert.ok(left < 301, `XLEN ${left}: old entries dropped`);
      assert.throws(
        () =>
          new RedisStreamTransport(writer, {
            stream: "s",
            serializer: new JsonSerializer(),
            trim: { maxLen: 0 },
          }),
        RangeError,
      );
    });

    test(
      "publishBytes: scripted XADDs in order, trimmed, again after SCRIPT FLUSH",
      options,
      async () => {
        const writer = await port(client);
        // The server is the oracle for the script's SHA-1.
        assert.equal(
          replyText(await writer.command("", ["SCRIPT", "LOAD", XADD_BATCH_SCRIPT])),
          XADD_BATCH_SCRIPT_SHA,
        );
        const stream = name("scripted");
        const transport = new RedisStreamTransport(writer, {
          stream,
          serializer: new JsonSerializer(),
          trim: { maxLen: 100_000 },
        });
        // More than one script call's worth, text and bytes mixed.
        const count = MAX_XADDS_PER_SCRIPT * 2 + 5;
        const payloads = Array.from(
          { length: count },
          (_, i) => i % 2 === 0 ? `{"i":${i}}` : new TextEncoder().encode(`{"i":${i}}`),
        );
        await transport.publishBytes(payloads, count - 1);
        await writer.command("", ["SCRIPT", "FLUSH"]);
        await transport.publishBytes([payloads[count - 1]], 1); // NOSCRIPT → EVAL
        const entries = (await writer.commandText(stream, ["XRANGE", stream, "-", "+"])) as [
          string,
          string[],
        ][];
        assert.equal(entries.length, count);
        entries.forEach(([, fields], i) => assert.deepEqual(fields, ["d", `{"i":${i}}`]));
      },
    );

    test(
      "a server restart under a running consumer: retried, nothing lost, nothing acked unhandled",
      {
        ...options,
        timeout: 45_000,
      },
      async () => {
        const writer = await port(client);
        const reader = await port(client);
        // A claim whose SET reply was lost in the restart holds for claimTtlMs: keep it short.
        const stream = `{${name("restart")}}:s`;
        const inbox = new RedisInbox(reader, { tag: stream, claimTtlMs: 1_000 });
        const handled = new Map<number, number>();
        let errors = 0;
        const consumer = consumerOf(reader, stream, {
          claimIdleMs: 500,
          maxDeliveries: 100,
          retryMaxMs: 200,
          onError: () => errors++,
          handler: async (message) => {
            const n = (message as { n: number }).n;
            // The effect is a Redis command committed with the done marker: applied once even
            // when a reply is lost in the restart (a JS-side effect could run again then).
            const outcome = await inbox.handle(String(n), () => {
              handled.set(n, (handled.get(n) ?? 0) + 1);
              return [["HINCRBY", inbox.key("applied"), String(n), "1"]];
            });
            if (outcome === "busy") throw new Error("busy");
          },
        });
        await consumer.ensureGroup();
        const running = consumer.start();
        const transport = new RedisStreamTransport(writer, {
          stream,
          serializer: new JsonSerializer(),
        });
        await transport.publishBatch(Array.from({ length: 300 }, (_, n) => ({ n })));
        await server!.restart();
        await transport.publishBatch(Array.from({ length: 300 }, (_, n) => ({ n: 300 + n })));
        await until("600 handled", () => handled.size === 600, 30_000);
        // An XACK lost in the restart leaves its entry pending: claimed again, a duplicate, acked.
        await until("nothing pending", async () => (await pendingCount(writer, stream)) === 0);
        await consumer.stop();
        await running;
        const applied = (await writer.commandText(inbox.key("applied"), [
          "HVALS",
          inbox.key("applied"),
        ])) as string[];
        assert.equal(applied.length, 600, "nothing lost");
        assert.ok(applied.every((count) => count === "1"), "each effect applied once");
        assert.equal(await pendingCount(writer, stream), 0);
      },
    );
  });
}

describe("redis inbox", () => {
  test(
    "a crashed attempt's claim expires; a commit after losing the claim applies nothing",
    options,
    async () => {
      const p = await port(REDIS_CLIENTS[0]);
      const tag = name("inbox");
      const inbox = new RedisInbox(p, { tag, claimTtlMs: 200 });
      const effect = () => [["HINCRBY", inbox.key("applied"), "m1", "1"]] as const;
      // An attempt that "dies" in its handler: its claim stays until the TTL.
      let release!: () => void;
      const slow = inbox.handle(
        "m1",
        () =>
          new Promise<readonly (readonly string[])[]>((resolve) => {
            release = () => resolve(effect());
          }),
      );
      await sleep(20);
      assert.equal(
        await inbox.handle("m1", effect),
        "busy",
        "the live claim blocks a second attempt",
      );
      await sleep(250); // the claim expired
      assert.equal(await inbox.handle("m1", effect), "handled");
      release(); // the first attempt wakes up and tries to commit
      assert.equal(await slow, "busy", "its claim is gone: nothing committed");
      const applied = await p.command(inbox.key("applied"), ["HGET", inbox.key("applied"), "m1"]);
      assert.equal(replyText(applied), "1");
      assert.equal(await inbox.handle("m1", effect), "duplicate");
    },
  );

  test("a handler that throws releases its claim for the redelivery", options, async () => {
    const p = await port(REDIS_CLIENTS[0]);
    const inbox = new RedisInbox(p, { tag: name("inbox") });
    await assert.rejects(
      inbox.handle("m", () => {
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(await inbox.handle("m", () => {}), "handled");
  });
});

for (const client of CLUSTER_CLIENTS) {
  describe(`redis cluster of 3 masters: ${client}`, () => {
    test("keys without a shared hash tag fail with CROSSSLOT; the module's keys do not", {
      skip: clusterSkip,
      timeout: 30_000,
    }, async () => {
      const p = await clusterPort(client);
      await assert.rejects(
        p.transaction("a", [["SET", "a", "1"], ["SET", "b", "1"], ["SET", "c", "1"]]),
        // node-redis sends the MULTI to the first key's master and gives up after the MOVED replies.
        /CROSSSLOT|same slot|Too many Cluster redirections/i,
      );
      const outbox = new RedisOutbox(p, { serializer: new JsonSerializer(), tag: name("o") });
      const replies = await outbox.save("m1", { n: 1 }, [[
        "HSET",
        outbox.key("orders"),
        "m1",
        "placed",
      ]]);
      assert.deepEqual(replies.map(Number), [1]);
    });

    test("outbox → stream → consumer → inbox over several tags (slots on every master)", {
      skip: clusterSkip,
      timeout: 45_000,
    }, async () => {
      const p = await clusterPort(client);
      const reader = await clusterPort(client);
      const serializer = new MsgPackSerializer();
      const partitions = 6;
      const tags = Array.from({ length: partitions }, () => name("part"));
      const total = 300;
      for (let i = 0; i < total; i++) {
        const outbox = new RedisOutbox(p, { serializer, tag: tags[i % partitions] });
        await outbox.save(`m${i}`, { id: `m${i}`, part: i % partitions }, [
          ["HSET", outbox.key("orders"), `m${i}`, "placed"],
        ]);
      }
      const handled = new Map<string, number>();
      for (let part = 0; part < partitions; part++) {
        const tag = tags[part];
        const stream = `{${tag}}:events`;
        const outbox = new RedisOutbox(p, { serializer, tag });
        const relay = new OutboxRelay(
          p,
          outbox,
          new RedisStreamTransport(p, { stream, serializer }),
        );
        assert.equal(await relay.drain(64, Date.now() + 10_000), total / partitions);
        const inbox = new RedisInbox(p, { tag });
        const consumer = new RedisStreamConsumer(reader, {
          stream,
          group: "g",
          consumer: "c",
          serializer,
          blockMs: 50,
          handler: async (message) => {
            const { id } = message as { id: string };
            await inbox.handle(id, () => {
              handled.set(id, (handled.get(id) ?? 0) + 1);
              return [["HINCRBY", inbox.key("applied"), id, "1"]];
            });
          },
        });
        await consumer.ensureGroup();
        while ((await consumer.poll()) > 0);
        assert.equal(consumer.stats.handled, total / partitions);
      }
      assert.equal(handled.size, total);
      assert.ok([...handled.values()].every((n) => n === 1));
    });
  });
}
