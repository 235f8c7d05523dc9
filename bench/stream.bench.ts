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
 *   the async iterator, to show what the iterator costs;
 * - for reference, NDJSON of the same messages: `JsonSerializer.deserializeStream`
 *   and `deserializeSequence` against `TextDecoder` + `split("\n")` +
 *   `JSON.parse` over the whole buffer.
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
import { JsonSerializer, MsgPackSerializer } from "../serializers/mod.ts";
import { type BenchEntry, C, type Side } from "./_schema.ts";
import { feedback, roundMs, rounds, runtimeInfo, writeResults } from "./_harness.ts";
import { smallMessage, variedMessages } from "./fixtures.ts";
import { rng } from "../dev/random.ts";

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

const NDJSON_SUBJECT = "ndjson stream decode";
const NDJSON_C = {
  deserializeStream: "ours.json.deserializeStream",
  deserializeSequence: "ours.json.deserializeSequence",
  splitParse: "TextDecoder+split+JSON.parse",
} as const;
const json = new JsonSerializer();
const textDecoder = new TextDecoder();

/** NDJSON, for reference: what a user writes by hand over a whole buffer, then ours. */
const ndjsonContenders: StreamContender[] = [
  {
    contender: NDJSON_C.splitParse,
    name: "TextDecoder.decode + split + JSON.parse (whole buffer)",
    side: "peer",
    fn: (input) => {
      let count = 0;
      for (const line of textDecoder.decode(input.whole).split("\n")) {
        if (line !== "") {
          JSON.parse(line);
          count++;
        }
      }
      return count;
    },
  },
  {
    contender: NDJSON_C.deserializeSequence,
    name: "JsonSerializer.deserializeSequence (whole buffer)",
    side: "ours",
    fn: (input) => json.deserializeSequence(input.whole).length,
  },
  {
    contender: NDJSON_C.deserializeStream,
    name: "JsonSerializer.deserializeStream",
    side: "ours",
    fn: async (input) => {
      let count = 0;
      for await (const _ of json.deserializeStream(asyncChunks(input.chunks))) count++;
      return count;
    },
  },
];

