/**
 * The HTTP load section, from bench/load.ts: load.<runtime id>.json (the routes; the soak on the
 * runtime that ran it, charted as load_soak.svg) and load_paths.<runtime id>.json (`--explore`:
 * every body path of every route, which chose each route's path).
 *
 * @module
 */
import { RUNTIME_IDS, RUNTIME_LABELS, type RuntimeId } from "../../dev/schema.ts";
import { LOAD_TARGETS as T, type LoadReport, type LoadRouteResult } from "../../dev/schema_load.ts";
import { check, judge, type Verdict } from "./compare.ts";
import { columns, fmtBytes, fmtX, mark, pct, table, thousands } from "./format.ts";
import { type ReportContext, type Runs, type Section, section } from "./render.ts";
import { soakChart } from "./soak_chart.ts";

const sizeOf = (route: string): string => /\/(small|medium|large)\b/.exec(route)?.[1] ?? "";
const percent = (r: number): string => pct(r, 0);
const orDash = (v: number | undefined, show: (v: number) => string) =>
  v === undefined ? "—" : show(v);
const isReport = (data: Record<string, unknown>) => Array.isArray(data.routes);

/** "0.98× (0.93–1.04)": the paired median and the quartiles of the per-slice ratios. */
function speed(r: LoadRouteResult): string {
  const q = r.requestsRatioQuartiles;
  return orDash(r.requestsRatio, fmtX) + (q ? ` (${q[0].toFixed(2)}–${q[1].toFixed(2)})` : "");
}

/** The runtime that ran the soak, its report and the soak. */
const soakOf = (runs: Runs<LoadReport>) =>
  [...runs].map(([runtime, report]) => ({ runtime, report, soak: report.soak! }))
    .find((x) => x.soak !== undefined);

function checks(runs: Runs<LoadReport>) {
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
  const soak = soakOf(runs);
  if (!soak) return out;
  const s = soak.soak;
  const onSoak = (label: string, bound: string, verdict: Verdict | null) =>
    check(label, bound, runs, (_, runtime) => (runtime === soak.runtime ? verdict : null));
  const fall = `(${fmtBytes(s.retainedAtLoadEnd)} → ${fmtBytes(s.retainedAfterIdle)})`;
  const recovery = s.burstRecoveryMs >= 0 ? `, > 95% after ${s.burstRecoveryMs} ms` : "";
  return [
    ...out,
    onSoak(
      `soak: retained bytes after ${s.idleSeconds} s idle`,
      `fall ≥ ${percent(T.minRetainedFall)}`,
      judge(s.retainedFall, (v) => v >= T.minRetainedFall, (v) => `${percent(v)} ${fall}`),
    ),
    onSoak(
      "soak: hit rate of the renewed burst's first second",
      `> ${percent(T.minBurstHitRate)}`,
      judge(s.burstFirstSecondHitRate, (v) => v > T.minBurstHitRate, (v) => pct(v, 2) + recovery),
    ),
  ];
}

function intro(runs: Runs<LoadReport>): string {
  const rows = [...runs];
  const generators = [...new Set(rows.map(([, r]) => r.generator ?? "autocannon"))].join(" and ");
  const pinned = rows.every(([, r]) => r.pinned) ? " (server and wrk pinned to a core each)" : "";
  const quick = rows.filter(([, r]) => r.quick).map(([id]) => RUNTIME_LABELS[id]).join(", ");
  const floor = rows.flatMap(([id, r]) =>
    r.routes.filter((x) => x.bodyPath === "native" && x.requestsRatio !== undefined)
      .map((x) => `${RUNTIME_LABELS[id]} ${sizeOf(x.route)} ${speed(x)}`)
  ).join(", ");
  return `${generators} against the example service on 127.0.0.1${pinned}: fresh servers per ` +
    "route, warmed up with varied requests, then short slices in turn. A route's ratio to " +
    "`/naive/*` (`Response.json`) is the median of per-slice ratios against the naive slice " +
    "next to it in time, quartiles in brackets (a bracket spanning 1× is a tie); RSS ratios are " +
    "medians over sets. Each `/messages/*` route takes the body path measured fastest " +
    "(`ROUTE_PATHS` in examples/app.ts, from `--explore`); on `native` it runs the very code of " +
    `\`/naive/*\`, so its ratio is this run's noise: ${floor || "none"}. Extra peak RSS on a ` +
    "library route is the runtime's, not the pool's (*pool retained*)." +
    (quick ? ` **${quick}: a \`--quick\` smoke run**, indicative only.` : "");
}

