/**
 * {@linkcode JetStreamConsumer}: a durable JetStream pull consumer
 * (`AckPolicy.Explicit`) that hands each message to a handler and settles it
 * only after the handler is done:
 *
 * - handled: `ack`;
 * - the handler threw: `nak` with a delay from `redeliveryBackoff`, so the
 *   stream redelivers it later; on its `maxDeliveries`-th delivery it goes to
 *   the dead letter instead;
 * - the payload does not decode: straight to the dead letter (no retry can
 *   fix it);
 * - dead letter: the original payload and headers are published, with the
 *   error in `Catga-Dead-Letter-*` headers, to the dead-letter subject (acked by
 *   its stream), and only then is the message `term`ed. If that publish fails
 *   the message is `nak`ed and tried again later: nothing is lost.
 *
 * Nothing is acked before it is handled. A lost connection ends the pull; it
 * is started again with backoff, and a message whose ack did not reach the
 * server is redelivered after the consumer's `ack_wait` (at least once: use an
 * inbox for effectively once). {@linkcode JetStreamConsumer.stop} stops pulling,
 * then handles and acks what was already pulled (at most `maxMessages`; keep it
 * small for slow handlers, so that a shutdown stays short) and the handlers in
 * flight.
 *
 * The nats.js consumer (`js.consumers.get(stream, durable)`) is passed in and
 * typed structurally. Give the durable consumer `max_deliver` above
 * `maxDeliveries` (or -1): the server stops redelivering at `max_deliver`, and
 * a message that reaches it without a dead letter would stay unhandled.
 *
 * @module
 */
import type { MessageSerializer } from "../serializers/mod.ts";
import type { JetStreamClientLike, NatsHeadersLike } from "./nats_jetstream.ts";

/** What nats.js reports about a delivery (`JsMsg.info`). */
export interface JetStreamDeliveryInfoLike {
  /** The stream the message is stored in. */
  readonly stream: string;
  /** The durable consumer's name. */
  readonly consumer: string;
  /** Which delivery this is: 1 the first, 2 the first redelivery. */
  readonly deliveryCount: number;
  /** The message's sequence in the stream. */
  readonly streamSequence: number;
}

/** The read-only part of a nats.js `JsMsg` a handler gets. */
export interface JetStreamDeliveryLike {
  /** The subject it was published to. */
  readonly subject: string;
  /** Its headers (`Nats-Msg-Id` among them), if any. */
  readonly headers?: NatsHeadersLike | undefined;
  /** The delivery: stream, consumer, count, sequence. */
  readonly info: JetStreamDeliveryInfoLike;
}

/** The part of a nats.js `JsMsg` the consumer uses. */
export interface JetStreamMsgLike extends JetStreamDeliveryLike {
  /** The payload; valid while the message is being handled. */
  readonly data: Uint8Array;
  /** Acknowledges: the stream will not deliver it again. */
  ack(): void;
  /** Negative ack: redeliver, after `millis` if given. */
  nak(millis?: number): void;
  /** Terminates: never deliver it again. */
  term(): void;
  /** Resets the ack timer (`ack_wait`) while a handler is still busy. */
  working(): void;
}

/** The part of nats.js `ConsumerMessages` the consumer uses. */
export interface JetStreamMessagesLike extends AsyncIterable<JetStreamMsgLike> {
  /** Stops pulling; messages already pulled are still yielded, then iteration ends. */
  close(): Promise<void | Error>;
}

/** The pull options the consumer passes to nats.js `consume`. */
export interface JetStreamPullOptionsLike {
  /** Messages pulled ahead of the handler. */
  max_messages: number;
  /** Milliseconds each pull request lives. */
  expires: number;
}

/** The part of a nats.js pull `Consumer` (`js.consumers.get(stream, durable)`) used. */
export interface JetStreamPullConsumerLike {
  /** Starts pulling. */
  consume(options: JetStreamPullOptionsLike): Promise<JetStreamMessagesLike>;
}

/** Where dead letters go. */
export interface DeadLetterOptions {
  /** Publishes the dead letters: nats.js `jetstream(nc)`; a stream must capture `subject`. */
  publisher: JetStreamClientLike;
  /** The dead-letter subject. */
  subject: string;
  /** Makes an empty headers object: nats.js `headers` from `@nats-io/transport-node`. */
  headers: () => NatsHeadersLike;
}

