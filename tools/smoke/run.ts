/**
 * Runs the shared smoke (tools/smoke/smoke.ts) in a host; ends `<label>: N passed, N failed`:
 * - `node22` (label `node22`): the TypeScript sources under Node 22's type stripping, so the
 *   library uses nothing Node 22.18+ lacks. Run: `node_modules/node22/bin/node
 *   --experimental-strip-types tools/smoke/run.ts node22` (the flag keeps 22.x before 22.18 going).
 * - `workerd` and `browser` (labels `workerd smoke`, `browser smoke`) run a `bun build` bundle of
 *   mod.ts (minified) and the smoke: in the pinned npm `workerd` on a loopback port, under the
 *   CONFIGURATIONS below; or in headless Chromium (tools/_chromium.ts), served from memory through
 *   Playwright's request routing. Run with Node 24: `node tools/smoke/run.ts workerd|browser`.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { RUNTIMES } from "../../dev/runtimes.ts";
import { freePort, run, start, waitFor } from "../../dev/services.ts";
import { withChromium } from "../_chromium.ts";
import { runTool, type Tally } from "../_tally.ts";
import { runSmoke, type SmokeResult } from "./smoke.ts";

const READY_TIMEOUT_MS = 30_000;
const SMOKE_TIMEOUT_MS = 60_000;
const BROWSER_DEADLINE_MS = 120_000;
const IMPORTS = `import * as lib from "./library.js";
import { runSmoke } from "./smoke.js";
`;

/** A worker configuration: name, date (none: the newest this workerd supports), flags. */
type Configuration = readonly [name: string, date: string | undefined, flags: readonly string[]];

const CONFIGURATIONS: readonly Configuration[] = [
  ["current date, nodejs_compat", undefined, ["nodejs_compat"]],
  ["current date, nodejs_compat + no_nodejs_compat_v2", undefined, [
    "nodejs_compat",
    "no_nodejs_compat_v2",
  ]],
  ["current date, no Node.js compatibility", undefined, []],
  ["2025-05-01 (no FinalizationRegistry), nodejs_compat", "2025-05-01", ["nodejs_compat"]],
];

const WORKER = `${IMPORTS}export default {
  async fetch() {
    const result = await runSmoke(lib);
    const finalizationRegistry = typeof FinalizationRegistry;
    const nodeProcess = typeof process;
    return Response.json({ ...result, finalizationRegistry, nodeProcess });
  },
};
`;

const PAGE = `<!doctype html><title>smoke</title><script type="module">
${IMPORTS}window.smokeResult = runSmoke(lib);
</script>`;

function capnpConfig([, date, flags]: Configuration, current: string, port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .smokeWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const smokeWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "library.js", esModule = embed "library.js"),
    (name = "smoke.js", esModule = embed "smoke.js"),
  ],
  compatibilityDate = "${date ?? current}",
  compatibilityFlags = [${flags.map((flag) => JSON.stringify(flag)).join(", ")}],
);
`;
}

/** Runs `bun build` for browsers; throws with its output when it fails. */
async function bunBuild(...args: string[]): Promise<void> {
  const command = [RUNTIMES.bun, "build", "--target=browser", "--format=esm", ...args];
  const result = await run(command, { label: "bun build", timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`bun build ${args.join(" ")} failed:\n${result.output}`);
}

/** Builds library.js and smoke.js into `dir`; says the library's size. */
async function buildBundle(dir: string, label: string): Promise<void> {
  await bunBuild("mod.ts", "--minify", `--outfile=${join(dir, "library.js")}`);
  await bunBuild("tools/smoke/smoke.ts", `--outfile=${join(dir, "smoke.js")}`);
  const code = readFileSync(join(dir, "library.js"));
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const gzipped = kb(gzipSync(code, { level: 9 }).length);
  console.log(
    `${label}: library bundle (bun build --minify): ${
      kb(code.length)
    } minified, ${gzipped} gzipped`,
  );
}

/** The newest compatibility date this workerd supports: its version is its build date. */
async function currentDate(): Promise<string> {
  const result = await run([RUNTIMES.workerd, "--version"], {
    label: "workerd --version",
    timeoutMs: 30_000,
  });
  const date = /\d{4}-\d{2}-\d{2}/.exec(result.output)?.[0];
  if (date === undefined) throw new Error(`Cannot read workerd's version:\n${result.output}`);
  return date;
}

type SmokeReply = SmokeResult & { finalizationRegistry: string; nodeProcess: string };

