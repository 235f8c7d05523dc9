/**
 * Every call of issue 18 against the best direct call a user could make on the same runtime for
 * the same result, before and after a change, in one process: `before` is the library at
 * `BENCH_BEFORE_ROOT` (left out when unset), `after` is this checkout. Like with like: owned with
 * owned, strict decoders with strict ones (lenient `Buffer` decoders are references, `strict:
 * false`), into-memory encoders with a native string copied in, a strict `deserialize` with
 * `JSON.parse` behind a fatal `TextDecoder`, pooled JSON with `JSON.stringify` + `encodeInto` into
 * a buffer that exists. `Buffer` (node:buffer) is a base64/hex direct call wherever it exists.
 * Direct calls are `side: "peer"`, id `direct:*`; ours are `ours.before.*` and `ours.after.*`,
 * base64/hex ones each at a call site of its own version (`ownSite`), like each direct call.
 *
 * Each group runs in `BENCH_PROCESSES` (default 5) fresh processes (bench/_fresh_processes.ts:
 * why). In each, all get the same varied warm-up and ten untimed laps, then `BENCH_ROUNDS`
 * (default 10) interleaved rounds of about `BENCH_ROUND_MS` (default 10) ms of CPU time per
 * contender (bench/_cpu_rounds.ts);
 * the figure is the median of the processes' median rounds. `BENCH_GROUP=<text>` times only the
 * groups whose "subject size" contains it. Run: node --expose-gc | deno run -A --v8-flags=--expose-gc | bun
 * bench/seam_direct.bench.ts [base64|hex|utf8|json|msgpack] (one part; `msgpack`: MessagePack
 * hot paths against msgpackr, whose ratios must not fall) → results/seam_direct[.part].*.json.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import process from "node:process";
import * as afterEncoding from "../encoding/mod.ts";
import * as afterPool from "../pool/mod.ts";
import * as afterSerializers from "../serializers/mod.ts";
import { Packr } from "msgpackr";
import type { Contender, Group, WarmUp } from "./_harness.ts";
import { runtimeInfo, warmUpVaried, writeResults } from "./_harness.ts";
import { type Judge, timeInFreshProcesses } from "./_fresh_processes.ts";
import { timeCpu } from "./_cpu_rounds.ts";
import type { BenchEntry, Op, Side } from "./_schema.ts";
import { median } from "../dev/stats.ts";
import * as inputs from "./fixtures.ts";

const after = { encoding: afterEncoding, pool: afterPool, serializers: afterSerializers };
type Version = typeof after & { readonly version: "before" | "after" };
/** An earlier checkout to time beside this one (its `encoding/`, `pool/`, `serializers/`). */
const beforeRoot = process.env.BENCH_BEFORE_ROOT;
const VERSIONS: readonly Version[] = [
  ...(beforeRoot === undefined ? [] : [{
    version: "before" as const,
    encoding: await import(`${beforeRoot}/encoding/mod.ts`),
    pool: await import(`${beforeRoot}/pool/mod.ts`),
    serializers: await import(`${beforeRoot}/serializers/mod.ts`),
  }]),
  { version: "after", ...after },
];

const PARTS = ["base64", "hex", "utf8", "json", "msgpack"] as const;
const only = PARTS.find((part) => process.argv.includes(part));
const runs = (part: typeof PARTS[number]) => only === undefined || only === part;

type Natives = Record<string, ((this: unknown, ...args: unknown[]) => unknown) | undefined>;
/** Node's and Bun's `Buffer` are native, a direct call their users make; Deno's is a JS polyfill. */
const nativeBuffer = runtimeInfo.name !== "deno";
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
const fatalDecoder = new TextDecoder("utf-8", { fatal: true });
const bufferOf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Tags of a contender: the op, then strict (decoders) and owned (default true). */
type Tags = readonly [op: Op, strict?: boolean, owned?: boolean];
const ENCODE: Tags = ["encode"];
const INTO: Tags = ["encodeInto", undefined, false];
const DECODE: Tags = ["decode"];
const STRICT_DECODE: Tags = ["decode", true];
const STRICT_INTO: Tags = ["decodeInto", true, false];

