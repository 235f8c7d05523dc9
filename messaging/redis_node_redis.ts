/**
 * {@linkcode NodeRedisPort}: node-redis (`redis` 6), one client
 * (`createClient`) or a cluster (`createCluster`, whose commands take the
 * key to route by as an extra first argument). node-redis rejects a plain
 * `Uint8Array` and needs a `Buffer`; it encodes at write time on
 * `setImmediate` and hands the `Buffer` to `socket.write` by reference, so
 * pooled bytes go back only after the promise settles. Like ioredis, JSON is
 * faster as a string for it (measured; see handoff.ts).
 *
 * @module
 */
import { rentArray } from "../pool/mod.ts";
import { toBufferView } from "./handoff.ts";
import type { RedisArg, RedisCommand, RedisPort } from "./redis_port.ts";

/** The part of a node-redis client multi this port uses. */
export interface NodeRedisMultiLike {
  /** Queues a command. */
  addCommand(args: RedisArg[]): NodeRedisMultiLike;
  /** Sends it as MULTI/EXEC. */
  exec(): Promise<unknown[]>;
  /** Sends it as a plain pipeline. */
  execAsPipeline(): Promise<unknown[]>;
}

/** The part of a node-redis client (`createClient`) this port uses. */
export interface NodeRedisLike {
  /** A multi. */
  multi(): NodeRedisMultiLike;
  /** Any command. */
  sendCommand(args: RedisArg[]): Promise<unknown>;
  /** Closes the connection. */
  close(): Promise<unknown>;
}

/** The part of a node-redis cluster multi this port uses. */
export interface NodeRedisClusterMultiLike {
  /** Queues a command routed by `firstKey`. */
  addCommand(
    firstKey: RedisArg | undefined,
    isReadonly: boolean | undefined,
    args: RedisArg[],
  ): NodeRedisClusterMultiLike;
  /** Sends it as MULTI/EXEC. */
  exec(): Promise<unknown[]>;
  /** Sends it as a plain pipeline. */
  execAsPipeline(): Promise<unknown[]>;
}

/** The part of a node-redis cluster (`createCluster`) this port uses. */
export interface NodeRedisClusterLike {
  /** A multi on the master of `routing`'s slot. */
  multi(routing?: RedisArg): NodeRedisClusterMultiLike;
  /** Any command, routed by `firstKey`. */
  sendCommand(
    firstKey: RedisArg | undefined,
    isReadonly: boolean | undefined,
    args: RedisArg[],
  ): Promise<unknown>;
  /** Closes every connection. */
  close(): Promise<unknown>;
}

/** What the port needs from either shape: every call names its routing key. */
interface Router {
  send(key: string, args: RedisArg[], bytes: boolean): Promise<unknown>;
  queue(key: string, commands: readonly RedisArg[][], asPipeline: boolean): Promise<unknown[]>;
  close(): Promise<unknown>;
}

function converted(arg: RedisArg): RedisArg {
  return typeof arg === "string" ? arg : toBufferView(arg, "node-redis");
}

function clientRouter(redis: NodeRedisLike, bytes: NodeRedisLike): Router {
  return {
    send: (_key, args, asBytes) => (asBytes ? bytes : redis).sendCommand(args),
    queue: (_key, commands, asPipeline) => {
      const multi = redis.multi();
      for (const command of commands) multi.addCommand(command);
      return asPipeline ? multi.execAsPipeline() : multi.exec();
    },
    close: () => redis.close(),
  };
}

function clusterRouter(cluster: NodeRedisClusterLike, bytes: NodeRedisClusterLike): Router {
  return {
    send: (key, args, asBytes) => (asBytes ? bytes : cluster).sendCommand(key, false, args),
    queue: (key, commands, asPipeline) => {
      const multi = cluster.multi(key);
      for (const command of commands) multi.addCommand(key, false, command);
      return asPipeline ? multi.execAsPipeline() : multi.exec();
    },
    close: () => cluster.close(),
  };
}

