import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeMultiStream, encode as theirEncode } from "@msgpack/msgpack";
import { pack as msgpackrPack, Packr } from "msgpackr";
import {
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_STREAM_CHUNK_SIZE,
  JsonSerializer,
  type MessageSerializer,
  MsgPackExt,
  MsgPackSerializer,
} from "../serializers/mod.ts";
import { MemoryPool } from "../pool/mod.ts";
import { type Random, randomBytes, randomInt, rng } from "./_random.ts";

const encoder = new TextEncoder();
const STRING_PIECES = ["a", "é", "漢", "😀", "\n", "\r", "\u0000", "xyz", "Zürich"];

function randomString(random: Random, length: number): string {
  let text = "";
  while (text.length < length) {
    text += STRING_PIECES[randomInt(random, 0, STRING_PIECES.length - 1)];
  }
  text = text.slice(0, length);
  return /[\ud800-\udbff]$/.test(text) ? text.slice(0, -1) + "b" : text;
}

/** A random MessagePack value tree; `json` keeps to what JSON round-trips. */
function randomValue(random: Random, depth: number, json: boolean): unknown {
  const kind = randomInt(random, 0, depth >= 3 ? 6 : 9);
  // Long strings, bins and containers only at the top, so a sequence stays well under 1 MiB.
  const top = depth === 0;
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return [0, 1, 127, 128, 255, 65536, 2 ** 32, -1, -33, -129, -(2 ** 31) - 1][
        randomInt(random, 0, 10)
      ];
    case 3:
      return (random() - 0.5) * 1e6;
    case 4:
      return randomString(
        random,
        top && random() < 0.2 ? randomInt(random, 200, 70000) : randomInt(random, 0, 40),
      );
    case 5:
      if (json) return randomString(random, 3);
      return random() < 0.5
        ? randomBytes(random, top && random() < 0.2 ? 70000 : randomInt(random, 0, 300))
        : new MsgPackExt(
          randomInt(random, 0, 127),
          randomBytes(random, [1, 2, 4, 8, 16, 3, 300][randomInt(random, 0, 6)]),
        );
    case 6:
      return json ? randomInt(random, -1e9, 1e9) : new Date(randomInt(random, -1e12, 4e12));
    case 7: {
      const length = top && random() < 0.1 ? 300 : randomInt(random, 0, top ? 17 : 6);
      return Array.from({ length }, () => randomValue(random, depth + 1, json));
    }
    default: {
      const object: Record<string, unknown> = {};
      const keys = top && random() < 0.1 ? 70 : randomInt(random, 0, top ? 17 : 6);
      for (let i = 0; i < keys; i++) {
        object[`${randomString(random, randomInt(random, 0, 20))}#${i}`] = randomValue(
          random,
          depth + 1,
          json,
        );
      }
      return object;
    }
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

/** Cuts `bytes` at random points: mostly small pieces, some empty, some large. */
function randomSplit(random: Random, bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const pick = random();
    const size = pick < 0.1
      ? 0
      : pick < 0.5
      ? randomInt(random, 1, 8)
      : pick < 0.9
      ? randomInt(random, 9, 600)
      : randomInt(random, 601, 80000);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

function fixedSplit(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

type SourceKind = "ReadableStream" | "AsyncIterable" | "Iterable" | "async generator";
const SOURCE_KINDS: readonly SourceKind[] = [
  "ReadableStream",
  "AsyncIterable",
  "Iterable",
  "async generator",
];

function sourceOf(kind: SourceKind, chunks: readonly Uint8Array[]) {
  switch (kind) {
    case "ReadableStream": {
      let i = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i < chunks.length) controller.enqueue(chunks[i++]);
          else controller.close();
        },
      });
    }
    case "AsyncIterable":
      return {
        [Symbol.asyncIterator]() {
          let i = 0;
          return {
            next: () =>
              Promise.resolve(
                i < chunks.length
                  ? { value: chunks[i++], done: false as const }
                  : { value: undefined, done: true as const },
              ),
          };
        },
      };
    case "Iterable":
      return chunks;
    case "async generator":
      return (async function* () {
        for (const chunk of chunks) yield chunk;
      })();
  }
}

