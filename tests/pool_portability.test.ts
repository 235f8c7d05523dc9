import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScript } from "./_services.ts";

/**
 * Runs `body` in a child process of this runtime after `prelude` (which
 * removes a global before the library loads); returns its stdout and stderr.
 */
async function runWithPrelude(prelude: string, body: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "catga-pool-portability-"));
  try {
    const script = join(dir, "script.ts");
    const poolModule = new URL("../pool/mod.ts", import.meta.url).href;
    writeFileSync(
      script,
      `${prelude}
const warnings: string[] = [];
console.warn = (...args: unknown[]) => { warnings.push(args.join(" ")); };
const { MemoryPool } = await import(${JSON.stringify(poolModule)});
${body}
console.log(JSON.stringify({ warnings }));
`,
    );
    const { code, stdout, stderr } = await runScript(script);
    if (code !== 0) throw new Error(`exit code ${code}:\n${stdout}${stderr}`);
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lastJson(stdout: string): { warnings: string[] } {
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

// Two debug pools, owners and writers: everything works, and the notice comes once.
const USE_DEBUG_POOLS = `
for (let i = 0; i < 2; i++) {
  const pool = new MemoryPool({ debug: true });
  const owned = pool.rentOwned(10);
  owned.bytes.fill(1);
  owned.dispose();
  const writer = pool.rentWriter(8);
  writer.write(new Uint8Array(100));
  writer.dispose();
  const bytes = pool.rent(64);
  pool.return(bytes);
  globalThis.staleLength = bytes.length;
  if (pool.stats().outstanding !== 0) throw new Error("outstanding");
}
`;

describe("debug pools where a capability is missing", () => {
  test("without FinalizationRegistry: leak reports off, one notice, everything else works", async () => {
    const stdout = await runWithPrelude(
      "delete (globalThis as Record<string, unknown>).FinalizationRegistry;",
      `${USE_DEBUG_POOLS}
if (globalThis.staleLength !== 0) throw new Error("returned views must still be detached");`,
    );
    const { warnings } = lastJson(stdout);
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0], /cannot report leaks here \(no FinalizationRegistry\)/);
  });

  test("without ArrayBuffer.prototype.transfer: no detaching, one notice, everything else works", async () => {
    const stdout = await runWithPrelude(
      "delete (ArrayBuffer.prototype as unknown as Record<string, unknown>).transfer;",
      `${USE_DEBUG_POOLS}
if (globalThis.staleLength !== 64) throw new Error("without transfer, views stay attached");`,
    );
    const { warnings } = lastJson(stdout);
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0], /cannot detach returned buffers here/);
  });

  test("with both present there is no notice", async () => {
    const stdout = await runWithPrelude("", USE_DEBUG_POOLS);
    assert.deepEqual(lastJson(stdout).warnings, []);
  });
});
