/**
 * The runtime smoke: one quick check of every public layer, shared by the browser, workerd and
 * Node 22 runs. It imports nothing at run time (the library comes in as a parameter) and uses
 * only standard globals. Expected values are constants computed under Node 24 from the same
 * inputs, so a runtime that takes another internal path must still produce the same bytes.
 *
 * @module
 */
import type * as Library from "../../mod.ts";

/** The library's public API (mod.ts). */
export type SmokeLibrary = typeof Library;

/** `debugPool`: also rent and return through a `debug: true` pool. */
export interface SmokeOptions {
  readonly debugPool?: boolean;
}

/** The smoke's outcome: one line per check, `ok` or `FAIL`. */
export interface SmokeResult {
  passed: number;
  failed: number;
  lines: string[];
}

/** 300 deterministic bytes covering every byte value and every base64 tail. */
function sampleBytes(): Uint8Array {
  const bytes = new Uint8Array(300);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;
  return bytes;
}

// Computed under Node 24 (Buffer, TextEncoder and @msgpack/msgpack as oracles).
const TEXT = "h€llo 👋, naïve café";
const TEXT_UTF8_HEX = "68e282ac6c6c6f20f09f918b2c206e61c3af766520636166c3a9";
const SAMPLE_BASE64_LENGTH = 400;
const SAMPLE_BASE64_FNV = 0x0f78f4fe;
const SAMPLE_BASE64URL_NOPAD = "CzBVep_E6Q4zWH2ix-wRNluApcrvFDleg6jN8hc8YYY";
const SAMPLE_HEX_HEAD = "0b30557a9fc4e90e335";
const MESSAGE = {
  id: 42,
  event: "order.created",
  price: -12.5,
  tags: ["a", "ü", "👋"],
  nested: { ok: true, none: null, empty: [] },
};
const MESSAGE_JSON =
  '{"id":42,"event":"order.created","price":-12.5,"tags":["a","ü","👋"],"nested":{"ok":true,"none":null,"empty":[]}}';
const MESSAGE_MSGPACK_HEX = "85a269642aa56576656e74ad6f726465722e63726561746564a57072696365cbc029" +
  "000000000000a47461677393a161a2c3bca4f09f918ba66e657374656483a26f6bc3a46e6f6e65c0a5656d70747990";

