/**
 * The one place pooled bytes cross into a Redis or NATS client. Each client
 * accepts a different form and keeps a reference for a different time
 * (measured against each client's source and a real server; the guide's
 * "Pooled bytes and Redis/NATS clients" has the details):
 *
 * | client | form handed in | pooled bytes may go back |
 * | --- | --- | --- |
 * | Bun `RedisClient` | the plain `Uint8Array` | right after the call returns (it copies synchronously) |
 * | ioredis | a zero-copy `Buffer` view | after the command's promise, or the pipeline's `exec()`, settles |
 * | node-redis | a zero-copy `Buffer` view | after the promise settles (it encodes on `setImmediate`) |
 * | nats.js | the plain `Uint8Array` | after `await nc.flush()` settles |
 *
 * A plain `Uint8Array` given to ioredis is silently stored as the text
 * "65,66,…"; node-redis rejects it. A detached view (what a debug pool leaves
 * behind after an early return) is silently stored as an empty value by
 * ioredis and node-redis and breaks a nats.js connection for good, so every
 * hand-off checks `buffer.detached` first and throws a TypeError instead.
 *
 * @module
 */

/** The clients the messaging module drives. */
export type ClientName = "bun" | "ioredis" | "node-redis" | "nats";

/** How a client takes bytes and when it lets go of them. */
export interface HandOffRule {
  /** `"buffer"`: wrap as a Node `Buffer` view; `"uint8array"`: hand the view as is. */
  readonly form: "buffer" | "uint8array";
  /** When a pooled buffer handed to this client may be returned to its pool. */
  readonly safePoint: "after-call" | "after-settle" | "after-flush";
  /**
   * Whether JSON is faster as a `JSON.stringify` string than as pooled bytes
   * for this client (measured: ioredis and node-redis copy and re-wrap every
   * argument themselves, so pooled bytes only add work).
   */
  readonly jsonAsString: boolean;
}

/**
 * Each client's rule.
 *
 * @example
 * ```ts
 * import { HAND_OFF_RULES } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * assert.equal(HAND_OFF_RULES.ioredis.form, "buffer");
 * assert.equal(HAND_OFF_RULES.nats.safePoint, "after-flush");
 * ```
 */
export const HAND_OFF_RULES: Readonly<Record<ClientName, HandOffRule>> = Object.freeze({
  "bun": Object.freeze({ form: "uint8array", safePoint: "after-call", jsonAsString: false }),
  "ioredis": Object.freeze({ form: "buffer", safePoint: "after-settle", jsonAsString: true }),
  "node-redis": Object.freeze({ form: "buffer", safePoint: "after-settle", jsonAsString: true }),
  "nats": Object.freeze({ form: "uint8array", safePoint: "after-flush", jsonAsString: false }),
});

interface BufferStatics {
  from(buffer: ArrayBuffer, byteOffset: number, length: number): Uint8Array;
}
const NodeBuffer = (globalThis as { Buffer?: BufferStatics }).Buffer;

/**
 * Throws when `bytes` can no longer be handed to a client.
 *
 * @param bytes The view about to be handed over.
 * @param client The client's name, for the message.
 * @throws {TypeError} When the view's buffer is detached (returned to a debug pool).
 *
 * @example
 * ```ts
 * import { assertAttached } from "@catga/memory/messaging";
 * import { MemoryPool } from "@catga/memory/pool";
 * import assert from "node:assert/strict";
 *
 * const pool = new MemoryPool({ debug: true });
 * const bytes = pool.rent(16);
 * assertAttached(bytes, "nats"); // fine
 * pool.return(bytes); // a debug pool detaches it
 * assert.throws(() => assertAttached(bytes, "nats"), TypeError);
 * ```
 */
export function assertAttached(bytes: Uint8Array, client: ClientName): void {
  if ((bytes.buffer as ArrayBuffer).detached === true) {
    throw new TypeError(
      `Cannot hand bytes to ${client}: the buffer is detached (was it returned to its pool before the ${
        HAND_OFF_RULES[client].safePoint
      } safe point?)`,
    );
  }
}

/**
 * The zero-copy `Buffer` view of `bytes` that ioredis and node-redis accept.
 *
 * @param bytes Pooled bytes (any view).
 * @param client "ioredis" or "node-redis", for the error message.
 * @returns A `Buffer` over the same memory: only the view's bytes are sent.
 * @throws {TypeError} When the buffer is detached, or there is no `Buffer` global.
 *
 * @example
 * ```ts
 * import { toBufferView } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
 * const view = toBufferView(bytes, "ioredis");
 * assert.equal(view.buffer, bytes.buffer); // no copy
 * assert.deepEqual([...view], [2, 3]);
 * ```
 */
export function toBufferView(bytes: Uint8Array, client: ClientName): Uint8Array {
  assertAttached(bytes, client);
  if (NodeBuffer === undefined) {
    throw new TypeError(`Cannot hand bytes to ${client}: this runtime has no Buffer`);
  }
  return NodeBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * `bytes` itself, checked, for the clients that take a plain `Uint8Array`
 * (Bun `RedisClient`, nats.js).
 *
 * @param bytes Pooled bytes (any view).
 * @param client "bun" or "nats", for the error message.
 * @returns `bytes`.
 * @throws {TypeError} When the buffer is detached.
 *
 * @example
 * ```ts
 * import { toPlainBytes } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([1, 2]);
 * assert.equal(toPlainBytes(bytes, "bun"), bytes);
 * ```
 */
export function toPlainBytes(bytes: Uint8Array, client: ClientName): Uint8Array {
  assertAttached(bytes, client);
  return bytes;
}

/**
 * The form `client` accepts: a `Buffer` view or the plain view, checked.
 *
 * @param bytes Pooled bytes (any view).
 * @param client The client about to receive them.
 * @returns What to pass to the client.
 * @throws {TypeError} When the buffer is detached.
 *
 * @example
 * ```ts
 * import { handOff } from "@catga/memory/messaging";
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([7]);
 * assert.equal(handOff(bytes, "nats"), bytes);
 * assert.notEqual(handOff(bytes, "node-redis"), bytes); // a Buffer over the same memory
 * ```
 */
export function handOff(bytes: Uint8Array, client: ClientName): Uint8Array {
  return HAND_OFF_RULES[client].form === "buffer"
    ? toBufferView(bytes, client)
    : toPlainBytes(bytes, client);
}
