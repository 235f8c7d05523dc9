/**
 * Writes docs/PERFORMANCE-REPORT.md and the SVG charts in docs/img/ from the
 * raw results in bench/results/*.json, without rerunning anything.
 *
 * Usage: `node tools/report.ts`. Missing result files are reported as "not
 * measured"; nothing here depends on the clock, so the same JSON always gives
 * the same report.
 *
 * Result files are `<bench>.<runtime>.json` as written by bench/_harness.ts:
 * `{ runtime: { name, version, cpu }, date, benchmarks: [{ group, name, avgNs,
 * p50Ns, p99Ns, minNs, maxNs }], extras }`. A bench can name its own entries
 * with `extras.ours: string[]` (benchmark names); otherwise names are
 * classified by the patterns below.
 *
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = join(root, "bench", "results");
const docsDir = join(root, "docs");
const imgDir = join(docsDir, "img");
const reportPath = join(docsDir, "PERFORMANCE-REPORT.md");

const RUNTIMES = ["node", "deno", "bun"] as const;
type Runtime = typeof RUNTIMES[number];
const RUNTIME_LABEL: Record<Runtime, string> = { node: "Node", deno: "Deno", bun: "Bun" };
const RUNTIME_COLOR: Record<Runtime, string> = { node: "#3f873f", deno: "#3b5bdb", bun: "#c2410c" };

// ---------------------------------------------------------------- loading

interface BenchRecord {
  group: string;
  name: string;
  avgNs: number;
  p50Ns: number;
  p99Ns: number;
  minNs: number;
  maxNs: number;
}

interface ResultFile {
  bench: string;
  runtime: Runtime;
  version: string;
  cpu: string;
  date: string;
  benchmarks: BenchRecord[];
  extras: Record<string, unknown>;
}

function loadResults(): { files: ResultFile[]; problems: string[] } {
  const files: ResultFile[] = [];
  const problems: string[] = [];
  if (!existsSync(resultsDir)) return { files, problems };
  for (const entry of readdirSync(resultsDir).sort()) {
    const match = /^(.+)\.(node|deno|bun)\.json$/.exec(entry);
    if (!match) continue;
    try {
      const raw = JSON.parse(readFileSync(join(resultsDir, entry), "utf8")) as Record<
        string,
        unknown
      >;
      const runtimeField = raw.runtime as Record<string, unknown> | string | undefined;
      // The harness writes { name, version, cpu }; bench/load.ts writes "bun 1.4.5".
      const info: Record<string, unknown> =
        typeof runtimeField === "object" && runtimeField !== null
          ? runtimeField
          : { version: /(\d+\.\d+\.\d+\S*)/.exec(String(runtimeField ?? ""))?.[1] };
      // Files not written by the harness keep their data at the top level: treat it as extras.
      const topLevel = Object.fromEntries(
        Object.entries(raw).filter(([k]) =>
          !["runtime", "date", "cpu", "version", "benchmarks", "extras"].includes(k)
        ),
      );
      files.push({
        bench: match[1],
        runtime: match[2] as Runtime,
        version: String(info.version ?? raw.version ?? "unknown"),
        cpu: String(info.cpu ?? raw.cpu ?? "unknown"),
        date: String(raw.date ?? ""),
        benchmarks: Array.isArray(raw.benchmarks)
          ? (raw.benchmarks as BenchRecord[]).filter((b) => typeof b?.avgNs === "number")
          : [],
        extras: {
          ...topLevel,
          ...(typeof raw.extras === "object" && raw.extras !== null
            ? raw.extras as Record<string, unknown>
            : {}),
        },
      });
    } catch (error) {
      problems.push(`bench/results/${entry}: ${(error as Error).message}`);
    }
  }
  return { files, problems };
}

// ---------------------------------------------------------------- classification

// Peers first: a name mentioning a peer is never ours ("Buffer", "msgpackr", "new Uint8Array", ...).
const PEER_PATTERN =
  /msgpackr|@msgpack|msgpack\/msgpack|base64-js|js-base64|buffer|native|textencoder|textdecoder|new uint8array|json\.(stringify|parse)|naive|tobase64|frombase64|setfrombase64|encodeinto|\batob\b|\bbtoa\b|response\.json|baseline|allocat/i;
const OURS_PATTERN =
  /ours|catga|pool|rent|writer|serializeTo|serializePooled|serialize|deserialize|JsonSerializer|MsgPack|encodeBase64|decodeBase64|writeBase64|encodeUtf8|decodeUtf8|writeUtf8|utf8ByteLength|encodeHex|decodeHex|pure-js|\bjs core\b/i;

function isOurs(name: string, declared: readonly string[] | undefined): boolean {
  if (declared && declared.length > 0) return declared.includes(name);
  if (/^ours\b/i.test(name)) return true;
  if (PEER_PATTERN.test(name)) return false;
  return OURS_PATTERN.test(name);
}

function declaredOurs(file: ResultFile): string[] | undefined {
  const ours = file.extras.ours;
  return Array.isArray(ours) ? ours.map(String) : undefined;
}

interface Area {
  id: string;
  title: string;
  /** Which bench files feed it, and which of their groups. */
  select: (bench: string, group: string) => boolean;
  chart: boolean;
}

const ENCODING_BENCH = /^(encoding|base64|utf-?8|hex)/i;

/** Which encoding area a bench group belongs to: by the file name first, then by the group name. */
function encodingArea(bench: string, group: string): "base64" | "utf8" {
  if (/utf-?8/i.test(bench)) return "utf8";
  if (/base64|hex/i.test(bench)) return "base64";
  if (/base64|hex/i.test(group)) return "base64";
  if (/utf-?8|textencoder|textdecoder|chars/i.test(group)) return "utf8";
  return "base64";
}

