/**
 * The measurements behind the UTF-8 rows of platform/fast_paths.ts: per length (8 to 4096 chars,
 * ASCII and mixed scripts), the public calls against TextEncoder/TextDecoder and the internal
 * paths they choose between (JS core, TextEncoder/TextDecoder, Node's Buffer, forced). It reaches
 * into encoding/_utf8_core.ts on purpose: no public call can force those paths.
 *
 * Method: the public calls are first fed the same 400 varied strings, 20 times (`mono` skips
 * that); then the harness times every contender (bench/_harness.ts: interleaved rounds, medians).
 * Ratios: baseline median / contender median (> 1 = faster).
 *
 * Run: node bench/utf8_paths.bench.ts encode|into|decode|length|write|fatal [mono] [sizes=8,64]
 * (also `deno run -A`, `bun`). `fatal` times the error path of `decodeUtf8(bytes, { fatal: true })`
 * on 8 MiB of ASCII ending in 0xff against the built-in strict check alone. Measured (CPU ms;
 * built-in check / findInvalidUtf8 / decodeUtf8 fatal): Node 24.9 0.9 / 2.4 / 3.9; Node 26.10
 * 1.9 / 2.6 / 5.3; Deno 2.9.6 7.3 / 2.1 / 9.6; Bun 1.4.5 4.1 / 1.3 / 5.4. Before the scan (a
 * second full decode in JS to name the offset): 590-1520 ms.
 *
 * @module
 */
import process from "node:process";
import { Buffer } from "node:buffer";
import * as utf8 from "../encoding/mod.ts";
import { MemoryPool, SlabAllocator } from "../pool/mod.ts";
import * as core from "../encoding/_utf8_core.ts";
import { contender, runtimeInfo, timeGroups, warmUpVaried } from "./_harness.ts";

const args = process.argv.slice(2);
const mode = args.find((a) => !a.includes("=") && a !== "mono") ?? "encode";
const monomorphic = args.includes("mono");
const sizes = args.find((a) => a.startsWith("sizes="))?.slice(6).split(",").map(Number) ??
  [8, 16, 32, 64, 128, 256, 1024, 4096];

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Buffer's own method where it exists (Deno's and Bun's are shims, measured for comparison). */
const nodeUtf8Write = (Buffer.prototype as unknown as {
  utf8Write?: (this: Uint8Array, text: string, offset: number, length: number) => number;
}).utf8Write;
const utf8WriteTail = (c: Uint8Array, t: string, o: number) =>
  nodeUtf8Write!.call(c, t, o, c.length - o);
const charTables = core.createCharTables();
const dest: Uint8Array = new Uint8Array(1 << 20);
const slab = SlabAllocator.shared;
const writer = MemoryPool.shared.rentWriter(1 << 16);

const UNITS = ["abcdefghijklmnopqrstuvwxyz", "héllo wörld — 👋 "];
const sample = (length: number, mixed: boolean) =>
  UNITS[Number(mixed)].repeat(1 + length / 16).slice(0, length);

/** A contender's input: the text and its UTF-8 bytes. */
type Input = { readonly t: string; readonly b: Uint8Array };
const input = (t: string, b: Uint8Array = encoder.encode(t)): Input => ({ t, b });
const variedText = (i: number) => sample((i * 37) % 300, i % 3 === 0) + i;
const varied = Array.from({ length: 400 }, (_, i) => input(variedText(i)));

type Run = (input: Input) => number;

/** Encodes into the slab by one of the paths `encodeUtf8` chooses between. */
const intoSlab =
  (write: (t: string, chunk: Uint8Array, offset: number) => number): Run => ({ t }) => {
    const chunk = slab.reserve(t.length * 3);
    const offset = slab.offset;
    return slab.commit(write(t, chunk, offset) - offset).length;
  };
const progress = { read: 0, written: 0 };

const strict = new TextDecoder("utf-8", { fatal: true });
const fatal = { fatal: true };
const throwing = (decode: (bytes: Uint8Array) => unknown): Run => ({ b }) => {
  try {
    decode(b);
  } catch { /* expected */ }
  return 0;
};

