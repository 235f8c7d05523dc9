/**
 * The result file of bench/messaging.bench.ts (bench/results/messaging.<runtime id>.json) and
 * issue 10's targets.
 *
 * @module
 */
import type { RuntimeId } from "./schema.ts";

/** One contender in one scenario ("consume" is pull, decode, ack), for one client. */
export interface MessagingRow {
  /** "bun", "ioredis", "node-redis", "nats", "jetstream", or one of them + " cluster". */
  readonly client: string;
  readonly scenario: "batch publish" | "outbox fetch" | "consume" | "outbox relay";
  readonly contender: "naive" | "ours" | "pooled-bytes"; // pooled-bytes: ours forced to pooled
  readonly route: string; // what the contender does, in a few words
  readonly msgsPerSec: number; // median over the interleaved rounds
  readonly speedVsNaive: number; // median over rounds of msgs/s ÷ naive's in the same round
  /** Median bytes allocated per message (JS heap + external); null where not measurable (Bun). */
  readonly bytesPerMsg: number | null;
  readonly gcPer1000: number | null; // mean V8 GC events per 1,000 messages; null off V8
  readonly dropped: number | null; // the contender's pool `stats().dropped`; null without a pool
}

/** bench/results/messaging.<runtime id>.json */
export interface MessagingResults {
  readonly runtime: { id: RuntimeId; name: string; version: string; cpu: string };
  readonly date: string;
  readonly batchSize: number;
  readonly messageBytes: number;
  readonly rounds: number;
  readonly rows: MessagingRow[];
  /** 1,000 payloads rented one by one until the batch settles vs one `PayloadBatch`: drops. */
  readonly dropDemo: { perMessageRentDropped: number; payloadBatchDropped: number };
}

/** Issue 10, ours / naive on every client × runtime; the seed's bounds where pooling can help. */
export const MESSAGING_TARGETS = {
  minSpeedRatio: 1.0,
  maxAllocRatio: 1.0,
  seedSpeedRatio: 1.3,
  seedAllocRatio: 0.5,
  seedClients: ["bun", "nats"] as readonly string[],
} as const;
