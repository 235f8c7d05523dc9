/**
 * {@linkcode JsonSerializer}: `JSON.stringify` written straight into pooled memory.
 *
 * @module
 */
import {
  decodeUtf8,
  encodeUtf8,
  encodeUtf8Into,
  utf8ByteLength,
  writeUtf8,
} from "../encoding/mod.ts";
import { type BufferWriter, MemoryPool, PooledBytes } from "../pool/mod.ts";
import { findJsonSyntaxIssue } from "./_json_syntax.ts";
import { JsonByteWriter } from "./_json_writer.ts";
import type { MessageSerializer, SerializerOptions } from "./types.ts";

/** Options for {@linkcode JsonSerializer}. */
export interface JsonSerializerOptions extends SerializerOptions {
  /** Passed to `JSON.stringify`. */
  replacer?: (this: unknown, key: string, value: unknown) => unknown;
  /** Passed to `JSON.parse`. */
  reviver?: (this: unknown, key: string, value: unknown) => unknown;
  /** Indentation passed to `JSON.stringify`. Default: none. */
  space?: string | number;
  /**
   * How JSON is produced; every strategy gives the same bytes.
   * - "direct": a byte writer that walks the value and writes UTF-8, with no intermediate string;
   * - "stringify": `JSON.stringify`, then UTF-8 into pooled memory;
   * - "auto" (default): on V8 (Node, Deno), "stringify" while recent messages are under 2 KiB
   *   and "direct" for larger ones; on JavaScriptCore (Bun), always "stringify". Each choice is
   *   where that path measured fastest. A replacer or space always uses "stringify".
   */
  strategy?: JsonStrategy;
}

/** See {@linkcode JsonSerializerOptions.strategy}. */
export type JsonStrategy = "auto" | "direct" | "stringify";

/** Scratch writers allocate once and keep their buffer; they are not counted in any user pool. */
const SCRATCH_POOL = new MemoryPool({ enabled: false });

// JavaScriptCore's JSON.stringify beats a JS byte writer at every size; V8's wins only on small
// messages, where per-object costs dominate (see docs/PERFORMANCE-REPORT.md).
const DIRECT_BY_DEFAULT = (globalThis as { Bun?: unknown }).Bun === undefined;
/** With "auto" on V8, messages at least this large (judged by the previous one) go direct. */
const DIRECT_MIN_BYTES = 2048;

/**
 * Strings up to this length rent `3 × length` bytes (the UTF-8 worst case, still within the default
 * pool's largest class); longer ones measure first, which costs a full pass over the string.
 */
const WORST_CASE_LIMIT = (1024 * 1024) / 3;

/**
 * A JSON {@linkcode MessageSerializer} that encodes the output of
 * `JSON.stringify` directly into pooled memory or a {@linkcode BufferWriter},
 * with no intermediate `TextEncoder.encode` copy.
 *
 * Errors: a value JSON cannot represent (a BigInt, a circular structure, or
 * `undefined`, a function or a symbol at the top level) is a `TypeError`;
 * invalid JSON or invalid UTF-8 is a `SyntaxError` naming the position.
 *
 * @example Serialize into a pooled writer
 * ```ts
 * import { JsonSerializer } from "@catga/memory/serializers";
 * import { MemoryPool } from "@catga/memory/pool";
 *
 * const json = new JsonSerializer();
 * using writer = MemoryPool.shared.rentWriter();
 * json.serializeTo({ id: 7, name: "order.created" }, writer);
 * console.log(json.deserialize(writer.written)); // { id: 7, name: "order.created" }
 * ```
 */
export class JsonSerializer implements MessageSerializer {
  /** Always "application/json". */
  readonly contentType: string = "application/json";
  #pool: MemoryPool;
  #replacer: JsonSerializerOptions["replacer"];
  #reviver: JsonSerializerOptions["reviver"];
  #space: string | number | undefined;
  /** The direct writer, or null when this instance uses JSON.stringify. */
  #direct: JsonByteWriter | null;
  /** Where serialize/serializePooled/trySerialize write on the direct path (its own buffer, reused). */
  #scratch: BufferWriter | null = null;
  /** The last output size, so the scratch writer reserves enough up front. */
  #lastSize = 256;
  #scratchBusy = false;
  /** "auto" switches by size; "direct" always uses the direct writer when it exists. */
  #adaptive: boolean;

