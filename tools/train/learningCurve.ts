import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { chartsHtml, escapeHtml, scriptJson, uplotAssets } from '../uplotCharts.ts';
import type { ChartSpec } from '../uplotCharts.ts';
import { formatDuration } from './progressBar.ts';
import { ADVANCE, drawText, fillRect, GLYPH_H, setPixel, textWidth } from '../worldPreview/pixelFont.ts';

/** One generation of training. */
export interface CurvePoint {
  readonly generation: number;
  /** Seconds since training started. */
  readonly seconds: number;
  /** Curriculum stage the generation trained on. */
  readonly stage: string;
  /** Mean reward of the population's perturbations. */
  readonly fitness: number;
  /** Best reward among them. */
  readonly fitnessBest: number;
  /** Win rate (0..1) of the current policy on the generation's battles. */
  readonly winRate: number;
  /** Win rate (0..1) on the fixed validation set, when it was measured this generation. */
  readonly validationWinRate?: number;
  /** Win rate (0..1) of the rule-based mind on the same validation set. */
  readonly rulesWinRate?: number;
}

/** A training run's learning curve. */
export interface LearningCurve {
  readonly title: string;
  readonly seed: string;
  readonly points: readonly CurvePoint[];
  readonly notes?: readonly string[];
}

type Rgb = readonly [number, number, number];

/** One drawn series: its colour in both the HTML and the PNG. */
export interface CurveSeries {
  readonly key: 'fitness' | 'fitnessBest' | 'winRate' | 'validationWinRate' | 'rulesWinRate';
  readonly label: string;
  readonly rgb: Rgb;
  readonly panel: 'reward' | 'winRate';
  readonly dash?: boolean;
}

export const CURVE_SERIES: readonly CurveSeries[] = [
  { key: 'fitness', label: 'mean reward', rgb: [31, 119, 180], panel: 'reward' },
  { key: 'fitnessBest', label: 'best reward', rgb: [255, 127, 14], panel: 'reward' },
  { key: 'rulesWinRate', label: 'rules (validation)', rgb: [148, 103, 189], panel: 'winRate', dash: true },
  { key: 'winRate', label: 'train win rate', rgb: [44, 160, 44], panel: 'winRate' },
  { key: 'validationWinRate', label: 'validation win rate', rgb: [214, 39, 40], panel: 'winRate' },
];

const RATES = new Set(['winRate', 'validationWinRate', 'rulesWinRate']);

