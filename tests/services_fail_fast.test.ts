/**
 * A server that cannot start fails within seconds and leaves nothing running: a binary that
 * exists but cannot run, one that exits at once, a port another listener holds, and a failed
 * start next to a good one (the good one is closed, so nothing keeps the test process alive).
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  liveChildren,
  MISSING_SERVERS_REASON,
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
});
