/**
 * The measurements behind the UTF-8 rows of platform/fast_paths.ts: per
 * length (8 to 4096 chars, ASCII and mixed scripts), the public calls against
 * TextEncoder/TextDecoder, and the internal paths they choose between (the
 * JS core forced, TextEncoder/TextDecoder forced, Node's Buffer forced).
 * It reaches into encoding/_utf8_core.ts on purpose: the choice it informs
 * is between internal paths that no public call can force.
 *
 * Method (a shared, loaded 2-core machine): every contender is first fed the
 * same 400 varied strings (pass `mono` to skip that); then rounds of
 * ~10 ms batches, contenders interleaved and rotated, timed in process CPU
 * time, median of 7 rounds. Ratios are baseline median / contender median
 * (> 1 = faster than the first column).
 *
 * Run: node bench/utf8_paths.bench.ts encode|into|decode|length|write|fatal
 * [mono] (also `deno run -A`, `bun`). `fatal` times the error path of
 * `decodeUtf8(bytes, { fatal: true })` on 8 MiB of ASCII ending in 0xff
 * against the built-in strict check alone.
 *
 * Measured (CPU ms, median of 9; built-in check / findInvalidUtf8 /
 * decodeUtf8 fatal): Node 24.9 0.9 / 2.4 / 3.9; Node 26.10 1.9 / 2.6 / 5.3;
 * Deno 2.9.6 7.3 / 2.1 / 9.6; Bun 1.4.5 4.1 / 1.3 / 5.4. Before the scan
 * (a second full decode in JS to name the offset): 590-1520 ms.
 *
 * @module
 */
import process from "node:process";
import { Buffer } from "node:buffer";
import {
  decodeUtf8,
  encodeUtf8,
  encodeUtf8Into,
  encodeUtf8Pooled,
  utf8ByteLength,
  writeUtf8,
} from "../encoding/mod.ts";
import { MemoryPool, SlabAllocator } from "../pool/mod.ts";
import {
  createCharTables,
  decodeShortUtf8,
  decodeUtf8Js,
  decodeUtf8Native,
  encodeUtf8Bounded,
  encodeUtf8NativeUnchecked,
  encodeUtf8Unchecked,
  findInvalidUtf8,
  SHORT_DECODE_MAX,
  utf8ByteLengthJs,
} from "../encoding/_utf8_core.ts";
import { runtimeInfo } from "./_harness.ts";

const args = process.argv.slice(2);
const mode = args.find((a) => !a.includes("=") && a !== "mono") ?? "encode";
const monomorphic = args.includes("mono");
const sizes = args.find((a) => a.startsWith("sizes="))?.slice(6).split(",").map(Number) ??
  [8, 16, 32, 64, 128, 256, 1024, 4096];

const encoder = new TextEncoder();
/** Buffer's own method where it exists (Deno's and Bun's are shims, measured for comparison). */
const nodeUtf8Write = (Buffer.prototype as unknown as {
  utf8Write?: (this: Uint8Array, text: string, offset: number, length: number) => number;
}).utf8Write;
const decoder = new TextDecoder();
const charTables = createCharTables();
let sink = 0;

function cpuMillis(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

function sample(length: number, mixed: boolean): string {
  const unit = mixed ? "héllo wörld — 👋 " : "abcdefghijklmnopqrstuvwxyz";
  let text = "";
  while (text.length < length) text += unit;
  return text.slice(0, length);
}

const varied: string[] = [];
for (let i = 0; i < 400; i++) varied.push(sample((i * 37) % 300, i % 3 === 0) + String(i));
const variedBytes = varied.map((text) => encoder.encode(text));

type Contender = [name: string, run: () => number];

/** Median nanoseconds per call of each contender, interleaved. */
function measure(contenders: Contender[], warm: () => void): number[] {
  if (!monomorphic) warm();
  const batch = contenders.map(([, run]) => {
    for (let calls = 1;; calls *= 2) {
      const start = cpuMillis();
      for (let i = 0; i < calls; i++) sink += run();
      if (cpuMillis() - start > 10) return calls;
    }
  });
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < 7; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = (k + round) % contenders.length;
      const run = contenders[c][1];
      const start = cpuMillis();
      for (let i = 0; i < batch[c]; i++) sink += run();
      samples[c].push((cpuMillis() - start) * 1e6 / batch[c]);
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b)[s.length >> 1]);
}

if (mode === "fatal") {
  const bytes = new Uint8Array(8 << 20).fill(0x61);
  bytes[bytes.length - 1] = 0xff;
  const strict = new TextDecoder("utf-8", { fatal: true });
  const contenders: [string, () => void][] = [
    ["built-in strict TextDecoder (throws)", () => {
      try {
        strict.decode(bytes);
      } catch { /* expected */ }
    }],
    ["findInvalidUtf8", () => void findInvalidUtf8(bytes, 0, bytes.length)],
    ["decodeUtf8 fatal (built-in, then scan)", () => {
      try {
        decodeUtf8(bytes, { fatal: true });
      } catch { /* expected */ }
    }],
  ];
  for (let i = 0; i < 3; i++) for (const [, run] of contenders) run();
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < 9; round++) {
    contenders.forEach(([, run], i) => {
      const start = cpuMillis();
      for (let k = 0; k < 5; k++) run();
      samples[i].push((cpuMillis() - start) / 5);
    });
  }
  console.log(
    `# utf8 fatal error path, 8 MiB ASCII ending in 0xff, CPU ms, median of 9, ${runtimeInfo.name} ${runtimeInfo.version}`,
  );
  contenders.forEach(([name], i) => {
    console.log(`${name}: ${samples[i].sort((a, b) => a - b)[4].toFixed(1)} ms`);
  });
  process.exit(0);
}

