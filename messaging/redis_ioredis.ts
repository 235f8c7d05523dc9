/**
 * {@linkcode IoRedisPort}: ioredis 6, a single `Redis` or a `Cluster` (both
 * have the methods this port uses; a cluster routes each command by its key).
 * ioredis needs a `Buffer` (a plain `Uint8Array` is silently stored as the
 * text "65,66,…"), and keeps references to argument buffers in its offline
 * queue, in auto-pipelining and inside a pipeline until `exec()`, so pooled
 * bytes go back only after the promise settles. It copies every argument
 * itself (`Buffer.allocUnsafe` + copy per command, `Buffer.concat` per
 * pipeline), so for JSON a `JSON.stringify` string is its faster route
 * (measured; see handoff.ts).
 *
 * @module
 */
import { toBufferView } from "./handoff.ts";
import type { RedisArg, RedisCommand, RedisPort } from "./redis_port.ts";

/** What ioredis's `exec()` resolves with: `[error, reply]` per command, or null. */
export type IoRedisExecReply = [Error | null, unknown][] | null;

/** The part of an ioredis pipeline this port uses. */
export interface IoRedisPipelineLike {
  /** Queues an XADD. */
  xadd(...args: RedisArg[]): unknown;
  /** Sends the pipeline. */
  exec(): Promise<IoRedisExecReply>;
}

/** The part of an ioredis `Redis` or `Cluster` this port uses. */
export interface IoRedisLike {
  /** A pipeline (on a cluster, its keys share one node). */
  pipeline(): IoRedisPipelineLike;
  /** A MULTI/EXEC of `commands` (`[name, ...args]`). */
  multi(commands: RedisArg[][]): { exec(): Promise<IoRedisExecReply> };
  /** Any command, bulk replies as `Buffer`. */
  callBuffer(command: string, ...args: RedisArg[]): Promise<unknown>;
  /** Any command, bulk replies as strings. */
  call(command: string, ...args: RedisArg[]): Promise<unknown>;
  /** MGET with `Buffer` values. */
  mgetBuffer(keys: readonly string[]): Promise<(Uint8Array | null)[]>;
  /** MGET with string values. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** Closes the connection(s). */
  quit(): Promise<unknown>;
}

function converted(arg: RedisArg): RedisArg {
  return typeof arg === "string" ? arg : toBufferView(arg, "ioredis");
}

function repliesOf(reply: IoRedisExecReply): unknown[] {
  if (reply === null) throw new Error("Cannot commit transaction: EXEC returned null");
  const values = new Array<unknown>(reply.length);
  for (let i = 0; i < reply.length; i++) {
    const [error, value] = reply[i];
    if (error !== null) throw error;
    values[i] = value;
  }
  return values;
}

/**
 * A {@linkcode RedisPort} over an ioredis `Redis` or `Cluster`.
 *
 * @example Run a command through a stand-in for ioredis
 * ```ts
 * import { IoRedisPort, type RedisArg } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * const calls: string[] = [];
 * const fake = {
 *   pipeline: () => ({ xadd: () => {}, exec: () => Promise.resolve([]) }),
 *   multi: () => ({ exec: () => Promise.resolve([]) }),
 *   callBuffer: (command: string, ...args: RedisArg[]) => {
 *     calls.push([command, ...args].join(" "));
 *     return Promise.resolve(1);
 *   },
 *   call: () => Promise.resolve("OK"),
 *   mgetBuffer: () => Promise.resolve([]),
 *   mget: () => Promise.resolve([]),
 *   quit: () => Promise.resolve("OK"),
 * };
 * const port = new IoRedisPort(fake);
 * assert.equal(await port.command("orders", ["XACK", "orders", "g", "1-0"]), 1);
 * assert.deepEqual(calls, ["XACK orders g 1-0"]);
 * ```
 */
export class IoRedisPort implements RedisPort {
  /** The client's name. */
  readonly client = "ioredis" as const;
  /** True: `callBuffer` replies with `Buffer`s. */
  readonly binaryReplies = true;
  #redis: IoRedisLike;

  /** Creates it. @param redis An ioredis `Redis` or `Cluster`. */
  constructor(redis: IoRedisLike) {
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
    const pipeline = this.#redis.pipeline();
    if (trim.length === 0) {
      for (let i = 0; i < count; i++) pipeline.xadd(stream, "*", field, converted(payloads[i]));
    } else {
      for (let i = 0; i < count; i++) {
        pipeline.xadd(stream, ...trim, "*", field, converted(payloads[i]));
      }
    }
    return repliesOf(await pipeline.exec()) as string[];
  }

  /** See {@linkcode RedisPort.transaction}. */
  async transaction(_key: string, commands: readonly RedisCommand[]): Promise<unknown[]> {
    // One array per command, filled in place (no slice/map/spread copies of long commands).
    const queued = new Array<RedisArg[]>(commands.length);
    for (let c = 0; c < commands.length; c++) {
      const command = commands[c];
      const args = new Array<RedisArg>(command.length);
      args[0] = (command[0] as string).toLowerCase();
      for (let i = 1; i < command.length; i++) args[i] = converted(command[i]);
      queued[c] = args;
    }
    return repliesOf(await this.#redis.multi(queued).exec());
  }

  /** See {@linkcode RedisPort.command}. */
  command(_key: string, args: RedisCommand): Promise<unknown> {
    return this.#redis.callBuffer(args[0] as string, ...args.slice(1).map(converted));
  }

  /** See {@linkcode RedisPort.commandText}. */
  commandText(_key: string, args: RedisCommand): Promise<unknown> {
    return this.#redis.call(args[0] as string, ...args.slice(1).map(converted));
  }

  /** See {@linkcode RedisPort.mget}. */
  mget(
    keys: readonly string[],
    count: number,
    asText: boolean,
  ): Promise<(Uint8Array | string | null)[]> {
    // ioredis copies the argument array itself (Command's args.flat()), so a
    // rented array of exactly `count` keys goes in as is.
    const exact = keys.length === count ? keys : keys.slice(0, count);
    return asText ? this.#redis.mget(exact) : this.#redis.mgetBuffer(exact);
  }

  /** See {@linkcode RedisPort.close}. */
  async close(): Promise<void> {
    await this.#redis.quit();
  }
}
