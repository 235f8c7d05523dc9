/**
 * The "HTTP load" section of docs/PERFORMANCE-REPORT.md, from bench/load.ts's
 * results: bench/results/load.<runtime id>.json (the routes, and the soak on
 * the runtime that ran it) and load_paths.<runtime id>.json (the `--explore`
 * comparison of body paths that chose each route's path). Its chart is the
 * soak's time series, docs/img/load_soak.svg.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RUNTIME_IDS, RUNTIME_LABELS, type RuntimeId } from "../../dev/schema.ts";
import { LOAD_TARGETS, type LoadReport, type LoadRouteResult } from "../../dev/schema_load.ts";
import { fmtBytes, fmtX, table } from "./format.ts";
import type { LeadCell } from "./lead.ts";
import { soakChart } from "./soak_chart.ts";
import type { ReportContext, Section, SectionOutput, TargetCheck } from "./section.ts";

function readReports(resultsDir: string, prefix: string): Map<RuntimeId, LoadReport> {
  const reports = new Map<RuntimeId, LoadReport>();
  for (const runtime of RUNTIME_IDS) {
    const file = join(resultsDir, `${prefix}.${runtime}.json`);
    if (!existsSync(file)) continue;
    try {
      const report = JSON.parse(readFileSync(file, "utf8")) as LoadReport;
      if (Array.isArray(report.routes)) reports.set(runtime, report);
    } catch {
      // unreadable: the report generator lists unreadable files itself
    }
  }
  return reports;
}

function fmtPct(ratio: number): string {
  return `${(ratio * 100).toFixed(0)}%`;
}

function sizeOf(route: string): string {
  return /\/(small|medium|large)\b/.exec(route)?.[1] ?? "";
}

/** A ratio the bench paired against the route's baseline, or "—" where it measured none. */
function fmtRatio(ratio: number | undefined, format: (value: number) => string): string {
  return ratio === undefined ? "—" : format(ratio);
}

/** "0.98× (0.93–1.04)": the paired median and the quartiles of the per-slice ratios. */
function fmtSpeed(result: LoadRouteResult): string {
  const quartiles = result.requestsRatioQuartiles;
  return fmtRatio(result.requestsRatio, fmtX) +
    (quartiles === undefined ? "" : ` (${quartiles[0].toFixed(2)}–${quartiles[1].toFixed(2)})`);
}

const PATH_WHY: Record<string, string> = {
  native: "`Response.json`: the runtime stringifies and encodes natively",
  pooled: "`serializedResponse`: pooled writer, the constructor copies, the buffer goes back",
  owned: "`new Response(serializer.serialize(value))`: owned bytes, no pool",
};

/** The section: targets, per-runtime tables, how paths were chosen, the soak and its chart. */
export const loadSection: Section = {
  id: "load",
  title: "HTTP load",
  render: (context: ReportContext) => renderLoad(context.resultsDir),
};

