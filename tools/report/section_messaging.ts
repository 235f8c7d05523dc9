/**
 * The messaging section, from bench/results/messaging.<runtime>.json (bench/messaging.bench.ts;
 * dev/schema_messaging.ts): per runtime × client × scenario, the naive route against ours, with
 * issue 10's targets.
 *
 * @module
 */
import { RUNTIME_LABELS, type RuntimeId } from "../../dev/schema.ts";
import {
  MESSAGING_TARGETS as T,
  type MessagingResults,
  type MessagingRow,
} from "../../dev/schema_messaging.ts";
import { check, judge } from "./compare.ts";
import { columns, distinct, thousands } from "./format.ts";
import { type Runs, type Section, section } from "./render.ts";

const x = (n: number): string => `${n.toFixed(2)}×`;
const verdict = (ok: boolean | null): string => (ok === null ? "n/a" : ok ? "met" : "**missed**");

/** Where pooled bytes cannot help: the client's own per-command allocations dominate. */
const CLIENT_NOTES: Record<string, string> = {
  ioredis: "copies every argument and allocates ~3 KB per command itself, so JSON goes as strings",
  "node-redis": "encodes every command itself at write time, so JSON goes as strings",
  nats:
    "allocates a protocol string, rest arrays and a 32 KiB pack buffer per flush (~1.2 KB/msg on V8)",
  jetstream: "each publish is a request with headers, inbox, timer and ack parse (~10 KB/msg on " +
    "Node, ~14.5 KB on Deno), each consumed message a `JsMsg` (~6 KB/msg): the pooled payload " +
    'saves ~4% of a publish ("jetstream cluster": 3 nodes, streams of 3 replicas)',
  bun: "RedisClient copies arguments synchronously (one reused argument array, one pooled batch " +
    "buffer), but each XADD's promise, encoding and reply parse dominate",
};

/** One ours row with its naive partner (and the forced pooled-bytes one) on a runtime. */
interface Pair {
  readonly runtime: RuntimeId;
  readonly ours: MessagingRow;
  readonly naive: MessagingRow;
  readonly forced?: MessagingRow;
}

function pairs(runs: Runs<MessagingResults>): Pair[] {
  return [...runs].flatMap(([runtime, { rows }]) => {
    const partner = (row: MessagingRow, contender: MessagingRow["contender"]) =>
      rows.find((r) =>
        r.client === row.client && r.scenario === row.scenario && r.contender === contender
      );
    return rows.filter((r) => r.contender === "ours").flatMap((ours) => {
      const naive = partner(ours, "naive");
      return naive ? [{ runtime, ours, naive, forced: partner(ours, "pooled-bytes") }] : [];
    });
  });
}

/** `row`'s bytes per message over naive's, where both were measured. */
const alloc = (row: MessagingRow | undefined, naive: MessagingRow): number | null =>
  row?.bytesPerMsg != null && naive.bytesPerMsg != null && naive.bytesPerMsg > 0
    ? row.bytesPerMsg / naive.bytesPerMsg
    : null;

const seedApplies = (row: MessagingRow): boolean =>
  row.scenario === "batch publish" && T.seedClients.includes(row.client);

/** Issue 10's targets: per client × scenario, speed and bytes, and the seed's where it applies. */
function checks(runs: Runs<MessagingResults>) {
  const keyOf = (p: Pair) => `${p.ours.client} ${p.ours.scenario}`;
  return distinct(pairs(runs), keyOf).flatMap((first) => {
    const pairOf = (runtime: RuntimeId) =>
      pairs(runs).find((p) => p.runtime === runtime && keyOf(p) === keyOf(first));
    const row = (what: string, min: boolean, bound: number, value: (p: Pair) => number | null) =>
      check(`${keyOf(first)}: ${what}`, `${min ? "≥" : "≤"} ${bound.toFixed(1)}×`, runs, (_, r) => {
        const p = pairOf(r);
        return judge(p && value(p), (v) => (min ? v >= bound : v <= bound), x);
      });
    const [speed, bytes] = [(p: Pair) => p.ours.speedVsNaive, (p: Pair) => alloc(p.ours, p.naive)];
    return [
      row("msgs/s vs naive", true, T.minSpeedRatio, speed),
      row("bytes/msg vs naive", false, T.maxAllocRatio, bytes),
      ...(seedApplies(first.ours)
        ? [
          row("seed throughput", true, T.seedSpeedRatio, speed),
          row("seed allocation", false, T.seedAllocRatio, bytes),
        ]
        : []),
    ];
  });
}

