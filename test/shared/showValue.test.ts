import { describe, expect, it } from 'vitest';
import { listValues, showValue } from '../../shared/index.ts';

describe('showValue: a bad value as an error message shows it', () => {
  it('shows small values as written', () => {
    expect(showValue('Wolf')).toBe('"Wolf"');
    expect(showValue(99)).toBe('99');
    expect(showValue(false)).toBe('false');
    expect(showValue(null)).toBe('null');
    expect(showValue('')).toBe('"" (empty)');
    expect(showValue([1, 2])).toBe('[1, 2]');
    expect(showValue({ x: 0, y: 'a' })).toBe('{ x: 0, y: "a" }');
  });

  it('cuts long text at a word boundary and says how long it was', () => {
    const long = 'the wolves gather at the edge of the forest when the moon is full and the wind is still';
    const shown = showValue(long);
    expect(shown).toBe('"the wolves gather at the edge of the forest when…" (87 characters)');
    expect(showValue('y'.repeat(300))).toBe(`"${'y'.repeat(48)}…" (300 characters)`);
  });

  it('sums up long lists and objects instead of cutting them mid-token', () => {
    expect(showValue(Array.from({ length: 300 }, (_, k) => k))).toBe('a list of 300 items');
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`key${k}`, k * 1000]));
    expect(showValue(big)).toMatch(/^an object with keys key0, key1, key2(, key\d+)*, … \(20 in all\)$/);
  });

  it('lists few values in full, many with how many in all', () => {
    expect(listValues(['wolf', 'boar'])).toBe('wolf, boar');
    expect(listValues(['a b', 1, true])).toBe('"a b", 1, true');
    expect(listValues(Array.from({ length: 30 }, (_, k) => `v${k}`))).toBe('v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, … (30 in all)');
  });
});
