/**
 * Encoding benchmark: our base64 (public API and the forced pure-JS core)
 * against Buffer, native toBase64/fromBase64/setFromBase64, base64-js and
 * js-base64 at 64 B, 1 KiB, 64 KiB and 1 MiB; our UTF-8 against
 * TextEncoder.encode / encodeInto / TextDecoder and a plain JS loop at
 * 8 to 64 Ki chars. Prints ratios and GB/s after mitata's table.
 *
 * Run: node --expose-gc bench/encoding.bench.ts | deno run -A --v8-flags=--expose-gc bench/encoding.bench.ts | bun bench/encoding.bench.ts
 * Filter: add `base64` or `utf8` as an argument to run one half.
 *
 * @module
 */
import { bench, do_not_optimize, group, summary } from "mitata";
import { Buffer } from "node:buffer";
import base64js from "base64-js";
import { Base64 as jsBase64 } from "js-base64";
import {
  decodeBase64,
  decodeBase64Into,
  decodeUtf8,
  encodeBase64,
  encodeBase64Into,
  encodeUtf8,
  encodeUtf8Into,
  setBase64Implementation,
} from "../encoding/mod.ts";
import { type BenchRecord, runAndRecord, runtimeInfo } from "./_harness.ts";

type Native = {
  toBase64?: (this: Uint8Array) => string;
  setFromBase64?: (this: Uint8Array, text: string) => { read: number; written: number };
};
const nativeProto = Uint8Array.prototype as unknown as Native;
const nativeFromBase64 = (Uint8Array as unknown as {
  fromBase64?: (text: string) => Uint8Array;
}).fromBase64;
const hasNative = typeof nativeProto.toBase64 === "function";
const args = (globalThis as { process?: { argv: string[] } }).process?.argv ?? [];
const only = args.includes("base64") ? "base64" : args.includes("utf8") ? "utf8" : "";

function bytesOf(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x;
  }
  return bytes;
}

const BASE64_SIZES: [string, number][] = [
  ["64 B", 64],
  ["1 KiB", 1024],
  ["64 KiB", 65536],
  ["1 MiB", 1 << 20],
];

/** A bench that runs with the pure-JS core forced. */
function benchJs(name: string, fn: () => unknown): void {
  bench(name, function* () {
    setBase64Implementation("js");
    yield fn;
    setBase64Implementation("auto");
  });
}

if (only !== "utf8") {
  for (const [label, size] of BASE64_SIZES) {
    const bytes = bytesOf(size);
    const text = Buffer.from(bytes).toString("base64");
    const buffer = Buffer.from(bytes);
    const dest = new Uint8Array(text.length);
    const out = new Uint8Array(size);

    group(`base64 encode to string ${label}`, () => {
      summary(() => {
        bench("ours encodeBase64", () => do_not_optimize(encodeBase64(bytes)));
        benchJs("ours encodeBase64 (js)", () => do_not_optimize(encodeBase64(bytes)));
        bench("Buffer toString", () => do_not_optimize(buffer.toString("base64"))).baseline(
          !hasNative,
        );
        if (hasNative) {
          bench("native toBase64", () => do_not_optimize(nativeProto.toBase64!.call(bytes)))
            .baseline(true);
        }
        bench("base64-js", () => do_not_optimize(base64js.fromByteArray(bytes)));
        bench("js-base64", () => do_not_optimize(jsBase64.fromUint8Array(bytes)));
      });
    });

    group(`base64 encode into bytes ${label}`, () => {
      summary(() => {
        bench("ours encodeBase64Into", () => do_not_optimize(encodeBase64Into(bytes, dest)));
        benchJs("ours encodeBase64Into (js)", () => do_not_optimize(encodeBase64Into(bytes, dest)));
        bench("Buffer toString + latin1 write", () => {
          do_not_optimize(Buffer.from(dest.buffer).write(buffer.toString("base64"), "latin1"));
        });
        if (hasNative) {
          bench("native toBase64 + encodeInto", () => {
            do_not_optimize(new TextEncoder().encodeInto(nativeProto.toBase64!.call(bytes), dest));
          });
        }
      });
    });

    group(`base64 decode to bytes ${label}`, () => {
      summary(() => {
        bench("ours decodeBase64", () => do_not_optimize(decodeBase64(text)));
        benchJs("ours decodeBase64 (js)", () => do_not_optimize(decodeBase64(text)));
        bench("Buffer.from (lenient)", () => do_not_optimize(Buffer.from(text, "base64")))
          .baseline(!hasNative);
        if (hasNative) {
          bench("native fromBase64", () => do_not_optimize(nativeFromBase64!(text))).baseline(true);
        }
        bench("base64-js", () => do_not_optimize(base64js.toByteArray(text)));
        bench("js-base64", () => do_not_optimize(jsBase64.toUint8Array(text)));
      });
    });

    group(`base64 decode into buffer ${label}`, () => {
      summary(() => {
        bench("ours decodeBase64Into", () => do_not_optimize(decodeBase64Into(text, out)));
        benchJs("ours decodeBase64Into (js)", () => do_not_optimize(decodeBase64Into(text, out)));
        bench("Buffer write (lenient)", () => {
          do_not_optimize(Buffer.from(out.buffer).write(text, "base64"));
        }).baseline(!hasNative);
        if (hasNative) {
          bench(
            "native setFromBase64",
            () => do_not_optimize(nativeProto.setFromBase64!.call(out, text)),
          )
            .baseline(true);
        }
      });
    });
  }
}

