/**
 * {@linkcode RedisPort}: the few Redis operations the transport, outbox and
 * inbox need, implemented once per client (Bun `RedisClient`, ioredis,
 * node-redis) so that each client gets bytes in the form it accepts and the
 * callers know when pooled bytes may go back (see handoff.ts).
 *
 * @module
 */
import type { ClientName } from "../../messaging/handoff.ts";

/** A command argument: text, or bytes (any view; the port converts it for its client). */
export type RedisArg = string | Uint8Array;

/** One stream entry read through a consumer group. */
export interface StreamEntry {
  /** The entry id, e.g. "1700000000000-0". */
  readonly id: string;
  /** The payload field's value: bytes from binary-safe ports, text from Bun's `send`. */
  readonly payload: Uint8Array | string;
}

/** The Redis operations of the messaging examples. */
export interface RedisPort {
  /** Which client this port drives. */
  readonly client: Exclude<ClientName, "nats">;
  /**
   * Whether replies come back as exact bytes. Bun's `send` decodes every bulk
   * reply as UTF-8 text, which is exact for JSON but not for MessagePack.
   */
  readonly binaryReplies: boolean;
  /**
   * `XADD stream * field payloads[i]` for `i < count`, in one pipeline.
   * Resolves with the entry ids in order once the client is done with every
   * payload; rejects if any XADD failed.
   */
  xaddBatch(
    stream: string,
    field: string,
    payloads: readonly RedisArg[],
    count: number,
  ): Promise<string[]>;
  /** Runs the commands in one MULTI/EXEC; resolves with EXEC's replies. */
  transaction(commands: readonly (readonly RedisArg[])[]): Promise<unknown[]>;
  /** One command; bulk replies are bytes when {@linkcode binaryReplies}. */
  command(args: readonly RedisArg[]): Promise<unknown>;
  /**
   * `MGET keys[0..count)`: each value as bytes, or as text when `asText` (for
   * values known to be UTF-8, e.g. JSON), or null when missing.
   */
  mget(
    keys: readonly string[],
    count: number,
    asText: boolean,
  ): Promise<(Uint8Array | string | null)[]>;
  /** `XREADGROUP GROUP group consumer COUNT count STREAMS stream >` (no BLOCK). */
  readGroup(
    stream: string,
    group: string,
    consumer: string,
    count: number,
    field: string,
  ): Promise<StreamEntry[]>;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** Text of a reply element that may be a string or bytes. */
export function replyText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}

/**
 * The arguments of `XREADGROUP GROUP <group> <consumer> COUNT <count> STREAMS
 * <stream> >` after the command name: one list for every client adapter.
 */
export function readGroupArgs(
  stream: string,
  group: string,
  consumer: string,
  count: number,
): string[] {
  return ["GROUP", group, consumer, "COUNT", String(count), "STREAMS", stream, ">"];
}

/**
 * The entries of an XREADGROUP reply for one stream, whatever shape the client
 * gives it: RESP2 arrays `[[stream, [[id, [field, value, …]], …]]]`, or a RESP3
 * map decoded to an object `{ stream: [[id, [field, value, …]], …] }`, or
 * ioredis's unwrapped `[stream, [[id, [field, value, …]], …]]`.
 */
export function parseReadGroupReply(reply: unknown, field: string): StreamEntry[] {
  if (reply === null || reply === undefined) return [];
  let entries: unknown;
  if (Array.isArray(reply)) {
    // ioredis's callBuffer unwraps the one-stream reply to [stream, entries].
    entries = Array.isArray(reply[0]) ? (reply[0] as unknown[])[1] : reply[1];
  } else if (reply instanceof Map) {
    entries = reply.values().next().value;
  } else if (typeof reply === "object") {
    entries = Object.values(reply as Record<string, unknown>)[0];
  }
  if (!Array.isArray(entries)) return [];
  const result: StreamEntry[] = [];
  for (const entry of entries as [unknown, unknown[] | null][]) {
    const fields = entry[1];
    if (fields === null) continue; // deleted since it was delivered
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (replyText(fields[i]) === field) {
        result.push({ id: replyText(entry[0]), payload: fields[i + 1] as Uint8Array | string });
        break;
      }
    }
  }
  return result;
}
