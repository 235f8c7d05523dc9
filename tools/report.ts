/**
 * Writes docs/PERFORMANCE-REPORT.md and the SVG charts in docs/img/ from the
 * raw results in bench/results/*.json, without rerunning anything. The
 * sections live in tools/report/ (index.ts lists them); the result format and
 * the targets in dev/schema.ts.
 *
 * Usage: `node tools/report.ts` (`npm run bench:report`).
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeReport } from "./report/index.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { files, charts } = await writeReport(join(root, "bench", "results"), join(root, "docs"));
console.log(
  `wrote docs/PERFORMANCE-REPORT.md from ${files} result file(s); charts in docs/img/ (${
    charts.join(", ")
  })`,
);
