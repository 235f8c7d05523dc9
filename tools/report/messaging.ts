/**
 * The report's "Messaging" section, from bench/results/messaging.<runtime>.json
 * (written by bench/messaging.bench.ts): per runtime × client × scenario, the
 * naive baseline against the examples' route, with issue 10's targets marked
 * met or missed. Also the one definition of those result files' types and
 * of the targets.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Section, TargetCheck } from "./section.ts";
// The result types live here, not in the bench file, so that reading results never runs the
// bench (it starts servers at load). The bench imports them from here.

/** The runtime columns of the report. */
export type MessagingRuntimeId = "node24" | "node26" | "deno" | "bun";

/** One contender in one scenario, for one client. */
export interface MessagingRow {
  /** "bun", "ioredis", "node-redis", "nats", "jetstream" or "jetstream cluster". */
  readonly client: string;
  /** "batch publish", "outbox fetch" or "consume" (JetStream: pull, decode, ack). */
  readonly scenario: "batch publish" | "outbox fetch" | "consume" | "outbox relay";
  /** "naive", "ours" or "pooled-bytes" (ours forced to pooled bytes). */
  readonly contender: "naive" | "ours" | "pooled-bytes";
  /** What the contender does, in a few words. */
  readonly route: string;
  /** Median messages per second over the interleaved rounds. */
  readonly msgsPerSec: number;
  /** Median over rounds of (this contender's msgs/s ÷ naive's in the same round). */
  readonly speedVsNaive: number;
  /** Median bytes allocated per message (JS heap + external); null where not measurable (Bun). */
  readonly bytesPerMsg: number | null;
  /** Mean V8 GC events per 1,000 messages in the timed batches; null where not measurable (Bun). */
  readonly gcPer1000: number | null;
  /** The contender's pool `stats().dropped` after the run; null without a pool. */
  readonly dropped: number | null;
}

/** bench/results/messaging.<runtime id>.json */
export interface MessagingResults {
  readonly runtime: { id: MessagingRuntimeId; name: string; version: string; cpu: string };
  readonly date: string;
  readonly batchSize: number;
  readonly messageBytes: number;
  readonly rounds: number;
  readonly rows: MessagingRow[];
  /**
   * Holding 1,000 payloads rented one by one from a default `MemoryPool` until
   * the batch settles, versus one `PayloadBatch`: the returns dropped.
   */
  readonly dropDemo: { perMessageRentDropped: number; payloadBatchDropped: number };
}

/** The targets the report checks (issue 10). */
export const MESSAGING_TARGETS = {
  /** ours/naive msgs/s, every client × runtime. */
  minSpeedRatio: 1.0,
  /** ours/naive bytes/msg, every client × runtime. */
  maxAllocRatio: 1.0,
  /** Where the library can make a difference (Bun RedisClient, NATS): batch publish. */
  seedSpeedRatio: 1.3,
  seedAllocRatio: 0.5,
  seedClients: ["bun", "nats"] as readonly string[],
} as const;

/** The runtimes in column order, with their headings. */
const RUNTIMES: readonly [MessagingRuntimeId, string][] = [
  ["node24", "Node 24"],
  ["node26", "Node 26"],
  ["deno", "Deno"],
  ["bun", "Bun"],
];

/** Reads every bench/results/messaging.<runtime>.json that exists. */
export function readMessagingResults(
  resultsDir: string,
): Partial<Record<MessagingRuntimeId, MessagingResults>> {
  const found: Partial<Record<MessagingRuntimeId, MessagingResults>> = {};
  for (const [id] of RUNTIMES) {
    const path = join(resultsDir, `messaging.${id}.json`);
    if (existsSync(path)) found[id] = JSON.parse(readFileSync(path, "utf8")) as MessagingResults;
  }
  return found;
}

const thousands = (n: number): string => Math.round(n).toLocaleString("en-US");
const ratio = (n: number): string => `${n.toFixed(2)}×`;

