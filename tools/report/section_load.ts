/**
 * The HTTP load section, from bench/load.ts's results: load.<runtime id>.json (the routes, and
 * the soak on the runtime that ran it) and load_paths.<runtime id>.json (`--explore`: every body
 * path of every route, which chose each route's path). Its chart is the soak, load_soak.svg.
 *
 * @module
 */
import { RUNTIME_IDS, RUNTIME_LABELS } from "../../dev/schema.ts";
import { LOAD_TARGETS as T, type LoadReport, type LoadRouteResult } from "../../dev/schema_load.ts";
import { type TargetCheck, valueCheck } from "./compare.ts";
import { columns, fmtBytes, fmtX, mark, pct, table, thousands } from "./format.ts";
import {
  perRuntime,
  type ReportContext,
  runRows,
  type Runs,
  type Section,
  section,
} from "./render.ts";
import { soakChart } from "./soak_chart.ts";

const sizeOf = (route: string): string => /\/(small|medium|large)\b/.exec(route)?.[1] ?? "";
const percent = (r: number): string => pct(r, 0);
const orDash = (
  v: number | undefined,
  show: (v: number) => string,
) => (v === undefined ? "—" : show(v));

/** "0.98× (0.93–1.04)": the paired median and the quartiles of the per-slice ratios. */
function speed(r: LoadRouteResult): string {
  const q = r.requestsRatioQuartiles;
  return orDash(r.requestsRatio, fmtX) + (q ? ` (${q[0].toFixed(2)}–${q[1].toFixed(2)})` : "");
}

const isReport = (data: Record<string, unknown>) => Array.isArray(data.routes);

function soakOf(runs: Runs<LoadReport>) {
  return runRows(runs).map(([runtime, r]) => ({ runtime, report: r, soak: r.soak! }))
    .find((x) => x.soak !== undefined);
}

function checks(runs: Runs<LoadReport>): TargetCheck[] {
  const routes = new Set(
    runRows(runs).flatMap(([, r]) =>
      r.routes.map((x) => x.route).filter((x) => x.startsWith("/messages/"))
    ),
  );
  const result = (route: string) => (r: LoadReport) => r.routes.find((x) => x.route === route);
  const out = [...routes].flatMap((route) => [
    {
      ...valueCheck(
        `${route} vs /naive/${sizeOf(route)}: req/s`,
        `≥ ${T.minRequestsRatio.toFixed(1)}×`,
        perRuntime(runs, (r) => result(route)(r)?.requestsRatio),
        (v) => v >= T.minRequestsRatio,
        fmtX,
      ),
    },
    valueCheck(
      `${route}: peak RSS vs naive`,
      `≤ ${percent(T.maxRssRatio)}`,
      perRuntime(runs, (r) => result(route)(r)?.rssRatio),
      (v) => v <= T.maxRssRatio,
      percent,
    ),
  ]);
  // The speed cells show the quartiles and the body path too.
  for (const [i, route] of [...routes].entries()) {
    const cells = out[2 * i].cells.map((cell, c) => {
      const r = runs.get(RUNTIME_IDS[c]) && result(route)(runs.get(RUNTIME_IDS[c])!.data);
      return r?.requestsRatio === undefined
        ? cell
        : mark(r.requestsRatio >= T.minRequestsRatio, `${speed(r)} (${r.bodyPath})`);
    });
    out[2 * i] = { ...out[2 * i], cells };
  }
  const soak = soakOf(runs);
  if (soak) {
    const only = (value: number) => RUNTIME_IDS.map((r) => (r === soak.runtime ? value : null));
    const s = soak.soak;
    out.push(
      valueCheck(
        `soak: retained bytes after ${s.idleSeconds} s idle`,
        `fall ≥ ${percent(T.minRetainedFall)}`,
        only(s.retainedFall),
        (v) => v >= T.minRetainedFall,
        (v) =>
          `${percent(v)} (${fmtBytes(s.retainedAtLoadEnd)} → ${fmtBytes(s.retainedAfterIdle)})`,
      ),
      valueCheck(
        "soak: hit rate of the renewed burst's first second",
        `> ${percent(T.minBurstHitRate)}`,
        only(s.burstFirstSecondHitRate),
        (v) => v > T.minBurstHitRate,
        (v) =>
          `${pct(v, 2)}${s.burstRecoveryMs >= 0 ? `, > 95% after ${s.burstRecoveryMs} ms` : ""}`,
      ),
    );
  }
  return out;
}

function intro(runs: Runs<LoadReport>): string {
  const reports = runRows(runs).map(([, r]) => r);
  const generators = [...new Set(reports.map((r) => r.generator ?? "autocannon"))].join(" and ");
  const quick = runRows(runs).filter(([, r]) => r.quick).map(([id]) => RUNTIME_LABELS[id]);
  const floor = runRows(runs).flatMap(([id, r]) =>
    r.routes.filter((x) => x.bodyPath === "native" && x.requestsRatio !== undefined)
      .map((x) => `${RUNTIME_LABELS[id]} ${sizeOf(x.route)} ${speed(x)}`)
  );
  return `${generators} against the example service (bench/load.ts) on 127.0.0.1` +
    (reports.every((r) => r.pinned) ? ", the server pinned to one core and wrk to the other" : "") +
    ". Fresh servers per route, warmed up with varied requests, then short slices in turn; a " +
    "route's ratio to `/naive/*` (`Response.json`, same request line) is the median of per-slice " +
    "ratios against the naive slice next to it in time, with the quartiles in brackets (a " +
    "bracket spanning 1× is a tie). CPU / request: the server's user + system time per request. " +
    "Peak RSS: VmHWM after the set (ratio: median over sets). Pool retained: `/stats` after the set. " +
    "Each `/messages/*` route takes the body path measured fastest on that runtime (`ROUTE_PATHS` " +
    "in examples/app.ts, from `--explore` below); a JSON route on `native` runs the very code of " +
    "`/naive/*`" +
    (floor.length ? `, so its ratio is this run's noise floor: ${floor.join(", ")}` : "") +
    "." +
    (quick.length ? ` **${quick.join(", ")}: a \`--quick\` smoke run**, indicative only.` : "");
}

