/**
 * The soak (one runtime): mixed load, idle, then a renewed burst, sampling `/stats` and the
 * server's RSS every 250 ms; summarised as the retained bytes' fall and the burst's hit rate.
 *
 * @module
 */
import type { SoakResult, SoakSample } from "../../dev/schema_load.ts";
import { fire, procStatus } from "./generator.ts";
import { startServer, stats, type StatsBody, stopServer } from "./servers.ts";
import { type LoadRuntime, SAMPLE_MS, SIZES, SOAK } from "./settings.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The pooled path on purpose: the soak shows the pool's retention, whatever path a route takes.
const SOAK_ROUTES: string[] = SIZES.flatMap((size) => [
  `/messages/${size}?format=json&via=pooled`,
  `/messages/${size}?format=msgpack&via=pooled`,
]);

/** The auto-tuned pool's cap per size class, when `/stats` has them. */
function tunedCaps(body: StatsBody): number[] | undefined {
  const caps = body.classes?.map((c) => Number(c.cap ?? NaN));
  return caps?.every(Number.isFinite) ? caps : undefined;
}

export async function soak(runtime: LoadRuntime): Promise<SoakResult> {
  const server = await startServer(runtime);
  const samples: SoakSample[] = [];
  const start = Date.now();
  let phase: SoakSample["phase"] = "load";
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const next = Date.now() + SAMPLE_MS;
      try {
        const body = await stats(server);
        samples.push({
          t: Date.now() - start,
          phase,
          retainedBytes: body.retainedBytes,
          tierRetainedBytes: body.tiers.map((tier) => tier.retainedBytes),
          hits: body.hits,
          misses: body.misses,
          outstanding: body.outstanding,
          rssBytes: procStatus(server.child.pid, "VmRSS"),
          tunedCaps: tunedCaps(body),
        });
      } catch {
        // a slow answer under load: skip this sample
      }
      await sleep(Math.max(0, next - Date.now()));
    }
  })();
  try {
    const tiers = (await stats(server)).tiers.map((tier) => tier.name);
    const load = await fire(server.base, SOAK.load, SOAK_ROUTES);
    phase = "idle";
    const idleStart = Date.now() - start;
    await sleep(SOAK.idle * 1000);
    phase = "burst";
    const burstStart = Date.now() - start;
    await fire(server.base, SOAK.burst, SOAK_ROUTES);
    sampling = false;
    await sampler;
    const lastLoad = samples.filter((s) => s.t < idleStart).at(-1);
    const lastIdle = samples.filter((s) => s.t < burstStart).at(-1);
    const atLoadEnd = lastLoad?.retainedBytes ?? 0;
    const afterIdle = lastIdle?.retainedBytes ?? 0;
    const burst = samples.filter((s) => s.t >= burstStart);
    const base = lastIdle ?? burst[0];
    const firstSecond = burst.filter((s) => s.t <= burstStart + 1000).at(-1);
    /** The hit rate between two samples (0 without rents). */
    const hitRate = (from?: SoakSample, to?: SoakSample) => {
      const hits = (to?.hits ?? 0) - (from?.hits ?? 0);
      const misses = (to?.misses ?? 0) - (from?.misses ?? 0);
      return hits + misses === 0 ? 0 : hits / (hits + misses);
    };
    const recovered = burst.find((s, i) => hitRate(i === 0 ? base : burst[i - 1], s) > 0.95);
    return {
      loadSeconds: SOAK.load,
      idleSeconds: SOAK.idle,
      burstSeconds: SOAK.burst,
      routes: SOAK_ROUTES,
      tiers,
      loadRequestsPerSec: Math.round(load.requests.average),
      retainedAtLoadEnd: atLoadEnd,
      retainedAfterIdle: afterIdle,
      retainedFall: atLoadEnd === 0 ? 0 : 1 - afterIdle / atLoadEnd,
      burstFirstSecondHitRate: hitRate(base, firstSecond),
      burstRecoveryMs: recovered === undefined ? -1 : recovered.t - burstStart,
      samples,
    };
  } finally {
    sampling = false;
    await sampler;
    await stopServer(server);
  }
}
