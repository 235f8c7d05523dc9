/**
 * Bundles the library (mod.ts, minified, for browsers) and the shared smoke into a fresh temp dir
 * with `bun build`, for the browser and workerd smokes.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { RUNTIMES } from "../../dev/runtimes.ts";
import { run } from "../../dev/services.ts";

/** The built files, in `dir`; `remove()` deletes it. */
export interface SmokeBundle {
  readonly dir: string;
  /** The minified library, an ES module exporting everything mod.ts exports. */
  readonly library: string;
  /** The smoke, an ES module exporting `runSmoke(lib)`. */
  readonly smoke: string;
  /** e.g. "library bundle: 54.1 KB minified, 18.0 KB gzipped". */
  readonly sizeLine: string;
  readonly remove: () => void;
}

async function bunBuild(...args: string[]): Promise<void> {
  const command = [RUNTIMES.bun, "build", "--target=browser", "--format=esm", ...args];
  const result = await run(command, { label: "bun build", timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`bun build ${args.join(" ")} failed:\n${result.output}`);
}

/** Builds both bundles; throws (after cleaning up) if either build fails. */
export async function buildSmokeBundle(): Promise<SmokeBundle> {
  const dir = mkdtempSync(join(tmpdir(), "catga-smoke-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const library = join(dir, "library.js");
    const smoke = join(dir, "smoke.js");
    await bunBuild("mod.ts", "--minify", `--outfile=${library}`);
    await bunBuild("tools/smoke/smoke.ts", `--outfile=${smoke}`);
    const code = readFileSync(library);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    const gzipped = kb(gzipSync(code, { level: 9 }).length);
    const sizeLine = `library bundle (bun build --minify): ${
      kb(code.length)
    } minified, ${gzipped} gzipped`;
    return { dir, library, smoke, sizeLine, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
