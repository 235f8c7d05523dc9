/**
 * Stream decode benchmark (issue 16, item 8): 1 MiB of small MessagePack
 * messages, back to back, in 64 KiB chunks.
 *
 * - `MsgPackSerializer.deserializeStream` against @msgpack/msgpack's
 *   `decodeMultiStream` (target ≥ 1.5×), both reading the same async
 *   iterable of chunks and counting the values;
 * - against our own whole-buffer `deserializeSequence` over the same bytes
 *   (target ≥ 0.5×), with msgpackr's `unpackMultiple` as a reference column;
 * - `createStreamDecoder().push` per chunk: the synchronous decoder under
 *   the async iterator, to show what the iterator costs.
 *
 * The contenders are async, so this bench times them with mitata's `measure`
 * itself (which awaits a returned promise) rather than `timeGroups`, with the
 * same interleaved rounds and medians. Under `BENCH_FEEDBACK=varied` (the
 * default) every contender first decodes the same varied message streams, cut
 * into chunks of several sizes.
 *
 * Run: node --expose-gc bench/stream.bench.ts | deno run -A --v8-flags=--expose-gc bench/stream.bench.ts | bun bench/stream.bench.ts
 *
 * @module
 */
import { measure } from "mitata";
import { decodeMultiStream, Encoder } from "@msgpack/msgpack";
import { Packr } from "msgpackr";
import { MsgPackSerializer } from "../serializers/mod.ts";
import { type BenchEntry, C, type Side } from "./_schema.ts";
import { feedback, roundMs, rounds, runtimeInfo, writeResults } from "./_harness.ts";
import { smallMessage, variedMessages } from "./fixtures.ts";
import { rng } from "../tests/_random.ts";

const BENCH = "stream";
const SUBJECT = "msgpack stream decode";
const CHUNK = 64 * 1024;
const TOTAL = 1024 * 1024;

/** The contender ids: the targets' (bench/_schema.ts `C`) and two stream-only ones. */
const STREAM_C = {
  deserializeStream: C.msgpackDeserializeStream,
  pushDecoder: "ours.msgpack.createStreamDecoder.push",
  deserializeSequence: C.msgpackDeserializeSequence,
  decodeMultiStream: C.msgpackDecodeMultiStream,
  unpackMultiple: "msgpackr.unpackMultiple",
} as const;

/** The same bytes, whole and in chunks. */
interface StreamInput {
  readonly whole: Uint8Array;
  readonly chunks: readonly Uint8Array[];
}

interface StreamContender {
  readonly contender: string;
  readonly name: string;
  readonly side: Side;
  readonly fn: (input: StreamInput) => number | Promise<number>;
}

const msgpack = new MsgPackSerializer();
const packr = new Packr({ useRecords: false });
const encoder = new Encoder();

/** An async iterable over the chunks: the cheapest async source, the same for both decoders. */
function asyncChunks(chunks: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
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
        return: () => Promise.resolve({ value: undefined, done: true as const }),
      };
    },
  };
}

const contenders: StreamContender[] = [
  {
    contender: STREAM_C.decodeMultiStream,
    name: "@msgpack/msgpack decodeMultiStream",
    side: "peer",
    fn: async (input) => {
      let count = 0;
      for await (const _ of decodeMultiStream(asyncChunks(input.chunks))) count++;
      return count;
    },
  },
  {
    contender: STREAM_C.unpackMultiple,
    name: "msgpackr unpackMultiple (whole buffer)",
    side: "peer",
    fn: (input) => (packr.unpackMultiple(input.whole) as unknown[]).length,
  },
  {
    contender: STREAM_C.deserializeSequence,
    name: "MsgPackSerializer.deserializeSequence (whole buffer)",
    side: "ours",
    fn: (input) => msgpack.deserializeSequence(input.whole).length,
  },
  {
    contender: STREAM_C.deserializeStream,
    name: "MsgPackSerializer.deserializeStream",
    side: "ours",
    fn: async (input) => {
      let count = 0;
      for await (const _ of msgpack.deserializeStream(asyncChunks(input.chunks))) count++;
      return count;
    },
  },
  {
    contender: STREAM_C.pushDecoder,
    name: "MsgPackSerializer.createStreamDecoder().push",
    side: "ours",
    fn: (input) => {
      const decoder = msgpack.createStreamDecoder();
      const values: unknown[] = [];
      let count = 0;
      for (const chunk of input.chunks) {
        decoder.push(chunk, values);
        count += values.length;
        values.length = 0;
      }
      decoder.end();
      return count;
    },
  },
];

/** Concatenates the encodings of `messages`, repeated up to `total` bytes. */
function streamOf(messages: readonly unknown[], total: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (let i = 0; length < total; i++) {
    const bytes = encoder.encode(messages[i % messages.length]).slice();
    parts.push(bytes);
    length += bytes.length;
  }
  const whole = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

function chunked(whole: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < whole.length; at += size) chunks.push(whole.subarray(at, at + size));
  return chunks;
}

