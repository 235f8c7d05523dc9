/**
 * Node 22 smoke: imports the library's TypeScript sources under Node 22
 * (type stripping) and runs the shared smoke, proving the library uses no
 * syntax or built-in that Node 22.18+ lacks. Ends with
 * `node22: N passed, N failed`; exits non-zero on failure.
 *
 * Run: `node_modules/node22/bin/node --experimental-strip-types tools/smoke/node22.ts`
 * (22.18+ strips types by default; the flag keeps older 22.x working).
 *
 * @module
 */
import process from "node:process";
import * as lib from "../../mod.ts";
import { runTool } from "../_tally.ts";
import { runSmoke } from "./smoke.ts";

await runTool("node22", async (tally) => {
  console.log(`node22: Node ${process.version}`);
  const result = await runSmoke(lib);
  for (const line of result.lines) console.log(line);
  Object.assign(tally, { passed: result.passed, failed: result.failed });
});