/** Our call: its id, and the call made from one version's modules. */
type Ours<T> = readonly [id: string, make: (v: Version) => (x: T) => unknown];
/** `(x) => fn(x[, dest])` compiled anew: closures of one literal share their type feedback. */
const ownSite = <T>(fn: (x: T, ...more: never[]) => unknown, dest?: Uint8Array) =>
  freshSite<T>(`f(x${dest ? ", d" : ""})`, { f: fn, d: dest });
/**
 * `(x) => body` compiled anew over `env`'s names, for the same reason. Each source is made unique
 * (a numbered comment): V8 caches `new Function` by its source, so every `f(x)` site shared one
 * function and its feedback, and went polymorphic ("wrong call target" deopts on Node 26).
 */
const freshSite = <T>(body: string, env: Record<string, unknown>) =>
  new Function(...Object.keys(env), `return (x) => ${body} /* site ${++sites} */`)(
    ...Object.values(env),
  ) as (x: T) => unknown;
let sites = 0;
/** A direct call: its id, the call (falsy where the runtime lacks it), "lenient" if not strict. */
type Direct<T> = readonly [id: string, fn: ((x: T) => unknown) | false | undefined, "lenient"?];

const groups: Group<unknown>[] = [];
const warmUps: WarmUp<unknown>[] = [];

/** One subject: ours (once per version) and the direct calls, timed on each sized input. */
function subject<T>(
  name: string,
  [op, strict, owned = true]: Tags,
  sizes: readonly (readonly [size: string, sizeBytes: number, input: T])[],
  warm: readonly T[],
  calls: { ours: readonly Ours<T>[]; direct: readonly Direct<T>[] },
): void {
  const tagged = (contender: string, name: string, side: Side, fn: (x: T) => unknown) =>
    ({ contender, name, side, op, owned, strict, fn }) as Contender<T>;
  const contenders = [
    ...calls.ours.flatMap(([id, make]) =>
      VERSIONS.map((v) => tagged(`ours.${v.version}.${id}`, `${v.version} ${id}`, "ours", make(v)))
    ),
    ...calls.direct.flatMap(([id, fn, lenient]) =>
      fn ? [{ ...tagged(`direct:${id}`, id, "peer", fn), strict: lenient ? false : strict }] : []
    ),
  ];
  for (const [size, sizeBytes, input] of sizes) {
    groups.push({ subject: name, size, sizeBytes, input, contenders } as Group<unknown>);
  }
  warmUps.push({ subject: name, inputs: warm });
}

const BYTE_SIZES = [["64 B", 64], ["1 KiB", 1024], ["64 KiB", 65536], ["1 MiB", 1 << 20]] as const;
const bytesSet = inputs.variedByteArrays();
/** Caller memory for the into-calls: room for 1 MiB as base64 or UTF-8. */
const intoDest = new Uint8Array(3 << 20);
const intoBuffer = bufferOf(intoDest);

/** Random bytes per size (seeded `n + seed`), their text in `encoding`, the warm-up texts. */
function byteInputs(seed: number, encoding: "base64" | "hex") {
  const bytes = BYTE_SIZES.map(([size, n]) => [size, n, inputs.randomBytes(n, n + seed)] as const);
  const texts = bytes.map(([size, n, b]) => [size, n, Buffer.from(b).toString(encoding)] as const);
  return { bytes, texts, warmTexts: bytesSet.map((b) => Buffer.from(b).toString(encoding)) };
}

