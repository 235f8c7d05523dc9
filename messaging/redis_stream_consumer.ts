/**
 * {@linkcode RedisStreamConsumer}: one consumer of a Redis Streams consumer
 * group, crash-safe:
 *
 * - blocking reads (`XREADGROUP … BLOCK`) on a connection of its own: a
 *   blocked connection can carry nothing else, so the port given to a
 *   consumer must not be shared;
 * - an entry is acknowledged (XACK) only after its handler resolved; one that
 *   throws stays pending and comes back;
 * - entries left pending by a consumer that died (or whose handler threw) are
 *   taken over with `XAUTOCLAIM` once idle for `claimIdleMs`;
 * - after `maxDeliveries` deliveries, or at once for a payload that cannot be
 *   decoded, the entry goes to a dead-letter stream with its error, and is
 *   acknowledged: nothing is retried forever;
 * - a lost connection is retried with a growing backoff; nothing is acked
 *   that was not handled, so a redelivery may follow (put an inbox behind
 *   the handler for effectively-once handling);
 * - {@linkcode RedisStreamConsumer.stop} stops reading, lets in-flight
 *   handlers finish and acknowledges them.
 *
 * Handlers of one batch run concurrently; batches run one after another.
 *
 * @module
 */
import type { MessageSerializer } from "../serializers/mod.ts";
import { HAND_OFF_RULES } from "./handoff.ts";
import {
  parseReadGroupReply,
  parseStreamEntries,
  type RedisArg,
  type RedisPort,
  replyText,
  type StreamEntry,
} from "./redis_port.ts";

/** What a handler learns about the entry besides the message. */
export interface DeliveryInfo {
  /** The stream entry id. */
  readonly id: string;
  /** How many times the entry has been delivered, this time included (1 the first time). */
  readonly deliveries: number;
}

/** Options for {@linkcode RedisStreamConsumer}. */
export interface RedisStreamConsumerOptions {
  /** The stream key. */
  stream: string;
  /** The consumer group (created from the stream's start if missing). */
  group: string;
  /** This consumer's name in the group; unique per process. */
  consumer: string;
  /** Decodes payloads. */
  serializer: MessageSerializer;
  /** Handles one message; the entry is acknowledged once this resolves. */
  handler: (message: unknown, delivery: DeliveryInfo) => void | Promise<void>;
  /** The entry field holding the payload. Default "d". */
  field?: string;
  /** Entries per read. Default 64. */
  batchSize?: number;
  /** How long a read blocks when the stream is empty, in ms (also bounds `stop()`). Default 1000. */
  blockMs?: number;
  /** Deliveries before an entry is dead-lettered. Default 5. */
  maxDeliveries?: number;
  /** How long an entry stays pending before another consumer claims it, in ms. Default 30,000. */
  claimIdleMs?: number;
  /** The dead-letter stream. Default `<stream>:dead` (same hash tag, same slot). */
  deadLetterStream?: string;
  /** The first retry after a failed read waits this long, doubling up to `retryMaxMs`. Default 50. */
  retryMinMs?: number;
  /** The longest wait between retries after failures. Default 2000. */
  retryMaxMs?: number;
  /** Called with every error the loop survives (lost connection, handler failure). */
  onError?: (error: unknown) => void;
}

/** Counters of what a {@linkcode RedisStreamConsumer} did. */
export interface ConsumerStats {
  /** Entries handled and acknowledged. */
  handled: number;
  /** Handler failures left pending for a redelivery. */
  failed: number;
  /** Entries moved to the dead-letter stream. */
  deadLettered: number;
  /** Entries taken over from idle consumers. */
  claimed: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function positiveInteger(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(
      `Cannot create the consumer: ${name} must be a positive integer, got ${value}`,
    );
  }
  return value;
}

