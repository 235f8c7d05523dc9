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
import { FEEDBACK_BENCHES, RUNTIME_IDS, type RuntimeId } from "../dev/schema.ts";
import { run } from "../dev/services.ts";
import { ROOT as root, RUNTIMES } from "../dev/runtimes.ts";

const benchDir = join(root, "bench");
const resultsDir = join(benchDir, "results");

const JOB_TIMEOUT_MS = 30 * 60 * 1000;

const DIAGNOSTIC_BENCHES = ["utf8_paths"];

/** The command that runs a bench file with `gc()` exposed, per runtime. */
function commandFor(runtime: RuntimeId, file: string, args: string[]): string[] {
  const gc = { bun: [], deno: ["run", "-A", "--v8-flags=--expose-gc"] }[runtime as "bun"];
  return [RUNTIMES[runtime], ...(gc ?? ["--expose-gc"]), file, ...args];
}

interface Job {
  label: string;
  command: string[];
  logName: string;
}

const option = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

function formatSeconds(ms: number): string {
  return ms >= 60_000
    ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`
    : `${(ms / 1000).toFixed(1)}s`;
}

/** Runs one job with its output in a log file; resolves with the exit code (null: killed). */
async function runJob(job: Job, verbose: boolean): Promise<number | null> {
  const log = createWriteStream(join(resultsDir, job.logName));
  const result = await run(job.command, {
    label: job.label,
    timeoutMs: JOB_TIMEOUT_MS,
    onOutput: (chunk) => {
      log.write(chunk);
      if (verbose) process.stdout.write(chunk);
    },
  });
  await new Promise((done) => log.end(done));
  return result.code;
}

function tail(path: string, lines: number): string {
  const text = existsSync(path) ? readFileSync(path, "utf8").trimEnd() : "(no output)";
  return text.split("\n").slice(-lines).map((l) => `    ${l}`).join("\n");
}

function plannedJobs(): Job[] {
  const runtimes = (option("runtime")?.split(",") ?? [...RUNTIME_IDS])
    .map((r) => (r === "node" ? "node24" : r))
    .filter((r): r is RuntimeId => (RUNTIME_IDS as readonly string[]).includes(r));
  const filter = option("filter");
  const jobs: Job[] = [];
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith(".bench.ts") && (!filter || f.includes(filter)))
    .filter((f) => filter || !DIAGNOSTIC_BENCHES.includes(f.replace(/\.bench\.ts$/, "")))
    .sort();
  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, "");
    for (const runtime of runtimes) {
      // One process per feedback: type feedback, once varied, cannot be made monomorphic again.
      const feedbacks = FEEDBACK_BENCHES.includes(name) ? ["varied", "monomorphic"] : [null];
      for (const feedback of feedbacks) {
        jobs.push({
          label: `bench/${file} on ${runtime}${feedback === null ? "" : ` (${feedback})`}`,
          command: commandFor(runtime, `bench/${file}`, feedback ? [`--feedback=${feedback}`] : []),
          logName: `${name}${feedback === "monomorphic" ? ".monomorphic" : ""}.${runtime}.log`,
        });
      }
    }
  }
  const loadWanted = !process.argv.includes("--no-load") &&
    (!filter || "load.ts".includes(filter));
  if (loadWanted && runtimes.length > 0 && existsSync(join(benchDir, "load.ts"))) {
    jobs.push({
      label: `bench/load.ts against the service on ${runtimes.join(", ")}`,
      command: [process.execPath, "bench/load.ts", ...runtimes],
      logName: "load.log",
    });
  }
  return jobs;
}

/** In a child, so a crash in the report is reported rather than fatal. */
async function generateReport(): Promise<number | null> {
  const onOutput = (chunk: Buffer) => process.stdout.write(chunk);
  const command = [process.execPath, join(root, "tools", "report.ts")];
  return (await run(command, { label: "tools/report.ts", timeoutMs: JOB_TIMEOUT_MS, onOutput }))
    .code;
}

async function main(): Promise<void> {
  const verbose = process.argv.includes("--verbose");
  if (process.argv.includes("--quick")) {
    Object.assign(process.env, { BENCH_ROUND_MS: "5", BENCH_ROUNDS: "1", SCENARIO_SECONDS: "0.2" });
  }
  const jobs = plannedJobs();
  if (jobs.length === 0) {
    console.error("Nothing to run: no bench file matched, or no known runtime was selected.");
    process.exit(1);
  }
  mkdirSync(resultsDir, { recursive: true });
  console.log(
    `Running ${jobs.length} benchmark run(s), one at a time; logs in bench/results/*.log.`,
  );
  const failures: string[] = [];
  const started = Date.now();
  const width = String(jobs.length).length;
  for (const [index, job] of jobs.entries()) {
    const label = `[${String(index + 1).padStart(width)}/${jobs.length}] ${job.label}`;
    console.log(`${label} ...`);
    const jobStarted = Date.now();
    const code = await runJob(job, verbose);
    const elapsed = formatSeconds(Date.now() - jobStarted);
    if (code === 0) {
      console.log(`${label}: ok in ${elapsed} (${formatSeconds(Date.now() - started)} so far)`);
    } else {
      failures.push(job.label);
      console.log(
        `${label}: FAILED (exit ${code}) in ${elapsed}; last lines of bench/results/${job.logName}:`,
      );
      console.log(tail(join(resultsDir, job.logName), 15));
    }
  }
  console.log(
    `All runs done in ${formatSeconds(Date.now() - started)}: ${
      jobs.length - failures.length
    } ok, ${failures.length} failed.`,
  );
  if (!process.argv.includes("--no-report") && (await generateReport()) !== 0) {
    failures.push("tools/report.ts");
  }
  if (failures.length > 0) {
    console.error(`Failed: ${failures.join("; ")}`);
    process.exit(1);
  }
}

await main();
