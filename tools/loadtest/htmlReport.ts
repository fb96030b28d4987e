import type { LoadtestReport, SeriesPoint } from './report.ts';
import { summaryText } from './report.ts';
import { chartsHtml, escapeHtml, scriptJson, uplotAssets } from '../uplotCharts.ts';
import type { ChartLine, ChartSpec } from '../uplotCharts.ts';

interface Chart {
  readonly title: string;
  readonly unit: string;
  readonly lines: readonly { readonly label: string; readonly key: keyof SeriesPoint; readonly color: string; readonly scale?: number }[];
  /** See {@link ChartSpec.minTop}. */
  readonly minTop?: number;
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
  { title: 'LLM gateway calls during the test', unit: 'calls', minTop: 5, lines: [{ label: 'calls', key: 'llmCalls', color: '#1f77b4' }, { label: 'cache hits', key: 'llmCacheHits', color: '#2ca02c' }] },
  { title: 'LLM cost during the test', unit: 'USD', minTop: 0.01, lines: [{ label: 'cost', key: 'llmCostUsd', color: '#ff7f0e' }] },
  { title: 'Bot errors per sample', unit: 'errors', lines: [{ label: 'errors', key: 'errors', color: '#d62728' }] },
];

/** Budget lines of the tick chart: the tick interval at the server's tick rate, and the p99 budget when one was set. */
function tickBudgets(report: LoadtestReport, n: number): ChartLine[] {
  const hz = report.options.tickRate ?? 20;
  const interval = Math.round((1000 / hz) * 100) / 100;
  const lines: ChartLine[] = [{ label: `tick budget ${interval} ms (${hz} Hz)`, color: '#000000', dash: true, values: new Array<number>(n).fill(interval) }];
  const p99 = report.options.tickP99Budget;
  if (p99 !== undefined) lines.push({ label: `p99 target ${p99} ms`, color: '#b00000', dash: true, values: new Array<number>(n).fill(p99) });
  return lines;
}

/**
 * The report's charts with their data: every time series, LLM calls and cost counted over the test's own window,
 * the cost axis fitted to the spend, and the tick chart with its budget lines.
 */
export function loadtestCharts(report: LoadtestReport): ChartSpec[] {
  const t = report.series.map((p) => p.t);
  return CHARTS.map((c) => {
    const lines: ChartLine[] = c.lines.map((l) => ({
      label: l.label,
      color: l.color,
      values: report.series.map((p) => {
        const v = p[l.key] as number;
        return Number.isFinite(v) ? v * (l.scale ?? 1) : null;
      }),
    }));
    if (c.title === 'Server tick') lines.push(...tickBudgets(report, t.length));
    return { title: c.title, unit: c.unit, xLabel: 's', x: t, lines, ...(c.minTop !== undefined && { minTop: c.minTop }) };
  });
}

/** A self-contained HTML page: the summary, errors by kind, and uPlot charts of every time series. */
export function renderHtmlReport(report: LoadtestReport): string {
  const errors = Object.entries(report.errorsByKind);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lairmind load test ${escapeHtml(report.startedAt)}</title>
<style>${uplotAssets().css}
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
<p>x axis: seconds since the bots started (ramp ${report.options.ramp} s, then ${report.options.duration} s steady). LLM calls and cost count from the test's first scrape of the server, not since the server started.</p>
${chartsHtml(loadtestCharts(report))}
<h2>Report data</h2>
<details><summary>JSON</summary><pre id="json"></pre></details>
<script>document.getElementById('json').textContent = JSON.stringify(${scriptJson(report)}, null, 2);</script>
</body></html>
`;
}
