/**
 * Every call of issue 18 against the best direct call a user could make on
 * the same runtime for the same result, before and after a change, in one
 * process: `before` is the library at `BENCH_BEFORE_ROOT` (another checkout;
 * left out when unset), `after` is this checkout.
 * Both are fed the same varied warm-up, then timed in interleaved rounds.
 *
 * Like with like: owned results against owned results (a fresh string, a
 * fresh or pooled-chunk `Uint8Array`), strict decoders against strict
 * decoders (`fromBase64`/`fromHex`; Node 24 has no strict native decoder, so
 * there the lenient `Buffer` is shown as a reference, tagged `strict: false`),
 * `JSON.parse` behind a fatal `TextDecoder` for the strict `deserialize`, and
 * the pooled JSON paths against their ceiling (`JSON.stringify` +
 * `encodeInto` into a buffer that already exists).
 *
 * Direct calls are tagged `side: "peer"` with a contender id starting with
 * `direct:`; ours are `ours.before.*` and `ours.after.*`.
 *
 * Timing is CPU time (`process.cpuUsage`), not wall time: the machine these
 * run on is shared, and preemption would otherwise dominate. Per group,
 * `BENCH_ROUNDS` (default 9) interleaved rounds of about `BENCH_ROUND_MS`
 * (default 20) ms of CPU per contender, the order rotating each round; the
 * figure is the median round.
 *
 * Run: node --expose-gc bench/seam_direct.bench.ts | deno run -A --v8-flags=--expose-gc
 * bench/seam_direct.bench.ts | bun bench/seam_direct.bench.ts. Arguments
 * `base64`, `hex`, `utf8`, `json`, `msgpack` run one part (`msgpack`: the
 * MessagePack hot paths against msgpackr, whose ratios must not fall); results go to
 * bench/results/seam_direct[.part].<runtime>.json.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import process from "node:process";
import * as afterEncoding from "../encoding/mod.ts";
import * as afterPool from "../pool/mod.ts";
import * as afterSerializers from "../serializers/mod.ts";
import { do_not_optimize } from "mitata";
import { Packr } from "msgpackr";
import {
  type Contender,
  type Group,
  runtimeInfo,
  type WarmUp,
  warmUpVaried,
  writeResults,
} from "./_harness.ts";
import type { BenchEntry, Op } from "./_schema.ts";
import {
  fixtures,
  randomBytes,
  variedByteArrays,
  variedMessages,
  variedStrings,
} from "./fixtures.ts";

type Encoding = typeof afterEncoding;
type Pool = typeof afterPool;
type Serializers = typeof afterSerializers;

/** An earlier checkout to time beside this one (its `encoding/`, `pool/`, `serializers/`), if any. */
const beforeRoot = process.env.BENCH_BEFORE_ROOT;
const before = beforeRoot === undefined ? null : {
  version: "before",
  encoding: await import(`${beforeRoot}/encoding/mod.ts`) as Encoding,
  pool: await import(`${beforeRoot}/pool/mod.ts`) as Pool,
  serializers: await import(`${beforeRoot}/serializers/mod.ts`) as Serializers,
} as const;

const PARTS = ["base64", "hex", "utf8", "json", "msgpack"] as const;
const only = PARTS.find((part) => process.argv.includes(part));

// deno-lint-ignore no-explicit-any
type AnyFn = (...args: any[]) => any;
type Proto = Record<string, AnyFn | undefined>;
const proto = Uint8Array.prototype as unknown as Proto;
const statics = Uint8Array as unknown as Proto;
const hasBuffer = runtimeInfo.name === "node";
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
const fatalDecoder = new TextDecoder("utf-8", { fatal: true });

function direct<T>(
  id: string,
  op: Op,
  fn: (input: T) => unknown,
  strict: boolean | undefined = undefined,
  owned = true,
): Contender<T> {
  return { contender: `direct:${id}`, name: id, side: "peer", op, owned, strict, fn };
}

function ours<T>(
  version: "before" | "after",
  id: string,
  op: Op,
  fn: (input: T) => unknown,
  strict: boolean | undefined = undefined,
  owned = true,
): Contender<T> {
  return {
    contender: `ours.${version}.${id}`,
    name: `${version} ${id}`,
    side: "ours",
    op,
    owned,
    strict,
    fn,
  };
}

const VERSIONS = [
  ...(before === null ? [] : [before]),
  { version: "after", encoding: afterEncoding, pool: afterPool, serializers: afterSerializers },
] as const;