function verdict(ok: boolean | null): string {
  return ok === null ? "n/a" : ok ? "met" : "**missed**";
}

/** Where pooled bytes cannot help: the client's own per-command allocations dominate. */
const CLIENT_NOTES: Record<string, string> = {
  ioredis:
    "copies every argument (`Buffer.allocUnsafe` + copy per command, `Buffer.concat` per pipeline) and allocates ~3 KB per command itself: pooled bytes add a wrap and a copy, so the examples send JSON as strings (the `pooled-bytes` row shows the cost of the alternative).",
  "node-redis":
    "encodes every command itself at write time: as for ioredis, JSON goes as strings; the `pooled-bytes` row shows the alternative.",
  nats:
    "nats.js allocates a protocol string, its encoding, rest-argument arrays and a 32 KiB pack buffer per flush for every publish (~1.2 KB/msg on V8): the payload is a small part of what it allocates.",
  jetstream:
    'every `js.publish` is a request with its own headers object, inbox token, timer and ack parse (~10 KB/msg on Node, ~14.5 KB on Deno), and every consumed message is a `JsMsg` with its ack subject (~6 KB/msg): the pooled payload saves ~4% of a publish, and consuming is at parity (decode from bytes, one ack after the handler, as the naive loop does). "jetstream cluster" is the same on 3 nodes with streams of 3 replicas.',
  bun:
    "Bun's RedisClient copies arguments synchronously, so the examples use one reused argument array and one pooled batch buffer; but each XADD still costs a promise, a command encoding and a reply parse inside the client, which dominates the batch: the pooled payload only saves the string-to-bytes step.",
};

/**
 * Renders the "Messaging" section as markdown.
 *
 * @param resultsByRuntime Results per runtime id (missing runtimes are skipped).
 * @returns The section, starting with its `## Messaging` heading.
 */