/** Runs every check; never throws (a throwing check is a failed check). */
export async function runSmoke(
  lib: SmokeLibrary,
  options: SmokeOptions = {},
): Promise<SmokeResult> {
  const result: SmokeResult = { passed: 0, failed: 0, lines: [] };
  const check = async (name: string, body: () => unknown): Promise<void> => {
    const problem = await Promise.resolve().then(body).catch((e) =>
      `threw ${e?.name}: ${e?.message}`
    );
    const ok = problem === undefined || problem === true;
    if (ok) result.passed++;
    else result.failed++;
    result.lines.push(ok ? `ok   ${name}` : `FAIL ${name}: ${String(problem)}`);
  };

  await check("MemoryPool rent/return", () => {
    const pool = new lib.MemoryPool();
    const bytes = pool.rent(100);
    if (bytes.length !== 100 || bytes.buffer.byteLength < 100) return `length ${bytes.length}`;
    bytes.fill(7);
    pool.return(bytes);
    const again = pool.rent(100);
    pool.return(again);
    const stats = pool.stats();
    return expectEqual(
      `${stats.rented} ${stats.returned} ${stats.outstanding} ${stats.hits}`,
      "2 2 0 1",
    );
  });
  await check("MemoryPool rejects a double return (TypeError)", () => {
    const pool = new lib.MemoryPool();
    const bytes = pool.rent(64);
    pool.return(bytes);
    return expectThrow(() => pool.return(bytes), "TypeError");
  });
  await check("MemoryPool rejects a negative length (RangeError)", () => {
    return expectThrow(() => new lib.MemoryPool().rent(-1), "RangeError");
  });
  await check("PooledBytes returns on dispose", () => {
    const pool = new lib.MemoryPool();
    const owned = pool.rentOwned(10);
    owned.bytes.set([1, 2, 3]);
    owned[Symbol.dispose]();
    return expectEqual(`${owned.disposed} ${pool.stats().outstanding}`, "true 0");
  });
  if (options.debugPool) {
    await check("debug MemoryPool rent/return", () => {
      const pool = new lib.MemoryPool({ debug: true });
      const bytes = pool.rent(100);
      bytes[0] = 1;
      pool.return(bytes);
      const owned = pool.rentOwned(10);
      owned[Symbol.dispose]();
      return expectEqual(String(pool.stats().outstanding), "0");
    });
  }
  await check("BufferWriter write + UTF-8 + toBytes", () => {
    const pool = new lib.MemoryPool();
    const writer = pool.rentWriter();
    writer.write(new Uint8Array([1, 2]));
    lib.writeUtf8(TEXT, writer);
    const bytes = writer.toBytes();
    writer.dispose();
    return expectEqual(
      `${hex(bytes)} ${pool.stats().outstanding}`,
      `0102${TEXT_UTF8_HEX} 0`,
    );
  });
  await check("SlabAllocator allocate/copy share one chunk", () => {
    const slab = new lib.SlabAllocator();
    const a = slab.allocate(10);
    const b = slab.copy(new Uint8Array([9, 8, 7, 6]), 1, 3);
    if (a.buffer !== b.buffer) return "two small results in different chunks";
    return expectEqual(`${a.length} ${hex(b)} ${b.byteOffset >= 10}`, "10 0807 true");
  });

  await check("UTF-8 encode/length/decode", () => {
    const bytes = lib.encodeUtf8(TEXT);
    return expectEqual(
      `${hex(bytes)} ${lib.utf8ByteLength(TEXT)} ${lib.decodeUtf8(bytes) === TEXT}`,
      `${TEXT_UTF8_HEX} ${TEXT_UTF8_HEX.length / 2} true`,
    );
  });
  await check("UTF-8 encodeUtf8Into stops at a whole character", () => {
    const result = lib.encodeUtf8Into("a€b", new Uint8Array(4));
    return expectEqual(`${result.read} ${result.written}`, "2 4");
  });
  await check("UTF-8 replacement and fatal (TypeError)", () => {
    const bad = new Uint8Array([104, 0xff, 105]);
    const replaced = lib.decodeUtf8(bad);
    if (replaced !== "h\uFFFDi") return `replacement gave ${JSON.stringify(replaced)}`;
    return expectThrow(() => lib.decodeUtf8(bad, { fatal: true }), "TypeError");
  });

  const sample = sampleBytes();
  await check("base64 encode/decode 300 bytes", () => {
    const text = lib.encodeBase64(sample);
    if (text.length !== SAMPLE_BASE64_LENGTH || fnv1a(text) !== SAMPLE_BASE64_FNV) {
      return `length ${text.length}, hash ${fnv1a(text).toString(16)}`;
    }
    return expectEqual(hex(lib.decodeBase64(text)), hex(sample));
  });
  await check("base64url without padding", () => {
    const text = lib.encodeBase64(sample.subarray(0, 32), {
      alphabet: "base64url",
      omitPadding: true,
    });
    const back = lib.decodeBase64(text, { alphabet: "base64url" });
    return expectEqual(
      `${text} ${hex(back)}`,
      `${SAMPLE_BASE64URL_NOPAD} ${hex(sample.subarray(0, 32))}`,
    );
  });
  await check("base64 decodeBase64Into", () => {
    const dest = new Uint8Array(4);
    const { read, written } = lib.decodeBase64Into("aGVsbG8=", dest);
    return expectEqual(`${read} ${written} ${hex(dest.subarray(0, written))}`, "4 3 68656c");
  });
  await check("base64 pooled variants", () => {
    // No `using` here: Node 22 lacks it, and this smoke must parse everywhere.
    const encoded = lib.encodeBase64Pooled(sample);
    const text = new TextDecoder().decode(encoded.bytes);
    encoded[Symbol.dispose]();
    const decoded = lib.decodeBase64Pooled(text);
    const bytes = hex(decoded.bytes);
    decoded[Symbol.dispose]();
    return expectEqual(`${fnv1a(text) === SAMPLE_BASE64_FNV} ${bytes}`, `true ${hex(sample)}`);
  });
  await check("hex encode/decode", () => {
    const text = lib.encodeHex(sample);
    return expectEqual(
      `${text.slice(0, SAMPLE_HEX_HEAD.length)} ${hex(lib.decodeHex(text.toUpperCase()))}`,
      `${SAMPLE_HEX_HEAD} ${hex(sample)}`,
    );
  });
  await check("Base64EncoderStream", async () => {
    const chunks = [sample.subarray(0, 1), sample.subarray(1, 5), sample.subarray(5, 300)];
    const parts = await collect(
      streamOf(chunks).pipeThrough(new lib.Base64EncoderStream()) as ReadableStream<string>,
    );
    return expectEqual(fnv1a(parts.join("")).toString(16), SAMPLE_BASE64_FNV.toString(16));
  });
  await check("Base64DecoderStream", async () => {
    const text = lib.encodeBase64(sample);
    const chunks = [text.slice(0, 3), text.slice(3, 7), " ", text.slice(7)];
    const parts = await collect(
      streamOf(chunks).pipeThrough(new lib.Base64DecoderStream()) as ReadableStream<Uint8Array>,
    );
    return expectEqual(parts.map(hex).join(""), hex(sample));
  });

  await check("JSON round trip", () => {
    const json = new lib.JsonSerializer();
    const bytes = json.serialize(MESSAGE);
    const text = new TextDecoder().decode(bytes);
    if (text !== MESSAGE_JSON) return `serialized ${text}`;
    return expectEqual(show(json.deserialize(bytes)), show(MESSAGE));
  });
  await check("JSON serializeTo a pooled writer", () => {
    const json = new lib.JsonSerializer();
    const writer = lib.MemoryPool.shared.rentWriter();
    try {
      const count = json.serializeTo(MESSAGE, writer);
      return expectEqual(
        `${count} ${new TextDecoder().decode(writer.written)}`,
        `${lib.utf8ByteLength(MESSAGE_JSON)} ${MESSAGE_JSON}`,
      );
    } finally {
      writer.dispose();
    }
  });
  await check("MessagePack round trip", () => {
    const msgpack = new lib.MsgPackSerializer();
    const bytes = msgpack.serialize(MESSAGE);
    if (hex(bytes) !== MESSAGE_MSGPACK_HEX) return `serialized ${hex(bytes)}`;
    return expectEqual(show(msgpack.deserialize(bytes)), show(MESSAGE));
  });
  await check("MessagePack bigint, binary and Map", () => {
    const msgpack = new lib.MsgPackSerializer({ mapType: "map" });
    const value = new Map<unknown, unknown>([[1, 2n ** 60n], ["bin", sample.subarray(0, 5)]]);
    return expectEqual(show(msgpack.deserialize(msgpack.serialize(value))), show(value));
  });
  await check("MessagePack and NDJSON streams (web streams only)", async () => {
    // serializeStream out, then deserializeStream back over 1-byte chunks.
    for (const serializer of [new lib.MsgPackSerializer(), new lib.JsonSerializer()]) {
      const chunks = await collect(
        streamOf([MESSAGE, 1, "two"]).pipeThrough(serializer.serializeStream()),
      );
      const bytes: Uint8Array[] = [];
      for (const chunk of chunks) {
        for (let i = 0; i < chunk.length; i++) bytes.push(chunk.subarray(i, i + 1));
      }
      const values: unknown[] = [];
      for await (const value of serializer.deserializeStream(streamOf(bytes))) values.push(value);
      const problem = expectEqual(show(values), show([MESSAGE, 1, "two"]));
      if (problem !== undefined) return `${serializer.contentType}: ${problem}`;
    }
    return undefined;
  });

  await check("hostile: truncated MessagePack (RangeError)", () => {
    // A 4-billion-element array header with no elements must not allocate or hang.
    const msgpack = new lib.MsgPackSerializer();
    return expectThrow(
      () => msgpack.deserialize(new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff])),
      "RangeError",
    );
  });
  await check("hostile: malformed JSON (SyntaxError)", () => {
    const json = new lib.JsonSerializer();
    return expectThrow(
      () => json.deserialize(new TextEncoder().encode('{"id": 1,')),
      "SyntaxError",
    );
  });
  await check("hostile: malformed base64 and hex (SyntaxError)", () => {
    return expectThrow(() => lib.decodeBase64("Zm9v!"), "SyntaxError") ??
      expectThrow(() => lib.decodeHex("abc"), "SyntaxError");
  });
  await check("hostile: deep nesting (RangeError)", () => {
    const msgpack = new lib.MsgPackSerializer();
    const bomb = new Uint8Array(100_000).fill(0x91); // 100,000 nested one-element arrays
    return expectThrow(() => msgpack.deserialize(bomb), "RangeError");
  });
  return result;
}

function expectEqual(actual: string, expected: string): string | undefined {
  return actual === expected ? undefined : `got ${actual}, expected ${expected}`;
}

function expectThrow(action: () => unknown, errorName: string): string | undefined {
  try {
    action();
  } catch (error) {
    const name = (error as Error)?.constructor?.name;
    const message = String((error as Error)?.message);
    if (name !== errorName) return `threw ${name}: ${message}, expected a ${errorName}`;
    if (!message.startsWith("Cannot")) return `message does not start with "Cannot": ${message}`;
    return undefined;
  }
  return `did not throw, expected a ${errorName}`;
}

function hex(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += byte.toString(16).padStart(2, "0");
  return text;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A canonical text form for deep comparison across runtimes. */
function show(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `bin(${hex(value)})`;
  if (value instanceof Map) {
    return `Map{${[...value].map(([k, v]) => `${show(k)}=>${show(v)}`).join(",")}}`;
  }
  if (Array.isArray(value)) return `[${value.map(show).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${
      Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${show(v)}`).join(",")
    }}`;
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function streamOf<T>(chunks: readonly T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const parts: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return parts;
    parts.push(value);
  }
}
