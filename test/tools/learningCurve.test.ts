import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { CURVE_SERIES, curveLayout, writeLearningCurve } from '../../tools/train/learningCurve.ts';
import type { CurvePoint, LearningCurve } from '../../tools/train/learningCurve.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'lairmind-curve-'));
  dirs.push(d);
  return d;
};
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** 41 generations over two stages; train win rate low (0.2→0.3), validation high (0.6→0.8) every 5, rules flat 0.45. */
function curve(): LearningCurve {
  const points: CurvePoint[] = [];
  for (let g = 0; g <= 40; g++) {
    points.push({
      generation: g, seconds: g * 10, stage: g < 20 ? 'solo wolves' : 'packs of three',
      fitness: -1 + g * 0.05, fitnessBest: g * 0.1, winRate: 0.2 + g * 0.0025,
      ...(g % 5 === 0 && { validationWinRate: 0.6 + g * 0.005, rulesWinRate: 0.45 }),
    });
  }
  return { title: 'policy es test', seed: 'seed-7', points, notes: ['population 8'] };
}

const rgbOf = (key: string): readonly number[] => (CURVE_SERIES.find((s) => s.key === key) as { rgb: readonly number[] }).rgb;
const rowsWith = (png: PNG, x: number, rgb: readonly number[]): number[] => {
  const rows: number[] = [];
  for (let y = 0; y < png.height; y++) {
    const i = (y * png.width + x) * 4;
    if (png.data[i] === rgb[0] && png.data[i + 1] === rgb[1] && png.data[i + 2] === rgb[2]) rows.push(y);
  }
  return rows;
};

describe('learning curve', () => {
  it('writes a PNG of the expected size with each series drawn where its values are', () => {
    const c = curve();
    const out = writeLearningCurve(tempDir(), c);
    const png = PNG.sync.read(readFileSync(out.png));
    expect([png.width, png.height]).toEqual([900, 520]);
    const L = curveLayout(c);
    const x = L.x(39);
    const expected = { fitness: L.y('reward', -1 + 39 * 0.05), fitnessBest: L.y('reward', 3.9), winRate: L.y('winRate', 0.2 + 39 * 0.0025), validationWinRate: L.y('winRate', 0.6 + 39 * 0.005), rulesWinRate: L.y('winRate', 0.45) };
    for (const [key, y] of Object.entries(expected)) {
      const rows = rowsWith(png, key === 'rulesWinRate' ? x - 3 : x, rgbOf(key));
      expect(rows.length, key).toBeGreaterThan(0);
      expect(Math.min(...rows.map((r) => Math.abs(r - y))), key).toBeLessThanOrEqual(2);
    }
    // Validation (about 80 %) is drawn in the win-rate panel above train (about 30 %), both below the reward panel.
    const v = rowsWith(png, x, rgbOf('validationWinRate')), t = rowsWith(png, x, rgbOf('winRate'));
    expect(Math.max(...v)).toBeLessThan(Math.min(...t));
    expect(Math.min(...v)).toBeGreaterThan(L.reward.bottom);
    expect(rowsWith(png, x, rgbOf('validationWinRate')).every((r) => r >= L.winRate.top && r <= L.winRate.bottom)).toBe(true);
    // The stage boundary between generations 19 and 20 is a dashed grey line.
    const boundary = Math.round((L.x(19) + L.x(20)) / 2);
    expect(rowsWith(png, boundary, [130, 130, 140]).length).toBeGreaterThan(50);
  });

  it('writes the same bytes for the same curve', () => {
    const a = readFileSync(writeLearningCurve(tempDir(), curve()).png);
    const b = readFileSync(writeLearningCurve(tempDir(), curve()).png);
    expect(a.equals(b)).toBe(true);
    const other = curve();
    const changed = { ...other, points: other.points.map((p) => (p.generation === 30 ? { ...p, winRate: 0.9 } : p)) };
    expect(readFileSync(writeLearningCurve(tempDir(), changed).png).equals(a)).toBe(false);
  });

  it('writes an HTML page with both charts, the series, the stages and the data', () => {
    const html = readFileSync(writeLearningCurve(tempDir(), curve()).html, 'utf8');
    for (const s of CURVE_SERIES) expect(html).toContain(s.label);
    expect(html).toContain('uPlot');
    expect(html).toContain('seed-7');
    expect(html).toMatch(/<td>solo wolves<\/td><td>0–19<\/td><td>20<\/td>/);
    expect(html).toMatch(/<td>packs of three<\/td><td>20–40<\/td><td>21<\/td>/);
    expect(html).toContain('"validationWinRate":0.8');
    expect(html).toContain('population 8');
  });

  it('rejects bad input with an error naming the point and field', () => {
    const c = curve();
    const bad = (i: number, patch: Partial<CurvePoint>): LearningCurve => ({ ...c, points: c.points.map((p, k) => (k === i ? { ...p, ...patch } : p)) });
    expect(() => writeLearningCurve(tempDir(), { ...c, points: [] })).toThrow(/points is empty/);
    expect(() => writeLearningCurve(tempDir(), bad(3, { fitness: Number.NaN }))).toThrow(/points\[3\] \(generation 3\)\.fitness is NaN: expected a finite number/);
    expect(() => writeLearningCurve(tempDir(), bad(7, { validationWinRate: Infinity }))).toThrow(/points\[7\].*validationWinRate is Infinity/);
    expect(() => writeLearningCurve(tempDir(), bad(2, { winRate: 1.5 }))).toThrow(/points\[2\].*winRate is 1.5: expected a win rate from 0 to 1/);
    expect(() => writeLearningCurve(tempDir(), bad(5, { generation: 2 }))).toThrow(/points\[5\].*generation is 2: expected more than/);
    expect(() => writeLearningCurve(tempDir(), bad(0, { stage: '' }))).toThrow(/points\[0\].*stage/);
  });
});
