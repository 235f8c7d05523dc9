/**
 * The closing line every tool ends with, which tools/test.ts counts: `<label>: N passed, N failed`.
 * A tool runs its body through {@linkcode runTool}; a throw counts as one more failure.
 *
 * @module
 */
import process from "node:process";

/** A tool's running counts. */
export class Tally {
  passed = 0;
  failed = 0;

  /** Counts one check and prints `ok  <name>` or `FAIL <name>: <detail>`. */
  check(name: string, ok: boolean, detail = ""): boolean {
    if (ok) this.passed++;
    else this.failed++;
    console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail === "" ? "" : `: ${detail}`}`);
    return ok;
  }
}

/** Runs `body`, prints the closing line; the exit code is 1 unless all passed (and some did). */
export async function runTool(label: string, body: (tally: Tally) => unknown): Promise<void> {
  const tally = new Tally();
  try {
    await body(tally);
  } catch (error) {
    tally.failed++;
    console.log(`${label}: FAILED: ${(error as Error)?.stack ?? error}`);
  }
  console.log(`${label}: ${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.passed > 0 && tally.failed === 0 ? 0 : 1;
}
