/**
 * workerd smoke: serves the bundled library and the shared smoke
 * (tools/smoke/smoke.ts) from Cloudflare's workerd (the npm `workerd`
 * binary) on a free 127.0.0.1 port, fetches the result over HTTP, and does
 * so under several configurations: a current compatibility date with and
 * without Node.js compatibility, and an old date (2025-05-01) where
 * `FinalizationRegistry` is missing. Every run includes a
 * `new MemoryPool({ debug: true })` rent/return. workerd is stopped on every
 * exit path. Ends with `workerd smoke: N passed, N failed`; exits non-zero
 * on failure.
 *
 * Run with Node 24: `node tools/smoke/workerd.ts`.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { RUNTIMES } from "../../dev/runtimes.ts";
import { run, start, type StartedProcess } from "../../dev/services.ts";
import getPort from "get-port";
import { buildSmokeBundle, type SmokeBundle } from "./_bundle.ts";
import type { SmokeResult } from "./smoke.ts";

const LABEL = "workerd smoke";
const READY_TIMEOUT_MS = 30_000;
const SMOKE_TIMEOUT_MS = 60_000;

/** One way to configure the worker. */
interface Configuration {
  readonly name: string;
  /** `undefined`: the newest date this workerd supports. */
  readonly compatibilityDate?: string;
  readonly compatibilityFlags: readonly string[];
}

const CONFIGURATIONS: readonly Configuration[] = [
  { name: "current date, nodejs_compat", compatibilityFlags: ["nodejs_compat"] },
  {
    name: "current date, nodejs_compat + no_nodejs_compat_v2",
    compatibilityFlags: ["nodejs_compat", "no_nodejs_compat_v2"],
  },
  { name: "current date, no Node.js compatibility", compatibilityFlags: [] },
  {
    name: "2025-05-01 (no FinalizationRegistry), nodejs_compat",
    compatibilityDate: "2025-05-01",
    compatibilityFlags: ["nodejs_compat"],
  },
];

const WORKER = `import * as lib from "./library.js";
import { runSmoke } from "./smoke.js";
export default {
  async fetch() {
    const result = await runSmoke(lib, { debugPool: true });
    const finalizationRegistry = typeof FinalizationRegistry;
    const nodeProcess = typeof process;
    return Response.json({ ...result, finalizationRegistry, nodeProcess });
  },
};
`;

function capnpConfig(configuration: Configuration, date: string, port: number): string {
  const flags = configuration.compatibilityFlags.map((flag) => JSON.stringify(flag)).join(", ");
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
  compatibilityDate = "${configuration.compatibilityDate ?? date}",
  compatibilityFlags = [${flags}],
);
`;
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

interface SmokeReply extends SmokeResult {
  finalizationRegistry: string;
  nodeProcess: string;
}

async function smokeIn(
  bundle: SmokeBundle,
  configuration: Configuration,
  date: string,
): Promise<SmokeReply> {
  const port = await getPort({ host: "127.0.0.1" });
  const config = join(bundle.dir, "config.capnp");
  writeFileSync(join(bundle.dir, "worker.js"), WORKER);
  writeFileSync(config, capnpConfig(configuration, date, port));
  let workerd: StartedProcess | undefined;
  try {
    workerd = start([RUNTIMES.workerd, "serve", config], { cwd: bundle.dir });
    const url = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (workerd.exited()) throw new Error(`workerd exited:\n${workerd.output()}`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(SMOKE_TIMEOUT_MS) });
        const text = await response.text();
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${text}\n${workerd.output()}`);
        return JSON.parse(text) as SmokeReply;
      } catch (error) {
        const refused = (error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED";
        if (!refused || Date.now() > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await workerd?.stop();
  }
}

async function main(): Promise<number> {
  let passed = 0;
  let failed = 0;
  let bundle: SmokeBundle | undefined;
  try {
    bundle = await buildSmokeBundle();
    console.log(`${LABEL}: ${bundle.sizeLine}`);
    const date = await currentDate();
    for (const configuration of CONFIGURATIONS) {
      const name = configuration.name.replace("current date", `current date ${date}`);
      try {
        const reply = await smokeIn(bundle, configuration, date);
        console.log(
          `${LABEL}: ${name}: ${reply.passed} passed, ${reply.failed} failed (FinalizationRegistry: ${reply.finalizationRegistry}, process: ${reply.nodeProcess})`,
        );
        // The checks' names are printed by the browser smoke; here only what failed.
        for (const line of reply.lines) if (!line.startsWith("ok")) console.log(`  ${line}`);
        passed += reply.passed;
        failed += reply.failed;
        if (reply.passed === 0) failed++;
      } catch (error) {
        failed++;
        console.log(`${LABEL}: ${name}: FAILED: ${(error as Error).message}`);
      }
    }
  } finally {
    bundle?.remove();
  }
  console.log(`${LABEL}: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.log(`${LABEL}: FAILED: ${(error as Error).stack ?? error}`);
  console.log(`${LABEL}: 0 passed, 1 failed`);
  process.exitCode = 1;
}
