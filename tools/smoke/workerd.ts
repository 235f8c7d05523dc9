/**
 * workerd smoke: serves the bundled library and the shared smoke (tools/smoke/smoke.ts) from the
 * pinned npm `workerd` on a free loopback port and fetches the result, under several
 * configurations: the current compatibility date with and without Node.js compatibility, and an
 * old date (2025-05-01) without `FinalizationRegistry`. Ends with `workerd smoke: N passed, N
 * failed`. Run with Node 24: `node tools/smoke/workerd.ts`.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RUNTIMES } from "../../dev/runtimes.ts";
import { freePort, run, start, waitFor } from "../../dev/services.ts";
import { runTool } from "../_tally.ts";
import { buildSmokeBundle, type SmokeBundle } from "./_bundle.ts";
import type { SmokeResult } from "./smoke.ts";

const LABEL = "workerd smoke";
const READY_TIMEOUT_MS = 30_000;
const SMOKE_TIMEOUT_MS = 60_000;

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

const WORKER = `import * as lib from "./library.js";
import { runSmoke } from "./smoke.js";
export default {
  async fetch() {
    const result = await runSmoke(lib);
    const finalizationRegistry = typeof FinalizationRegistry;
    const nodeProcess = typeof process;
    return Response.json({ ...result, finalizationRegistry, nodeProcess });
  },
};
`;

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

async function smokeIn(bundle: SmokeBundle, configuration: Configuration, date: string) {
  const port = await freePort();
  const config = join(bundle.dir, "config.capnp");
  writeFileSync(join(bundle.dir, "worker.js"), WORKER);
  writeFileSync(config, capnpConfig(configuration, date, port));
  const workerd = start([RUNTIMES.workerd, "serve", config], { cwd: bundle.dir, group: true });
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

await runTool(LABEL, async (tally) => {
  const bundle = await buildSmokeBundle();
  try {
    console.log(`${LABEL}: ${bundle.sizeLine}`);
    const date = await currentDate();
    for (const configuration of CONFIGURATIONS) {
      const name = configuration[0].replace("current date", `current date ${date}`);
      try {
        const reply = await smokeIn(bundle, configuration, date);
        console.log(
          `${LABEL}: ${name}: ${reply.passed} passed, ${reply.failed} failed (FinalizationRegistry: ${reply.finalizationRegistry}, process: ${reply.nodeProcess})`,
        );
        for (const line of reply.lines) if (!line.startsWith("ok")) console.log(`  ${line}`);
        tally.passed += reply.passed;
        tally.failed += reply.failed + (reply.passed === 0 ? 1 : 0);
      } catch (error) {
        tally.failed++;
        console.log(`${LABEL}: ${name}: FAILED: ${(error as Error).message}`);
      }
    }
  } finally {
    bundle.remove();
  }
});
