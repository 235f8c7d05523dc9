/**
 * The HTTP load section: bench/load.ts's routes, its soak (load_soak.svg) and `--explore` paths.
 * @module
 */
import { RUNTIME_LABELS, type RuntimeId } from "../../dev/schema.ts";
import { LOAD_TARGETS as T, type LoadReport, type LoadRouteResult } from "../../dev/schema_load.ts";
import { soakChart } from "./chart.ts";
import {
  check,
  judge,
  type LeadCell,
  type SectionOutput,
  targetTable,
  type Verdict,
} from "./compare.ts";
import { columns, fmtBytes, fmtX, mark, pct, table, thousands } from "./format.ts";
import { type ReportContext, type Runs, runsOf } from "./results.ts";

const sizeOf = (route: string): string => /\/(small|medium|large)\b/.exec(route)?.[1] ?? "";
const percent = (r: number): string => pct(r, 0);
const orDash = (v: number | undefined, show: (v: number) => string) =>
  v === undefined ? "—" : show(v);

/** "0.98× (0.93–1.04)": the paired median and the quartiles of the per-slice ratios. */
function speed(r: LoadRouteResult): string {
  const q = r.requestsRatioQuartiles;
  return orDash(r.requestsRatio, fmtX) + (q ? ` (${q[0].toFixed(2)}–${q[1].toFixed(2)})` : "");
}

/** Each `/messages/*` route against its size's `/naive/*`; the soak's two targets where it ran. */
function checks(runs: Runs<LoadReport>, soakOn?: RuntimeId) {
  const routes = new Set([...runs].flatMap(([, r]) => r.routes.map((x) => x.route)));
  const target = `req/s ≥ ${T.minRequestsRatio.toFixed(1)}×, RSS ≤ ${percent(T.maxRssRatio)}`;
  const out = [...routes].filter((route) => route.startsWith("/messages/")).map((route) =>
    check(`${route} vs /naive/${sizeOf(route)}`, target, runs, (report) => {
      const r = report.routes.find((x) => x.route === route);
      if (r?.requestsRatio === undefined || r.rssRatio === undefined) return null;
      const oks = [r.requestsRatio >= T.minRequestsRatio, r.rssRatio <= T.maxRssRatio];
      const rss = mark(oks[1], `RSS ${percent(r.rssRatio)}`);
      return [oks, `${mark(oks[0], speed(r))}, ${rss} (${r.bodyPath})`];
    })
  );
  const s = soakOn && runs.get(soakOn)!.soak!;
  if (!s) return out;
  const only = (label: string, bound: string, verdict: Verdict | null) =>
    check(label, bound, new Map([[soakOn, s]]), () => verdict);
  const [fall, hit] = [T.minRetainedFall, T.minBurstHitRate];
  const from = `(${fmtBytes(s.retainedAtLoadEnd)} → ${fmtBytes(s.retainedAfterIdle)})`;
  const recovery = s.burstRecoveryMs >= 0 ? `, > 95% after ${s.burstRecoveryMs} ms` : "";
  const falls = judge(s.retainedFall, (v) => v >= fall, (v) => `${percent(v)} ${from}`);
  const hits = judge(s.burstFirstSecondHitRate, (v) => v > hit, (v) => pct(v, 2) + recovery);
  return [
    ...out,
    only(`soak: retained bytes after ${s.idleSeconds} s idle`, `fall ≥ ${percent(fall)}`, falls),
    only("soak: hit rate of the renewed burst's first second", `> ${percent(hit)}`, hits),
  ];
}

function intro(runs: Runs<LoadReport>): string {
  const rows = [...runs];
  const generators = [...new Set(rows.map(([, r]) => r.generator ?? "autocannon"))].join(" and ");
  const pinned = rows.every(([, r]) => r.pinned) ? " (server and wrk pinned to a core each)" : "";
  const floor = rows.flatMap(([id, r]) =>
    r.routes.filter((x) => x.bodyPath === "native" && x.requestsRatio !== undefined)
      .map((x) => `${RUNTIME_LABELS[id]} ${sizeOf(x.route)} ${speed(x)}`)
  ).join(", ");
  return `${generators} against the example service on 127.0.0.1${pinned}, fresh warmed-up ` +
    "servers, short slices in turn. Ratio to `/naive/*` (`Response.json`): median of per-slice " +
    "ratios to the adjacent naive slice, quartiles in brackets (spanning 1×: a tie); RSS: median " +
    "over sets. Each `/messages/*` route takes its fastest body path (`ROUTE_PATHS`, examples/" +
    `app.ts); \`native\` runs naive's own code, so its ratio is noise: ${floor}. Extra peak RSS ` +
    "is the runtime's, not the pool's (*pool retained*).";
}