const AREAS: Area[] = [
  {
    id: "pool",
    title: "Pool: rent + return vs allocation",
    select: (b) => b === "pool",
    chart: true,
  },
  {
    id: "base64",
    title: "Base64",
    select: (b, g) => ENCODING_BENCH.test(b) && encodingArea(b, g) === "base64",
    chart: true,
  },
  {
    id: "utf8",
    title: "UTF-8",
    select: (b, g) => ENCODING_BENCH.test(b) && encodingArea(b, g) === "utf8",
    chart: true,
  },
  {
    id: "serializers",
    title: "Serializers: JSON and MessagePack",
    select: (b) => /^(serializers|json|msgpack)/i.test(b),
    chart: true,
  },
  {
    id: "scenario",
    title: "The seed scenario: naive vs pooled, end to end",
    select: (b) => b === "scenario",
    chart: true,
  },
  { id: "load", title: "HTTP load (autocannon)", select: (b) => /^load/.test(b), chart: false },
];

function isKnownBench(bench: string): boolean {
  return AREAS.some((area) => area.select(bench, "")) || ENCODING_BENCH.test(bench);
}

// ---------------------------------------------------------------- formatting

function fmtNs(ns: number): string {
  if (!Number.isFinite(ns)) return "n/a";
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  if (ns >= 100) return `${ns.toFixed(0)} ns`;
  return `${ns.toFixed(1)} ns`;
}

function fmtRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return "n/a";
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)} M/s`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(1)} k/s`;
  return `${perSec.toFixed(0)}/s`;
}

function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "n/a";
  if (Math.abs(bytes) >= 1048576) return `${(bytes / 1048576).toFixed(1)} MiB`;
  if (Math.abs(bytes) >= 10240) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

