/**
 * Generates docs/api.md, an overview of the public API, from `deno doc --json`.
 *
 * For each entry point of deno.json's `exports` it lists every export with
 * its kind, name, summary (the first paragraph of its JSDoc) and signature.
 * The output depends only on the source: no dates, no absolute paths, and a
 * stable order (entry points as in deno.json, exports by name).
 *
 * Usage: `node tools/api-docs.ts [--check]`. With `--check` it writes nothing
 * and exits 1 when docs/api.md is out of date.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outputPath = join(root, "docs", "api.md");
const denoBinary = existsSync(join(root, "node_modules", ".bin", "deno"))
  ? join(root, "node_modules", ".bin", "deno")
  : "deno";

// A loose model of the `deno doc --json` (version 2) output: only the fields read here.
type Json = Record<string, unknown>;
interface DocTag {
  kind: string;
  name?: string;
  doc?: string;
}
interface JsDoc {
  doc?: string;
  tags?: DocTag[];
}
interface Declaration {
  kind: string;
  declarationKind?: string;
  jsDoc?: JsDoc;
  def?: Json;
}
interface DocSymbol {
  name: string;
  declarations: Declaration[];
}
interface DocFile {
  module_doc?: JsDoc;
  symbols?: DocSymbol[];
}
interface DocOutput {
  version: number;
  nodes: Record<string, DocFile>;
}

function asArray(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/** Renders a TsTypeDef back to TypeScript source, falling back to its `repr`. */
function renderType(type: unknown): string {
  if (type === undefined || type === null) return "unknown";
  const t = type as Json;
  const value = t.value as unknown;
  switch (t.kind) {
    case "keyword":
      return String(value);
    case "literal": {
      const literal = value as Json;
      if (literal.kind === "string") return JSON.stringify(literal.string);
      if (literal.kind === "number") return String(literal.number);
      if (literal.kind === "boolean") return String(literal.boolean);
      if (literal.kind === "bigInt") return `${literal.string}n`;
      return String(t.repr ?? "unknown");
    }
    case "typeRef": {
      const ref = value as Json;
      const params = asArray(ref.typeParams);
      return params.length > 0
        ? `${ref.typeName}<${params.map(renderType).join(", ")}>`
        : String(ref.typeName);
    }
    case "union":
      return asArray(value).map(renderType).join(" | ");
    case "intersection":
      return asArray(value).map(renderType).join(" & ");
    case "array": {
      const element = renderType(value);
      const kind = (value as Json | undefined)?.kind;
      const needsParens = kind === "union" || kind === "intersection" ||
        kind === "fnOrConstructor" ||
        kind === "conditional" || kind === "typeOperator";
      return needsParens ? `(${element})[]` : `${element}[]`;
    }
    case "tuple":
      return `[${asArray(value).map(renderType).join(", ")}]`;
    case "parenthesized":
      return `(${renderType(value)})`;
    case "rest":
      return `...${renderType(value)}`;
    case "optional":
      return `${renderType(value)}?`;
    case "this":
      return "this";
    case "typeOperator": {
      const op = value as Json;
      return `${op.operator} ${renderType(op.tsType)}`;
    }
    case "typeQuery":
      return `typeof ${typeof value === "string" ? value : t.repr}`;
    case "indexedAccess": {
      const access = value as Json;
      return `${renderType(access.objType)}[${renderType(access.indexType)}]`;
    }
    case "fnOrConstructor": {
      const fn = value as Json;
      // `fn.constructor` would type as Object's constructor: read the JSON field by a string key.
      const constructorKey: string = "constructor";
      const prefix = fn[constructorKey] === true ? "new " : "";
      return `${prefix}(${renderParams(fn.params)}) => ${renderType(fn.tsType)}`;
    }
    case "typeLiteral":
      return renderTypeLiteral(value as Json);
    case "typePredicate": {
      const predicate = value as Json;
      const param = predicate.param as Json | undefined;
      const name = param?.type === "this" ? "this" : String(param?.name ?? "value");
      return predicate.type ? `${name} is ${renderType(predicate.type)}` : `asserts ${name}`;
    }
    case "conditional": {
      const c = (value as Json).conditionalType as Json | undefined ?? (value as Json);
      return `${renderType(c.checkType)} extends ${renderType(c.extendsType)} ? ${
        renderType(c.trueType)
      } : ${renderType(c.falseType)}`;
    }
    default:
      return String(t.repr ?? "unknown");
  }
}

