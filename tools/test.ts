/**
 * `npm test`: the one suite under Node 24, Deno and Bun (all three, even if one
 * fails), the Deno checks, then the end-to-end steps that exist. Ends with a
 * plain `N passed, N failed` line; exits non-zero if anything failed or a
 * runtime ran zero tests.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const bin = (name: string): string => join(root, "node_modules", ".bin", name);
const entryPoints = ["mod.ts", "pool/mod.ts", "encoding/mod.ts", "serializers/mod.ts"];
const STEP_TIMEOUT_MS = 10 * 60 * 1000;

interface Outcome {
  passed: number;
  failed: number;
}

interface Step {
  name: string;
  command: string[];
  /** Counts tests from the output; absent for a check that counts as one. */
  count?: (output: string) => Outcome;
  /** Whether zero tests is itself a failure. */
  needsTests?: boolean;
  skipUnless?: string;
}

const junitDir = mkdtempSync(join(tmpdir(), "catga-test-"));
const junitPath = join(junitDir, "deno.xml");

const steps: Step[] = [
  {
    name: "node",
    command: [process.execPath, "--test", "--test-reporter=spec", "tests/*.test.ts"],
    count: (out) => ({
      passed: lastNumber(out, /^ℹ pass (\d+)$/gm),
      failed: lastNumber(out, /^ℹ fail (\d+)$/gm) + lastNumber(out, /^ℹ cancelled (\d+)$/gm),
    }),
    needsTests: true,
  },
  {
    name: "deno",
    command: [bin("deno"), "test", "-A", `--junit-path=${junitPath}`, "tests/"],
    count: () => countJunitLeaves(junitPath),
    needsTests: true,
  },
  {
    name: "bun",
    command: [bin("bun"), "test", "tests/"],
    count: (out) => ({
      passed: lastNumber(out, /^\s*(\d+) pass$/gm),
      failed: lastNumber(out, /^\s*(\d+) fail$/gm),
    }),
    needsTests: true,
  },
  { name: "deno check", command: [bin("deno"), "check", "."] },
  { name: "deno lint", command: [bin("deno"), "lint"] },
  { name: "deno fmt --check", command: [bin("deno"), "fmt", "--check"] },
  { name: "deno doc --lint", command: [bin("deno"), "doc", "--lint", ...entryPoints] },
  {
    // Every JSDoc @example is type-checked and run.
    name: "deno test --doc",
    command: [bin("deno"), "test", "--doc", "mod.ts", "pool/", "encoding/", "serializers/"],
    count: (out) => ({
      passed: lastNumber(out, /(\d+) passed(?: \(\d+ steps?\))? \|/g),
      failed: lastNumber(out, /\| (\d+) failed/g),
    }),
    needsTests: true,
  },
  {
    name: "deno publish --dry-run",
    command: [bin("deno"), "publish", "--dry-run", "--allow-dirty"],
  },
  { name: "docs/api.md up to date", command: [process.execPath, "tools/api-docs.ts", "--check"] },
  {
    name: "e2e servers",
    command: [process.execPath, "tools/e2e.ts"],
    count: (out) => closingLine(out, "e2e"),
    needsTests: true,
    skipUnless: "tools/e2e.ts",
  },
  {
    name: "browser dashboard",
    command: [process.execPath, "tools/browser.ts"],
    count: (out) => closingLine(out, "browser"),
    skipUnless: "tools/browser.ts",
  },
];

function lastNumber(text: string, pattern: RegExp): number {
  let value = 0;
  for (const match of text.matchAll(pattern)) value = Number(match[1]);
  return value;
}

function closingLine(text: string, label: string): Outcome {
  const pattern = new RegExp(`^${label}: (\\d+) passed, (\\d+) failed`, "gm");
  const match = [...text.matchAll(pattern)].pop();
  return match ? { passed: Number(match[1]), failed: Number(match[2]) } : { passed: 0, failed: 1 };
}

/** Deno reports describe blocks and their steps as test cases: count only the leaves. */
function countJunitLeaves(path: string): Outcome {
  if (!existsSync(path)) return { passed: 0, failed: 1 };
  const xml = readFileSync(path, "utf8");
  const cases = [...xml.matchAll(/<testcase name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)].map((
    m,
  ) => ({
    name: m[1],
    failed: /<failure|<error/.test(m[2]),
  }));
  const names = new Set(cases.map((c) => c.name));
  const parents = new Set<string>();
  for (const name of names) {
    const parts = name.split(" &gt; ");
    for (let i = 1; i < parts.length; i++) parents.add(parts.slice(0, i).join(" &gt; "));
  }
  const leaves = cases.filter((c) => !parents.has(c.name));
  const failed = leaves.filter((c) => c.failed).length;
  return { passed: leaves.length - failed, failed };
}

function runStep(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const [command, ...args] = step.command;
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const take = (chunk: Buffer, sink: NodeJS.WriteStream) => {
      output += chunk.toString("utf8");
      sink.write(chunk);
    };
    child.stdout.on("data", (chunk: Buffer) => take(chunk, process.stdout));
    child.stderr.on("data", (chunk: Buffer) => take(chunk, process.stderr));
    const timer = setTimeout(() => {
      output += `\n[${step.name}] timed out after ${STEP_TIMEOUT_MS / 1000}s\n`;
      child.kill("SIGKILL");
    }, STEP_TIMEOUT_MS);
    child.on("error", (error) => {
      output += `\n[${step.name}] could not start: ${error.message}\n`;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

const only = process.argv.slice(2);
const summary: string[] = [];
let passed = 0;
let failed = 0;
for (const step of steps) {
  if (only.length > 0 && !only.some((name) => step.name.startsWith(name))) continue;
  if (step.skipUnless && !existsSync(join(root, step.skipUnless))) continue;
  console.log(`\n=== ${step.name}: ${step.command.map((a) => a.replace(root, "")).join(" ")}`);
  const started = performance.now();
  const { code, output } = await runStep(step);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  let outcome: Outcome;
  if (step.count) {
    outcome = step.count(output);
    if (code !== 0 && outcome.failed === 0) outcome.failed = 1; // crashed without a failing test
    if (step.needsTests && outcome.passed + outcome.failed === 0) outcome.failed = 1;
  } else {
    outcome = code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  }
  passed += outcome.passed;
  failed += outcome.failed;
  summary.push(
    `${outcome.failed === 0 ? "ok  " : "FAIL"} ${
      step.name.padEnd(24)
    } ${outcome.passed} passed, ${outcome.failed} failed (${seconds}s)`,
  );
}
rmSync(junitDir, { recursive: true, force: true });
console.log(`\n${summary.join("\n")}\n`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