console.log(
  `# utf8 paths: ${mode}, ${
    monomorphic ? "monomorphic" : "varied warm-up"
  }, ${runtimeInfo.name} ${runtimeInfo.version}`,
);
const dest = new Uint8Array(1 << 20);
const slab = SlabAllocator.shared;
const writer = MemoryPool.shared.rentWriter(1 << 16);
for (const mixed of [false, true]) {
  for (const size of sizes) {
    const text = sample(size, mixed);
    const bytes = encoder.encode(text);
    let contenders: Contender[] = [];
    let warm = () => {};
    if (mode === "encode") {
      contenders = [
        ["TextEncoder.encode", () => encoder.encode(text).length],
        ["encodeUtf8", () => encodeUtf8(text).length],
        ["encodeUtf8 null", () => encodeUtf8(text, { slab: null }).length],
      ];
      if (size * 3 <= slab.maxSlabLength) {
        const intoSlab = (path: "js" | "encodeInto" | "utf8Write") => () => {
          const chunk = slab.reserve(text.length * 3);
          const offset = slab.offset;
          const end = path === "js"
            ? encodeUtf8Unchecked(text, 0, text.length, chunk, offset)
            : path === "encodeInto"
            ? encodeUtf8NativeUnchecked(text, chunk, offset)
            : offset + nodeUtf8Write!.call(chunk, text, offset, chunk.length - offset);
          return slab.commit(end - offset).length;
        };
        contenders.push(
          ["slab + JS core", intoSlab("js")],
          ["slab + encodeInto", intoSlab("encodeInto")],
        );
        if (nodeUtf8Write) contenders.push(["slab + Buffer utf8Write", intoSlab("utf8Write")]);
      }
      warm = () => {
        for (let r = 0; r < 20; r++) {
          for (const v of varied) {
            encoder.encode(v);
            encodeUtf8(v);
            encodeUtf8(v, { slab: null });
          }
        }
      };
    } else if (mode === "into") {
      contenders = [
        ["TextEncoder.encodeInto", () => encoder.encodeInto(text, dest).written],
        ["encodeUtf8Into", () => encodeUtf8Into(text, dest).written],
        ["JS core bounded", () => {
          const progress = { read: 0, written: 0 };
          encodeUtf8Bounded(text, 0, dest, 0, dest.length, progress);
          return progress.written;
        }],
        ["JS core with room", () => encodeUtf8Unchecked(text, 0, text.length, dest, 0)],
        ["encodeInto with room", () => encodeUtf8NativeUnchecked(text, dest, 0)],
      ];
      if (nodeUtf8Write) {
        contenders.push([
          "Buffer utf8Write with room",
          () => nodeUtf8Write.call(dest, text, 0, dest.length),
        ]);
      }
      warm = () => {
        for (let r = 0; r < 20; r++) {
          for (const v of varied) {
            encoder.encodeInto(v, dest);
            encodeUtf8Into(v, dest);
          }
        }
      };
    } else if (mode === "decode") {
      contenders = [
        ["TextDecoder.decode", () => decoder.decode(bytes).length],
        ["decodeUtf8", () => decodeUtf8(bytes).length],
        ["JS core", () => decodeUtf8Js(bytes, 0, bytes.length).length],
        [
          "JS core short",
          () =>
            bytes.length <= SHORT_DECODE_MAX
              ? decodeShortUtf8(bytes, 0, bytes.length, charTables).length
              : 0,
        ],
        ["TextDecoder (ignoreBOM)", () => decodeUtf8Native(bytes, 0, bytes.length, false).length],
        ["Node utf8Slice (Node only)", () => decodeUtf8Native(bytes, 0, bytes.length, true).length],
        ["decodeUtf8 fatal", () => decodeUtf8(bytes, { fatal: true }).length],
      ];
      warm = () => {
        for (let r = 0; r < 20; r++) {
          for (const v of variedBytes) {
            decoder.decode(v);
            decodeUtf8(v);
          }
        }
      };
    } else if (mode === "length") {
      contenders = [
        ["utf8ByteLength", () => utf8ByteLength(text)],
        ["JS core", () => utf8ByteLengthJs(text, 0, text.length)],
        ["Buffer.byteLength", () => Buffer.byteLength(text, "utf8")],
      ];
    } else if (mode === "write") {
      contenders = [
        ["writeUtf8", () => {
          writer.reset();
          return writeUtf8(text, writer);
        }],
        ["encodeUtf8Pooled", () => {
          const pooled = encodeUtf8Pooled(text);
          const length = pooled.length;
          pooled.dispose();
          return length;
        }],
      ];
    }
    const medians = measure(contenders, warm);
    console.log(
      `${mixed ? "mixed" : "ascii"} ${size}: ` +
        contenders.map(([name], i) =>
          `${name} ${medians[i].toFixed(0)} ns (${(medians[0] / medians[i]).toFixed(2)}x)`
        ).join(" | "),
    );
  }
}
if (sink === 0.5) console.log(sink);
