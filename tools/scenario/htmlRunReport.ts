import { chartsHtml, escapeHtml, scriptJson, uplotAssets } from '../uplotCharts.ts';
import type { ChartLine, ChartSpec } from '../uplotCharts.ts';
import type { RunReport } from './runReport.ts';
import { formatSummary } from './runReport.ts';
import type { TimelineEntry } from './runTimeline.ts';
import { ENTRY_LABEL, entryText } from './timelineText.ts';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const KIND_COLOR: Record<TimelineEntry['kind'], string> = { death: '#d62728', trigger: '#1f77b4', plan: '#7f7f7f', outcome: '#000000' };

/** One colour per side, the same in every chart. */
function sideColors(r: RunReport): Map<string, string> {
  const sides = [...new Set([...Object.keys(r.series.alive), ...Object.keys(r.series.damage)])].sort();
  return new Map(sides.map((s, i) => [s, PALETTE[i % PALETTE.length] as string]));
}

/** Deaths per side so far at each sampled tick. */
function deathsSeries(r: RunReport): Record<string, number[]> {
  const deaths = r.timeline.filter((e): e is Extract<TimelineEntry, { kind: 'death' }> => e.kind === 'death');
  const out: Record<string, number[]> = {};
  for (const side of new Set(deaths.map((d) => d.victimSide))) {
    let k = 0;
    let n = 0;
    const mine = deaths.filter((d) => d.victimSide === side);
    out[side] = r.series.ticks.map((t) => {
      while (k < mine.length && (mine[k] as TimelineEntry).tick <= t) {
        k++;
        n++;
      }
      return n;
    });
  }
  return out;
}

/** The report's charts: living actors, damage dealt and deaths per side over the run's ticks. */
export function scenarioCharts(r: RunReport): ChartSpec[] {
  const colors = sideColors(r);
  const lines = (o: Readonly<Record<string, readonly number[]>>, stepped: boolean): ChartLine[] =>
    Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([side, values]) => ({ label: side, color: colors.get(side) ?? '#333', values, stepped }));
  const x = r.series.ticks;
  return [
    { title: 'Living actors per side', unit: 'actors', xLabel: 'tick', x, lines: lines(r.series.alive, true), minTop: 1 },
    { title: 'Damage dealt per side (so far)', unit: 'hp', xLabel: 'tick', x, lines: lines(r.series.damage, false), minTop: 1 },
    { title: 'Deaths per side (so far)', unit: 'deaths', xLabel: 'tick', x, lines: lines(deathsSeries(r), true), minTop: 1 },
  ];
}

/** The timeline as a strip: one mark per entry at its tick, coloured by kind, with its text as a tooltip. */
export function timelineSvg(r: RunReport): string {
  const W = 1120, H = 90, L = 70, R = 24;
  const end = Math.max(1, r.ticks);
  const x = (t: number): number => L + ((W - L - R) * t) / end;
  const rows: TimelineEntry['kind'][] = ['plan', 'trigger', 'death', 'outcome'];
  const y = (k: TimelineEntry['kind']): number => 12 + rows.indexOf(k) * 18;
  const marks = r.timeline.map((e) => {
    const title = `<title>tick ${e.tick}: ${escapeHtml(entryText(e))}</title>`;
    const cx = x(e.tick).toFixed(1);
    if (e.kind === 'outcome') return `<rect class="mark outcome" x="${(x(e.tick) - 2).toFixed(1)}" y="${y(e.kind) - 7}" width="4" height="14" fill="${KIND_COLOR.outcome}">${title}</rect>`;
    return `<circle class="mark ${e.kind}" cx="${cx}" cy="${y(e.kind)}" r="5" fill="${KIND_COLOR[e.kind]}" fill-opacity="0.75">${title}</circle>`;
  });
  const labels = rows.map((k) => `<text x="4" y="${y(k) + 4}" font-size="12">${ENTRY_LABEL[k]}s</text>`);
  const axis = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const t = Math.round(end * f);
    return `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="4" y2="${H - 16}" stroke="#ddd"/><text x="${x(t).toFixed(1)}" y="${H - 3}" font-size="11" text-anchor="${f === 1 ? 'end' : 'middle'}">tick ${t}</text>`;
  });
  return `<svg class="timeline" style="max-width:100%;height:auto" role="img" aria-label="timeline of the run" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg">${axis.join('')}${labels.join('')}${marks.join('')}</svg>`;
}