async function smokeInWorkerd(dir: string, configuration: Configuration, date: string) {
  const port = await freePort();
  const config = join(dir, "config.capnp");
  writeFileSync(join(dir, "worker.js"), WORKER);
  writeFileSync(config, capnpConfig(configuration, date, port));
  const workerd = start([RUNTIMES.workerd, "serve", config], { cwd: dir, group: true });
  try {
    return await waitFor(
      async () => {
        if (workerd.exited()) throw new Error(`workerd exited:\n${workerd.output()}`);
        const response = await fetch(`http://127.0.0.1:${port}/`, {
          signal: AbortSignal.timeout(SMOKE_TIMEOUT_MS),
        }).catch((error) => {
          if (error.cause?.code === "ECONNREFUSED") return undefined; // not listening yet
          throw error;
        });
        const text = await response?.text();
        if (response?.ok === false) {
          throw new Error(`HTTP ${response.status}: ${text}\n${workerd.output()}`);
        }
        return text === undefined ? undefined : JSON.parse(text) as SmokeReply;
      },
      READY_TIMEOUT_MS,
      () => `workerd did not listen:\n${workerd.output()}`,
    );
  } finally {
    await workerd.stop();
  }
}

async function workerdSmoke(dir: string, tally: Tally, label: string): Promise<void> {
  const date = await currentDate();
  for (const configuration of CONFIGURATIONS) {
    const name = configuration[0].replace("current date", `current date ${date}`);
    try {
      const reply = await smokeInWorkerd(dir, configuration, date);
      console.log(
        `${label}: ${name}: ${reply.passed} passed, ${reply.failed} failed (FinalizationRegistry: ${reply.finalizationRegistry}, process: ${reply.nodeProcess})`,
      );
      for (const line of reply.lines) if (!line.startsWith("ok")) console.log(`  ${line}`);
      tally.passed += reply.passed;
      tally.failed += reply.failed + (reply.passed === 0 ? 1 : 0);
    } catch (error) {
      tally.failed++;
      console.log(`${label}: ${name}: FAILED: ${(error as Error).message}`);
    }
  }
}

async function smokeInBrowser(browser: Browser, dir: string): Promise<SmokeResult> {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.route("**/*", (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === "") return route.fulfill({ status: 200, body: PAGE, contentType: "text/html" });
    if (!["library.js", "smoke.js"].includes(name)) return route.fulfill({ status: 404, body: "" });
    const body = readFileSync(join(dir, name), "utf8");
    return route.fulfill({ status: 200, body, contentType: "text/javascript" });
  });
  await page.goto("https://catga-smoke.test/");
  await page.waitForFunction(() => "smokeResult" in globalThis, null, { timeout: 30_000 })
    .catch(() => {
      throw new Error(`the smoke did not start: ${pageErrors.join("; ") || "no page error"}`);
    });
  const result = await page.evaluate(() =>
    (globalThis as unknown as { smokeResult: Promise<SmokeResult> }).smokeResult
  );
  if (pageErrors.length > 0) {
    result.failed++;
    result.lines.push(`FAIL no script errors: ${pageErrors.join("; ")}`);
  }
  return result;
}

async function browserSmoke(dir: string, tally: Tally, label: string): Promise<void> {
  const use = (browser: Browser) => smokeInBrowser(browser, dir);
  const result = await withChromium(label, BROWSER_DEADLINE_MS, use);
  for (const line of result.lines) console.log(line);
  Object.assign(tally, { passed: result.passed, failed: result.failed });
}

async function node22Smoke(tally: Tally): Promise<void> {
  console.log(`node22: Node ${process.version}`);
  const result = await runSmoke(await import("../../mod.ts"));
  for (const line of result.lines) console.log(line);
  Object.assign(tally, { passed: result.passed, failed: result.failed });
}

const BUNDLED = { workerd: workerdSmoke, browser: browserSmoke } as const;
const host = process.argv[2];
const label = host === "node22" ? host : `${host} smoke`;
await runTool(label, async (tally) => {
  if (host === "node22") return await node22Smoke(tally);
  if (!Object.hasOwn(BUNDLED, host)) throw new Error("Usage: run.ts workerd|browser|node22");
  const dir = mkdtempSync(join(tmpdir(), "catga-smoke-"));
  try {
    await buildBundle(dir, label);
    await BUNDLED[host as keyof typeof BUNDLED](dir, tally, label);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
