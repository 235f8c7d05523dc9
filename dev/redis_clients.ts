/**
 * Connects each Redis client this runtime can run, single node or cluster, in its `RedisPort`:
 * Bun's `RedisClient` on Bun only (no cluster mode); ioredis and node-redis everywhere; and
 * nats.js. The clients are devDependencies, loaded on demand.
 *
 * @module
 */
import {
  BunRedisPort,
  type IoRedisLike,
  IoRedisPort,
  type NatsConnectionLike,
  type NodeRedisClusterLike,
  type NodeRedisLike,
  NodeRedisPort,
  type RedisPort,
} from "../messaging/mod.ts";

/** The Redis clients. */
export type RedisClientName = RedisPort["client"];

const IS_BUN = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

/** The Redis clients that run on this runtime. */
export const REDIS_CLIENTS: readonly RedisClientName[] = IS_BUN
  ? ["bun", "ioredis", "node-redis"]
  : ["ioredis", "node-redis"];

/** The Redis clients with a cluster mode. */
export const CLUSTER_CLIENTS: readonly RedisClientName[] = ["ioredis", "node-redis"];

/** Opens a connection with `client` and wraps it in its `RedisPort`; `reconnect` defaults to true. */
export async function connectRedis(
  client: RedisClientName,
  url: string,
  options: { reconnect?: boolean } = {},
): Promise<RedisPort> {
  const reconnect = options.reconnect ?? true;
  if (client === "bun") {
    const specifier = "bun";
    const { RedisClient } = await import(specifier);
    const redis = new RedisClient(url, {
      autoReconnect: reconnect,
      maxRetries: reconnect ? 200 : 0,
      enableOfflineQueue: true,
    });
    await redis.connect();
    return new BunRedisPort(redis);
  }
  if (client === "ioredis") {
    const { Redis } = await import("ioredis");
    const redis = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: reconnect ? 50 : 0,
      retryStrategy: reconnect ? (times: number) => Math.min(times * 20, 200) : () => null,
    });
    redis.on("error", () => {}); // reconnects are expected; commands reject on their own
    await redis.connect();
    return new IoRedisPort(redis as unknown as IoRedisLike);
  }
  const { createClient, RESP_TYPES } = await import("redis");
  const redis = createClient({
    url,
    socket: {
      reconnectStrategy: reconnect ? (retries: number) => Math.min(retries * 20, 200) : false,
    },
  });
  redis.on("error", () => {}); // reconnects are expected; commands reject on their own
  await redis.connect();
  // deno-lint-ignore no-explicit-any
  const bytes = redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: (globalThis as any).Buffer });
  return new NodeRedisPort(redis as unknown as NodeRedisLike, bytes as unknown as NodeRedisLike);
}

/**
 * Connects to a Redis Cluster through its seed nodes (`redis://host:port`
 * each) with ioredis `Cluster` or node-redis `createCluster`.
 */
export async function connectRedisCluster(
  client: RedisClientName,
  seeds: readonly string[],
): Promise<RedisPort> {
  if (client === "bun") {
    throw new TypeError("Cannot connect Bun's RedisClient to a cluster: it has no cluster mode");
  }
  if (client === "ioredis") {
    const nodes = seeds.map((seed) => new URL(seed)).map((url) => ({
      host: url.hostname,
      port: Number(url.port),
    }));
    const { Cluster } = await import("ioredis");
    const cluster = new Cluster(nodes, {
      lazyConnect: true,
      clusterRetryStrategy: (times: number) => Math.min(times * 50, 500),
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 100,
      retryDelayOnFailover: 100,
      maxRedirections: 64,
      redisOptions: { maxRetriesPerRequest: 100 },
    });
    cluster.on("error", () => {}); // a restarted master is expected; commands retry
    await cluster.connect();
    return new IoRedisPort(cluster as unknown as IoRedisLike);
  }
  const { createCluster, RESP_TYPES } = await import("redis");
  const cluster = createCluster({
    rootNodes: seeds.map((url) => ({ url })),
    defaults: { socket: { reconnectStrategy: (retries: number) => Math.min(retries * 50, 500) } },
  });
  cluster.on("error", () => {});
  await cluster.connect();
  // deno-lint-ignore no-explicit-any
  const bytes = cluster.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: (globalThis as any).Buffer });
  return NodeRedisPort.cluster(
    cluster as unknown as NodeRedisClusterLike,
    bytes as unknown as NodeRedisClusterLike,
  );
}

/** A nats.js connection with what the examples use. */
export interface NatsConnection extends NatsConnectionLike {
  close(): Promise<void>;
}

/** Connects nats.js (`@nats-io/transport-node`). */
export async function connectNats(url: string): Promise<NatsConnection> {
  const { connect } = await import("@nats-io/transport-node");
  return await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
}
