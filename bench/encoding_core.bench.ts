/**
 * Throughput of the pure-JS base64 core at 64 KiB against base64-js, timed
 * in process CPU time (best of 5) rather than wall time, so a shared, loaded
 * machine does not distort the absolute GB/s. Prints one line per figure.
 *
 * Diagnostic: `npm run bench` skips it; run it with `--filter=encoding_core`.
 *
 * Run: node bench/encoding_core.bench.ts | deno run -A bench/encoding_core.bench.ts | bun bench/encoding_core.bench.ts
 *
 * @module
 */
import process from "node:process";
import { Buffer } from "node:buffer";
import base64js from "base64-js";
import * as encoding from "../encoding/mod.ts";
import { JS_API } from "../encoding/_codec_api.ts";

import { runtimeInfo } from "./_harness.ts";

const { decodeBase64, decodeBase64Into, encodeBase64 } = JS_API;
const { encodeBase64Into } = encoding;
const SIZE = 65536;
const bytes = new Uint8Array(SIZE).map((_, i) => (i * 2654435761) >>> 24);
const text = Buffer.from(bytes).toString("base64");
const dest = new Uint8Array(text.length);
const out = new Uint8Array(SIZE);

/** Best CPU microseconds per call over 5 rounds of `n` calls. */
function cpuMicros(fn: () => unknown, n: number): number {
  for (let i = 0; i < n / 10; i++) fn();
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / n);
  }
  return best;
}

function report(name: string, micros: number): void {
  console.log(
    `${name.padEnd(34)} ${(SIZE / micros / 1000).toFixed(2)} GB/s  ${micros.toFixed(1)} µs`,
  );
}

console.log(`pure-JS base64 core, 64 KiB, CPU time (${runtimeInfo.name} ${runtimeInfo.version})`);
const encodeInto = cpuMicros(() => encodeBase64Into(bytes, dest), 2000);
const decodeInto = cpuMicros(() => decodeBase64Into(text, out), 2000);
const encode = cpuMicros(() => encodeBase64(bytes), 1000);
const decode = cpuMicros(() => decodeBase64(text), 1000);
const peerEncode = cpuMicros(() => base64js.fromByteArray(bytes), 200);
const peerDecode = cpuMicros(() => base64js.toByteArray(text), 200);
report("ours (js) encodeBase64Into", encodeInto);
report("ours (js) decodeBase64Into", decodeInto);
report("ours (js) encodeBase64 (string)", encode);
report("ours (js) decodeBase64 (fresh)", decode);
report("base64-js fromByteArray", peerEncode);
report("base64-js toByteArray", peerDecode);
console.log(
  `vs base64-js: encode ${(peerEncode / encode).toFixed(1)}x (string), ${
    (peerEncode / encodeInto).toFixed(1)
  }x (into bytes); decode ${(peerDecode / decode).toFixed(1)}x (fresh), ${
    (peerDecode / decodeInto).toFixed(1)
  }x (into)`,
);