function renderTypeLiteral(literal: Json): string {
  const members: string[] = [];
  for (const property of asArray(literal.properties)) {
    const readonly = property.readonly === true ? "readonly " : "";
    const optional = property.optional === true ? "?" : "";
    members.push(`${readonly}${property.name}${optional}: ${renderType(property.tsType)}`);
  }
  for (const method of asArray(literal.methods)) {
    members.push(
      `${method.name}${renderTypeParams(method.typeParams)}(${renderParams(method.params)}): ${
        renderType(method.returnType)
      }`,
    );
  }
  for (const signature of asArray(literal.indexSignatures)) {
    members.push(`[${renderParams(signature.params)}]: ${renderType(signature.tsType)}`);
  }
  return members.length === 0 ? "{}" : `{ ${members.join("; ")} }`;
}

function renderParam(param: Json): string {
  switch (param.kind) {
    case "identifier": {
      const optional = param.optional === true ? "?" : "";
      return param.tsType
        ? `${param.name}${optional}: ${renderType(param.tsType)}`
        : `${param.name}${optional}`;
    }
    case "assign": {
      // A parameter with a default value is optional to the caller; deno doc does not render the default.
      const left = param.left as Json;
      return `${renderParam({ ...left, optional: true })}`;
    }
    case "rest": {
      const arg = param.arg as Json;
      const type = param.tsType ?? arg.tsType;
      return type ? `...${arg.name}: ${renderType(type)}` : `...${arg.name}`;
    }
    case "object":
      return param.tsType ? `{ ... }: ${renderType(param.tsType)}` : "{ ... }";
    case "array":
      return param.tsType ? `[ ... ]: ${renderType(param.tsType)}` : "[ ... ]";
    default:
      return "arg";
  }
}

function renderParams(params: unknown): string {
  return asArray(params).map(renderParam).join(", ");
}

function renderTypeParams(typeParams: unknown): string {
  const params = asArray(typeParams);
  if (params.length === 0) return "";
  return `<${
    params.map((p) => {
      const constraint = p.constraint ? ` extends ${renderType(p.constraint)}` : "";
      const fallback = p.default ? ` = ${renderType(p.default)}` : "";
      return `${p.name}${constraint}${fallback}`;
    }).join(", ")
  }>`;
}

/** JSDoc inline links (`{@link X}`, `{@linkcode X.y label}`) as code spans: Markdown has no such syntax. */
function plainLinks(text: string): string {
  return text.replace(
    /\{@link(?:code|plain)?\s+([^\s|}]+)(?:\s*\|\s*|\s+)?([^}]*)\}/g,
    (_, target: string, label: string) => `\`${label.trim() === "" ? target : label.trim()}\``,
  );
}

/** The first paragraph of a JSDoc comment, on one line. */
function summaryOf(jsDoc: JsDoc | undefined): string {
  const doc = jsDoc?.doc?.trim() ?? "";
  if (doc === "") return "";
  return plainLinks(doc.split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, " ").trim());
}