const rowsHtml = (rows: readonly (readonly (string | number)[])[]): string => rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`).join('');

/** A self-contained HTML page of a headless run: outcome, timeline, charts, survivors per pack, players, summary. */
export function renderScenarioHtml(r: RunReport): string {
  const last = r.timeline[r.timeline.length - 1];
  const outcome = last?.kind === 'outcome' ? entryText(last) : `${r.outcome.result}: ${r.outcome.reason}`;
  const timeline = r.timeline.map((e) => `<tr class="${e.kind}"><td>${e.tick}</td><td>${ENTRY_LABEL[e.kind]}</td><td>${escapeHtml(entryText(e))}</td></tr>`).join('');
  const pct = (a: number, b: number): string => (b > 0 ? `${Math.round((a / b) * 100)} %` : 'n/a');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lairmind scenario ${escapeHtml(r.scenario)} (seed ${escapeHtml(String(r.seed))})</title>
<style>${uplotAssets().css}
body{font:14px system-ui,sans-serif;margin:24px;color:#222}pre{background:#f6f6f6;padding:12px;overflow:auto}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #ddd;padding:8px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}
tr.death td:nth-child(2){color:#d62728}tr.trigger td:nth-child(2){color:#1f77b4}tr.outcome{font-weight:bold}
.win{color:#070}.lose{color:#b00}</style></head>
<body>
<h1>Scenario ${escapeHtml(r.scenario)}</h1>
<p>Seed ${escapeHtml(String(r.seed))}; ${r.ticks} ticks (${r.seconds} s simulated). Outcome at tick ${r.outcome.tick}:
<strong class="${r.outcome.result}">${escapeHtml(outcome)}</strong></p>
<h2>Timeline</h2>
${timelineSvg(r)}
<table id="timeline"><tr><th>tick</th><th>what</th><th>detail</th></tr>${timeline}</table>
${r.timelineDropped ? `<p>${r.timelineDropped} later entries were not kept.</p>` : ''}
<h2>Survivors per pack</h2>
${r.survivors.length ? `<table id="survivors"><tr><th>pack</th><th>species</th><th>side</th><th>alive</th><th>hp left</th></tr>${rowsHtml(r.survivors.map((p) => [p.pack, p.species.toLowerCase(), p.side, `${p.alive}/${p.total}`, `${p.hp}/${p.maxHp} (${pct(p.hp, p.maxHp)})`]))}</table>` : '<p>no packs</p>'}
<h2>Players</h2>
${r.players.length ? `<table id="players"><tr><th>player</th><th>state</th><th>hp</th><th>kills</th><th>damage dealt</th><th>deaths</th><th>at</th></tr>${rowsHtml(r.players.map((p) => [p.name, p.alive ? 'alive' : `dead (killed by ${p.killedBy ?? 'unknown'})`, `${p.hp}/${p.maxHp}`, p.kills, p.damageDealt, p.deaths, `(${p.at.x}, ${p.at.y})`]))}</table>` : '<p>none</p>'}
<h2>Over time</h2>
<p>x axis: simulation ticks (${r.ticks} in all).</p>
${chartsHtml(scenarioCharts(r))}
<h2>Summary</h2>
<pre>${escapeHtml(formatSummary(r, false))}</pre>
<h2>Report data</h2>
<details><summary>JSON</summary><pre id="json"></pre></details>
<script>document.getElementById('json').textContent = JSON.stringify(${scriptJson(r)}, null, 2);</script>
</body></html>
`;
}