/**
 * A {@linkcode RedisPort} over node-redis. Give it two views of one
 * connection: `redis` for commands, and `bytes` made with
 * `redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })` for replies
 * read as bytes. For a cluster use {@linkcode NodeRedisPort.cluster}.
 *
 * @example Run a command through a stand-in for node-redis
 * ```ts
 * import { NodeRedisPort, type RedisArg } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * const calls: string[] = [];
 * const fake = {
 *   multi: () => {
 *     throw new Error("not used");
 *   },
 *   sendCommand: (args: RedisArg[]) => {
 *     calls.push(args.join(" "));
 *     return Promise.resolve("OK");
 *   },
 *   close: () => Promise.resolve(),
 * };
 * const port = new NodeRedisPort(fake, fake);
 * assert.equal(await port.command("k", ["SET", "k", "v"]), "OK");
 * assert.deepEqual(calls, ["SET k v"]);
 * ```
 */
export class NodeRedisPort implements RedisPort {
  /** The client's name. */
  readonly client = "node-redis" as const;
  /** True: replies are read through the `Buffer`-mapped view. */
  readonly binaryReplies = true;
  #router: Router;

  /**
   * Creates it.
   *
   * @param redis A connected client.
   * @param bytes The same client with bulk strings mapped to `Buffer`.
   */
  constructor(redis: NodeRedisLike, bytes: NodeRedisLike) {
    this.#router = clientRouter(redis, bytes);
  }

  /**
   * A port over a node-redis cluster: every command goes to the master that
   * owns its routing key's slot.
   *
   * @param cluster A connected `createCluster()`.
   * @param bytes The same cluster with bulk strings mapped to `Buffer`.
   * @returns The port.
   *
   * @example
   * ```ts
   * import { NodeRedisPort, type RedisArg } from "@catga/memory/messaging";
   * import assert from "node:assert/strict";
   *
   * const routed: string[] = [];
   * const fake = {
   *   multi: () => {
   *     throw new Error("not used");
   *   },
   *   sendCommand: (key: RedisArg | undefined, _readonly: boolean | undefined, args: RedisArg[]) => {
   *     routed.push(`${key}: ${args.join(" ")}`);
   *     return Promise.resolve(1);
   *   },
   *   close: () => Promise.resolve(),
   * };
   * const port = NodeRedisPort.cluster(fake, fake);
   * await port.command("{o}:pending", ["ZCARD", "{o}:pending"]);
   * assert.deepEqual(routed, ["{o}:pending: ZCARD {o}:pending"]);
   * ```
   */
  static cluster(cluster: NodeRedisClusterLike, bytes: NodeRedisClusterLike): NodeRedisPort {
    const port = new NodeRedisPort(
      cluster as unknown as NodeRedisLike,
      bytes as unknown as NodeRedisLike,
    );
    port.#router = clusterRouter(cluster, bytes);
    return port;
  }

  /** See {@linkcode RedisPort.xaddBatch}. */
  async xaddBatch(
    stream: string,
    trim: readonly string[],
    field: string,
    payloads: readonly RedisArg[],
    count: number,
  ): Promise<string[]> {
    const commands = new Array<RedisArg[]>(count);
    for (let i = 0; i < count; i++) {
      commands[i] = trim.length === 0
        ? ["XADD", stream, "*", field, converted(payloads[i])]
        : ["XADD", stream, ...trim, "*", field, converted(payloads[i])];
    }
    return (await this.#router.queue(stream, commands, true)) as string[];
  }

  /** See {@linkcode RedisPort.transaction}. */
  async transaction(key: string, commands: readonly RedisCommand[]): Promise<unknown[]> {
    return await this.#router.queue(key, commands.map((command) => command.map(converted)), false);
  }

  /** See {@linkcode RedisPort.command}. */
  command(key: string, args: RedisCommand): Promise<unknown> {
    return this.#router.send(key, args.map(converted), true);
  }

  /** See {@linkcode RedisPort.commandText}. */
  commandText(key: string, args: RedisCommand): Promise<unknown> {
    return this.#router.send(key, args.map(converted), false);
  }

  /** See {@linkcode RedisPort.mget}. */
  async mget(
    keys: readonly string[],
    count: number,
    asText: boolean,
  ): Promise<(Uint8Array | string | null)[]> {
    // node-redis keeps the argument array until it writes (on setImmediate):
    // the rented array goes back only after the reply.
    using args = rentArray<string>(count + 1);
    args.items[0] = "MGET";
    for (let i = 0; i < count; i++) args.items[i + 1] = keys[i];
    return (await this.#router.send(keys[0], args.items, !asText)) as (
      | Uint8Array
      | string
      | null
    )[];
  }

  /** See {@linkcode RedisPort.close}. */
  async close(): Promise<void> {
    await this.#router.close();
  }
}
