/**
 * The HTTP load section (bench/load.ts, autocannon against the example
 * service), moved verbatim from the single-file report; the `http` helper
 * owns its rewrite. It reads the raw extras of bench/results/load.*.json.
 *
 * @module
 */
import { RUNTIME_IDS, RUNTIME_LABELS } from "../../bench/_schema.ts";
import { fmtBytes, fmtX, pct, table } from "./format.ts";
import type { ResultFile } from "./results.ts";
import type { TargetCheck } from "./section.ts";

const RUNTIMES = RUNTIME_IDS;
const RUNTIME_LABEL = RUNTIME_LABELS;

interface LoadRoute {
  route: string;
  requestsPerSec: number;
  p99Ms: number;
  rssBytes: number;
  errors: number;
}

/** The load section from the raw extras of bench/results/load.*.json (unchanged rendering). */
export function loadSection(files: ResultFile[]): { lines: string[]; checks: TargetCheck[] } {
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
