/**
 * Checks that every JSDoc example's stated results are true, like denoland/std's
 * `_tools/check_docs.ts`: a copy of the library is made in which each example
 * line of the form
 *
 *     console.log(expr); // expected
 *
 * becomes an assertion that `expr`, formatted as Deno prints it
 * (`Deno.inspect`, arguments joined by spaces), equals `expected`; then every
 * example in the copy runs with `deno test --doc`. Examples that assert with
 * `node:assert` run unchanged. A comment that is prose rather than a value
 * (`// the payload as base64`) cannot be checked: it is listed, not failed.
 *
 * A string result matches either as printed (`hello`) or quoted as Deno
 * shows it (`"hello"`); a quoted comment may use JS escapes (`"h\uFFFDi"`).
 * Whitespace runs compare equal, so a long result may wrap.
 *
 * Ends with `docs: N passed, N failed` (one per example); exits non-zero if
 * an example fails or a comment disagrees with what its line prints.
 * Run with Node 24: `node tools/check_docs.ts [file ...]`.
 *
 * @module
 */
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { ROOT, RUNTIMES } from "../dev/runtimes.ts";
import { run } from "../dev/services.ts";
import { readJunit } from "../dev/junit.ts";

const LIBRARY = ["mod.ts", "platform", "pool", "encoding", "serializers", "messaging"];
const TIMEOUT_MS = 10 * 60 * 1000;

/** `console.log(args); // expected` on a JSDoc line (` * ` prefix kept apart). */
const PRINTED = /^(\s*\*\s?)(\s*)console\.log\((.*)\);\s*\/\/\s?(.*?)\s*$/;
/** A comment that states a value: a literal, a bracketed structure, or `Name(n) [`-style inspect output. */
const VALUE_LIKE =
  /^(["'`\[{(]|-?\d|-?Infinity\b|NaN\b|true\b|false\b|null\b|undefined\b|[A-Z][\w$]*(\(\d+\))? ?[\[{])/;
const STRING_LITERAL = /^(["'])(?:\\.|(?!\1)[^\\])*\1$/;

/** Where a rewritten line came from, and what it claimed. */
interface Rewrite {
  readonly where: string;
  readonly expected: string;
}

function walk(dir: string, files: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, files);
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
}

/**
 * Rewrites the printed-result lines of one file's JSDoc examples in place;
 * the line count stays the same, so example line numbers still match.
 */
function rewriteFile(
  path: string,
  shownAs: string,
  rewrites: Rewrite[],
  unchecked: string[],
): void {
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
    rewrites.push({ where, expected: comment });
    changed = true;
  }
  if (inExample) unchecked.push(`${shownAs}: an example fence is not closed`);
  if (changed) writeFileSync(path, lines.join("\n"));
}

async function main(): Promise<number> {
  const copy = mkdtempSync(join(tmpdir(), "catga-check-docs-"));
  try {
    // The same configuration and type packages (node:assert's types) as the real tree.
    for (const config of ["deno.json", "package.json"]) {
      cpSync(join(ROOT, config), join(copy, config));
    }
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
    const files: string[] = [];
    for (const entry of LIBRARY) {
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      if (entry.endsWith(".ts")) files.push(join(copy, entry));
      else walk(join(copy, entry), files);
    }
    const rewrites: Rewrite[] = [];
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
    let failed = failures.length;
    if (result.code !== 0 && failed === 0) {
      // Type errors or a crash stop `deno test` before any example runs.
      console.log(show(result.output).split("\n").slice(-60).join("\n"));
      failed = 1;
    }
    console.log(`docs: ${tests.length - failures.length} passed, ${failed} failed`);
    return failed === 0 && tests.length > 0 ? 0 : 1;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

process.exitCode = await main();