async function renderLoad(resultsDir: string): Promise<SectionOutput> {
  const reports = readReports(resultsDir, "load");
  const explored = readReports(resultsDir, "load_paths");
  const lines: string[] = [];
  const checks: TargetCheck[] = [];
  const charts: Record<string, string> = {};
  if (reports.size === 0) {
    lines.push("Not measured: no bench/results/load.*.json (run `node bench/load.ts`).", "");
    return { lines, checks, charts };
  }
  const measured = RUNTIME_IDS.filter((r) => reports.has(r));
  const generators = [...new Set(measured.map((r) => reports.get(r)!.generator ?? "autocannon"))];
  const pinned = measured.every((r) => reports.get(r)!.pinned === true);
  lines.push(
    `${generators.join(" and ")} against the example service (bench/load.ts) on 127.0.0.1` +
      (pinned ? ", the server pinned to one core and wrk to the other (taskset)" : "") +
      ". Per runtime, sets of FRESH servers, one per route, all started at once; each is warmed " +
      "up with varied requests (every size, format and body path, so no JavaScript path is timed " +
      "on monomorphic type feedback) and then its own route; then every route runs short slices " +
      "in turn, the order rotating each slice. A route's " +
      "ratio to `/naive/*` is the **median of per-slice ratios against the naive slice next to it " +
      "in time**, so drift of the shared machine cancels; in brackets, the quartiles of those " +
      "ratios (one slice strays by up to ±25% here, so a bracket that spans 1× is a tie). The " +
      "naive route is requested as `/naive/{size}?format=json`: it ignores the query, but the " +
      "request line and the server's parsing are then the same as the JSON route's, so the two " +
      "differ only in how the body is built. *CPU / request* is " +
      "the server's user + system time (all threads) over the requests it served. Peak RSS is each " +
      "server's VmHWM after its set, every server having had the same load time; its ratio is the " +
      "median over sets. *Pool retained* is `/stats` `retainedBytes` after the set. Each " +
      "`/messages/*` route takes the body path that measured fastest for it on that runtime " +
      "(`ROUTE_PATHS` in examples/app.ts, chosen with `node bench/load.ts --explore`, below). " +
      `Targets (issue 12): every \`/messages/*\` route ≥ ${
        LOAD_TARGETS.minRequestsRatio.toFixed(1)
      }× the requests/s of \`/naive/*\` (\`Response.json\`) at ≤ ${
        fmtPct(LOAD_TARGETS.maxRssRatio)
      } of its peak RSS.`,
    "",
  );
  const quick = measured.filter((r) => reports.get(r)!.quick);
  if (quick.length > 0) {
    lines.push(
      `**${quick.map((r) => RUNTIME_LABELS[r]).join(", ")}: a \`--quick\` smoke run** (one short ` +
        "slice per route): indicative only.",
      "",
    );
  }
  // A route on the native path runs the same code as /naive/*: its ratio is this run's noise.
  const floor: string[] = [];
  for (const runtime of measured) {
    for (const r of reports.get(runtime)!.routes) {
      if (r.bodyPath === "native" && r.requestsRatio !== undefined) {
        floor.push(`${RUNTIME_LABELS[runtime]} ${sizeOf(r.route)} ${fmtSpeed(r)}`);
      }
    }
  }
  if (floor.length > 0) {
    lines.push(
      "Noise floor of this run: a route on the `native` path runs the same code as `/naive/*`, so " +
        `its ratio shows how far apart identical code measured: ${floor.join(", ")}. ` +
        "Ratios within that spread are not differences.",
      "",
    );
  }

  // Targets: one row per message route, one column per runtime.
  const messageRoutes = [
    ...new Set(
      [...reports.values()].flatMap((r) =>
        r.routes.filter((x) => x.route.startsWith("/messages/")).map((x) => x.route)
      ),
    ),
  ];
  for (const route of messageRoutes) {
    let met = 0;
    let missed = 0;
    const cells = RUNTIME_IDS.map((runtime) => {
      const report = reports.get(runtime);
      const result = report?.routes.find((r) => r.route === route);
      const speed = result?.requestsRatio;
      const rss = result?.rssRatio;
      if (result === undefined || speed === undefined || rss === undefined) return "not measured";
      const fast = speed >= LOAD_TARGETS.minRequestsRatio;
      const lean = rss <= LOAD_TARGETS.maxRssRatio;
      met += Number(fast) + Number(lean);
      missed += Number(!fast) + Number(!lean);
      return `${fast ? "✅" : "❌"} ${fmtSpeed(result)}, ${lean ? "✅" : "❌"} RSS ${
        fmtPct(rss)
      } (${result.bodyPath})`;
    });
    checks.push({
      label: `${route} vs /naive/${sizeOf(route)}`,
      target: `req/s ≥ ${LOAD_TARGETS.minRequestsRatio.toFixed(1)}×, RSS ≤ ${
        fmtPct(LOAD_TARGETS.maxRssRatio)
      }`,
      cells,
      met,
      missed,
    });
  }

  // The soak.
  const soakRuntime = RUNTIME_IDS.find((r) => reports.get(r)?.soak !== undefined);
  const soak = soakRuntime === undefined ? undefined : reports.get(soakRuntime)!.soak!;
  if (soak !== undefined && soakRuntime !== undefined) {
    const column = RUNTIME_IDS.indexOf(soakRuntime);
    const fallMet = soak.retainedFall >= LOAD_TARGETS.minRetainedFall;
    const burstMet = soak.burstFirstSecondHitRate > LOAD_TARGETS.minBurstHitRate;
    const cell = (text: string) =>
      RUNTIME_IDS.map((_, i) => (i === column ? text : "not measured"));
    checks.push({
      label: `soak: retained bytes after ${soak.idleSeconds} s idle`,
      target: `fall ≥ ${fmtPct(LOAD_TARGETS.minRetainedFall)}`,
      cells: cell(
        `${fallMet ? "✅" : "❌"} ${fmtPct(soak.retainedFall)} (${
          fmtBytes(soak.retainedAtLoadEnd)
        } → ${fmtBytes(soak.retainedAfterIdle)})`,
      ),
      met: Number(fallMet),
      missed: Number(!fallMet),
    }, {
      label: "soak: hit rate of the renewed burst's first second",
      target: `> ${fmtPct(LOAD_TARGETS.minBurstHitRate)}`,
      cells: cell(
        `${burstMet ? "✅" : "❌"} ${(soak.burstFirstSecondHitRate * 100).toFixed(2)}%` +
          (soak.burstRecoveryMs >= 0 ? `, > 95% after ${soak.burstRecoveryMs} ms` : ""),
      ),
      met: Number(burstMet),
      missed: Number(!burstMet),
    });
  }

  lines.push(
    "#### Targets",
    "",
    ...table(
      [
        "route",
        "target",
        ...measured.map((r) => `${RUNTIME_LABELS[r]} ${reports.get(r)!.runtime}`),
      ],
      checks.map((c) => [
        c.label,
        c.target,
        ...measured.map((r) => c.cells[RUNTIME_IDS.indexOf(r)]),
      ]),
    ),
    "",
    "Reading the targets: a JSON route on the `native` path runs the very code of `/naive/*`, so " +
      "its ratio is 1× give or take the noise (its bracket shows how much); it is there because no " +
      "library path beat the runtime's own `Response.json` clearly. That is the case on Bun " +
      "(JavaScriptCore's native `JSON.stringify`) and Deno (string bodies encoded on the way out), " +
      "where pooling cannot win for JSON and the example does not pool. A MessagePack route is " +
      "measured against that same native JSON: on Bun and Deno a JavaScript MessagePack encoder " +
      "plus a byte body has to beat native code, and where it does not, the route still takes the " +
      "fastest library path and the cell shows the miss. Extra peak RSS on a library route is the " +
      "runtime's, not the pool's: the pool retains at most the *pool retained* column. A " +
      "diagnostic run outside this bench (Bun: the MessagePack encoder run into a pooled writer " +
      "at startup by a server that then served only `Response.json`) reached the MessagePack " +
      "routes' size and stopped growing after a few thousand runs, which points at the one-off " +
      "cost of compiling the encoder rather than memory per request.",
    "",
  );

  // Per runtime.
  for (const runtime of measured) {
    const report = reports.get(runtime)!;
    lines.push(
      `#### ${RUNTIME_LABELS[runtime]} (${report.runtime}${report.quick ? ", --quick" : ""})`,
      "",
      `${report.generator ?? "autocannon"}${report.pinned ? " (pinned)" : ""}, ` +
        `${report.connections} connections, ` +
        (report.sets === undefined
          ? `${report.rounds} round(s) of ${report.durationSeconds} s per route`
          : `${report.sets} set(s) of fresh servers × ${
            report.rounds / report.sets
          } slice(s) of ${report.durationSeconds} s per route`) +
        `, ${report.date}.`,
      "",
      ...table(
        [
          "route",
          "path",
          "requests/s",
          "vs naive",
          "CPU / request",
          "CPU vs naive",
          "p99",
          "peak RSS",
          "RSS vs naive",
          "RSS at end vs naive",
          "pool retained",
          "errors",
        ],
        report.routes.map((r) => {
          const isNaive = r.route.startsWith("/naive/");
          return [
            isNaive ? r.route : `**${r.route}**`,
            r.bodyPath ?? "—",
            Math.round(r.requestsPerSec).toLocaleString("en-US"),
            isNaive ? "—" : fmtSpeed(r),
            `${r.cpuUsPerRequest} µs`,
            fmtRatio(r.cpuRatio, fmtX),
            `${r.p99Ms} ms`,
            fmtBytes(r.rssBytes),
            fmtRatio(r.rssRatio, fmtPct),
            fmtRatio(r.rssEndRatio, fmtPct),
            fmtBytes(r.retainedBytes),
            String(r.errors),
          ];
        }),
      ),
      "",
    );
  }

  // How the paths were chosen.
  if (explored.size > 0) {
    lines.push(
      "#### How each route's path was chosen (`--explore`)",
      "",
      "Every body path of every route on its own fresh server, measured as above; requests/s and " +
        "server CPU per request relative to the native JSON path (`Response.json`, the same body " +
        "as `/naive/*`) of the same size, as *path req/s ratio / CPU ratio* (above 1× is better for " +
        "both). In bold: the path the route takes in the load run above (`ROUTE_PATHS`): the " +
        "fastest, with ties (within the spread) going to the simpler path, and JSON to `native` " +
        "unless a library path beats it clearly. Paths: " +
        Object.entries(PATH_WHY).map(([path, why]) => `**${path}** = ${why}`).join("; ") + ".",
      "",
    );
    const exploredRuntimes = RUNTIME_IDS.filter((r) => explored.has(r));
    const routes = [
      ...new Set(
        [...explored.values()].flatMap((r) =>
          r.routes.map((x) => x.route.replace(/&via=\w+$/, ""))
        ),
      ),
    ];
    const rows: string[][] = [];
    for (const route of routes) {
      rows.push([
        route,
        ...exploredRuntimes.map((runtime) => {
          const report = explored.get(runtime)!;
          const native = report.routes.find((r) =>
            r.route === `/messages/${sizeOf(route)}?format=json&via=native`
          );
          const mine = report.routes.filter((r) => r.route.startsWith(`${route}&via=`));
          if (!native || mine.length === 0) return "not measured";
          // Bold what the load run's route took; without a load run, the least CPU per request.
          const format = /format=(\w+)/.exec(route)?.[1] ?? "";
          const size = sizeOf(route);
          const taken = (reports.get(runtime)?.paths as
            | Record<string, Record<string, string>>
            | undefined)?.[format]?.[size];
          const best = mine.find((r) => r.bodyPath === taken) ??
            mine.reduce((a, b) => (b.cpuUsPerRequest < a.cpuUsPerRequest ? b : a));
          return mine.map((r) => {
            const text = r === native
              ? "native 1× (the baseline)"
              : `${r.bodyPath} ${fmtSpeed(r)} / ${fmtRatio(r.cpuRatio, fmtX)}`;
            return r === best ? `**${text}**` : text;
          }).join(", ");
        }),
      ]);
    }
    lines.push(
      ...table(
        [
          "route",
          ...exploredRuntimes.map((r) => `${RUNTIME_LABELS[r]} ${explored.get(r)!.runtime}`),
        ],
        rows,
      ),
      "",
    );
  }

  if (soak !== undefined && soakRuntime !== undefined) {
    charts["load_soak.svg"] = await soakChart(soak, reports.get(soakRuntime)!.runtime);
    const caps = soak.samples.some((s) => s.tunedCaps !== undefined);
    lines.push(
      `#### Soak (${reports.get(soakRuntime)!.runtime})`,
      "",
      `![Soak: retained bytes per tier and hit rate](img/load_soak.svg)`,
      "",
      `${soak.loadSeconds} s of mixed load (${soak.routes.length} routes: every size in JSON and ` +
        `MessagePack, all on the pooled path), ${soak.idleSeconds} s idle, then a ${soak.burstSeconds} s ` +
        `burst; \`/stats\` sampled every 250 ms. Load: ${
          soak.loadRequestsPerSec.toLocaleString("en-US")
        } requests/s. Retained bytes: ${fmtBytes(soak.retainedAtLoadEnd)} at the end of the load, ${
          fmtBytes(soak.retainedAfterIdle)
        } after the idle phase (a ${fmtPct(soak.retainedFall)} fall). The burst's first second: ` +
        `${(soak.burstFirstSecondHitRate * 100).toFixed(2)}% hits${
          soak.burstRecoveryMs >= 0 ? `, above 95% from ${soak.burstRecoveryMs} ms on` : ""
        }.${caps ? "" : " This pool reports no per-class tuned caps (fixed retention)."}`,
      "",
    );
  }
  return { lines, checks, charts, leadCells: loadCells(reports) };
}

/** The lead's rows: each `/messages/*` route's requests/s over `/naive/*`'s, paired per slice. */
function loadCells(reports: Map<RuntimeId, LoadReport>): LeadCell[] {
  return [...reports].flatMap(([runtime, report]) =>
    report.routes.filter((r) => r.requestsRatio !== undefined).map((r) => ({
      operation: `HTTP: ${/format=(\w+)/.exec(r.route)?.[1] ?? ""} route`,
      size: sizeOf(r.route),
      runtime,
      ratio: r.requestsRatio!,
      rival: "/naive (Response.json)",
    }))
  );
}
