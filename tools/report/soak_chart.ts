/**
 * The HTTP soak's time series as a chart (docs/img/load_soak.svg): the pool's retained bytes,
 * total and per tier, its hit rate per sampling interval, and the load / idle / burst phases.
 *
 * @module
 */
import type { SoakResult } from "../../dev/schema_load.ts";
import { renderSvg } from "./chart.ts";

/** The soak as a line chart: retained bytes (total and per tier), hit rate per interval, phases shaded. */
export function soakChart(soak: SoakResult, runtime: string): Promise<string> {
  const samples = soak.samples;
  const seconds = (t: number) => t / 1000;
  const bytes = samples.flatMap((s) => [
    { t: seconds(s.t), series: "retained, total", bytes: s.retainedBytes },
    ...soak.tiers.map((tier, i) => ({
      t: seconds(s.t),
      series: `retained, ${tier} tier`,
      bytes: s.tierRetainedBytes[i] ?? 0,
    })),
  ]);
  // Hit rate per sampling interval; none where an interval had no rents (idle).
  const rates = samples.slice(1).flatMap((s, i) => {
    const hits = s.hits - samples[i].hits;
    const total = hits + s.misses - samples[i].misses;
    return total === 0 ? [] : [{ t: seconds(s.t), rate: hits / total }];
  });
  const phases = (["load", "idle", "burst"] as const).flatMap((phase) => {
    const inPhase = samples.filter((s) => s.phase === phase);
    return inPhase.length === 0
      ? []
      : [{ phase, from: seconds(inPhase[0].t), to: seconds(inPhase[inPhase.length - 1].t) }];
  });
  const t = { field: "t", type: "quantitative", title: "seconds" };
  return renderSvg({
    title: {
      text: `@catga/memory: HTTP soak on ${runtime}`,
      subtitle: "the pool's retained bytes (left) and hit rate per 250 ms (right, dashed): " +
        "load, idle, then a renewed burst",
    },
    width: 720,
    height: 240,
    layer: [
      {
        data: { values: phases },
        mark: { type: "rect", opacity: 0.12 },
        encoding: {
          x: { ...t, field: "from" },
          x2: { field: "to" },
          color: {
            field: "phase",
            scale: { domain: ["load", "idle", "burst"], range: ["#f59e0b", "#94a3b8", "#ef4444"] },
          },
        },
      },
      {
        data: { values: bytes },
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: t,
          y: { field: "bytes", type: "quantitative", title: "retained bytes" },
          stroke: { field: "series", title: null, legend: { labelLimit: 300 } },
        },
      },
      {
        data: { values: rates },
        mark: { type: "line", strokeDash: [4, 3], color: "#0969da" },
        encoding: {
          x: t,
          y: {
            field: "rate",
            type: "quantitative",
            title: "hit rate",
            axis: { format: "%", orient: "right" },
          },
        },
      },
    ],
    resolve: { scale: { y: "independent" } },
  } as never);
}
