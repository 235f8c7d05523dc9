/**
 * Serializers on the small / medium / large fixtures: JSON against `TextEncoder` + `JSON.*` (the
 * pooled paths against `JSON.stringify` + `encodeInto` a preallocated buffer), MessagePack
 * against msgpackr (`useRecords: false`) and @msgpack/msgpack; allocation of owned results.
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
  contender,
  feedback,
  type Group,
  runtimeInfo,
  timeGroups,
  warmUpVaried,
  writeResults,
} from "./_harness.ts";
import { C } from "./_schema.ts";
import { fixtures, variedMessages } from "./fixtures.ts";

const pool = new MemoryPool();
const json = new JsonSerializer({ pool });
const msgpack = new MsgPackSerializer({ pool });
// `slab: null` asks for a result with its own ArrayBuffer; a library without the option
// ignores it, and the allocation target then shows no gain.
const jsonOwnBuffer = new JsonSerializer({ pool, slab: null } as JsonSerializerOptions);
const msgpackOwnBuffer = new MsgPackSerializer({ pool, slab: null } as MsgPackSerializerOptions);
const packr = new Packr({ useRecords: false });
const theirEncoder = new Encoder();
const theirDecoder = new Decoder();
const writer = pool.rentWriter(256);
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
const fatalDecoder = new TextDecoder("utf-8", { fatal: true });
// The ceiling's preallocated buffer: room for the largest message at 3 bytes per UTF-16 unit.
const ceilingBuffer = new Uint8Array(3 * JSON.stringify(fixtures.large).length + 1024 * 1024);
const kept = { allocation: true };
type Side = "peer" | "ours";
type Fn = (x: unknown) => unknown;
type Decode = (b: Uint8Array) => unknown;
const encode = (side: Side, id: string, name: string, fn: Fn) =>
  contender(side, "encode", true, id, name, fn, kept);
const encodeInto = (side: Side, id: string, name: string, fn: Fn, more: object = kept) =>
  contender(side, "encodeInto", false, id, name, fn, more);
const decode = (side: Side, id: string, name: string, fn: Decode, strict?: boolean) =>
  contender(side, "decode", true, id, name, fn, strict ? { strict } : {});

/** Owned, pooled-and-disposed and written-into-a-writer encodes of one serializer. */
function ourEncodes(
  format: "json" | "msgpack",
  serializer: JsonSerializer | MsgPackSerializer,
  ownBuffer: JsonSerializer | MsgPackSerializer,
): Contender<unknown>[] {
  const type = format === "json" ? "JsonSerializer" : "MsgPackSerializer";
  const id = (suffix: string) => C[`${format}${suffix}` as keyof typeof C];
  return [
    encode("ours", id("Serialize"), `${type}.serialize`, (x) => serializer.serialize(x)),
    encode(
      "ours",
      id("SerializeOwnBuffer"),
      `${type}.serialize (slab: null)`,
      (x) => ownBuffer.serialize(x),
    ),
    encodeInto("ours", id("SerializePooled"), `${type}.serializePooled+dispose`, (x) => {
      const owned = serializer.serializePooled(x);
      const length = owned.length;
      owned.dispose();
      return length;
    }),
    encodeInto("ours", id("SerializeTo"), `${type}.serializeTo+reset`, (x) => {
      const length = serializer.serializeTo(x, writer);
      writer.reset();
      return length;
    }),
  ];
}

// deno-lint-ignore no-explicit-any
const contenders: Record<string, Contender<any>[]> = {
  "json encode": [
    encode(
      "peer",
      C.jsonNaive,
      "TextEncoder.encode(JSON.stringify(x))",
      (x) => textEncoder.encode(JSON.stringify(x)),
    ),
    ...(runtimeInfo.name === "node"
      ? [
        encode("peer", C.jsonBufferFrom, "Buffer.from(JSON.stringify(x))", (x) =>
          Buffer.from(JSON.stringify(x))),
      ]
      : []),
    encodeInto(
      "peer",
      C.jsonCeiling,
      "JSON.stringify + encodeInto(preallocated)",
      (x) => textEncoder.encodeInto(JSON.stringify(x), ceilingBuffer).written,
      {},
    ),
    ...ourEncodes("json", json, jsonOwnBuffer),
  ],
  "json decode": [
    decode(
      "peer",
      C.jsonParseStrict,
      "JSON.parse(fatal TextDecoder.decode(b))",
      (b) => JSON.parse(fatalDecoder.decode(b)),
      true,
    ),
    decode(
      "peer",
      C.jsonParse,
      "JSON.parse(TextDecoder.decode(b))",
      (b) => JSON.parse(textDecoder.decode(b)),
    ),
    decode("ours", C.jsonDeserialize, "JsonSerializer.deserialize", (b) => json.deserialize(b)),
  ],
  "msgpack encode": [
    encode("peer", C.msgpackrPack, "msgpackr pack", (x) => packr.pack(x)),
    encode("peer", C.msgpackEncode, "@msgpack/msgpack encode", (x) => theirEncoder.encode(x)),
    ...ourEncodes("msgpack", msgpack, msgpackOwnBuffer),
  ],
  "msgpack decode": [
    decode("peer", C.msgpackrUnpack, "msgpackr unpack", (b) => packr.unpack(b)),
    decode("peer", C.msgpackDecode, "@msgpack/msgpack decode", (b) => theirDecoder.decode(b)),
    decode(
      "ours",
      C.msgpackDeserialize,
      "MsgPackSerializer.deserialize",
      (b) => msgpack.deserialize(b),
    ),
  ],
};

const jsonBytesOf = (value: unknown) => textEncoder.encode(JSON.stringify(value));
// Standard MessagePack (a copy: the encoder reuses its buffer), readable by every decoder.
const msgpackBytesOf = (value: unknown) => theirEncoder.encode(value).slice();
/** Per subject: its timed input and the bytes its size is counted in. */
const inputs: Record<string, (value: unknown) => [unknown, Uint8Array]> = {
  "json encode": (value) => [value, jsonBytesOf(value)],
  "json decode": (value) => [jsonBytesOf(value), jsonBytesOf(value)],
  "msgpack encode": (value) => [value, msgpackBytesOf(value)],
  "msgpack decode": (value) => [msgpackBytesOf(value), msgpackBytesOf(value)],
};
// deno-lint-ignore no-explicit-any
const groups: Group<any>[] = (["small", "medium", "large"] as const).flatMap((size) =>
  Object.entries(inputs).map(([subject, of]) => {
    const [input, bytes] = of(fixtures[size]);
    return { subject, size, sizeBytes: bytes.length, input, contenders: contenders[subject] };
  })
);

if (feedback === "varied") {
  const messages = variedMessages();
  warmUpVaried(
    groups,
    Object.entries(inputs).map(([subject, of]) => ({
      subject,
      inputs: messages.map((m) => of(m)[0]),
    })),
  );
}
const entries = await timeGroups("serializers", groups);
writeResults("serializers", entries, { poolStats: pool.stats() });
writer.dispose();