const { toBase64, setFromBase64, toHex, setFromHex } = Uint8Array.prototype as unknown as Natives;
const { fromBase64, fromHex } = Uint8Array as unknown as Natives; // TC39 built-ins, where present
const toB64 = (b: Uint8Array) => toBase64!.call(b) as string;
if (runs("base64")) {
  const { bytes, texts, warmTexts } = byteInputs(0, "base64");
  subject("base64 encode", ENCODE, bytes, bytesSet, {
    ours: [["encodeBase64", (v) => ownSite(v.encoding.encodeBase64)]],
    direct: [
      ["Uint8Array#toBase64", toBase64 && ((b) => toBase64.call(b))],
      ["Buffer#toString(base64)", (b) => bufferOf(b).toString("base64")],
    ],
  });
  subject("base64 encodeInto", INTO, bytes, bytesSet, {
    ours: [["encodeBase64Into", (v) => ownSite(v.encoding.encodeBase64Into, intoDest)]],
    direct: [
      ["toBase64+encodeInto", toBase64 && ((b) => textEncoder.encodeInto(toB64(b), intoDest))],
      ["Buffer#toString+write", (b) => intoBuffer.write(bufferOf(b).toString("base64"), "latin1")],
    ],
  });
  subject("base64 decode", STRICT_DECODE, texts, warmTexts, {
    ours: [["decodeBase64", (v) => ownSite(v.encoding.decodeBase64)]],
    direct: [
      ["Uint8Array.fromBase64", fromBase64 && ((t) => fromBase64.call(Uint8Array, t))],
      ["atob+latin1 copy", (t) => Buffer.from(atob(t), "latin1")],
      ["Buffer.from(base64)", (t) => Buffer.from(t, "base64"), "lenient"],
    ],
  });
  subject("base64 decodeInto", STRICT_INTO, texts, warmTexts, {
    ours: [["decodeBase64Into", (v) => ownSite(v.encoding.decodeBase64Into, intoDest)]],
    direct: [
      ["Uint8Array#setFromBase64", setFromBase64 && ((t) => setFromBase64.call(intoDest, t))],
      ["atob+write(latin1)", (t) => intoBuffer.write(atob(t), "latin1")],
      ["Buffer#write(base64)", (t) => intoBuffer.write(t, "base64"), "lenient"],
    ],
  });
}

if (runs("hex")) {
  const { bytes, texts, warmTexts } = byteInputs(1, "hex");
  subject("hex encode", ENCODE, bytes, bytesSet, {
    ours: [["encodeHex", (v) => ownSite(v.encoding.encodeHex)]],
    direct: [
      ["Uint8Array#toHex", toHex && ((b) => toHex.call(b))],
      ["Buffer#toString(hex)", (b) => bufferOf(b).toString("hex")],
    ],
  });
  subject("hex decode", STRICT_DECODE, texts, warmTexts, {
    ours: [["decodeHex", (v) => ownSite(v.encoding.decodeHex)]],
    direct: [
      ["Uint8Array.fromHex", fromHex && ((t) => fromHex.call(Uint8Array, t))],
      ["Buffer.from(hex)", (t) => Buffer.from(t, "hex"), "lenient"],
    ],
  });
  subject("hex decodeInto", STRICT_INTO, texts, warmTexts, {
    ours: [["decodeHexInto", (v) => ownSite(v.encoding.decodeHexInto, intoDest)]],
    direct: [
      ["Uint8Array#setFromHex", setFromHex && ((t) => setFromHex.call(intoDest, t))],
      ["Buffer#write(hex)", (t) => intoBuffer.write(t, "hex"), "lenient"],
    ],
  });
}

if (runs("utf8")) {
  const mixed = "héllo wörld, 张伟 👋 ";
  const cases = [8, 16, 64, 512, 4096, 65536].flatMap((chars) =>
    [["ascii", "abcdefghij klmnopqrstuvwxyz"], ["mixed", mixed]].map(([kind, alphabet]) => {
      const text = alphabet.repeat(Math.ceil(chars / alphabet.length)).slice(0, chars);
      return { size: `${chars} chars ${kind}`, chars, text, bytes: textEncoder.encode(text) };
    })
  );
  const texts = cases.map(({ size, chars, text }) => [size, chars, text] as const);
  const bytes = cases.map(({ size, bytes }) => [size, bytes.length, bytes] as const);
  const strings = inputs.variedStrings();
  subject("utf8 encode", ENCODE, texts, strings, {
    ours: [["encodeUtf8", (v) => ownSite(v.encoding.encodeUtf8)]],
    direct: [
      ["TextEncoder.encode", (s) => textEncoder.encode(s)],
      ["Buffer.from(string)", nativeBuffer && ((s) => Buffer.from(s))],
    ],
  });
  subject("utf8 encodeInto", INTO, texts, strings, {
    ours: [["encodeUtf8Into", (v) => ownSite(v.encoding.encodeUtf8Into, intoDest)]],
    direct: [["TextEncoder.encodeInto", (s) => textEncoder.encodeInto(s, intoDest)]],
  });
  subject("utf8 decode", DECODE, bytes, strings.map((s) => textEncoder.encode(s)), {
    ours: [["decodeUtf8", (v) => ownSite(v.encoding.decodeUtf8)]],
    direct: [
      ["TextDecoder.decode", (b) => textDecoder.decode(b)],
      ["Buffer#toString(utf8)", nativeBuffer && ((b) => bufferOf(b).toString("utf8"))],
    ],
  });
}

