/**
 * `npm test`: the node:test suite under Node 24, Node 26, Deno and Bun, the checks, the
 * end-to-end servers and dashboard, and the runtime smokes. Tests are counted from each runner's
 * JUnit report; skips print once per reason, and under `CI=true` count as failures. A step that
 * hangs is killed with its process group at its timeout. Ends with `N passed, N failed, N skipped`.
 * `node tools/test.ts <prefix> ...` runs only the steps whose names start with a prefix.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { ROOT, RUNTIMES } from "../dev/runtimes.ts";
import { run } from "../dev/services.ts";
import { readJunit } from "../dev/junit.ts";

const MINUTE = 60_000;
const ENTRY_POINTS = ["mod.ts", "pool/mod.ts", "encoding/mod.ts", "serializers/mod.ts"];
const CI = process.env.CI !== undefined && !["", "0", "false"].includes(process.env.CI);

/** What one step counted; skip reason -> how many tests gave it. */
interface Outcome {
  passed: number;
  failed: number;
  skipped: number;
  skipReasons: Map<string, number>;
}

/**
 * How a step counts: a runner's JUnit report, a tool's closing `<label>: N passed, N failed`
 * line, or (a check) exit code 0 as one pass.
 */
type Counter = { junit: "node" | "deno" | "bun" } | { closing: string } | "exit";

/** A step: its name, how it counts, its timeout, its command (given the JUnit report's path). */
type Step = readonly [
  name: string,
  counter: Counter,
  timeoutMs: number,
  command: (junit: string) => string[],
];

const [SHORT, LONG] = [5 * MINUTE, 15 * MINUTE];
const nodeTests = (node: string) => (junit: string) => [
  ...[node, "--test", "--test-reporter=spec", "--test-reporter-destination=stdout"],
  ...["--test-reporter=junit", `--test-reporter-destination=${junit}`, "tests/*.test.ts"],
];
const node24 = (...args: string[]) => () => [RUNTIMES.node24, ...args];
const smoke = (host: string) => node24("tools/smoke/run.ts", host);
const deno = (...args: string[]) => () => [RUNTIMES.deno, ...args];

const STEPS: readonly Step[] = [
  ["test:node24", { junit: "node" }, LONG, nodeTests(RUNTIMES.node24)],
  ["test:node26", { junit: "node" }, LONG, nodeTests(RUNTIMES.node26)],
  ["test:deno", { junit: "deno" }, LONG, (junit) => [
    ...[RUNTIMES.deno, "test", "-A", `--junit-path=${junit}`, "tests/"],
  ]],
  // Bun alone times tests out (5 s by default); the step's timeout still turns a hang into a failure.
  ["test:bun", { junit: "bun" }, LONG, (junit) => [
    ...[RUNTIMES.bun, "test", "--timeout=300000", "--reporter=junit"],
    ...[`--reporter-outfile=${junit}`, "tests/"],
  ]],
  ["check:types", "exit", SHORT, deno("check", ".")],
  ["check:lint", "exit", SHORT, deno("lint")],
  ["check:fmt", "exit", SHORT, deno("fmt", "--check")],
  ["check:doc-lint", "exit", SHORT, deno("doc", "--lint", ...ENTRY_POINTS, "messaging/mod.ts")],
  ["check:examples", { closing: "docs" }, LONG, node24("tools/check_docs.ts")],
  ["check:layers", { closing: "layers" }, SHORT, node24("tools/check_layers.ts")],
  ["check:publish", "exit", SHORT, deno("publish", "--dry-run", "--allow-dirty")],
  // Outbox (Redis Cluster) -> JetStream cluster -> inbox under SIGKILLs and restarts, short.
  ["chaos:short", { closing: "chaos" }, SHORT, node24("tests/chaos.ts", "--short")],
  ["e2e:servers", { closing: "e2e" }, 10 * MINUTE, node24("tools/e2e.ts")],
  ["e2e:dashboard", { closing: "browser" }, SHORT, node24("tools/browser.ts")],
  ["smoke:browser", { closing: "browser smoke" }, SHORT, smoke("browser")],
  ["smoke:workerd", { closing: "workerd smoke" }, SHORT, smoke("workerd")],
  ["smoke:node22", { closing: "node22" }, SHORT, () => [
    ...[RUNTIMES.node22, "--experimental-strip-types", "tools/smoke/run.ts", "node22"],
  ]],
];

/** An outcome; `reasons` are the skip reasons of the skipped tests, one per test. */
function outcome(passed: number, failed: number, skipped: number, reasons: string[]): Outcome {
  const skipReasons = new Map<string, number>();
  for (const reason of reasons) skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + 1);
  return { passed, failed, skipped, skipReasons };
}

/**
 * Counts a JUnit report. Node and Bun report suites as `<testsuite>`, so every
 * `<testcase>` is a test; Deno reports `describe` blocks and tests with
 * subtests as test cases too (`outer > inner`), so only leaves count there.
 */
