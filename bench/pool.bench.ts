/**
 * Pool benchmark: rent+return against plain allocation at 256 B, 4 KiB,
 * 64 KiB and 1 MiB, writer-based writes against a fresh array per message,
 * and backing-store bytes allocated per op in steady state.
 *
 * Run: node --expose-gc bench/pool.bench.ts | deno run -A --v8-flags=--expose-gc bench/pool.bench.ts | bun bench/pool.bench.ts
 *
 * @module
 */
import { bench, do_not_optimize, group, summary } from "mitata";
import { MemoryPool } from "../mod.ts";
import { measureAllocation, runAndRecord, runtimeInfo } from "./_harness.ts";

const pool = new MemoryPool();
const sizes: [string, number][] = [["256 B", 256], ["4 KiB", 4096], ["64 KiB", 65536], [
  "1 MiB",
  1 << 20,
]];

for (const [label, size] of sizes) {
  group(`rent+return ${label}`, () => {
    summary(() => {
      bench(`new Uint8Array(${size})`, () => do_not_optimize(new Uint8Array(size))).baseline(true);
      bench(`pool.rent+return(${size})`, () => {
        const bytes = pool.rent(size);
        do_not_optimize(bytes);
        pool.return(bytes);
      });
    });
  });
}

const payloads: [string, Uint8Array][] = [
  ["200 B", new Uint8Array(200).fill(1)],
  ["4 KiB", new Uint8Array(4096).fill(2)],
  ["64 KiB", new Uint8Array(65536).fill(3)],
];
const writer = pool.rentWriter();
for (const [label, payload] of payloads) {
  group(`write ${label} message`, () => {
    summary(() => {
      bench("fresh Uint8Array + set", () => {
        const out = new Uint8Array(payload.length);
        out.set(payload);
        return do_not_optimize(out);
      }).baseline(true);
      bench("pooled writer write+reset", () => {
        writer.write(payload);
        do_not_optimize(writer.written);
        writer.reset();
      });
    });
  });
}

// Steady state: the pool must allocate no new backing store per op.
const allocation = [];
for (const [label, size] of sizes.slice(0, 3)) {
  allocation.push(
    await measureAllocation(`new Uint8Array ${label}`, 2000, () => new Uint8Array(size)),
  );
  allocation.push(
    await measureAllocation(`pool.rent+return ${label}`, 2000, () => {
      const bytes = pool.rent(size);
      pool.return(bytes);
      return bytes.length;
    }),
  );
}
for (const [label, payload] of payloads) {
  allocation.push(
    await measureAllocation(`writer write+reset ${label}`, 2000, () => {
      writer.write(payload);
      const count = writer.writtenCount;
      writer.reset();
      return count;
    }),
  );
}

const file = await runAndRecord("pool", { allocation, poolStats: pool.stats() });

console.log(
  `\nBacking-store bytes allocated per op (${runtimeInfo.name} ${runtimeInfo.version}, ${
    allocation[0].metric
  }):`,
);
for (const a of allocation) {
  console.log(`  ${a.label.padEnd(32)} ${a.bytesPerOp.toFixed(1).padStart(10)} B/op`);
}
console.log("\nSpeed-up of pooled over plain allocation (mean time ratio):");
const byName = new Map(file.benchmarks.map((b) => [b.name, b.avgNs]));
for (const [label, size] of sizes) {
  const plain = byName.get(`new Uint8Array(${size})`)!;
  const pooled = byName.get(`pool.rent+return(${size})`)!;
  console.log(
    `  rent+return ${label.padEnd(7)} ${(plain / pooled).toFixed(1).padStart(6)}x  (${
      plain.toFixed(1)
    } ns vs ${pooled.toFixed(1)} ns)`,
  );
}
