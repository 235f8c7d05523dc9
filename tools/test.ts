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
const bundled = (host: string) => node24("tools/smoke/bundled.ts", host);
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
  ["smoke:browser", { closing: "browser smoke" }, SHORT, bundled("browser")],
  ["smoke:workerd", { closing: "workerd smoke" }, SHORT, bundled("workerd")],
  ["smoke:node22", { closing: "node22" }, SHORT, () => [
    ...[RUNTIMES.node22, "--experimental-strip-types", "tools/smoke/node22.ts"],
  ]],
];

/**
 * Counts a JUnit report. Node and Bun report suites as `<testsuite>`, so every
 * `<testcase>` is a test; Deno reports `describe` blocks and tests with
 * subtests as test cases too (`outer > inner`), so only leaves count there.
 */
function countJunit(path: string, flavour: string): Outcome {
  const outcome: Outcome = { passed: 0, failed: 0, skipped: 0, skipReasons: new Map() };
  let cases = readJunit(path);
  if (flavour === "deno") {
    const parents = new Set<string>();
    for (const { name } of cases) {
      const parts = name.split(" > ");
      for (let i = 1; i < parts.length; i++) parents.add(parts.slice(0, i).join(" > "));
    }
    cases = cases.filter((test) => !parents.has(test.name));
  }
  for (const test of cases) {
    if (test.failure !== undefined) outcome.failed++;
    else if (test.skipped) {
      outcome.skipped++;
      const reason = test.skipReason;
      if (reason) outcome.skipReasons.set(reason, (outcome.skipReasons.get(reason) ?? 0) + 1);
    } else outcome.passed++;
  }
  return outcome;
}

function countClosingLine(output: string, label: string): Outcome {
  const pattern = new RegExp(`^${label}: (\\d+) passed, (\\d+) failed(?:, (\\d+) skipped)?`, "gm");
  const match = [...output.matchAll(pattern)].pop();
  const skipped = match?.[3] ? Number(match[3]) : 0;
  // A tool that skips names its reason on a `SKIPPED: <reason>` line.
  const reason = /^SKIPPED: (.*)$/m.exec(output)?.[1];
  return {
    passed: match ? Number(match[1]) : 0,
    failed: match ? Number(match[2]) : 0,
    skipped,
    skipReasons: skipped > 0 && reason ? new Map([[reason, skipped]]) : new Map(),
  };
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
  const outcome: Outcome = counter === "exit"
    ? { passed: result.code === 0 ? 1 : 0, failed: 0, skipped: 0, skipReasons: new Map() }
    : "junit" in counter
    ? countJunit(junit, counter.junit)
    : countClosingLine(result.output, counter.closing);
  const counted = outcome.passed + outcome.failed + outcome.skipped;
  if (result.code !== 0 && outcome.failed === 0) {
    // Crashed, timed out or failed without a failing test: still a failure.
    outcome.failed = 1;
    if (!result.timedOut) console.log(`[${name}] exited with code ${result.code}`);
  } else if (counted === 0) {
    outcome.failed = 1;
    console.log(`[${name}] ran nothing`);
  }
  return { ...outcome, seconds: result.ms / 1000 };
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
  const skipReasons = new Map<string, number>();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let unexplainedSkips = 0;
  try {
    for (const step of steps) {
      const outcome = await runStep(step, join(junitDir, `${step[0].replace(/\W/g, "_")}.xml`));
      passed += outcome.passed;
      failed += outcome.failed;
      skipped += outcome.skipped;
      let explained = 0;
      for (const [reason, count] of outcome.skipReasons) {
        // The same tests skip on every runtime: one line per reason, counted once per run.
        skipReasons.set(reason, Math.max(skipReasons.get(reason) ?? 0, count));
        explained += count;
      }
      unexplainedSkips = Math.max(unexplainedSkips, outcome.skipped - explained);
      const counts = `${outcome.passed} passed, ${outcome.failed} failed` +
        (outcome.skipped > 0 ? `, ${outcome.skipped} skipped` : "");
      const status = outcome.failed === 0 ? "ok  " : "FAIL";
      summary.push(`${status} ${step[0].padEnd(16)} ${counts} (${outcome.seconds.toFixed(1)} s)`);
    }
  } finally {
    rmSync(junitDir, { recursive: true, force: true });
  }
  console.log(`\n${summary.join("\n")}`);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  for (const [reason, count] of skipReasons) console.log(`SKIPPED: ${count} ${reason}`);
  if (skipReasons.size === 0 && unexplainedSkips > 0) {
    console.log(`SKIPPED: ${unexplainedSkips} tests (the runner gave no reason)`);
  }
  if (CI && skipped > 0) {
    console.log(`CI=true: the ${skipped} skipped tests count as failures`);
    failed += skipped;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

process.exitCode = await main();