/** `--explore`: per route and runtime, each path's req/s and CPU ratios to native JSON; bold: taken. */
function explored(runs: Runs<LoadReport>, paths: Runs<LoadReport>): string[] {
  const ids = [...paths.keys()];
  const all = [...paths.values()].flatMap((r) =>
    r.routes.map((x) => x.route.replace(/&via=\w+$/, ""))
  );
  const cell = (route: string, runtime: RuntimeId) => {
    const mine = paths.get(runtime)!.routes.filter((r) => r.route.startsWith(`${route}&via=`));
    if (mine.length === 0) return "not measured";
    const taken = (runs.get(runtime)?.paths as Record<string, Record<string, string>>)
      ?.[/format=(\w+)/.exec(route)?.[1] ?? ""]?.[sizeOf(route)];
    const best = mine.find((r) => r.bodyPath === taken) ??
      mine.reduce((a, b) => (b.cpuUsPerRequest < a.cpuUsPerRequest ? b : a));
    return mine.map((r) => {
      const text = r.requestsRatio === undefined
        ? `${r.bodyPath} 1× (the baseline)`
        : `${r.bodyPath} ${speed(r)} / ${orDash(r.cpuRatio, fmtX)}`;
      return r === best ? `**${text}**` : text;
    }).join(", ");
  };
  return ids.length === 0 ? [] : [
    "#### How each route's path was chosen (`--explore`)",
    "",
    "Each body path on a fresh server: *req/s ratio / CPU ratio* to native JSON (above 1× is " +
    "better); bold: taken (ties go to the simpler). **native** `Response.json`, **pooled** " +
    "`serializedResponse`, **owned** `new Response(serializer.serialize(value))`.",
    "",
    ...table(
      ["route", ...ids.map((r) => `${RUNTIME_LABELS[r]} ${paths.get(r)!.runtime}`)],
      [...new Set(all)].map((route) => [route, ...ids.map((r) => cell(route, r))]),
    ),
  ];
}

export async function renderLoad({ files }: ReportContext): Promise<SectionOutput> {
  const runs = runsOf<LoadReport>(files, "load");
  const [soakOn, soaked] = [...runs].find(([, r]) => r.soak) ?? [];
  const s = soaked?.soak;
  const checked = checks(runs, soakOn);
  const lines = [
    intro(runs),
    "",
    ...targetTable(checked),
    // "wrk (pinned), 64 connections, 3 set(s) × 2 slice(s) of 5 s per route, <date>".
    ...[...runs].map(([id, r]) =>
      `- ${RUNTIME_LABELS[id]} (${r.runtime}): ${r.generator}${r.pinned ? " (pinned)" : ""}, ` +
      `${r.connections} connections, ${r.sets} set(s) × ${r.rounds / r.sets!} slice(s) of ` +
      `${r.durationSeconds} s per route, ${r.date}.`
    ),
    "",
    ...columns(
      [...runs].flatMap(([id, r]) => r.routes.map((x) => ({ id, x, naive: !x.baseline }))),
      {
        runtime: ({ id }) => RUNTIME_LABELS[id],
        route: ({ x, naive }) => (naive ? x.route : `**${x.route}**`),
        path: ({ x }) => x.bodyPath ?? "—",
        "requests/s": ({ x }) => thousands(x.requestsPerSec),
        "vs naive": ({ x, naive }) => (naive ? "—" : speed(x)),
        "CPU / request": ({ x }) => `${x.cpuUsPerRequest} µs`,
        "CPU vs naive": ({ x }) => orDash(x.cpuRatio, fmtX),
        p99: ({ x }) => `${x.p99Ms} ms`,
        "peak RSS": ({ x }) => fmtBytes(x.rssBytes),
        "RSS vs naive": ({ x }) => orDash(x.rssRatio, percent),
        "RSS at end vs naive": ({ x }) => orDash(x.rssEndRatio, percent),
        "pool retained": ({ x }) => fmtBytes(x.retainedBytes),
        errors: ({ x }) => String(x.errors),
      },
    ),
    ...explored(runs, runsOf<LoadReport>(files, "load_paths")),
    ...(s
      ? [
        `#### Soak (${soaked!.runtime})`,
        "",
        "![Soak: retained bytes per tier and hit rate](img/load_soak.svg)",
        "",
        `${s.loadSeconds} s of mixed load (${s.routes.length} routes, all pooled) at ` +
        `${thousands(s.loadRequestsPerSec)} requests/s, ${s.idleSeconds} s idle, then a ` +
        `${s.burstSeconds} s burst; \`/stats\` every 250 ms.`,
        "",
      ]
      : []),
  ];
  // The lead's rows: each `/messages/*` route's requests/s over `/naive/*`'s, paired per slice.
  const leadCells = [...runs].flatMap(([runtime, report]) =>
    report.routes.filter((r) => r.requestsRatio !== undefined).map((r): LeadCell => ({
      operation: `HTTP: ${/format=(\w+)/.exec(r.route)?.[1] ?? ""} route`,
      size: sizeOf(r.route),
      runtime,
      ratio: r.requestsRatio!,
    }))
  );
  const charts = s ? { "load_soak.svg": await soakChart(s, soaked!.runtime) } : undefined;
  return { lines: runs.size === 0 ? [] : lines, checks: checked, charts, leadCells };
}