async function collect<T>(values: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of values) out.push(value);
  return out;
}

/** A ReadableStream over chunks that records whether it was cancelled, and with what. */
function cancellableSource(chunks: readonly Uint8Array[]) {
  const state = { cancelled: false, reason: undefined as unknown, pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled < chunks.length) controller.enqueue(chunks[state.pulled++]);
      else controller.close();
    },
    cancel(reason) {
      state.cancelled = true;
      state.reason = reason;
    },
  });
  return { stream, state };
}

const msgpack = new MsgPackSerializer();
const json = new JsonSerializer();

describe("MsgPackSerializer.deserializeStream", () => {
  test("random values split at random points, from every source kind, equal the whole-buffer decode", async () => {
    for (let seed = 1; seed <= 24; seed++) {
      const random = rng(seed);
      const values = Array.from(
        { length: randomInt(random, 0, 30) },
        () => randomValue(random, 0, false),
      );
      const whole = concat(values.map((v) => msgpack.serialize(v)));
      const expected = msgpack.deserializeSequence(whole);
      const kind = SOURCE_KINDS[seed % SOURCE_KINDS.length];
      const chunks = randomSplit(random, whole);
      assert.deepEqual(
        await collect(msgpack.deserializeStream(sourceOf(kind, chunks))),
        expected,
        `seed ${seed}, ${kind}`,
      );
      const decoder = msgpack.createStreamDecoder();
      const pushed: unknown[] = [];
      for (const chunk of chunks) decoder.push(chunk, pushed);
      decoder.end(pushed);
      assert.deepEqual(pushed, expected, `seed ${seed}, push`);
    }
  });

  test("1-byte chunks, from every source kind", async () => {
    const random = rng(99);
    const values = Array.from({ length: 12 }, () => randomValue(random, 2, false));
    const whole = concat(values.map((v) => msgpack.serialize(v)));
    const expected = msgpack.deserializeSequence(whole);
    for (const kind of SOURCE_KINDS) {
      assert.deepEqual(
        await collect(msgpack.deserializeStream(sourceOf(kind, fixedSplit(whole, 1)))),
        expected,
        kind,
      );
    }
  });

  test("every chunk size from 1 to 40 over one sequence", async () => {
    const values = [
      0,
      -1,
      1.5,
      "é",
      "x".repeat(40),
      [1, [2, [3]]],
      { a: { b: null } },
      new Date(1),
      new Uint8Array([1, 2, 3]),
      2n ** 64n - 1n,
    ];
    const whole = concat(values.map((v) => msgpack.serialize(v)));
    for (let size = 1; size <= 40; size++) {
      assert.deepEqual(
        await collect(msgpack.deserializeStream(fixedSplit(whole, size))),
        values,
        `size ${size}`,
      );
    }
  });

  test("each value is yielded as soon as its last byte arrives", async () => {
    const whole = concat([msgpack.serialize({ a: 1 }), msgpack.serialize("bc")]);
    // Hand out one byte per pull and record how many bytes were read when each value came out.
    let read = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (read < whole.length) controller.enqueue(whole.subarray(read, ++read));
        else controller.close();
      },
    }, { highWaterMark: 0 });
    const seen: [unknown, number][] = [];
    for await (const value of msgpack.deserializeStream(stream)) seen.push([value, read]);
    assert.deepEqual(seen, [[{ a: 1 }, 4], ["bc", 7]]);
  });

  test("large values in 1-byte chunks take linear time (a huge str and a long array of small items)", () => {
    const text = "y".repeat(100_000);
    const array = Array.from({ length: 50_000 }, (_, i) => i % 100);
    const whole = concat([msgpack.serialize(text), msgpack.serialize(array)]);
    const decoder = msgpack.createStreamDecoder();
    const out: unknown[] = [];
    // Quadratic work (re-decoding from the value's start per byte) would not finish here.
    for (let i = 0; i < whole.length; i++) decoder.push(whole.subarray(i, i + 1), out);
    decoder.end(out);
    assert.equal(out.length, 2);
    assert.equal(out[0], text);
    assert.deepEqual(out[1], array);
  });

  test("other views and ArrayBuffers are read as their bytes", async () => {
    const bytes = msgpack.serialize([1, "two"]);
    const buffer = bytes.slice().buffer;
    const chunks = [new DataView(buffer, 0, 2), buffer.slice(2, 4), new Uint8Array(buffer, 4)];
    assert.deepEqual(await collect(msgpack.deserializeStream(chunks as unknown as Uint8Array[])), [[
      1,
      "two",
    ]]);
  });

  test("a cut-off last value is a SyntaxError naming the stream offsets", async () => {
    const whole = concat([msgpack.serialize("first"), msgpack.serialize({ key: "value" })]);
    const cut = whole.subarray(0, whole.length - 2);
    for (const size of [1, 3, cut.length]) {
      const values: unknown[] = [];
      await assert.rejects(async () => {
        for await (const value of msgpack.deserializeStream(fixedSplit(cut, size))) {
          values.push(value);
        }
      }, (error: Error) => {
        assert.ok(error instanceof SyntaxError, String(error));
        assert.match(
          error.message,
          new RegExp(`ends at offset ${cut.length} inside the value at offset 6`),
        );
        return true;
      });
      assert.deepEqual(values, ["first"], `size ${size}`);
    }
    const decoder = msgpack.createStreamDecoder();
    assert.deepEqual(decoder.push(cut), ["first"]);
    assert.throws(() => decoder.end(), SyntaxError);
    assert.throws(() => decoder.end(), TypeError); // unusable after an error
  });

  test("malformed bytes are a SyntaxError at their stream offset, after the values before them", async () => {
    const good = concat(Array.from({ length: 100 }, (_, i) => msgpack.serialize({ i })));
    const whole = concat([good, new Uint8Array([0xc1])]);
    for (const size of [1, 7, 64, whole.length]) {
      const values: unknown[] = [];
      await assert.rejects(
        async () => {
          for await (const value of msgpack.deserializeStream(fixedSplit(whole, size))) {
            values.push(value);
          }
        },
        new RegExp(
          `SyntaxError: Cannot decode MessagePack: reserved byte 0xc1 at offset ${good.length}$`,
        ),
      );
      assert.equal(values.length, 100, `size ${size}`);
    }
  });

  test("a decode error cancels the source with the error", async () => {
    const whole = concat([msgpack.serialize(1), new Uint8Array([0xc1]), msgpack.serialize(2)]);
    const { stream, state } = cancellableSource([whole, msgpack.serialize(3)]);
    await assert.rejects(collect(msgpack.deserializeStream(stream)), SyntaxError);
    assert.equal(state.cancelled, true);
    assert.ok(state.reason instanceof SyntaxError);
  });

  test("an incomplete value needing more than maxBufferedBytes is a RangeError", async () => {
    // A str32 header that claims 1 MiB: refused as soon as the header is read, not after buffering.
    const header = new Uint8Array([0xdb, 0x00, 0x10, 0x00, 0x00, 0x61]);
    await assert.rejects(
      collect(msgpack.deserializeStream([header], { maxBufferedBytes: 1000 })),
      /RangeError: Cannot decode MessagePack stream: the value at offset 0 needs 1048581 bytes or more, past maxBufferedBytes 1000/,
    );
    // An array of 5000 items needs 5000 bytes at least: refused once its header is in.
    const ones = msgpack.serialize(Array.from({ length: 5000 }, () => 1));
    const failedAt = (bytes: Uint8Array, maxBufferedBytes: number): number => {
      const decoder = msgpack.createStreamDecoder({ maxBufferedBytes });
      for (let i = 0; i < bytes.length; i++) {
        try {
          decoder.push(bytes.subarray(i, i + 1));
        } catch (error) {
          assert.ok(error instanceof RangeError, String(error));
          assert.throws(() => decoder.push(new Uint8Array([1])), TypeError); // unusable after an error
          return i;
        }
      }
      return -1;
    };
    assert.equal(failedAt(ones, 2000), 2);
    // 1000 strings of 10 bytes: the least length grows as they are read; refused before 2000 are held.
    const strings = msgpack.serialize(Array.from({ length: 1000 }, () => "s".repeat(10)));
    const at = failedAt(strings, 2000);
    assert.ok(at > 1000 && at < 2000, `failed at ${at}`);
    assert.equal(failedAt(strings, strings.length), -1);
  });

  test("a value complete within one chunk is not held, so maxBufferedBytes does not apply", async () => {
    const big = msgpack.serialize("z".repeat(5000));
    assert.deepEqual(await collect(msgpack.deserializeStream([big], { maxBufferedBytes: 100 })), [
      "z".repeat(5000),
    ]);
    assert.equal(DEFAULT_MAX_BUFFERED_BYTES, 16 * 1024 * 1024);
  });

  test("leaving the loop early cancels the source, for every source kind", async () => {
    const chunks = Array.from({ length: 10 }, (_, i) => msgpack.serialize(i));
    const { stream, state } = cancellableSource(chunks);
    for await (const value of msgpack.deserializeStream(stream)) if (value === 2) break;
    assert.equal(state.cancelled, true);
    assert.ok(state.pulled < chunks.length);
    assert.doesNotThrow(() => stream.getReader().releaseLock()); // the lock was released

    let returned = 0;
    const asyncSource = {
      [Symbol.asyncIterator]() {
        let i = 0;
        return {
          next: () => Promise.resolve({ value: chunks[i++], done: false as const }),
          return: () => {
            returned++;
            return Promise.resolve({ value: undefined, done: true as const });
          },
        };
      },
    };
    await assert.rejects(async () => {
      for await (const value of msgpack.deserializeStream(asyncSource)) {
        if (value === 3) throw new Error("stop");
      }
    }, /stop/);
    assert.equal(returned, 1);

    let closed = 0;
    const syncSource = {
      [Symbol.iterator]() {
        let i = 0;
        return {
          next: () => ({ value: chunks[i++ % chunks.length], done: false as const }),
          return: () => {
            closed++;
            return { value: undefined, done: true as const };
          },
        };
      },
    };
    const take = async () => {
      for await (const value of msgpack.deserializeStream(syncSource)) {
        if (value === 5) return value;
      }
    };
    assert.equal(await take(), 5);
    assert.equal(closed, 1);
  });

  test("a source error reaches the loop", async () => {
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(msgpack.serialize(1));
        else controller.error(new Error("network down"));
      },
    }, { highWaterMark: 0 });
    const values: unknown[] = [];
    await assert.rejects(async () => {
      for await (const value of msgpack.deserializeStream(stream)) values.push(value);
    }, /network down/);
    assert.deepEqual(values, [1]);
  });

  test("bad sources, chunks and options are refused with the right error class", async () => {
    assert.throws(
      () => msgpack.deserializeStream(msgpack.serialize(1) as never),
      /TypeError: .*pass \[bytes\] or use deserializeSequence/,
    );
    assert.throws(() => msgpack.deserializeStream(42 as never), TypeError);
    assert.throws(() => msgpack.deserializeStream("ab" as never), TypeError);
    await assert.rejects(
      collect(msgpack.deserializeStream(["ab"] as never)),
      /TypeError: .*a chunk must be a Uint8Array/,
    );
    assert.throws(() => msgpack.deserializeStream([], { maxBufferedBytes: -1 }), RangeError);
    assert.throws(() => msgpack.createStreamDecoder({ maxBufferedBytes: 1.5 }), RangeError);
    assert.throws(() => msgpack.serializeStream({ chunkSize: 0 }), RangeError);
    assert.throws(() => json.serializeStream({ chunkSize: 2 ** 31 }), RangeError);
  });

  test("nesting past maxDepth across chunks is a RangeError", async () => {
    const deep = new Uint8Array(40).fill(0x91); // 40 nested one-element arrays, never closed
    const shallow = new MsgPackSerializer({ maxDepth: 8 });
    await assert.rejects(
      collect(shallow.deserializeStream(fixedSplit(deep, 1))),
      /RangeError: .*maxDepth 8/,
    );
  });

  test("streams of one serializer decode concurrently, beside deserialize", async () => {
    const a = concat(Array.from({ length: 30 }, (_, i) => msgpack.serialize({ stream: "a", i })));
    const b = concat(
      Array.from({ length: 30 }, (_, i) => msgpack.serialize(["b", i, "x".repeat(i)])),
    );
    const slowly = async function* (bytes: Uint8Array) {
      for (let i = 0; i < bytes.length; i += 3) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        yield bytes.subarray(i, i + 3);
      }
    };
    const read = async (bytes: Uint8Array) => {
      const values: unknown[] = [];
      for await (const value of msgpack.deserializeStream(slowly(bytes))) {
        values.push(value);
        assert.deepEqual(msgpack.deserialize(msgpack.serialize(value)), value); // shares no state
      }
      return values;
    };
    const [fromA, fromB] = await Promise.all([read(a), read(b)]);
    assert.deepEqual(fromA, msgpack.deserializeSequence(a));
    assert.deepEqual(fromB, msgpack.deserializeSequence(b));
  });

  test("the serializer's options apply (mapType, int64)", async () => {
    const maps = new MsgPackSerializer({ mapType: "map", int64: "number" });
    const bytes = concat([
      maps.serialize(new Map([[1, "a"]])),
      new Uint8Array([0xcf, 255, 255, 255, 255, 255, 255, 255, 255]),
    ]);
    assert.deepEqual(await collect(maps.deserializeStream(fixedSplit(bytes, 1))), [
      new Map([[1, "a"]]),
      2 ** 64,
    ]);
  });

  test("reads concatenated msgpackr output, chunked at random", async () => {
    const random = rng(7);
    const packr = new Packr({ useRecords: false });
    const values = Array.from({ length: 40 }, () => randomValue(random, 1, true));
    const whole = concat(values.map((v, i) => (i % 2 === 0 ? msgpackrPack(v) : packr.pack(v))));
    for (let seed = 0; seed < 6; seed++) {
      assert.deepEqual(
        await collect(msgpack.deserializeStream(randomSplit(rng(seed), whole))),
        values,
      );
    }
  });

  test("reads concatenated @msgpack/msgpack output", async () => {
    const values = [{ a: [1, 2] }, "x".repeat(100), null];
    const whole = concat(values.map((v) => theirEncode(v)));
    assert.deepEqual(await collect(msgpack.deserializeStream(fixedSplit(whole, 5))), values);
  });
});

