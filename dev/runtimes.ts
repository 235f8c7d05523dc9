/**
 * The runtime binaries the tools run, all pinned npm devDependencies. Each Node is named by its
 * package directory: `node`, `node22` and `node26` all declare a `node` bin, and the last one
 * installed wins `node_modules/.bin/node`.
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
  /** Node 24 runs the tools themselves; Node 22 only the syntax smoke. */
  node24: join(MODULES, "node", "bin", "node"),
  node26: join(MODULES, "node26", "bin", "node"),
  node22: join(MODULES, "node22", "bin", "node"),
  deno: join(MODULES, ".bin", "deno"),
  bun: join(MODULES, ".bin", "bun"),
  workerd: join(MODULES, ".bin", "workerd"),
};
