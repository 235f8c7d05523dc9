/**
 * Checks the layering (platform <- pool <- encoding <- serializers <- messaging <- mod.ts): no
 * upward import (type-only included), no import cycle, no `export let`/`var`, no import from
 * outside the library, no `_` module imported from another folder, `messaging/` reaching the rest
 * only through public entry points; and support code (`bench/`, `tools/`, `examples/`, `tests/`,
 * `dev/`) importing only `dev/`, its own folder and the entry points (tests may also import
 * `examples/` and library internals), so no support folder imports another.
 * Ends with `layers: N passed, N failed`. Run with Node 24: `node tools/check_layers.ts`.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, normalize, relative } from "node:path";
import { ROOT } from "../dev/runtimes.ts";
import { runTool } from "./_tally.ts";

/** Layers from the bottom up; a module may import only from its own layer or below. */
const LAYERS = ["platform", "pool", "encoding", "serializers", "messaging", "mod.ts"] as const;

/** What `messaging/` may import from the other folders. */
const MESSAGING_DOORS = new Set(["pool/mod.ts", "encoding/mod.ts", "serializers/mod.ts"]);

/** The library's public entry points. */
const ENTRY_POINTS = ["mod.ts", ...MESSAGING_DOORS, "messaging/mod.ts"];
const SUPPORT = ["bench", "tools", "examples", "tests", "dev"];

/** Tests may import what they test: the examples and library internals (white-box tests). */
const TESTS_MAY_IMPORT = (to: string): boolean => to.startsWith("examples/") || layerOf(to) >= 0;
/**
 * The only other exceptions, each an exact importer and target: benches that time what no public
 * entry point exposes, and an example keyed by the platform. Anything else fails; a line whose
 * importer stops needing its target is deleted.
 */
const SUPPORT_EXCEPTIONS: readonly (readonly [from: string, to: string])[] = [
  ["bench/encoding.bench.ts", "encoding/_codec_api.ts"], // JS_API: the portable JS base64 core
  ["bench/utf8_paths.bench.ts", "encoding/_utf8_core.ts"], // times the UTF-8 loops themselves
  ["examples/app.ts", "platform/fast_paths.ts"], // the platform key its route table is keyed by
];

/** One import or re-export statement, or a dynamic import (never type-only). */
type Edge = { from: string; to: string; typeOnly: boolean; line: number };

/** The .ts files under `dirs` (results, test262 and node_modules left out), sorted. */
function tsFiles(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) =>
    dir.endsWith(".ts") ? [dir] : readdirSync(join(ROOT, dir), { recursive: true })
      .map((file) => join(dir, String(file)))
      .filter((file) => file.endsWith(".ts") && !/\/(results|test262|node_modules)\//.test(file))
  ).sort();
}

function layerOf(file: string): number {
  return LAYERS.indexOf(file.split("/")[0] as (typeof LAYERS)[number]);
}

/** May support file `from` import `to`? dev/, its own folder, an entry point or an exception. */
function supportMayImport(from: string, to: string): boolean {
  const [folder, target] = [from, to].map((path) => path.split("/")[0]);
  return target === folder || target === "dev" || ENTRY_POINTS.includes(to) ||
    (folder === "tests" && TESTS_MAY_IMPORT(to)) ||
    SUPPORT_EXCEPTIONS.some(([file, allowed]) => file === from && allowed === to);
}

/**
 * Import/export-from statements that start a line (JSDoc examples start with
 * ` * ` and are not code of this module), and dynamic imports of relative paths.
 */
const CLAUSE = String.raw`((?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?)?)`;
const STATEMENT = new RegExp(
  String.raw`^(import|export)\s+(type\s+)?` + CLAUSE +
    String.raw`\s*from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']` +
    String.raw`|\bimport\(\s*["'](\.[^"']+)["']`,
  "gm",
);