/** Inputs for the serializers: the three fixtures as values and as `encode`d bytes. */
function fixtureInputs(encode: (value: unknown) => Uint8Array) {
  const sizes = (["small", "medium", "large"] as const).map((size) => {
    const bytes = encode(inputs.fixtures[size]);
    return { size, n: bytes.length, value: inputs.fixtures[size] as unknown, bytes };
  });
  const messages = inputs.variedMessages();
  return {
    values: sizes.map(({ size, n, value }) => [size, n, value] as const),
    bytes: sizes.map(({ size, n, bytes }) => [size, n, bytes] as const),
    messages,
    encoded: messages.map(encode),
  };
}

if (runs("json")) {
  const ceiling = new Uint8Array(3 * JSON.stringify(inputs.fixtures.large).length + (1 << 20));
  /** Our calls per version, on one pool, writer and destination. */
  const jsonCalls = new Map(VERSIONS.map((v) => {
    const pool = new v.pool.MemoryPool();
    const env = {
      json: new v.serializers.JsonSerializer({ pool }),
      writer: pool.rentWriter(64 * 1024),
      dest: new Uint8Array(ceiling.length),
    };
    return [v.version, {
      serialize: freshSite("json.serialize(x)", env),
      serializeTo: freshSite(
        "{ const n = json.serializeTo(x, writer); writer.reset(); return n; }",
        env,
      ),
      serializePooled: freshSite(
        "{ const o = json.serializePooled(x); const n = o.length; o.dispose(); return n; }",
        env,
      ),
      trySerialize: freshSite("json.trySerialize(x, dest)", env),
      deserialize: freshSite("json.deserialize(x)", env),
    }];
  }));
  const { values, bytes, messages, encoded } = fixtureInputs((value) =>
    textEncoder.encode(JSON.stringify(value))
  );
  subject("json serialize", ENCODE, values, messages, {
    ours: [["json.serialize", (v) => jsonCalls.get(v.version)!.serialize]],
    direct: [
      ["TextEncoder.encode(JSON.stringify)", (x) => textEncoder.encode(JSON.stringify(x))],
      ["Buffer.from(JSON.stringify)", nativeBuffer && ((x) => Buffer.from(JSON.stringify(x)))],
    ],
  });
  subject("json pooled", INTO, values, messages, {
    ours: [
      ["json.serializeTo", (v) => jsonCalls.get(v.version)!.serializeTo],
      ["json.serializePooled", (v) => jsonCalls.get(v.version)!.serializePooled],
      ["json.trySerialize", (v) => jsonCalls.get(v.version)!.trySerialize],
    ],
    direct: [[
      "JSON.stringify+encodeInto(prealloc)",
      (x) => textEncoder.encodeInto(JSON.stringify(x), ceiling).written,
    ]],
  });
  subject("json deserialize", STRICT_DECODE, bytes, encoded, {
    ours: [["json.deserialize", (v) => jsonCalls.get(v.version)!.deserialize]],
    direct: [["JSON.parse(fatal TextDecoder)", (b) => JSON.parse(fatalDecoder.decode(b))]],
  });
}