/**
 * The headers a dead letter carries besides the original ones.
 *
 * @example Read why a message was dead-lettered
 * ```ts
 * import { DEAD_LETTER_HEADERS } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * // A dead letter's headers, as a consumer of the dead-letter stream sees them.
 * const headers = new Map([
 *   [DEAD_LETTER_HEADERS.reason, "max-deliveries"],
 *   [DEAD_LETTER_HEADERS.error, "Error: payment declined"],
 *   [DEAD_LETTER_HEADERS.reservedPrefix + "Nats-Msg-Id", "order-42"],
 * ]);
 * assert.equal(headers.get("Catga-Dead-Letter-Reason"), "max-deliveries");
 * assert.equal(headers.get("Catga-Original-Nats-Msg-Id"), "order-42");
 * ```
 */
export const DEAD_LETTER_HEADERS: {
  readonly error: "Catga-Dead-Letter-Error";
  readonly errorName: "Catga-Dead-Letter-Error-Name";
  readonly reason: "Catga-Dead-Letter-Reason";
  readonly deliveries: "Catga-Dead-Letter-Deliveries";
  readonly subject: "Catga-Original-Subject";
  readonly stream: "Catga-Original-Stream";
  readonly sequence: "Catga-Original-Sequence";
  readonly consumer: "Catga-Original-Consumer";
  readonly reservedPrefix: "Catga-Original-";
} = Object.freeze({
  error: "Catga-Dead-Letter-Error",
  errorName: "Catga-Dead-Letter-Error-Name",
  reason: "Catga-Dead-Letter-Reason",
  deliveries: "Catga-Dead-Letter-Deliveries",
  subject: "Catga-Original-Subject",
  stream: "Catga-Original-Stream",
  sequence: "Catga-Original-Sequence",
  consumer: "Catga-Original-Consumer",
  /** Original `Nats-*` headers are kept under this prefix (the server acts on `Nats-*`). */
  reservedPrefix: "Catga-Original-",
});

/** Why a message went to the dead letter. */
export type DeadLetterReason = "decode" | "max-deliveries";

/** Handles one decoded message; throw (or reject) to have it redelivered. */
export type JetStreamHandler = (
  message: unknown,
  delivery: JetStreamDeliveryLike,
) => void | Promise<void>;

/** Options for {@linkcode JetStreamConsumer}. */
export interface JetStreamConsumerOptions {
  /** Turns payloads back into messages. */
  serializer: MessageSerializer;
  /** Handles each message. */
  handler: JetStreamHandler;
  /** Where messages that cannot be handled go. */
  deadLetter: DeadLetterOptions;
  /**
   * The delivery on which a handler failure sends the message to the dead
   * letter instead of a redelivery (default 5). Keep the durable consumer's
   * `max_deliver` above it, or -1.
   */
  maxDeliveries?: number;
  /**
   * Milliseconds to wait before redelivering after the n-th failed delivery
   * (`redeliveryBackoff[n - 1]`, the last repeats; default
   * `[250, 1000, 5000, 15000]`).
   */
  redeliveryBackoff?: readonly number[];
  /** Milliseconds between pull restarts after a lost connection (the last repeats). */
  reconnectBackoff?: readonly number[];
  /** Handlers running at once (default 1: in stream order). */
  concurrency?: number;
  /** Messages pulled ahead of the handlers (default 100). */
  maxMessages?: number;
  /** Milliseconds each pull request lives (default 30,000; nats.js wants >= 1,000). */
  expires?: number;
  /**
   * While a handler runs longer than this many milliseconds, the message's ack
   * timer is reset (`working()`) every such interval; keep it below the
   * consumer's `ack_wait`. Default: off.
   */
  workingInterval?: number;
  /**
   * Flushes the connection after {@linkcode JetStreamConsumer.stop}'s last
   * acks: nats.js `nc.flush`, so that they reach the server before the
   * process exits.
   */
  flush?: () => Promise<void>;
  /** Told about handler errors, dead letters and lost pulls (default: ignore). */
  onError?: (error: unknown, delivery?: JetStreamDeliveryLike) => void;
}

