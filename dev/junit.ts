/**
 * Reads the JUnit XML that Node, Deno and Bun test runners write, with fast-xml-parser: every
 * `<testcase>`, however deeply its suites nest, with its failure and skip.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";

/** One `<testcase>` of a JUnit report. */
export interface TestCase {
  readonly name: string;
  /** The failure's (or error's) text, when it failed. */
  readonly failure?: string;
  readonly skipped: boolean;
  readonly skipReason?: string;
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["testsuite", "testcase", "failure", "error", "skipped"].includes(name),
});

/** What a `<failure>` or `<skipped>` says: its text, else its message, else "". */
function said(node: unknown): string {
  if (typeof node !== "object" || node === null) return String(node ?? "");
  const { "#text": text, message } = node as XmlNode;
  return String(text ?? message ?? "");
}

/** Every test case of the report at `path` (none if it does not exist). */
export function readJunit(path: string): TestCase[] {
  if (!existsSync(path)) return [];
  const cases: TestCase[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node as XmlNode)) {
      if (key !== "testcase") {
        walk(value);
        continue;
      }
      for (const test of value as XmlNode[]) {
        const failure = [...(test.failure as unknown[] ?? []), ...(test.error as unknown[] ?? [])];
        const skip = (test.skipped as unknown[] | undefined)?.[0];
        cases.push({
          name: String(test.name ?? ""),
          failure: failure.length > 0 ? failure.map(said).join("\n") || "failed" : undefined,
          skipped: skip !== undefined,
          skipReason: skip === undefined ? undefined : said(skip),
        });
      }
    }
  };
  walk(parser.parse(readFileSync(path, "utf8")));
  return cases;
}
