/**
 * The messaging section (bench/messaging.bench.ts): ours against naive per client and scenario.
 * @module
 */
import { RUNTIME_LABELS, type RuntimeId } from "../../dev/schema.ts";
import {
  MESSAGING_TARGETS as T,
  type MessagingResults,
  type MessagingRow as Row,
} from "../../dev/schema_messaging.ts";
import { check, judge, type SectionOutput, targetTable } from "./compare.ts";
import { columns, distinct, thousands as n } from "./format.ts";
import { type ReportContext, runsOf } from "./results.ts";

const x = (v: number): string => `${v.toFixed(2)}×`;
const na = (v: number | null, show: (v: number) => string) => (v === null ? "n/a" : show(v));

/** Where pooled bytes cannot help: the client's own per-command allocations dominate. */
const CLIENT_NOTES = [
  "**ioredis** copies every argument (~3 KB per command), **node-redis** encodes each command " +
  "at write time: JSON goes to them as strings",
  "**nats**: a protocol string, rest arrays and a 32 KiB pack buffer per flush (~1.2 KB/msg on V8)",
  "**jetstream**: a publish is a request with headers, inbox, timer and ack parse (~10 KB/msg on " +
  "Node, ~14.5 KB on Deno), a consumed message a `JsMsg` (~6 KB/msg); the pooled payload saves " +
  '~4% of a publish ("jetstream cluster": 3 nodes, streams of 3 replicas)',
  "**bun**: RedisClient copies arguments at once, but each XADD's promise, encoding and reply " +
  "parse dominate",
];

/** Ours with its naive partner (and ours forced to pooled bytes) for a client and scenario. */
type Pair = { runtime: RuntimeId; key: string; ours: Row; naive: Row; forced?: Row };

/** `row`'s bytes per message over naive's, where both were measured. */
const alloc = (row: Row | undefined, naive: Row): number | null =>
  row?.bytesPerMsg != null && naive.bytesPerMsg ? row.bytesPerMsg / naive.bytesPerMsg : null;

const seed = (p: Pair): boolean =>
  p.ours.scenario === "batch publish" && T.seedClients.includes(p.ours.client);

/** Issue 10's bounds on ours / naive: [what, at least (else at most), bound, seed only]. */
const BOUNDS = [
  ["msgs/s vs naive", true, T.minSpeedRatio, false],
  ["bytes/msg vs naive", false, T.maxAllocRatio, false],
  ["seed throughput", true, T.seedSpeedRatio, true],
  ["seed allocation", false, T.seedAllocRatio, true],
] as const;

const figure = (p: Pair, atLeast: boolean) =>
  atLeast ? p.ours.speedVsNaive : alloc(p.ours, p.naive);

function intro({ batchSize, messageBytes, rounds }: MessagingResults): string {
  const [more, less] = [(T.seedSpeedRatio - 1) * 100, (1 - T.seedAllocRatio) * 100].map(Math.round);
  return "Real `redis-server` and `nats-server` on loopback. Batch publish: " +
    `${n(batchSize)} × ~${messageBytes} B JSON messages (one XADD pipeline, or publishes + a ` +
    `NATS flush); outbox fetch: one MGET of ${n(batchSize)} keys. Medians of ${rounds} ` +
    "interleaved rounds; speed: median of per-round ratios. **naive**: `JSON.stringify` strings, " +
    "fresh arrays; **ours**: @catga/memory/messaging. B/msg: V8 heap + external per message, " +
    "GC-corrected (n/a on Bun); GC: V8 collections per 1,000 messages. The seed's targets: " +
    `+${more}% throughput, −${less}% allocation, batch publish on ${T.seedClients.join(", ")}.`;
}

