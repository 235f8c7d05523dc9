/**
 * Serializer benchmark: our JsonSerializer against TextEncoder + JSON.stringify
 * (and JSON.parse + TextDecoder), and our MsgPackSerializer against msgpackr
 * (`new Packr({ useRecords: false })`) and @msgpack/msgpack (reused
 * Encoder/Decoder), for the small, medium and large fixtures. Also prints the
 * backing-store bytes allocated per op for the JSON pooled and naive paths.
 *
 * Run: node --expose-gc bench/serializers.bench.ts | deno run -A --v8-flags=--expose-gc bench/serializers.bench.ts | bun bench/serializers.bench.ts
 *
 * @module
 */
import { bench, do_not_optimize, group, summary } from "mitata";
import { Packr } from "msgpackr";
import { Decoder, Encoder } from "@msgpack/msgpack";
import { MemoryPool } from "../pool/mod.ts";
import { JsonSerializer, MsgPackSerializer } from "../serializers/mod.ts";
import { type AllocationRecord, measureAllocation, runAndRecord, runtimeInfo } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

const SIZES = ["small", "medium", "large"] as const;
const pool = new MemoryPool();
const json = new JsonSerializer({ pool });
const msgpack = new MsgPackSerializer({ pool });
const packr = new Packr({ useRecords: false });
const theirEncoder = new Encoder();
const theirDecoder = new Decoder();
const writer = pool.rentWriter(256);
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

for (const size of SIZES) {
  const value = fixtures[size];
  const jsonBytes = json.serialize(value);
  const msgpackBytes = msgpack.serialize(value);
  // msgpackr's pack returns a view of its reused buffer: decode from a stable copy.
  const packrBytes = packr.pack(value).slice();

  group(`json encode ${size} (${jsonBytes.length} B)`, () => {
    summary(() => {
      bench("TextEncoder.encode(JSON.stringify(x))", () => {
        return do_not_optimize(textEncoder.encode(JSON.stringify(value)));
      }).baseline(true);
      bench("JsonSerializer.serializePooled+dispose", () => {
        const owned = json.serializePooled(value);
        do_not_optimize(owned.bytes);
        owned.dispose();
      });
      bench("JsonSerializer.serializeTo+reset", () => {
        do_not_optimize(json.serializeTo(value, writer));
        writer.reset();
      });
    });
  });
  group(`json decode ${size}`, () => {
    summary(() => {
      bench("JSON.parse(TextDecoder.decode(b))", () => {
        return do_not_optimize(JSON.parse(textDecoder.decode(jsonBytes)));
      }).baseline(true);
      bench("JsonSerializer.deserialize", () => do_not_optimize(json.deserialize(jsonBytes)));
    });
  });
  group(`msgpack encode ${size} (${msgpackBytes.length} B)`, () => {
    summary(() => {
      bench("msgpackr pack", () => do_not_optimize(packr.pack(value))).baseline(true);
      bench("@msgpack/msgpack encode", () => do_not_optimize(theirEncoder.encode(value)));
      bench("MsgPackSerializer.serializePooled+dispose", () => {
        const owned = msgpack.serializePooled(value);
        do_not_optimize(owned.bytes);
        owned.dispose();
      });
      bench("MsgPackSerializer.serializeTo+reset", () => {
        do_not_optimize(msgpack.serializeTo(value, writer));
        writer.reset();
      });
      bench("MsgPackSerializer.serialize (copy)", () => do_not_optimize(msgpack.serialize(value)));
    });
  });
  group(`msgpack decode ${size}`, () => {
    summary(() => {
      bench("msgpackr unpack", () => do_not_optimize(packr.unpack(packrBytes))).baseline(true);
      bench("@msgpack/msgpack decode", () => do_not_optimize(theirDecoder.decode(msgpackBytes)));
      bench("MsgPackSerializer.deserialize", () => {
        return do_not_optimize(msgpack.deserialize(msgpackBytes));
      });
    });
  });
}

