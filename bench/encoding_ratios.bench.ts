/**
 * Robust ratio check for the "≥ 0.9× the best alternative" targets: each
 * candidate runs in interleaved rounds and keeps its best round, so a loaded
 * machine shifts all candidates alike instead of whichever ran during a
 * spike. Complements encoding.bench.ts (mitata), whose per-bench timings
 * swing ±30% on a shared 2-core box.
 *
 * Diagnostic: `npm run bench` skips it (bench/encoding.bench.ts times the same pairs in
 * interleaved rounds); run it with `--filter=encoding_ratios`.
 *
 * Run: node bench/encoding_ratios.bench.ts | deno run -A bench/encoding_ratios.bench.ts | bun bench/encoding_ratios.bench.ts
 *
 * @module
 */
import { Buffer } from "node:buffer";
import {
  decodeBase64,
  decodeBase64Into,
  decodeUtf8,
  encodeBase64,
  encodeUtf8,
  encodeUtf8Into,
} from "../encoding/mod.ts";
import { runtimeInfo } from "./_harness.ts";

type Candidate = [name: string, fn: () => unknown];

/** Best ns per call of each candidate over interleaved rounds. */
function bestOf(candidates: Candidate[], bytes: number): Map<string, number> {
  const iterations = Math.max(100, Math.min(50000, Math.floor(3e7 / Math.max(bytes, 256))));
  const best = new Map<string, number>();
  for (const [name, fn] of candidates) {
    for (let i = 0; i < iterations; i++) fn();
    best.set(name, Infinity);
  }
  for (let round = 0; round < 9; round++) {
    for (const [name, fn] of candidates) {
      const start = performance.now();
      for (let i = 0; i < iterations; i++) fn();
      const ns = ((performance.now() - start) * 1e6) / iterations;
      if (ns < best.get(name)!) best.set(name, ns);
    }
  }
  return best;
}

/** Prints ours against the best of the others; flags ratios below 0.9. */
function line(label: string, times: Map<string, number>): void {
  const ours = times.get("ours")!;
  let bestName = "";
  let bestTime = Infinity;
  for (const [name, time] of times) {
    if (name !== "ours" && time < bestTime) [bestName, bestTime] = [name, time];
  }
  const ratio = bestTime / ours;
  const others = [...times].filter(([n]) => n !== "ours").map(([n, t]) => `${n} ${t.toFixed(0)}`)
    .join(", ");
  console.log(
    `${label.padEnd(34)} ours ${ours.toFixed(0)} ns | ${others} | vs best (${bestName}) ${
      ratio.toFixed(2)
    }x${ratio < 0.9 ? "  << below 0.9" : ""}`,
  );
}

const native = Uint8Array.prototype as unknown as {
  toBase64?: (this: Uint8Array) => string;
  setFromBase64?: (this: Uint8Array, text: string) => { read: number; written: number };
};
const nativeFrom = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array })
  .fromBase64;
const onNode = runtimeInfo.name === "node";

console.log(`${runtimeInfo.name} ${runtimeInfo.version}: best-of-rounds ns per call`);
for (const size of [64, 1024, 65536, 1 << 20]) {
  const bytes = new Uint8Array(size).map((_, i) => (i * 2654435761) >>> 24);
  const buffer = Buffer.from(bytes);
  const text = buffer.toString("base64");
  const out = new Uint8Array(size);
  const encode: Candidate[] = [["ours", () => encodeBase64(bytes)]];
  const decode: Candidate[] = [["ours", () => decodeBase64(text)]];
  const into: Candidate[] = [["ours", () => decodeBase64Into(text, out)]];
  if (native.toBase64) {
    encode.push(["toBase64", () => native.toBase64!.call(bytes)]);
    decode.push(["fromBase64", () => nativeFrom!(text)]);
    into.push(["setFromBase64", () => native.setFromBase64!.call(out, text)]);
  }
  if (onNode) {
    // Node 24's only native base64: Buffer (decoding leniently, unvalidated).
    encode.push(["Buffer", () => buffer.toString("base64")]);
    decode.push(["Buffer.from", () => Buffer.from(text, "base64")]);
    into.push(["Buffer.write", () => buffer.write(text, "base64")]);
    // atob is Node's one validating native decoder (plus a copy into bytes).
    decode.push(["atob+copy", () => Buffer.from(atob(text), "latin1")]);
  }
  line(`base64 encode ${size} B`, bestOf(encode, size));
  line(`base64 decode ${size} B`, bestOf(decode, size));
  line(`base64 decode into ${size} B`, bestOf(into, size));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const dest = new Uint8Array(3 * 65536);
function jsEncodeInto(text: string, target: Uint8Array): { read: number; written: number } {
  let j = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || j === target.length) break;
    target[j++] = c;
  }
  return { read: i, written: j };
}
function jsDecode(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}
for (const length of [4, 8, 12, 16, 24, 32, 48, 64, 128, 1024, 16384, 65536]) {
  const text = "abcdefghijklmnopqrstuvwxyz".repeat(Math.ceil(length / 26)).slice(0, length);
  const bytes = encoder.encode(text);
  line(
    `utf8 encodeInto ${length} chars`,
    bestOf([
      ["ours", () => encodeUtf8Into(text, dest)],
      ["encodeInto", () => encoder.encodeInto(text, dest)],
      ["js loop", () => jsEncodeInto(text, dest)],
    ], length),
  );
  line(
    `utf8 encode ${length} chars`,
    bestOf([["ours", () => encodeUtf8(text)], ["encode", () => encoder.encode(text)]], length),
  );
  line(
    `utf8 decode ${length} bytes`,
    bestOf([
      ["ours", () => decodeUtf8(bytes)],
      ["TextDecoder", () => decoder.decode(bytes)],
      ["js loop", () => jsDecode(bytes)],
    ], length),
  );
}
