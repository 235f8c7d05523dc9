/**
 * Connects each client the current runtime can run: Bun's `RedisClient` on
 * Bun only; ioredis and node-redis on Node, Deno and Bun; nats.js everywhere.
 * The clients are devDependencies, loaded on demand.
 *
 * @module
 */
import { RUNTIME } from "../../platform/runtime.ts";
import { BunRedisPort } from "./redis_bun.ts";
import { type IoRedisLike, IoRedisPort } from "./redis_ioredis.ts";
import { type NodeRedisLike, NodeRedisPort } from "./redis_node_redis.ts";
import type { RedisPort } from "./redis_port.ts";
import type { NatsConnectionLike } from "../../messaging/nats_core.ts";

/** The Redis clients. */
export type RedisClientName = RedisPort["client"];

/** The Redis clients that run on this runtime. */
export const REDIS_CLIENTS: readonly RedisClientName[] = RUNTIME === "bun"
  ? ["bun", "ioredis", "node-redis"]
  : ["ioredis", "node-redis"];

/** Options for {@linkcode connectRedis}. */
export interface ConnectRedisOptions {
  /** Reconnect after a lost connection (default true). */
  reconnect?: boolean;
}

/** Opens a connection with `client` and wraps it in its {@linkcode RedisPort}. */
export async function connectRedis(
  client: RedisClientName,
  url: string,
  options: ConnectRedisOptions = {},
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

/** A nats.js connection with what the examples use. */
export interface NatsConnection extends NatsConnectionLike {
  close(): Promise<void>;
}

/** Connects nats.js (`@nats-io/transport-node`). */
export async function connectNats(url: string): Promise<NatsConnection> {
  const { connect } = await import("@nats-io/transport-node");
  return (await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 50 })) as
    & NatsConnection
    & object;
}