/** Contenders (the first is the baseline), how many the warm-up feeds, a fixed input if any. */
type Mode = { warm?: number; contenders: ([name: string, run: Run] | false)[]; input?: Uint8Array };
const MODES: Record<string, Mode> = {
  fatal: {
    input: new Uint8Array(8 << 20).fill(0x61).fill(0xff, -1),
    contenders: [
      ["built-in strict TextDecoder (throws)", throwing((b) => strict.decode(b))],
      ["findInvalidUtf8", ({ b }) => core.findInvalidUtf8(b, 0, b.length)],
      ["decodeUtf8 fatal (built-in, then scan)", throwing((b) => utf8.decodeUtf8(b, fatal))],
    ],
  },
  encode: {
    warm: 3,
    contenders: [
      ["TextEncoder.encode", ({ t }) => encoder.encode(t).length],
      ["encodeUtf8", ({ t }) => utf8.encodeUtf8(t).length],
      ["encodeUtf8 null", ({ t }) => utf8.encodeUtf8(t, { slab: null }).length],
      ["slab + JS core", intoSlab((t, c, o) => core.encodeUtf8Unchecked(t, 0, t.length, c, o))],
      ["slab + encodeInto", intoSlab((t, c, o) => core.encodeUtf8NativeUnchecked(t, c, o))],
      nodeUtf8Write !== undefined &&
      ["slab + Buffer utf8Write", intoSlab((t, c, o) => o + utf8WriteTail(c, t, o))],
    ],
  },
  into: {
    warm: 2,
    contenders: [
      ["TextEncoder.encodeInto", ({ t }) => encoder.encodeInto(t, dest).written],
      ["encodeUtf8Into", ({ t }) => utf8.encodeUtf8Into(t, dest).written],
      ["JS core bounded", ({ t }) => {
        core.encodeUtf8Bounded(t, 0, dest, 0, dest.length, progress);
        return progress.written;
      }],
      ["JS core with room", ({ t }) => core.encodeUtf8Unchecked(t, 0, t.length, dest, 0)],
      ["encodeInto with room", ({ t }) => core.encodeUtf8NativeUnchecked(t, dest, 0)],
      nodeUtf8Write !== undefined &&
      ["Buffer utf8Write with room", ({ t }) => nodeUtf8Write.call(dest, t, 0, dest.length)],
    ],
  },
  decode: {
    warm: 2,
    contenders: [
      ["TextDecoder.decode", ({ b }) => decoder.decode(b).length],
      ["decodeUtf8", ({ b }) => utf8.decodeUtf8(b).length],
      ["JS core", ({ b }) => core.decodeUtf8Js(b, 0, b.length).length],
      ["JS core short", ({ b }) => core.decodeShortUtf8(b, 0, b.length, charTables).length],
      ["TextDecoder (ignoreBOM)", ({ b }) => core.decodeUtf8Native(b, 0, b.length, false).length],
      ["Node utf8Slice (Node only)", ({ b }) => core.decodeUtf8Native(b, 0, b.length, true).length],
      ["decodeUtf8 fatal", ({ b }) => utf8.decodeUtf8(b, fatal).length],
    ],
  },
  length: {
    contenders: [
      ["utf8ByteLength", ({ t }) => utf8.utf8ByteLength(t)],
      ["JS core", ({ t }) => core.utf8ByteLengthJs(t, 0, t.length)],
      ["Buffer.byteLength", ({ t }) => Buffer.byteLength(t, "utf8")],
    ],
  },
  write: {
    contenders: [
      ["writeUtf8", ({ t }) => {
        writer.reset();
        return utf8.writeUtf8(t, writer);
      }],
      ["encodeUtf8Pooled", ({ t }) => {
        using pooled = utf8.encodeUtf8Pooled(t);
        return pooled.length;
      }],
    ],
  },
};

/** Whether a contender takes this input: the slab paths need room, the short decoder short input. */
function fits(name: string, chars: number, bytes: Uint8Array): boolean {
  if (name.startsWith("slab")) return chars * 3 <= slab.maxSlabLength;
  return name !== "JS core short" || bytes.length <= core.SHORT_DECODE_MAX;
}

const { warm = 0, contenders: table, input: fixed } = MODES[mode];
const all = table.filter((c) => c !== false)
  .map(([name, run]) => contender<Input>("ours", "encode", true, name, name, run));
const feedback = monomorphic ? "monomorphic" : "varied";
console.log(`# utf8 paths: ${mode}, ${feedback}, ${runtimeInfo.name} ${runtimeInfo.version}`);
for (const mixed of fixed === undefined ? [false, true] : [false]) {
  for (const size of fixed === undefined ? sizes : [fixed.length]) {
    const subject = mixed ? "mixed" : "ascii";
    const timed = fixed ? input("", fixed) : input(sample(size, mixed));
    const contenders = all.filter(({ name }) => fits(name, size, timed.b));
    const group = { subject, size: `${size}`, sizeBytes: null, input: timed, contenders };
    if (!monomorphic) {
      const inputs = Array.from({ length: 20 }, () => varied).flat();
      warmUpVaried([{ ...group, contenders: all.slice(0, warm) }], [{ subject, inputs }]);
    }
    const ns = (await timeGroups("utf8_paths", [group], feedback)).map((e) => e.nsPerOp);
    const cells = contenders.map(({ name }, i) => `${name} ${(ns[0] / ns[i]).toFixed(2)}x`);
    console.log(`${subject} ${size}: ${cells.join(" | ")}`);
  }
}
