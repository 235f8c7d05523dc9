/**
 * Checks that every JSDoc example's stated results are true (like denoland/std's
 * `_tools/check_docs.ts`): in a copy of the library, each example line
 * `console.log(expr); // expected` becomes an assertion that `expr`, as Deno prints it, equals
 * `expected` (a string also matches quoted; whitespace runs compare equal); then every example
 * runs with `deno test --doc`. A comment that is prose, not a value, is listed, not failed.
 * Ends with `docs: N passed, N failed`. Run with Node 24: `node tools/check_docs.ts [file ...]`.
 *
 * @module
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { ROOT, RUNTIMES } from "../dev/runtimes.ts";
import { run } from "../dev/services.ts";
import { readJunit } from "../dev/junit.ts";
import { runTool } from "./_tally.ts";

const LIBRARY = ["mod.ts", "platform", "pool", "encoding", "serializers", "messaging"];
const TIMEOUT_MS = 10 * 60 * 1000;

/** `console.log(args); // expected` on a JSDoc line (` * ` prefix kept apart). */
const PRINTED = /^(\s*\*\s?)(\s*)console\.log\((.*)\);\s*\/\/\s?(.*?)\s*$/;
/** A comment that states a value: a literal, a bracketed structure, or `Name(n) [`-style inspect output. */
const VALUE_LIKE =
  /^(["'`\[{(]|-?\d|-?Infinity\b|NaN\b|true\b|false\b|null\b|undefined\b|[A-Z][\w$]*(\(\d+\))? ?[\[{])/;
const STRING_LITERAL = /^(["'])(?:\\.|(?!\1)[^\\])*\1$/;

/**
 * Rewrites the printed-result lines of one file's JSDoc examples in place;
 * the line count stays the same, so example line numbers still match.
 */
function rewriteFile(path: string, shownAs: string, rewrites: string[], unchecked: string[]) {
  const lines = readFileSync(path, "utf8").split("\n");
  let inExample = false;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*\*\s?\s*```/.test(line)) {
      inExample = !inExample;
      continue;
    }
    if (!inExample) continue;
    const match = PRINTED.exec(line);
    if (match === null) continue;
    const [, prefix, indent, args, comment] = match;
    const where = `${shownAs}:${i + 1}`;
    if (!VALUE_LIKE.test(comment)) {
      unchecked.push(`${where}: // ${comment}`);
      continue;
    }
    const expected = STRING_LITERAL.test(comment)
      ? `Deno.inspect(${comment})`
      : JSON.stringify(comment);
    lines[i] = `${prefix}${indent}((expected: string, where: string, ...values: unknown[]) => {` +
      ` const squash = (text: string) => text.replace(/\\s+/g, " ").trim();` +
      ` const quoted = values.map((value) => Deno.inspect(value)).join(" ");` +
      ` const printed = values.map((value) => typeof value === "string" ? value : Deno.inspect(value)).join(" ");` +
      ` if (squash(quoted) !== squash(expected) && squash(printed) !== squash(expected)) {` +
      ` throw new Error(\`\${where}: the comment says \${expected} but console.log prints \${printed}\`); }` +
      ` })(${expected}, ${JSON.stringify(where)}, ${args});`;
    rewrites.push(where);
    changed = true;
  }
  if (inExample) unchecked.push(`${shownAs}: an example fence is not closed`);
  if (changed) writeFileSync(path, lines.join("\n"));
}

await runTool("docs", async (tally) => {
  const copy = mkdtempSync(join(tmpdir(), "catga-check-docs-"));
  try {
    // The same configuration and type packages (node:assert's types) as the real tree.
    for (const config of ["deno.json", "package.json"]) {
      cpSync(join(ROOT, config), join(copy, config));
    }
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
    for (const entry of LIBRARY) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    const files = LIBRARY.flatMap((entry) =>
      entry.endsWith(".ts") ? [entry] : readdirSync(join(copy, entry), { recursive: true })
        .map((file) => join(entry, String(file))).filter((file) => file.endsWith(".ts"))
    ).map((file) => join(copy, file));
    const rewrites: string[] = [];
    const unchecked: string[] = [];
    for (const file of files.sort()) rewriteFile(file, relative(copy, file), rewrites, unchecked);

    // `node tools/check_docs.ts encoding/hex.ts` checks one file's examples.
    const targets = process.argv.length > 2 ? process.argv.slice(2) : LIBRARY;
    const junit = join(copy, "docs.xml");
    const result = await run(
      [RUNTIMES.deno, "test", "--doc", "-A", `--junit-path=${junit}`, ...targets],
      { cwd: copy, label: "deno test --doc", timeoutMs: TIMEOUT_MS },
    );
    const tests = readJunit(junit);
    const failures = tests.filter((test) => test.failure !== undefined);
    const show = (text: string) => text.split(copy + "/").join("").replace(/file:\/\//g, "");
    console.log(
      `docs: ${tests.length} examples run; ${rewrites.length} console.log results checked against their comments`,
    );
    for (const test of failures) {
      console.log(`FAIL ${show(test.name)}`);
      console.log(
        show(test.failure!).split("\n").slice(0, 8).map((line) => `  ${line}`).join("\n"),
      );
    }
    if (unchecked.length > 0) {
      console.log(`docs: ${unchecked.length} printed results are prose, not values (not checked):`);
      for (const line of unchecked) console.log(`  ${line}`);
    }
    Object.assign(tally, { passed: tests.length - failures.length, failed: failures.length });
    if (result.code !== 0 && failures.length === 0) {
      // Type errors or a crash stop `deno test` before any example runs.
      throw new Error(show(result.output).split("\n").slice(-60).join("\n"));
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
