import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** One line of a chart. `dash` draws it dashed (budgets and targets). */
export interface ChartLine {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
  readonly dash?: boolean;
  /** Draw steps instead of slopes (counts that change at one instant). */
  readonly stepped?: boolean;
}

/** A chart of lines over a shared x axis, as the HTML reports draw it with uPlot. */
export interface ChartSpec {
  readonly title: string;
  readonly unit: string;
  readonly xLabel: string;
  readonly x: readonly number[];
  readonly lines: readonly ChartLine[];
  /**
   * The y axis runs from 0 to at least this (the data's maximum when higher): a chart of zeros gets a small
   * axis that fits its unit instead of uPlot's default 0–100.
   */
  readonly minTop?: number;
}

/** uPlot's built script and stylesheet (inlined so a report opens offline). */
export function uplotAssets(): { js: string; css: string } {
  return {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside a <script> element (non-finite numbers become null). */
export const scriptJson = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)).replace(/</g, '\\u003c');

/** The top of a chart's y axis: the data's maximum with a little headroom, at least `minTop`. */
export function chartTop(c: ChartSpec): number | null {
  if (c.minTop === undefined) return null;
  let max = 0;
  for (const l of c.lines) for (const v of l.values) if (v !== null && Number.isFinite(v) && v > max) max = v;
  return Math.max(c.minTop, max * 1.1);
}

/**
 * The charts as page content: a container, uPlot inlined, and a script that draws each chart (its data embedded
 * as JSON). Include the css of {@link uplotAssets} in the page's style.
 */
export function chartsHtml(charts: readonly ChartSpec[], id = 'charts'): string {
  const data = charts.map((c) => ({
    title: `${c.title} (${c.unit})`,
    unit: c.unit,
    xLabel: c.xLabel,
    top: chartTop(c),
    lines: c.lines.map((l) => ({ label: l.label, color: l.color, dash: l.dash === true, stepped: l.stepped === true })),
    data: [c.x, ...c.lines.map((l) => l.values)],
  }));
  return `<div class="charts" id="${escapeHtml(id)}"></div>
<script>${uplotAssets().js}</script>
<script>
(() => {
const charts = ${scriptJson(data)};
const root = document.getElementById(${scriptJson(id)});
for (const c of charts) {
  const el = document.createElement('div');
  el.className = 'chart';
  root.appendChild(el);
  const y = c.top === null ? {} : { range: (u, min, max) => [Math.min(0, min ?? 0), Math.max(c.top, max ?? 0)] };
  new uPlot({
    title: c.title, width: 560, height: 240, scales: { x: { time: false }, y },
    axes: [{ label: c.xLabel }, { label: c.unit }],
    series: [{ label: c.xLabel }, ...c.lines.map((l) => ({
      label: l.label, stroke: l.color, width: 2, spanGaps: true,
      ...(l.dash && { dash: [8, 6], points: { show: false } }), ...(l.stepped && { paths: uPlot.paths.stepped({ align: 1 }) }),
    }))],
  }, c.data, el);
}
})();
</script>`;
}