/** The first sentence of a summary, for the index tables. */
function firstSentence(summary: string): string {
  const match = /^(.+?[.!?])\s+(?=[A-Z`(])/.exec(summary);
  return match ? match[1] : summary;
}

function isDeprecated(jsDoc: JsDoc | undefined): boolean {
  return (jsDoc?.tags ?? []).some((tag) => tag.kind === "deprecated");
}

interface MemberLine {
  signature: string;
  summary: string;
}

function classMembers(def: Json): MemberLine[] {
  const lines: MemberLine[] = [];
  for (const ctor of asArray(def.constructors)) {
    if (ctor.accessibility === "private" || ctor.accessibility === "protected") continue;
    lines.push({
      signature: `constructor(${renderParams(ctor.params)})`,
      summary: summaryOf(ctor.jsDoc as JsDoc | undefined),
    });
  }
  for (const property of asArray(def.properties)) {
    if (property.accessibility === "private" || String(property.name).startsWith("#")) continue;
    const modifiers = `${property.isStatic ? "static " : ""}${
      property.readonly ? "readonly " : ""
    }`;
    const optional = property.optional === true ? "?" : "";
    lines.push({
      signature: `${modifiers}${property.name}${optional}: ${renderType(property.tsType)}`,
      summary: summaryOf(property.jsDoc as JsDoc | undefined),
    });
  }
  for (const method of asArray(def.methods)) {
    if (method.accessibility === "private" || String(method.name).startsWith("#")) continue;
    const fn = (method.functionDef ?? {}) as Json;
    const modifiers = `${method.isStatic ? "static " : ""}${method.isAbstract ? "abstract " : ""}`;
    const accessor = method.kind === "getter" ? "get " : method.kind === "setter" ? "set " : "";
    lines.push({
      signature: `${modifiers}${accessor}${method.name}${renderTypeParams(fn.typeParams)}(${
        renderParams(fn.params)
      }): ${renderType(fn.returnType)}`,
      summary: summaryOf(method.jsDoc as JsDoc | undefined),
    });
  }
  for (const signature of asArray(def.indexSignatures)) {
    lines.push({
      signature: `[${renderParams(signature.params)}]: ${renderType(signature.tsType)}`,
      summary: "",
    });
  }
  return lines;
}

function interfaceMembers(def: Json): MemberLine[] {
  const lines: MemberLine[] = [];
  for (const property of asArray(def.properties)) {
    const readonly = property.readonly === true ? "readonly " : "";
    const optional = property.optional === true ? "?" : "";
    lines.push({
      signature: `${readonly}${property.name}${optional}: ${renderType(property.tsType)}`,
      summary: summaryOf(property.jsDoc as JsDoc | undefined),
    });
  }
  for (const method of asArray(def.methods)) {
    const accessor = method.kind === "getter" ? "get " : method.kind === "setter" ? "set " : "";
    const optional = method.optional === true ? "?" : "";
    lines.push({
      signature: `${accessor}${method.name}${optional}${renderTypeParams(method.typeParams)}(${
        renderParams(method.params)
      }): ${renderType(method.returnType)}`,
      summary: summaryOf(method.jsDoc as JsDoc | undefined),
    });
  }
  for (const signature of asArray(def.callSignatures)) {
    lines.push({
      signature: `${renderTypeParams(signature.typeParams)}(${renderParams(signature.params)}): ${
        renderType(signature.tsType)
      }`,
      summary: summaryOf(signature.jsDoc as JsDoc | undefined),
    });
  }
  for (const signature of asArray(def.indexSignatures)) {
    lines.push({
      signature: `[${renderParams(signature.params)}]: ${renderType(signature.tsType)}`,
      summary: "",
    });
  }
  return lines;
}

/** The headline signature of one declaration (without its members). */
function headline(name: string, declaration: Declaration): string {
  const def = declaration.def ?? {};
  switch (declaration.kind) {
    case "function": {
      const async = def.isAsync === true ? "async " : "";
      const generator = def.isGenerator === true ? "*" : "";
      return `${async}function${generator} ${name}${renderTypeParams(def.typeParams)}(${
        renderParams(def.params)
      }): ${renderType(def.returnType)}`;
    }
    case "class": {
      const abstract = def.isAbstract === true ? "abstract " : "";
      const extendsClause = def.extends
        ? ` extends ${def.extends}${
          asArray(def.superTypeParams).length > 0
            ? `<${asArray(def.superTypeParams).map(renderType).join(", ")}>`
            : ""
        }`
        : "";
      const implementsClause = asArray(def.implements).length > 0
        ? ` implements ${asArray(def.implements).map(renderType).join(", ")}`
        : "";
      return `${abstract}class ${name}${
        renderTypeParams(def.typeParams)
      }${extendsClause}${implementsClause}`;
    }
    case "interface": {
      const extendsClause = asArray(def.extends).length > 0
        ? ` extends ${asArray(def.extends).map(renderType).join(", ")}`
        : "";
      return `interface ${name}${renderTypeParams(def.typeParams)}${extendsClause}`;
    }
    case "typeAlias":
      return `type ${name}${renderTypeParams(def.typeParams)} = ${renderType(def.tsType)}`;
    case "variable":
      return `${def.kind ?? "const"} ${name}: ${renderType(def.tsType)}`;
    case "enum":
      return `enum ${name}`;
    case "namespace":
      return `namespace ${name}`;
    default:
      return `${declaration.kind} ${name}`;
  }
}

function renderSymbol(symbol: DocSymbol): string {
  // Overloads come as several declarations; the implementation signature (hasBody) is not public.
  const declarations = symbol.declarations.filter((d) => d.declarationKind !== "private");
  const overloads = declarations.filter((d) => d.kind === "function" && d.def?.hasBody !== true);
  const shown = declarations.length > 1 && overloads.length > 0 ? overloads : declarations;
  const documented = shown.find((d) => d.jsDoc?.doc) ?? declarations.find((d) => d.jsDoc?.doc);
  const kind = shown[0]?.kind ?? "unknown";
  const out: string[] = [];
  out.push(`### \`${symbol.name}\``);
  out.push("");
  const deprecated = isDeprecated(documented?.jsDoc) ? " **Deprecated.**" : "";
  const summary = summaryOf(documented?.jsDoc);
  out.push(`*${kind}*${deprecated}${summary === "" ? "" : ` — ${summary}`}`);
  out.push("");
  out.push("```ts");
  for (const declaration of shown) {
    const head = headline(symbol.name, declaration);
    const members = declaration.kind === "class"
      ? classMembers(declaration.def ?? {})
      : declaration.kind === "interface"
      ? interfaceMembers(declaration.def ?? {})
      : [];
    if (declaration.kind === "class" || declaration.kind === "interface") {
      out.push(`${head} {`);
      for (const member of members) out.push(`  ${member.signature};`);
      out.push("}");
    } else {
      out.push(`${head};`);
    }
  }
  out.push("```");
  const memberSummaries = shown.flatMap((d) =>
    d.kind === "class"
      ? classMembers(d.def ?? {})
      : d.kind === "interface"
      ? interfaceMembers(d.def ?? {})
      : []
  ).filter((m) => m.summary !== "");
  if (memberSummaries.length > 0) {
    out.push("");
    for (const member of memberSummaries) {
      out.push(`- \`${member.signature.replace(/`/g, "'")}\` — ${member.summary}`);
    }
  }
  out.push("");
  return out.join("\n");
}