export function renderMessaging({ files }: ReportContext): SectionOutput {
  const runs = runsOf<MessagingResults>(files, "messaging");
  const all: Pair[] = [...runs].flatMap(([runtime, { rows }]) =>
    rows.filter((r) => r.contender === "ours").flatMap((ours) => {
      const key = `${ours.client} ${ours.scenario}`;
      const [naive, forced] = ["naive", "pooled-bytes"].map((contender) =>
        rows.find((r) => `${r.client} ${r.scenario}` === key && r.contender === contender)
      );
      return naive ? [{ runtime, key, ours, naive, forced }] : [];
    })
  );
  // Issue 10's targets per client × scenario: speed and bytes, and the seed's where it applies.
  const checks = distinct(all, (p) => p.key).flatMap((first) => {
    const pairs = new Map(all.filter((p) => p.key === first.key).map((p) => [p.runtime, p]));
    return BOUNDS.filter((b) => !b[3] || seed(first)).map(([what, atLeast, bound]) => {
      const ok = (v: number) => (atLeast ? v >= bound : v <= bound);
      const target = `${atLeast ? "≥" : "≤"} ${bound.toFixed(1)}×`;
      return check(`${first.key}: ${what}`, target, pairs, (p) => judge(figure(p, atLeast), ok, x));
    });
  });
  // For these clients ours' batch publish differs from naive only by rented arrays: noise.
  const same = all.filter((p) =>
    p.ours.scenario === "batch publish" && p.ours.route.startsWith("JSON.stringify")
  ).map((p) => p.ours.speedVsNaive);
  const first = [...runs.values()][0];
  const lines = !first ? [] : [
    intro(first),
    "",
    ...targetTable(checks),
    ...columns(all, {
      runtime: (p) => RUNTIME_LABELS[p.runtime],
      client: (p) => p.ours.client,
      scenario: (p) => p.ours.scenario,
      "ours' route": (p) => p.ours.route,
      "naive msgs/s": (p) => n(p.naive.msgsPerSec),
      "ours msgs/s": (p) => n(p.ours.msgsPerSec),
      speed: (p) => x(p.ours.speedVsNaive),
      "naive B/msg": (p) => na(p.naive.bytesPerMsg, n),
      "ours B/msg": (p) => na(p.ours.bytesPerMsg, n),
      alloc: (p) => na(alloc(p.ours, p.naive), x),
      "GC/1k naive → ours": (p) => `${p.naive.gcPer1000 ?? "n/a"} → ${p.ours.gcPer1000 ?? "n/a"}`,
      dropped: (p) => String(p.ours.dropped ?? "–"),
    }),
    same.length === 0 ? "" : `Noise: ioredis and node-redis batch publish differ from naive only ` +
      `by rented arrays, so their ratios (${x(Math.min(...same))} to ${x(Math.max(...same))}) ` +
      "show how far two equal routes drift apart here: a ratio inside that band is a tie.",
    "",
    "Pooled bytes forced on the clients whose JSON route is strings (batch publish; vs naive):",
    "",
    ...columns(all.flatMap((p) => (p.forced ? [{ ...p, f: p.forced }] : [])), {
      runtime: (p) => RUNTIME_LABELS[p.runtime],
      client: (p) => p.f.client,
      "msgs/s": (p) => `${n(p.f.msgsPerSec)} (${x(p.f.speedVsNaive)})`,
      "B/msg": (p) => na(alloc(p.f, p.naive), (a) => `${n(p.f.bytesPerMsg!)} (${x(a)})`),
      dropped: (p) => String(p.f.dropped ?? "–"),
    }),
    `Pool sizing: ${n(first.batchSize)} payloads rented one by one from a default \`MemoryPool\` ` +
    `until the batch settles dropped ${n(first.dropDemo.perMessageRentDropped)} of ` +
    `${n(first.batchSize)} returns (the small tier keeps 64 per class); one \`PayloadBatch\` ` +
    `dropped ${first.dropDemo.payloadBatchDropped}. \`dropped\`: the transport's own pool after ` +
    "the whole run. Where a client's own allocations leave nothing to win:",
    "",
    ...CLIENT_NOTES.map((note) => `- ${note}.`),
    "",
  ];
  const leadCells = all.map(({ runtime, key, ours }) => ({
    operation: `messaging: ${key}`,
    size: "",
    runtime,
    ratio: ours.speedVsNaive,
  }));
  return { lines, checks, leadCells };
}