const groups: Group<unknown>[] = [];
const warmUps: WarmUp<unknown>[] = [];
function add<T>(group: Group<T>): void {
  // deno-lint-ignore no-explicit-any
  groups.push(group as Group<any>);
}

const BYTE_SIZES = [["64 B", 64], ["1 KiB", 1024], ["64 KiB", 65536], ["1 MiB", 1 << 20]] as const;
const bytesSet = variedByteArrays();

if (only === undefined || only === "base64") {
  const encode: Contender<Uint8Array>[] = [];
  const decode: Contender<string>[] = [];
  const decodeInto: Contender<string>[] = [];
  const intoDest = new Uint8Array((1 << 20) + 16);
  for (const { version, encoding } of VERSIONS) {
    encode.push(ours(version, "encodeBase64", "encode", (b) => encoding.encodeBase64(b)));
    decode.push(ours(version, "decodeBase64", "decode", (t) => encoding.decodeBase64(t), true));
    decodeInto.push(
      ours(
        version,
        "decodeBase64Into",
        "decodeInto",
        (t) => encoding.decodeBase64Into(t, intoDest),
        true,
        false,
      ),
    );
  }
  if (proto.toBase64) {
    const toBase64 = proto.toBase64;
    encode.push(direct("Uint8Array#toBase64", "encode", (b) => toBase64.call(b)));
  }
  if (hasBuffer) {
    encode.push(
      direct(
        "Buffer#toString(base64)",
        "encode",
        (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64"),
      ),
    );
  }
  if (statics.fromBase64) {
    const fromBase64 = statics.fromBase64;
    decode.push(
      direct("Uint8Array.fromBase64", "decode", (t) => fromBase64.call(Uint8Array, t), true),
    );
  } else if (hasBuffer) {
    decode.push(direct("Buffer.from(base64)", "decode", (t) => Buffer.from(t, "base64"), false));
  }
  if (proto.setFromBase64) {
    const setFromBase64 = proto.setFromBase64;
    decodeInto.push(
      direct(
        "Uint8Array#setFromBase64",
        "decodeInto",
        (t) => setFromBase64.call(intoDest, t),
        true,
        false,
      ),
    );
  } else if (hasBuffer) {
    const buffer = Buffer.from(intoDest.buffer, intoDest.byteOffset, intoDest.length);
    decodeInto.push(
      direct("Buffer#write(base64)", "decodeInto", (t) => buffer.write(t, "base64"), false, false),
    );
  }
  for (const [size, n] of BYTE_SIZES) {
    const bytes = randomBytes(n, n);
    const text = Buffer.from(bytes).toString("base64");
    add({ subject: "base64 encode", size, sizeBytes: n, input: bytes, contenders: encode });
    add({ subject: "base64 decode", size, sizeBytes: n, input: text, contenders: decode });
    add({ subject: "base64 decodeInto", size, sizeBytes: n, input: text, contenders: decodeInto });
  }
  const texts = bytesSet.map((b) => Buffer.from(b).toString("base64"));
  warmUps.push({ subject: "base64 encode", inputs: bytesSet });
  warmUps.push({ subject: "base64 decode", inputs: texts });
  warmUps.push({ subject: "base64 decodeInto", inputs: texts });
}

if (only === undefined || only === "hex") {
  const encode: Contender<Uint8Array>[] = [];
  const decode: Contender<string>[] = [];
  const decodeInto: Contender<string>[] = [];
  const intoDest = new Uint8Array((1 << 20) + 16);
  for (const { version, encoding } of VERSIONS) {
    encode.push(ours(version, "encodeHex", "encode", (b) => encoding.encodeHex(b)));
    decode.push(ours(version, "decodeHex", "decode", (t) => encoding.decodeHex(t), true));
    decodeInto.push(
      ours(
        version,
        "decodeHexInto",
        "decodeInto",
        (t) => encoding.decodeHexInto(t, intoDest),
        true,
        false,
      ),
    );
  }
  if (proto.toHex) {
    const toHex = proto.toHex;
    encode.push(direct("Uint8Array#toHex", "encode", (b) => toHex.call(b)));
  }
  if (hasBuffer) {
    encode.push(
      direct(
        "Buffer#toString(hex)",
        "encode",
        (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex"),
      ),
    );
  }
  if (statics.fromHex) {
    const fromHex = statics.fromHex;
    decode.push(direct("Uint8Array.fromHex", "decode", (t) => fromHex.call(Uint8Array, t), true));
  } else if (hasBuffer) {
    decode.push(direct("Buffer.from(hex)", "decode", (t) => Buffer.from(t, "hex"), false));
  }
  if (proto.setFromHex) {
    const setFromHex = proto.setFromHex;
    decodeInto.push(
      direct(
        "Uint8Array#setFromHex",
        "decodeInto",
        (t) => setFromHex.call(intoDest, t),
        true,
        false,
      ),
    );
  } else if (hasBuffer) {
    const buffer = Buffer.from(intoDest.buffer, intoDest.byteOffset, intoDest.length);
    decodeInto.push(
      direct("Buffer#write(hex)", "decodeInto", (t) => buffer.write(t, "hex"), false, false),
    );
  }
  for (const [size, n] of BYTE_SIZES) {
    const bytes = randomBytes(n, n + 1);
    const text = Buffer.from(bytes).toString("hex");
    add({ subject: "hex encode", size, sizeBytes: n, input: bytes, contenders: encode });
    add({ subject: "hex decode", size, sizeBytes: n, input: text, contenders: decode });
    add({ subject: "hex decodeInto", size, sizeBytes: n, input: text, contenders: decodeInto });
  }
  const texts = bytesSet.map((b) => Buffer.from(b).toString("hex"));
  warmUps.push({ subject: "hex encode", inputs: bytesSet });
  warmUps.push({ subject: "hex decode", inputs: texts });
  warmUps.push({ subject: "hex decodeInto", inputs: texts });
}

if (only === undefined || only === "utf8") {
  const encode: Contender<string>[] = [];
  const encodeInto: Contender<string>[] = [];
  const decode: Contender<Uint8Array>[] = [];
  const intoDest = new Uint8Array(3 * 65536 + 16);
  for (const { version, encoding } of VERSIONS) {
    encode.push(ours(version, "encodeUtf8", "encode", (s) => encoding.encodeUtf8(s)));
    encodeInto.push(
      ours(
        version,
        "encodeUtf8Into",
        "encodeInto",
        (s) => encoding.encodeUtf8Into(s, intoDest),
        undefined,
        false,
      ),
    );
    decode.push(ours(version, "decodeUtf8", "decode", (b) => encoding.decodeUtf8(b)));
  }
  encode.push(direct("TextEncoder.encode", "encode", (s) => textEncoder.encode(s)));
  encodeInto.push(
    direct(
      "TextEncoder.encodeInto",
      "encodeInto",
      (s) => textEncoder.encodeInto(s, intoDest),
      undefined,
      false,
    ),
  );
  decode.push(direct("TextDecoder.decode", "decode", (b) => textDecoder.decode(b)));
  // Bun's Buffer is native too, a direct call its users make (Deno's is a JS polyfill).
  if (runtimeInfo.name !== "deno") {
    encode.push(direct("Buffer.from(string)", "encode", (s) => Buffer.from(s)));
    decode.push(
      direct(
        "Buffer#toString(utf8)",
        "decode",
        (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8"),
      ),
    );
  }
  const mixed = "héllo wörld, 张伟 👋 ";
  for (const chars of [8, 16, 64, 512, 4096, 65536]) {
    for (const [kind, alphabet] of [["ascii", "abcdefghij klmnopqrstuvwxyz"], ["mixed", mixed]]) {
      const text = alphabet.repeat(Math.ceil(chars / alphabet.length)).slice(0, chars);
      const size = `${chars} chars ${kind}`;
      const bytes = textEncoder.encode(text);
      add({ subject: "utf8 encode", size, sizeBytes: chars, input: text, contenders: encode });
      add({
        subject: "utf8 encodeInto",
        size,
        sizeBytes: chars,
        input: text,
        contenders: encodeInto,
      });
      add({
        subject: "utf8 decode",
        size,
        sizeBytes: bytes.length,
        input: bytes,
        contenders: decode,
      });
    }
  }
  const strings = variedStrings();
  warmUps.push({ subject: "utf8 encode", inputs: strings });
  warmUps.push({ subject: "utf8 encodeInto", inputs: strings });
  warmUps.push({ subject: "utf8 decode", inputs: strings.map((s) => textEncoder.encode(s)) });
}

if (only === undefined || only === "json") {
  const serialize: Contender<unknown>[] = [];
  const pooled: Contender<unknown>[] = [];
  const deserialize: Contender<Uint8Array>[] = [];
  const ceiling = new Uint8Array(3 * JSON.stringify(fixtures.large).length + (1 << 20));
  for (const { version, pool: poolModule, serializers } of VERSIONS) {
    const pool = new poolModule.MemoryPool();
    const json = new serializers.JsonSerializer({ pool });
    const writer = pool.rentWriter(64 * 1024);
    const dest = new Uint8Array(ceiling.length);
    serialize.push(ours(version, "json.serialize", "encode", (x) => json.serialize(x)));
    pooled.push(
      ours(
        version,
        "json.serializeTo",
        "encodeInto",
        (x) => {
          const n = json.serializeTo(x, writer);
          writer.reset();
          return n;
        },
        undefined,
        false,
      ),
      ours(
        version,
        "json.serializePooled",
        "encodeInto",
        (x) => {
          const owned = json.serializePooled(x);
          const n = owned.length;
          owned.dispose();
          return n;
        },
        undefined,
        false,
      ),
      ours(
        version,
        "json.trySerialize",
        "encodeInto",
        (x) => json.trySerialize(x, dest),
        undefined,
        false,
      ),
    );
    deserialize.push(ours(version, "json.deserialize", "decode", (b) => json.deserialize(b), true));
  }
  serialize.push(
    direct(
      "TextEncoder.encode(JSON.stringify)",
      "encode",
      (x) => textEncoder.encode(JSON.stringify(x)),
    ),
  );
  if (runtimeInfo.name !== "deno") {
    serialize.push(
      direct("Buffer.from(JSON.stringify)", "encode", (x) => Buffer.from(JSON.stringify(x))),
    );
  }
  pooled.push(
    direct(
      "JSON.stringify+encodeInto(prealloc)",
      "encodeInto",
      (x) => textEncoder.encodeInto(JSON.stringify(x), ceiling).written,
      undefined,
      false,
    ),
  );
  deserialize.push(
    direct(
      "JSON.parse(fatal TextDecoder)",
      "decode",
      (b) => JSON.parse(fatalDecoder.decode(b)),
      true,
    ),
  );
  for (const size of ["small", "medium", "large"] as const) {
    const value = fixtures[size];
    const bytes = textEncoder.encode(JSON.stringify(value));
    add({
      subject: "json serialize",
      size,
      sizeBytes: bytes.length,
      input: value,
      contenders: serialize,
    });
    add({
      subject: "json pooled",
      size,
      sizeBytes: bytes.length,
      input: value,
      contenders: pooled,
    });
    add({
      subject: "json deserialize",
      size,
      sizeBytes: bytes.length,
      input: bytes,
      contenders: deserialize,
    });
  }
  const messages = variedMessages();
  warmUps.push({ subject: "json serialize", inputs: messages });
  warmUps.push({ subject: "json pooled", inputs: messages });
  warmUps.push({
    subject: "json deserialize",
    inputs: messages.map((m) => textEncoder.encode(JSON.stringify(m))),
  });
}

/** A full collection where the runtime exposes one (untimed). */
function collect(): void {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (g.Bun) g.Bun.gc(true);
  else g.gc?.();
}

/** CPU microseconds of `process.cpuUsage()`. */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Calls per round for about `roundMs` of CPU, from a short probe. */
function callsPerRound(fn: () => unknown, roundMs: number): number {
  let calls = 1;
  for (;;) {
    const start = cpuNow();
    for (let i = 0; i < calls; i++) do_not_optimize(fn());
    const used = cpuNow() - start;
    if (used >= 2000 || calls >= 1 << 24) {
      return Math.max(1, Math.round((calls * roundMs * 1000) / Math.max(used, 1)));
    }
    calls *= 4;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Interleaved CPU-time rounds per group; entries in the shared result schema. */
function timeCpu(benchName: string, all: readonly Group<unknown>[]): BenchEntry[] {
  const roundMs = Number(process.env.BENCH_ROUND_MS) || 20;
  const roundCount = Number(process.env.BENCH_ROUNDS) || 9;
  const out: BenchEntry[] = [];
  for (const [index, group] of all.entries()) {
    const fns = group.contenders.map((c) => () => c.fn(group.input));
    const calls = fns.map((fn) => callsPerRound(fn, roundMs / 4));
    const samples = fns.map(() => [] as number[]);
    for (let round = 0; round < roundCount; round++) {
      for (let k = 0; k < fns.length; k++) {
        const i = (k + round) % fns.length;
        const fn = fns[i];
        const n = calls[i];
        collect(); // each contender's round starts on a clean heap and pays for its own garbage
        // Whole batches until the round has used its CPU time: a stalled probe cannot make it short.
        const budget = roundMs * 1000;
        let done = 0;
        const start = cpuNow();
        let used = 0;
        do {
          for (let j = 0; j < n; j++) do_not_optimize(fn());
          done += n;
          used = cpuNow() - start;
        } while (used < budget);
        samples[i].push((used * 1000) / done);
      }
    }
    const line: string[] = [];
    for (const [i, c] of group.contenders.entries()) {
      const nsPerOp = median(samples[i]);
      out.push({
        bench: benchName,
        group: `${group.subject} ${group.size}`,
        subject: group.subject,
        size: group.size,
        sizeBytes: group.sizeBytes,
        name: c.name,
        contender: c.contender,
        runtime: runtimeInfo.id,
        runtimeVersion: runtimeInfo.version,
        side: c.side,
        op: c.op,
        feedback: "varied",
        owned: c.owned,
        strict: c.strict ?? null,
        nsPerOp,
        opsPerSec: 1e9 / nsPerOp,
        avgNs: samples[i].reduce((a, b) => a + b, 0) / samples[i].length,
        p99Ns: Math.max(...samples[i]),
        backingStoreBytesPerOp: null,
        heapBytesPerOp: null,
      });
      line.push(`${c.name} ${nsPerOp.toFixed(0)} ns`);
    }
    console.log(`[${index + 1}/${all.length}] ${group.subject} ${group.size}: ${line.join(", ")}`);
  }
  return out;
}

if (only === undefined || only === "msgpack") {
  const encode: Contender<unknown>[] = [];
  const decode: Contender<Uint8Array>[] = [];
  for (const { version, pool: poolModule, serializers } of VERSIONS) {
    const msgpack = new serializers.MsgPackSerializer({ pool: new poolModule.MemoryPool() });
    encode.push(ours(version, "msgpack.serialize", "encode", (x) => msgpack.serialize(x)));
    decode.push(ours(version, "msgpack.deserialize", "decode", (b) => msgpack.deserialize(b)));
  }
  const packr = new Packr({ useRecords: false });
  encode.push(direct("msgpackr.pack", "encode", (x) => packr.pack(x)));
  decode.push(direct("msgpackr.unpack", "decode", (b) => packr.unpack(b)));
  for (const size of ["small", "medium", "large"] as const) {
    const bytes = packr.pack(fixtures[size]);
    const input = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length).slice();
    add({
      subject: "msgpack serialize",
      size,
      sizeBytes: input.length,
      input: fixtures[size],
      contenders: encode,
    });
    add({
      subject: "msgpack deserialize",
      size,
      sizeBytes: input.length,
      input,
      contenders: decode,
    });
  }
  const messages = variedMessages();
  warmUps.push({ subject: "msgpack serialize", inputs: messages });
  warmUps.push({
    subject: "msgpack deserialize",
    inputs: messages.map((m) => packr.pack(m).slice()),
  });
}

// BENCH_GROUP=<text>: time only the groups whose "subject size" contains it.
const pick = process.env.BENCH_GROUP;
if (pick !== undefined) {
  const kept = groups.filter((g) => `${g.subject} ${g.size}`.includes(pick));
  groups.length = 0;
  groups.push(...kept);
}
console.log(`seam_direct on ${runtimeInfo.id} ${runtimeInfo.version}; before = ${beforeRoot}`);
warmUpVaried(groups, warmUps);
const bench = only === undefined ? "seam_direct" : `seam_direct.${only}`;
const entries = timeCpu(bench, groups);

// The table: per group, best direct / each version (>= 1 means at least as fast as the direct call).
console.log("\ngroup | best direct | before | after");
for (const group of groups) {
  const key = `${group.subject} ${group.size}`;
  const rows = entries.filter((e) => e.group === key);
  const directs = rows.filter((e) => e.contender.startsWith("direct:") && e.strict !== false);
  const pool = directs.length > 0 ? directs : rows.filter((e) => e.contender.startsWith("direct:"));
  const best = Math.min(...pool.map((e) => e.nsPerOp));
  const bestName = pool.find((e) => e.nsPerOp === best)?.name ?? "?";
  const ratios = ["before", "after"].map((version) =>
    rows.filter((e) => e.contender.startsWith(`ours.${version}.`))
      .map((e) =>
        `${e.contender.slice(`ours.${version}.`.length)} ${(best / e.nsPerOp).toFixed(2)}x`
      )
      .join(", ")
  );
  console.log(`${key} | ${bestName} | ${ratios[0]} | ${ratios[1]}`);
}
writeResults(bench, entries, { beforeRoot }, "varied");
