/**
 * `MsgPackSerializer.deserialize` against `msgpackr.unpack`, with and without
 * the decode options, and optionally against an earlier copy of the library
 * in the same process (before/after for a refactor of the decoder):
 *
 * - `msgpackr unpack`: a reused `Packr({ useRecords: false })`, in whatever
 *   mode msgpackr picked (the first line says whether its native string
 *   extractor, `msgpackr-extract`, is loaded; set
 *   `MSGPACKR_NATIVE_ACCELERATION_DISABLED=true` for its pure-JS mode);
 * - `before deserialize`: `BENCH_BEFORE=/path/to/serializers/mod.ts`, default
 *   options (skipped when unset);
 * - `deserialize`: this tree, default options;
 * - `deserialize, options`: every limit set (and not hit), `fatal: true`,
 *   `copyBinary: false`, `int64: "auto"` spelled out;
 * - `deserialize(ArrayBuffer)`: the same bytes as an `ArrayBuffer`.
 *
 * Every contender first decodes the same 400 varied messages (unless
 * `--feedback=monomorphic`); rounds are interleaved and medians reported
 * (bench/_harness.ts). Prints a ratio table; writes no result file.
 *
 * Before/after in one run (on a 2-core machine, more rounds than the default):
 * `BENCH_ROUNDS=11 BENCH_ROUND_MS=100 BENCH_BEFORE=../main/serializers/mod.ts node bench/deserialize_options.bench.ts`.
 *
 * Run: node bench/deserialize_options.bench.ts | deno run -A bench/deserialize_options.bench.ts | bun bench/deserialize_options.bench.ts
 *
 * @module
 */
import { isNativeAccelerationEnabled, Packr } from "msgpackr";
import { Encoder } from "@msgpack/msgpack";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { MsgPackSerializer, type MsgPackSerializerOptions } from "../serializers/mod.ts";
import {
  type Contender,
  feedback,
  type Group,
  runtimeInfo,
  timeGroups,
  warmUpVaried,
} from "./_harness.ts";
import { fixtures, variedMessages } from "./fixtures.ts";

interface Deserializer {
  deserialize(bytes: Uint8Array): unknown;
}

const SIZES = ["small", "medium", "large"] as const;
const SUBJECT = "msgpack decode";
const packr = new Packr({ useRecords: false });
const encoder = new Encoder();
const plain = new MsgPackSerializer();
const LIMIT = 1 << 30;
const withOptions = new MsgPackSerializer(
  {
    maxStrLength: LIMIT,
    maxBinLength: LIMIT,
    maxArrayLength: LIMIT,
    maxMapLength: LIMIT,
    maxExtLength: LIMIT,
    fatal: true,
    copyBinary: false,
    int64: "auto",
  } as MsgPackSerializerOptions,
);

const beforePath = process.env.BENCH_BEFORE;
const before: Deserializer | null = beforePath
  ? new (await import(pathToFileURL(beforePath).href)).MsgPackSerializer()
  : null;

const contenders: Contender<Uint8Array>[] = [
  {
    contender: "msgpackr.unpack",
    name: "msgpackr unpack",
    side: "peer",
    op: "decode",
    owned: true,
    fn: (b) => packr.unpack(b),
  },
  ...(before === null ? [] : [{
    contender: "before.deserialize",
    name: "before deserialize",
    side: "ours" as const,
    op: "decode" as const,
    owned: true,
    fn: (b: Uint8Array) => before.deserialize(b),
  }]),
  {
    contender: "ours.msgpack.deserialize",
    name: "deserialize",
    side: "ours",
    op: "decode",
    owned: true,
    fn: (b) => plain.deserialize(b),
  },
  {
    contender: "ours.msgpack.deserialize.arrayBuffer",
    name: "deserialize(ArrayBuffer)",
    side: "ours",
    op: "decode",
    owned: true,
    // The inputs are exact copies, so their buffer holds just the message.
    fn: (b) => plain.deserialize(b.buffer),
  },
  {
    contender: "ours.msgpack.deserialize.options",
    name: "deserialize, options",
    side: "ours",
    op: "decode",
    owned: true,
    fn: (b) => withOptions.deserialize(b),
  },
];

const groups: Group<Uint8Array>[] = SIZES.map((size) => {
  const bytes = encoder.encode(fixtures[size]).slice();
  return { subject: SUBJECT, size, sizeBytes: bytes.length, input: bytes, contenders };
});

console.log(
  `deserialize_options: ${runtimeInfo.name} ${runtimeInfo.version}, feedback ${feedback}, ` +
    `msgpackr native extractor ${isNativeAccelerationEnabled ? "on" : "off"}` +
    (beforePath ? `, before = ${beforePath}` : ""),
);
if (feedback === "varied") {
  const inputs = variedMessages().map((m) => encoder.encode(m).slice());
  warmUpVaried(groups, [{ subject: SUBJECT, inputs }]);
}
const entries = await timeGroups("deserialize_options", groups);
for (const size of SIZES) {
  const of = (name: string) =>
    entries.find((e) => e.size === size && e.name === name)?.nsPerOp ?? NaN;
  const peer = of("msgpackr unpack");
  const cells = contenders.slice(1).map((c) => `${c.name} ${(peer / of(c.name)).toFixed(2)}x`);
  console.log(`ratio vs msgpackr.unpack, ${size}: ${cells.join(", ")}`);
}
