/**
 * {@linkcode RedisPort}: the five Redis operations the stream transport, the
 * consumer, the outbox and the inbox need, implemented once per client (Bun
 * `RedisClient`, ioredis, node-redis, and the cluster clients of the last
 * two). Each adapter hands bytes over in the form its client accepts (see
 * handoff.ts) and resolves only when the client is done with them, so the
 * callers know when pooled bytes may go back.
 *
 * Every operation names the key it routes by: a cluster client sends the
 * command to the master that owns that key's slot; a single-node client
 * ignores it.
 *
 * @module
 */
import type { ClientName } from "./handoff.ts";

/** A command argument: text, or bytes (any view; the port converts it for its client). */
export type RedisArg = string | Uint8Array;

/** One Redis command: its name, then its arguments. */
export type RedisCommand = readonly RedisArg[];

/** One stream entry, as read through a consumer group or claimed. */
export interface StreamEntry {
  /** The entry id, e.g. "1700000000000-0". */
  readonly id: string;
  /**
   * The payload field's value: bytes from binary-safe ports, text from Bun's
   * `send`; `undefined` when the entry has no such field.
   */
  readonly payload: Uint8Array | string | undefined;
}

/** The Redis operations of the messaging module. */
export interface RedisPort {
  /** Which client this port drives. */
  readonly client: Exclude<ClientName, "nats">;
  /**
   * Whether replies come back as exact bytes. Bun's `send` decodes every bulk
   * reply as UTF-8 text, which is exact for JSON but not for MessagePack.
   */
  readonly binaryReplies: boolean;
  /**
   * `XADD stream ...trim * field payloads[i]` for `i < count`, in one
   * pipeline (`trim` is e.g. `["MAXLEN", "~", "100000"]`, or empty).
   * Resolves with the entry ids in order once the client is done with every
   * payload; rejects if any XADD failed.
   */
  xaddBatch(
    stream: string,
    trim: readonly string[],
    field: string,
    payloads: readonly RedisArg[],
    count: number,
  ): Promise<string[]>;
  /**
   * Runs the commands in one MULTI/EXEC on the node owning `key`; resolves
   * with EXEC's replies. On a cluster every key must hash to `key`'s slot.
   */
  transaction(key: string, commands: readonly RedisCommand[]): Promise<unknown[]>;
  /** One command routed by `key`; bulk replies are bytes when {@linkcode binaryReplies}. */
  command(key: string, args: RedisCommand): Promise<unknown>;
  /**
   * One command routed by `key`, bulk replies as strings: for values known to
   * be UTF-8 (JSON), where the client's own string decoding beats bytes
   * decoded by the caller (measured for ioredis and node-redis).
   */
  commandText(key: string, args: RedisCommand): Promise<unknown>;
  /**
   * `MGET keys[0..count)`: each value as bytes, or as text when `asText` (for
   * values known to be UTF-8, e.g. JSON), or null when missing. On a cluster
   * the keys share one slot.
   */
  mget(
    keys: readonly string[],
    count: number,
    asText: boolean,
  ): Promise<(Uint8Array | string | null)[]>;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** Stateless for whole-buffer decodes: one for the module. */
const UTF8 = new TextDecoder();

/**
 * Text of a reply element that may be a string or bytes.
 *
 * @example
 * ```ts
 * import { replyText } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * assert.equal(replyText(new TextEncoder().encode("1-0")), "1-0");
 * assert.equal(replyText("OK"), "OK");
 * assert.equal(replyText(3), "3");
 * ```
 */
export function replyText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return UTF8.decode(value);
  return String(value);
}

/**
 * The entries of a stream-entry array `[[id, [field, value, …]], …]` (what
 * XRANGE and XAUTOCLAIM return, and what XREADGROUP returns per stream). An
 * entry deleted since it was delivered (fields `null`) is kept with an
 * `undefined` payload, so that it can still be acknowledged.
 *
 * @example
 * ```ts
 * import { parseStreamEntries } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * const entries = parseStreamEntries([["1-0", ["d", "{}"]], ["2-0", null]], "d");
 * assert.deepEqual(entries, [{ id: "1-0", payload: "{}" }, { id: "2-0", payload: undefined }]);
 * ```
 */
export function parseStreamEntries(entries: unknown, field: string): StreamEntry[] {
  if (!Array.isArray(entries)) return [];
  const result: StreamEntry[] = [];
  for (const entry of entries as [unknown, unknown[] | null][]) {
    const fields = entry[1];
    let payload: Uint8Array | string | undefined;
    if (Array.isArray(fields)) {
      for (let i = 0; i + 1 < fields.length; i += 2) {
        if (replyText(fields[i]) === field) {
          payload = fields[i + 1] as Uint8Array | string;
          break;
        }
      }
    }
    result.push({ id: replyText(entry[0]), payload });
  }
  return result;
}

/**
 * The entries of an XREADGROUP reply for one stream, whatever shape the client
 * gives it: RESP2 arrays `[[stream, [[id, [field, value, …]], …]]]`, a RESP3
 * map (a `Map` or an object `{ stream: [...] }`), or ioredis's unwrapped
 * `[stream, [...]]`. A timed-out BLOCK (null) gives no entries.
 *
 * @example
 * ```ts
 * import { parseReadGroupReply } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * const resp2 = [["orders", [["1-0", ["d", "{}"]]]]];
 * const resp3 = { orders: [["1-0", ["d", "{}"]]] };
 * assert.deepEqual(parseReadGroupReply(resp2, "d"), [{ id: "1-0", payload: "{}" }]);
 * assert.deepEqual(parseReadGroupReply(resp3, "d"), parseReadGroupReply(resp2, "d"));
 * assert.deepEqual(parseReadGroupReply(null, "d"), []);
 * ```
 */
export function parseReadGroupReply(reply: unknown, field: string): StreamEntry[] {
  if (reply === null || reply === undefined) return [];
  let entries: unknown;
  if (Array.isArray(reply)) {
    entries = Array.isArray(reply[0]) ? (reply[0] as unknown[])[1] : reply[1];
  } else if (reply instanceof Map) {
    entries = reply.values().next().value;
  } else if (typeof reply === "object") {
    entries = Object.values(reply as Record<string, unknown>)[0];
  }
  return parseStreamEntries(entries, field);
}