function runDenoDoc(entry: string): DocOutput {
  const stdout = execFileSync(denoBinary, ["doc", "--json", entry], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const parsed = JSON.parse(stdout) as DocOutput;
  if (typeof parsed !== "object" || parsed === null || typeof parsed.nodes !== "object") {
    throw new TypeError(
      `Cannot read deno doc output for ${entry}: unexpected format version ${parsed?.version}`,
    );
  }
  return parsed;
}

interface EntryDoc {
  specifier: string;
  path: string;
  moduleSummary: string;
  symbols: DocSymbol[];
}

function loadEntry(specifier: string, path: string): EntryDoc {
  const output = runDenoDoc(path);
  const fileUrl = new URL(path, `file://${root}/`).href;
  const file = output.nodes[fileUrl] ?? Object.values(output.nodes)[0] ?? {};
  const symbols = [...(file.symbols ?? [])]
    .filter((s) => s.declarations.some((d) => d.declarationKind !== "private"))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { specifier, path, moduleSummary: summaryOf(file.module_doc), symbols };
}

function packageName(): { name: string; exports: [string, string][] } {
  const manifest = JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as {
    name: string;
    exports: string | Record<string, string>;
  };
  const exports = typeof manifest.exports === "string"
    ? [[".", manifest.exports] as [string, string]]
    : Object.entries(manifest.exports);
  return { name: manifest.name, exports };
}

function render(): string {
  const { name, exports } = packageName();
  const entries: EntryDoc[] = [];
  for (const [specifier, path] of exports) {
    const relative = path.replace(/^\.\//, "");
    if (!existsSync(join(root, relative))) {
      throw new Error(`Cannot document ${specifier}: ${relative} does not exist`);
    }
    entries.push(loadEntry(specifier, relative));
  }
  // The root entry re-exports the subpaths; list only what it adds, so nothing is documented twice.
  const subpathNames = new Set(
    entries.filter((e) => e.specifier !== ".").flatMap((e) => e.symbols.map((s) => s.name)),
  );
  const out: string[] = [];
  out.push(`# ${name} API overview`);
  out.push("");
  out.push(
    "<!-- Generated by `node tools/api-docs.ts` from `deno doc --json`; do not edit by hand. -->",
  );
  out.push("");
  out.push(
    "A one-page overview of every public export: its kind, summary and signature. The JSDoc in the source " +
      "(also rendered on JSR) has the details, `@throws` and runnable examples.",
  );
  out.push("");
  out.push("| Import | Exports |");
  out.push("| --- | --- |");
  for (const entry of entries) {
    const importPath = entry.specifier === "."
      ? name
      : `${name}/${entry.specifier.replace(/^\.\//, "")}`;
    const anchor = `\`${importPath}\``.replace(/[^a-z0-9 -]/gi, "").replace(/ /g, "-")
      .toLowerCase();
    out.push(`| [\`${importPath}\`](#${anchor}) | ${entry.symbols.length} |`);
  }
  out.push("");
  for (const entry of entries) {
    const importPath = entry.specifier === "."
      ? name
      : `${name}/${entry.specifier.replace(/^\.\//, "")}`;
    out.push(`## \`${importPath}\``);
    out.push("");
    out.push(`Source: [\`${entry.path}\`](../${entry.path})`);
    out.push("");
    if (entry.moduleSummary !== "") {
      out.push(entry.moduleSummary);
      out.push("");
    }
    const shown = entry.specifier === "."
      ? entry.symbols.filter((s) => !subpathNames.has(s.name))
      : entry.symbols;
    if (entry.specifier === ".") {
      const reexported = entry.symbols.filter((s) => subpathNames.has(s.name)).map((s) =>
        `\`${s.name}\``
      );
      if (reexported.length > 0) {
        out.push(`Re-exports from the subpaths below: ${reexported.join(", ")}.`);
        out.push("");
      }
      if (shown.length === 0) continue;
    }
    out.push("| Name | Kind | Summary |");
    out.push("| --- | --- | --- |");
    for (const symbol of shown) {
      const declaration = symbol.declarations.find((d) => d.jsDoc?.doc) ?? symbol.declarations[0];
      out.push(
        `| \`${symbol.name}\` | ${declaration?.kind ?? ""} | ${
          firstSentence(summaryOf(declaration?.jsDoc)).replace(/\|/g, "\\|")
        } |`,
      );
    }
    out.push("");
    for (const symbol of shown) out.push(renderSymbol(symbol));
  }
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

function main(): void {
  const markdown = render();
  if (process.argv.includes("--check")) {
    const current = existsSync(outputPath) ? readFileSync(outputPath, "utf8") : "";
    if (current !== markdown) {
      console.error("docs/api.md is out of date: run `node tools/api-docs.ts`");
      process.exit(1);
    }
    console.log("docs/api.md is up to date");
    return;
  }
  mkdirSync(dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, markdown);
  console.log(`wrote docs/api.md (${markdown.length} bytes)`);
}

main();
