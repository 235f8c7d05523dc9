/**
 * `npm run bench`: every bench/*.bench.ts under Node 24, Node 26, Deno and Bun, one at a time
 * (benches in `FEEDBACK_BENCHES` twice, each in a fresh process: `--feedback=varied` and
 * `--feedback=monomorphic`; diagnostic benches only when `--filter` names them), then the HTTP
 * load bench, then docs/PERFORMANCE-REPORT.md. Each run's output goes to
 * bench/results/<bench>[.monomorphic].<runtime>.log; exits 1 if any run failed.
 *
 * Usage: `node tools/bench.ts [--runtime=node24,node26,deno,bun] [--filter=<substring>]
 * [--quick] [--no-load] [--no-report] [--verbose]`; `--quick` is a smoke run, figures not fit
 * for the report.
 *
 * @module
 */
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { FEEDBACK_BENCHES, RUNTIME_IDS, type RuntimeId } from "../dev/schema.ts";
import { run } from "../dev/services.ts";
import { ROOT, RUNTIMES } from "../dev/runtimes.ts";

const RESULTS = join(ROOT, "bench", "results");
const JOB_TIMEOUT_MS = 30 * 60 * 1000;
const DIAGNOSTIC_BENCHES = ["utf8_paths"];
const { values: options } = parseArgs({
  options: {
    ...{ runtime: { type: "string" }, filter: { type: "string" }, quick: { type: "boolean" } },
    ...{ "no-load": { type: "boolean" }, "no-report": { type: "boolean" } },
    verbose: { type: "boolean" },
  },
});

/** One bench run: its name in messages, its command, and its log in bench/results. */
type Job = readonly [label: string, command: string[], logName: string];

const seconds = (ms: number) =>
  ms >= 60_000
    ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`
    : `${(ms / 1000).toFixed(1)}s`;

/** Runs one job with its output in its log file; resolves with the exit code (null: killed). */
async function runJob([label, command, logName]: Job): Promise<number | null> {
  const log = createWriteStream(join(RESULTS, logName));
  const onOutput = (chunk: Buffer) => {
    log.write(chunk);
    if (options.verbose) process.stdout.write(chunk);
  };
  const result = await run(command, { label, timeoutMs: JOB_TIMEOUT_MS, onOutput });
  await new Promise((done) => log.end(done));
  return result.code;
}

function plannedJobs(): Job[] {
  const runtimes = (options.runtime?.split(",") ?? [...RUNTIME_IDS])
    .map((r) => (r === "node" ? "node24" : r))
    .filter((r): r is RuntimeId => (RUNTIME_IDS as readonly string[]).includes(r));
  const filter = options.filter;
  const files = readdirSync(join(ROOT, "bench"))
    .filter((f) => f.endsWith(".bench.ts") && (!filter || f.includes(filter)))
    .filter((f) => filter || !DIAGNOSTIC_BENCHES.includes(f.replace(/\.bench\.ts$/, "")))
    .sort();
  const jobs = files.flatMap((file) => {
    const name = file.replace(/\.bench\.ts$/, "");
    // One process per feedback: type feedback, once varied, cannot be made monomorphic again.
    const feedbacks = FEEDBACK_BENCHES.includes(name) ? ["varied", "monomorphic"] : [null];
    return runtimes.flatMap((runtime) =>
      feedbacks.map((feedback): Job => {
        // gc() exposed on every runtime (Bun always has it).
        const gc = { bun: [], deno: ["run", "-A", "--v8-flags=--expose-gc"] }[runtime as "bun"];
        const args = feedback === null ? [] : [`--feedback=${feedback}`];
        return [
          `bench/${file} on ${runtime}${feedback === null ? "" : ` (${feedback})`}`,
          [RUNTIMES[runtime], ...(gc ?? ["--expose-gc"]), `bench/${file}`, ...args],
          `${name}${feedback === "monomorphic" ? ".monomorphic" : ""}.${runtime}.log`,
        ];
      })
    );
  });
  if (!options["no-load"] && (!filter || "load.ts".includes(filter)) && runtimes.length > 0) {
    const label = `bench/load.ts against the service on ${runtimes.join(", ")}`;
    jobs.push([label, [process.execPath, "bench/load.ts", ...runtimes], "load.log"]);
  }
  return jobs;
}

async function main(): Promise<void> {
  if (options.quick) {
    const short = {
      BENCH_ROUND_MS: "5",
      BENCH_ROUNDS: "1",
      BENCH_WARM_LAPS: "0",
      BENCH_PROCESSES: "1",
    };
    Object.assign(process.env, short, { SCENARIO_SECONDS: "0.2" });
  }
  const jobs = plannedJobs();
  if (jobs.length === 0) {
    console.error("Nothing to run: no bench file matched, or no known runtime was selected.");
    process.exit(1);
  }
  mkdirSync(RESULTS, { recursive: true });
  console.log(
    `Running ${jobs.length} benchmark run(s), one at a time; logs in bench/results/*.log.`,
  );
  const failures: string[] = [];
  const started = Date.now();
  for (const [index, job] of jobs.entries()) {
    const label = `[${String(index + 1).padStart(String(jobs.length).length)}/${jobs.length}] ${
      job[0]
    }`;
    console.log(`${label} ...`);
    const jobStarted = Date.now();
    const code = await runJob(job);
    const elapsed = seconds(Date.now() - jobStarted);
    if (code === 0) {
      console.log(`${label}: ok in ${elapsed} (${seconds(Date.now() - started)} so far)`);
      continue;
    }
    failures.push(job[0]);
    const log = join(RESULTS, job[2]);
    const text = existsSync(log) ? readFileSync(log, "utf8").trimEnd() : "(no output)";
    console.log(
      `${label}: FAILED (exit ${code}) in ${elapsed}; last lines of bench/results/${job[2]}:`,
    );
    console.log(text.split("\n").slice(-15).map((l) => `    ${l}`).join("\n"));
  }
  const ok = jobs.length - failures.length;
  console.log(
    `All runs done in ${seconds(Date.now() - started)}: ${ok} ok, ${failures.length} failed.`,
  );
  // The report runs in a child, so a crash in it is reported rather than fatal.
  const report = [process.execPath, join(ROOT, "tools", "report.ts")];
  const onOutput = (chunk: Buffer) => process.stdout.write(chunk);
  const reporting = { label: "tools/report.ts", timeoutMs: JOB_TIMEOUT_MS, onOutput };
  if (!options["no-report"] && (await run(report, reporting)).code !== 0) {
    failures.push(reporting.label);
  }
  if (failures.length > 0) {
    console.error(`Failed: ${failures.join("; ")}`);
    process.exit(1);
  }
}

await main();
