/**
 * {@linkcode BunRedisPort}: Bun's built-in `RedisClient`. It takes a plain
 * `Uint8Array` (only the view's bytes are sent) and copies every argument
 * before `send` returns, in every connection state, so pooled bytes may go
 * back as soon as the call returns, and one argument array can be reused for
 * a whole batch.
 *
 * @module
 */
import { rentArray } from "../pool/mod.ts";
import { toPlainBytes } from "./handoff.ts";
import type { RedisArg, RedisCommand, RedisPort } from "./redis_port.ts";

/**
 * The part of Bun's `RedisClient` this port uses. Bun's client talks to one
 * server: it does not follow a Redis Cluster's MOVED redirections, so it
 * cannot drive a cluster (use ioredis `Cluster` or node-redis `createCluster`).
 */
export interface BunRedisClientLike {
  /** Sends one command. */
  send(command: string, args: RedisArg[]): Promise<unknown>;
  /** `GET` with the value as exact bytes. */
  getBuffer(key: string): Promise<Uint8Array | null>;
  /** Closes the connection. */
  close(): void;
}

function checked(arg: RedisArg): RedisArg {
  return typeof arg === "string" ? arg : toPlainBytes(arg, "bun");
}

/**
 * A {@linkcode RedisPort} over Bun's `RedisClient` (one server; Bun's client
 * has no cluster mode).
 *
 * @example Publish to a stream through a stand-in for Bun's client
 * ```ts
 * import { BunRedisPort, type RedisArg } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * const sent: string[] = [];
 * const fake = {
 *   send: (command: string, args: RedisArg[]) => {
 *     sent.push([command, ...args.map(String)].join(" "));
 *     return Promise.resolve(`${sent.length}-0`);
 *   },
 *   getBuffer: () => Promise.resolve(null),
 *   close: () => {},
 * };
 * const port = new BunRedisPort(fake);
 * const ids = await port.xaddBatch("orders", ["MAXLEN", "~", "1000"], "d", ["{}"], 1);
 * assert.deepEqual(ids, ["1-0"]);
 * assert.deepEqual(sent, ["XADD orders MAXLEN ~ 1000 * d {}"]);
 * ```
 */
export class BunRedisPort implements RedisPort {
  /** The client's name. */
  readonly client = "bun" as const;
  /** False: Bun's `send` replies with text. */
  readonly binaryReplies = false;
  #redis: BunRedisClientLike;

  /** Creates it. @param redis A connected `RedisClient` from `bun`. */
  constructor(redis: BunRedisClientLike) {
    this.#redis = redis;
  }

  /** See {@linkcode RedisPort.xaddBatch}. */
  async xaddBatch(
    stream: string,
    trim: readonly string[],
    field: string,
    payloads: readonly RedisArg[],
    count: number,
  ): Promise<string[]> {
    // One argument array for the whole batch: Bun copies the arguments before `send` returns.
    const args: RedisArg[] = [stream, ...trim, "*", field, ""];
    const last = args.length - 1;
    using pending = rentArray<Promise<unknown>>(count);
    const items = pending.items;
    for (let i = 0; i < count; i++) {
      args[last] = checked(payloads[i]);
      items[i] = this.#redis.send("XADD", args);
    }
    const ids = await Promise.all(items);
    return ids as string[];
  }

  /** See {@linkcode RedisPort.transaction}. */
  async transaction(_key: string, commands: readonly RedisCommand[]): Promise<unknown[]> {
    // Issued without awaiting in between: nothing else can be queued on the
    // connection between MULTI and EXEC.
    // Every argument is checked before MULTI goes out: a throw in between
    // would leave the connection inside a transaction.
    const checkedCommands = commands.map((command) => command.slice(1).map(checked));
    const queued: Promise<unknown>[] = [this.#redis.send("MULTI", [])];
    for (let i = 0; i < commands.length; i++) {
      queued.push(this.#redis.send(commands[i][0] as string, checkedCommands[i]));
    }
    const exec = this.#redis.send("EXEC", []);
    const settled = await Promise.allSettled(queued);
    const failed = settled.find((s) => s.status === "rejected");
    const replies = await exec;
    if (failed) throw (failed as PromiseRejectedResult).reason;
    if (!Array.isArray(replies)) throw new Error("Cannot commit transaction: EXEC returned null");
    return replies;
  }

  /** See {@linkcode RedisPort.commandText}: Bun's `send` replies with text anyway. */
  commandText(_key: string, args: RedisCommand): Promise<unknown> {
    return this.#redis.send(args[0] as string, args.slice(1).map(checked));
  }

  /** See {@linkcode RedisPort.command}. */
  command(_key: string, args: RedisCommand): Promise<unknown> {
    return this.#redis.send(args[0] as string, args.slice(1).map(checked));
  }

  /** See {@linkcode RedisPort.mget}. */
  async mget(
    keys: readonly string[],
    count: number,
    asText: boolean,
  ): Promise<(Uint8Array | string | null)[]> {
    if (asText) {
      // One MGET; Bun copies the (rented, exact-length) key array before `send` returns.
      const exact = keys.length === count ? keys : keys.slice(0, count);
      return (await this.#redis.send("MGET", exact as string[])) as (string | null)[];
    }
    // `send("MGET")` decodes the values as UTF-8 text; getBuffer keeps the
    // bytes exact, and Bun pipelines the GETs issued in one tick.
    using pending = rentArray<Promise<Uint8Array | null>>(count);
    for (let i = 0; i < count; i++) pending.items[i] = this.#redis.getBuffer(keys[i]);
    return await Promise.all(pending.items);
  }

  /** See {@linkcode RedisPort.close}. */
  close(): Promise<void> {
    this.#redis.close();
    return Promise.resolve();
  }
}
