/**
 * Pool benchmark: rent+return against plain allocation at 256 B, 4 KiB,
 * 64 KiB and 1 MiB, writer-based writes against a fresh array per message,
 * and allocation per op (backing store on Node and Deno, heap on Bun) in
 * steady state. One input per group: its entries are tagged `monomorphic`.
 *
 * Run: node --expose-gc bench/pool.bench.ts | deno run -A --v8-flags=--expose-gc bench/pool.bench.ts | bun bench/pool.bench.ts
 *
 * @module
 */
import { MemoryPool } from "../mod.ts";
import { type Contender, type Group, runtimeInfo, timeGroups, writeResults } from "./_harness.ts";
import { C } from "./_schema.ts";

const pool = new MemoryPool();
const writer = pool.rentWriter();

const rentContenders: Contender<number>[] = [
  {
    contender: C.newUint8Array,
    name: "new Uint8Array(n)",
    side: "peer",
    op: "rent",
    owned: true,
    allocation: true,
    fn: (n) => new Uint8Array(n),
  },
  {
    contender: C.poolRentReturn,
    name: "pool.rent+return(n)",
    side: "ours",
    op: "rent",
    owned: false,
    allocation: true,
    fn: (n) => {
      const bytes = pool.rent(n);
      pool.return(bytes);
      return bytes.length;
    },
  },
];

const writeContenders: Contender<Uint8Array>[] = [
  {
    contender: C.freshCopy,
    name: "fresh Uint8Array + set",
    side: "peer",
    op: "write",
    owned: true,
    allocation: true,
    fn: (payload) => {
      const out = new Uint8Array(payload.length);
      out.set(payload);
      return out;
    },
  },
  {
    contender: C.writerWrite,
    name: "pooled writer write+reset",
    side: "ours",
    op: "write",
    owned: false,
    allocation: true,
    fn: (payload) => {
      writer.write(payload);
      const count = writer.writtenCount;
      writer.reset();
      return count;
    },
  },
];

// deno-lint-ignore no-explicit-any
const groups: Group<any>[] = [];
for (
  const [label, size] of [["256 B", 256], ["4 KiB", 4096], ["64 KiB", 65536], [
    "1 MiB",
    1 << 20,
  ]] as const
) {
  groups.push({
    subject: "rent+return",
    size: label,
    sizeBytes: size,
    input: size,
    contenders: rentContenders,
  });
}
for (const [label, size] of [["200 B", 200], ["4 KiB", 4096], ["64 KiB", 65536]] as const) {
  const payload = new Uint8Array(size).fill(size & 0xff);
  groups.push({
    subject: "write message",
    size: label,
    sizeBytes: size,
    input: payload,
    contenders: writeContenders,
  });
}

console.log(`pool: ${runtimeInfo.name} ${runtimeInfo.version} (${runtimeInfo.id})`);
const entries = await timeGroups("pool", groups, "monomorphic");
writeResults("pool", entries, { poolStats: pool.stats() }, null);
writer.dispose();
