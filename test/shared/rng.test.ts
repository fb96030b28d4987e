import { describe, expect, it } from 'vitest';
import { Rng } from '../../shared/index.ts';

const draws = (r: Rng, n: number): number[] => Array.from({ length: n }, () => r.next());

describe('Rng', () => {
  it('same seed gives the same stream, another seed another stream', () => {
    expect(draws(Rng.create(42), 20)).toEqual(draws(Rng.create('42'), 20));
    expect(draws(Rng.create(42), 20)).not.toEqual(draws(Rng.create(43), 20));
  });

  it('forks are independent of the parent and of each other', () => {
    const a = Rng.create('w');
    const terrainBefore = draws(a.fork('terrain'), 10);
    draws(a, 1000); // the parent drawing does not shift a fork
    a.fork('actors').next(); // nor does another fork
    expect(draws(a.fork('terrain'), 10)).toEqual(terrainBefore);
    expect(draws(a.fork('terrain'), 10)).not.toEqual(draws(a.fork('actors'), 10));
    expect(a.fork('x').fork('y').seed).toBe('w/x/y');
  });

  it('saves and restores its state exactly, through JSON', () => {
    const r = Rng.create('s');
    draws(r, 17);
    const saved = JSON.parse(JSON.stringify(r.save()));
    const expected = draws(r, 50);
    expect(draws(Rng.restore(saved), 50)).toEqual(expected);
    expect(() => Rng.restore({} as never)).toThrow(/Rng.restore/);
  });

  it('int covers its inclusive range and rejects bad bounds', () => {
    const r = Rng.create(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(-2, 3);
      expect(Number.isInteger(v) && v >= -2 && v <= 3).toBe(true);
      seen.add(v);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(() => r.int(3, 1)).toThrow(RangeError);
    expect(() => r.int(0.5, 1)).toThrow(RangeError);
  });

  it('weighted follows the weights and never picks a zero weight', () => {
    const r = Rng.create(7);
    const counts: Record<'a' | 'b' | 'c', number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i++) counts[r.weighted<'a' | 'b' | 'c'>([{ value: 'a', weight: 1 }, { value: 'b', weight: 3 }, { value: 'c', weight: 0 }])]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.6);
    expect(counts.b / counts.a).toBeLessThan(3.4);
    expect(() => r.weighted([{ value: 1, weight: 0 }])).toThrow(/no positive weight/);
    expect(() => r.weighted([{ value: 1, weight: -1 }])).toThrow(/>= 0/);
  });

  it('pick, shuffle, chance and normal behave', () => {
    const r = Rng.create(3);
    expect(() => r.pick([])).toThrow(/empty/);
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const s = r.shuffle(items);
    expect(s).not.toBe(items);
    expect([...s].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const xs = Array.from({ length: 20_000 }, () => r.normal(10, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
    let yes = 0;
    for (let i = 0; i < 10_000; i++) if (r.chance(0.25)) yes++;
    expect(yes / 10_000).toBeGreaterThan(0.22);
    expect(yes / 10_000).toBeLessThan(0.28);
  });
});
