/**
 * The live pool dashboard served at `GET /`: one self-contained HTML page (no
 * CDN, nothing external) that polls `/stats` and draws the last minute: rents
 * per second and outstanding buffers, and the retained bytes of each tier.
 * When `stats()` has a per-class breakdown with each class's tuned cap
 * (`classes[i].cap`, from the pool's auto-tuned retention) it shows that too;
 * the field is feature-detected, so the page works with either pool.
 *
 * Every figure is rendered into an element with a `data-stat` attribute and
 * its exact value in `data-value`, so a browser test can read what the page
 * shows without parsing formatted text.
 *
 * @module
 */

/** How often the page polls `/stats`, in milliseconds. */
export const DASHBOARD_POLL_MS: number = 500;

/** How much history the chart shows, in seconds. */
export const DASHBOARD_WINDOW_SECONDS: number = 60;

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #f6f8fa; --card: #fff; --muted: #59636e;
  --line: #d1d9e0; --rents: #0969da; --outstanding: #cf222e;
  --tier0: #1a7f37; --tier1: #9a6700; --tier2: #8250df; --tier3: #bf3989; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --card: #161b22;
  --muted: #8b949e; --line: #30363d; --rents: #4493f8; --outstanding: #f85149;
  --tier0: #3fb950; --tier1: #d29922; --tier2: #a371f7; --tier3: #db61a2; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 960px; margin: 0 auto; padding: 20px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 14px; margin: 0 0 8px; color: var(--muted); font-weight: 600; }