describe("MsgPackSerializer.serializeStream", () => {
  test("@msgpack/msgpack's decodeMultiStream reads the output", async () => {
    const random = rng(11);
    const values = Array.from({ length: 60 }, () => randomValue(random, 1, true));
    const stream = ReadableStream.from(values).pipeThrough(
      msgpack.serializeStream({ chunkSize: 100 }),
    );
    assert.deepEqual(await collect(decodeMultiStream(stream)), values);
  });

  test("round-trips through deserializeStream, for several chunk sizes", async () => {
    const random = rng(12);
    const values = Array.from({ length: 50 }, () => randomValue(random, 0, false));
    for (const chunkSize of [1, 64, DEFAULT_STREAM_CHUNK_SIZE]) {
      const stream = ReadableStream.from(values).pipeThrough(
        msgpack.serializeStream({ chunkSize }),
      );
      assert.deepEqual(
        await collect(msgpack.deserializeStream(stream)),
        msgpack.deserializeSequence(concat(values.map((v) => msgpack.serialize(v)))),
      );
    }
  });

  test("coalesces small values into chunks of chunkSize or more, each its own buffer", async () => {
    const values = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const chunks = await collect(
      ReadableStream.from(values).pipeThrough(msgpack.serializeStream({ chunkSize: 1024 })),
    );
    const total = chunks.reduce((n, c) => n + c.length, 0);
    assert.ok(
      chunks.length <= Math.ceil(total / 1024) + 1,
      `${chunks.length} chunks for ${total} bytes`,
    );
    for (const chunk of chunks.slice(0, -1)) {
      assert.ok(chunk.length >= 1024 && chunk.length < 1024 + 16);
    }
    // Owned: exact buffers, distinct from each other (pooled memory is never handed out).
    assert.equal(new Set(chunks.map((c) => c.buffer)).size, chunks.length);
    for (const chunk of chunks) assert.equal(chunk.buffer.byteLength, chunk.length);
    assert.deepEqual(msgpack.deserializeSequence(concat(chunks)), values);
    const first = chunks[0].slice();
    chunks[1].fill(0);
    assert.deepEqual(chunks[0], first);
  });

  test("a partial chunk is emitted when the writer pauses, before close", async () => {
    const stream = msgpack.serializeStream();
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    await writer.write({ hello: "world" });
    await writer.write(1);
    const { value } = await reader.read(); // the writable side is still open
    assert.deepEqual(msgpack.deserializeSequence(value!), [{ hello: "world" }, 1]);
    await writer.write(2);
    assert.deepEqual([...(await reader.read()).value!], [2]);
    await writer.close();
    assert.equal((await reader.read()).done, true);
  });

  test("respects backpressure: a slow reader bounds what is buffered", async () => {
    const chunkSize = 512;
    const stream = msgpack.serializeStream({ chunkSize });
    const writer = stream.writable.getWriter();
    const value = { payload: "p".repeat(90) }; // about 100 bytes
    const valueBytes = msgpack.serialize(value).length;
    let written = 0;
    let read = 0;
    let maxAhead = 0;
    const producer = (async () => {
      for (let i = 0; i < 400; i++) {
        await writer.ready;
        writer.write(value);
        written += valueBytes;
        maxAhead = Math.max(maxAhead, written - read);
      }
      await writer.close();
    })();
    const reader = stream.readable.getReader();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1)); // slow reader
      const { value: chunk, done } = await reader.read();
      if (done) break;
      read += chunk.length;
    }
    await producer;
    assert.equal(read, 400 * valueBytes);
    // One chunk queued, one being filled, a value queued on the writable side, plus slack.
    assert.ok(maxAhead <= 4 * chunkSize, `${maxAhead} bytes ahead of the reader`);
  });

  test("the pooled buffer goes back to the pool on close, cancel and error", async () => {
    const pool = new MemoryPool();
    const pooled = new MsgPackSerializer({ pool });
    await collect(ReadableStream.from([1, 2, 3]).pipeThrough(pooled.serializeStream()));
    assert.equal(pool.stats().outstanding, 0, "after close");

    const stream = pooled.serializeStream();
    const writer = stream.writable.getWriter();
    await writer.write("held in the pooled buffer");
    assert.equal(pool.stats().outstanding, 1);
    await stream.readable.cancel();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the flush timer, where cancel() is not a hook
    assert.equal(pool.stats().outstanding, 0, "after cancel");

    await assert.rejects(
      collect(ReadableStream.from([1, Symbol("no")]).pipeThrough(pooled.serializeStream())),
      TypeError,
    );
    assert.equal(pool.stats().outstanding, 0, "after an error");
  });

  test("a value that cannot be encoded errors the stream with a TypeError", async () => {
    const stream = ReadableStream.from([1, () => 1]).pipeThrough(msgpack.serializeStream());
    await assert.rejects(collect(stream), TypeError);
  });
});