/** NDJSON of `messages`, repeated up to `total` bytes. */
function ndjsonOf(messages: readonly unknown[], total: number): Uint8Array {
  let text = "";
  for (let i = 0; text.length < total; i++) {
    text += JSON.stringify(messages[i % messages.length]) + "\n";
  }
  return new TextEncoder().encode(text);
}

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
  const tags = smallMessage.tags as string[];
  return Array.from({ length: count }, (_, i) => ({
    ...smallMessage,
    id: 100000 + i,
    name: names[i % names.length],
    flag: i % 3 === 0,
    tags: tags.slice(0, 1 + (i % 3)),
    position: { x: Math.round(random() * 1000) / 8, y: -(i % 17) },
    score: random(),
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const MITATA_OPTIONS = {
  gc: false,
  min_cpu_time: roundMs * 1e6,
  batch_threshold: 5_000,
  batch_samples: 512,
  min_samples: 12,
};

/**
 * Checks that every contender counts every value, warms them up alike on the
 * varied sets (interleaved), then times `rounds` interleaved rounds each.
 */
async function timeGroup(
  subject: string,
  group: readonly StreamContender[],
  input: StreamInput,
  warmUp: readonly StreamInput[],
): Promise<{ entries: BenchEntry[]; roundTimes: Map<string, number[]> }> {
  const expected = await group[0].fn(input);
  for (const c of group) {
    const count = await c.fn(input);
    if (count !== expected) throw new Error(`${c.name} decoded ${count} values, not ${expected}`);
  }
  if (feedback === "varied") {
    for (let pass = 0; pass < 3; pass++) {
      for (const set of warmUp) for (const c of group) await c.fn(set);
    }
  }
  const p50s = group.map(() => [] as number[]);
  const avgs = group.map(() => [] as number[]);
  const p99s = group.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of group.entries()) {
      const stats = await measure(() => c.fn(input), MITATA_OPTIONS);
      p50s[i].push(stats.p50);
      avgs[i].push(stats.avg);
      p99s[i] = Math.max(p99s[i], stats.p99);
    }
  }
  const size = "64 KiB chunks";
  const roundTimes = new Map(group.map((c, i) => [c.contender, p50s[i]]));
  const entries = group.map((c, i): BenchEntry => {
    const nsPerOp = median(p50s[i]);
    return {
      bench: BENCH,
      group: `${subject} ${size}`,
      subject,
      size,
      sizeBytes: input.whole.length,
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
  return { entries, roundTimes };
}

console.log(
  `stream: ${runtimeInfo.name} ${runtimeInfo.version} (${runtimeInfo.id}), feedback ${feedback}`,
);
const small = smallMessages(256);
// The same varied streams for every contender, cut at several chunk sizes.
const variedMessagesSet = variedMessages();
const warmUpSets = (varied: Uint8Array): StreamInput[] =>
  [1024, 4096, CHUNK, 256 * 1024].map((size) => ({ whole: varied, chunks: chunked(varied, size) }));

const whole = streamOf(small, TOTAL);
const msgpackGroup = await timeGroup(
  SUBJECT,
  contenders,
  { whole, chunks: chunked(whole, CHUNK) },
  warmUpSets(streamOf(variedMessagesSet, 2 * TOTAL)),
);
const ndjson = ndjsonOf(small, TOTAL);
const ndjsonGroup = await timeGroup(
  NDJSON_SUBJECT,
  ndjsonContenders,
  { whole: ndjson, chunks: chunked(ndjson, CHUNK) },
  warmUpSets(ndjsonOf(variedMessagesSet, 2 * TOTAL)),
);
const entries = [...msgpackGroup.entries, ...ndjsonGroup.entries];
const roundTimes = new Map([...msgpackGroup.roundTimes, ...ndjsonGroup.roundTimes]);

/**
 * The median over rounds of `peer`'s time / `ours`' time in the same round:
 * on a shared, noisy machine, neighbours in time see the same load.
 */
function pairedRatio(peer: string, ours: string): number {
  const a = roundTimes.get(peer)!;
  const b = roundTimes.get(ours)!;
  return median(a.map((time, round) => time / b[round]));
}
const ratios = {
  vsDecodeMultiStream: pairedRatio(STREAM_C.decodeMultiStream, STREAM_C.deserializeStream),
  vsDeserializeSequence: pairedRatio(STREAM_C.deserializeSequence, STREAM_C.deserializeStream),
  vsUnpackMultiple: pairedRatio(STREAM_C.unpackMultiple, STREAM_C.deserializeStream),
  pushVsDeserializeSequence: pairedRatio(STREAM_C.deserializeSequence, STREAM_C.pushDecoder),
  ndjsonVsSplitParse: pairedRatio(NDJSON_C.splitParse, NDJSON_C.deserializeStream),
};
for (const e of entries) console.log(`  ${e.group}: ${e.name}: ${(e.nsPerOp / 1e6).toFixed(3)} ms`);
console.log(
  `  deserializeStream: ${ratios.vsDecodeMultiStream.toFixed(2)}x decodeMultiStream (target 1.5), ${
    ratios.vsDeserializeSequence.toFixed(2)
  }x deserializeSequence (target 0.5), ${
    ratios.vsUnpackMultiple.toFixed(2)
  }x unpackMultiple; push: ${ratios.pushVsDeserializeSequence.toFixed(2)}x deserializeSequence; ` +
    `NDJSON: ${ratios.ndjsonVsSplitParse.toFixed(2)}x split+JSON.parse`,
);
writeResults(BENCH, entries, {
  chunkBytes: CHUNK,
  /** Paired per-round ratios (see pairedRatio); the report computes its own from the medians. */
  ratios,
  targets: { vsDecodeMultiStream: 1.5, vsDeserializeSequence: 0.5 },
});
