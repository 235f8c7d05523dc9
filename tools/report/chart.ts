/**
 * Charts as standalone SVG: a Vega-Lite spec compiled to Vega and rendered headless
 * (`view.toSVG()`: no canvas, no browser), with one look for every chart of the report.
 *
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

const CONFIG = {
  background: "#ffffff",
  font: "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif",
  title: { anchor: "start", fontSize: 15, subtitleColor: "#555" },
  axis: { labelFontSize: 11, titleFontSize: 11 },
  legend: { orient: "bottom", labelFontSize: 11, titleFontSize: 11 },
};

/** Renders a Vega-Lite spec to an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(
    vega.parse(compile({ config: CONFIG, ...spec } as TopLevelSpec).spec),
    {
      renderer: "none",
    },
  );
  const svg = await view.toSVG();
  view.finalize();
  return `${svg}\n`;
}