describe("JsonSerializer streams (NDJSON)", () => {
  test("random values split at random points round-trip, from every source kind", async () => {
    for (let seed = 1; seed <= 16; seed++) {
      const random = rng(seed);
      const values = Array.from(
        { length: randomInt(random, 0, 25) },
        () => randomValue(random, 0, true),
      );
      const lines = values.map((v) =>
        JSON.stringify(v) + (random() < 0.3 ? "\r\n" : "\n") + (random() < 0.2 ? "\n  \n" : "")
      ).join("");
      const bytes = encoder.encode(lines);
      const kind = SOURCE_KINDS[seed % SOURCE_KINDS.length];
      assert.deepEqual(
        await collect(json.deserializeStream(sourceOf(kind, randomSplit(random, bytes)))),
        values,
        `seed ${seed}`,
      );
      assert.deepEqual(json.deserializeSequence(bytes), values);
    }
  });

  test("1-byte chunks split multi-byte characters and CRLFs", async () => {
    const values = ["é漢😀", { "Zürich": ["\r", "\n"] }, 12];
    const bytes = encoder.encode(values.map((v) => JSON.stringify(v)).join("\r\n") + "\r\n");
    assert.deepEqual(await collect(json.deserializeStream(fixedSplit(bytes, 1))), values);
  });

  test("serializeStream writes one line per value; deserializeStream reads it back", async () => {
    const values = [{ a: 1 }, "two\nlines", [3], null, { nested: { deep: [true] } }];
    const pretty = new JsonSerializer({ space: 2 }); // space must not put newlines inside a value
    const text = await new Response(
      ReadableStream.from(values).pipeThrough(pretty.serializeStream()),
    ).text();
    assert.equal(text, values.map((v) => JSON.stringify(v) + "\n").join(""));
    const stream = ReadableStream.from(values).pipeThrough(json.serializeStream({ chunkSize: 8 }));
    assert.deepEqual(await collect(json.deserializeStream(stream)), values);
  });

  test("serializeStream refuses what JSON cannot represent", async () => {
    await assert.rejects(
      collect(ReadableStream.from([1, undefined]).pipeThrough(json.serializeStream())),
      TypeError,
    );
  });

  test("blank lines, whitespace-only lines and a missing last newline", async () => {
    const bytes = encoder.encode('\n\r\n  \t\r\n{"a":1}\n\n[2]\r\n  "three"  ');
    assert.deepEqual(json.deserializeSequence(bytes), [{ a: 1 }, [2], "three"]);
    assert.deepEqual(await collect(json.deserializeStream([bytes])), [{ a: 1 }, [2], "three"]);
    assert.deepEqual(json.deserializeSequence(new Uint8Array(0)), []);
    // A byte order mark at the start is ignored, even split over chunks; elsewhere it is an error.
    const bom = encoder.encode('\ufeff{"a":1}\n2\n');
    assert.deepEqual(await collect(json.deserializeStream(fixedSplit(bom, 1))), [{ a: 1 }, 2]);
    assert.throws(() => json.deserializeSequence(encoder.encode("1\n\ufeff2\n")), SyntaxError);
    assert.throws(
      () => json.deserializeSequence(encoder.encode("\ufeff12")),
      /inside the number at offset 3/,
    );
  });

  test("a last line that is a bare number without its newline is a SyntaxError (it may be cut)", async () => {
    assert.deepEqual(json.deserializeSequence(encoder.encode("1\n2\n")), [1, 2]);
    assert.throws(
      () => json.deserializeSequence(encoder.encode("1\n23")),
      /SyntaxError: .*ends at offset 4 inside the number at offset 2 \(line 2\)/,
    );
    const values: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const v of json.deserializeStream([encoder.encode('{"id":1}\n{"id"')])) {
          values
            .push(v);
        }
      },
      /SyntaxError: Cannot decode NDJSON: expected ':' but found the end of the line at offset 14 \(line 2, column 6\)/,
    );
    assert.deepEqual(values, [{ id: 1 }]);
  });

  test("an invalid line is a SyntaxError naming its byte offset and line", async () => {
    const bytes = encoder.encode('{"a":"é"}\n[1,2\n{"b":2}\n');
    await assert.rejects(
      collect(json.deserializeStream(fixedSplit(bytes, 3))),
      /SyntaxError: Cannot decode NDJSON: expected .* at offset 15 \(line 2, column 5\)/,
    );
    assert.throws(() => json.deserializeSequence(bytes), /at offset 15 \(line 2/);
    const badUtf8 = concat([
      encoder.encode('"ok"\n"'),
      new Uint8Array([0xff]),
      encoder.encode('"\n'),
    ]);
    await assert.rejects(
      collect(json.deserializeStream([badUtf8])),
      /SyntaxError: Cannot decode NDJSON: invalid UTF-8 in the line at offset 5 \(line 2\)/,
    );
  });

  test("an unfinished line longer than maxBufferedBytes is a RangeError", async () => {
    const line = encoder.encode(JSON.stringify("x".repeat(500)));
    await assert.rejects(
      collect(json.deserializeStream(fixedSplit(line, 10), { maxBufferedBytes: 100 })),
      /RangeError: Cannot decode NDJSON stream: the value at offset 0 needs 110 bytes or more, past maxBufferedBytes 100/,
    );
    // A whole line in one chunk is not held.
    const whole = concat([line, encoder.encode("\n")]);
    assert.equal(
      (await collect(json.deserializeStream([whole], { maxBufferedBytes: 100 }))).length,
      1,
    );
  });

  test("the reviver applies, and createStreamDecoder works chunk by chunk", () => {
    const revived = new JsonSerializer({
      reviver: (_key, value) => (typeof value === "number" ? value * 10 : value),
    });
    const decoder = revived.createStreamDecoder();
    assert.deepEqual(decoder.push(encoder.encode('{"n":1}\n{"n"')), [{ n: 10 }]);
    assert.equal(decoder.bufferedBytes, 4);
    assert.deepEqual(decoder.push(encoder.encode(":2}")), []);
    assert.deepEqual(decoder.end(), [{ n: 20 }]);
    assert.equal(decoder.offset, 0);
  });

  test("leaving the loop early cancels the source", async () => {
    const chunks = Array.from({ length: 10 }, (_, i) => encoder.encode(`${i}\n`));
    const { stream, state } = cancellableSource(chunks);
    for await (const value of json.deserializeStream(stream)) if (value === 1) break;
    assert.equal(state.cancelled, true);
  });
});