function fmtX(ratio: number): string {
  // Never round a loss up to "1.00×".
  if (ratio < 1 && ratio >= 0.995) return `${ratio.toFixed(3)}×`;
  return ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

function fmtValue(value: unknown): string {
  if (value === null || value === undefined) return "n/a";
  if (typeof value === "number") {
    if (Number.isInteger(value)) return value.toLocaleString("en-US");
    return Math.abs(value) >= 100
      ? value.toFixed(0)
      : Math.abs(value) >= 1
      ? value.toFixed(2)
      : value.toPrecision(3);
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Right-align a column when most of its cells are figures. */
function isNumericColumn(rows: string[][], index: number): boolean {
  const cells = rows.map((r) => r[index] ?? "").filter((c) =>
    c !== "" && c !== "—" && c !== "n/a" && !c.startsWith("ours")
  );
  const numeric = cells.filter((c) => /^(\*\*)?[-+]?[\d.,]+/.test(c) || /^(✅|❌) /.test(c)).length;
  return cells.length > 0 && numeric * 2 >= cells.length;
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.map(cell).join(" | ")} |`,
    `| ${header.map((_, i) => (i > 0 && isNumericColumn(rows, i) ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

// ---------------------------------------------------------------- comparison tables

interface MergedGroup {
  name: string;
  benchNames: string[];
  byRuntime: Map<Runtime, Map<string, BenchRecord>>;
  ours: Map<Runtime, Set<string>>;
}

function mergeGroups(files: ResultFile[], area: Area): MergedGroup[] {
  const groups = new Map<string, MergedGroup>();
  for (const file of files) {
    const declared = declaredOurs(file);
    for (const record of file.benchmarks) {
      if (!area.select(file.bench, record.group)) continue;
      const key = record.group === "" ? `${file.bench}` : record.group;
      let group = groups.get(key);
      if (!group) {
        group = { name: key, benchNames: [], byRuntime: new Map(), ours: new Map() };
        groups.set(key, group);
      }
      if (!group.benchNames.includes(record.name)) group.benchNames.push(record.name);
      if (!group.byRuntime.has(file.runtime)) group.byRuntime.set(file.runtime, new Map());
      group.byRuntime.get(file.runtime)!.set(record.name, record);
      if (!group.ours.has(file.runtime)) group.ours.set(file.runtime, new Set());
      if (isOurs(record.name, declared)) group.ours.get(file.runtime)!.add(record.name);
    }
  }
  return [...groups.values()];
}

/** Our fastest entry of a group in one runtime, if the group has one. */
function bestOurs(
  group: MergedGroup,
  runtime: Runtime,
  peerName?: string,
): BenchRecord | undefined {
  const records = group.byRuntime.get(runtime);
  const ours = group.ours.get(runtime);
  if (!records || !ours) return undefined;
  // A group may hold both directions (encode and decode): compare a peer with ours of its direction.
  const direction = peerName === undefined ? "" : directionOf(peerName);
  const sameDirection = [...ours].some((name) => directionOf(name) === direction);
  let best: BenchRecord | undefined;
  for (const name of ours) {
    if (sameDirection && direction !== "" && directionOf(name) !== direction) continue;
    const record = records.get(name);
    if (record && (!best || record.avgNs < best.avgNs)) best = record;
  }
  return best;
}

/** "decode", "encode" or "" (unknown), from a benchmark name. */
function directionOf(name: string): string {
  if (/decode|textdecoder|fromcharcode|unpack|deserialize|parse/i.test(name)) return "decode";
  if (/encode|textencoder|charcodeat|pack|serialize|stringify/i.test(name)) return "encode";
  return "";
}

interface Miss {
  area: string;
  group: string;
  peer: string;
  runtime: Runtime;
  ratio: number;
}

function groupTable(group: MergedGroup, areaTitle: string, misses: Miss[]): string[] {
  const runtimes = RUNTIMES.filter((r) => group.byRuntime.has(r));
  const header = [
    "benchmark",
    ...RUNTIMES.map((r) => `${RUNTIME_LABEL[r]} avg (p99)`),
    ...RUNTIMES.map((r) => `${RUNTIME_LABEL[r]} ours vs it`),
  ];
  const rows: string[][] = [];
  for (const name of group.benchNames) {
    const isOursAnywhere = RUNTIMES.some((r) => group.ours.get(r)?.has(name));
    const timeCells = RUNTIMES.map((r) => {
      const record = group.byRuntime.get(r)?.get(name);
      return record ? `${fmtNs(record.avgNs)} (${fmtNs(record.p99Ns)})` : "not measured";
    });
    const ratioCells = RUNTIMES.map((r) => {
      const record = group.byRuntime.get(r)?.get(name);
      const ours = bestOurs(group, r, name);
      if (!record || !ours) return "—";
      if (group.ours.get(r)?.has(name)) {
        return record === ours ? "ours (best)" : `ours, ${fmtX(record.avgNs / ours.avgNs)}`;
      }
      const ratio = record.avgNs / ours.avgNs;
      if (ratio < 1) {
        misses.push({ area: areaTitle, group: group.name, peer: name, runtime: r, ratio });
      }
      return ratio < 1 ? `**${fmtX(ratio)}** (slower)` : fmtX(ratio);
    });
    rows.push([isOursAnywhere ? `**${name}**` : name, ...timeCells, ...ratioCells]);
  }
  const out = [`##### ${group.name}`, ""];
  if (runtimes.length === 0) return [...out, "Not measured.", ""];
  return [...out, ...table(header, rows), ""];
}

// ---------------------------------------------------------------- targets from the issues

/** A target stated in the issues, checked on every group whose name matches. */
interface TargetSpec {
  area: string;
  what: string;
  group: RegExp;
  /** Our entries to compare (the fastest counts); `null` = whatever is classified as ours. */
  ours: RegExp | null;
  /** The peers to compare against (the fastest counts). Unused for "gbps". */
  peer: RegExp;
  /** The least acceptable value per runtime; a missing runtime has no target. */
  min: Partial<Record<Runtime, number>>;
  /** "speedup" (peer time / our time, the default) or "gbps" (bytes per ns of our entry). */
  kind?: "speedup" | "gbps";
  bytes?: number;
}

const ALL = (x: number): Record<Runtime, number> => ({ node: x, deno: x, bun: x });

const TARGETS: TargetSpec[] = [
  {
    area: "pool",
    what: "rent+return vs new Uint8Array",
    group: /rent\+return 4 KiB/i,
    ours: /rent/i,
    peer: /new Uint8Array/i,
    min: { node: 10, deno: 10, bun: 5 },
  },
  {
    area: "pool",
    what: "rent+return vs new Uint8Array",
    group: /rent\+return 256 B/i,
    ours: /rent/i,
    peer: /new Uint8Array/i,
    min: { node: 10, deno: 10, bun: 1 },
  },
  {
    area: "base64",
    what: "public API vs the fastest native API",
    group: /^base64 (encode to string|decode to bytes|decode into buffer)/i,
    ours: /^ours (?!.*\(js\))/i,
    peer: /buffer|native|tobase64|frombase64|setfrombase64/i,
    min: ALL(0.9),
  },
  {
    area: "base64",
    what: "pure-JS core encodes into bytes, GB/s",
    group: /^base64 encode into bytes 64 KiB/i,
    ours: /\(js\)/i,
    peer: /$^/,
    min: { node: 2 },
    kind: "gbps",
    bytes: 65536,
  },
  {
    area: "base64",
    what: "pure-JS core decodes, GB/s of output",
    group: /^base64 decode into buffer 64 KiB/i,
    ours: /\(js\)/i,
    peer: /$^/,
    min: { node: 1 },
    kind: "gbps",
    bytes: 65536,
  },
  {
    area: "base64",
    what: "pure-JS core vs base64-js",
    group: /^base64 (encode to string|decode to bytes) 64 KiB/i,
    ours: /\(js\)/i,
    peer: /base64-js/i,
    min: { node: 3 },
  },
  {
    area: "utf8",
    what: "ours vs the better of the native API and a plain JS loop",
    group: /.*/,
    ours: null,
    peer: /textencoder|textdecoder|encodeinto|buffer|js .*loop/i,
    min: ALL(0.9),
  },
  {
    area: "serializers",
    what: "JSON pooled vs TextEncoder.encode(JSON.stringify)",
    group: /^json encode small/i,
    ours: /JsonSerializer/,
    peer: /TextEncoder/i,
    min: { node: 2, deno: 2, bun: 1 },
  },
  {
    area: "serializers",
    what: "JSON pooled vs TextEncoder.encode(JSON.stringify)",
    group: /^json encode (medium|large)/i,
    ours: /JsonSerializer/,
    peer: /TextEncoder/i,
    min: ALL(1.2),
  },
  {
    area: "serializers",
    what: "MessagePack vs msgpackr",
    group: /^msgpack (encode|decode)/i,
    ours: /MsgPackSerializer/,
    peer: /msgpackr/i,
    min: ALL(1),
  },
  {
    area: "serializers",
    what: "MessagePack vs @msgpack/msgpack",
    group: /^msgpack (encode|decode)/i,
    ours: /MsgPackSerializer/,
    peer: /@msgpack\/msgpack/i,
    min: ALL(2),
  },
];

interface TargetRow {
  area: string;
  what: string;
  group: string;
  cells: string[];
  met: number;
  missed: number;
  missedRuntimes: string[];
}

function fastest(
  records: Map<string, BenchRecord> | undefined,
  accept: (name: string) => boolean,
): BenchRecord | undefined {
  let best: BenchRecord | undefined;
  for (const [name, record] of records ?? []) {
    if (accept(name) && (!best || record.avgNs < best.avgNs)) best = record;
  }
  return best;
}

function checkTargets(areaId: string, groups: MergedGroup[]): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const spec of TARGETS.filter((t) => t.area === areaId)) {
    for (const group of groups.filter((g) => spec.group.test(g.name))) {
      let met = 0;
      let missed = 0;
      const missedRuntimes: string[] = [];
      let relevant = false;
      const cells = RUNTIMES.map((runtime) => {
        const min = spec.min[runtime];
        if (min === undefined) return "no target";
        const records = group.byRuntime.get(runtime);
        if (!records) return "not measured";
        const isOursHere = (name: string): boolean =>
          spec.ours ? spec.ours.test(name) : group.ours.get(runtime)?.has(name) ?? false;
        let value: number;
        let text: string;
        if (spec.kind === "gbps") {
          const ours = fastest(records, isOursHere);
          if (!ours) return "not measured";
          value = (spec.bytes ?? 0) / ours.avgNs;
          text = `${value.toFixed(2)} GB/s`;
        } else {
          // Per direction (a group may hold encode and decode), the fastest peer against our fastest; the worst counts.
          let worst: { value: number; text: string } | undefined;
          for (const direction of ["encode", "decode", ""]) {
            const peer = fastest(
              records,
              (name) =>
                spec.peer.test(name) && !(group.ours.get(runtime)?.has(name)) &&
                directionOf(name) === direction,
            );
            if (!peer) continue;
            const sameDirection = fastest(
              records,
              (name) => isOursHere(name) && directionOf(name) === direction,
            );
            const ours = sameDirection ?? fastest(records, isOursHere);
            if (!ours) continue;
            const ratio = peer.avgNs / ours.avgNs;
            if (!worst || ratio < worst.value) {
              worst = { value: ratio, text: `${fmtX(ratio)} vs ${peer.name}` };
            }
          }
          if (!worst) return "not measured";
          value = worst.value;
          text = worst.text;
        }
        relevant = true;
        if (value >= min) {
          met++;
          return `✅ ${text}`;
        }
        missed++;
        missedRuntimes.push(RUNTIME_LABEL[runtime]);
        return `❌ ${text}`;
      });
      if (!relevant && spec.ours === null) continue; // a catch-all spec applies only where it found a pair
      const goal = RUNTIMES.map((r) => spec.min[r]).filter((m) => m !== undefined);
      const same = goal.every((m) => m === goal[0]);
      const goalText = spec.kind === "gbps"
        ? `≥ ${goal[0]} GB/s`
        : same
        ? `≥ ${goal[0]}×`
        : RUNTIMES.filter((r) => spec.min[r] !== undefined).map((r) =>
          `${RUNTIME_LABEL[r]} ≥ ${spec.min[r]}×`
        ).join(
          ", ",
        );
      rows.push({
        area: areaId,
        what: `${spec.what} (${goalText})`,
        group: group.name,
        cells,
        met,
        missed,
        missedRuntimes,
      });
    }
  }
  return rows;
}

function targetTable(rows: TargetRow[]): string[] {
  if (rows.length === 0) return [];
  return [
    "#### Targets",
    "",
    ...table(
      ["target", "group", ...RUNTIMES.map((r) => RUNTIME_LABEL[r])],
      rows.map((r) => [r.what, r.group, ...r.cells]),
    ),
    "",
  ];
}

// ---------------------------------------------------------------- charts

interface Bar {
  label: string;
  runtime: Runtime;
  value: number;
  text: string;
  ours: boolean;
}

interface ChartGroup {
  title: string;
  bars: Bar[];
}

/** A horizontal bar chart; each group is scaled to its own largest value, since groups differ by orders of magnitude. */
function barChart(title: string, subtitle: string, groups: ChartGroup[]): string {
  const width = 860;
  const labelWidth = 300;
  const tagWidth = 48;
  const barMax = 380;
  const rowHeight = 15;
  const lines: string[] = [];
  let y = 52;
  for (const group of groups) {
    if (group.bars.length === 0) continue;
    lines.push(
      `<text x="12" y="${y + 12}" font-weight="bold" font-size="13">${
        xml(truncate(group.title, 90))
      }</text>`,
    );
    y += 20;
    const max = Math.max(...group.bars.map((b) => b.value), Number.MIN_VALUE);
    let previousLabel = "";
    for (const bar of group.bars) {
      if (bar.label !== previousLabel) {
        if (previousLabel !== "") y += 4;
        lines.push(
          `<text x="${labelWidth - 8}" y="${y + 11}" text-anchor="end"${
            bar.ours ? ' font-weight="bold"' : ""
          }>${xml(truncate(bar.label, 44))}</text>`,
        );
        previousLabel = bar.label;
      }
      const length = Math.max(1, Math.round((bar.value / max) * barMax));
      lines.push(
        `<text x="${labelWidth}" y="${y + 11}" fill="#555" font-size="10">${
          RUNTIME_LABEL[bar.runtime]
        }</text>`,
        `<rect x="${labelWidth + tagWidth}" y="${y + 2}" width="${length}" height="${
          rowHeight - 4
        }" fill="${RUNTIME_COLOR[bar.runtime]}"${bar.ours ? "" : ' fill-opacity="0.45"'}/>`,
        `<text x="${labelWidth + tagWidth + length + 6}" y="${y + 11}" font-size="10">${
          xml(bar.text)
        }</text>`,
      );
      y += rowHeight;
    }
    y += 14;
  }
  if (lines.length === 0) {
    lines.push(`<text x="12" y="${y + 12}">Not measured.</text>`);
    y += 24;
  }
  const legend = RUNTIMES.map((r, i) =>
    `<rect x="${12 + i * 90}" y="${y + 4}" width="12" height="12" fill="${
      RUNTIME_COLOR[r]
    }"/><text x="${30 + i * 90}" y="${y + 14}">${RUNTIME_LABEL[r]}</text>`
  ).join("");
  const height = y + 44;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="16" font-weight="bold">${xml(title)}</text>`,
    `<text x="12" y="40" fill="#555">${xml(subtitle)}</text>`,
    ...lines,
    legend,
    `<text x="${12 + 3 * 90}" y="${
      y + 14
    }" fill="#555">bold, solid = @catga/memory; faded = peer</text>`,
    `</svg>`,
    "",
  ].join("\n");
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function comparisonChart(area: Area, groups: MergedGroup[]): string {
  const chartGroups: ChartGroup[] = groups.map((group) => {
    const bars: Bar[] = [];
    for (const name of group.benchNames) {
      for (const runtime of RUNTIMES) {
        const record = group.byRuntime.get(runtime)?.get(name);
        if (!record) continue;
        bars.push({
          label: name,
          runtime,
          value: 1e9 / record.avgNs,
          text: `${fmtRate(1e9 / record.avgNs)} (${fmtNs(record.avgNs)})`,
          ours: group.ours.get(runtime)?.has(name) ?? false,
        });
      }
    }
    return { title: group.name, bars };
  });
  return barChart(
    `@catga/memory: ${area.title}`,
    "ops per second (longer is faster); each group scaled to its fastest entry",
    chartGroups,
  );
}

// ---------------------------------------------------------------- extras (anything a bench measured besides timings)

function renderExtras(value: unknown, depth: number): string[] {
  if (Array.isArray(value)) {
    const objects = value.filter((v) =>
      typeof v === "object" && v !== null && !Array.isArray(v)
    ) as Record<
      string,
      unknown
    >[];
    if (objects.length === value.length && objects.length > 0) {
      const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
      return [...table(keys, objects.map((o) => keys.map((k) => fmtValue(o[k])))), ""];
    }
    return [`${value.map(fmtValue).join(", ")}`, ""];
  }
  if (typeof value === "object" && value !== null) {
    const out: string[] = [];
    const scalars: string[] = [];
    for (const [key, inner] of Object.entries(value)) {
      if (typeof inner === "object" && inner !== null && depth < 3) {
        out.push(
          `${"  ".repeat(depth)}**${key}**`.trimStart(),
          "",
          ...renderExtras(inner, depth + 1),
        );
      } else {
        scalars.push(`- ${key}: ${fmtValue(inner)}`);
      }
    }
    return [...scalars, ...(scalars.length > 0 ? [""] : []), ...out];
  }
  return [fmtValue(value), ""];
}

function extrasSection(files: ResultFile[], skipKeys: string[]): string[] {
  const out: string[] = [];
  for (const runtime of RUNTIMES) {
    for (const file of files.filter((f) => f.runtime === runtime)) {
      const entries = Object.entries(file.extras).filter(([k]) =>
        !skipKeys.includes(k) && k !== "ours"
      );
      if (entries.length === 0) continue;
      out.push(
        `##### ${RUNTIME_LABEL[runtime]} ${file.version}: other measurements (${file.bench})`,
        "",
      );
      out.push(...renderExtras(Object.fromEntries(entries), 0));
    }
  }
  return out;
}

// ---------------------------------------------------------------- the scenario

interface ScenarioRow {
  size: string;
  path: string;
  ops: number;
  opsPerSec: number;
  p50Ns: number;
  p99Ns: number;
  gcMinorPer100k: number | null;
  gcMajorPer100k: number | null;
  gcEventsPer100k: number | null;
  gcPauseMsPer100k: number | null;
  jsHeapBytesPerOp: number | null;
  heapBytesPerOp: number | null;
  backingStoreBytesPerOp: number | null;
  peakRssBytes: number | null;
}

interface ScenarioExtras {
  rows: ScenarioRow[];
  naiveBase64?: string;
  gcMetric?: string | null;
  heapMetric?: string | null;
  backingStoreMetric?: string;
  seconds?: number;
  stringifyFloor?: { size: string; stringifyNs: number; naiveMeanNs: number; ceiling: number }[];
}

const SCENARIO_SIZES = ["small", "medium", "large"] as const;
const BYTES_TARGET: Record<string, number> = { small: 0.05, medium: 0.05, large: 0.1 };

function scenarioOf(file: ResultFile | undefined): ScenarioExtras | undefined {
  const scenario = file?.extras.scenario as ScenarioExtras | undefined;
  return scenario && Array.isArray(scenario.rows) ? scenario : undefined;
}

function scenarioRow(s: ScenarioExtras, size: string, path: string): ScenarioRow | undefined {
  return s.rows.find((r) => r.size === size && r.path === path);
}

interface TargetCheck {
  label: string;
  target: string;
  cells: string[];
  missed: number;
  met: number;
}

function verdict(
  ratio: number | null,
  ok: (r: number) => boolean,
  show: (r: number) => string,
): [string, boolean | null] {
  if (ratio === null || !Number.isFinite(ratio)) return ["not measured", null];
  const pass = ok(ratio);
  return [`${pass ? "✅" : "❌"} ${show(ratio)}`, pass];
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 2 : 1)}%`;
}

function ratioOf(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (b === 0) return a === 0 ? 0 : null;
  return a / b;
}

function scenarioChecks(byRuntime: Map<Runtime, ScenarioExtras>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const size of SCENARIO_SIZES) {
    const specs: [
      string,
      string,
      (s: ScenarioExtras) => number | null,
      (r: number) => boolean,
      (r: number) => string,
    ][] = [
      [
        `${size}: throughput`,
        "≥ 2.5×",
        (s) =>
          ratioOf(
            scenarioRow(s, size, "pooled")?.opsPerSec,
            scenarioRow(s, size, "naive")?.opsPerSec,
          ),
        (r) => r >= 2.5,
        fmtX,
      ],
      [
        `${size}: GC events per 100k ops`,
        "≤ 20%",
        (s) =>
          ratioOf(
            scenarioRow(s, size, "pooled")?.gcEventsPer100k,
            scenarioRow(s, size, "naive")?.gcEventsPer100k,
          ),
        (r) => r <= 0.2,
        pct,
      ],
      [
        `${size}: p99 latency`,
        "≤ 50%",
        (s) => ratioOf(scenarioRow(s, size, "pooled")?.p99Ns, scenarioRow(s, size, "naive")?.p99Ns),
        (r) => r <= 0.5,
        pct,
      ],
      [
        `${size}: backing-store bytes per op`,
        `≤ ${BYTES_TARGET[size] * 100}%`,
        (s) =>
          ratioOf(
            scenarioRow(s, size, "pooled")?.backingStoreBytesPerOp,
            scenarioRow(s, size, "naive")?.backingStoreBytesPerOp,
          ),
        (r) => r <= BYTES_TARGET[size],
        pct,
      ],
    ];
    for (const [label, target, compute, ok, show] of specs) {
      let missed = 0;
      let met = 0;
      const cells = RUNTIMES.map((runtime) => {
        const s = byRuntime.get(runtime);
        if (!s) return "not measured";
        const value = compute(s);
        if (value === null && label.includes("GC events") && runtime === "bun") {
          return "not observable (Bun)";
        }
        const [text, pass] = verdict(value, ok, show);
        if (pass === true) met++;
        if (pass === false) missed++;
        return text;
      });
      checks.push({ label, target, cells, missed, met });
      if (label.endsWith("throughput")) {
        // Both paths call JSON.stringify: naive / stringify bounds what any such path can gain.
        const ceilingCells = RUNTIMES.map((runtime) => {
          const floor = byRuntime.get(runtime)?.stringifyFloor?.find((f) => f.size === size);
          return floor
            ? `${fmtX(floor.ceiling)} (stringify ${fmtNs(floor.stringifyNs)})`
            : "not measured";
        });
        checks.push({
          label: `${size}: ceiling = naive ÷ JSON.stringify alone`,
          target: "info",
          cells: ceilingCells,
          missed: 0,
          met: 0,
        });
      }
    }
  }
  return checks;
}

function scenarioSection(
  files: ResultFile[],
): { lines: string[]; checks: TargetCheck[]; svg: string } {
  const byRuntime = new Map<Runtime, ScenarioExtras>();
  for (const runtime of RUNTIMES) {
    const scenario = scenarioOf(files.find((f) => f.runtime === runtime));
    if (scenario) byRuntime.set(runtime, scenario);
  }
  const lines: string[] = [];
  if (byRuntime.size === 0) {
    return {
      lines: ["Not measured: no bench/results/scenario.*.json.", ""],
      checks: [],
      svg: barChart("@catga/memory: the seed scenario", "not measured", []),
    };
  }
  lines.push(
    "Each message is serialized and its payload base64-encoded (bench/scenario.bench.ts). **naive**: " +
      "`JSON.stringify` + `TextEncoder.encode` (a fresh buffer per message), then base64 into a fresh string " +
      "(native `toBase64` where the runtime has it, else `Buffer`). **pooled**: `JsonSerializer#serializeTo` into a " +
      "pooled `BufferWriter`, then `writeBase64` into a second pooled writer; both are kept for the run and reset per " +
      "message, as a service worker would hold them.",
    "",
    "- Latency is timed per op (p50/p99 of every op of the run); ops/s is the inverse of the mean.",
    "- GC events come from `v8.GCProfiler` (Node, Deno): minor = Scavenge / MinorMarkSweep, major = " +
      "MarkSweepCompact. Bun exposes neither GC events nor an allocation counter, so its rows show heap bytes per op " +
      "(bun:jsc `heapSize` growth with each op's result kept alive) instead.",
    "- The bytes-per-op target is checked on backing-store bytes (ArrayBuffer memory), as in the pool and serializer " +
      "benchmarks. The JS heap column (V8: bytes freed by GCs plus net heap growth, per op) also counts strings, " +
      "such as the `JSON.stringify` output of the naive path.",
    "- The *ceiling* rows divide the naive time by `JSON.stringify` alone: a pooled path that still calls " +
      "`JSON.stringify` (JsonSerializer's `stringify` strategy) cannot be faster than naive by more than that, " +
      "whatever it does with the bytes. Where the ceiling is below 2.5×, only a serializer that writes the JSON bytes " +
      "itself (its `direct` strategy) can meet the throughput target.",
    "- Peak RSS is process-wide (sampled every 1024 ops), so a phase also carries what the phases before it left.",
    "",
  );
  const checks = scenarioChecks(byRuntime);
  lines.push("#### Targets (pooled / naive)", "");
  lines.push(
    ...table([
      "metric",
      "target",
      ...RUNTIMES.map((r) => RUNTIME_LABEL[r]),
    ], checks.map((c) => [c.label, c.target, ...c.cells])),
    "",
  );
  for (const runtime of RUNTIMES) {
    const s = byRuntime.get(runtime);
    const file = files.find((f) => f.runtime === runtime);
    if (!s || !file) {
      lines.push(`#### ${RUNTIME_LABEL[runtime]}`, "", "Not measured.", "");
      continue;
    }
    lines.push(`#### ${RUNTIME_LABEL[runtime]} ${file.version}`, "");
    const notes = [
      s.naiveBase64 ? `naive base64: \`${s.naiveBase64}\`` : "",
      s.gcMetric ? `GC: ${s.gcMetric}` : "",
      s.heapMetric ? `heap: ${s.heapMetric}` : "",
      s.backingStoreMetric ? `backing store: \`${s.backingStoreMetric}\`` : "",
      s.seconds ? `${s.seconds} s per size and path` : "",
    ].filter((n) => n !== "");
    if (notes.length > 0) lines.push(notes.join("; ") + ".", "");
    const rows = SCENARIO_SIZES.flatMap((size) =>
      ["naive", "pooled"].map((path) => {
        const r = scenarioRow(s, size, path);
        if (!r) return [size, path, "not measured", "", "", "", "", "", "", "", ""];
        return [
          size,
          path === "pooled" ? "**pooled**" : path,
          Math.round(r.opsPerSec).toLocaleString("en-US"),
          fmtNs(r.p50Ns),
          fmtNs(r.p99Ns),
          r.gcMinorPer100k === null ? "n/a" : r.gcMinorPer100k.toFixed(1),
          r.gcMajorPer100k === null ? "n/a" : r.gcMajorPer100k.toFixed(1),
          runtime === "bun" ? fmtBytes(r.heapBytesPerOp) : fmtBytes(r.jsHeapBytesPerOp),
          fmtBytes(r.backingStoreBytesPerOp),
          fmtBytes(r.peakRssBytes),
        ];
      })
    );
    lines.push(
      ...table(
        [
          "size",
          "path",
          "ops/s",
          "p50",
          "p99",
          "minor GC /100k",
          "major GC /100k",
          runtime === "bun" ? "heap B/op" : "JS heap B/op",
          "backing-store B/op",
          "peak RSS",
        ],
        rows,
      ),
      "",
    );
  }
  const chartGroups: ChartGroup[] = SCENARIO_SIZES.map((size) => ({
    title: `${size} message: ops/s`,
    bars: ["naive", "pooled"].flatMap((path) =>
      RUNTIMES.flatMap((runtime) => {
        const r = byRuntime.get(runtime) && scenarioRow(byRuntime.get(runtime)!, size, path);
        return r
          ? [{
            label: path === "pooled" ? "pooled (@catga/memory)" : "naive",
            runtime,
            value: r.opsPerSec,
            text: `${fmtRate(r.opsPerSec)}, p99 ${fmtNs(r.p99Ns)}`,
            ours: path === "pooled",
          }]
          : [];
      })
    ),
  }));
  const svg = barChart(
    "@catga/memory: the seed scenario (serialize + base64)",
    "messages per second (longer is faster); target: pooled ≥ 2.5× naive",
    chartGroups,
  );
  return { lines, checks, svg };
}

