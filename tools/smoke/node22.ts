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
import { runSmoke } from "./smoke.ts";

const result = await runSmoke(lib);
console.log(`node22: Node ${process.version}`);
for (const line of result.lines) console.log(line);
console.log(`node22: ${result.passed} passed, ${result.failed} failed`);
process.exitCode = result.failed === 0 ? 0 : 1;
