import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryPool, type PoolStats } from "../pool/mod.ts";
import { randomInt, rng } from "./_random.ts";
import { runScript } from "./_services.ts";

/** Rents `count` buffers of `length` at once, then returns them all: one round of a burst. */
function burst(pool: MemoryPool, count: number, length: number): void {
  const held = Array.from({ length: count }, () => pool.rent(length));
  for (const bytes of held) pool.return(bytes);
}

function hitsAndMisses(stats: PoolStats): [number, number] {
  return [stats.hits, stats.misses];
}

function classOf(stats: PoolStats, size: number) {
  const found = stats.classes.find((entry) => entry.size === size);
  assert.ok(found, `class ${size}`);
  return found;
}

describe("auto-tuned retention", () => {
  test("is the default, and each class's cap follows its peak concurrent use", () => {
    const pool = new MemoryPool();
    assert.equal(pool.retention, "auto");
    burst(pool, 40, 1000);
    burst(pool, 3, 100_000);
    const stats = pool.stats();
    assert.equal(stats.retention, "auto");
    // 40 at once: more than the fixed default of 16 per medium class would keep.
    assert.deepEqual(
      [classOf(stats, 1024).cap, classOf(stats, 1024).retainedBuffers, classOf(stats, 1024).peak],
      [40, 40, 40],
    );
    assert.equal(classOf(stats, 131072).retainedBuffers, 3);
    assert.equal(classOf(stats, 16).cap, 0); // never used: keeps nothing
    assert.equal(stats.retainedBytes, 40 * 1024 + 3 * 131072);
  });

  test("burst, idle, burst: idle buffers are released, and the renewed burst hits again", () => {
    const pool = new MemoryPool();
    const sizes = [100, 3000, 20_000, 300_000];
    for (let round = 0; round < 50; round++) {
      for (const size of sizes) burst(pool, 24, size);
    }
    const afterLoad = pool.stats().retainedBytes;
    assert.equal(afterLoad, 24 * (128 + 4096 + 32768 + 524288));
    // One window with no use keeps everything (the burst was in the window that just ended).
    assert.equal(pool.tune(), 0);
    // A second idle window releases it all: at least 75% is the target.
    assert.equal(pool.tune(), afterLoad);
    let stats = pool.stats();
    assert.equal(stats.retainedBytes, 0);
    assert.equal(stats.released, 4 * 24);
    assert.equal(pool.tune(), 0); // idle stays idle
    // A renewed burst: the first round allocates, every later round hits.
    const [hitsBefore, missesBefore] = hitsAndMisses(stats);
    for (let round = 0; round < 50; round++) {
      for (const size of sizes) burst(pool, 24, size);
    }
    stats = pool.stats();
    const misses = stats.misses - missesBefore;
    const hits = stats.hits - hitsBefore;
    assert.equal(misses, 4 * 24);
    assert.ok(hits / (hits + misses) > 0.95, `hit rate ${hits / (hits + misses)}`);
  });

  test("steady load does not churn: a rent at a stable rate stays a hit across windows", () => {
    const pool = new MemoryPool();
    burst(pool, 8, 2048); // warm up
    const before = pool.stats();
    for (let window = 0; window < 20; window++) {
      for (let round = 0; round < 10; round++) burst(pool, 8, 2048);
      pool.tune();
    }
    const stats = pool.stats();
    assert.equal(stats.misses, before.misses);
    assert.equal(stats.released, 0);
    assert.equal(stats.dropped, 0);
    assert.equal(classOf(stats, 2048).retainedBuffers, 8);
  });

  test("after a burst, retention decays to the load that remains", () => {
    const pool = new MemoryPool();
    burst(pool, 100, 512);
    for (let window = 0; window < 3; window++) {
      for (let round = 0; round < 5; round++) burst(pool, 10, 512);
      pool.tune();
    }
    const stats = pool.stats();
    assert.equal(classOf(stats, 512).retainedBuffers, 10);
    assert.equal(classOf(stats, 512).cap, 10);
    assert.equal(stats.released, 90);
  });

  test("buffers lent across a tuning step stay with their renter and come back", () => {
    const pool = new MemoryPool();
    const held = Array.from({ length: 5 }, (_, i) => pool.rent(64).fill(i + 1));
    burst(pool, 5, 64);
    pool.tune();
    pool.tune();
    pool.tune();
    held.forEach((bytes, i) => assert.ok(bytes.every((byte) => byte === i + 1)));
    for (const bytes of held) pool.return(bytes);
    const stats = pool.stats();
    assert.equal(stats.outstanding, 0);
    assert.equal(classOf(stats, 64).retainedBuffers, 5); // the lent five were this window's peak
  });

  test("property: retainedBytes ≤ maxRetainedBytes, no buffer lent twice, lent bytes intact", () => {
    for (const seed of [1, 2, 3, 4]) {
      const random = rng(seed);
      const maxRetainedBytes = randomInt(random, 0, 300_000);
      const pool = new MemoryPool({ maxRetainedBytes, debug: seed % 2 === 0 });
      const held: { bytes: Uint8Array; tag: number }[] = [];
      const live = new Set<ArrayBufferLike>();
      let outstanding = 0;
      for (let i = 0; i < 1500; i++) {
        const action = random();
        if (action < 0.02) {
          pool.tune();
        } else if (action < 0.5 && held.length > 0) {
          const { bytes, tag } = held.splice(randomInt(random, 0, held.length - 1), 1)[0];
          for (let j = 0; j < bytes.length; j += 61) {
            assert.equal(bytes[j], tag, `seed ${seed}: lent bytes changed`);
          }
          assert.equal(bytes[bytes.length - 1], tag, `seed ${seed}: lent bytes changed`);
          if (bytes.length <= 1 << 20) outstanding--;
          live.delete(bytes.buffer);
          pool.return(bytes);
        } else {
          // Bursty: sometimes many of one size at once.
          const count = random() < 0.05 ? randomInt(random, 5, 40) : 1;
          const length = randomInt(random, 1, random() < 0.9 ? 5000 : 70_000);
          for (let k = 0; k < count; k++) {
            const bytes = pool.rent(length);
            assert.ok(!live.has(bytes.buffer), `seed ${seed}: a buffer was lent twice`);
            live.add(bytes.buffer);
            const tag = (i + k) & 0xff;
            if (length <= 1 << 20) outstanding++;
            held.push({ bytes: bytes.fill(tag), tag });
          }
        }
        const stats = pool.stats();
        assert.ok(stats.retainedBytes <= maxRetainedBytes, `seed ${seed}: over the ceiling`);
        assert.equal(
          stats.classes.reduce((sum, entry) => sum + entry.retainedBuffers * entry.size, 0),
          stats.retainedBytes,
        );
        assert.equal(stats.classes.reduce((sum, entry) => sum + entry.outstanding, 0), outstanding);
      }
      for (const { bytes } of held) pool.return(bytes);
      assert.equal(pool.stats().outstanding, 0);
    }
  });

  test("fixed retention keeps the tier caps and tune() changes nothing", () => {
    const pool = new MemoryPool({ retention: "fixed" });
    burst(pool, 100, 10_000); // a medium class: 16 by default
    let stats = pool.stats();
    assert.equal(stats.retention, "fixed");
    assert.equal(classOf(stats, 16384).cap, 16);
    assert.equal(classOf(stats, 16384).retainedBuffers, 16);
    assert.equal(stats.dropped, 84);
    assert.equal(pool.tune(), 0);
    assert.equal(pool.tune(), 0);
    stats = pool.stats();
    assert.equal(classOf(stats, 16384).retainedBuffers, 16);
    assert.equal(stats.released, 0);
  });

  test("options are validated", () => {
    assert.throws(
      () => new MemoryPool({ retention: "sometimes" as "auto" }),
      { name: "RangeError", message: /retention must be "auto" or "fixed", got sometimes/ },
    );
    for (const bad of [0, -1, 1.5, NaN, 2 ** 31]) {
      assert.throws(() => new MemoryPool({ tuningInterval: bad }), RangeError);
    }
  });

  test("the pool's own timer releases idle buffers", async () => {
    const pool = new MemoryPool({ tuningInterval: 5 });
    burst(pool, 10, 4096);
    assert.equal(pool.stats().retainedBytes, 10 * 4096);
    const deadline = Date.now() + 5000;
    while (pool.stats().retainedBytes > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(pool.stats().retainedBytes, 0);
    assert.equal(pool.stats().released, 10);
    // The timer stopped with nothing retained; a later burst starts it again.
    burst(pool, 2, 4096);
    while (pool.stats().retainedBytes > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(pool.stats().released, 12);
  });
});

describe("tuning where the host refuses timers (workerd outside a request)", () => {
  test("misses and drops step the tuning instead, so idle buffers are still released", () => {
    const realSetTimeout = globalThis.setTimeout;
    const spin = (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) { /* let the clock pass */ }
    };
    globalThis.setTimeout = (() => {
      throw new Error("Disallowed operation called within global scope");
    }) as unknown as typeof setTimeout;
    try {
      const pool = new MemoryPool({ tuningInterval: 1 });
      burst(pool, 6, 1000); // the first miss tries to start a timer: refused, no error
      assert.equal(pool.stats().retainedBytes, 6 * 1024);
      spin(3);
      pool.return(pool.rent(20_000)); // a miss elsewhere: one step, the burst was in that window
      assert.equal(pool.stats().retainedBytes, 6 * 1024 + 32768);
      spin(3);
      pool.return(pool.rent(300_000)); // another miss: a second step releases the idle buffers
      const stats = pool.stats();
      assert.equal(classOf(stats, 1024).retainedBuffers, 0);
      assert.ok(stats.released >= 6, `released ${stats.released}`);
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  });
});

describe("tuning timers never keep a process alive", () => {
  test("a script that rents and returns, then ends, exits at once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "catga-pool-exit-"));
    try {
      const script = join(dir, "exit.ts");
      const poolModule = new URL("../pool/mod.ts", import.meta.url).href;
      writeFileSync(
        script,
        `import { MemoryPool } from ${JSON.stringify(poolModule)};
const shared = MemoryPool.shared;
shared.return(shared.rent(100));
const pools = [new MemoryPool(), new MemoryPool({ debug: true }), new MemoryPool({ tuningInterval: 600000 })];
for (const pool of pools) {
  const held = [pool.rent(10), pool.rent(5000), pool.rent(100000)];
  for (const bytes of held) pool.return(bytes);
}
if (pools.some((pool) => pool.stats().retainedBytes === 0)) throw new Error("nothing retained");
console.log("done");
`,
      );
      const started = Date.now();
      const { code, stdout, stderr } = await runScript(script);
      const output = stdout + stderr;
      const elapsed = Date.now() - started;
      assert.equal(code, 0, output);
      assert.match(output, /done/);
      // The default tuning interval is 5 s: a timer that held the process would show here.
      assert.ok(elapsed < 4500, `exit took ${elapsed} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