  /**
   * Creates a serializer.
   *
   * @param options The pool (default `MemoryPool.shared`), the strategy, and `JSON` replacer, reviver and space.
   * @throws {TypeError} When the strategy is unknown.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import { MemoryPool } from "@catga/memory/pool";
   * const json = new JsonSerializer({ pool: new MemoryPool() });
   * ```
   */
  constructor(options: JsonSerializerOptions = {}) {
    this.#pool = options.pool ?? MemoryPool.shared;
    this.#replacer = options.replacer;
    this.#reviver = options.reviver;
    this.#space = options.space;
    const strategy = options.strategy ?? "auto";
    if (strategy !== "auto" && strategy !== "direct" && strategy !== "stringify") {
      throw new TypeError(`Cannot create JsonSerializer: unknown strategy "${String(strategy)}"`);
    }
    this.#adaptive = strategy === "auto";
    const direct = strategy === "direct" || (strategy === "auto" && DIRECT_BY_DEFAULT);
    this.#direct = direct && this.#replacer === undefined && this.#space === undefined
      ? new JsonByteWriter()
      : null;
  }

  /**
   * Serializes a value into a new exact-size array that the caller owns.
   *
   * @param value The message.
   * @returns The UTF-8 JSON bytes.
   * @throws {TypeError} When the value has no JSON representation.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * const bytes = new JsonSerializer().serialize({ a: 1 });
   * console.log(bytes.length); // 7
   * ```
   */
  serialize(value: unknown): Uint8Array {
    if (this.#goDirect()) {
      const scratch = this.#fillScratch(value);
      try {
        return scratch.toBytes();
      } finally {
        this.#releaseScratch(scratch);
      }
    }
    const bytes = encodeUtf8(this.#stringify(value), null);
    this.#lastSize = bytes.length;
    return bytes;
  }

  /**
   * Appends the JSON of a value to a writer.
   *
   * @param value The message.
   * @param writer The writer to append to.
   * @returns The number of bytes appended.
   * @throws {TypeError} When the value has no JSON representation; nothing is written then.
   * @throws {RangeError} When the writer cannot grow enough.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * import { MemoryPool } from "@catga/memory/pool";
   * using writer = MemoryPool.shared.rentWriter();
   * new JsonSerializer().serializeTo([1, 2], writer);
   * console.log(writer.writtenCount); // 5
   * ```
   */
  serializeTo(value: unknown, writer: BufferWriter): number {
    const written = this.#goDirect()
      ? this.#writeDirect(value, writer)
      : writeUtf8(writer, this.#stringify(value));
    this.#lastSize = written;
    return written;
  }

  /**
   * Serializes a value into pooled memory.
   *
   * @param value The message.
   * @returns The pooled bytes; dispose them to return the buffer.
   * @throws {TypeError} When the value has no JSON representation.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * using owned = new JsonSerializer().serializePooled({ ok: true });
   * console.log(owned.length); // 11
   * ```
   */
  serializePooled(value: unknown): PooledBytes {
    if (this.#goDirect()) {
      const scratch = this.#fillScratch(value);
      try {
        const bytes = this.#pool.rent(scratch.writtenCount);
        bytes.set(scratch.written);
        return new PooledBytes(this.#pool, bytes);
      } finally {
        this.#releaseScratch(scratch);
      }
    }
    const text = this.#stringify(value);
    const pool = this.#pool;
    const capacity = text.length <= WORST_CASE_LIMIT ? text.length * 3 : utf8ByteLength(text);
    const buffer = pool.rentAtLeast(capacity);
    const { written } = encodeUtf8Into(text, buffer);
    this.#lastSize = written;
    return new PooledBytes(pool, buffer.subarray(0, written));
  }

  /**
   * Serializes a value into `dest` if it fits.
   *
   * @param value The message.
   * @param dest The destination.
   * @returns The bytes written, or -1 when `dest` is too small.
   * @throws {TypeError} When the value has no JSON representation.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * const json = new JsonSerializer();
   * console.log(json.trySerialize([1], new Uint8Array(16))); // 3
   * console.log(json.trySerialize([1], new Uint8Array(2))); // -1
   * ```
   */
  trySerialize(value: unknown, dest: Uint8Array): number {
    if (this.#goDirect()) {
      const scratch = this.#fillScratch(value);
      try {
        if (scratch.writtenCount > dest.length) return -1;
        dest.set(scratch.written);
        return scratch.writtenCount;
      } finally {
        this.#releaseScratch(scratch);
      }
    }
    const text = this.#stringify(value);
    if (text.length > dest.length) return -1; // every UTF-16 unit needs at least one byte
    const { read, written } = encodeUtf8Into(text, dest);
    return read === text.length ? written : -1;
  }

  /**
   * Parses UTF-8 JSON from any view (its offset and length are respected).
   *
   * @param bytes The JSON bytes.
   * @returns The parsed value.
   * @throws {SyntaxError} When the bytes are not valid UTF-8 or not valid JSON; the message names the position.
   * @example
   * ```ts
   * import { JsonSerializer } from "@catga/memory/serializers";
   * const bytes = new TextEncoder().encode('{"id":1}');
   * console.log(new JsonSerializer().deserialize(bytes)); // { id: 1 }
   * ```
   */
  deserialize<T = unknown>(bytes: Uint8Array): T {
    let text: string;
    try {
      text = decodeUtf8(bytes, { fatal: true });
    } catch (error) {
      throw new SyntaxError(`Cannot deserialize JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      return JSON.parse(text, this.#reviver) as T;
    } catch (error) {
      throw jsonSyntaxError(text, error);
    }
  }

  /** Whether the next message goes through the direct writer. */
  #goDirect(): boolean {
    return this.#direct !== null && (!this.#adaptive || this.#lastSize >= DIRECT_MIN_BYTES);
  }

  /** Appends with the direct writer, or with JSON.stringify when it declines (too deep, re-entered). */
  #writeDirect(value: unknown, writer: BufferWriter): number {
    let written: number;
    try {
      written = this.#direct!.write(value, writer);
    } catch (error) {
      throw error instanceof TypeError ? serializeError(error) : error;
    }
    return written >= 0 ? written : writeUtf8(writer, this.#stringify(value));
  }

  /**
   * Direct path: writes `value` alone into the scratch writer and returns it;
   * the caller must pass it to `#releaseScratch`. A nested call (a toJSON that
   * serializes with this serializer) gets a pooled writer of its own.
   */
  #fillScratch(value: unknown): BufferWriter {
    // The scratch comes from a private non-pooling pool: it is allocated once and kept, so it
    // never shows as outstanding in the caller's pool.
    const scratch = this.#scratchBusy
      ? this.#pool.rentWriter()
      : (this.#scratch ??= SCRATCH_POOL.rentWriter(this.#lastSize));
    this.#scratchBusy = true;
    try {
      scratch.reserve(this.#lastSize);
      this.#lastSize = this.#writeDirect(value, scratch);
      return scratch;
    } catch (error) {
      this.#releaseScratch(scratch);
      throw error;
    }
  }

  #releaseScratch(scratch: BufferWriter): void {
    if (scratch !== this.#scratch) {
      scratch.dispose(); // a nested call's own writer
      return;
    }
    scratch.reset();
    this.#scratchBusy = false;
  }

  #stringify(value: unknown): string {
    let text: string | undefined;
    try {
      text = JSON.stringify(value, this.#replacer, this.#space);
    } catch (error) {
      throw error instanceof TypeError ? serializeError(error) : error;
    }
    if (text === undefined) {
      throw new TypeError(
        `Cannot serialize JSON: a top-level ${describe(value)} has no JSON representation`,
      );
    }
    return text;
  }
}

function serializeError(error: TypeError): TypeError {
  return error.message.startsWith("Cannot serialize JSON")
    ? error
    : new TypeError(`Cannot serialize JSON: ${error.message}`, { cause: error });
}

function describe(value: unknown): string {
  return value === undefined ? "undefined" : typeof value;
}

function jsonSyntaxError(text: string, cause: unknown): Error {
  if (!(cause instanceof SyntaxError)) return cause as Error; // e.g. a reviver's own error
  const issue = findJsonSyntaxIssue(text);
  if (issue === undefined) return cause;
  const before = text.slice(0, issue.index);
  const line = before.split("\n").length;
  const column = issue.index - before.lastIndexOf("\n");
  const found = issue.index < text.length ? `'${text[issue.index]}'` : "the end of the input";
  return new SyntaxError(
    `Cannot deserialize JSON: expected ${issue.expected} but found ${found} at position ${issue.index} (line ${line}, column ${column})`,
    { cause },
  );
}
