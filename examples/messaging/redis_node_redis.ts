/**
 * {@linkcode NodeRedisPort}: node-redis (`redis` 6). It rejects a plain
 * `Uint8Array` and needs a `Buffer`; it encodes at write time on
 * `setImmediate` and hands the `Buffer` to `socket.write` by reference, so
 * pooled bytes go back only after the promise settles. Like ioredis, JSON is
 * faster as a string for it (measured; see handoff.ts).
 *
 * @module
 */
import { rentArray } from "../../pool/mod.ts";
import { toBufferView } from "../../messaging/handoff.ts";
import {
  parseReadGroupReply,
  readGroupArgs,
  type RedisArg,
  type RedisPort,
  type StreamEntry,
} from "./redis_port.ts";

/** The part of a node-redis multi this port uses. */
export interface NodeRedisMultiLike {
  addCommand(args: RedisArg[]): NodeRedisMultiLike;
  exec(): Promise<unknown[]>;
  execAsPipeline(): Promise<unknown[]>;
}

/** The part of a node-redis client this port uses. */
export interface NodeRedisLike {
  multi(): NodeRedisMultiLike;
  sendCommand(args: RedisArg[]): Promise<unknown>;
  close(): Promise<unknown>;
}

function converted(arg: RedisArg): RedisArg {
  return typeof arg === "string" ? arg : toBufferView(arg, "node-redis");
}

/**
 * A {@linkcode RedisPort} over node-redis. Give it two views of one
 * connection: `redis` for commands, and `bytes` made with
 * `redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })` for replies
 * read as bytes.
 */
export class NodeRedisPort implements RedisPort {
  readonly client = "node-redis" as const;
  readonly binaryReplies = true;
  #redis: NodeRedisLike;
  #bytes: NodeRedisLike;

  constructor(redis: NodeRedisLike, bytes: NodeRedisLike) {
    this.#redis = redis;
    this.#bytes = bytes;
  }

  async xaddBatch(
    stream: string,
    field: string,
    payloads: readonly RedisArg[],
    count: number,
  ): Promise<string[]> {
    const multi = this.#redis.multi();
    for (let i = 0; i < count; i++) {
      multi.addCommand(["XADD", stream, "*", field, converted(payloads[i])]);
    }
    return (await multi.execAsPipeline()) as string[];
  }

  async transaction(commands: readonly (readonly RedisArg[])[]): Promise<unknown[]> {
    const multi = this.#redis.multi();
    for (const command of commands) multi.addCommand(command.map(converted));
    return await multi.exec();
  }

  command(args: readonly RedisArg[]): Promise<unknown> {
    return this.#bytes.sendCommand(args.map(converted));
  }

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
    const client = asText ? this.#redis : this.#bytes;
    return (await client.sendCommand(args.items)) as (Uint8Array | string | null)[];
  }

  async readGroup(
    stream: string,
    group: string,
    consumer: string,
    count: number,
    field: string,
  ): Promise<StreamEntry[]> {
    const reply = await this.#bytes.sendCommand([
      "XREADGROUP",
      ...readGroupArgs(stream, group, consumer, count),
    ]);
    return parseReadGroupReply(reply, field);
  }

  async close(): Promise<void> {
    await this.#redis.close();
  }
}