export function renderMessagingSection(
  resultsByRuntime: Partial<Record<MessagingRuntimeId, MessagingResults>>,
): string {
  const lines: string[] = ["## Messaging", ""];
  const present = RUNTIMES.filter(([id]) => resultsByRuntime[id] !== undefined);
  if (present.length === 0) {
    return lines.concat([
      "No messaging results yet: run `npm run bench -- --filter=messaging`.",
      "",
    ])
      .join("\n");
  }
  const first = resultsByRuntime[present[0][0]]!;
  const t = MESSAGING_TARGETS;
  lines.push(
    `Real \`redis-server\` and \`nats-server\` on loopback (bench/messaging.bench.ts). Batch publish: ${
      thousands(first.batchSize)
    } × ~${first.messageBytes} B JSON messages per batch (XADD in one pipeline, or publishes + one NATS flush); outbox fetch: one MGET of ${
      thousands(first.batchSize)
    } keys. Medians of ${first.rounds} interleaved rounds; the speed ratio is the median of per-round ratios (both sides ran back to back), which cancels most of the load from other processes; the msgs/s columns swing much more between runs on a busy machine. **naive** = what a user writes without the library (\`JSON.stringify\` strings, fresh arrays); **ours** = @catga/memory/messaging's route for that client. Bytes/msg: V8 heap + external memory per message, GC-corrected (v8.GCProfiler); Bun's JSC exposes no per-operation allocation figure, so Bun shows n/a. GC = V8 collections per 1,000 messages.`,
    "",
    `Targets: ours ≥ ${t.minSpeedRatio.toFixed(1)}× naive msgs/s and ≤ ${
      t.maxAllocRatio.toFixed(1)
    }× naive bytes/msg everywhere; the seed's +${
      Math.round((t.seedSpeedRatio - 1) * 100)
    }% throughput and −${
      Math.round((1 - t.seedAllocRatio) * 100)
    }% allocation for batch publish where the client lets the library make a difference (${
      t.seedClients.join(", ")
    }).`,
    "",
    "| runtime | client | scenario | ours' route | naive msgs/s | ours msgs/s | speed | naive B/msg | ours B/msg | alloc | GC/1k naive → ours | dropped | ≥1.0× / ≤1.0× | seed +30% / −50% |",
    "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | --- |",
  );
  const extraRows: string[] = [];
  for (const [id, label] of present) {
    const results = resultsByRuntime[id]!;
    const find = (row: MessagingRow, contender: MessagingRow["contender"]) =>
      results.rows.find((r) =>
        r.client === row.client && r.scenario === row.scenario && r.contender === contender
      );
    for (const ours of results.rows.filter((r) => r.contender === "ours")) {
      const naive = find(ours, "naive");
      if (naive === undefined) continue;
      const speed = ours.speedVsNaive;
      const alloc = ours.bytesPerMsg !== null && naive.bytesPerMsg !== null && naive.bytesPerMsg > 0
        ? ours.bytesPerMsg / naive.bytesPerMsg
        : null;
      const base = verdict(speed >= t.minSpeedRatio) + " / " +
        verdict(alloc === null ? null : alloc <= t.maxAllocRatio);
      const seedApplies = ours.scenario === "batch publish" && t.seedClients.includes(ours.client);
      const seed = seedApplies
        ? verdict(speed >= t.seedSpeedRatio) + " / " +
          verdict(alloc === null ? null : alloc <= t.seedAllocRatio)
        : "–";
      const gc = naive.gcPer1000 === null || ours.gcPer1000 === null
        ? "n/a"
        : `${naive.gcPer1000} → ${ours.gcPer1000}`;
      lines.push(
        `| ${label} | ${ours.client} | ${ours.scenario} | ${ours.route} | ${
          thousands(naive.msgsPerSec)
        } | ${thousands(ours.msgsPerSec)} | ${ratio(speed)} | ${
          naive.bytesPerMsg === null ? "n/a" : thousands(naive.bytesPerMsg)
        } | ${ours.bytesPerMsg === null ? "n/a" : thousands(ours.bytesPerMsg)} | ${
          alloc === null ? "n/a" : ratio(alloc)
        } | ${gc} | ${ours.dropped ?? "–"} | ${base} | ${seed} |`,
      );
      const forced = find(ours, "pooled-bytes");
      if (forced !== undefined) {
        extraRows.push(
          `| ${label} | ${forced.client} | ${thousands(forced.msgsPerSec)} (${
            ratio(forced.speedVsNaive)
          }) | ${
            forced.bytesPerMsg === null || naive.bytesPerMsg === null
              ? "n/a"
              : `${thousands(forced.bytesPerMsg)} (${
                ratio(forced.bytesPerMsg / naive.bytesPerMsg)
              })`
          } | ${forced.dropped ?? "–"} |`,
        );
      }
    }
  }
  const sameRoute: number[] = [];
  for (const [id] of present) {
    for (const row of resultsByRuntime[id]!.rows) {
      const stringRoute = row.route.startsWith("JSON.stringify");
      if (row.contender === "ours" && row.scenario === "batch publish" && stringRoute) {
        sameRoute.push(row.speedVsNaive);
      }
    }
  }
  if (sameRoute.length > 0) {
    lines.push(
      "",
      `Noise: for ioredis and node-redis, ours' batch publish differs from naive only by its rented arrays, so their speed ratios (${
        ratio(Math.min(...sameRoute))
      } to ${
        ratio(Math.max(...sameRoute))
      } in this run) show how far two equal routes drift apart on this machine; read any ratio inside that band as a tie.`,
    );
  }
  if (extraRows.length > 0) {
    lines.push(
      "",
      "Pooled bytes forced on the clients whose JSON route is strings (batch publish; ratio vs naive):",
      "",
      "| runtime | client | msgs/s | B/msg | dropped |",
      "| --- | --- | ---: | ---: | ---: |",
      ...extraRows,
    );
  }
  lines.push(
    "",
    `Pool sizing for batches: holding ${
      thousands(first.batchSize)
    } payloads rented one by one from a default \`MemoryPool\` until the batch settles dropped ${
      thousands(first.dropDemo.perMessageRentDropped)
    } of ${
      thousands(first.batchSize)
    } returns (the small tier keeps 64 per class); one \`PayloadBatch\` (one writer for the whole batch) dropped ${first.dropDemo.payloadBatchDropped}. The \`dropped\` column is the transport's own pool after the whole run.`,
    "",
    "Where a client's own allocations leave nothing to win:",
    "",
  );
  for (const [client, note] of Object.entries(CLIENT_NOTES)) lines.push(`- **${client}**: ${note}`);
  lines.push("");
  return lines.join("\n");
}