function parseImports(file: string, source: string): { edges: Edge[]; external: string[] } {
  const edges: Edge[] = [];
  const external: string[] = [];
  for (const match of source.matchAll(STATEMENT)) {
    const specifier = match[4] ?? match[5] ?? match[6];
    const line = source.slice(0, match.index).split("\n").length;
    if (!specifier.startsWith(".")) {
      external.push(`${file}:${line}: imports "${specifier}"`);
      continue;
    }
    const clause = (match[3] ?? "").trim();
    const names = /^\{([\s\S]*)\}$/.exec(clause)?.[1].split(",").map((name) => name.trim())
      .filter((name) => name !== "");
    const typeOnly = match[2] !== undefined ||
      (names !== undefined && names.length > 0 && names.every((name) => name.startsWith("type ")));
    const to = normalize(join(dirname(file), specifier));
    edges.push({ from: file, to, typeOnly, line });
  }
  return { edges, external };
}

/** Import cycles (type-only imports included), each found by a depth-first walk. */
function importCycles(files: readonly string[], edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map((file) => [file, []]));
  for (const edge of edges) next.get(edge.from)?.push(edge.to);
  const done = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string, path: string[]): void => {
    const at = path.indexOf(file);
    if (at >= 0) return void cycles.push(path.slice(at));
    if (done.has(file)) return;
    for (const to of next.get(file) ?? []) visit(to, [...path, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  return cycles;
}

/** Per rule on library imports: the imports that break it, and how each is reported. */
const EDGE_RULES: readonly [
  rule: string,
  breaks: (e: Edge) => boolean,
  says: (e: Edge) => string,
][] = [
  [
    `no upward imports (${LAYERS.join(" <- ")})`,
    (e) => layerOf(e.to) > layerOf(e.from),
    (e) =>
      `${LAYERS[layerOf(e.from)]} imports ${e.typeOnly ? "types from " : ""}${e.to} (${
        LAYERS[layerOf(e.to)]
      }, a higher layer)`,
  ],
  [
    "no imports from outside the library",
    (e) => layerOf(e.to) < 0,
    (e) => `imports ${relative(".", e.to)}, outside the library`,
  ],
  [
    "no private (_) module imported from another folder",
    (e) => basename(e.to).startsWith("_") && dirname(e.to) !== dirname(e.from),
    (e) => `imports ${e.to}, private to its folder`,
  ],
  [
    "messaging/ imports only public entry points",
    (e) =>
      e.from.startsWith("messaging/") && !e.to.startsWith("messaging/") &&
      !MESSAGING_DOORS.has(e.to),
    (e) => `imports ${e.to}; messaging/ may import only ${[...MESSAGING_DOORS].join(", ")}`,
  ],
];

await runTool("layers", (tally) => {
  const files = tsFiles(LAYERS);
  const support = tsFiles(SUPPORT.filter((dir) => existsSync(join(ROOT, dir))));
  const [outside, mutable] = [EDGE_RULES[1][0], "no export let / export var"];
  const supportRule =
    `support code (${support.length} files) imports only dev/, its own folder and entry points`;
  const problems = new Map<string, string[]>(
    [...EDGE_RULES, [mutable], [supportRule]].map(([rule]) => [rule, []]),
  );
  const edges: Edge[] = [];
  for (const file of [...files, ...support]) {
    const source = readFileSync(join(ROOT, file), "utf8");
    const parsed = parseImports(file, source);
    if (layerOf(file) < 0) {
      for (const { to, line } of parsed.edges.filter((e) => !supportMayImport(file, e.to))) {
        problems.get(supportRule)!.push(`${file}:${line}: ${file.split("/")[0]}/ imports ${to}`);
      }
      continue;
    }
    edges.push(...parsed.edges);
    problems.get(outside)!.push(...parsed.external);
    for (const match of source.matchAll(/^\s*export\s+(let|var)\b.*$/gm)) {
      const line = source.slice(0, match.index).split("\n").length;
      problems.get(mutable)!.push(`${file}:${line}: ${match[0].trim()}`);
    }
  }
  for (const [rule, breaks, says] of EDGE_RULES) {
    for (const e of edges.filter(breaks)) {
      problems.get(rule)!.push(`${e.from}:${e.line}: ${says(e)}`);
    }
  }
  const cycles = importCycles(files, edges).map((cycle) => `import cycle: ${cycle.join(" <-> ")}`);
  problems.set("no import cycles (type-only included)", cycles);
  console.log(`layers: ${files.length} modules, ${edges.length} imports`);
  for (const [rule, found] of problems) {
    tally.check(rule, found.length === 0, found.map((problem) => `\n  ${problem}`).join(""));
  }
});
