/**
 * The result file of bench/messaging.bench.ts (bench/results/messaging.<runtime id>.json) and
 * issue 10's targets.
 *
 * @module
 */

/** The runtime columns of the report. */
export type MessagingRuntimeId = "node24" | "node26" | "deno" | "bun";

/** One contender in one scenario, for one client. */
export interface MessagingRow {
  /** "bun", "ioredis", "node-redis", "nats", "jetstream" or "jetstream cluster" (… cluster). */
  readonly client: string;
  /** "consume" is pull, decode, ack. */
  readonly scenario: "batch publish" | "outbox fetch" | "consume" | "outbox relay";
  /** "pooled-bytes" is ours forced to pooled bytes. */
  readonly contender: "naive" | "ours" | "pooled-bytes";
  readonly route: string; // what the contender does, in a few words
  readonly msgsPerSec: number; // median messages per second over the interleaved rounds
  /** Median over rounds of (this contender's msgs/s ÷ naive's in the same round). */
  readonly speedVsNaive: number;
  /** Median bytes allocated per message (JS heap + external); null where not measurable (Bun). */
  readonly bytesPerMsg: number | null;
  /** Mean V8 GC events per 1,000 messages in the timed batches; null where not measurable. */
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
  /** 1,000 payloads rented one by one until the batch settles vs one `PayloadBatch`: drops. */
  readonly dropDemo: { perMessageRentDropped: number; payloadBatchDropped: number };
}

/** The targets the report checks (issue 10): ours / naive, every client × runtime. */
export const MESSAGING_TARGETS = {
  minSpeedRatio: 1.0,
  maxAllocRatio: 1.0,
  /** Where the library can make a difference (Bun RedisClient, NATS): batch publish. */
  seedSpeedRatio: 1.3,
  seedAllocRatio: 0.5,
  seedClients: ["bun", "nats"] as readonly string[],
} as const;