/** The cell of one target check: "✅ 1.31×", "❌ 0.78×", or "not measured". */
function checkCell(value: number | null, ok: boolean): string {
  return value === null ? "not measured" : `${ok ? "✅" : "❌"} ${ratio(value)}`;
}

/** Issue 10's targets as summary checks: one row per client × scenario × target. */
function messagingChecks(
  resultsByRuntime: Partial<Record<MessagingRuntimeId, MessagingResults>>,
): TargetCheck[] {
  const keys = new Map<string, { client: string; scenario: MessagingRow["scenario"] }>();
  for (const [id] of RUNTIMES) {
    for (const row of resultsByRuntime[id]?.rows ?? []) {
      if (row.contender === "ours") {
        keys.set(`${row.client} ${row.scenario}`, row);
      }
    }
  }
  const checks: TargetCheck[] = [];
  const t = MESSAGING_TARGETS;
  for (const [label, { client, scenario }] of keys) {
    const pairs = RUNTIMES.map(([id]) => {
      const rows = resultsByRuntime[id]?.rows ?? [];
      const ours = rows.find((r) =>
        r.client === client && r.scenario === scenario && r.contender === "ours"
      );
      const naive = rows.find((r) =>
        r.client === client && r.scenario === scenario && r.contender === "naive"
      );
      return { ours, naive };
    });
    const speed = pairs.map(({ ours }) => ours?.speedVsNaive ?? null);
    const alloc = pairs.map(({ ours, naive }) =>
      ours?.bytesPerMsg != null && naive?.bytesPerMsg != null && naive.bytesPerMsg > 0
        ? ours.bytesPerMsg / naive.bytesPerMsg
        : null
    );
    const add = (
      what: string,
      target: string,
      values: (number | null)[],
      ok: (v: number) => boolean,
    ) =>
      checks.push({
        label: `${label}: ${what}`,
        target,
        cells: values.map((v) => checkCell(v, v !== null && ok(v))),
        met: values.filter((v) => v !== null && ok(v)).length,
        missed: values.filter((v) => v !== null && !ok(v)).length,
      });
    add("msgs/s vs naive", `≥ ${t.minSpeedRatio.toFixed(1)}×`, speed, (v) => v >= t.minSpeedRatio);
    add(
      "bytes/msg vs naive",
      `≤ ${t.maxAllocRatio.toFixed(1)}×`,
      alloc,
      (v) => v <= t.maxAllocRatio,
    );
    if (scenario === "batch publish" && t.seedClients.includes(client)) {
      add(
        "seed throughput",
        `≥ ${t.seedSpeedRatio.toFixed(1)}×`,
        speed,
        (v) => v >= t.seedSpeedRatio,
      );
      add(
        "seed allocation",
        `≤ ${t.seedAllocRatio.toFixed(1)}×`,
        alloc,
        (v) => v <= t.seedAllocRatio,
      );
    }
  }
  return checks;
}

/** The "Messaging" section of the report (tools/report/index.ts lists it). */
export const messagingSection: Section = {
  id: "messaging",
  title: "Messaging",
  render(context) {
    const results = readMessagingResults(context.resultsDir);
    // renderMessagingSection starts with its own "## Messaging" heading and a blank line.
    const lines = renderMessagingSection(results).split("\n").slice(2);
    return { lines, checks: messagingChecks(results), misses: [], charts: {} };
  },
};