// ---------------------------------------------------------------- HTTP load (bench/load.ts)

interface LoadRoute {
  route: string;
  requestsPerSec: number;
  p99Ms: number;
  rssBytes: number;
  errors: number;
}

function loadSection(files: ResultFile[]): { lines: string[]; checks: TargetCheck[] } {
  const lines: string[] = [];
  const checks: TargetCheck[] = [];
  const withRoutes = files.filter((f) => Array.isArray(f.extras.routes));
  if (withRoutes.length === 0) {
    return {
      lines: ["Not measured: no bench/results/load.*.json (run `node bench/load.ts bun`).", ""],
      checks,
    };
  }
  lines.push(
    "autocannon against the example service (bench/load.ts): a fresh server per route, a warm-up, then the " +
      "measured run; the server's peak RSS is sampled from /proc during the run. Target: the pooled " +
      "`/messages/*` routes serve at least as many requests/s as the `/naive/*` baseline, with lower RSS.",
    "",
  );
  const perRuntime: string[] = [];
  for (const runtime of RUNTIMES) {
    const file = withRoutes.find((f) => f.runtime === runtime);
    if (!file) continue;
    const routes = (file.extras.routes as LoadRoute[]).filter((r) => typeof r?.route === "string");
    const naiveOf = (size: string): LoadRoute | undefined =>
      routes.find((r) => r.route === `/naive/${size}`);
    perRuntime.push(
      `#### ${RUNTIME_LABEL[runtime]} ${file.version}`,
      "",
      `${file.extras.connections ?? "?"} connections, ${
        file.extras.durationSeconds ?? "?"
      } s per route.`,
      "",
      ...table(
        ["route", "requests/s", "vs naive", "p99", "peak RSS", "RSS vs naive", "errors"],
        routes.map((r) => {
          const size = /\/(small|medium|large)\b/.exec(r.route)?.[1] ?? "";
          const naive = naiveOf(size);
          const isNaive = r.route.startsWith("/naive/");
          return [
            isNaive ? r.route : `**${r.route}**`,
            Math.round(r.requestsPerSec).toLocaleString("en-US"),
            isNaive || !naive ? "—" : fmtX(r.requestsPerSec / naive.requestsPerSec),
            `${r.p99Ms} ms`,
            fmtBytes(r.rssBytes),
            isNaive || !naive ? "—" : pct(r.rssBytes / naive.rssBytes),
            String(r.errors),
          ];
        }),
      ),
      "",
    );
    for (const r of routes.filter((x) => x.route.startsWith("/messages/"))) {
      const size = /\/(small|medium|large)\b/.exec(r.route)?.[1] ?? "";
      const naive = naiveOf(size);
      if (!naive) continue;
      const faster = r.requestsPerSec >= naive.requestsPerSec;
      const leaner = r.rssBytes < naive.rssBytes;
      checks.push({
        label: `${r.route} vs /naive/${size}`,
        target: "req/s ≥ 1×, RSS < 100%",
        cells: RUNTIMES.map((rt) =>
          rt === runtime
            ? `${faster ? "✅" : "❌"} ${fmtX(r.requestsPerSec / naive.requestsPerSec)} req/s, ${
              leaner ? "✅" : "❌"
            } RSS ${pct(r.rssBytes / naive.rssBytes)}`
            : "not measured"
        ),
        met: (faster ? 1 : 0) + (leaner ? 1 : 0),
        missed: (faster ? 0 : 1) + (leaner ? 0 : 1),
      });
    }
  }
  const measured = RUNTIMES.map((r, i) => (withRoutes.some((f) => f.runtime === r) ? i : -1))
    .filter((i) => i >= 0);
  if (checks.length > 0) {
    lines.push(
      "#### Targets",
      "",
      // Load runs on Bun only by default: show just the runtimes that were measured.
      ...table(
        ["route", "target", ...measured.map((i) => RUNTIME_LABEL[RUNTIMES[i]])],
        checks.map((c) => [c.label, c.target, ...measured.map((i) => c.cells[i])]),
      ),
      "",
    );
  }
  lines.push(...perRuntime);
  return { lines, checks };
}