/**
 * A crash-safe Redis Streams consumer (see the module doc).
 *
 * @example Consume through a stand-in for Bun's client
 * ```ts
 * import { BunRedisPort, type RedisArg, RedisStreamConsumer } from "@catga/memory/messaging";
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * // A fake server holding two entries; the second cannot be decoded.
 * const acked: string[] = [];
 * const dead: string[] = [];
 * let unread = [["1-0", ["d", '{"id":1}']], ["2-0", ["d", "{oops"]]];
 * const port = new BunRedisPort({
 *   send: (command: string, args: RedisArg[]) => {
 *     if (command === "XREADGROUP") {
 *       const entries = unread;
 *       unread = [];
 *       if (entries.length > 0) return Promise.resolve([["orders", entries]]);
 *       return new Promise((resolve) => setTimeout(() => resolve(null), 10)); // BLOCK timed out
 *     }
 *     if (command === "XACK") acked.push(...args.slice(2).map(String));
 *     if (command === "XADD") dead.push(String(args[3]));
 *     if (command === "XAUTOCLAIM") return Promise.resolve(["0-0", [], []]);
 *     return Promise.resolve("OK");
 *   },
 *   getBuffer: () => Promise.resolve(null),
 *   close: () => {},
 * });
 * const seen: unknown[] = [];
 * const consumer = new RedisStreamConsumer(port, {
 *   stream: "orders",
 *   group: "billing",
 *   consumer: "c1",
 *   serializer: new JsonSerializer(),
 *   handler: (message) => void seen.push(message),
 *   blockMs: 10,
 * });
 * const running = consumer.start();
 * while (acked.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
 * await consumer.stop();
 * await running;
 * assert.deepEqual(seen, [{ id: 1 }]);
 * assert.deepEqual(acked.sort(), ["1-0", "2-0"]);
 * assert.deepEqual(dead, ["{oops"]); // with its error, in "orders:dead"
 * ```
 */
export class RedisStreamConsumer {
  /** Counters, updated as the consumer goes. */
  readonly stats: ConsumerStats = { handled: 0, failed: 0, deadLettered: 0, claimed: 0 };
  #port: RedisPort;
  #stream: string;
  #group: string;
  #consumer: string;
  #serializer: MessageSerializer;
  #isJson: boolean;
  /**
   * Read replies as strings: JSON on a client whose string decoding beats
   * bytes decoded here (ioredis, node-redis: measured), or Bun (text anyway).
   */
  #textReplies: boolean;
  #handler: (message: unknown, delivery: DeliveryInfo) => void | Promise<void>;
  #field: string;
  #batchSize: string;
  #blockMs: string;
  #maxDeliveries: number;
  #claimIdleMs: number;
  #deadLetter: string;
  #retryMinMs: number;
  #retryMaxMs: number;
  #onError: (error: unknown) => void;
  #running = false;
  #loop: Promise<void> | undefined;
  #claimCursor = "0-0";
  #nextClaimAt = 0;

  /**
   * Creates it.
   *
   * @param port A connection of its own: blocking reads hold it.
   * @param options The stream, group, handler and limits.
   * @throws {TypeError} When `port` replies with text and the serializer needs bytes.
   * @throws {RangeError} When a count or time is not positive.
   */
  constructor(port: RedisPort, options: RedisStreamConsumerOptions) {
    this.#port = port;
    this.#stream = options.stream;
    this.#group = options.group;
    this.#consumer = options.consumer;
    this.#serializer = options.serializer;
    this.#isJson = options.serializer.contentType === "application/json";
    if (!port.binaryReplies && !this.#isJson) {
      throw new TypeError(
        `Cannot consume ${options.serializer.contentType} through ${port.client}: its replies are text; use a binary-safe client`,
      );
    }
    this.#textReplies = this.#isJson &&
      (!port.binaryReplies || HAND_OFF_RULES[port.client].jsonAsString);
    this.#handler = options.handler;
    this.#field = options.field ?? "d";
    this.#batchSize = String(positiveInteger("batchSize", options.batchSize ?? 64));
    this.#blockMs = String(positiveInteger("blockMs", options.blockMs ?? 1000));
    this.#maxDeliveries = positiveInteger("maxDeliveries", options.maxDeliveries ?? 5);
    this.#claimIdleMs = positiveInteger("claimIdleMs", options.claimIdleMs ?? 30_000);
    this.#deadLetter = options.deadLetterStream ?? `${options.stream}:dead`;
    this.#retryMinMs = positiveInteger("retryMinMs", options.retryMinMs ?? 50);
    this.#retryMaxMs = positiveInteger("retryMaxMs", options.retryMaxMs ?? 2000);
    this.#onError = options.onError ?? (() => {});
  }

