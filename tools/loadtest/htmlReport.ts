import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LoadtestReport, SeriesPoint } from './report.ts';
import { summaryText } from './report.ts';

const require = createRequire(import.meta.url);

/** uPlot's built script and stylesheet, read once (inlined so the page opens offline). */
let uplot: { js: string; css: string } | undefined;
function uplotAssets(): { js: string; css: string } {
  uplot ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return uplot;
}

interface Chart {
  readonly title: string;
  readonly unit: string;
  readonly lines: readonly { readonly label: string; readonly key: keyof SeriesPoint; readonly color: string; readonly scale?: number }[];
}

/** The charts of the report, one per figure family of the time series. */
const CHARTS: readonly Chart[] = [
  { title: 'Bots', unit: 'bots', lines: [{ label: 'connected', key: 'connected', color: '#2b7bb9' }, { label: 'failed', key: 'failed', color: '#d62728' }] },
  { title: 'Join latency (all joins so far)', unit: 'ms', lines: [{ label: 'p50', key: 'joinP50Ms', color: '#2ca02c' }, { label: 'p95', key: 'joinP95Ms', color: '#ff7f0e' }, { label: 'p99', key: 'joinP99Ms', color: '#d62728' }] },
  { title: 'Ping round trip', unit: 'ms', lines: [{ label: 'p50', key: 'pingP50Ms', color: '#2ca02c' }, { label: 'p99', key: 'pingP99Ms', color: '#d62728' }] },
  { title: 'Patches per bot per second', unit: 'patches/s', lines: [{ label: 'patches', key: 'patchesPerBotS', color: '#9467bd' }] },
  { title: 'Bytes per bot per second', unit: 'KiB/s', lines: [{ label: 'down', key: 'bytesPerBotS', color: '#8c564b', scale: 1 / 1024 }] },
  { title: 'Server tick', unit: 'ms', lines: [{ label: 'tick p50', key: 'tickP50Ms', color: '#2ca02c' }, { label: 'tick p99', key: 'tickP99Ms', color: '#d62728' }, { label: 'patch p99', key: 'patchP99Ms', color: '#7f7f7f' }] },
  { title: 'CPU', unit: '% of a core', lines: [{ label: 'server', key: 'serverCpuPct', color: '#1f77b4' }, { label: 'busiest generator worker', key: 'generatorCpuPct', color: '#bcbd22' }] },
  { title: 'Server RSS', unit: 'MB', lines: [{ label: 'rss', key: 'serverRssMb', color: '#17becf' }] },
  { title: 'Mind decisions per second', unit: 'decisions/s', lines: [{ label: 'layer-3 decisions', key: 'mindDecisionsPerS', color: '#e377c2' }] },
  { title: 'LLM gateway (totals)', unit: 'calls', lines: [{ label: 'calls', key: 'llmCalls', color: '#1f77b4' }, { label: 'cache hits', key: 'llmCacheHits', color: '#2ca02c' }] },
  { title: 'LLM cost (total)', unit: 'USD', lines: [{ label: 'cost', key: 'llmCostUsd', color: '#ff7f0e' }] },
  { title: 'Bot errors per sample', unit: 'errors', lines: [{ label: 'errors', key: 'errors', color: '#d62728' }] },
];

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe inside a <script> element. */
const scriptJson = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)).replace(/</g, '\\u003c');

/** A self-contained HTML page: the summary, errors by kind, and uPlot charts of every time series. */
export function renderHtmlReport(report: LoadtestReport): string {
  const { js, css } = uplotAssets();
  const t = report.series.map((p) => p.t);
  const charts = CHARTS.map((c) => ({
    title: c.title,
    unit: c.unit,
    labels: c.lines.map((l) => l.label),
    colors: c.lines.map((l) => l.color),
    data: [t, ...c.lines.map((l) => report.series.map((p) => {
      const v = p[l.key] as number;
      return Number.isFinite(v) ? v * (l.scale ?? 1) : null;
    }))],
  }));
  const errors = Object.entries(report.errorsByKind);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lairmind load test ${escapeHtml(report.startedAt)}</title>
<style>${css}
body{font:14px system-ui,sans-serif;margin:24px;color:#222}pre{background:#f6f6f6;padding:12px;overflow:auto}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #ddd;padding:8px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}
.bad{color:#b00}.good{color:#070}</style></head>
<body>
<h1>Lairmind load test</h1>
<p>Started ${escapeHtml(report.startedAt)} against ${escapeHtml(report.options.url)}; result:
<strong class="${report.ok ? 'good' : 'bad'}">${report.ok ? 'ok' : `failed: ${escapeHtml(report.failures.join('; '))}`}</strong></p>
<pre>${escapeHtml(summaryText(report))}</pre>
<h2>Errors by kind</h2>
${errors.length ? `<table><tr><th>kind</th><th>count</th></tr>${errors.map(([k, n]) => `<tr><td>${escapeHtml(k)}</td><td>${n}</td></tr>`).join('')}</table>` : '<p>none</p>'}
${report.errorExamples.length ? `<ul>${report.errorExamples.map((e) => `<li>${escapeHtml(e.kind)}: ${escapeHtml(e.message)}</li>`).join('')}</ul>` : ''}
<h2>Time series</h2>
<p>x axis: seconds since the bots started (ramp ${report.options.ramp} s, then ${report.options.duration} s steady).</p>
<div class="charts" id="charts"></div>
<script>${js}</script>
<script>
const charts = ${scriptJson(charts)};
const root = document.getElementById('charts');
for (const c of charts) {
  const el = document.createElement('div');
  el.className = 'chart';
  root.appendChild(el);
  new uPlot({
    title: c.title + ' (' + c.unit + ')', width: 560, height: 240, scales: { x: { time: false } },
    axes: [{ label: 's' }, { label: c.unit }],
    series: [{ label: 't (s)' }, ...c.labels.map((label, i) => ({ label, stroke: c.colors[i], width: 2, spanGaps: true }))],
  }, c.data, el);
}
</script>
<h2>Report data</h2>
<details><summary>JSON</summary><pre id="json"></pre></details>
<script>document.getElementById('json').textContent = JSON.stringify(${scriptJson(report)}, null, 2);</script>
</body></html>
`;
}
