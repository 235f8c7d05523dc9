/**
 * The report's charts as SVG: Vega-Lite specs rendered headless (`view.toSVG()`, no browser).
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { SoakResult } from "../../dev/schema_load.ts";

const CONFIG = {
  background: "#ffffff",
  font: "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif",
  title: { anchor: "start", fontSize: 15, subtitleColor: "#555" },
  axis: { labelFontSize: 11, titleFontSize: 11 },
  legend: { orient: "bottom", labelFontSize: 11, titleFontSize: 11 },
};

/** Renders a Vega-Lite spec to an SVG document. */
export async function renderSvg(spec: object): Promise<string> {
  const compiled = compile({ config: CONFIG, ...spec } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return `${svg}\n`;
}

/** The HTTP soak: retained bytes (total and per tier), hit rate per interval, phases shaded. */
export function soakChart({ samples, tiers }: SoakResult, runtime: string): Promise<string> {
  const bytes = samples.flatMap((s) =>
    ["total", ...tiers.map((tier) => `${tier} tier`)].map((name, i) => ({
      t: s.t / 1000,
      series: `retained, ${name}`,
      bytes: i === 0 ? s.retainedBytes : s.tierRetainedBytes[i - 1] ?? 0,
    }))
  );
  // Hit rate per sampling interval; none where an interval had no rents (idle).
  const rates = samples.slice(1).flatMap((s, i) => {
    const hits = s.hits - samples[i].hits;
    const total = hits + s.misses - samples[i].misses;
    return total === 0 ? [] : [{ t: s.t / 1000, rate: hits / total }];
  });
  const phases = ["load", "idle", "burst"].flatMap((phase) => {
    const t = samples.filter((s) => s.phase === phase).map((s) => s.t / 1000);
    return t.length === 0 ? [] : [{ phase, from: t[0], to: t[t.length - 1] }];
  });
  const t = { field: "t", type: "quantitative", title: "seconds" };
  const color = { domain: ["load", "idle", "burst"], range: ["#f59e0b", "#94a3b8", "#ef4444"] };
  const rate = { field: "rate", type: "quantitative", title: "hit rate" };
  return renderSvg({
    title: {
      text: `@catga/memory: HTTP soak on ${runtime}`,
      subtitle: "the pool's retained bytes (left) and hit rate per 250 ms (right, dashed): " +
        "load, idle, then a renewed burst",
    },
    width: 720,
    height: 240,
    layer: [{
      data: { values: phases },
      mark: { type: "rect", opacity: 0.12 },
      encoding: {
        x: { ...t, field: "from" },
        x2: { field: "to" },
        color: { field: "phase", scale: color },
      },
    }, {
      data: { values: bytes },
      mark: { type: "line", strokeWidth: 2 },
      encoding: {
        x: t,
        y: { field: "bytes", type: "quantitative", title: "retained bytes" },
        stroke: { field: "series", title: null, legend: { labelLimit: 300 } },
      },
    }, {
      data: { values: rates },
      mark: { type: "line", strokeDash: [4, 3], color: "#0969da" },
      encoding: { x: t, y: { ...rate, axis: { format: "%", orient: "right" } } },
    }],
    resolve: { scale: { y: "independent" } },
  });
}
