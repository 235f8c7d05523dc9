/**
 * Writes docs/PERFORMANCE-REPORT.md and the SVG charts in docs/img/ from the raw results in
 * bench/results/*.json, without rerunning anything (tools/report/index.ts; the result format
 * and the targets: dev/schema.ts). A result file that cannot be read or fails the schema is
 * listed in the report and makes this exit with 1.
 *
 * Usage: `node tools/report.ts` (`npm run bench:report`).
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { writeReport } from "./report/index.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { files, charts, problems } = await writeReport(
  join(root, "bench", "results"),
  join(root, "docs"),
);
console.log(
  `wrote docs/PERFORMANCE-REPORT.md from ${files} result file(s); charts: ${charts.join(", ")}`,
);
for (const problem of problems) console.error(`unreadable result file: ${problem}`);
if (problems.length > 0) process.exitCode = 1;
