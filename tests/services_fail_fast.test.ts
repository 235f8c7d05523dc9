/**
 * A server that cannot start fails within seconds and leaves nothing running: a binary that
 * exists but cannot run, one that exits at once, a port another listener holds, and a failed
 * start next to a good one (the good one is closed, so nothing keeps the test process alive).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import {
  liveChildren,
  MISSING_SERVERS_REASON,
  NATS_SERVER_PATH,
  type ServerHandle,
  SERVERS_INSTALLED,
  startAll,
  startNats,
  startRedis,
} from "./_services.ts";

/** Well under the helpers' own 10 s readiness timeout: failing fast means not waiting for it. */
const FAST_MS = 5_000;

let dir = "";
let notExecutable = "";
let exitsAtOnce = "";

before(() => {
  dir = mkdtempSync(join(tmpdir(), "catga-fail-fast-"));
  notExecutable = join(dir, "redis-server-not-executable");
  writeFileSync(notExecutable, '#!/bin/sh\nexec redis-server "$@"\n');
  chmodSync(notExecutable, 0o644);
  exitsAtOnce = join(dir, "server-exits-at-once");
  writeFileSync(exitsAtOnce, "#!/bin/sh\necho 'simulated crash' >&2\nexit 1\n");
  chmodSync(exitsAtOnce, 0o755);
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function failsFast(start: () => Promise<ServerHandle>, message: RegExp): Promise<void> {
  const started = performance.now();
  await assert.rejects(start(), message);
  const ms = performance.now() - started;
  assert.ok(ms < FAST_MS, `failed after ${ms.toFixed(0)} ms, not within ${FAST_MS} ms`);
  assert.equal(liveChildren(), 0, "a server process was left running");
}

async function holdPort(): Promise<Server> {
  const holder = createServer(() => {});
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  return holder;
}

const port = (server: Server) => (server.address() as { port: number }).port;

describe("service helpers fail fast", () => {
  test("a binary that exists but cannot run", async () => {
    await failsFast(() => startRedis({ binary: notExecutable }), /Cannot start redis.*EACCES/);
    await failsFast(() => startNats({ binary: notExecutable }), /Cannot start nats.*EACCES/);
  });

  test("a binary that exits at once", async () => {
    await failsFast(() => startRedis({ binary: exitsAtOnce }), /exited \(code 1\).*simulated/s);
    await failsFast(() => startNats({ binary: exitsAtOnce }), /exited \(code 1\).*simulated/s);
  });

  test("a missing binary", async () => {
    await failsFast(() => startRedis({ binary: join(dir, "absent") }), /ENOENT/);
  });

  describe("with the servers installed", {
    skip: SERVERS_INSTALLED ? false : MISSING_SERVERS_REASON,
  }, () => {
    test("a port another listener holds", async () => {
      const holder = await holdPort();
      try {
        await failsFast(() => startRedis({ port: port(holder) }), /Cannot start redis.*exited/s);
        await failsFast(() => startNats({ port: port(holder) }), /Cannot start nats.*exited/s);
      } finally {
        holder.close();
      }
    });

    test("a failed start closes the servers started beside it", async () => {
      await failsFast(
        () => startAll([startRedis({ binary: notExecutable }), startNats()]).then(([a]) => a),
        /Cannot start redis.*EACCES/,
      );
    });
  });

  describe(
    "the messaging suite",
    { skip: SERVERS_INSTALLED ? false : MISSING_SERVERS_REASON },
    () => {
      test("with a redis-server that cannot run, it fails in seconds and leaves no server", async () => {
        // nats-server starts through a wrapper that records its pid, so the test can see it is gone.
        const pids = join(dir, "nats.pids");
        const natsWrapper = join(dir, "nats-server-recorded");
        writeFileSync(
          natsWrapper,
          `#!/bin/sh\necho $$ >> ${pids}\nexec ${NATS_SERVER_PATH} "$@"\n`,
        );
        chmodSync(natsWrapper, 0o755);
        const suite = fileURLToPath(new URL("./messaging.test.ts", import.meta.url));
        const g = globalThis as { Deno?: unknown; Bun?: unknown };
        const args = g.Deno ? ["test", "-A", suite] : g.Bun ? ["test", suite] : ["--test", suite];
        // Without NODE_TEST_CONTEXT, an inner `node --test` runs as a run of its own.
        const { NODE_TEST_CONTEXT: _, ...env } = process.env;
        const child = spawn(process.execPath, args, {
          env: {
            ...env,
            CATGA_REDIS_SERVER: notExecutable,
            CATGA_NATS_SERVER: natsWrapper,
          },
          stdio: ["ignore", "pipe", "pipe"],
          detached: true, // its own process group: a hung run is killed with the runner's children
        });
        let output = "";
        child.stdout?.on("data", (chunk) => (output += chunk));
        child.stderr?.on("data", (chunk) => (output += chunk));
        const started = performance.now();
        const code = await new Promise<number | null>((resolve) => {
          const timer = setTimeout(() => {
            try {
              process.kill(-child.pid!, "SIGKILL");
            } catch {
              child.kill("SIGKILL");
            }
          }, 60_000);
          child.once("exit", (exitCode) => {
            clearTimeout(timer);
            resolve(exitCode);
          });
        });
        const seconds = (performance.now() - started) / 1000;
        assert.notEqual(
          code,
          0,
          `the suite passed with a redis-server that cannot run:\n${output}`,
        );
        assert.notEqual(code, null, `the suite hung: killed after ${seconds.toFixed(0)} s`);
        const recorded = existsSync(pids) ? readFileSync(pids, "utf8").trim().split("\n") : [];
        for (const pid of recorded.filter((line) => line !== "").map(Number)) {
          assert.throws(() => process.kill(pid, 0), /ESRCH/, `nats-server ${pid} is still running`);
        }
      });
    },
  );
});
