/**
 * The one table of runtime binaries the tools run, all pinned npm
 * devDependencies (never whatever is on the machine's PATH).
 *
 * `node_modules/.bin/node` is NOT Node 24: the `node`, `node22` and `node26`
 * packages all declare a `node` bin and the last one installed wins, so each
 * Node is named by its own package directory.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT: string = join(dirname(fileURLToPath(import.meta.url)), "..");

const MODULES = join(ROOT, "node_modules");

/** A runtime binary the tools start. */
export type RuntimeName = "node24" | "node26" | "node22" | "deno" | "bun" | "workerd";

/** Every runtime binary the tools start, by name. */
export const RUNTIMES: Readonly<Record<RuntimeName, string>> = {
  /** Node 24, the runtime that runs the tools themselves. */
  node24: join(MODULES, "node", "bin", "node"),
  /** Node 26, the active LTS. */
  node26: join(MODULES, "node26", "bin", "node"),
  /** Node 22, only for the syntax smoke. */
  node22: join(MODULES, "node22", "bin", "node"),
  deno: join(MODULES, ".bin", "deno"),
  bun: join(MODULES, ".bin", "bun"),
  /** Cloudflare's workerd (the npm package replaces its JS shim with the binary). */
  workerd: join(MODULES, ".bin", "workerd"),
};