/**
 * The plain JS loop our UTF-8 path choice competes with, under the same
 * contract as encodeInto (stops when full, returns { read, written }).
 */
function jsEncodeAscii(text: string, dest: Uint8Array): { read: number; written: number } {
  const length = text.length;
  let j = 0;
  let i = 0;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || j === dest.length) break; // ASCII-only reference
    dest[j++] = c;
  }
  return { read: i, written: j };
}
function jsDecodeAscii(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

const UTF8_LENGTHS = [8, 16, 24, 32, 48, 64, 128, 1024, 16384, 65536];
if (only !== "base64") {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const dest = new Uint8Array(65536 * 3);
  for (const length of UTF8_LENGTHS) {
    let text = "";
    for (let i = 0; text.length < length; i++) text += String.fromCharCode(0x61 + (i % 26));
    const bytes = encoder.encode(text);
    const label = length >= 1024 ? `${length / 1024} Ki chars` : `${length} chars`;
    group(`utf8 encodeInto ASCII ${label}`, () => {
      summary(() => {
        bench("ours encodeUtf8Into", () => do_not_optimize(encodeUtf8Into(text, dest)));
        bench("TextEncoder.encodeInto", () => do_not_optimize(encoder.encodeInto(text, dest)))
          .baseline(true);
        bench("JS charCodeAt loop", () => do_not_optimize(jsEncodeAscii(text, dest)));
      });
    });
    group(`utf8 encode ASCII ${label}`, () => {
      summary(() => {
        bench("ours encodeUtf8", () => do_not_optimize(encodeUtf8(text)));
        bench("TextEncoder.encode", () => do_not_optimize(encoder.encode(text))).baseline(true);
      });
    });
    group(`utf8 decode ASCII ${label}`, () => {
      summary(() => {
        bench("ours decodeUtf8", () => do_not_optimize(decodeUtf8(bytes)));
        bench("TextDecoder.decode", () => do_not_optimize(decoder.decode(bytes))).baseline(true);
        bench("JS fromCharCode loop", () => do_not_optimize(jsDecodeAscii(bytes)));
      });
    });
  }
  const mixed = "héllo wörld — 👋 ".repeat(64);
  const mixedBytes = encoder.encode(mixed);
  group(`utf8 encodeInto mixed ${mixed.length} chars`, () => {
    summary(() => {
      bench("ours encodeUtf8Into", () => do_not_optimize(encodeUtf8Into(mixed, dest)));
      bench("TextEncoder.encodeInto", () => do_not_optimize(encoder.encodeInto(mixed, dest)))
        .baseline(true);
    });
  });
  group(`utf8 decode mixed ${mixedBytes.length} bytes`, () => {
    summary(() => {
      bench("ours decodeUtf8", () => do_not_optimize(decodeUtf8(mixedBytes)));
      bench("TextDecoder.decode", () => do_not_optimize(decoder.decode(mixedBytes))).baseline(true);
    });
  });
}

const result = await runAndRecord(`encoding${only ? "-" + only : ""}`);
printRatios(result.benchmarks);

/** For each group: ours against every peer by median time (>1 means ours is faster), and GB/s. */
function printRatios(records: BenchRecord[]): void {
  const groups = new Map<string, BenchRecord[]>();
  for (const record of records) {
    const list = groups.get(record.group) ?? [];
    list.push(record);
    groups.set(record.group, list);
  }
  console.log(
    `\nRatios (${runtimeInfo.name} ${runtimeInfo.version}): peer median / our median; >1 = ours faster`,
  );
  for (const [name, list] of groups) {
    const size = /(\d+) (B|KiB|MiB|Ki chars|chars|bytes)/.exec(name);
    const bytes = size
      ? Number(size[1]) *
        (size[2] === "KiB" || size[2] === "Ki chars" ? 1024 : size[2] === "MiB" ? 1 << 20 : 1)
      : 0;
    const ours = list.filter((r) => r.name.startsWith("ours"));
    const peers = list.filter((r) => !r.name.startsWith("ours"));
    for (const o of ours) {
      const gbps = bytes ? ` ${(bytes / o.p50Ns).toFixed(2)} GB/s` : "";
      const ratios = peers.map((p) => `${p.name} ${(p.p50Ns / o.p50Ns).toFixed(2)}x`).join(", ");
      console.log(`${name} | ${o.name}${gbps} | ${ratios}`);
    }
  }
}