  /** The dead-letter stream's key. */
  get deadLetterStream(): string {
    return this.#deadLetter;
  }

  /** Creates the consumer group (reading from the stream's start) unless it exists. */
  async ensureGroup(): Promise<void> {
    try {
      await this.#port.command(this.#stream, [
        "XGROUP",
        "CREATE",
        this.#stream,
        this.#group,
        "0",
        "MKSTREAM",
      ]);
    } catch (error) {
      if (!String((error as Error).message).includes("BUSYGROUP")) throw error;
    }
  }

  /**
   * Reads and handles until {@linkcode stop}; resolves when stopped. Survives
   * lost connections (retrying with backoff).
   */
  start(): Promise<void> {
    if (this.#loop !== undefined) return this.#loop;
    this.#running = true;
    this.#loop = this.#run();
    return this.#loop;
  }

  /**
   * Stops reading, waits for the in-flight handlers and their acks (at most
   * one blocked read, `blockMs`, plus the handlers).
   */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  async #run(): Promise<void> {
    let backoff = this.#retryMinMs;
    let grouped = false;
    while (this.#running) {
      try {
        if (!grouped) {
          await this.ensureGroup();
          grouped = true;
        }
        await this.poll();
        backoff = this.#retryMinMs;
      } catch (error) {
        this.#onError(error);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, this.#retryMaxMs);
      }
    }
  }

  /**
   * One round: claims idle entries when it is time, else reads new ones
   * (blocking up to `blockMs`), then handles and acknowledges them. For a
   * loop of your own (tests, batch jobs); not while {@linkcode start} runs,
   * which calls it in turn on the same connection.
   *
   * @returns How many entries were handled, failed or dead-lettered.
   */
  async poll(): Promise<number> {
    if (Date.now() >= this.#nextClaimAt) {
      const claimed = await this.#claim();
      if (claimed > 0) return claimed;
    }
    const reply = await this.#read([
      "XREADGROUP",
      "GROUP",
      this.#group,
      this.#consumer,
      "COUNT",
      this.#batchSize,
      "BLOCK",
      this.#blockMs,
      "STREAMS",
      this.#stream,
      ">",
    ]);
    const entries = parseReadGroupReply(reply, this.#field);
    if (entries.length === 0) return 0;
    await this.#handleAll(entries, null);
    return entries.length;
  }

  #read(args: readonly string[]): Promise<unknown> {
    return this.#textReplies
      ? this.#port.commandText(this.#stream, args)
      : this.#port.command(this.#stream, args);
  }

  /** XAUTOCLAIM of entries idle past `claimIdleMs`, with their delivery counts. */
  async #claim(): Promise<number> {
    const reply = (await this.#read([
      "XAUTOCLAIM",
      this.#stream,
      this.#group,
      this.#consumer,
      String(this.#claimIdleMs),
      this.#claimCursor,
      "COUNT",
      this.#batchSize,
    ])) as unknown[];
    const next = replyText(reply[0]);
    this.#claimCursor = next;
    // A full sweep done: look again after a fraction of the idle time.
    if (next === "0-0") this.#nextClaimAt = Date.now() + Math.min(this.#claimIdleMs / 4, 5000);
    const entries = parseStreamEntries(reply[1], this.#field);
    if (entries.length === 0) return 0;
    this.stats.claimed += entries.length;
    const deliveries = await this.#deliveryCounts(entries);
    await this.#handleAll(entries, deliveries);
    return entries.length;
  }

  /** Delivery counts of claimed entries (XPENDING over their id range, for this consumer). */
  async #deliveryCounts(entries: readonly StreamEntry[]): Promise<Map<string, number>> {
    const pending = (await this.#port.command(this.#stream, [
      "XPENDING",
      this.#stream,
      this.#group,
      entries[0].id,
      entries[entries.length - 1].id,
      String(entries.length * 4 + 16),
      this.#consumer,
    ])) as unknown[][];
    const counts = new Map<string, number>();
    for (const row of pending ?? []) counts.set(replyText(row[0]), Number(replyText(row[3])));
    return counts;
  }

  async #handleAll(
    entries: readonly StreamEntry[],
    deliveries: Map<string, number> | null,
  ): Promise<void> {
    // Handlers that return synchronously cost no promise here; async ones run concurrently.
    const count = entries.length;
    const outcomes = new Array<boolean | Promise<boolean>>(count);
    let pending = false;
    for (let i = 0; i < count; i++) {
      const outcome = this.#handleOne(entries[i], deliveries?.get(entries[i].id) ?? 1);
      outcomes[i] = outcome;
      if (outcome !== true && outcome !== false) pending = true;
    }
    const settled = pending ? await Promise.all(outcomes) : outcomes as boolean[];
    const ack: RedisArg[] = ["XACK", this.#stream, this.#group];
    for (let i = 0; i < count; i++) if (settled[i]) ack.push(entries[i].id);
    if (ack.length > 3) await this.#port.command(this.#stream, ack);
  }

  /** Handles one entry; true when it may be acknowledged (a promise only if the handler is async). */
  #handleOne(entry: StreamEntry, deliveries: number): boolean | Promise<boolean> {
    if (entry.payload === undefined) return true; // deleted or trimmed since delivered
    if (deliveries > this.#maxDeliveries) {
      return this.#toDeadLetter(
        entry,
        deliveries,
        new Error(
          `Cannot handle entry ${entry.id}: delivered ${deliveries} times, more than maxDeliveries ${this.#maxDeliveries}, without being acknowledged`,
        ),
      );
    }
    let message: unknown;
    try {
      message = this.#decode(entry.payload, entry.id);
    } catch (error) {
      return this.#toDeadLetter(entry, deliveries, error);
    }
    let result: void | Promise<void>;
    try {
      result = this.#handler(message, { id: entry.id, deliveries });
    } catch (error) {
      return this.#failed(entry, deliveries, error);
    }
    if (result === undefined || typeof (result as { then?: unknown }).then !== "function") {
      this.stats.handled++;
      return true;
    }
    return (result as Promise<void>).then(
      () => {
        this.stats.handled++;
        return true;
      },
      (error) => this.#failed(entry, deliveries, error),
    );
  }

  /** A handler failure: left pending for a redelivery, or dead-lettered at the maximum. */
  #failed(entry: StreamEntry, deliveries: number, error: unknown): boolean | Promise<boolean> {
    this.#onError(error);
    if (deliveries >= this.#maxDeliveries) return this.#toDeadLetter(entry, deliveries, error);
    this.stats.failed++;
    return false;
  }

  #decode(payload: Uint8Array | string, id: string): unknown {
    if (typeof payload !== "string") return this.#serializer.deserialize(payload);
    if (this.#isJson) return JSON.parse(payload);
    throw new TypeError(
      `Cannot decode entry ${id}: ${this.#port.client} returned text, and ${this.#serializer.contentType} needs bytes`,
    );
  }

  /**
   * XADDs the entry to the dead-letter stream with its error; true once
   * stored (then the entry may be acknowledged), false if that failed.
   */
  async #toDeadLetter(entry: StreamEntry, deliveries: number, error: unknown): Promise<boolean> {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    try {
      await this.#port.command(this.#deadLetter, [
        "XADD",
        this.#deadLetter,
        "*",
        this.#field,
        entry.payload as RedisArg,
        "error",
        reason,
        "source",
        `${this.#stream} ${entry.id}`,
        "deliveries",
        String(deliveries),
      ]);
    } catch (failure) {
      this.#onError(failure);
      return false;
    }
    this.stats.deadLettered++;
    return true;
  }
}