/** The messaging section. */
export const messagingSection: Section = section<MessagingResults>({
  id: "messaging",
  title: "Messaging",
  bench: "messaging",
  pick: (f) => (Array.isArray(f.data.rows) ? f.data as unknown as MessagingResults : undefined),
  intro: (runs: Runs<MessagingResults>) => {
    const m = [...runs][0][1];
    return `Real \`redis-server\` and \`nats-server\` on loopback (bench/messaging.bench.ts). Batch ` +
      `publish: ${
        thousands(m.batchSize)
      } × ~${m.messageBytes} B JSON messages per batch (XADD in ` +
      `one pipeline, or publishes + one NATS flush); outbox fetch: one MGET of ${
        thousands(m.batchSize)
      } ` +
      `keys. Medians of ${m.rounds} interleaved rounds; speed is the median of per-round ratios. ` +
      "**naive**: `JSON.stringify` strings, fresh arrays; **ours**: @catga/memory/messaging's route. " +
      "Bytes/msg: V8 heap + external memory per message, GC-corrected (n/a on Bun); GC: V8 " +
      `collections per 1,000 messages. Targets: ours ≥ ${
        T.minSpeedRatio.toFixed(1)
      }× naive msgs/s and ` +
      `≤ ${T.maxAllocRatio.toFixed(1)}× its bytes/msg; the seed's +${
        Math.round((T.seedSpeedRatio - 1) * 100)
      }% ` +
      `throughput and −${
        Math.round((1 - T.seedAllocRatio) * 100)
      }% allocation for batch publish on ` +
      `${T.seedClients.join(", ")}.`;
  },
  checks,
  showChecks: false,
  tables: (runs: Runs<MessagingResults>) => {
    const all = pairs(runs);
    const na = (n: number | null, show: (n: number) => string) => (n === null ? "n/a" : show(n));
    const meets = (p: Pair, speed: number, bytes: number) => {
      const a = alloc(p.ours, p.naive);
      return `${verdict(p.ours.speedVsNaive >= speed)} / ${
        verdict(a === null ? null : a <= bytes)
      }`;
    };
    // Ours' batch publish differs from naive only by rented arrays for these two: their drift is noise.
    const same = all.filter((p) =>
      p.ours.scenario === "batch publish" && p.ours.route.startsWith("JSON.stringify")
    )
      .map((p) => p.ours.speedVsNaive);
    const first = [...runs][0][1];
    return [
      ...columns(all, {
        runtime: (p) => RUNTIME_LABELS[p.runtime],
        client: (p) => p.ours.client,
        scenario: (p) => p.ours.scenario,
        "ours' route": (p) => p.ours.route,
        "naive msgs/s": (p) => thousands(p.naive.msgsPerSec),
        "ours msgs/s": (p) => thousands(p.ours.msgsPerSec),
        speed: (p) => x(p.ours.speedVsNaive),
        "naive B/msg": (p) => na(p.naive.bytesPerMsg, thousands),
        "ours B/msg": (p) => na(p.ours.bytesPerMsg, thousands),
        alloc: (p) => na(alloc(p.ours, p.naive), x),
        "GC/1k naive → ours": (p) => `${p.naive.gcPer1000 ?? "n/a"} → ${p.ours.gcPer1000 ?? "n/a"}`,
        dropped: (p) => String(p.ours.dropped ?? "–"),
        "≥1.0× / ≤1.0×": (p) => meets(p, T.minSpeedRatio, T.maxAllocRatio),
        "seed +30% / −50%": (
          p,
        ) => (seedApplies(p.ours) ? meets(p, T.seedSpeedRatio, T.seedAllocRatio) : "–"),
      }),
      ...(same.length === 0 ? [] : [
        `Noise: ioredis and node-redis batch publish differ from naive only by rented arrays, so ` +
        `their ratios (${x(Math.min(...same))} to ${
          x(Math.max(...same))
        }) show how far two equal ` +
        "routes drift apart here: a ratio inside that band is a tie.",
        "",
      ]),
      "Pooled bytes forced on the clients whose JSON route is strings (batch publish; ratio vs naive):",
      "",
      ...columns(all.filter((p) => p.forced), {
        runtime: (p) => RUNTIME_LABELS[p.runtime],
        client: (p) => p.forced!.client,
        "msgs/s": (p) => `${thousands(p.forced!.msgsPerSec)} (${x(p.forced!.speedVsNaive)})`,
        "B/msg": (p) =>
          na(alloc(p.forced, p.naive), (a) => `${thousands(p.forced!.bytesPerMsg!)} (${x(a)})`),
        dropped: (p) => String(p.forced!.dropped ?? "–"),
      }),
      `Pool sizing: ${thousands(first.batchSize)} payloads rented one by one from a default ` +
      `\`MemoryPool\` until the batch settles dropped ${
        thousands(first.dropDemo.perMessageRentDropped)
      } ` +
      `of ${thousands(first.batchSize)} returns (the small tier keeps 64 per class); one ` +
      `\`PayloadBatch\` dropped ${first.dropDemo.payloadBatchDropped}. \`dropped\`: the transport's ` +
      "own pool after the whole run. Where a client's own allocations leave nothing to win:",
      "",
      ...Object.entries(CLIENT_NOTES).map(([client, note]) => `- **${client}**: ${note}.`),
      "",
    ];
  },
  lead: (runs: Runs<MessagingResults>) =>
    pairs(runs).map(({ runtime, ours }) => ({
      operation: `messaging: ${ours.client} ${ours.scenario}`,
      size: "",
      runtime,
      ratio: ours.speedVsNaive,
      rival: "naive",
    })),
});
