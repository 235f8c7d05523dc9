/**
 * The report's "Messaging" section, from bench/results/messaging.<runtime>.json
 * (written by bench/messaging.bench.ts; format: dev/schema_messaging.ts): per
 * runtime × client × scenario, the naive baseline against the examples' route,
 * with issue 10's targets marked met or missed.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RUNTIME_IDS, RUNTIME_LABELS, type RuntimeId } from "../../dev/schema.ts";
import {
  MESSAGING_TARGETS as T,
  type MessagingResults,
  type MessagingRow,
} from "../../dev/schema_messaging.ts";
import { table } from "./format.ts";
import type { LeadCell } from "./lead.ts";
import { type Section, type SectionOutput, type TargetCheck, valueCheck } from "./section.ts";

type ByRuntime = Map<RuntimeId, MessagingResults>;

/** Reads every bench/results/messaging.<runtime>.json that exists. */
function readResults(resultsDir: string): ByRuntime {
  const found: ByRuntime = new Map();
  for (const id of RUNTIME_IDS) {
    const path = join(resultsDir, `messaging.${id}.json`);
    if (existsSync(path)) found.set(id, JSON.parse(readFileSync(path, "utf8")));
  }
  return found;
}

const thousands = (n: number): string => Math.round(n).toLocaleString("en-US");
const ratio = (n: number): string => `${n.toFixed(2)}×`;
const orNa = (n: number | null, show: (n: number) => string): string =>
  n === null ? "n/a" : show(n);
const verdict = (ok: boolean | null): string => (ok === null ? "n/a" : ok ? "met" : "**missed**");

/** Where pooled bytes cannot help: the client's own per-command allocations dominate. */
const CLIENT_NOTES: Record<string, string> = {
  ioredis:
    "copies every argument (`Buffer.allocUnsafe` + copy per command, `Buffer.concat` per pipeline) and allocates ~3 KB per command itself: pooled bytes add a wrap and a copy, so the module sends JSON as strings (the `pooled-bytes` row shows the cost of the alternative).",
  "node-redis":
    "encodes every command itself at write time: as for ioredis, JSON goes as strings; the `pooled-bytes` row shows the alternative.",
  nats:
    "nats.js allocates a protocol string, its encoding, rest-argument arrays and a 32 KiB pack buffer per flush for every publish (~1.2 KB/msg on V8): the payload is a small part of what it allocates.",
  jetstream:
    'every `js.publish` is a request with its own headers object, inbox token, timer and ack parse (~10 KB/msg on Node, ~14.5 KB on Deno), and every consumed message is a `JsMsg` with its ack subject (~6 KB/msg): the pooled payload saves ~4% of a publish, and consuming is at parity (decode from bytes, one ack after the handler, as the naive loop does). "jetstream cluster" is the same on 3 nodes with streams of 3 replicas.',
  bun:
    "Bun's RedisClient copies arguments synchronously, so the module uses one reused argument array and one pooled batch buffer; but each XADD still costs a promise, a command encoding and a reply parse inside the client, which dominates the batch: the pooled payload only saves the string-to-bytes step.",
};

/** A contender's row beside `row` (same client and scenario). */
function partner(rows: MessagingRow[], row: MessagingRow, contender: MessagingRow["contender"]) {
  return rows.find((r) =>
    r.client === row.client && r.scenario === row.scenario && r.contender === contender
  );
}

/** Ours' bytes per message over naive's, where both were measured. */
function allocRatio(ours?: MessagingRow, naive?: MessagingRow): number | null {
  return ours?.bytesPerMsg != null && naive?.bytesPerMsg != null && naive.bytesPerMsg > 0
    ? ours.bytesPerMsg / naive.bytesPerMsg
    : null;
}

const seedApplies = (row: MessagingRow): boolean =>
  row.scenario === "batch publish" && T.seedClients.includes(row.client);