const DEFAULT_REDELIVERY_BACKOFF: readonly number[] = [250, 1000, 5000, 15000];
const DEFAULT_RECONNECT_BACKOFF: readonly number[] = [50, 100, 250, 500, 1000, 2000, 5000];
/** Header values are one line (nats.js rejects CR and LF), and kept short. */
const MAX_HEADER_VALUE = 1024;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot use ${name} ${value}: it must be an integer >= 1`);
  }
  return value;
}

function delays(name: string, values: readonly number[]): readonly number[] {
  if (values.length === 0 || values.some((v) => !(Number.isFinite(v) && v >= 0))) {
    throw new RangeError(`Cannot use ${name}: it must list at least one delay >= 0 in ms`);
  }
  return values;
}

const pick = (list: readonly number[], index: number): number =>
  list[Math.min(index, list.length - 1)];

function oneLine(text: string): string {
  const line = text.replace(/[\r\n]+/g, " ");
  return line.length > MAX_HEADER_VALUE ? line.slice(0, MAX_HEADER_VALUE) : line;
}

/**
 * Consumes a durable JetStream pull consumer: ack after the handler, nak with
 * backoff on failure, dead letter after the maximum deliveries or at once for
 * a payload that does not decode. See the module doc.
 *
 * @example With structural fakes of a nats.js consumer and `jetstream(nc)`
 * ```ts
 * import { JetStreamConsumer, type JetStreamMsgLike } from "@catga/memory/messaging";
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import assert from "node:assert/strict";
 *
 * const settled: string[] = [];
 * const message = (seq: number, text: string): JetStreamMsgLike => ({
 *   subject: "orders",
 *   data: new TextEncoder().encode(text),
 *   info: { stream: "ORDERS", consumer: "worker", deliveryCount: 1, streamSequence: seq },
 *   ack: () => void settled.push(`ack ${seq}`),
 *   nak: (ms) => void settled.push(`nak ${seq} ${ms}`),
 *   term: () => void settled.push(`term ${seq}`),
 *   working() {},
 * });
 * const pulled = [message(1, '{"n":1}'), message(2, "{oops"), message(3, '{"n":3}')];
 * let endPull = () => {};
 * const pullEnded = new Promise<void>((resolve) => endPull = resolve);
 * const consumer = {
 *   consume: () =>
 *     Promise.resolve({
 *       async *[Symbol.asyncIterator]() {
 *         yield* pulled;
 *         await pullEnded; // a live pull waits for more until closed
 *       },
 *       close: () => Promise.resolve(endPull()),
 *     }),
 * };
 * const deadLetters: string[] = [];
 * const headerMap = () => {
 *   const map = new Map<string, string[]>();
 *   return {
 *     get: (k: string) => map.get(k)?.[0] ?? "",
 *     set: (k: string, v: string) => void map.set(k, [v]),
 *     append: (k: string, v: string) => void map.set(k, [...(map.get(k) ?? []), v]),
 *     keys: () => [...map.keys()],
 *     values: (k: string) => map.get(k) ?? [],
 *   };
 * };
 * const handled: unknown[] = [];
 * const worker = new JetStreamConsumer(consumer, {
 *   serializer: new JsonSerializer(),
 *   handler: (m) => {
 *     if ((m as { n: number }).n === 3) throw new Error("try later");
 *     handled.push(m);
 *   },
 *   redeliveryBackoff: [100],
 *   deadLetter: {
 *     subject: "orders.dead",
 *     headers: headerMap,
 *     publisher: {
 *       publish: (_s: string, _p?: Uint8Array | string, o?: { headers?: { get(k: string): string } }) => {
 *         deadLetters.push(o!.headers!.get("Catga-Dead-Letter-Error-Name"));
 *         return Promise.resolve({ stream: "DLQ", seq: 1, duplicate: false });
 *       },
 *     },
 *   },
 * });
 * const running = worker.run();
 * while (settled.length < 3) await new Promise((resolve) => setTimeout(resolve, 1));
 * await worker.stop();
 * await running;
 * assert.deepEqual(handled, [{ n: 1 }]);
 * assert.deepEqual(settled, ["ack 1", "term 2", "nak 3 100"]);
 * assert.deepEqual(deadLetters, ["SyntaxError"]);
 * ```
 */
export class JetStreamConsumer {
  #consumer: JetStreamPullConsumerLike;
  #serializer: MessageSerializer;
  #handler: JetStreamHandler;
  #deadLetter: DeadLetterOptions;
  #maxDeliveries: number;
  #redeliveryBackoff: readonly number[];
  #reconnectBackoff: readonly number[];
  #concurrency: number;
  #pull: JetStreamPullOptionsLike;
  #workingInterval: number | undefined;
  #flush: (() => Promise<void>) | undefined;
  #onError: (error: unknown, delivery?: JetStreamDeliveryLike) => void;

  #running: Promise<void> | undefined;
  #stopping = false;
  #messages: JetStreamMessagesLike | undefined;
  #inFlight = new Set<Promise<void>>();
  #wakeSleep: (() => void) | undefined;

  /**
   * A consumer over a durable pull consumer; call {@linkcode run} to start it.
   *
   * @param consumer A nats.js pull consumer (`await js.consumers.get(stream, durable)`).
   * @param options Serializer, handler, dead letter and limits.
   * @throws {RangeError} When a count is not a positive integer or a delay list is empty.
   */
  constructor(consumer: JetStreamPullConsumerLike, options: JetStreamConsumerOptions) {
    this.#consumer = consumer;
    this.#serializer = options.serializer;
    this.#handler = options.handler;
    this.#deadLetter = options.deadLetter;
    this.#maxDeliveries = positiveInteger("maxDeliveries", options.maxDeliveries ?? 5);
    this.#redeliveryBackoff = delays(
      "redeliveryBackoff",
      options.redeliveryBackoff ?? DEFAULT_REDELIVERY_BACKOFF,
    );
    this.#reconnectBackoff = delays(
      "reconnectBackoff",
      options.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF,
    );
    this.#concurrency = positiveInteger("concurrency", options.concurrency ?? 1);
    const expires = options.expires ?? 30_000;
    if (!(expires >= 1000)) {
      throw new RangeError(`Cannot use expires ${expires}: nats.js wants at least 1000 ms`);
    }
    this.#pull = {
      max_messages: positiveInteger("maxMessages", options.maxMessages ?? 100),
      expires,
    };
    this.#workingInterval = options.workingInterval === undefined
      ? undefined
      : positiveInteger("workingInterval", options.workingInterval);
    this.#flush = options.flush;
    const onError = options.onError;
    // A throwing onError must not leave a message unsettled or end the loop.
    this.#onError = onError === undefined ? () => {} : (error, delivery) => {
      try {
        onError(error, delivery);
      } catch {
        // reported nowhere else on purpose: the message is settled regardless
      }
    };
  }

  /**
   * Pulls and handles messages until {@linkcode stop}; resolves once stopped
   * and every handler in flight has settled its message. A lost pull is
   * started again with backoff.
   *
   * @throws {TypeError} When it is already running.
   *
   * @example A pull that keeps failing is started again until stopped
   * ```ts
   * import { JetStreamConsumer } from "@catga/memory/messaging";
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * let pulls = 0;
   * const worker = new JetStreamConsumer({
   *   consume: () => {
   *     pulls++;
   *     return Promise.reject(new Error("connection lost"));
   *   },
   * }, {
   *   serializer: new JsonSerializer(),
   *   handler() {},
   *   reconnectBackoff: [1],
   *   deadLetter: {
   *     subject: "dlq",
   *     headers: () => { throw new Error("unused"); },
   *     publisher: { publish: () => Promise.reject(new Error("unused")) },
   *   },
   * });
   * const running = worker.run();
   * while (pulls < 3) await new Promise((resolve) => setTimeout(resolve, 1));
   * await worker.stop();
   * await running;
   * assert.ok(pulls >= 3); // retried with backoff until stopped
   * ```
   */
  run(): Promise<void> {
    if (this.#running !== undefined) {
      return Promise.reject(new TypeError("Cannot run a JetStreamConsumer twice at once"));
    }
    this.#stopping = false;
    this.#running = this.#loop().finally(() => this.#running = undefined);
    return this.#running;
  }

  /**
   * Graceful shutdown: stops pulling, handles what was already pulled (at most
   * `maxMessages`), waits for the handlers in flight and settles their
   * messages, then flushes the connection if `flush` was given, so that the
   * acks reach the server.
   *
   * @example
   * ```ts
   * import { JetStreamConsumer } from "@catga/memory/messaging";
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import assert from "node:assert/strict";
   *
   * const worker = new JetStreamConsumer({ consume: () => new Promise(() => {}) }, {
   *   serializer: new JsonSerializer(),
   *   handler() {},
   *   deadLetter: {
   *     subject: "dlq",
   *     headers: () => { throw new Error("unused"); },
   *     publisher: { publish: () => Promise.reject(new Error("unused")) },
   *   },
   * });
   * await worker.stop(); // not running: nothing to do
   * assert.ok(true);
   * ```
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wakeSleep?.();
    const running = this.#running;
    if (running === undefined) return;
    await this.#messages?.close().catch(() => {});
    await running;
    if (this.#flush !== undefined) await this.#flush();
  }

  async #loop(): Promise<void> {
    let attempt = 0;
    while (!this.#stopping) {
      try {
        const messages = await this.#consumer.consume(this.#pull);
        this.#messages = messages;
        if (this.#stopping) {
          await messages.close();
          break;
        }
        // After stop() closes the pull, the messages already pulled are still
        // yielded and handled: they are delivered to this consumer, and a nak
        // in a burst right after the pull closed was seen to strand one on
        // nats-server 2.9 until its ack_wait.
        for await (const msg of messages) {
          attempt = 0;
          // A synchronous handler settles its message without a promise.
          const pending = this.#concurrency === 1 ? this.#handle(msg) : this.#dispatch(msg);
          if (pending !== undefined) await pending;
        }
      } catch (error) {
        this.#onError(error);
      } finally {
        this.#messages = undefined;
      }
      if (!this.#stopping) await this.#sleep(pick(this.#reconnectBackoff, attempt++));
    }
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  /** Starts the handler of `msg` once fewer than `concurrency` handlers run. */
  async #dispatch(msg: JetStreamMsgLike): Promise<void> {
    while (this.#inFlight.size >= this.#concurrency) await Promise.race(this.#inFlight);
    const handling: Promise<void> = Promise.resolve(this.#handle(msg)).finally(() =>
      this.#inFlight.delete(handling)
    );
    this.#inFlight.add(handling);
  }

  /**
   * Decodes `msg`, runs the handler, then settles the message; returns a
   * promise only when something is still to wait for.
   */
  #handle(msg: JetStreamMsgLike): Promise<void> | undefined {
    let message: unknown;
    try {
      message = this.#serializer.deserialize(msg.data);
    } catch (error) {
      this.#onError(error, msg);
      return this.#sendToDeadLetter(msg, error, "decode");
    }
    const timer = this.#workingInterval === undefined
      ? undefined
      : setInterval(() => msg.working(), this.#workingInterval);
    let result: void | Promise<void>;
    try {
      result = this.#handler(message, msg);
    } catch (error) {
      if (timer !== undefined) clearInterval(timer);
      return this.#failed(msg, error);
    }
    if (result !== undefined && typeof (result as Promise<void>).then === "function") {
      return (result as Promise<void>).then(() => {
        if (timer !== undefined) clearInterval(timer);
        msg.ack();
      }, (error: unknown) => {
        if (timer !== undefined) clearInterval(timer);
        return this.#failed(msg, error);
      });
    }
    if (timer !== undefined) clearInterval(timer);
    msg.ack();
    return undefined;
  }

  /** The handler of `msg` failed: nak with backoff, or dead letter on the last delivery. */
  #failed(msg: JetStreamMsgLike, error: unknown): Promise<void> | undefined {
    this.#onError(error, msg);
    const deliveries = msg.info.deliveryCount;
    if (deliveries >= this.#maxDeliveries) {
      return this.#sendToDeadLetter(msg, error, "max-deliveries");
    }
    msg.nak(pick(this.#redeliveryBackoff, deliveries - 1));
    return undefined;
  }

  /**
   * Publishes `msg` to the dead letter, then terms it. If the publish fails,
   * naks it so the stream delivers it again and the dead letter is retried.
   */
  async #sendToDeadLetter(
    msg: JetStreamMsgLike,
    error: unknown,
    reason: DeadLetterReason,
  ): Promise<void> {
    const info = msg.info;
    try {
      const headers = this.#deadLetter.headers();
      const original = msg.headers;
      if (original !== undefined) {
        for (const key of original.keys()) {
          // `Nats-*` headers steer the server (ids, expectations): kept under a prefix.
          const target = /^nats-/i.test(key) ? DEAD_LETTER_HEADERS.reservedPrefix + key : key;
          for (const value of original.values(key)) headers.append(target, value);
        }
      }
      const name = error instanceof Error ? error.name : typeof error;
      const text = error instanceof Error ? error.message : String(error);
      headers.set(DEAD_LETTER_HEADERS.error, oneLine(text));
      headers.set(DEAD_LETTER_HEADERS.errorName, oneLine(name));
      headers.set(DEAD_LETTER_HEADERS.reason, reason);
      headers.set(DEAD_LETTER_HEADERS.deliveries, String(info.deliveryCount));
      headers.set(DEAD_LETTER_HEADERS.subject, msg.subject);
      headers.set(DEAD_LETTER_HEADERS.stream, info.stream);
      headers.set(DEAD_LETTER_HEADERS.sequence, String(info.streamSequence));
      headers.set(DEAD_LETTER_HEADERS.consumer, info.consumer);
      // One id per stored message: a dead letter published again (its term
      // was lost) is dropped by the dead-letter stream's duplicate window.
      await this.#deadLetter.publisher.publish(this.#deadLetter.subject, msg.data, {
        headers,
        msgID: `${info.stream}.${info.streamSequence}`,
      });
    } catch (publishError) {
      this.#onError(publishError, msg);
      msg.nak(pick(this.#redeliveryBackoff, info.deliveryCount - 1));
      return;
    }
    msg.term();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeSleep = done;
    }).then(() => {
      this.#wakeSleep = undefined;
    });
  }
}
