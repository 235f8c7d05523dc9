/**
 * MessagePack options against msgpackr (`useRecords: false`): decode with every limit set (not
 * hit) and from an `ArrayBuffer`; encode with an unclaimed extension, and of class instances.
 * `BENCH_BEFORE=<checkout>/serializers/mod.ts` adds that checkout's serializer ("before") in the
 * same process. Prints ratios to msgpackr (above 1: faster); writes no result file.
 *
 * @module
 */
import { isNativeAccelerationEnabled, Packr } from "msgpackr";
import { Encoder } from "@msgpack/msgpack";
import process from "node:process";
import { pathToFileURL } from "node:url";
import {
  type MsgPackExtension,
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
} from "./_harness.ts";
import { fixtures, variedMessages } from "./fixtures.ts";

const packr = new Packr({ useRecords: false });
const encoder = new Encoder();
const plain = new MsgPackSerializer();
// Every limit set (and not hit), and the other decode options spelled out.
const limits = ["Str", "Bin", "Array", "Map", "Ext"].map((kind) => [`max${kind}Length`, 1 << 30]);
const options = { ...Object.fromEntries(limits), fatal: true, copyBinary: false, int64: "auto" };
const withOptions = new MsgPackSerializer(options as MsgPackSerializerOptions);
class Unused {}
const unclaimed: MsgPackExtension = {
  type: 1,
  encode: (value) => value instanceof Unused ? new Uint8Array(0) : null,
  decode: () => new Unused(),
};
const withExtension = new MsgPackSerializer({ extensions: [unclaimed] });
const beforePath = process.env.BENCH_BEFORE;
const before: MsgPackSerializer | null = beforePath
  ? new (await import(pathToFileURL(beforePath).href)).MsgPackSerializer()
  : null;

const decode = (id: string, name: string, fn: (b: Uint8Array) => unknown) =>
  contender<Uint8Array>("ours", "decode", true, id, name, fn);
const encode = (id: string, name: string, fn: (x: unknown) => unknown) =>
  contender<unknown>("ours", "encode", true, id, name, fn);
const decoders: Contender<Uint8Array>[] = [
  contender("peer", "decode", true, "msgpackr.unpack", "msgpackr unpack", (b) => packr.unpack(b)),
  ...(before === null
    ? []
    : [decode("before.deserialize", "before deserialize", (b) => before.deserialize(b))]),
  decode("ours.msgpack.deserialize", "deserialize", (b) => plain.deserialize(b)),
  // The inputs are exact copies, so their buffer holds just the message.
  decode(
    "ours.msgpack.deserialize.arrayBuffer",
    "deserialize(ArrayBuffer)",
    (b) => plain.deserialize(b.buffer),
  ),
  decode(
    "ours.msgpack.deserialize.options",
    "deserialize, options",
    (b) => withOptions.deserialize(b),
  ),
];
const encoders: Contender<unknown>[] = [
  contender("peer", "encode", true, "msgpackrPack", "msgpackr pack", (x) => packr.pack(x)),
  ...(before === null ? [] : [encode("before", "before", (x) => before.serialize(x))]),
  encode("after", "after", (x) => plain.serialize(x)),
  encode(
    "afterUnclaimedExtension",
    "after, extension unclaimed",
    (x) => withExtension.serialize(x),
  ),
];

/** Class instances: 60 orders of two lines, each with a price (fields in constructor order). */
class Money {
  amount = 0;
  currency = "EUR";
}
class Line {
  sku = "";
  price = new Money();
}
class Order {
  id = 0;
  lines: Line[] = [];
}
const line = (i: number) =>
  Object.assign(new Line(), {
    sku: `sku-${i}`,
    price: Object.assign(new Money(), { amount: i * 1.5 }),
  });
const order = (id: number) => Object.assign(new Order(), { id, lines: [line(id), line(id + 1)] });
const inputs: Record<string, unknown> = {
  ...fixtures,
  classes: Array.from({ length: 60 }, (_, i) => order(i)),
};

/** Times one subject's groups and prints each contender's ratio to `reference`'s time. */
async function compare<T>(bench: string, groups: Group<T>[], reference: string, fb = feedback) {
  const entries = await timeGroups(bench, groups, fb);
  for (const { size, contenders } of groups) {
    const ns = (id: string) => entries.find((e) => e.size === size && e.contender === id)!.nsPerOp;
    const cells = contenders.filter((c) => c.contender !== reference)
      .map((c) => `${c.name} ${(ns(reference) / ns(c.contender)).toFixed(2)}x`);
    console.log(
      `${runtimeInfo.id} ${groups[0].subject} ${size}: ${cells.join(", ")} (vs msgpackr)`,
    );
  }
}

console.log(
  `msgpack_options: ${runtimeInfo.name} ${runtimeInfo.version}, feedback ${feedback}, ` +
    `msgpackr native extractor ${isNativeAccelerationEnabled ? "on" : "off"}` +
    (beforePath ? `, before = ${beforePath}` : ""),
);
const decodeGroups = (["small", "medium", "large"] as const).map((size) => {
  const input = encoder.encode(fixtures[size]).slice();
  return { subject: "msgpack decode", size, sizeBytes: input.length, input, contenders: decoders };
});
const encodeGroups = ["small", "medium", "large", "classes"].map((size) => ({
  subject: "msgpack encode",
  size,
  sizeBytes: packr.pack(inputs[size]).length,
  input: inputs[size],
  contenders: encoders,
}));
if (feedback === "varied") {
  const messages = variedMessages();
  warmUpVaried(decodeGroups, [
    { subject: "msgpack decode", inputs: messages.map((m) => encoder.encode(m).slice()) },
  ]);
}
await compare("deserialize_options", decodeGroups, "msgpackr.unpack");
// The encoder always saw varied messages (as before the merge).
warmUpVaried(encodeGroups, [{ subject: "msgpack encode", inputs: variedMessages() }]);
await compare("serializers_options", encodeGroups, "msgpackrPack", "varied");
