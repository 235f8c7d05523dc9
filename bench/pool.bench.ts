/**
 * Pool benchmark: rent+return against plain allocation at 256 B, 4 KiB,
 * 64 KiB and 1 MiB, writer-based writes against a fresh array per message,
 * and allocation per op (backing store on Node and Deno, heap on Bun) in
 * steady state. One input per group: its entries are tagged `monomorphic`.
 *
 * @module
 */
import { MemoryPool } from "../mod.ts";
import {
  type Contender,
  contender,
  type Group,
  sizedGroups,
  timeGroups,
  writeResults,
} from "./_harness.ts";
import { C } from "./_schema.ts";

const pool = new MemoryPool();
const writer = pool.rentWriter();

const kept = { allocation: true };
const fresh = (n: number) => new Uint8Array(n);
const rentContenders: Contender<number>[] = [
  contender("peer", "rent", true, C.newUint8Array, "new Uint8Array(n)", fresh, kept),
  contender("ours", "rent", false, C.poolRentReturn, "pool.rent+return(n)", (n) => {
    const bytes = pool.rent(n);
    pool.return(bytes);
    return bytes.length;
  }, kept),
];

const writeContenders: Contender<Uint8Array>[] = [
  contender("peer", "write", true, C.freshCopy, "fresh Uint8Array + set", (payload) => {
    const out = new Uint8Array(payload.length);
    out.set(payload);
    return out;
  }, kept),
  contender("ours", "write", false, C.writerWrite, "pooled writer write+reset", (payload) => {
    writer.write(payload);
    const count = writer.writtenCount;
    writer.reset();
    return count;
  }, kept),
];

// deno-lint-ignore no-explicit-any
const groups: Group<any>[] = [
  ...sizedGroups("rent+return", [256, 4096, 65536, 1 << 20], rentContenders, (n) => n),
  ...sizedGroups("write message", [200, 4096, 65536], writeContenders, (n) => fresh(n).fill(n)),
];

const entries = await timeGroups("pool", groups, "monomorphic");
writeResults("pool", entries, { poolStats: pool.stats() }, null);
writer.dispose();
