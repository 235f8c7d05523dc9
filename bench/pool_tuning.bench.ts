/**
 * Auto-tuned retention: (1) rent+return with `retention: "auto"` against `"fixed"` and plain
 * allocation; (2) a load timeline on a virtual clock: 60 s of bursty mixed-size load, 20 s idle,
 * a renewed burst, `tune()` every `tuningInterval` of virtual time (the pool's timer in real
 * time), recording retained bytes and hit rate per second. Targets (issue 12): retained bytes
 * fall ≥75% within 20 s of idleness; the renewed burst's hit rate is above 95% within 1 s.
 *
 * @module
 */
import { DEFAULT_TUNING_INTERVAL, MemoryPool } from "../pool/mod.ts";
import { type Contender, contender, sizedGroups, timeGroups, writeResults } from "./_harness.ts";

const autoPool = new MemoryPool();
const fixedPool = new MemoryPool({ retention: "fixed" });

const rentReturn = (pool: MemoryPool, id: string, name: string): Contender<number> =>
  contender("ours", "rent", false, id, name, (n) => {
    const bytes = pool.rent(n);
    pool.return(bytes);
    return bytes.length;
  });

const hotContenders: Contender<number>[] = [
  contender("peer", "rent", true, "new Uint8Array", "new Uint8Array(n)", (n) => new Uint8Array(n)),
  rentReturn(autoPool, "ours.pool.rent+return(auto)", "rent+return, auto"),
  rentReturn(fixedPool, "ours.pool.rent+return(fixed)", "rent+return, fixed"),
];

const hotGroups = sizedGroups("pool rent+return", [256, 4096, 65536], hotContenders, (n) => n);

const entries = await timeGroups("pool_tuning", hotGroups, "monomorphic");

/** One virtual second of the timeline. */
interface Second {
  readonly second: number;
  readonly phase: "load" | "idle" | "burst";
  readonly rents: number;
  readonly hitRate: number | null;
  readonly retainedBytes: number;
}

const RENTS_PER_SECOND = 2000;
const CONCURRENCY = 32;
const SIZES = [200, 900, 3000, 12_000, 40_000, 200_000];

function simulate(): Second[] {
  // The real timer must not interfere: tune() is driven by virtual time below.
  const pool = new MemoryPool({ tuningInterval: 2 ** 31 - 1 });
  const intervalSeconds = DEFAULT_TUNING_INTERVAL / 1000;
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const held: Uint8Array[] = [];
  const timeline: Second[] = [];
  for (let second = 0; second < 90; second++) {
    const phase = second < 60 ? "load" : second < 80 ? "idle" : "burst";
    const before = pool.stats();
    let rents = 0;
    if (phase !== "idle") {
      // Concurrency swings between a quarter and all of CONCURRENCY: bursts within the load.
      const concurrency = Math.max(1, Math.round(CONCURRENCY * (0.25 + 0.75 * random())));
      for (; rents < RENTS_PER_SECOND; rents++) {
        held.push(pool.rent(SIZES[Math.floor(random() * random() * SIZES.length)]));
        if (held.length >= concurrency) {
          pool.return(held.splice(Math.floor(random() * held.length), 1)[0]);
        }
      }
    }
    while (phase === "idle" && held.length > 0) pool.return(held.pop()!);
    if ((second + 1) % intervalSeconds === 0) pool.tune();
    const after = pool.stats();
    const hits = after.hits - before.hits;
    const misses = after.misses - before.misses;
    timeline.push({
      second,
      phase,
      rents,
      hitRate: hits + misses === 0 ? null : hits / (hits + misses),
      retainedBytes: after.retainedBytes,
    });
  }
  for (const bytes of held) pool.return(bytes);
  return timeline;
}

const timeline = simulate();
const atLoadEnd = timeline[59].retainedBytes;
const afterIdle = timeline[79].retainedBytes;
const idleFall = atLoadEnd === 0 ? 1 : 1 - afterIdle / atLoadEnd;
const firstBurstSecond = timeline[80].hitRate ?? 0;
const steadyLoad = timeline.slice(10, 60);
const steadyHitRate = steadyLoad.reduce((sum, s) => sum + (s.hitRate ?? 0), 0) /
  steadyLoad.length;

writeResults("pool_tuning", entries, {
  timeline,
  tuningIntervalMs: DEFAULT_TUNING_INTERVAL,
  rentsPerSecond: RENTS_PER_SECOND,
  concurrency: CONCURRENCY,
  retainedAtLoadEnd: atLoadEnd,
  retainedAfter20sIdle: afterIdle,
  idleFall,
  renewedBurstFirstSecondHitRate: firstBurstSecond,
  steadyHitRate,
}, null);