function render(results: ByRuntime): string[] {
  const first = [...results.values()][0];
  if (first === undefined) {
    return ["No messaging results yet: run `npm run bench -- --filter=messaging`.", ""];
  }
  const rows: string[][] = [];
  const forcedRows: string[][] = [];
  const sameRoute: number[] = [];
  for (const [id, { rows: all }] of results) {
    for (const ours of all.filter((r) => r.contender === "ours")) {
      const naive = partner(all, ours, "naive");
      if (naive === undefined) continue;
      const speed = ours.speedVsNaive;
      const alloc = allocRatio(ours, naive);
      const meets = (minSpeed: number, maxAlloc: number) =>
        `${verdict(speed >= minSpeed)} / ${verdict(alloc === null ? null : alloc <= maxAlloc)}`;
      rows.push([
        RUNTIME_LABELS[id],
        ours.client,
        ours.scenario,
        ours.route,
        thousands(naive.msgsPerSec),
        thousands(ours.msgsPerSec),
        ratio(speed),
        orNa(naive.bytesPerMsg, thousands),
        orNa(ours.bytesPerMsg, thousands),
        orNa(alloc, ratio),
        naive.gcPer1000 === null || ours.gcPer1000 === null
          ? "n/a"
          : `${naive.gcPer1000} → ${ours.gcPer1000}`,
        String(ours.dropped ?? "–"),
        meets(T.minSpeedRatio, T.maxAllocRatio),
        seedApplies(ours) ? meets(T.seedSpeedRatio, T.seedAllocRatio) : "–",
      ]);
      if (ours.scenario === "batch publish" && ours.route.startsWith("JSON.stringify")) {
        sameRoute.push(speed);
      }
      const forced = partner(all, ours, "pooled-bytes");
      if (forced !== undefined) {
        const forcedAlloc = allocRatio(forced, naive);
        forcedRows.push([
          RUNTIME_LABELS[id],
          forced.client,
          `${thousands(forced.msgsPerSec)} (${ratio(forced.speedVsNaive)})`,
          forcedAlloc === null
            ? "n/a"
            : `${thousands(forced.bytesPerMsg!)} (${ratio(forcedAlloc)})`,
          String(forced.dropped ?? "–"),
        ]);
      }
    }
  }
  const lines = [
    `Real \`redis-server\` and \`nats-server\` on loopback (bench/messaging.bench.ts). Batch publish: ${
      thousands(first.batchSize)
    } × ~${first.messageBytes} B JSON messages per batch (XADD in one pipeline, or publishes + one NATS flush); outbox fetch: one MGET of ${
      thousands(first.batchSize)
    } keys. Medians of ${first.rounds} interleaved rounds; the speed ratio is the median of per-round ratios (both sides ran back to back), which cancels most of the load from other processes; the msgs/s columns swing much more between runs on a busy machine. **naive** = what a user writes without the library (\`JSON.stringify\` strings, fresh arrays); **ours** = @catga/memory/messaging's route for that client. Bytes/msg: V8 heap + external memory per message, GC-corrected (v8.GCProfiler); Bun's JSC exposes no per-operation allocation figure, so Bun shows n/a. GC = V8 collections per 1,000 messages.`,
    "",
    `Targets: ours ≥ ${T.minSpeedRatio.toFixed(1)}× naive msgs/s and ≤ ${
      T.maxAllocRatio.toFixed(1)
    }× naive bytes/msg everywhere; the seed's +${
      Math.round((T.seedSpeedRatio - 1) * 100)
    }% throughput and −${
      Math.round((1 - T.seedAllocRatio) * 100)
    }% allocation for batch publish where the client lets the library make a difference (${
      T.seedClients.join(", ")
    }).`,
    "",
    ...table(
      // deno-fmt-ignore
      ["runtime", "client", "scenario", "ours' route", "naive msgs/s", "ours msgs/s", "speed", "naive B/msg", "ours B/msg", "alloc", "GC/1k naive → ours", "dropped", "≥1.0× / ≤1.0×", "seed +30% / −50%"],
      rows,
    ),
  ];
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
  if (forcedRows.length > 0) {
    lines.push(
      "",
      "Pooled bytes forced on the clients whose JSON route is strings (batch publish; ratio vs naive):",
      "",
      ...table(["runtime", "client", "msgs/s", "B/msg", "dropped"], forcedRows),
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
    ...Object.entries(CLIENT_NOTES).map(([client, note]) => `- **${client}**: ${note}`),
    "",
  );
  return lines;
}

/** Issue 10's targets as summary checks: one row per client × scenario × target. */
function checks(results: ByRuntime): TargetCheck[] {
  const keys = new Map<string, MessagingRow>();
  for (const { rows } of results.values()) {
    for (const row of rows) {
      if (row.contender === "ours") keys.set(`${row.client} ${row.scenario}`, row);
    }
  }
  const out: TargetCheck[] = [];
  for (const [label, key] of keys) {
    const pairs = RUNTIME_IDS.map((id) => {
      const rows = results.get(id)?.rows ?? [];
      return {
        ours: partner(rows, key, "ours"),
        naive: partner(rows, key, "naive"),
      };
    });
    const speed = pairs.map(({ ours }) => ours?.speedVsNaive ?? null);
    const alloc = pairs.map(({ ours, naive }) => allocRatio(ours, naive));
    const add = (what: string, op: "≥" | "≤", bound: number, values: (number | null)[]) =>
      out.push(
        valueCheck(`${label}: ${what}`, `${op} ${bound.toFixed(1)}×`, values, (v) =>
          op === "≥" ? v >= bound : v <= bound, ratio),
      );
    add("msgs/s vs naive", "≥", T.minSpeedRatio, speed);
    add("bytes/msg vs naive", "≤", T.maxAllocRatio, alloc);
    if (seedApplies(key)) {
      add("seed throughput", "≥", T.seedSpeedRatio, speed);
      add("seed allocation", "≤", T.seedAllocRatio, alloc);
    }
  }
  return out;
}

/** The "Messaging" section of the report (tools/report/index.ts lists it). */
export const messagingSection: Section = {
  id: "messaging",
  title: "Messaging",
  render(context): SectionOutput {
    const results = readResults(context.resultsDir);
    const leadCells: LeadCell[] = [...results].flatMap(([runtime, { rows }]) =>
      rows.filter((row) => row.contender === "ours").map((row) => ({
        operation: `messaging: ${row.client} ${row.scenario}`,
        size: "",
        runtime,
        ratio: row.speedVsNaive,
        rival: "naive",
      }))
    );
    return { lines: render(results), checks: checks(results), charts: {}, leadCells };
  },
};