// Backing-store bytes per op, JSON pooled against naive. The naive op returns
// its array so it stays alive and counted; the pooled ops return theirs to the
// pool, so only what they allocate beyond the pool is counted.
const allocation: AllocationRecord[] = [];
for (const size of SIZES) {
  const value = fixtures[size];
  const ops = size === "large" ? 200 : 2000;
  allocation.push(
    await measureAllocation(
      `json naive ${size}`,
      ops,
      () => textEncoder.encode(JSON.stringify(value)),
    ),
  );
  allocation.push(
    await measureAllocation(`json serializePooled ${size}`, ops, () => {
      const owned = json.serializePooled(value);
      const length = owned.length;
      owned.dispose();
      return length;
    }),
  );
  allocation.push(
    await measureAllocation(`json serializeTo+reset ${size}`, ops, () => {
      const length = json.serializeTo(value, writer);
      writer.reset();
      return length;
    }),
  );
  allocation.push(
    await measureAllocation(`msgpack serializePooled ${size}`, ops, () => {
      const owned = msgpack.serializePooled(value);
      const length = owned.length;
      owned.dispose();
      return length;
    }),
  );
}

const file = await runAndRecord("serializers", { allocation, poolStats: pool.stats() });

// Medians: the machines these run on are shared, and the mean is what a
// neighbour's burst of work distorts most.
const median = new Map(file.benchmarks.map((b) => [`${b.group}|${b.name}`, b.p50Ns]));
const find = (groupPrefix: string, name: string): number => {
  for (const [key, ns] of median) {
    if (key.startsWith(groupPrefix) && key.endsWith(`|${name}`)) return ns;
  }
  return NaN;
};
const us = (ns: number): string => (ns / 1000).toFixed(2).padStart(8) + " µs";
const ratio = (slow: number, fast: number): string => (slow / fast).toFixed(2).padStart(6) + "x";

console.log(`\nSummary (${runtimeInfo.name} ${runtimeInfo.version}, median time per op)`);
for (const size of SIZES) {
  const naiveEnc = find(`json encode ${size}`, "TextEncoder.encode(JSON.stringify(x))");
  const pooledEnc = find(`json encode ${size}`, "JsonSerializer.serializePooled+dispose");
  const toEnc = find(`json encode ${size}`, "JsonSerializer.serializeTo+reset");
  const naiveDec = find(`json decode ${size}`, "JSON.parse(TextDecoder.decode(b))");
  const ourDec = find(`json decode ${size}`, "JsonSerializer.deserialize");
  console.log(
    `  json ${size.padEnd(6)} encode: naive ${us(naiveEnc)}, pooled ${us(pooledEnc)} (${
      ratio(naiveEnc, pooledEnc)
    }), serializeTo ${us(toEnc)} (${ratio(naiveEnc, toEnc)}); decode: naive ${us(naiveDec)}, ours ${
      us(ourDec)
    } (${ratio(naiveDec, ourDec)})`,
  );
}
for (const size of SIZES) {
  const enc = (name: string) => find(`msgpack encode ${size}`, name);
  const dec = (name: string) => find(`msgpack decode ${size}`, name);
  const packrEnc = enc("msgpackr pack");
  const theirEnc = enc("@msgpack/msgpack encode");
  const pooled = enc("MsgPackSerializer.serializePooled+dispose");
  const to = enc("MsgPackSerializer.serializeTo+reset");
  const copy = enc("MsgPackSerializer.serialize (copy)");
  const packrDec = dec("msgpackr unpack");
  const theirDec = dec("@msgpack/msgpack decode");
  const ourDec = dec("MsgPackSerializer.deserialize");
  console.log(
    `  msgpack ${size.padEnd(6)} encode: msgpackr ${us(packrEnc)}, @msgpack ${
      us(theirEnc)
    }, ours pooled ${us(pooled)} (${ratio(packrEnc, pooled)} vs msgpackr, ${
      ratio(theirEnc, pooled)
    } vs @msgpack), serializeTo ${us(to)} (${ratio(packrEnc, to)}, ${
      ratio(theirEnc, to)
    }), serialize ${us(copy)} (${ratio(packrEnc, copy)}, ${ratio(theirEnc, copy)})`,
  );
  console.log(
    `  msgpack ${size.padEnd(6)} decode: msgpackr ${us(packrDec)}, @msgpack ${us(theirDec)}, ours ${
      us(ourDec)
    } (${ratio(packrDec, ourDec)} vs msgpackr, ${ratio(theirDec, ourDec)} vs @msgpack)`,
  );
}
console.log(`\nBacking-store bytes allocated per op (${allocation[0].metric}):`);
for (const a of allocation) {
  console.log(`  ${a.label.padEnd(34)} ${a.bytesPerOp.toFixed(1).padStart(10)} B/op`);
}
writer.dispose();