function countJunit(path: string, flavour: string): Outcome {
  const cases = readJunit(path);
  const parents = new Set(
    flavour !== "deno"
      ? []
      : cases.flatMap(({ name }) =>
        name.split(" > ").map((_, i, parts) => parts.slice(0, i).join(" > ")).slice(1)
      ),
  );
  const leaves = cases.filter((test) => !parents.has(test.name));
  const failed = leaves.filter((test) => test.failure !== undefined).length;
  const skips = leaves.filter((test) => test.failure === undefined && test.skipped);
  const reasons = skips.flatMap((test) => (test.skipReason ? [test.skipReason] : []));
  return outcome(leaves.length - failed - skips.length, failed, skips.length, reasons);
}

function countClosingLine(output: string, label: string): Outcome {
  const pattern = new RegExp(`^${label}: (\\d+) passed, (\\d+) failed(?:, (\\d+) skipped)?`, "gm");
  const match = [...output.matchAll(pattern)].pop() ?? [];
  const [passed, failed, skipped] = [1, 2, 3].map((i) => Number(match[i] ?? 0));
  // A tool that skips names its reason on a `SKIPPED: <reason>` line.
  const reason = /^SKIPPED: (.*)$/m.exec(output)?.[1];
  return outcome(passed, failed, skipped, reason ? Array(skipped).fill(reason) : []);
}

async function runStep(step: Step, junit: string): Promise<Outcome & { seconds: number }> {
  const [name, counter, timeoutMs, commandOf] = step;
  rmSync(junit, { force: true });
  const command = commandOf(junit);
  console.log(`\n=== ${name}: ${command.map((arg) => arg.replace(ROOT + "/", "")).join(" ")}`);
  const result = await run(command, {
    label: name,
    timeoutMs,
    onOutput: (chunk, stream) =>
      (stream === "stdout" ? process.stdout : process.stderr).write(chunk),
  });
  const got: Outcome = counter === "exit"
    ? outcome(result.code === 0 ? 1 : 0, 0, 0, [])
    : "junit" in counter
    ? countJunit(junit, counter.junit)
    : countClosingLine(result.output, counter.closing);
  if (result.code !== 0 && got.failed === 0) {
    // Crashed, timed out or failed without a failing test: still a failure.
    got.failed = 1;
    if (!result.timedOut) console.log(`[${name}] exited with code ${result.code}`);
  } else if (got.passed + got.failed + got.skipped === 0) {
    got.failed = 1;
    console.log(`[${name}] ran nothing`);
  }
  return { ...got, seconds: result.ms / 1000 };
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const steps = STEPS.filter(([name]) =>
    only.length === 0 || only.some((prefix) => name.startsWith(prefix))
  );
  if (steps.length === 0) {
    console.log(`No step matches ${only}; steps: ${STEPS.map(([name]) => name).join(", ")}`);
    console.log("0 passed, 1 failed, 0 skipped");
    return 1;
  }
  const junitDir = mkdtempSync(join(tmpdir(), "catga-test-"));
  const started = performance.now();
  const summary: string[] = [];
  const total = outcome(0, 0, 0, []);
  let unexplainedSkips = 0;
  try {
    for (const step of steps) {
      const got = await runStep(step, join(junitDir, `${step[0].replace(/\W/g, "_")}.xml`));
      for (const key of ["passed", "failed", "skipped"] as const) total[key] += got[key];
      for (const [reason, count] of got.skipReasons) {
        // The same tests skip on every runtime: one line per reason, counted once per run.
        total.skipReasons.set(reason, Math.max(total.skipReasons.get(reason) ?? 0, count));
      }
      const explained = got.skipReasons.values().reduce((sum, count) => sum + count, 0);
      unexplainedSkips = Math.max(unexplainedSkips, got.skipped - explained);
      const counts = `${got.passed} passed, ${got.failed} failed` +
        (got.skipped > 0 ? `, ${got.skipped} skipped` : "");
      const status = got.failed === 0 ? "ok  " : "FAIL";
      summary.push(`${status} ${step[0].padEnd(16)} ${counts} (${got.seconds.toFixed(1)} s)`);
    }
  } finally {
    rmSync(junitDir, { recursive: true, force: true });
  }
  console.log(`\n${summary.join("\n")}`);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  for (const [reason, count] of total.skipReasons) console.log(`SKIPPED: ${count} ${reason}`);
  if (total.skipReasons.size === 0 && unexplainedSkips > 0) {
    console.log(`SKIPPED: ${unexplainedSkips} tests (the runner gave no reason)`);
  }
  const { passed, skipped } = total;
  if (CI && skipped > 0) console.log(`CI=true: the ${skipped} skipped tests count as failures`);
  const failed = total.failed + (CI ? skipped : 0);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

process.exitCode = await main();
