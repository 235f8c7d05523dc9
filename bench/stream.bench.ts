/**
 * Stream decode of 1 MiB of small messages in 64 KiB chunks: MessagePack (`deserializeStream`
 * against `decodeMultiStream` over the same async iterable, and against whole-buffer decoders;
 * `createStreamDecoder().push` shows what the async iterator costs) and NDJSON for reference.
 * The varied warm-up decodes the same varied streams, cut into chunks of several sizes.
 *
 * @module
 */
import { decodeMultiStream, Encoder } from "@msgpack/msgpack";
import { Packr } from "msgpackr";
import { MemoryPool } from "../pool/mod.ts";
import { JsonSerializer, MsgPackSerializer } from "../serializers/mod.ts";
import { C } from "./_schema.ts";
import { contender, feedback, type Group, timeGroups, writeResults } from "./_harness.ts";
import { smallMessage, variedMessages } from "./fixtures.ts";
import { rng } from "../dev/random.ts";
import { median } from "../dev/stats.ts";

const BENCH = "stream";
const PUSH = "ours.msgpack.createStreamDecoder.push";
const SPLIT_PARSE = "TextDecoder+split+JSON.parse";
const JSON_STREAM = "ours.json.deserializeStream";
const CHUNK = 64 * 1024;
const TOTAL = 1024 * 1024;

/** The same bytes, whole and in chunks. */
interface StreamInput {
  readonly whole: Uint8Array;
  readonly chunks: readonly Uint8Array[];
}

const msgpack = new MsgPackSerializer();
const json = new JsonSerializer();
const packr = new Packr({ useRecords: false });
const encoder = new Encoder();
const textDecoder = new TextDecoder();

/** An async iterable over the chunks: the cheapest async source, the same for every decoder. */
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

/** How many values `decode` yields from the input's chunks. */
const counted =
  (decode: (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<unknown>) =>
  async (input: StreamInput): Promise<number> => {
    let count = 0;
    for await (const _ of decode(asyncChunks(input.chunks))) count++;
    return count;
  };

type Decode = (input: StreamInput) => unknown;
const peer = (id: string, name: string, fn: Decode) =>
  contender("peer", "decode", true, id, name, fn);
const own = (id: string, name: string, fn: Decode) =>
  contender("ours", "decode", true, id, name, fn);
const WHOLE = " (whole buffer)";

/** The synchronous decoder under `deserializeStream`, fed chunk by chunk. */
function pushDecode(input: StreamInput): number {
  const streamDecoder = msgpack.createStreamDecoder();
  const values: unknown[] = [];
  let count = 0;
  for (const chunk of input.chunks) {
    streamDecoder.push(chunk, values);
    count += values.length;
    values.length = 0;
  }
  streamDecoder.end();
  return count;
}

/** NDJSON as a user parses it by hand: the whole buffer, split into lines. */
function splitParse(input: StreamInput): number {
  let count = 0;
  for (const line of textDecoder.decode(input.whole).split("\n")) {
    if (line !== "") {
      JSON.parse(line);
      count++;
    }
  }
  return count;
}

const msgpackContenders = [
  peer(
    C.msgpackDecodeMultiStream,
    "@msgpack/msgpack decodeMultiStream",
    counted(decodeMultiStream),
  ),
  peer(
    "msgpackr.unpackMultiple",
    `msgpackr unpackMultiple${WHOLE}`,
    (input) => (packr.unpackMultiple(input.whole) as unknown[]).length,
  ),
  own(
    C.msgpackDeserializeSequence,
    `MsgPackSerializer.deserializeSequence${WHOLE}`,
    (input) => msgpack.deserializeSequence(input.whole).length,
  ),
  own(
    C.msgpackDeserializeStream,
    "MsgPackSerializer.deserializeStream",
    counted((chunks) => msgpack.deserializeStream(chunks)),
  ),
  own(PUSH, "MsgPackSerializer.createStreamDecoder().push", pushDecode),
];
const ndjsonContenders = [
  peer(SPLIT_PARSE, `TextDecoder.decode + split + JSON.parse${WHOLE}`, splitParse),
  own(
    "ours.json.deserializeSequence",
    `JsonSerializer.deserializeSequence${WHOLE}`,
    (input) => json.deserializeSequence(input.whole).length,
  ),
  own(
    JSON_STREAM,
    "JsonSerializer.deserializeStream",
    counted((chunks) => json.deserializeStream(chunks)),
  ),
];

/** The encodings of `messages` back to back (NDJSON: `total` UTF-16 units), up to `total`. */
function streamOf(messages: readonly unknown[], total: number, ndjson: boolean): Uint8Array {
  if (ndjson) {
    let text = "";
    for (let i = 0; text.length < total; i++) {
      text += JSON.stringify(messages[i % messages.length]) + "\n";
    }
    return new TextEncoder().encode(text);
  }
  const writer = new MemoryPool().rentWriter();
  for (let i = 0; writer.writtenCount < total; i++) {
    writer.write(encoder.encode(messages[i % messages.length]));
  }
  const whole = writer.written.slice();
  writer.dispose();
  return whole;
}

function chunked(whole: Uint8Array, size: number): StreamInput {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < whole.length; at += size) chunks.push(whole.subarray(at, at + size));
  return { whole, chunks };
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
    tags: (smallMessage.tags as string[]).slice(0, 1 + (i % 3)),
    position: { x: Math.round(random() * 1000) / 8, y: -(i % 17) },
    score: random(),
  }));
}

