/**
 * Bundles the library (mod.ts, minified, for browsers) and the shared smoke
 * into a fresh temp dir with `bun build`, for the browser and workerd smokes.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { RUNTIMES } from "../../dev/runtimes.ts";
import { run } from "../../dev/services.ts";

/** The built files. */
export interface SmokeBundle {
  /** The temp dir holding them; `remove()` deletes it. */
  readonly dir: string;
  /** The minified library, an ES module exporting everything mod.ts exports. */
  readonly library: string;
  /** The smoke, an ES module exporting `runSmoke(lib, options)`. */
  readonly smoke: string;
  /** The library bundle's size in bytes, minified and minified + gzipped. */
  readonly minifiedBytes: number;
  readonly gzippedBytes: number;
  /** e.g. "library bundle: 54.1 KB minified, 18.0 KB gzipped". */
  readonly sizeLine: string;
  readonly remove: () => void;
}

async function bunBuild(args: readonly string[]): Promise<void> {
  const result = await run([RUNTIMES.bun, "build", ...args], {
    label: "bun build",
    timeoutMs: 120_000,
  });
  if (result.code !== 0) throw new Error(`bun build ${args.join(" ")} failed:\n${result.output}`);
}

/** Builds both bundles; throws (after cleaning up) if either build fails. */
export async function buildSmokeBundle(): Promise<SmokeBundle> {
  const dir = mkdtempSync(join(tmpdir(), "catga-smoke-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const library = join(dir, "library.js");
    const smoke = join(dir, "smoke.js");
    await bunBuild([
      "mod.ts",
      "--target=browser",
      "--format=esm",
      "--minify",
      `--outfile=${library}`,
    ]);
    await bunBuild([
      "tools/smoke/smoke.ts",
      "--target=browser",
      "--format=esm",
      `--outfile=${smoke}`,
    ]);
    const code = readFileSync(library);
    const minifiedBytes = code.length;
    const gzippedBytes = gzipSync(code, { level: 9 }).length;
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    return {
      dir,
      library,
      smoke,
      minifiedBytes,
      gzippedBytes,
      sizeLine: `library bundle (bun build --minify): ${kb(minifiedBytes)} minified, ${
        kb(gzippedBytes)
      } gzipped`,
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}
