/**
 * {@linkcode BunRedisPort}: Bun's built-in `RedisClient`. It takes a plain
 * `Uint8Array` (only the view's bytes are sent) and copies every argument
 * before `send` returns, in every connection state, so pooled bytes may go
 * back as soon as the call returns, and one argument array can be reused for
 * a whole batch.
 *
 * @module
 */
import { rentArray } from "../../pool/mod.ts";
import { toPlainBytes } from "../../messaging/handoff.ts";
import {
  parseReadGroupReply,
  readGroupArgs,
  type RedisArg,
  type RedisPort,
  type StreamEntry,
} from "./redis_port.ts";

/** The part of Bun's `RedisClient` this port uses. */
export interface BunRedisClientLike {
  send(command: string, args: RedisArg[]): Promise<unknown>;
  getBuffer(key: string): Promise<Uint8Array | null>;
  close(): void;
}

function checked(arg: RedisArg): RedisArg {
  return typeof arg === "string" ? arg : toPlainBytes(arg, "bun");
}

/** A {@linkcode RedisPort} over Bun's `RedisClient`. */
export class BunRedisPort implements RedisPort {
  readonly client = "bun" as const;
  readonly binaryReplies = false;
  #redis: BunRedisClientLike;
  /** Reused for every XADD: Bun copies the arguments before `send` returns. */
  #xaddArgs: RedisArg[] = ["", "*", "", ""];

  constructor(redis: BunRedisClientLike) {
    this.#redis = redis;
  }

  async xaddBatch(
    stream: string,
    field: string,
    payloads: readonly RedisArg[],
    count: number,
  ): Promise<string[]> {
    const args = this.#xaddArgs;
    args[0] = stream;
    args[2] = field;
    using pending = rentArray<Promise<unknown>>(count);
    const items = pending.items;
    try {
      for (let i = 0; i < count; i++) {
        args[3] = checked(payloads[i]);
        items[i] = this.#redis.send("XADD", args);
      }
    } finally {
      args[3] = "";
    }
    const ids = await Promise.all(items);
    return ids as string[];
  }

  async transaction(commands: readonly (readonly RedisArg[])[]): Promise<unknown[]> {
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

  command(args: readonly RedisArg[]): Promise<unknown> {
    return this.#redis.send(args[0] as string, args.slice(1).map(checked));
  }

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

  async readGroup(
    stream: string,
    group: string,
    consumer: string,
    count: number,
    field: string,
  ): Promise<StreamEntry[]> {
    const reply = await this.#redis.send(
      "XREADGROUP",
      readGroupArgs(stream, group, consumer, count),
    );
    return parseReadGroupReply(reply, field);
  }

  close(): Promise<void> {
    this.#redis.close();
    return Promise.resolve();
  }
}
