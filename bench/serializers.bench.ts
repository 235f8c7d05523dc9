/**
 * Serializer benchmark, small / medium / large fixtures:
 *
 * - JSON encode: `JsonSerializer.serialize` (owned) against
 *   `TextEncoder.encode(JSON.stringify(x))`; the pooled paths
 *   (`serializePooled`, `serializeTo`) against their ceiling,
 *   `JSON.stringify` + `encodeInto` into a preallocated buffer.
 * - MessagePack encode: `MsgPackSerializer.serialize` and the pooled paths
 *   against msgpackr's `pack` (`useRecords: false`) and @msgpack/msgpack's
 *   reused `Encoder`; decode likewise.
 * - An own-buffer serializer (`slab: null`) stands for today's
 *   fresh-ArrayBuffer results in the allocation targets.
 *
 * Under `BENCH_FEEDBACK=varied` (the default) every contender is first fed the
 * same 400 varied messages; `monomorphic` times a fresh process that saw only
 * the timed message. Allocation per op is measured for the owned results.
 *
 * Run: node --expose-gc bench/serializers.bench.ts | deno run -A --v8-flags=--expose-gc bench/serializers.bench.ts | bun bench/serializers.bench.ts
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { Packr } from "msgpackr";
import { Decoder, Encoder } from "@msgpack/msgpack";
import { MemoryPool } from "../pool/mod.ts";
import {
  JsonSerializer,
  type JsonSerializerOptions,
  MsgPackSerializer,
  type MsgPackSerializerOptions,
} from "../serializers/mod.ts";
import {
  type Contender,
  feedback,
  type Group,
  runtimeInfo,
  timeGroups,
  warmUpVaried,
  writeResults,
} from "./_harness.ts";
import { C } from "./_schema.ts";
import { fixtures, variedMessages } from "./fixtures.ts";

const SIZES = ["small", "medium", "large"] as const;
const pool = new MemoryPool();
const json = new JsonSerializer({ pool });
const msgpack = new MsgPackSerializer({ pool });
// `slab: null` asks for a result with its own ArrayBuffer (today's behaviour); a
// library without the option ignores it, and the allocation target then shows no gain.
const jsonOwnBuffer = new JsonSerializer({ pool, slab: null } as JsonSerializerOptions);
const msgpackOwnBuffer = new MsgPackSerializer({ pool, slab: null } as MsgPackSerializerOptions);
const packr = new Packr({ useRecords: false });
const theirEncoder = new Encoder();
const theirDecoder = new Decoder();
const writer = pool.rentWriter(256);
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
// The ceiling's preallocated buffer: room for the largest message at 3 bytes per UTF-16 unit.
const ceilingBuffer = new Uint8Array(3 * JSON.stringify(fixtures.large).length + 1024 * 1024);

const jsonEncode: Contender<unknown>[] = [
  {
    contender: C.jsonNaive,
    name: "TextEncoder.encode(JSON.stringify(x))",
    side: "peer",
    op: "encode",
    owned: true,
    allocation: true,
    fn: (x) => textEncoder.encode(JSON.stringify(x)),
  },
  ...(runtimeInfo.name === "node"
    ? [{
      contender: C.jsonBufferFrom,
      name: "Buffer.from(JSON.stringify(x))",
      side: "peer" as const,
      op: "encode" as const,
      owned: true,
      allocation: true,
      fn: (x: unknown) => Buffer.from(JSON.stringify(x)),
    }]
    : []),
  {
    contender: C.jsonCeiling,
    name: "JSON.stringify + encodeInto(preallocated)",
    side: "peer",
    op: "encodeInto",
    owned: false,
    fn: (x) => textEncoder.encodeInto(JSON.stringify(x), ceilingBuffer).written,
  },
  {
    contender: C.jsonSerialize,
    name: "JsonSerializer.serialize",
    side: "ours",
    op: "encode",
    owned: true,
    allocation: true,
    fn: (x) => json.serialize(x),
  },
  {
    contender: C.jsonSerializeOwnBuffer,
    name: "JsonSerializer.serialize (slab: null)",
    side: "ours",
    op: "encode",
    owned: true,
    allocation: true,
    fn: (x) => jsonOwnBuffer.serialize(x),
  },
  {
    contender: C.jsonSerializePooled,
    name: "JsonSerializer.serializePooled+dispose",
    side: "ours",
    op: "encodeInto",
    owned: false,
    allocation: true,
    fn: (x) => {
      const owned = json.serializePooled(x);
      const length = owned.length;
      owned.dispose();
      return length;
    },
  },
  {
    contender: C.jsonSerializeTo,
    name: "JsonSerializer.serializeTo+reset",
    side: "ours",
    op: "encodeInto",
    owned: false,
    allocation: true,
    fn: (x) => {
      const length = json.serializeTo(x, writer);
      writer.reset();
      return length;
    },
  },
];

const fatalDecoder = new TextDecoder("utf-8", { fatal: true });
const jsonDecode: Contender<Uint8Array>[] = [
  {
    contender: C.jsonParseStrict,
    name: "JSON.parse(fatal TextDecoder.decode(b))",
    side: "peer",
    op: "decode",
    owned: true,
    strict: true,
    fn: (b) => JSON.parse(fatalDecoder.decode(b)),
  },
  {
    contender: C.jsonParse,
    name: "JSON.parse(TextDecoder.decode(b))",
    side: "peer",
    op: "decode",
    owned: true,
    fn: (b) => JSON.parse(textDecoder.decode(b)),
  },
  {
    contender: C.jsonDeserialize,
    name: "JsonSerializer.deserialize",
    side: "ours",
    op: "decode",
    owned: true,
    fn: (b) => json.deserialize(b),
  },
];

const msgpackEncode: Contender<unknown>[] = [
  {
    contender: C.msgpackrPack,
    name: "msgpackr pack",
    side: "peer",
    op: "encode",
    owned: true,
    allocation: true,
    fn: (x) => packr.pack(x),
  },
  {
    contender: C.msgpackEncode,
    name: "@msgpack/msgpack encode",
    side: "peer",
    op: "encode",
    owned: true,
    allocation: true,
    fn: (x) => theirEncoder.encode(x),
  },
  {
    contender: C.msgpackSerialize,
    name: "MsgPackSerializer.serialize",
    side: "ours",
    op: "encode",
    owned: true,
    allocation: true,
    fn: (x) => msgpack.serialize(x),
  },
  {
    contender: C.msgpackSerializeOwnBuffer,
    name: "MsgPackSerializer.serialize (slab: null)",
    side: "ours",
    op: "encode",
    owned: true,
    allocation: true,
    fn: (x) => msgpackOwnBuffer.serialize(x),
  },
  {
    contender: C.msgpackSerializePooled,
    name: "MsgPackSerializer.serializePooled+dispose",
    side: "ours",
    op: "encodeInto",
    owned: false,
    allocation: true,
    fn: (x) => {
      const owned = msgpack.serializePooled(x);
      const length = owned.length;
      owned.dispose();
      return length;
    },
  },
  {
    contender: C.msgpackSerializeTo,
    name: "MsgPackSerializer.serializeTo+reset",
    side: "ours",
    op: "encodeInto",
    owned: false,
    allocation: true,
    fn: (x) => {
      const length = msgpack.serializeTo(x, writer);
      writer.reset();
      return length;
    },
  },
];

const msgpackDecode: Contender<Uint8Array>[] = [
  {
    contender: C.msgpackrUnpack,
    name: "msgpackr unpack",
    side: "peer",
    op: "decode",
    owned: true,
    fn: (b) => packr.unpack(b),
  },
  {
    contender: C.msgpackDecode,
    name: "@msgpack/msgpack decode",
    side: "peer",
    op: "decode",
    owned: true,
    fn: (b) => theirDecoder.decode(b),
  },
  {
    contender: C.msgpackDeserialize,
    name: "MsgPackSerializer.deserialize",
    side: "ours",
    op: "decode",
    owned: true,
    fn: (b) => msgpack.deserialize(b),
  },
];

// deno-lint-ignore no-explicit-any
const groups: Group<any>[] = [];
for (const size of SIZES) {
  const value = fixtures[size];
  const jsonBytes = textEncoder.encode(JSON.stringify(value));
  // Standard MessagePack (a copy: the encoder reuses its buffer), readable by every decoder.
  const msgpackBytes = theirEncoder.encode(value).slice();
  groups.push(
    {
      subject: "json encode",
      size,
      sizeBytes: jsonBytes.length,
      input: value,
      contenders: jsonEncode,
    },
    {
      subject: "json decode",
      size,
      sizeBytes: jsonBytes.length,
      input: jsonBytes,
      contenders: jsonDecode,
    },
    {
      subject: "msgpack encode",
      size,
      sizeBytes: msgpackBytes.length,
      input: value,
      contenders: msgpackEncode,
    },
    {
      subject: "msgpack decode",
      size,
      sizeBytes: msgpackBytes.length,
      input: msgpackBytes,
      contenders: msgpackDecode,
    },
  );
}

console.log(
  `serializers: ${runtimeInfo.name} ${runtimeInfo.version} (${runtimeInfo.id}), feedback ${feedback}`,
);
if (feedback === "varied") {
  const messages = variedMessages();
  const jsonInputs = messages.map((m) => textEncoder.encode(JSON.stringify(m)));
  const msgpackInputs = messages.map((m) => theirEncoder.encode(m).slice());
  warmUpVaried(groups, [
    { subject: "json encode", inputs: messages },
    { subject: "json decode", inputs: jsonInputs },
    { subject: "msgpack encode", inputs: messages },
    { subject: "msgpack decode", inputs: msgpackInputs },
  ]);
}
const entries = await timeGroups("serializers", groups);
writeResults("serializers", entries, { poolStats: pool.stats() });
writer.dispose();