/** `--explore`: per route and runtime, each path's req/s and CPU ratios to native JSON; bold: taken. */
function explored(runs: Runs<LoadReport>, context: ReportContext): string[] {
  const files = context.files.filter((f) => f.bench === "load_paths" && isReport(f.data));
  if (files.length === 0) return [];
  const paths = new Map(files.map((f) => [f.runtime, f.data as unknown as LoadReport]));
  const ids = RUNTIME_IDS.filter((r) => paths.has(r));
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
  return [
    "#### How each route's path was chosen (`--explore`)",
    "",
    "Each body path on its own fresh server: *req/s ratio / CPU ratio* against native JSON of the " +
    "same size (above 1× is better). Bold: the path taken (the fastest; ties go to the simpler " +
    "path). **native** = `Response.json`; **pooled** = `serializedResponse`; **owned** = " +
    "`new Response(serializer.serialize(value))`.",
    "",
    ...table(
      ["route", ...ids.map((r) => `${RUNTIME_LABELS[r]} ${paths.get(r)!.runtime}`)],
      [...new Set(all)].map((route) => [route, ...ids.map((r) => cell(route, r))]),
    ),
  ];
}

/** "wrk (pinned), 64 connections, 3 set(s) × 2 slice(s) of 5 s per route, <date>". */
function settings(r: LoadReport): string {
  const slices = r.sets === undefined
    ? `${r.rounds} round(s)`
    : `${r.sets} set(s) × ${r.rounds / r.sets} slice(s)`;
  const generator = `${r.generator ?? "autocannon"}${r.pinned ? " (pinned)" : ""}`;
  return `${r.quick ? "--quick, " : ""}${generator}, ${r.connections} connections, ${slices} of ` +
    `${r.durationSeconds} s per route, ${r.date}`;
}

/** The HTTP load section. */
export const loadSection: Section = section<LoadReport>({
  id: "load",
  title: "HTTP load",
  bench: "load",
  pick: (f) => (isReport(f.data) ? f.data as unknown as LoadReport : undefined),
  intro,
  checks,
  tables: (runs: Runs<LoadReport>, context) => {
    const soak = soakOf(runs);
    const s = soak?.soak;
    return [
      ...[...runs].map(([id, r]) => `- ${RUNTIME_LABELS[id]} (${r.runtime}): ${settings(r)}.`),
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
      ...explored(runs, context),
      ...(s === undefined ? [] : [
        `#### Soak (${soak!.report.runtime})`,
        "",
        "![Soak: retained bytes per tier and hit rate](img/load_soak.svg)",
        "",
        `${s.loadSeconds} s of mixed load (${s.routes.length} routes, all pooled) at ` +
        `${thousands(s.loadRequestsPerSec)} requests/s, ${s.idleSeconds} s idle, then a ` +
        `${s.burstSeconds} s burst; \`/stats\` every 250 ms.` +
        (s.samples.some((x) => x.tunedCaps) ? "" : " No per-class tuned caps (fixed retention)."),
        "",
      ]),
    ];
  },
  charts: async (runs: Runs<LoadReport>): Promise<Record<string, string>> => {
    const soak = soakOf(runs);
    return soak ? { "load_soak.svg": await soakChart(soak.soak, soak.report.runtime) } : {};
  },

  // The lead's rows: each `/messages/*` route's requests/s over `/naive/*`'s, paired per slice.
  lead: (runs: Runs<LoadReport>) =>
    [...runs].flatMap(([runtime, report]) =>
      report.routes.filter((r) => r.requestsRatio !== undefined).map((r) => ({
        operation: `HTTP: ${/format=(\w+)/.exec(r.route)?.[1] ?? ""} route`,
        size: sizeOf(r.route),
        runtime,
        ratio: r.requestsRatio!,
        rival: "/naive (Response.json)",
      }))
    ),
});