.sub { color: var(--muted); margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 10px; margin-bottom: 16px; }
.card, section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 22px; font-variant-numeric: tabular-nums; font-weight: 600; }
section { margin-bottom: 16px; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: right; padding: 4px 8px; border-bottom: 1px solid var(--line); }
th:first-child, td:first-child { text-align: left; }
svg { width: 100%; height: 180px; display: block; }
svg#retained-chart { height: 140px; }
.legend span { margin-right: 16px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
#status.error { color: var(--outstanding); }
`;

const SCRIPT = `
"use strict";
const POLL_MS = ${DASHBOARD_POLL_MS};
const WINDOW_MS = ${DASHBOARD_WINDOW_SECONDS} * 1000;
const history = [];
let previous;

const number = new Intl.NumberFormat("en-US");
function formatBytes(n) {
  if (n < 1024) return n + " B";
  if (n < 1048576) return (n / 1024).toFixed(1) + " KiB";
  return (n / 1048576).toFixed(1) + " MiB";
}
function show(name, value, text) {
  for (const el of document.querySelectorAll('[data-stat="' + name + '"]')) {
    el.dataset.value = String(value);
    el.textContent = text ?? number.format(value);
  }
}
function cell(value, text) {
  const td = document.createElement("td");
  td.dataset.value = String(value);
  td.textContent = text ?? number.format(value);
  return td;
}

function render(stats, now) {
  let rentsPerSecond = 0;
  if (previous !== undefined && now > previous.time) {
    rentsPerSecond = Math.max(0, (stats.rented - previous.rented) * 1000 / (now - previous.time));
  }
  previous = { time: now, rented: stats.rented };
  history.push({
    time: now,
    rentsPerSecond,
    outstanding: stats.outstanding,
    tierRetained: stats.tiers.map((tier) => tier.retainedBytes),
  });
  while (history.length > 0 && history[0].time < now - WINDOW_MS) history.shift();

  for (const key of ["outstanding", "rented", "returned", "hits", "misses", "unpooled", "dropped"]) {
    show(key, stats[key]);
  }
  show("retainedBytes", stats.retainedBytes, formatBytes(stats.retainedBytes));
  show("rentsPerSecond", Math.round(rentsPerSecond));
  const pooledRents = stats.hits + stats.misses;
  const hitRate = pooledRents === 0 ? 0 : stats.hits / pooledRents;
  show("hitRate", hitRate, (hitRate * 100).toFixed(1) + " %");

  const rows = stats.tiers.map((tier) => {
    const tr = document.createElement("tr");
    tr.dataset.tier = tier.name;
    const name = document.createElement("td");
    name.textContent = tier.name + " (≤ " + formatBytes(tier.maxSize) + ")";
    tr.append(name, cell(tier.hits), cell(tier.misses), cell(tier.retainedBuffers),
      cell(tier.retainedBytes, formatBytes(tier.retainedBytes)));
    return tr;
  });
  document.getElementById("tiers").replaceChildren(...rows);
  renderClasses(stats);
  drawChart(now);
  drawRetainedChart(now, stats.tiers.map((tier) => tier.name));
  document.body.dataset.updates = String(Number(document.body.dataset.updates ?? "0") + 1);
}

function drawChart(now) {
  const svg = document.getElementById("chart");
  // Draw in CSS pixels so text is never stretched.
  const width = Math.max(300, Math.round(svg.getBoundingClientRect().width)), height = 180, left = 48, bottom = 20, top = 8;
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  const maxRents = Math.max(10, ...history.map((p) => p.rentsPerSecond));
  const maxOutstanding = Math.max(4, ...history.map((p) => p.outstanding));
  const x = (t) => left + (width - left) * (1 - (now - t) / WINDOW_MS);
  const y = (v, max) => top + (height - top - bottom) * (1 - v / max);
  const line = (key, max) => history.map((p) => x(p.time).toFixed(1) + "," + y(p[key], max).toFixed(1)).join(" ");
  const grid = [0, 0.5, 1].map((f) => {
    const gy = y(maxRents * f, maxRents).toFixed(1);
    return '<line x1="' + left + '" x2="' + width + '" y1="' + gy + '" y2="' + gy + '" stroke="var(--line)"/>' +
      '<text x="' + (left - 6) + '" y="' + gy + '" dy="4" text-anchor="end" fill="var(--muted)" font-size="11">' +
      number.format(Math.round(maxRents * f)) + '</text>';
  }).join("");
  const anchor = (s) => s === 60 ? "start" : s === 0 ? "end" : "middle";
  const ticks = [60, 45, 30, 15, 0].map((s) =>
    '<text x="' + x(now - s * 1000).toFixed(1) + '" y="' + (height - 4) + '" text-anchor="' + anchor(s) + '" fill="var(--muted)" font-size="11">' +
    (s === 0 ? "now" : "-" + s + "s") + '</text>').join("");
  svg.innerHTML = grid + ticks +
    '<polyline fill="none" stroke="var(--rents)" stroke-width="2" points="' + line("rentsPerSecond", maxRents) + '"/>' +
    '<polyline fill="none" stroke="var(--outstanding)" stroke-width="1.5" stroke-dasharray="4 3" points="' +
    line("outstanding", maxOutstanding) + '"/>';
  svg.dataset.points = String(history.length);
}

// Per-class caps arrive with the pool's auto-tuned retention: show them when stats() has them.
function renderClasses(stats) {
  const section = document.getElementById("classes-section");
  const classes = Array.isArray(stats.classes) ? stats.classes.filter((c) => typeof c.cap === "number") : [];
  section.hidden = classes.length === 0;
  if (classes.length === 0) return;
  if (typeof stats.released === "number") show("released", stats.released);
  document.getElementById("retention").textContent = stats.retention === undefined ? "" : "retention: " + stats.retention;
  // Classes never used are all zeros: leave them out so the table stays short.
  const used = classes.filter((c) => c.hits + c.misses + c.retainedBuffers + c.outstanding > 0);
  const rows = used.map((c) => {
    const tr = document.createElement("tr");
    tr.dataset.classSize = String(c.size);
    const name = document.createElement("td");
    name.textContent = formatBytes(c.size) + " (" + c.tier + ")";
    tr.append(name, cell(c.outstanding), cell(c.peak ?? 0), cell(c.cap), cell(c.retainedBuffers),
      cell(c.retainedBuffers * c.size, formatBytes(c.retainedBuffers * c.size)));
    return tr;
  });
  document.getElementById("classes").replaceChildren(...rows);
}

function drawRetainedChart(now, names) {
  const svg = document.getElementById("retained-chart");
  const width = Math.max(300, Math.round(svg.getBoundingClientRect().width)), height = 140, left = 64, bottom = 20, top = 8;
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  const maxBytes = Math.max(1024, ...history.flatMap((p) => p.tierRetained));
  const x = (t) => left + (width - left) * (1 - (now - t) / WINDOW_MS);
  const y = (v) => top + (height - top - bottom) * (1 - v / maxBytes);
  const grid = [0, 0.5, 1].map((f) => {
    const gy = y(maxBytes * f).toFixed(1);
    return '<line x1="' + left + '" x2="' + width + '" y1="' + gy + '" y2="' + gy + '" stroke="var(--line)"/>' +
      '<text x="' + (left - 6) + '" y="' + gy + '" dy="4" text-anchor="end" fill="var(--muted)" font-size="11">' +
      formatBytes(Math.round(maxBytes * f)) + '</text>';
  }).join("");
  const lines = names.map((name, i) =>
    '<polyline fill="none" stroke="var(--tier' + Math.min(i, 3) + ')" stroke-width="2" data-tier="' + name + '" points="' +
    history.map((p) => x(p.time).toFixed(1) + "," + y(p.tierRetained[i] ?? 0).toFixed(1)).join(" ") + '"/>').join("");
  svg.innerHTML = grid + lines;
  svg.dataset.points = String(history.length);
  document.getElementById("retained-legend").innerHTML = names.map((name, i) =>
    '<span><i style="background:var(--tier' + Math.min(i, 3) + ')"></i>' + name + '</span>').join("");
}

async function poll() {
  const status = document.getElementById("status");
  try {
    const response = await fetch("stats", { cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    render(await response.json(), performance.now());
    status.textContent = "live · updated " + new Date().toLocaleTimeString();
    status.className = "";
  } catch (error) {
    status.textContent = "cannot reach /stats: " + error.message;
    status.className = "error";
  } finally {
    setTimeout(poll, POLL_MS);
  }
}
poll();
`;

function card(label: string, stat: string): string {
  return `<div class="card"><div class="label">${label}</div>` +
    `<div class="value" data-stat="${stat}" data-value="">–</div></div>`;
}

/** The dashboard page: self-contained HTML with inline CSS, script and SVG chart. */
export const dashboardHtml: string = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@catga/memory · pool dashboard</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>@catga/memory · live pool</h1>
<p class="sub">MemoryPool.shared on this server · polled every ${DASHBOARD_POLL_MS} ms · <span id="status">connecting…</span></p>
<div class="cards">
${card("Outstanding", "outstanding")}
${card("Rents / s", "rentsPerSecond")}
${card("Rented", "rented")}
${card("Returned", "returned")}
${card("Hits", "hits")}
${card("Misses", "misses")}
${card("Hit rate", "hitRate")}
${card("Unpooled", "unpooled")}
${card("Dropped", "dropped")}
${card("Retained", "retainedBytes")}
</div>
<section>
<h2>Last minute</h2>
<svg id="chart" viewBox="0 0 600 180" role="img" aria-label="rents per second and outstanding buffers over the last minute"></svg>
<div class="legend"><span><i style="background:var(--rents)"></i>rents / s</span><span><i style="background:var(--outstanding)"></i>outstanding (own scale)</span></div>
</section>
<section>
<h2>Retained bytes per tier, last minute</h2>
<svg id="retained-chart" viewBox="0 0 600 140" role="img" aria-label="retained bytes per tier over the last minute"></svg>
<div class="legend" id="retained-legend"></div>
</section>
<section>
<h2>Tiers</h2>
<table>
<thead><tr><th>Tier</th><th>Hits</th><th>Misses</th><th>Retained buffers</th><th>Retained bytes</th></tr></thead>
<tbody id="tiers"></tbody>
</table>
</section>
<section id="classes-section" hidden>
<h2>Size classes in use · <span id="retention"></span> · released when idle: <span data-stat="released" data-value="">–</span></h2>
<table>
<thead><tr><th>Class</th><th>Outstanding</th><th>Peak</th><th>Cap</th><th>Retained buffers</th><th>Retained bytes</th></tr></thead>
<tbody id="classes"></tbody>
</table>
</section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
