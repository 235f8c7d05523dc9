/**
 * `MsgPackSerializer.serialize` before and after a change to the encoder, in
 * one process: the default serializer of this checkout ("after"), the same
 * with an extension registered that claims nothing, and, when `BENCH_BEFORE`
 * names another checkout's `serializers/mod.ts`, that one's default
 * serializer ("before"); msgpackr's `pack` (`useRecords: false`) is the
 * reference. Every contender is fed the same varied messages first, then the
 * small/medium/large fixtures and a message of class instances (the
 * encoder's non-plain-object branch) are timed in interleaved rounds
 * (medians).
 * Prints each contender's ratio to msgpackr (above 1: faster); writes no
 * result file.
 *
 * Run (an old checkout in /tmp/before, e.g. from `git archive`):
 *   BENCH_BEFORE=/tmp/before/serializers/mod.ts node bench/serializers_options.bench.ts
 *   BENCH_BEFORE=… deno run -A bench/serializers_options.bench.ts
 *   BENCH_BEFORE=… bun bench/serializers_options.bench.ts
 *
 * @module
 */
import process from "node:process";
import { pathToFileURL } from "node:url";
import { Packr } from "msgpackr";
import { type MsgPackExtension, MsgPackSerializer } from "../serializers/mod.ts";
import { type Contender, type Group, runtimeInfo, timeGroups, warmUpVaried } from "./_harness.ts";
import { fixtures, variedMessages } from "./fixtures.ts";

const SIZES = ["small", "medium", "large"] as const;
const SUBJECT = "msgpack encode";

const packr = new Packr({ useRecords: false });
const after = new MsgPackSerializer();
class Unused {}
const unclaimed: MsgPackExtension = {
  type: 1,
  encode: (value) => value instanceof Unused ? new Uint8Array(0) : null,
  decode: () => new Unused(),
};
const withExtension = new MsgPackSerializer({ extensions: [unclaimed] });

const contenders: Contender<unknown>[] = [
  {
    contender: "msgpackrPack",
    name: "msgpackr pack",
    side: "peer",
    op: "encode",
    owned: true,
    fn: (x) => packr.pack(x),
  },
  {
    contender: "after",
    name: "after",
    side: "ours",
    op: "encode",
    owned: true,
    fn: (x) => after.serialize(x),
  },
  {
    contender: "afterUnclaimedExtension",
    name: "after, extension unclaimed",
    side: "ours",
    op: "encode",
    owned: true,
    fn: (x) => withExtension.serialize(x),
  },
];
const beforePath = process.env.BENCH_BEFORE;
if (beforePath) {
  const module = await import(pathToFileURL(beforePath).href);
  const before = new module.MsgPackSerializer() as MsgPackSerializer;
  contenders.splice(1, 0, {
    contender: "before",
    name: "before",
    side: "ours",
    op: "encode",
    owned: true,
    fn: (x) => before.serialize(x),
  });
}

/** Class instances (the encoder's slower branch): 60 orders of three DTO classes. */
class Money {
  amount: number;
  currency: string;
  constructor(amount: number) {
    this.amount = amount;
    this.currency = "EUR";
  }
}
class Line {
  sku: string;
  price: Money;
  constructor(i: number) {
    this.sku = `sku-${i}`;
    this.price = new Money(i * 1.5);
  }
}
class Order {
  id: number;
  lines: Line[];
  constructor(id: number) {
    this.id = id;
    this.lines = [new Line(id), new Line(id + 1)];
  }
}
const classInstances = Array.from({ length: 60 }, (_, i) => new Order(i));

const inputs: Record<string, unknown> = { ...fixtures, classes: classInstances };
const groups: Group<unknown>[] = [...SIZES, "classes"].map((size) => ({
  subject: SUBJECT,
  size,
  sizeBytes: packr.pack(inputs[size]).length,
  input: inputs[size],
  contenders,
}));

console.log(`serializers_options: ${runtimeInfo.name} ${runtimeInfo.version}`);
warmUpVaried(groups, [{ subject: SUBJECT, inputs: variedMessages() }]);
const entries = await timeGroups("serializers_options", groups, "varied");
for (const size of [...SIZES, "classes"]) {
  const rows = entries.filter((entry) => entry.size === size);
  const reference = rows.find((entry) => entry.contender === "msgpackrPack")!.nsPerOp;
  console.log(
    `${runtimeInfo.id} ${size}: ${
      rows.filter((entry) => entry.side === "ours")
        .map((entry) => `${entry.name} ${(reference / entry.nsPerOp).toFixed(2)}x`)
        .join(", ")
    } (vs msgpackr)`,
  );
}