if (runs("msgpack")) {
  const packr = new Packr({ useRecords: false });
  const { values, bytes, messages, encoded } = fixtureInputs((value) => {
    const packed = packr.pack(value);
    return new Uint8Array(packed.buffer, packed.byteOffset, packed.length).slice();
  });
  const msgpackCalls = new Map(VERSIONS.map((v) => {
    const env = { msgpack: new v.serializers.MsgPackSerializer({ pool: new v.pool.MemoryPool() }) };
    const serialize = freshSite("msgpack.serialize(x)", env);
    return [v.version, { serialize, deserialize: freshSite("msgpack.deserialize(x)", env) }];
  }));
  subject("msgpack serialize", ENCODE, values, messages, {
    ours: [["msgpack.serialize", (v) => msgpackCalls.get(v.version)!.serialize]],
    direct: [["msgpackr.pack", (x) => packr.pack(x)]],
  });
  subject("msgpack deserialize", DECODE, bytes, encoded, {
    ours: [["msgpack.deserialize", (v) => msgpackCalls.get(v.version)!.deserialize]],
    direct: [["msgpackr.unpack", (b) => packr.unpack(b)]],
  });
}

/** The direct calls a group is judged against: its strict peers, or every peer where none is. */
function judgedPeers<E extends BenchEntry>(entries: readonly E[]): E[] {
  const peers = entries.filter((e) => e.side === "peer");
  const strict = peers.filter((e) => e.strict !== false);
  return strict.length > 0 ? strict : peers;
}

/** The index of the group's best direct call: its judged peer of least median time. */
function bestDirect(byProcess: readonly BenchEntry[][]): number {
  const first = byProcess[0];
  const typical = (e: BenchEntry) => {
    const i = first.indexOf(e);
    return median(byProcess.map((entries) => entries[i].nsPerOp));
  };
  return first.indexOf(judgedPeers(first).reduce((a, b) => (typical(b) < typical(a) ? b : a)));
}

/**
 * The judged figure: each of our calls' ratio to the group's best direct call. Its spread is the
 * standard error of the median of the per-process log ratios (σ·1.2533/√n), the largest over our
 * calls.
 */
const directRatio: Judge = {
  anchor: bestDirect,
  spread(byProcess) {
    const n = byProcess.length;
    if (n < 3) return Infinity;
    const best = bestDirect(byProcess);
    const ours = byProcess[0].map((_, i) => i).filter((i) => byProcess[0][i].side === "ours");
    return Math.max(
      0,
      ...ours.map((i) => {
        const logs = byProcess.map((entries) =>
          Math.log(entries[best].nsPerOp / entries[i].nsPerOp)
        );
        const mean = logs.reduce((a, b) => a + b, 0) / n;
        const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
        return (1.2533 * sd) / Math.sqrt(n);
      }),
    );
  },
};

const pick = process.env.BENCH_GROUP ?? "";
const timed = groups.filter((g) => `${g.subject} ${g.size}`.includes(pick));
const bench = only === undefined ? "seam_direct" : `seam_direct.${only}`;
const entries = timeInFreshProcesses(
  timed,
  (group) => {
    // In each process: the warm-up of every subject (timed or not, as in a full run), then one group.
    warmUpVaried(groups, warmUps);
    return timeCpu(bench, [group]);
  },
  `seam_direct on ${runtimeInfo.id} ${runtimeInfo.version}; before = ${beforeRoot}`,
  directRatio,
);

// Per group, best direct (strict ones where any) / each version: >= 1 is at least as fast.
console.log("\ngroup | best direct | before | after");
for (const group of new Set(entries.map((e) => e.group))) {
  const rows = entries.filter((e) => e.group === group);
  const best = judgedPeers(rows).reduce((a, b) => (b.nsPerOp < a.nsPerOp ? b : a));
  const ratio = (version: string) =>
    rows.filter((e) => e.contender.startsWith(`ours.${version}.`))
      .map((e) => `${e.name.slice(version.length + 1)} ${(best.nsPerOp / e.nsPerOp).toFixed(2)}x`);
  console.log(`${group} | ${best.name} | ${ratio("before")} | ${ratio("after")}`);
}
writeResults(bench, entries, { beforeRoot }, "varied");