const PATHS =
  "**native** = `Response.json`; **pooled** = `serializedResponse` (pooled writer, the " +
  "constructor copies); **owned** = `new Response(serializer.serialize(value))`";

/** `--explore`: every path of every route, relative to native JSON of its size; bold: taken. */
function explored(runs: Runs<LoadReport>, context: ReportContext): string[] {
  const paths = new Map(
    context.files.filter((f) => f.bench === "load_paths" && isReport(f.data))
      .map((f) => [f.runtime, f.data as unknown as LoadReport] as const),
  );
  if (paths.size === 0) return [];
  const ids = RUNTIME_IDS.filter((r) => paths.has(r));
  const routes = [
    ...new Set(
      [...paths.values()].flatMap((r) => r.routes.map((x) => x.route.replace(/&via=\w+$/, ""))),
    ),
  ];
  const cell = (route: string, runtime: (typeof ids)[number]) => {
    const report = paths.get(runtime)!;
    const native = report.routes.find((r) =>
      r.route === `/messages/${sizeOf(route)}?format=json&via=native`
    );
    const mine = report.routes.filter((r) => r.route.startsWith(`${route}&via=`));
    if (!native || mine.length === 0) return "not measured";
    const taken =
      (runs.get(runtime)?.data.paths as Record<string, Record<string, string>> | undefined)
        ?.[/format=(\w+)/.exec(route)?.[1] ?? ""]?.[sizeOf(route)];
    const best = mine.find((r) => r.bodyPath === taken) ??
      mine.reduce((a, b) => (b.cpuUsPerRequest < a.cpuUsPerRequest ? b : a));
    return mine.map((r) => {
      const text = r === native
        ? "native 1× (the baseline)"
        : `${r.bodyPath} ${speed(r)} / ${orDash(r.cpuRatio, fmtX)}`;
      return r === best ? `**${text}**` : text;
    }).join(", ");
  };
  return [
    "#### How each route's path was chosen (`--explore`)",
    "",
    "Each body path on its own fresh server: *req/s ratio / CPU ratio* against native JSON of the " +
    "same size (above 1× is better for both). Bold: the path the route takes (the fastest; ties " +
    `go to the simpler path, JSON to \`native\` unless a library path wins clearly). ${PATHS}.`,
    "",
    ...table(
      ["route", ...ids.map((r) => `${RUNTIME_LABELS[r]} ${paths.get(r)!.runtime}`)],
      routes.map((route) => [route, ...ids.map((r) => cell(route, r))]),
    ),
  ];
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
      "Extra peak RSS on a library route is the runtime's (compiling the encoder), not the pool's: " +
      "the pool retains at most the *pool retained* column. On Bun and Deno, JSON stays on " +
      "`native` (JavaScriptCore's `JSON.stringify`, string bodies encoded on the way out), and a " +
      "MessagePack route is measured against that same native JSON.",
      "",
      ...runRows(runs).map(([id, r]) =>
        `- ${RUNTIME_LABELS[id]} (${r.runtime}${r.quick ? ", --quick" : ""}): ${
          r.generator ?? "autocannon"
        }` +
        `${r.pinned ? " (pinned)" : ""}, ${r.connections} connections, ` +
        (r.sets === undefined
          ? `${r.rounds} round(s)`
          : `${r.sets} set(s) × ${r.rounds / r.sets} slice(s)`) +
        ` of ${r.durationSeconds} s per route, ${r.date}.`
      ),
      "",
      ...columns(
        runRows(runs).flatMap(([id, r]) =>
          r.routes.map((x) => ({ id, x, naive: x.route.startsWith("/naive/") }))
        ),
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
        `${s.loadSeconds} s of mixed load (${s.routes.length} routes: every size in JSON and ` +
        `MessagePack, all pooled), ${s.idleSeconds} s idle, then a ${s.burstSeconds} s burst; ` +
        `\`/stats\` every 250 ms. Load: ${thousands(s.loadRequestsPerSec)} requests/s.` +
        (s.samples.some((x) => x.tunedCaps !== undefined)
          ? ""
          : " This pool reports no per-class tuned caps (fixed retention)."),
        "",
      ]),
    ];
  },
  charts: async (runs: Runs<LoadReport>) => {
    const soak = soakOf(runs);
    return soak
      ? { "load_soak.svg": await soakChart(soak.soak, soak.report.runtime) }
      : {} as Record<string, string>;
  },
  // The lead's rows: each `/messages/*` route's requests/s over `/naive/*`'s, paired per slice.
  lead: (runs: Runs<LoadReport>) =>
    runRows(runs).flatMap(([runtime, report]) =>
      report.routes.filter((r) => r.requestsRatio !== undefined).map((r) => ({
        operation: `HTTP: ${/format=(\w+)/.exec(r.route)?.[1] ?? ""} route`,
        size: sizeOf(r.route),
        runtime,
        ratio: r.requestsRatio!,
        rival: "/naive (Response.json)",
      }))
    ),
});