const small = smallMessages(256);
const varied = variedMessages();
const entries = [];
const roundTimes = new Map<string, number[]>();
for (
  const [subject, contenders, ndjson] of [
    ["msgpack stream decode", msgpackContenders, false],
    ["ndjson stream decode", ndjsonContenders, true],
  ] as const
) {
  const input = chunked(streamOf(small, TOTAL, ndjson), CHUNK);
  const group: Group<StreamInput> = {
    subject,
    size: "64 KiB chunks",
    sizeBytes: input.whole.length,
    input,
    contenders,
  };
  // Every contender must count every value, or the comparison means nothing.
  const expected = await contenders[0].fn(input);
  for (const c of contenders) {
    const count = await c.fn(input);
    if (count !== expected) throw new Error(`${c.name} decoded ${count} values, not ${expected}`);
  }
  if (feedback === "varied") {
    // The same varied streams for every contender, cut at several chunk sizes.
    const variedStream = streamOf(varied, 2 * TOTAL, ndjson);
    const warmUp = [1024, 4096, CHUNK, 256 * 1024].map((size) => chunked(variedStream, size));
    for (let pass = 0; pass < 3; pass++) {
      for (const set of warmUp) for (const c of contenders) await c.fn(set);
    }
  }
  entries.push(...await timeGroups(BENCH, [group], feedback, (id, ns) => roundTimes.set(id, ns)));
}

/** The median over rounds of `peer`'s time / `ours`' in the same round: both see the same load. */
function pairedRatio(peer: string, ours: string): number {
  const b = roundTimes.get(ours)!;
  return median(roundTimes.get(peer)!.map((time, round) => time / b[round]));
}
const ratios = {
  vsDecodeMultiStream: pairedRatio(C.msgpackDecodeMultiStream, C.msgpackDeserializeStream),
  vsDeserializeSequence: pairedRatio(C.msgpackDeserializeSequence, C.msgpackDeserializeStream),
  vsUnpackMultiple: pairedRatio("msgpackr.unpackMultiple", C.msgpackDeserializeStream),
  pushVsDeserializeSequence: pairedRatio(C.msgpackDeserializeSequence, PUSH),
  ndjsonVsSplitParse: pairedRatio(SPLIT_PARSE, JSON_STREAM),
};
writeResults(BENCH, entries, {
  chunkBytes: CHUNK,
  /** Paired per-round ratios (see pairedRatio); the report computes its own from the medians. */
  ratios,
  targets: { vsDecodeMultiStream: 1.5, vsDeserializeSequence: 0.5 },
});
