/**
 * {@linkcode IoRedisPort}: ioredis 6. It needs a `Buffer` (a plain
 * `Uint8Array` is silently stored as the text "65,66,…"), and keeps references
 * to argument buffers in its offline queue, in auto-pipelining and inside a
 * pipeline until `exec()`, so pooled bytes go back only after the promise
 * settles. It copies every argument itself (`Buffer.allocUnsafe` + copy per
 * command, `Buffer.concat` per pipeline), so for JSON a `JSON.stringify`
 * string is its faster route (measured; see handoff.ts).
 *
 * @module
 */
import { toBufferView } from "../../messaging/handoff.ts";
import {
  parseReadGroupReply,
  readGroupArgs,
  type RedisArg,
  type RedisPort,
  type StreamEntry,
} from "./redis_port.ts";

type Reply = [Error | null, unknown][] | null;

/** The part of an ioredis pipeline this port uses. */
export interface IoRedisPipelineLike {
  xadd(...args: RedisArg[]): unknown;
  exec(): Promise<Reply>;
}

/** The part of an ioredis client this port uses. */
export interface IoRedisLike {
  pipeline(): IoRedisPipelineLike;
  multi(commands: RedisArg[][]): { exec(): Promise<Reply> };
  callBuffer(command: string, ...args: RedisArg[]): Promise<unknown>;
  mgetBuffer(keys: readonly string[]): Promise<(Uint8Array | null)[]>;
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  quit(): Promise<unknown>;
}

function converted(arg: RedisArg): RedisArg {
  return typeof arg === "string" ? arg : toBufferView(arg, "ioredis");
}

function repliesOf(reply: Reply): unknown[] {
  if (reply === null) throw new Error("Cannot commit transaction: EXEC returned null");
  const values = new Array<unknown>(reply.length);
  for (let i = 0; i < reply.length; i++) {
    const [error, value] = reply[i];
    if (error !== null) throw error;
    values[i] = value;
  }
  return values;
}

/** A {@linkcode RedisPort} over an ioredis client. */
export class IoRedisPort implements RedisPort {
  readonly client = "ioredis" as const;
  readonly binaryReplies = true;
  #redis: IoRedisLike;

  constructor(redis: IoRedisLike) {
    this.#redis = redis;
  }

  async xaddBatch(
    stream: string,
    field: string,
    payloads: readonly RedisArg[],
    count: number,
  ): Promise<string[]> {
    const pipeline = this.#redis.pipeline();
    for (let i = 0; i < count; i++) pipeline.xadd(stream, "*", field, converted(payloads[i]));
    return repliesOf(await pipeline.exec()) as string[];
  }

  async transaction(commands: readonly (readonly RedisArg[])[]): Promise<unknown[]> {
    const multi = this.#redis.multi(
      commands.map((
        command,
      ) => [(command[0] as string).toLowerCase(), ...command.slice(1).map(converted)]),
    );
    return repliesOf(await multi.exec());
  }

  command(args: readonly RedisArg[]): Promise<unknown> {
    return this.#redis.callBuffer(args[0] as string, ...args.slice(1).map(converted));
  }

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

  async readGroup(
    stream: string,
    group: string,
    consumer: string,
    count: number,
    field: string,
  ): Promise<StreamEntry[]> {
    const reply = await this.#redis.callBuffer(
      "XREADGROUP",
      ...readGroupArgs(stream, group, consumer, count),
    );
    return parseReadGroupReply(reply, field);
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}