// ---------------------------------------------------------------- the report

function main(): void {
  const { files, problems } = loadResults();
  mkdirSync(imgDir, { recursive: true });
  const out: string[] = [];
  const misses: Miss[] = [];
  out.push("# @catga/memory performance report", "");
  out.push(
    "<!-- Generated by `node tools/report.ts` (`npm run bench:report`) from bench/results/*.json; do not edit by hand. -->",
    "",
  );
  out.push(
    "Produced by `npm run bench` (every `bench/*.bench.ts` under Node, Deno and Bun), regenerated from the raw JSON " +
      "with `npm run bench:report`. Times are mitata's mean per op, with p99 in parentheses. In the *ours vs it* " +
      "columns a peer's time is divided by our fastest entry in the same group (and direction, encode or decode): " +
      "above 1× we are faster, below 1× (in bold) the peer is faster. Our entries are in bold. The numbers come from " +
      "whatever machine ran the benchmarks; compare runtimes and ratios, not absolute times across machines.",
    "",
  );

  // Environment.
  out.push("## Environment", "");
  const envRows = RUNTIMES.map((runtime) => {
    const mine = files.filter((f) => f.runtime === runtime);
    if (mine.length === 0) return [RUNTIME_LABEL[runtime], "not measured", "", ""];
    const versions = [...new Set(mine.map((f) => f.version))].join(", ");
    const cpus = [...new Set(mine.map((f) => f.cpu).filter((c) => c !== "unknown"))].join(", ") ||
      "unknown";
    const dates = mine.map((f) => f.date).filter((d) => d !== "").sort();
    const span = dates.length === 0
      ? ""
      : dates[0] === dates[dates.length - 1]
      ? dates[0]
      : `${dates[0]} … ${dates[dates.length - 1]}`;
    return [RUNTIME_LABEL[runtime], versions, cpus, span];
  });
  out.push(...table(["runtime", "version", "CPU", "run date (UTC)"], envRows), "");
  const benchNames = [...new Set(files.map((f) => f.bench))].sort();
  out.push(
    `Result files: ${
      benchNames.length === 0
        ? "none"
        : benchNames.map((b) =>
          `${b} (${
            RUNTIMES.filter((r) => files.some((f) => f.bench === b && f.runtime === r)).join(", ")
          })`
        )
          .join("; ")
    }.`,
    "",
  );
  if (problems.length > 0) {
    out.push("Unreadable result files:", "", ...problems.map((p) => `- ${p}`), "");
  }

  // Areas.
  const body: string[] = [];
  let scenarioChecksList: TargetCheck[] = [];
  let loadChecksList: TargetCheck[] = [];
  const targetRows: TargetRow[] = [];
  for (const area of AREAS) {
    body.push(`## ${area.title}`, "");
    if (area.chart) body.push(`![${area.title}](img/${area.id}.svg)`, "");
    const areaFiles = files.filter((f) =>
      area.select(f.bench, "") || f.benchmarks.some((b) => area.select(f.bench, b.group))
    );
    if (area.id === "load") {
      const load = loadSection(areaFiles);
      loadChecksList = load.checks;
      body.push(...load.lines);
      continue;
    }
    if (area.id === "scenario") {
      const scenario = scenarioSection(areaFiles.filter((f) => f.bench === "scenario"));
      scenarioChecksList = scenario.checks;
      body.push(...scenario.lines);
      writeFileSync(join(imgDir, "scenario.svg"), scenario.svg);
      const groups = mergeGroups(areaFiles, area);
      if (groups.length > 0) {
        body.push("mitata's timing of the same two paths, as a cross-check:", "");
        for (const group of groups) body.push(...groupTable(group, area.title, misses));
      }
      continue;
    }
    const groups = mergeGroups(areaFiles, area);
    if (groups.length === 0 && areaFiles.every((f) => Object.keys(f.extras).length === 0)) {
      body.push(
        `Not measured: no matching bench/results/*.json${
          area.id === "load" ? " (load.bun.json)" : ""
        }.`,
        "",
      );
    }
    const areaTargets = checkTargets(area.id, groups);
    targetRows.push(...areaTargets);
    body.push(...targetTable(areaTargets));
    if (groups.length > 0) body.push("#### Measurements", "");
    for (const group of groups) body.push(...groupTable(group, area.title, misses));
    // Extras belong to a file, not a group: show each file's once, under the first area it feeds.
    const ownFiles = areaFiles.filter((f) =>
      AREAS.find((a) =>
        a.select(f.bench, "") || f.benchmarks.some((b) => a.select(f.bench, b.group))
      )?.id === area.id
    );
    body.push(...extrasSection(ownFiles, []));
    if (area.chart) writeFileSync(join(imgDir, `${area.id}.svg`), comparisonChart(area, groups));
  }

  // Anything else in bench/results.
  const others = files.filter((f) => !isKnownBench(f.bench));
  if (others.length > 0) {
    body.push("## Other benchmarks", "");
    const area: Area = {
      id: "other",
      title: "Other",
      select: (b) => !isKnownBench(b),
      chart: false,
    };
    for (const group of mergeGroups(others, area)) {
      body.push(...groupTable(group, area.title, misses));
    }
    body.push(...extrasSection(others, []));
  }

  // Summary first: targets met and missed, and every place a peer beats us.
  out.push("## Summary", "");
  const summaryRows = AREAS.map((area) => {
    if (area.id === "scenario" || area.id === "load") {
      const list = area.id === "scenario" ? scenarioChecksList : loadChecksList;
      const met = list.reduce((n, c) => n + c.met, 0);
      const missed = list.reduce((n, c) => n + c.missed, 0);
      return list.length === 0
        ? [area.title, "not measured", "—"]
        : [area.title, String(met), String(missed)];
    }
    const rows = targetRows.filter((r) => r.area === area.id);
    const met = rows.reduce((n, r) => n + r.met, 0);
    const missed = rows.reduce((n, r) => n + r.missed, 0);
    return met + missed === 0
      ? [area.title, "not measured", "—"]
      : [area.title, String(met), String(missed)];
  });
  out.push(
    "Targets from the issues, counted per runtime and group (or size and metric for the scenario):",
    "",
    ...table(["area", "met", "missed"], summaryRows),
    "",
  );
  const missedRows = [
    ...targetRows.filter((r) => r.missed > 0).map((r) => [
      AREAS.find((a) => a.id === r.area)?.title ?? r.area,
      `${r.what}: ${r.group}`,
      RUNTIMES.map((rt, i) =>
        r.cells[i].startsWith("❌") ? `${RUNTIME_LABEL[rt]} ${r.cells[i].slice(2)}` : ""
      )
        .filter((c) => c !== "").join("; "),
    ]),
    ...loadChecksList.filter((c) => c.missed > 0).map((c) => [
      "HTTP load",
      `${c.label} (${c.target})`,
      c.cells.filter((x) => x.includes("❌")).join("; "),
    ]),
    ...scenarioChecksList.filter((c) => c.missed > 0).map((c) => [
      "The seed scenario",
      `${c.label} (${c.target})`,
      RUNTIMES.map((rt, i) =>
        c.cells[i].startsWith("❌") ? `${RUNTIME_LABEL[rt]} ${c.cells[i].slice(2)}` : ""
      )
        .filter((x) => x !== "").join("; "),
    ]),
  ];
  if (missedRows.length > 0) {
    out.push("### Missed targets", "", ...table(["area", "target", "measured"], missedRows), "");
  }
  if (misses.length === 0) {
    out.push(
      files.length === 0
        ? "Nothing measured yet: run `npm run bench`."
        : "No peer is faster than our best entry in any group that has one.",
      "",
    );
  } else {
    out.push(
      "### Where a peer is faster than our best entry",
      "",
      ...table(
        ["area", "group", "peer", "runtime", "ours vs peer"],
        misses.map((m) => [m.area, m.group, m.peer, RUNTIME_LABEL[m.runtime], fmtX(m.ratio)]),
      ),
      "",
    );
  }
  out.push(...body);
  const markdown = `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
  writeFileSync(reportPath, markdown);
  console.log(
    `wrote docs/PERFORMANCE-REPORT.md from ${files.length} result file(s); charts in docs/img/ (${
      AREAS.filter((a) => a.chart).map((a) => `${a.id}.svg`).join(", ")
    })`,
  );
}

main();