/** Throw a clear error unless `curve` has points, in increasing generations, with finite numbers and rates in 0..1. */
export function validateLearningCurve(curve: LearningCurve): void {
  if (typeof curve.title !== 'string') throw new Error(`learning curve: title is ${String(curve.title)}: expected a string`);
  const name = `learning curve "${curve.title}"`;
  if (typeof curve.seed !== 'string') throw new Error(`${name}: seed is ${String(curve.seed)}: expected a string`);
  if (!Array.isArray(curve.points) || curve.points.length === 0) throw new Error(`${name}: points is empty: expected at least one generation`);
  let previous = -Infinity;
  curve.points.forEach((p, i) => {
    const at = `${name}: points[${i}] (generation ${String(p.generation)})`;
    const fields: (keyof CurvePoint)[] = ['generation', 'seconds', 'fitness', 'fitnessBest', 'winRate', 'validationWinRate', 'rulesWinRate'];
    for (const f of fields) {
      const v = p[f];
      if (v === undefined && (f === 'validationWinRate' || f === 'rulesWinRate')) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${at}.${f} is ${String(v)}: expected a finite number`);
      if (RATES.has(f) && (v < 0 || v > 1)) throw new Error(`${at}.${f} is ${v}: expected a win rate from 0 to 1`);
    }
    if (typeof p.stage !== 'string' || p.stage === '') throw new Error(`${at}.stage is ${JSON.stringify(p.stage)}: expected a stage name`);
    if (p.generation <= previous) throw new Error(`${at}.generation is ${p.generation}: expected more than the previous point's ${previous}`);
    previous = p.generation;
  });
  if (curve.notes !== undefined && (!Array.isArray(curve.notes) || curve.notes.some((n) => typeof n !== 'string'))) {
    throw new Error(`${name}: notes is ${JSON.stringify(curve.notes)}: expected a list of strings`);
  }
}

/** A run of consecutive generations on one curriculum stage. */
export interface StageSpan {
  readonly stage: string;
  /** Index of its first and last point. */
  readonly first: number;
  readonly last: number;
}

/** The curriculum stages in the order they were trained (a stage met again later is a new span). */
export function stageSpans(points: readonly CurvePoint[]): StageSpan[] {
  const spans: StageSpan[] = [];
  points.forEach((p, i) => {
    const cur = spans[spans.length - 1];
    if (cur && cur.stage === p.stage) spans[spans.length - 1] = { ...cur, last: i };
    else spans.push({ stage: p.stage, first: i, last: i });
  });
  return spans;
}

const pct = (v: number | undefined): string => (v === undefined ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const hex = (c: Rgb): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const lastOf = (points: readonly CurvePoint[], key: 'validationWinRate' | 'rulesWinRate'): number | undefined => points.findLast((p) => p[key] !== undefined)?.[key];

/** The two uPlot charts: reward (mean, best) and win rates in % (train, validation, the rules' reference). */
export function learningCurveCharts(curve: LearningCurve): ChartSpec[] {
  const x = curve.points.map((p) => p.generation);
  const chart = (panel: CurveSeries['panel'], title: string, unit: string): ChartSpec => ({
    title, unit, xLabel: 'generation', x,
    ...(panel === 'winRate' && { minTop: 100 }),
    lines: CURVE_SERIES.filter((s) => s.panel === panel && curve.points.some((p) => p[s.key] !== undefined)).map((s) => ({
      label: s.label,
      color: hex(s.rgb),
      ...(s.dash && { dash: true }),
      values: curve.points.map((p, i) => {
        // The rules' win rate is a reference level: held flat before its first and after its last measurement.
        const v = p[s.key] ?? (s.key === 'rulesWinRate' ? (lastOf(curve.points.slice(0, i), s.key) ?? curve.points.find((q) => q[s.key] !== undefined)?.[s.key]) : undefined);
        return v === undefined ? null : panel === 'winRate' ? Math.round(v * 10000) / 100 : v;
      }),
    })),
  });
  return [chart('reward', 'Reward of the perturbed policies', 'reward'), chart('winRate', 'Win rate', '% of battles won')];
}

/** A self-contained page: the run's figures, both charts, a table of the curriculum stages and the data. */
export function learningCurveHtml(curve: LearningCurve): string {
  validateLearningCurve(curve);
  const pts = curve.points;
  const last = pts[pts.length - 1] as CurvePoint;
  const rows = stageSpans(pts).map((s) => {
    const inStage = pts.slice(s.first, s.last + 1);
    const a = pts[s.first] as CurvePoint, b = pts[s.last] as CurvePoint;
    return `<tr><td>${escapeHtml(s.stage)}</td><td>${a.generation}–${b.generation}</td><td>${inStage.length}</td><td>${formatDuration(a.seconds)}</td><td>${b.fitness.toFixed(3)}</td><td>${pct(b.winRate)}</td><td>${pct(lastOf(inStage, 'validationWinRate'))}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(curve.title)}</title>
<style>${uplotAssets().css}
body{font:14px system-ui,sans-serif;margin:24px;color:#222}pre{background:#f6f6f6;padding:12px;overflow:auto}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #ddd;padding:8px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}</style></head>
<body>
<h1>${escapeHtml(curve.title)}</h1>
<p>Seed <code>${escapeHtml(curve.seed)}</code>; ${pts.length} generations (last ${last.generation}) in ${formatDuration(last.seconds)}.
Last train win rate ${pct(last.winRate)}, validation ${pct(lastOf(pts, 'validationWinRate'))}, rules on the same validation set ${pct(lastOf(pts, 'rulesWinRate'))}.</p>
${curve.notes?.length ? `<ul>${curve.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
${chartsHtml(learningCurveCharts(curve))}
<h2>Curriculum stages</h2>
<table><tr><th>stage</th><th>generations</th><th>count</th><th>started at</th><th>mean reward at end</th><th>train win rate at end</th><th>last validation win rate</th></tr>
${rows.join('\n')}</table>
<h2>Data</h2>
<details><summary>JSON</summary><pre id="json"></pre></details>
<script>document.getElementById('json').textContent = JSON.stringify(${scriptJson(curve)}, null, 2);</script>
</body></html>
`;
}

/** Ticks for an axis over [min, max]: a round step (1, 2 or 5 × 10^k) giving about `count` intervals. */
export function niceTicks(min: number, max: number, count: number, minStep = 0): { lo: number; hi: number; step: number; ticks: number[] } {
  if (max - min < 1e-9) {
    const pad = Math.max(Math.abs(min) * 0.1, minStep, 1e-3);
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(minStep, ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag);
  const lo = Math.floor(min / step + 1e-9) * step, hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) ticks.push(lo + k * step);
  return { lo, hi, step, ticks };
}

const tickText = (v: number, step: number): string => {
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const t = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(t) ? t.slice(1) : t;
};

/** Where the PNG draws things: the plot rectangles and the maps from data to pixels. */
export interface CurveLayout {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly reward: { readonly top: number; readonly bottom: number; readonly lo: number; readonly hi: number; readonly ticks: readonly number[]; readonly step: number };
  readonly winRate: { readonly top: number; readonly bottom: number };
  readonly xTicks: readonly number[];
  /** Pixel column of a generation. */
  x(generation: number): number;
  /** Pixel row of a value in a panel (a win rate as 0..1). */
  y(panel: CurveSeries['panel'], value: number): number;
}

export const PNG_WIDTH = 900;
export const PNG_HEIGHT = 520;

/** The PNG's layout for a curve (assumed valid). */
export function curveLayout(curve: LearningCurve): CurveLayout {
  const pts = curve.points;
  const g0 = (pts[0] as CurvePoint).generation, g1 = (pts[pts.length - 1] as CurvePoint).generation;
  const [x0, x1] = g1 > g0 ? [g0, g1] : [g0 - 1, g0 + 1];
  const left = 64, right = 708;
  const rewards = pts.flatMap((p) => [p.fitness, p.fitnessBest]);
  const r = niceTicks(Math.min(...rewards), Math.max(...rewards), 5);
  const reward = { top: 48, bottom: 236, lo: r.lo, hi: r.hi, ticks: r.ticks, step: r.step };
  const winRate = { top: 272, bottom: 460 };
  const xs = niceTicks(x0, x1, 8, 1);
  return {
    width: PNG_WIDTH, height: PNG_HEIGHT, left, right, reward, winRate,
    xTicks: xs.ticks.filter((t) => t >= x0 - 1e-9 && t <= x1 + 1e-9),
    x: (g) => Math.round(left + ((g - x0) / (x1 - x0)) * (right - left)),
    y: (panel, v) => (panel === 'reward'
      ? Math.round(reward.bottom - ((v - reward.lo) / (reward.hi - reward.lo)) * (reward.bottom - reward.top))
      : Math.round(winRate.bottom - v * (winRate.bottom - winRate.top))),
  };
}

const WHITE: Rgb = [255, 255, 255];
const SHADE: Rgb = [240, 241, 246];
const GRID: Rgb = [222, 222, 228];
const AXIS: Rgb = [70, 70, 70];
const INK: Rgb = [28, 28, 32];
const STAGE_LINE: Rgb = [130, 130, 140];

/** A line 2 px thick from (ax, ay) to (bx, by); dashed lines draw 6 px of every 10. */
function drawLine(png: PNG, ax: number, ay: number, bx: number, by: number, rgb: Rgb, dash = false): void {
  const dx = Math.abs(bx - ax), dy = -Math.abs(by - ay), sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1;
  let err = dx + dy, x = ax, y = ay, n = 0;
  for (;;) {
    if (!dash || n % 10 < 6) fillRect(png, x, y, 2, 2, rgb);
    n++;
    if (x === bx && y === by) return;
    const e2 = 2 * err;
    if (e2 >= dy) { err += dy; x += sx; }
    if (e2 <= dx) { err += dx; y += sy; }
  }
}

function drawPanel(png: PNG, L: CurveLayout, panel: CurveSeries['panel'], title: string, spans: readonly { x0: number; x1: number }[]): void {
  const { top, bottom } = panel === 'reward' ? L.reward : L.winRate;
  spans.forEach((s, i) => { if (i % 2 === 1) fillRect(png, s.x0, top, s.x1 - s.x0, bottom - top, SHADE); });
  const yTicks = panel === 'reward' ? L.reward.ticks : [0, 0.25, 0.5, 0.75, 1];
  for (const t of yTicks) {
    const y = L.y(panel, t);
    fillRect(png, L.left, y, L.right - L.left, 1, GRID);
    const label = panel === 'reward' ? tickText(t, L.reward.step) : `${Math.round(t * 100)}%`;
    drawText(png, label, L.left - 6 - textWidth(label, 1), y - 3, 1, INK);
    fillRect(png, L.left - 4, y, 4, 1, AXIS);
  }
  for (const g of L.xTicks) fillRect(png, L.x(g), top, 1, bottom - top, GRID);
  fillRect(png, L.left, top, 1, bottom - top + 1, AXIS);
  fillRect(png, L.left, bottom, L.right - L.left + 1, 1, AXIS);
  drawText(png, title, L.left, top - 12, 1, INK);
}

/** The learning curve as a PNG image (same curve, same bytes). */
export function learningCurvePng(curve: LearningCurve): Buffer {
  validateLearningCurve(curve);
  const L = curveLayout(curve);
  const pts = curve.points;
  const png = new PNG({ width: L.width, height: L.height });
  fillRect(png, 0, 0, L.width, L.height, WHITE);
  const title = curve.title.length * ADVANCE * 2 <= L.width - 32 ? { s: 2, t: curve.title } : { s: 1, t: curve.title.slice(0, Math.floor((L.width - 32) / ADVANCE)) };
  drawText(png, title.t, 16, 12, title.s, INK);

  const spans = stageSpans(pts).map((s, i, all) => {
    const a = pts[s.first] as CurvePoint, b = pts[s.last] as CurvePoint;
    const prev = i > 0 ? (pts[s.first - 1] as CurvePoint) : undefined, next = pts[s.last + 1];
    return {
      stage: s.stage,
      x0: prev ? Math.round((L.x(prev.generation) + L.x(a.generation)) / 2) : L.left,
      x1: next && i < all.length - 1 ? Math.round((L.x(b.generation) + L.x(next.generation)) / 2) : L.right,
    };
  });
  drawPanel(png, L, 'reward', 'reward (population mean and best)', spans);
  drawPanel(png, L, 'winRate', 'win rate (share of battles won)', spans);
  for (const g of L.xTicks) {
    const label = tickText(g, 1);
    drawText(png, label, L.x(g) - Math.floor(textWidth(label, 1) / 2), L.winRate.bottom + 6, 1, INK);
  }
  drawText(png, 'generation', Math.round((L.left + L.right - textWidth('generation', 1)) / 2), L.winRate.bottom + 20, 1, INK);

  // Stage boundaries: a dashed line across both panels, the stage's name at the top of its span.
  spans.forEach((s, i) => {
    if (i > 0) {
      for (const p of [L.reward, L.winRate]) for (let y = p.top; y < p.bottom; y++) if ((y - p.top) % 7 < 4) setPixel(png, s.x0, y, STAGE_LINE);
    }
    const room = Math.floor((s.x1 - s.x0 - 6) / ADVANCE);
    if (room >= 3) drawText(png, s.stage.length <= room ? s.stage : `${s.stage.slice(0, room - 1)}.`, s.x0 + 4, L.reward.top + 4, 1, STAGE_LINE);
  });

  for (const s of CURVE_SERIES) {
    const at = pts.flatMap((p) => (p[s.key] === undefined ? [] : [{ x: L.x(p.generation), y: L.y(s.panel, p[s.key] as number) }]));
    const first = at[0], end = at[at.length - 1];
    // The rules' win rate is a reference level: drawn across the whole plot, flat before and after its measurements.
    if (s.key === 'rulesWinRate' && first && end) {
      drawLine(png, L.left, first.y, first.x, first.y, s.rgb, true);
      drawLine(png, end.x, end.y, L.right, end.y, s.rgb, true);
    }
    for (let i = 1; i < at.length; i++) {
      const a = at[i - 1] as { x: number; y: number }, b = at[i] as { x: number; y: number };
      drawLine(png, a.x, a.y, b.x, b.y, s.rgb, s.dash === true);
    }
    if (s.key === 'validationWinRate' || at.length === 1) for (const p of at) fillRect(png, p.x - 2, p.y - 2, 5, 5, s.rgb);
  }

  // Legend and the run's figures, right of the plots.
  const lx = L.right + 20;
  let ly = L.reward.top;
  drawText(png, 'legend', lx, ly, 1, INK);
  ly += 14;
  for (const s of CURVE_SERIES) {
    if (!pts.some((p) => p[s.key] !== undefined)) continue;
    drawLine(png, lx, ly + 3, lx + 16, ly + 3, s.rgb, s.dash === true);
    drawText(png, s.label, lx + 22, ly, 1, INK);
    ly += GLYPH_H + 6;
  }
  const last = pts[pts.length - 1] as CurvePoint;
  const facts = [
    `seed ${curve.seed}`.slice(0, 28),
    `generations ${pts.length}`,
    `time ${formatDuration(last.seconds)}`,
    `train win ${pct(last.winRate)}`,
    `validation ${pct(lastOf(pts, 'validationWinRate'))}`,
    `rules ${pct(lastOf(pts, 'rulesWinRate'))}`,
    `best reward ${Math.max(...pts.map((p) => p.fitnessBest)).toFixed(3)}`,
    `stages ${spans.length}`,
  ];
  ly += 10;
  for (const f of facts) {
    drawText(png, f, lx, ly, 1, INK);
    ly += GLYPH_H + 6;
  }
  return PNG.sync.write(png, { colorType: 6 });
}

/** Write `learning-curve.html` and `learning-curve.png` into `dir` (created when missing); returns their paths. */
export function writeLearningCurve(dir: string, curve: LearningCurve): { html: string; png: string } {
  validateLearningCurve(curve);
  mkdirSync(dir, { recursive: true });
  const html = join(dir, 'learning-curve.html');
  const png = join(dir, 'learning-curve.png');
  writeFileSync(html, learningCurveHtml(curve));
  writeFileSync(png, learningCurvePng(curve));
  return { html, png };
}
