/**
 * {@linkcode RedisInbox}: effectively-once handling under redelivery and
 * crashes. Per message id, one key `{tag}:inbox:<id>`:
 *
 * 1. `SET key <token> NX PX claimTtlMs` claims the message for this attempt
 *    (a consumer that dies leaves a claim that expires);
 * 2. the handler runs;
 * 3. the done marker is written only after the handler's effect commits. When
 *    the handler returns its effect as Redis commands, one script commits the
 *    effect and the marker together, and only while this attempt still holds
 *    the claim: a crash at any point leaves either both or neither, so the
 *    effect is applied once. An effect outside Redis is applied once unless
 *    the process dies between that effect and the marker (then at least once).
 *
 * A redelivered message finds "done" and is skipped ("duplicate"), or a live
 * claim of another attempt ("busy": do not acknowledge it; it comes back). A
 * handler that throws releases its claim so that a redelivery can retry.
 *
 * Cluster: every key carries the hash tag `{tag}`, and the effect's keys must
 * carry it too ({@linkcode RedisInbox.key}), so that the commit touches one
 * slot. Spread load over masters with several inboxes (several tags).
 *
 * @module
 */
import type { RedisArg, RedisCommand, RedisPort } from "./redis_port.ts";
import { replyText } from "./redis_port.ts";

/** What {@linkcode RedisInbox.handle} did. */
export type InboxOutcome = "handled" | "duplicate" | "busy";

/** Options for {@linkcode RedisInbox}. */
export interface RedisInboxOptions {
  /** The hash tag of every key (without braces). Default "inbox". */
  tag?: string;
  /** How long a claim holds without a done marker, in ms. Default 30 s. */
  claimTtlMs?: number;
  /** How long the done marker is kept, in ms. Default 24 h. */
  doneTtlMs?: number;
}

/**
 * What a handler returns: nothing (its effect is outside Redis), or the Redis
 * commands of its effect (each `[name, key, ...args]`, the key second, with
 * the inbox's hash tag), committed atomically with the done marker.
 */
export type InboxEffect = void | readonly RedisCommand[];

const DONE = "done";

/**
 * KEYS[1] the inbox key, KEYS[2..] the effect commands' keys; ARGV[1] the
 * claim token, ARGV[2] the done TTL, then per command: its argument count
 * after the key, and those arguments.
 */
const COMMIT_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local a = 3
for k = 2, #KEYS do
  local n = tonumber(ARGV[a])
  local command = ARGV[a + 1]
  redis.call(command, KEYS[k], unpack(ARGV, a + 2, a + n))
  a = a + n + 1
end
redis.call('SET', KEYS[1], '${DONE}', 'PX', ARGV[2])
return 1`;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * An effectively-once inbox over any {@linkcode RedisPort} (see the module doc).
 *
 * @example With a stand-in for Bun's client that answers the inbox's commands
 * ```ts
 * import { BunRedisPort, type RedisArg, RedisInbox } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * const store = new Map<string, string>();
 * const port = new BunRedisPort({
 *   send: (command: string, args: RedisArg[]) => {
 *     const [key, value] = args.map(String);
 *     if (command === "SET") {
 *       if (store.has(key)) return Promise.resolve(null); // NX
 *       store.set(key, value);
 *       return Promise.resolve("OK");
 *     }
 *     if (command === "GET") return Promise.resolve(store.get(key) ?? null);
 *     // EVAL of the commit script: the claim is ours, apply the effect, mark done.
 *     const [, , inboxKey, effectKey, token] = args.map(String);
 *     if (store.get(inboxKey) !== token) return Promise.resolve(0);
 *     store.set(effectKey, String(Number(store.get(effectKey) ?? 0) + 1));
 *     store.set(inboxKey, "done");
 *     return Promise.resolve(1);
 *   },
 *   getBuffer: () => Promise.resolve(null),
 *   close: () => {},
 * });
 * const inbox = new RedisInbox(port, { tag: "billing" });
 * const charge = () => [["INCR", inbox.key("charges")]];
 * assert.equal(await inbox.handle("order-1", charge), "handled");
 * assert.equal(await inbox.handle("order-1", charge), "duplicate");
 * assert.equal(store.get("{billing}:charges"), "1");
 * ```
 */
export class RedisInbox {
  #port: RedisPort;
  #tag: string;
  #claimTtl: string;
  #doneTtl: string;
  /** Claim tokens: unique per attempt, so only the claim's holder commits or releases it. */
  #tokenPrefix: string = crypto.randomUUID();
  #tokens = 0;

  /**
   * Creates it.
   *
   * @param port The connection.
   * @param options The hash tag and expiries.
   */
  constructor(port: RedisPort, options: RedisInboxOptions = {}) {
    this.#port = port;
    this.#tag = `{${options.tag ?? "inbox"}}`;
    const claimTtl = options.claimTtlMs ?? 30_000;
    const doneTtl = options.doneTtlMs ?? 24 * 3600_000;
    if (!(Number.isSafeInteger(claimTtl) && claimTtl > 0)) {
      throw new RangeError(
        `Cannot create the inbox: claimTtlMs must be a positive integer, got ${claimTtl}`,
      );
    }
    if (!(Number.isSafeInteger(doneTtl) && doneTtl > 0)) {
      throw new RangeError(
        `Cannot create the inbox: doneTtlMs must be a positive integer, got ${doneTtl}`,
      );
    }
    this.#claimTtl = String(claimTtl);
    this.#doneTtl = String(doneTtl);
  }

  /**
   * A key with the inbox's hash tag, for the handler's effect (same slot as
   * the inbox's markers on a cluster).
   */
  key(name: string): string {
    return `${this.#tag}:${name}`;
  }

  /** The marker key of message `id`. */
  markerKey(id: string): string {
    return `${this.#tag}:inbox:${id}`;
  }

  /**
   * Runs `handler` for message `id` unless it was handled or is being handled.
   *
   * @returns "handled" (acknowledge it), "duplicate" (acknowledge it; it was
   * handled before) or "busy" (another attempt holds it, or this attempt's
   * claim expired before the commit: do not acknowledge it).
   * @throws What the handler threw, after releasing the claim.
   */
  async handle(
    id: string,
    handler: () => InboxEffect | Promise<InboxEffect>,
  ): Promise<InboxOutcome> {
    const key = this.markerKey(id);
    const token = `${this.#tokenPrefix}-${++this.#tokens}`;
    const claimed = await this.#port.command(key, ["SET", key, token, "NX", "PX", this.#claimTtl]);
    if (claimed === null || claimed === undefined) {
      const state = await this.#port.command(key, ["GET", key]);
      return state !== null && state !== undefined && replyText(state) === DONE
        ? "duplicate"
        : "busy";
    }
    let effect: InboxEffect;
    try {
      effect = await handler();
    } catch (error) {
      await this.#port.command(key, ["EVAL", RELEASE_SCRIPT, "1", key, token]).catch(() => {});
      throw error;
    }
    const commands = effect ?? [];
    const args: RedisArg[] = ["EVAL", COMMIT_SCRIPT, String(1 + commands.length), key];
    for (const command of commands) {
      if (command.length < 2 || typeof command[1] !== "string") {
        throw new TypeError(
          `Cannot commit the effect of ${id}: every command needs its key second`,
        );
      }
      args.push(command[1]);
    }
    args.push(token, this.#doneTtl);
    for (const command of commands) {
      args.push(String(command.length - 1), command[0]);
      for (let i = 2; i < command.length; i++) args.push(command[i]);
    }
    const committed = await this.#port.command(key, args);
    return Number(committed) === 1 ? "handled" : "busy";
  }
}