describe("the MessageSerializer contract", () => {
  test("both serializers stream through the contract alone", async () => {
    const serializers: MessageSerializer[] = [msgpack, json];
    for (const serializer of serializers) {
      const values = [{ id: 1 }, { id: 2, tags: ["a"] }, "three"];
      const stream = ReadableStream.from(values).pipeThrough(serializer.serializeStream());
      assert.deepEqual(
        await collect(serializer.deserializeStream(stream)),
        values,
        serializer.contentType,
      );
    }
  });
});

describe("streams keep the serializer's options", () => {
  test("extensions, moreTypes, int64 and decode limits apply to every chunking", async () => {
    class Point {
      x: number;
      y: number;
      constructor(x: number, y: number) {
        this.x = x;
        this.y = y;
      }
    }
    const msgpack = new MsgPackSerializer({
      moreTypes: true,
      int64: "string",
      maxStrLength: 8,
      extensions: [{
        type: 7,
        encode: (value) => value instanceof Point ? new Uint8Array([value.x, value.y]) : null,
        decode: (data) => new Point(data[0], data[1]),
      }],
    });
    const values = [new Set([1, 2]), new Point(3, 4), 2n ** 60n, /a+/g];
    const bytes = await new Response(
      ReadableStream.from(values).pipeThrough(msgpack.serializeStream()),
    ).bytes();
    const oneByteChunks = Array.from(bytes, (byte) => new Uint8Array([byte]));
    const decoded = await Array.fromAsync(msgpack.deserializeStream(oneByteChunks));
    assert.deepEqual(decoded, [new Set([1, 2]), new Point(3, 4), String(2n ** 60n), /a+/g]);
    const tooLong = msgpack.serialize("a string of 20 chars");
    await assert.rejects(
      Array.fromAsync(msgpack.deserializeStream([tooLong.subarray(0, 3), tooLong.subarray(3)])),
      RangeError,
    );
  });
});