/** Small messages that differ as a stream's do: ids, scores, names, tag counts. */
function smallMessages(count: number): unknown[] {
  const random = rng(16);
  const names = ["order.created", "order.paid", "order.shipped", "user.signed-in"];
  return Array.from({ length: count }, (_, i) => ({
    ...smallMessage,
    id: 100000 + i,
    name: names[i % names.length],
    flag: i % 3 === 0,
    tags: smallMessage.tags.slice(0, 1 + (i % 3)),
    position: { x: Math.round(random() * 1000) / 8, y: -(i % 17) },
    score: random(),
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const whole = streamOf(smallMessages(256), TOTAL);
const input: StreamInput = { whole, chunks: chunked(whole, CHUNK) };
const expected = msgpack.deserializeSequence(whole).length;

console.log(
  `stream: ${runtimeInfo.name} ${runtimeInfo.version} (${runtimeInfo.id}), feedback ${feedback}`,
);
// Every contender must count every value, or its time means nothing.
for (const c of contenders) {
  const count = await c.fn(input);
  if (count !== expected) throw new Error(`${c.name} decoded ${count} values, not ${expected}`);
}
if (feedback === "varied") {
  // The same varied streams for every contender, interleaved, cut at several chunk sizes.
  const varied = streamOf(variedMessages(), 2 * TOTAL);
  const sets: StreamInput[] = [1024, 4096, CHUNK, 256 * 1024].map((size) => ({
    whole: varied,
    chunks: chunked(varied, size),
  }));
  for (let pass = 0; pass < 3; pass++) {
    for (const set of sets) for (const c of contenders) await c.fn(set);
  }
}

const MITATA_OPTIONS = {
  gc: false,
  min_cpu_time: roundMs * 1e6,
  batch_threshold: 5_000,
  batch_samples: 512,
  min_samples: 12,
};
const p50s = contenders.map(() => [] as number[]);
const avgs = contenders.map(() => [] as number[]);
const p99s = contenders.map(() => 0);
for (let round = 0; round < rounds; round++) {
  for (const [i, c] of contenders.entries()) {
    const stats = await measure(() => c.fn(input), MITATA_OPTIONS);
    p50s[i].push(stats.p50);
    avgs[i].push(stats.avg);
    p99s[i] = Math.max(p99s[i], stats.p99);
  }
}

const size = "64 KiB chunks";
const entries: BenchEntry[] = contenders.map((c, i) => {
  const nsPerOp = median(p50s[i]);
  return {
    bench: BENCH,
    group: `${SUBJECT} ${size}`,
    subject: SUBJECT,
    size,
    sizeBytes: whole.length,
    name: c.name,
    contender: c.contender,
    runtime: runtimeInfo.id,
    runtimeVersion: runtimeInfo.version,
    side: c.side,
    op: "decode",
    feedback,
    owned: true,
    strict: null,
    nsPerOp,
    opsPerSec: 1e9 / nsPerOp,
    avgNs: avgs[i].reduce((a, b) => a + b, 0) / avgs[i].length,
    p99Ns: p99s[i],
    backingStoreBytesPerOp: null,
    heapBytesPerOp: null,
  };
});
const ns = (id: string): number => entries.find((e) => e.contender === id)!.nsPerOp;
const ratios = {
  vsDecodeMultiStream: ns(STREAM_C.decodeMultiStream) / ns(STREAM_C.deserializeStream),
  vsDeserializeSequence: ns(STREAM_C.deserializeSequence) / ns(STREAM_C.deserializeStream),
  vsUnpackMultiple: ns(STREAM_C.unpackMultiple) / ns(STREAM_C.deserializeStream),
  pushVsDeserializeSequence: ns(STREAM_C.deserializeSequence) / ns(STREAM_C.pushDecoder),
};
for (const e of entries) console.log(`  ${e.name}: ${(e.nsPerOp / 1e6).toFixed(3)} ms`);
console.log(
  `  deserializeStream: ${ratios.vsDecodeMultiStream.toFixed(2)}x decodeMultiStream (target 1.5), ${
    ratios.vsDeserializeSequence.toFixed(2)
  }x deserializeSequence (target 0.5), ${
    ratios.vsUnpackMultiple.toFixed(2)
  }x unpackMultiple; push: ${ratios.pushVsDeserializeSequence.toFixed(2)}x deserializeSequence`,
);
writeResults(BENCH, entries, {
  values: expected,
  chunkBytes: CHUNK,
  ratios,
  targets: { vsDecodeMultiStream: 1.5, vsDeserializeSequence: 0.5 },
});
