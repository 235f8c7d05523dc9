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

/** One check: its name, what it computes (as text), and the text expected under Node 24. */
type Row = readonly [name: string, actual: () => string | Promise<string>, expected: string];

function rows(lib: SmokeLibrary): Row[] {
  const sample = sampleBytes();
  const json = new lib.JsonSerializer();
  const msgpack = new lib.MsgPackSerializer();
  return [
    ["MemoryPool rent/return", () => {
      const pool = new lib.MemoryPool();
      const bytes = pool.rent(100).fill(7);
      const large = bytes.length === 100 && bytes.buffer.byteLength >= 100;
      pool.return(bytes);
      pool.return(pool.rent(100));
      const { rented, returned, outstanding, hits } = pool.stats();
      return `${large} ${rented} ${returned} ${outstanding} ${hits}`;
    }, "true 2 2 0 1"],
    ["MemoryPool rejects a double return (TypeError)", () => {
      const pool = new lib.MemoryPool();
      const bytes = pool.rent(64);
      pool.return(bytes);
      return thrown(() => pool.return(bytes));
    }, "TypeError"],
    ["MemoryPool rejects a negative length (RangeError)", () => {
      return thrown(() => new lib.MemoryPool().rent(-1));
    }, "RangeError"],
    ["PooledBytes returns on dispose", () => {
      const pool = new lib.MemoryPool();
      const owned = pool.rentOwned(10);
      owned.bytes.set([1, 2, 3]);
      owned[Symbol.dispose]();
      return `${owned.disposed} ${pool.stats().outstanding}`;
    }, "true 0"],
    ["debug MemoryPool rent/return", () => {
      const pool = new lib.MemoryPool({ debug: true });
      const bytes = pool.rent(100);
      bytes[0] = 1;
      pool.return(bytes);
      pool.rentOwned(10)[Symbol.dispose]();
      return String(pool.stats().outstanding);
    }, "0"],
    ["BufferWriter write + UTF-8 + toBytes", () => {
      const pool = new lib.MemoryPool();
      const writer = pool.rentWriter();
      writer.write(new Uint8Array([1, 2]));
      lib.writeUtf8(TEXT, writer);
      const bytes = writer.toBytes();
      writer.dispose();
      return `${hex(bytes)} ${pool.stats().outstanding}`;
    }, `0102${TEXT_UTF8_HEX} 0`],
    ["SlabAllocator allocate/copy share one chunk", () => {
      // minSlabLength 0: by default lengths this small get fresh arrays, not slab views.
      const slab = new lib.SlabAllocator({ minSlabLength: 0 });
      const a = slab.allocate(10);
      const b = slab.copy(new Uint8Array([9, 8, 7, 6]), 1, 3);
      return `${a.buffer === b.buffer} ${a.length} ${hex(b)} ${b.byteOffset >= 10}`;
    }, "true 10 0807 true"],
    ["UTF-8 encode/length/decode", () => {
      const bytes = lib.encodeUtf8(TEXT);
      return `${hex(bytes)} ${lib.utf8ByteLength(TEXT)} ${lib.decodeUtf8(bytes) === TEXT}`;
    }, `${TEXT_UTF8_HEX} ${TEXT_UTF8_HEX.length / 2} true`],
    ["UTF-8 encodeUtf8Into stops at a whole character", () => {
      const result = lib.encodeUtf8Into("a€b", new Uint8Array(4));
      return `${result.read} ${result.written}`;
    }, "2 4"],
    ["UTF-8 replacement and fatal (TypeError)", () => {
      const bad = new Uint8Array([104, 0xff, 105]);
      return `${show(lib.decodeUtf8(bad))} ${thrown(() => lib.decodeUtf8(bad, { fatal: true }))}`;
    }, '"h\uFFFDi" TypeError'],
    ["base64 encode/decode 300 bytes", () => {
      const text = lib.encodeBase64(sample);
      return `${text.length} ${fnv1a(text)} ${hex(lib.decodeBase64(text))}`;
    }, `${SAMPLE_BASE64_LENGTH} ${SAMPLE_BASE64_FNV} ${hex(sample)}`],
    ["base64url without padding", () => {
      const options = { alphabet: "base64url", omitPadding: true } as const;
      const text = lib.encodeBase64(sample.subarray(0, 32), options);
      return `${text} ${hex(lib.decodeBase64(text, { alphabet: "base64url" }))}`;
    }, `${SAMPLE_BASE64URL_NOPAD} ${hex(sample.subarray(0, 32))}`],
    ["base64 decodeBase64Into", () => {
      const dest = new Uint8Array(4);
      const { read, written } = lib.decodeBase64Into("aGVsbG8=", dest);
      return `${read} ${written} ${hex(dest.subarray(0, written))}`;
    }, "4 3 68656c"],
    ["base64 pooled variants", () => {
      // No `using` here: Node 22 lacks it, and this smoke must parse everywhere.
      const encoded = lib.encodeBase64Pooled(sample);
      const text = new TextDecoder().decode(encoded.bytes);
      encoded[Symbol.dispose]();
      const decoded = lib.decodeBase64Pooled(text);
      const bytes = hex(decoded.bytes);
      decoded[Symbol.dispose]();
      return `${fnv1a(text) === SAMPLE_BASE64_FNV} ${bytes}`;
    }, `true ${hex(sample)}`],
    ["hex encode/decode", () => {
      const text = lib.encodeHex(sample);
      return `${text.slice(0, SAMPLE_HEX_HEAD.length)} ${hex(lib.decodeHex(text.toUpperCase()))}`;
    }, `${SAMPLE_HEX_HEAD} ${hex(sample)}`],
    ["Base64EncoderStream", async () => {
      const chunks = [sample.subarray(0, 1), sample.subarray(1, 5), sample.subarray(5, 300)];
      const stream = streamOf(chunks).pipeThrough(new lib.Base64EncoderStream());
      return fnv1a((await collect(stream as ReadableStream<string>)).join("")).toString(16);
    }, SAMPLE_BASE64_FNV.toString(16)],
    ["Base64DecoderStream", async () => {
      const text = lib.encodeBase64(sample);
      const chunks = [text.slice(0, 3), text.slice(3, 7), " ", text.slice(7)];
      const stream = streamOf(chunks).pipeThrough(new lib.Base64DecoderStream());
      return (await collect(stream as ReadableStream<Uint8Array>)).map(hex).join("");
    }, hex(sample)],
    ["JSON round trip", () => {
      const bytes = json.serialize(MESSAGE);
      return `${new TextDecoder().decode(bytes)} ${show(json.deserialize(bytes))}`;
    }, `${MESSAGE_JSON} ${show(MESSAGE)}`],
    ["JSON serializeTo a pooled writer", () => {
      const writer = lib.MemoryPool.shared.rentWriter();
      try {
        return `${json.serializeTo(MESSAGE, writer)} ${new TextDecoder().decode(writer.written)}`;
      } finally {
        writer.dispose();
      }
    }, `${new TextEncoder().encode(MESSAGE_JSON).length} ${MESSAGE_JSON}`],
    ["MessagePack round trip", () => {
      const bytes = msgpack.serialize(MESSAGE);
      return `${hex(bytes)} ${show(msgpack.deserialize(bytes))}`;
    }, `${MESSAGE_MSGPACK_HEX} ${show(MESSAGE)}`],
    ["MessagePack bigint, binary and Map", () => {
      const maps = new lib.MsgPackSerializer({ mapType: "map" });
      const value = new Map<unknown, unknown>([[1, 2n ** 60n], ["bin", sample.subarray(0, 5)]]);
      return show(maps.deserialize(maps.serialize(value)));
    }, `Map{1=>1152921504606846976n,"bin"=>bin(${hex(sample.subarray(0, 5))})}`],
    ["MessagePack and NDJSON streams (web streams only)", async () => {
      // serializeStream out, then deserializeStream back over 1-byte chunks, for each format.
      const shown: string[] = [];
      for (const serializer of [msgpack, json]) {
        const stream = streamOf([MESSAGE, 1, "two"]).pipeThrough(serializer.serializeStream());
        const bytes = (await collect(stream)).flatMap((chunk) =>
          [...chunk].map((b) => Uint8Array.of(b))
        );
        const values: unknown[] = [];
        for await (const value of serializer.deserializeStream(streamOf(bytes))) values.push(value);
        shown.push(show(values));
      }
      return shown.join(" ");
    }, `${show([MESSAGE, 1, "two"])} ${show([MESSAGE, 1, "two"])}`],
    ["hostile: truncated MessagePack (RangeError)", () => {
      // A 4-billion-element array header with no elements must not allocate or hang.
      return thrown(() => msgpack.deserialize(new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff])));
    }, "RangeError"],
    ["hostile: malformed JSON (SyntaxError)", () => {
      return thrown(() => json.deserialize(new TextEncoder().encode('{"id": 1,')));
    }, "SyntaxError"],
    ["hostile: malformed base64 and hex (SyntaxError)", () => {
      return `${thrown(() => lib.decodeBase64("Zm9v!"))} ${thrown(() => lib.decodeHex("abc"))}`;
    }, "SyntaxError SyntaxError"],
    ["hostile: deep nesting (RangeError)", () => {
      // 100,000 nested one-element arrays.
      return thrown(() => msgpack.deserialize(new Uint8Array(100_000).fill(0x91)));
    }, "RangeError"],
  ];
}

/** Runs every check: a throwing check is a failed one (a library without its classes rejects). */
export async function runSmoke(lib: SmokeLibrary): Promise<SmokeResult> {
  const result: SmokeResult = { passed: 0, failed: 0, lines: [] };
  for (const [name, actual, expected] of rows(lib)) {
    const got = await Promise.resolve().then(actual).catch((e) =>
      `threw ${e?.name}: ${e?.message}`
    );
    if (got === expected) result.passed++;
    else result.failed++;
    result.lines.push(
      got === expected ? `ok   ${name}` : `FAIL ${name}: got ${got}, expected ${expected}`,
    );
  }
  return result;
}

/** The error's class name, if its message starts "Cannot"; else what it threw, or "no error". */
function thrown(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    const name = (error as Error)?.constructor?.name;
    const message = String((error as Error)?.message);
    return message.startsWith("Cannot") ? name : `${name}: ${message}`;
  }
  return "no error";
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
