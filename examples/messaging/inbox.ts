/**
 * {@linkcode RedisInbox} (seed task 3.2): idempotent handling. One key per
 * message id: `SET key claimed NX PX claimTtl` claims it, the handler runs,
 * then `SET key done PX doneTtl` stores the processed marker. A redelivered
 * message finds the key: "done" means skip it; a live claim means another
 * consumer is on it. A handler that throws releases the claim so that a
 * redelivery can try again; a consumer that dies leaves a claim that expires.
 *
 * @module
 */
import type { RedisPort } from "./redis_port.ts";
import { replyText } from "./redis_port.ts";

/** What {@linkcode RedisInbox.handle} did. */
export type InboxOutcome = "handled" | "duplicate" | "busy";

/** Options for {@linkcode RedisInbox}. */
export interface RedisInboxOptions {
  /** Key prefix. Default "inbox". */
  prefix?: string;
  /** How long a claim holds without a processed marker. Default 30 s. */
  claimTtlMs?: number;
  /** How long the processed marker is kept. Default 24 h. */
  doneTtlMs?: number;
}

const DONE = "done";

/** An idempotent inbox over any {@linkcode RedisPort}. */
export class RedisInbox {
  #port: RedisPort;
  #prefix: string;
  #claimTtl: string;
  #doneTtl: string;

  constructor(port: RedisPort, options: RedisInboxOptions = {}) {
    this.#port = port;
    this.#prefix = options.prefix ?? "inbox";
    this.#claimTtl = String(options.claimTtlMs ?? 30_000);
    this.#doneTtl = String(options.doneTtlMs ?? 24 * 3600_000);
  }

  /** Runs `handler` for message `id` unless it was handled (or is being handled). */
  async handle(id: string, handler: () => void | Promise<void>): Promise<InboxOutcome> {
    const key = `${this.#prefix}:${id}`;
    const claimed = await this.#port.command(["SET", key, "claimed", "NX", "PX", this.#claimTtl]);
    if (claimed === null || claimed === undefined) {
      const state = await this.#port.command(["GET", key]);
      return state !== null && replyText(state) === DONE ? "duplicate" : "busy";
    }
    try {
      await handler();
    } catch (error) {
      await this.#port.command(["DEL", key]);
      throw error;
    }
    await this.#port.command(["SET", key, DONE, "PX", this.#doneTtl]);
    return "handled";
  }
}
